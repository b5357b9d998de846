package lianluo

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	mobileRe   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlineRe = regexp.MustCompile(`^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$`)
	usernameRe = regexp.MustCompile(`^[a-zA-Z0-9_.\-]{3,32}$`)
	regionRe   = regexp.MustCompile(`^[0-9]+$`)
)

// Validator collects the first error found; later checks are skipped.
// It keeps validation code linear: v.Require(...); v.MaxLen(...); return v.Err.
type Validator struct{ Err error }

func (v *Validator) fail(field, format string, args ...any) {
	if v.Err == nil {
		v.Err = FieldError(field, format, args...)
	}
}

// Require checks that s is not blank.
func (v *Validator) Require(field, label, s string) {
	if strings.TrimSpace(s) == "" {
		v.fail(field, "请填写%s。", label)
	}
}

// MaxLen checks that s has at most n characters (not bytes).
func (v *Validator) MaxLen(field, label, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		v.fail(field, "%s不能超过%d个字。", label, n)
	}
}

// OneOf checks that s is one of the allowed values.
func (v *Validator) OneOf(field, label, s string, allowed map[string]string) {
	if _, ok := allowed[s]; !ok {
		v.fail(field, "%s的取值无效。", label)
	}
}

// Phone checks an optional phone number: a mainland mobile or a landline.
func (v *Validator) Phone(field, label, s string) {
	if s != "" && !ValidPhone(s) {
		v.fail(field, "%s格式不正确，请填写11位手机号或带区号的固定电话。", label)
	}
}

// Check fails with the message when ok is false.
func (v *Validator) Check(ok bool, field, format string, args ...any) {
	if !ok {
		v.fail(field, format, args...)
	}
}

// ValidText reports whether s can be stored as text on both databases: it is
// UTF-8 and has no NUL byte. PostgreSQL refuses both in a text column
// (invalid byte sequence for encoding "UTF8") where SQLite stores them, so
// they are refused at the boundary, the same on either database.
func ValidText(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

// CheckText returns an EINVALID error naming field when s is not ValidText.
// Every boundary (JSON bodies, query strings, forms, upload file names,
// Excel cells) uses it, so the message is the same everywhere.
func CheckText(field, s string) error {
	if ValidText(s) {
		return nil
	}
	return FieldError(field, "%s", badTextMessage(field))
}

func badTextMessage(field string) string {
	return fmt.Sprintf("字段“%s”含有不允许的字符（空字符或无效的UTF-8编码），请删除后重试。", field)
}

// ValidPhone reports whether s is a mainland mobile number or a landline with area code.
func ValidPhone(s string) bool {
	return mobileRe.MatchString(s) || landlineRe.MatchString(s)
}

// ValidUsername reports whether s is 3–32 letters, digits, '_', '.', '-'.
func ValidUsername(s string) bool { return usernameRe.MatchString(s) }

// ValidIDNumber checks an 18-character resident ID number (居民身份证号码)
// including its GB 11643 check digit.
func ValidIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	return last == check
}

// MaskPhone shows the first three and last four digits: 138****1234.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// mobileLike matches mainland mobile numbers inside a text.
var mobileLike = regexp.MustCompile(`1[3-9]\d{9}`)

// MaskPhonesIn masks every mobile number inside a text (an SMS provider's
// error may echo one) before it is logged or stored.
func MaskPhonesIn(s string) string { return mobileLike.ReplaceAllStringFunc(s, MaskPhone) }

// landlineLike matches landline numbers with an area code inside a text
// (0574-86881234): a voter's comment may carry one (MaskBallotComment).
var landlineLike = regexp.MustCompile(`0\d{2,3}-?\d{7,8}`)

// MaskName keeps the surname: 张*, 欧阳**.
func MaskName(s string) string {
	r := []rune(s)
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 4:
		return string(r[:2]) + "**"
	}
	return string(r[:1]) + strings.Repeat("*", len(r)-1)
}

// MaskIDNumber keeps only the last four characters.
func MaskIDNumber(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
}

// ValidRegionCodeShape reports whether code is digits of a dataset length
// (2, 4, 6, 9, 12) — existence is checked against the regions table.
func ValidRegionCodeShape(code string) bool {
	switch len(code) {
	case 2, 4, 6, 9, 12:
		return regionRe.MatchString(code)
	}
	return false
}

// NormalizeRegionCode accepts a code as the data set writes it or right-padded
// with zeros to 12 digits, and returns the data set's form ("330206000000" →
// "330206"). It returns "" for a malformed code.
func NormalizeRegionCode(code string) string {
	code = strings.TrimSpace(code)
	if len(code) == 12 && regionRe.MatchString(code) {
		for _, n := range []int{2, 4, 6, 9} {
			if strings.Trim(code[n:], "0") == "" {
				return code[:n]
			}
		}
		return code
	}
	if !ValidRegionCodeShape(code) {
		return ""
	}
	return code
}
