package lianluo

import (
	"context"
	"time"
)

// What an administrator configures for the workflow: the deadline policy,
// the category tree, and the settings service; and the files attached to
// cases.

// Policy is the deployment's deadline policy (editable by an administrator).
type Policy struct {
	ReplyWorkdays    int `json:"reply_workdays"`     // opinion: 15 working days to reply
	ApprovalDays     int `json:"approval_days"`      // 000: assign within 10 days of submission
	MaxRounds        int `json:"max_rounds"`         // supervision rounds before the office may close
	ExtensionMonths  int `json:"extension_months"`   // 003: one extension of at most one month
	RemindBeforeDays int `json:"remind_before_days"` // urge units this many working days before the deadline
	RetentionYears   int `json:"retention_years"`    // archived cases are kept this long
	// Bills: how many deputies must sign one jointly, the lead deputy
	// counted (地方组织法: 乡镇 5 人以上, 县级以上 10 人以上).
	BillSignersTown   int `json:"bill_signers_town"`
	BillSignersCounty int `json:"bill_signers_county"`
}

// DefaultPolicy is the policy of a new deployment (000, 003; docs/workflow.md, "Deadlines").
var DefaultPolicy = Policy{ReplyWorkdays: 15, ApprovalDays: 10, MaxRounds: 3, ExtensionMonths: 1, RemindBeforeDays: 3, RetentionYears: 10,
	BillSignersTown: 5, BillSignersCounty: 10}

// Validate checks a policy an administrator sets.
func (p Policy) Validate() error {
	var v Validator
	v.Check(p.ReplyWorkdays >= 1 && p.ReplyWorkdays <= 120, "reply_workdays", "答复时限应为1到120个工作日。")
	v.Check(p.ApprovalDays >= 1 && p.ApprovalDays <= 60, "approval_days", "交办时限应为1到60天。")
	v.Check(p.MaxRounds >= 1 && p.MaxRounds <= 10, "max_rounds", "督办轮次应为1到10。")
	v.Check(p.ExtensionMonths >= 0 && p.ExtensionMonths <= 6, "extension_months", "延期上限应为0到6个月。")
	v.Check(p.RemindBeforeDays >= 0 && p.RemindBeforeDays <= 30, "remind_before_days", "提前催办天数应为0到30。")
	v.Check(p.RetentionYears >= 1 && p.RetentionYears <= 100, "retention_years", "保存年限应为1到100年。")
	v.Check(p.BillSignersTown >= 2 && p.BillSignersTown <= 100, "bill_signers_town", "乡镇议案联名人数应为2到100人。")
	v.Check(p.BillSignersCounty >= 2 && p.BillSignersCounty <= 100, "bill_signers_county", "县级议案联名人数应为2到100人。")
	return v.Err
}

// Category is a node of the configurable category tree (类别).
type Category struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id"`
	Name     string `json:"name"`
}

// Attachment is a photo or document attached to a case.
type Attachment struct {
	ID          int64     `json:"id"`
	CaseID      int64     `json:"case_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// Attachment limits: photos from a phone and scanned letters.
const (
	MaxAttachmentBytes = 10 << 20
	MaxAttachments     = 20
)

// AttachmentTypes are the content types accepted, by sniffing the bytes.
var AttachmentTypes = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "application/pdf": ".pdf",
}

// SettingsService holds what an administrator configures for the workflow.
type SettingsService interface {
	Policy(ctx context.Context) (Policy, error)
	UpdatePolicy(ctx context.Context, p Policy) error
	CalendarDays(ctx context.Context, year int) ([]CalendarDay, error)
	// SetCalendarYear replaces a year's entries. A non-empty version must be
	// the CalendarVersion of the year's entries as the caller saw them.
	SetCalendarYear(ctx context.Context, year int, days []CalendarDay, version string) error
	Calendar(ctx context.Context) (*Calendar, error)
	Categories(ctx context.Context) ([]Category, error)
	UpdatePublicSettings(ctx context.Context, p PublicSettings) error
	// SecurityPolicy returns the password and reveal settings.
	SecurityPolicy(ctx context.Context) (SecurityPolicy, error)
	// UpdateSecurityPolicy saves them (administrators); p.Version must be
	// the version the caller saw. It returns the policy as saved.
	UpdateSecurityPolicy(ctx context.Context, p SecurityPolicy) (SecurityPolicy, error)
	// DemoAccounts counts the active demo accounts.
	DemoAccounts(ctx context.Context) (int, error)
	// Scoring returns the 履职积分 table (DefaultScoring until changed).
	Scoring(ctx context.Context) (Scoring, error)
	// UpdateScoring changes the points of the items s names (CanSetScoring);
	// s.Version must be the version the caller saw. It returns the table
	// as saved.
	UpdateScoring(ctx context.Context, s Scoring) (Scoring, error)
	// StationRating returns the 星级联络站 weights and grade thresholds
	// (DefaultStationRating until changed).
	StationRating(ctx context.Context) (StationRating, error)
	// UpdateStationRating changes them (CanSetScoring); s.Version must be
	// the version the caller saw. It returns the table as saved.
	UpdateStationRating(ctx context.Context, s StationRating) (StationRating, error)
	// Checklist returns the stations' list of standards (DefaultChecklist
	// until changed).
	Checklist(ctx context.Context) (Checklist, error)
	// UpdateChecklist replaces the list (CanSetScoring); c.Version must be
	// the version the caller saw.
	UpdateChecklist(ctx context.Context, c Checklist) (Checklist, error)
}

// AttachmentService stores files of cases.
type AttachmentService interface {
	AddAttachment(ctx context.Context, caseID int64, name string, data []byte) (*Attachment, error)
	FindAttachments(ctx context.Context, caseID int64) ([]Attachment, error)
	FindAttachment(ctx context.Context, caseID, id int64) (*Attachment, error)
}
