package lianluo_test

import (
	"strings"
	"testing"
	"time"

	"lianluo"
)

func TestCaseExportRowMask(t *testing.T) {
	t.Parallel()
	s := lianluo.Submitter{Name: "王秀英", Phone: "13912340000", Address: "坝头社区5幢201"}
	tests := []struct {
		name         string
		confidential bool
		want         string // the submitter column
	}{
		{"ordinary", false, "王**"},
		{"confidential", true, "（为反映人保密）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := lianluo.CaseExportRow{
				Title:        "王秀英反映路灯",
				Content:      "我是王秀英，住坝头社区5幢201，电话13912340000，身份证330206198001011230，座机0574-86861234。",
				ReplyContent: "已电话联系秀英（13912340000）。" + strings.Repeat("修", lianluo.MaxExportReply),
			}
			r.Mask(s, tt.confidential)
			if r.Submitter != tt.want {
				t.Errorf("Submitter = %q; want %q", r.Submitter, tt.want)
			}
			for _, cell := range []string{r.Title, r.Content, r.ReplyContent} {
				for _, pii := range []string{"13912340000", "330206198001011230", "86861234", "王秀英", "秀英", "坝头社区5幢201"} {
					if strings.Contains(cell, pii) {
						t.Errorf("%q still holds %q", cell, pii)
					}
				}
			}
			if !strings.Contains(r.Content, "139****0000") || !strings.Contains(r.Content, "（地址已隐去）") {
				t.Errorf("Content = %q; want the number and the address masked in place", r.Content)
			}
			if n := len([]rune(r.ReplyContent)); n != lianluo.MaxExportReply+1 || !strings.HasSuffix(r.ReplyContent, "…") {
				t.Errorf("reply of %d characters; want %d and …", n, lianluo.MaxExportReply+1)
			}
		})
	}
}

func TestCanExportCases(t *testing.T) {
	t.Parallel()
	for role, want := range map[string]bool{
		lianluo.RoleSystemAdmin: true, lianluo.RoleNPCOffice: true, lianluo.RoleNPCLeader: true,
		lianluo.RoleStationHead: true, lianluo.RoleLiaison: true,
		lianluo.RoleDeputy: false, lianluo.RoleUnitHandler: false,
	} {
		a := &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: role}}}}
		if got := lianluo.CanExportCases(a); got != want {
			t.Errorf("CanExportCases(%s) = %v; want %v", role, got, want)
		}
	}
	if lianluo.CanExportCases(nil) {
		t.Error("CanExportCases(nil) = true")
	}
}

func TestCaseFilterText(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	to := time.Date(2026, 4, 1, 0, 0, 0, 0, lianluo.Beijing)
	tests := []struct {
		f    lianluo.CaseFilter
		want string
	}{
		{lianluo.CaseFilter{}, "全部"},
		{lianluo.CaseFilter{Status: []lianluo.CaseStatus{"handling", "replied"}, Region: "330206004", From: &from, To: &to},
			"状态：办理中、已答复待反馈；地区：330206004；登记日期：2026-01-01至2026-03-31"},
		{lianluo.CaseFilter{Q: "路灯", Overdue: true, From: &from}, "关键词：路灯；超期：是；登记日期：2026-01-01起"},
		{lianluo.CaseFilter{StationID: 3, To: &to}, "联络站编号：3；登记日期：至2026-03-31"},
	}
	for _, tt := range tests {
		if got := tt.f.Text(); got != tt.want {
			t.Errorf("CaseFilter%+v.Text() = %q; want %q", tt.f, got, tt.want)
		}
	}
}
