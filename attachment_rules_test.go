package lianluo

import (
	"bytes"
	"testing"
)

func TestSniffAttachment(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	pdf := []byte("%PDF-1.7\n")
	for _, tt := range []struct {
		name     string
		data     []byte
		ct, code string
	}{
		{"a photo", png, "image/png", ""},
		{"a scanned letter", pdf, "application/pdf", ""},
		{"empty", nil, "", EINVALID},
		{"text named .jpg", []byte("只是文字"), "", EINVALID},
		{"too large", append(bytes.Clone(pdf), make([]byte, MaxAttachmentBytes)...), "", ETOOLARGE},
	} {
		ct, ext, err := SniffAttachment(tt.data)
		if ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.code)
		}
		if ct != tt.ct || (ct != "" && ext != AttachmentTypes[ct]) {
			t.Errorf("%s: %q %q, want %q", tt.name, ct, ext, tt.ct)
		}
		if err != nil && ErrorMessage(err) == "" {
			t.Errorf("%s: no message", tt.name)
		}
	}
}

func TestCaseAttachAndReveal(t *testing.T) {
	t.Parallel()
	office := officeOf("330206004")
	otherOffice := officeOf("330206003")
	liaison := liaisonOf(7)
	otherLiaison := liaisonOf(8)
	deputy := deputyNo(42)
	unit := handlerOf(90)
	otherUnit := handlerOf(91)

	open := &Case{Status: StatusHandling, StationID: idp(7), RegionCode: "330206004", ReceivedBy: []int64{42},
		Units: []CaseUnit{{OrgID: 90, Lead: true}}}
	secret := *open
	secret.Confidential = true
	closed := *open
	closed.Status = StatusClosed
	for _, tt := range []struct {
		name         string
		a            *Actor
		attach       string // the error code, "" when allowed
		reveal, rSec bool   // on the open case, on the confidential one
	}{
		{"office", office, "", true, true},
		{"office of another town", otherOffice, EFORBIDDEN, false, false},
		{"the station's liaison", liaison, "", true, false},
		{"another station's liaison", otherLiaison, EFORBIDDEN, false, false},
		{"a receiving deputy", deputy, "", false, false},
		{"the lead unit's handler", unit, "", false, false},
		{"another unit's handler", otherUnit, EFORBIDDEN, false, false},
	} {
		if got := ErrorCode(CheckAttach(tt.a, open, 0)); got != tt.attach {
			t.Errorf("CheckAttach(%s) = %q, want %q", tt.name, got, tt.attach)
		}
		if got := CanRevealSubmitter(tt.a, open); got != tt.reveal {
			t.Errorf("CanRevealSubmitter(%s) = %v", tt.name, got)
		}
		if got := CanRevealSubmitter(tt.a, &secret); got != tt.rSec {
			t.Errorf("CanRevealSubmitter(%s, confidential) = %v", tt.name, got)
		}
	}
	if got := ErrorCode(CheckAttach(office, &closed, 0)); got != ESTATE {
		t.Errorf("attach to a closed case: %q", got)
	}
	if got := ErrorCode(CheckAttach(office, open, MaxAttachments)); got != ETOOLARGE {
		t.Errorf("attach past the limit: %q", got)
	}
	if err := CheckAttach(office, open, MaxAttachments-1); err != nil {
		t.Errorf("the last attachment: %v", err)
	}
}
