package lianluo_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"lianluo"
)

// Fuzz targets for the root's parsers of outside input (.ci/fuzz runs them).

// FuzzValidIDNumber: an accepted ID number is 17 digits and the GB 11643
// check character, whatever the case of the X, and masking it keeps only
// its last four characters.
func FuzzValidIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "110105194912310021", "33020619900101001", "", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !lianluo.ValidIDNumber(s) {
			return
		}
		if len(s) != 18 || strings.Trim(s[:17], "0123456789") != "" || !strings.ContainsAny(s[17:], "0123456789Xx") {
			t.Fatalf("ValidIDNumber(%q) = true; want 17 digits and a check character", s)
		}
		if !lianluo.ValidIDNumber(strings.ToUpper(s)) || !lianluo.ValidIDNumber(strings.ToLower(s)) {
			t.Fatalf("ValidIDNumber(%q) depends on the case of X", s)
		}
		// One digit changed changes the check character.
		d := []byte(s)
		d[0] = '0' + (d[0]-'0'+1)%10
		if lianluo.ValidIDNumber(string(d)) {
			t.Fatalf("ValidIDNumber(%q) and ValidIDNumber(%q) are both true", s, d)
		}
		if m := lianluo.MaskIDNumber(s); m != strings.Repeat("*", 14)+s[14:] {
			t.Fatalf("MaskIDNumber(%q) = %q", s, m)
		}
	})
}

// FuzzValidPhone: an accepted phone number is ASCII digits with at most
// two dashes, and masking never shows more than its first three and last
// four characters; a mobile number is found and masked inside any text.
func FuzzValidPhone(f *testing.F) {
	for _, s := range []string{"13812345678", "0574-86881234", "057486881234-123", "12345678901", "1381234567８", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !lianluo.ValidPhone(s) {
			return
		}
		if strings.Trim(s, "0123456789-") != "" || strings.Count(s, "-") > 2 || len(s) < 10 || len(s) > 20 {
			t.Fatalf("ValidPhone(%q) = true; want digits and dashes", s)
		}
		m := lianluo.MaskPhone(s)
		if utf8.RuneCountInString(m) != len(s) || m[:3] != s[:3] || m[len(m)-4:] != s[len(s)-4:] || strings.Trim(m[3:len(m)-4], "*") != "" {
			t.Fatalf("MaskPhone(%q) = %q", s, m)
		}
		if s[0] == '1' {
			if got := lianluo.MaskPhonesIn("电话" + s + "。"); strings.Contains(got, s) {
				t.Fatalf("MaskPhonesIn leaves %q in %q", s, got)
			}
		}
	})
}

// FuzzNormalizeTrackingCode: what a voter types is normalised once and for
// all (normalising again changes nothing), has no spaces or dashes, and a
// code as issued survives any case, spaces and dashes around it.
func FuzzNormalizeTrackingCode(f *testing.F) {
	for _, s := range []string{"ABCDEFGHJK", " abcd-efgh-jk ", "AB　CD", "a\u2000-", "ß", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := lianluo.NormalizeTrackingCode(s)
		if again := lianluo.NormalizeTrackingCode(n); again != n {
			t.Fatalf("NormalizeTrackingCode(%q) = %q, and again %q", s, n, again)
		}
		if strings.ContainsAny(n, " -　") || strings.TrimSpace(n) != n {
			t.Fatalf("NormalizeTrackingCode(%q) = %q keeps spaces or dashes", s, n)
		}
		code := strings.Map(func(r rune) rune {
			if strings.ContainsRune("23456789ABCDEFGHJKMNPQRSTUVWXYZ", r) {
				return r
			}
			return -1
		}, strings.ToUpper(s))
		typed := " " + strings.ToLower(code[:len(code)/2]) + "-" + code[len(code)/2:] + "　"
		if got := lianluo.NormalizeTrackingCode(typed); got != code {
			t.Fatalf("NormalizeTrackingCode(%q) = %q; want %q", typed, got, code)
		}
	})
}

// FuzzCheckText: CheckText accepts exactly the UTF-8 text without NUL
// bytes, and what it refuses it names by the field.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"路灯不亮", "a\x00b", "\xff", "\xe4\xb8", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := lianluo.CheckText("title", s)
		if want := utf8.ValidString(s) && !strings.ContainsRune(s, 0); (err == nil) != want {
			t.Fatalf("CheckText(%q) = %v; want ok %v", s, err, want)
		}
		if err != nil && lianluo.ErrorField(err) != "title" {
			t.Fatalf("CheckText(%q) names %q", s, lianluo.ErrorField(err))
		}
	})
}
