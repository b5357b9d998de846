package lianluo

import (
	"context"
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SecurityPolicy is the deployment's security settings an administrator
// edits (README: Security): the password rules and the reveal limit.
// Version counts the edits, so that a stale form is refused.
type SecurityPolicy struct {
	PasswordMinLength  int `json:"password_min_length"`  // characters
	PasswordHistory    int `json:"password_history"`     // the last N passwords may not be used again
	PasswordExpiryDays int `json:"password_expiry_days"` // 0: passwords do not expire
	RevealsPerHour     int `json:"reveals_per_hour"`     // 查看联系方式 per user per hour
	// MFARoles are the roles whose accounts must use the second factor:
	// they enrol before anything else (demo accounts excepted).
	MFARoles []string `json:"mfa_roles"`
	Version  int      `json:"version"`
}

// DefaultSecurityPolicy is the policy of a new deployment: 等保 2.0 level 3
// asks for complex passwords changed from time to time; the expiry is left
// to the deployment (0).
var DefaultSecurityPolicy = SecurityPolicy{PasswordMinLength: 10, PasswordHistory: 5, RevealsPerHour: 20, MFARoles: AdminRoles, Version: 1}

// MFARequired reports whether the policy requires u to use the second
// factor: one of u's roles is in MFARoles, and u is not a demo account.
func (p SecurityPolicy) MFARequired(u *User) bool {
	if u == nil || u.Demo {
		return false
	}
	for _, g := range u.Roles {
		if slices.Contains(p.MFARoles, g.Role) {
			return true
		}
	}
	return false
}

// ErrMFAEnrolmentRequired is the answer to anything but enrolling, the
// password, logging out and reading oneself while MustEnrolMFA is set.
var ErrMFAEnrolmentRequired = &Error{Code: EMFA, Message: "您的角色要求启用双因素认证，请先在“双因素认证”页面启用后再进行其他操作。"}

// MaxPasswordLength bounds what is hashed.
const MaxPasswordLength = 72

// Validate checks the settings' ranges.
func (p SecurityPolicy) Validate() error {
	var v Validator
	v.Check(p.PasswordMinLength >= 8 && p.PasswordMinLength <= 64, "password_min_length", "密码最小长度须在8到64位之间。")
	v.Check(p.PasswordHistory >= 0 && p.PasswordHistory <= 24, "password_history", "不得重复使用的历史密码个数须在0到24之间。")
	v.Check(p.PasswordExpiryDays >= 0 && p.PasswordExpiryDays <= 3650, "password_expiry_days", "密码有效期须在0到3650天之间（0为不过期）。")
	v.Check(p.RevealsPerHour >= 1 && p.RevealsPerHour <= 1000, "reveals_per_hour", "每小时查看联系方式次数须在1到1000之间。")
	for _, r := range p.MFARoles {
		v.Check(slices.Contains(Roles, r), "mfa_roles", "没有“%s”这个角色。", Truncate(r, 20))
	}
	return v.Err
}

// CheckPassword is the password rule for every account an administrator or
// its owner sets: the policy's length, three of the four classes (upper,
// lower, digit, symbol; a Han character counts as a symbol), not a common
// password or a keyboard run, and not containing the username. The error is
// a field error on "password". Reuse of earlier passwords is the store's
// check (it holds the hashes).
func CheckPassword(p SecurityPolicy, username, password string) error {
	if msg := passwordProblem(p, username, password, true); msg != "" {
		return FieldError("password", "%s", msg)
	}
	return nil
}

// CheckDemoPassword is CheckPassword for the demo district's accounts,
// whose published password (Lianluo@2026) is common on purpose; they are
// marked as demo accounts and the console warns while any exists.
func CheckDemoPassword(p SecurityPolicy, username, password string) error {
	if msg := passwordProblem(p, username, password, false); msg != "" {
		return FieldError("password", "%s", msg)
	}
	return nil
}

func passwordProblem(p SecurityPolicy, username, password string, common bool) string {
	min := p.PasswordMinLength
	if min <= 0 {
		min = DefaultSecurityPolicy.PasswordMinLength
	}
	n := utf8.RuneCountInString(password)
	if n < min {
		return "密码至少" + strconv.Itoa(min) + "位。"
	}
	if n > MaxPasswordLength {
		return "密码不能超过72位。"
	}
	var upper, lower, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"
	}
	low := strings.ToLower(password)
	if u := strings.ToLower(strings.TrimSpace(username)); len(u) >= 3 && (strings.Contains(low, u) || strings.Contains(unLeet(low), u)) {
		return "密码不能包含用户名。"
	}
	if common && isCommonPassword(low) {
		return "密码过于常见，容易被猜到（如 Password1、P@ssw0rd、Admin@123 一类），请换一个。"
	}
	if run := keyboardRun(low); run != "" {
		return "密码不能含有键盘或数字上的连续字符（“" + run + "”）。"
	}
	return ""
}

type demoKey struct{}

// NewContextForDemo marks a context as the demo loader's: users created
// with it are demo accounts. Only Go code (internal/demo) can set it, never
// a request.
func NewContextForDemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, demoKey{}, true)
}

// IsDemoContext reports whether users created with ctx are demo accounts.
func IsDemoContext(ctx context.Context) bool {
	b, _ := ctx.Value(demoKey{}).(bool)
	return b
}

// ErrPasswordChangeRequired is the answer to anything but changing the
// password, logging out and reading oneself while MustChangePassword is set.
var ErrPasswordChangeRequired = &Error{Code: EPASSWORD, Message: "管理员设置或重置了您的密码（或密码已过期），请先修改密码再进行其他操作。"}

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// leet undoes the common letter substitutions (P@ssw0rd → password).
var leet = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "+", "t", "8", "b", "9", "g")

func unLeet(s string) string { return leet.Replace(s) }

// isCommonPassword reports whether a lower-cased password is on the list,
// or becomes a listed word once the digits and symbols around it are
// stripped, its leetspeak undone or its separators dropped: Password1,
// P@ssw0rd, Admin@2026, pass-word-2026.
func isCommonPassword(low string) bool {
	core := strings.TrimFunc(low, func(r rune) bool { return !unicode.IsLetter(r) })
	// What stands between letters is read as leetspeak (p@ssw0rd).
	first := strings.IndexFunc(low, unicode.IsLetter)
	last := strings.LastIndexFunc(low, unicode.IsLetter)
	mid := ""
	if first >= 0 {
		mid = unLeet(low[first : last+1])
	}
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, low)
	for _, c := range []string{low, unLeet(low), core, mid, letters, unLeet(strings.TrimRight(low, "0123456789!@#$%^&*.?_-~ "))} {
		if c != "" && commonPasswords[c] {
			return true
		}
	}
	return false
}

// keyboardSequences are rows and columns of the keyboard and the alphabet;
// four of them in a row, either way, make an easy guess (qwer, 1234, 4321).
var keyboardSequences = []string{
	"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
}

const keyboardRunLength = 4

// keyboardRun returns the first run of keyboardRunLength characters that
// follow a keyboard or alphabet sequence, or repeat one character.
func keyboardRun(low string) string {
	r := []rune(low)
	for i := 0; i+keyboardRunLength <= len(r); i++ {
		w := string(r[i : i+keyboardRunLength])
		if strings.Count(w, string(r[i])) == keyboardRunLength {
			return w
		}
		for _, s := range keyboardSequences {
			if strings.Contains(s, w) || strings.Contains(reverse(s), w) {
				return w
			}
		}
	}
	return ""
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
