package lianluo

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// ExternalChannels are the channels a user may choose beyond the in-app
// inbox (通知设置), in display order.
var ExternalChannels = []string{ChannelSMS, ChannelEmail, ChannelWeCom, ChannelDingTalk}

// NotificationChannelNames are the Chinese names of the notification channels.
var NotificationChannelNames = map[string]string{
	ChannelInApp:    "站内消息",
	ChannelSMS:      "短信",
	ChannelEmail:    "邮件",
	ChannelWeCom:    "企业微信",
	ChannelDingTalk: "钉钉",
	ChannelLog:      "日志",
}

// DefaultChannels are the channels of a user who has not chosen: text
// messages, as before there was a choice.
var DefaultChannels = []string{ChannelSMS}

// NotificationPrefs are a user's 通知设置: the channels they want beyond
// the in-app inbox, which every notification reaches anyway, and the
// e-mail address for the e-mail channel.
//
// A channel is a wish, not a promise: a notification goes out on it only
// when the user can receive it there (a text message needs a mobile number
// on the account, e-mail an address) and the deployment delivers it
// (Available). Otherwise the in-app item is all; nothing is ever lost.
type NotificationPrefs struct {
	Channels []string `json:"channels"`
	Email    string   `json:"email"`
	// Read-only: the account's phone number, masked (set by an
	// administrator), and the channels this deployment delivers.
	Phone     string     `json:"phone"`
	CanText   bool       `json:"can_text"` // the phone is a mobile number
	Available []string   `json:"available"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Validate checks the channels and the address a user submits, normalising
// them: channels deduplicated in display order, the address trimmed.
func (p *NotificationPrefs) Validate() error {
	var v Validator
	for _, c := range p.Channels {
		v.Check(slices.Contains(ExternalChannels, c), "channels", "不认识的通知渠道“%s”，可选：sms、email、wecom、dingtalk。", c)
	}
	p.Email = strings.TrimSpace(p.Email)
	v.MaxLen("email", "邮箱地址", p.Email, 100)
	v.Check(p.Email == "" || ValidEmail(p.Email), "email", "邮箱地址格式不正确，例如 zhangsan@example.gov.cn。")
	v.Check(p.Email != "" || !slices.Contains(p.Channels, ChannelEmail), "email", "选择邮件通知时，请填写邮箱地址。")
	if v.Err != nil {
		return v.Err
	}
	var out []string
	for _, c := range ExternalChannels {
		if slices.Contains(p.Channels, c) {
			out = append(out, c)
		}
	}
	p.Channels = out
	return nil
}

// ValidEmail reports whether s is a bare e-mail address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// CanText reports whether a text message can reach phone: a mainland
// mobile number, not a landline.
func CanText(phone string) bool { return mobileRe.MatchString(phone) }

// MaskEmail keeps the first character of the mailbox and the domain:
// z***@example.gov.cn.
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return strings.Repeat("*", len([]rune(s)))
	}
	r := []rune(s[:at])
	return string(r[0]) + "***" + s[at:]
}

// NotificationPrefService reads and changes the caller's own 通知设置.
type NotificationPrefService interface {
	NotificationPrefs(ctx context.Context) (*NotificationPrefs, error)
	UpdateNotificationPrefs(ctx context.Context, p NotificationPrefs) (*NotificationPrefs, error)
}

// Notification statuses.
const (
	NotificationPending = "pending" // waiting for (another) delivery attempt
	NotificationSent    = "sent"
	NotificationDead    = "dead" // gave up after the last attempt; kept for the administrator
)

// NotificationStatusNames are the Chinese names of the statuses.
var NotificationStatusNames = map[string]string{
	NotificationPending: "待发送",
	NotificationSent:    "已发送",
	NotificationDead:    "发送失败",
}

// NotificationFilter selects outbox rows for the administrator's list
// (发送记录, and the dead letters: Status "dead").
type NotificationFilter struct {
	Status  string // pending, sent, dead; "" for all
	Channel string
	CaseID  int64
	Page
}

// OutboxService is the administrators' view of the outbox (通知发送记录):
// what was sent, what waits and what failed, and putting a failed
// notification back in the queue. Phone numbers and addresses are masked.
type OutboxService interface {
	FindNotifications(ctx context.Context, f NotificationFilter) ([]*Notification, int, error)
	// CountNotifications counts the outbox by status, of one channel or all ("").
	CountNotifications(ctx context.Context, channel string) (map[string]int, error)
	RetryNotification(ctx context.Context, id int64) error
}
