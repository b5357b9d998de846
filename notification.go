package lianluo

import (
	"context"
	"time"
)

// Notification channels.
const (
	ChannelInApp = "inapp" // the user's inbox in the console (always)
	ChannelSMS   = "sms"
	ChannelLog   = "log" // development: written to the log

	ChannelWeCom    = "wecom"    // a WeCom (企业微信) group robot
	ChannelDingTalk = "dingtalk" // a DingTalk (钉钉) group robot
	ChannelEmail    = "email"
)

// Notification is one outbox row: written in the transaction of the change
// that causes it, delivered afterwards with retries (never inside the
// business transaction).
type Notification struct {
	ID      int64  `json:"id"`
	Channel string `json:"channel"`
	UserID  *int64 `json:"user_id,omitempty"`
	// UserName is the recipient's display name, in administrators' lists.
	UserName string `json:"user_name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	// Address is where a non-SMS channel delivers: an e-mail address, or a
	// robot's webhook URL when it is not the deployment's default robot.
	// Lists for administrators mask it.
	Address  string      `json:"address,omitempty"`
	Template TemplateKey `json:"template"`
	Subject  string      `json:"subject"`
	Body     string      `json:"body"`
	CaseID   *int64      `json:"case_id,omitempty"`
	// About is the reception, activity or station an in-app notice
	// concerns besides a case, for a link from the inbox; nil when none.
	About         *NoticeAbout `json:"about,omitempty"`
	Urgent        bool         `json:"urgent"`
	Status        string       `json:"status"` // pending, sent, dead
	Attempts      int          `json:"attempts"`
	NextAttemptAt time.Time    `json:"next_attempt_at"`
	LastError     string       `json:"last_error,omitempty"`
	DedupeKey     string       `json:"-"`
	ReadAt        *time.Time   `json:"read_at,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	SentAt        *time.Time   `json:"sent_at,omitempty"`
}

// NoticeAbout names the record a notice is about: Kind is "reception",
// "activity", "station" (its mailbox), "rota" (the station's published rota),
// "year_plan" (a published 年初计划), "rectification" (a unit's 整改事项 after
// a 工作评议; ID is the appraisal's or the item's) or "appraisal" (the
// office told of an item reported done).
type NoticeAbout struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
}

// Sender delivers notifications of one channel to a provider.
type Sender interface {
	Send(ctx context.Context, n *Notification) error
}

// NotificationService is the in-app inbox of the current user.
type NotificationService interface {
	Inbox(ctx context.Context, unreadOnly bool, page Page) ([]*Notification, int, error)
	MarkRead(ctx context.Context, id int64) error
	// OpenInboxItem returns one notification of the caller's and marks it read.
	OpenInboxItem(ctx context.Context, id int64) (*Notification, error)
	MarkAllRead(ctx context.Context) (int, error)
}
