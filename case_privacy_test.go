package lianluo

import (
	"strings"
	"testing"
)

func TestMaskSubmitterFor(t *testing.T) {
	t.Parallel()
	office := officeOf("330206004")
	liaison := liaisonOf(7)
	deputy := deputyNo(42)
	unit := handlerOf(90)
	voter := Submitter{Name: "王建国", Phone: "13812341234", Address: "大碶街道灵峰路88号3幢", IDNumber: "11010519491231002X"}
	masked := Submitter{Name: "王建国", Phone: "138****1234", Address: "大碶街道灵峰****", IDNumber: "**************002X", Masked: true}
	nameMasked := masked
	nameMasked.Name = "王**"
	secret := Submitter{Name: "（为反映人保密）", Masked: true}
	for _, tt := range []struct {
		name         string
		a            *Actor
		open, hidden Submitter // on an ordinary case, on a confidential one
	}{
		{"office", office, masked, masked},
		{"the station's liaison", liaison, masked, secret},
		{"a receiving deputy", deputy, masked, secret},
		{"the lead unit's handler", unit, nameMasked, secret},
		{"nobody", nil, nameMasked, secret},
	} {
		for _, confidential := range []bool{false, true} {
			c := &Case{Status: StatusHandling, StationID: idp(7), RegionCode: "330206004", ReceivedBy: []int64{42},
				Units: []CaseUnit{{OrgID: 90, Lead: true}}, Submitter: voter, Confidential: confidential}
			MaskSubmitterFor(tt.a, c)
			want := tt.open
			if confidential {
				want = tt.hidden
			}
			if c.Submitter != want {
				t.Errorf("%s (confidential %v): %+v, want %+v", tt.name, confidential, c.Submitter, want)
			}
		}
	}
}

// Mobile numbers typed into a case's text are masked for those who may not
// reveal the submitter (a unit's handler, a deputy, station staff on a
// confidential case), and left as written for those who may.
func TestMaskCaseTextFor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name         string
		a            *Actor
		confidential bool
		masked       bool
	}{
		{"office", officeOf("330206004"), false, false},
		{"office, confidential", officeOf("330206004"), true, false},
		{"the station's liaison", liaisonOf(7), false, false},
		{"the station's liaison, confidential", liaisonOf(7), true, true},
		{"a receiving deputy", deputyNo(42), false, true},
		{"the lead unit's handler", handlerOf(90), false, true},
	} {
		c := &Case{Status: StatusHandling, StationID: idp(7), RegionCode: "330206004", ReceivedBy: []int64{42},
			Units: []CaseUnit{{OrgID: 90, Lead: true}}, Confidential: tt.confidential,
			Title: "请回电13912345678", Content: "联系人王先生，电话 13912345678。",
			Reply:  &Reply{Content: "已与13912345678联系"},
			Events: []CaseEvent{{Comment: "来电13912345678"}}}
		MaskSubmitterFor(tt.a, c)
		for _, s := range []string{c.Title, c.Content, c.Reply.Content, c.Events[0].Comment} {
			if got := !strings.Contains(s, "13912345678"); got != tt.masked {
				t.Errorf("%s sees %q; want masked %v", tt.name, s, tt.masked)
			}
		}
	}
}
