package lianluo_test

import (
	"errors"
	"testing"

	"lianluo"
)

func TestCheckPassword(t *testing.T) {
	p := lianluo.DefaultSecurityPolicy
	for _, tc := range []struct {
		user, pw string
		ok       bool
	}{
		{"office", "Daqi@2026x", true},
		{"office", "lianluo2026!x", true},
		{"office", "Xinqi#2026", true},
		{"office", "联络联络联络联络1a", true},    // Han counts as a symbol class
		{"office", "Short1!x", false},     // under 10
		{"office", "daqilu20261", false},  // two classes
		{"office", "DaqiDaqiDaqi", false}, // two classes
		// What an assessor tries first.
		{"office", "Password1", false},
		{"office", "Password123", false},
		{"office", "P@ssw0rd", false},
		{"office", "P@ssw0rd2026!", false},
		{"office", "pAsSwOrD-2026", false},
		{"office", "Admin@2026", false},
		{"office", "@dmin12345", false},
		{"office", "Qwerty@2026", false},
		{"office", "Lianluo@2026", false},
		{"office", "Woaini@1314", false},
		{"office", "Zx9@qwer99", false},      // keyboard run
		{"office", "Zx9@1234ab", false},      // digit run
		{"office", "Zx9@dcba9X", false},      // backwards
		{"office", "Zx9@aaaa9X", false},      // repeated
		{"office", "Zx9@1qaz9X", false},      // keyboard column
		{"zhangsan", "Zhangsan@2026", false}, // the username
		{"zhangsan", "x9ZHANGSAN!x", false},
		{"zhangsan", "zh@ngs@n#2026X", false}, // the username in leetspeak
		{"ab", "Ab@2026xyzw", true},           // a username too short to matter
	} {
		err := lianluo.CheckPassword(p, tc.user, tc.pw)
		if got := err == nil; got != tc.ok {
			t.Errorf("CheckPassword(%q, %q) = %v; want ok %v", tc.user, tc.pw, err, tc.ok)
		}
		var e *lianluo.Error
		if err != nil && (!errors.As(err, &e) || e.Field != "password") {
			t.Errorf("CheckPassword(%q, %q) = %#v; want a field error on password", tc.user, tc.pw, err)
		}
	}
}

func TestCheckPasswordMinLength(t *testing.T) {
	p := lianluo.DefaultSecurityPolicy
	p.PasswordMinLength = 14
	if err := lianluo.CheckPassword(p, "office", "Daqi@2026xyz"); err == nil {
		t.Errorf("CheckPassword(min 14, 12 characters) = nil; want an error")
	}
	if err := lianluo.CheckPassword(p, "office", "Daqi@2026xyzwv"); err != nil {
		t.Errorf("CheckPassword(min 14, 14 characters) = %v; want nil", err)
	}
}

func TestCheckDemoPassword(t *testing.T) {
	p := lianluo.DefaultSecurityPolicy
	if err := lianluo.CheckDemoPassword(p, "daqi_liaison", "Lianluo@2026"); err != nil {
		t.Errorf("CheckDemoPassword(Lianluo@2026) = %v; want nil", err)
	}
	if err := lianluo.CheckDemoPassword(p, "daqi", "Daqi@2026xx"); err == nil {
		t.Errorf("CheckDemoPassword(with the username) = nil; want an error")
	}
}

func TestSecurityPolicyValidate(t *testing.T) {
	if err := lianluo.DefaultSecurityPolicy.Validate(); err != nil {
		t.Errorf("DefaultSecurityPolicy.Validate() = %v", err)
	}
	p := lianluo.DefaultSecurityPolicy
	p.PasswordMinLength = 6
	if err := p.Validate(); err == nil {
		t.Errorf("Validate(min length 6) = nil; want an error")
	}
}
