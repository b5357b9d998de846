package notify

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"lianluo"
)

// Config holds the configured channels; a nil one is not configured, and
// its notifications wait in the outbox (text messages are written to the
// log instead, by the scheduler's default).
type Config struct {
	SMS      *SMSGateway
	WeCom    *WeComRobot
	DingTalk *DingTalkRobot
	Email    *SMTP
}

// ConfigFromEnv reads the channels from the environment:
//
//	LIANLUO_SMS_URL          the SMS gateway (http or https)
//	LIANLUO_SMS_AUTH_HEADER  a header sent with every request, "Name: value"
//	LIANLUO_SMS_SIGN         the signature, 【联络】
//	LIANLUO_SMS_FIELDS       the JSON field names, "phone,content" by default
//	LIANLUO_SMS_SUCCESS      the answer's success check, "field=value", as code=0
//	LIANLUO_WECOM_URL        the WeCom robot's webhook
//	LIANLUO_DINGTALK_URL     the DingTalk robot's webhook
//	LIANLUO_DINGTALK_SECRET  its 加签 secret
//	LIANLUO_SMTP_ADDR        the mail server, host:port
//	LIANLUO_SMTP_USER        the login, with LIANLUO_SMTP_PASSWORD
//	LIANLUO_SMTP_PASSWORD
//	LIANLUO_SMTP_FROM        the sender address, required with LIANLUO_SMTP_ADDR
//
// A channel is configured by its first variable; the others need it. The
// error names every wrong variable, never quoting a value (they hold keys
// and passwords).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var (
		c    Config
		errs []error
	)
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	needs := func(base string, keys ...string) {
		for _, k := range keys {
			if get(k) != "" {
				bad("%s is set but %s is not: set both, or neither", k, base)
			}
		}
	}
	webhook := func(k string) string {
		v := get(k)
		if v != "" && !validHTTPURL(v) {
			bad("%s must be an http:// or https:// URL", k)
		}
		return v
	}

	if u := webhook("LIANLUO_SMS_URL"); u != "" {
		g := &SMSGateway{URL: u, Sign: get("LIANLUO_SMS_SIGN")}
		if h := get("LIANLUO_SMS_AUTH_HEADER"); h != "" {
			name, value, ok := strings.Cut(h, ":")
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if !ok || !validHeaderName(name) || value == "" || strings.ContainsAny(value, "\r\n") {
				bad(`LIANLUO_SMS_AUTH_HEADER must be "Name: value", as in "Authorization: Bearer TOKEN"`)
			}
			g.AuthHeader, g.AuthValue = name, value
		}
		if f := get("LIANLUO_SMS_FIELDS"); f != "" {
			phone, content, ok := strings.Cut(f, ",")
			g.PhoneField, g.ContentField = strings.TrimSpace(phone), strings.TrimSpace(content)
			if !ok || g.PhoneField == "" || g.ContentField == "" || g.PhoneField == g.ContentField {
				bad(`LIANLUO_SMS_FIELDS must name the phone and the content fields, as in "mobile,text"`)
			}
		}
		if f := get("LIANLUO_SMS_SUCCESS"); f != "" {
			field, value, ok := strings.Cut(f, "=")
			g.SuccessField, g.SuccessValue = strings.TrimSpace(field), strings.TrimSpace(value)
			if !ok || g.SuccessField == "" || g.SuccessValue == "" {
				bad(`LIANLUO_SMS_SUCCESS must be "field=value", as in "code=0"`)
			}
		}
		c.SMS = g
	} else {
		needs("LIANLUO_SMS_URL", "LIANLUO_SMS_AUTH_HEADER", "LIANLUO_SMS_SIGN", "LIANLUO_SMS_FIELDS", "LIANLUO_SMS_SUCCESS")
	}

	if u := webhook("LIANLUO_WECOM_URL"); u != "" {
		c.WeCom = &WeComRobot{URL: u}
	}

	if u := webhook("LIANLUO_DINGTALK_URL"); u != "" {
		c.DingTalk = &DingTalkRobot{URL: u, Secret: get("LIANLUO_DINGTALK_SECRET")}
	} else {
		needs("LIANLUO_DINGTALK_URL", "LIANLUO_DINGTALK_SECRET")
	}

	if addr := get("LIANLUO_SMTP_ADDR"); addr != "" {
		s := &SMTP{Addr: addr, Username: get("LIANLUO_SMTP_USER"), Password: getenv("LIANLUO_SMTP_PASSWORD"), From: get("LIANLUO_SMTP_FROM")}
		host, port, err := net.SplitHostPort(addr)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			bad("LIANLUO_SMTP_ADDR must be host:port, as in mail.example.gov.cn:25")
		}
		if s.From == "" {
			bad("LIANLUO_SMTP_FROM must be set with LIANLUO_SMTP_ADDR: the sender's address")
		} else if _, err := mail.ParseAddress(s.From); err != nil {
			bad(`LIANLUO_SMTP_FROM must be an e-mail address, as in noreply@example.gov.cn or "联络平台 <noreply@example.gov.cn>"`)
		}
		if (s.Username == "") != (s.Password == "") {
			bad("LIANLUO_SMTP_USER and LIANLUO_SMTP_PASSWORD go together: set both, or neither")
		}
		c.Email = s
	} else {
		needs("LIANLUO_SMTP_ADDR", "LIANLUO_SMTP_USER", "LIANLUO_SMTP_PASSWORD", "LIANLUO_SMTP_FROM")
	}

	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// validHeaderName reports whether s is an HTTP header name (an RFC 9110 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r >= 0x7f || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// Senders returns the configured channels' senders, keyed by channel, for
// jobs.Config.Senders. The HTTP senders share client (nil: NewHTTPClient())
// unless they were given their own.
func (c Config) Senders(client *http.Client) map[string]lianluo.Sender {
	if client == nil {
		client = NewHTTPClient()
	}
	m := map[string]lianluo.Sender{}
	if c.SMS != nil {
		s := *c.SMS
		if s.Client == nil {
			s.Client = client
		}
		m[lianluo.ChannelSMS] = s
	}
	if c.WeCom != nil {
		s := *c.WeCom
		if s.Client == nil {
			s.Client = client
		}
		m[lianluo.ChannelWeCom] = s
	}
	if c.DingTalk != nil {
		s := *c.DingTalk
		if s.Client == nil {
			s.Client = client
		}
		m[lianluo.ChannelDingTalk] = s
	}
	if c.Email != nil {
		m[lianluo.ChannelEmail] = *c.Email
	}
	return m
}

// Channels names the configured channels, in a fixed order (sms, email,
// wecom, dingtalk): for the start-up log and for the store, which offers
// users only these (sqlstore.DB.Channels). It holds no addresses or keys.
func (c Config) Channels() []string {
	var out []string
	if c.SMS != nil {
		out = append(out, lianluo.ChannelSMS)
	}
	if c.Email != nil {
		out = append(out, lianluo.ChannelEmail)
	}
	if c.WeCom != nil {
		out = append(out, lianluo.ChannelWeCom)
	}
	if c.DingTalk != nil {
		out = append(out, lianluo.ChannelDingTalk)
	}
	return out
}
