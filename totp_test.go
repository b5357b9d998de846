package lianluo

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B: the SHA-1 key "12345678901234567890", codes cut to six digits.
func TestTOTPVectors(t *testing.T) {
	t.Parallel()
	secret := totpEncoding.EncodeToString([]byte("12345678901234567890"))
	for _, tt := range []struct {
		unix int64
		want string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	} {
		got, err := TOTPAt(secret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.want {
			t.Errorf("TOTPAt(%d) = %s, %v; want %s", tt.unix, got, err, tt.want)
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	t.Parallel()
	secret := NewTOTPSecret()
	now := time.Date(2026, 12, 6, 21, 0, 10, 0, time.UTC)
	code, _ := TOTPAt(secret, now)
	step, err := CheckTOTP(secret, code[:3]+" "+code[3:], now, 0)
	if err != nil || step != totpStepOf(now) {
		t.Fatalf("CheckTOTP(now) = %d, %v", step, err)
	}
	// Once only: the same code again is a replay.
	if _, err := CheckTOTP(secret, code, now.Add(5*time.Second), step); ErrorField(err) != "code" || !strings.Contains(ErrorMessage(err), "已经用过") {
		t.Errorf("a replayed code: %v", err)
	}
	// A phone 30 seconds behind still works; two minutes off does not.
	late, _ := TOTPAt(secret, now.Add(-TOTPStep))
	if _, err := CheckTOTP(secret, late, now, 0); err != nil {
		t.Errorf("a code one step old: %v", err)
	}
	old, _ := TOTPAt(secret, now.Add(-2*time.Minute))
	if _, err := CheckTOTP(secret, old, now, 0); ErrorField(err) != "code" {
		t.Errorf("a code two minutes old: %v", err)
	}
	if _, err := CheckTOTP(secret, "12345", now, 0); ErrorField(err) != "code" {
		t.Errorf("five digits: %v", err)
	}
	if !strings.HasPrefix(TOTPURI(secret, "office"), "otpauth://totp/%E8%81%94%E7%BB%9C:office?") {
		t.Errorf("TOTPURI = %s", TOTPURI(secret, "office"))
	}
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	codes := NewRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Errorf("recovery code %q", c)
		}
		seen[c] = true
		if NormalizeRecoveryCode(" "+strings.ToUpper(c)+" ") != strings.ReplaceAll(c, "-", "") {
			t.Errorf("NormalizeRecoveryCode(%q)", c)
		}
	}
	if len(codes) != RecoveryCodes {
		t.Errorf("%d codes", len(codes))
	}
}
