package lianluo

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The second factor for staff (等保 2.0 双因素认证): time-based one-time
// passwords as authenticator apps make them (RFC 6238 over RFC 4226 —
// HMAC-SHA1, 30-second steps, six digits), and one-time recovery codes.
// Pure functions; the store keeps the secret, the last step used and the
// recovery codes' hashes.

const (
	// TOTPStep is how long one code lasts.
	TOTPStep = 30 * time.Second
	// TOTPSkew is how many steps either side of now a code is accepted
	// in, for a phone's clock that is a little off.
	TOTPSkew = 1
	// RecoveryCodes is how many recovery codes an enrolment gives.
	RecoveryCodes = 10
)

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret is a new random secret (160 bits, as RFC 4226 recommends),
// in base32 as authenticator apps take it.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return totpEncoding.EncodeToString(b)
}

// TOTPURI is the otpauth:// address an authenticator app scans (as a QR
// code) to add the account: issuer 联络, the username as the label.
func TOTPURI(secret, username string) string {
	v := url.Values{"secret": {secret}, "issuer": {"联络"}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape("联络:"+username) + "?" + v.Encode()
}

// TOTPAt is the code of secret for the step holding t.
func TOTPAt(secret string, t time.Time) (string, error) {
	return totpCode(secret, totpStepOf(t))
}

func totpStepOf(t time.Time) int64 { return t.Unix() / int64(TOTPStep/time.Second) }

func totpCode(secret string, step int64) (string, error) {
	key, err := totpEncoding.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil || len(key) == 0 {
		return "", fmt.Errorf("bad TOTP secret")
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000), nil
}

// CheckTOTP decides whether code is the secret's code at now, within
// TOTPSkew steps, and newer than the step last used (lastStep; 0 when
// none): a code is accepted once, never replayed in its window. It returns
// the step to record as used. A wrong code is a field error on code.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (int64, error) {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
	if len(code) != 6 {
		return 0, FieldError("code", "请输入验证器上显示的6位数字。")
	}
	now0 := totpStepOf(now)
	for step := now0 - TOTPSkew; step <= now0+TOTPSkew; step++ {
		want, err := totpCode(secret, step)
		if err != nil {
			return 0, err
		}
		if hmac.Equal([]byte(want), []byte(code)) {
			if step <= lastStep {
				return 0, FieldError("code", "这个验证码已经用过了，请等验证器显示下一个验证码。")
			}
			return step, nil
		}
	}
	return 0, FieldError("code", "验证码不正确或已过期，请输入验证器上当前显示的6位数字。")
}

// NewRecoveryCodes are RecoveryCodes one-time codes, each shown once to the
// user and kept only as a hash: ten characters of base32 in two groups
// (xxxxx-xxxxx, 50 bits).
func NewRecoveryCodes() []string {
	out := make([]string, RecoveryCodes)
	for i := range out {
		b := make([]byte, 7)
		rand.Read(b)
		s := strings.ToLower(totpEncoding.EncodeToString(b))[:10]
		out[i] = s[:5] + "-" + s[5:]
	}
	return out
}

// NormalizeRecoveryCode is a recovery code as typed, as it is hashed:
// lower case, without spaces and dashes.
func NormalizeRecoveryCode(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s)))
}
