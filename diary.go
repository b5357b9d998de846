package lianluo

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"strings"
	"time"
)

// Diary entries (民情日记 — 003 人大代表民情日记制度): a deputy's own record
// of a visit to a voter. 003 一: the deputy writes it in person, and the
// day's record is valid only once the visited voter has signed it (here: a
// signature drawn on the deputy's phone, or an SMS code the voter reads
// back). 003 二: at least 5 a month and 60 a year. An entry can become a
// case (channel diary) in one step.

// Diary statuses.
const (
	DiaryDraft     = "draft"     // written, not yet confirmed by the voter: the deputy may edit it
	DiaryConfirmed = "confirmed" // signed by the voter: locked (003: 方为有效)
)

// DiaryStatusNames are the Chinese names of the diary statuses.
var DiaryStatusNames = map[string]string{DiaryDraft: "待选民确认", DiaryConfirmed: "选民已确认"}

// How a voter confirmed an entry.
const (
	ConfirmSignature = "signature" // signed on the deputy's screen
	ConfirmSMS       = "sms"       // read back the code texted to their phone
)

// DiaryConfirmNames are the Chinese names of the ways of confirming.
var DiaryConfirmNames = map[string]string{ConfirmSignature: "选民手写签名", ConfirmSMS: "选民短信验证"}

// 003 二: 民情日记每月至少记录5次，全年不得少于60次.
const (
	DiaryPerMonth = 5
	DiaryPerYear  = 60
)

// MaxSignatureBytes bounds a signature image: a canvas PNG of a name is
// 10–60 KB.
const MaxSignatureBytes = 512 << 10

// DiaryEntry is one 民情日记 entry. Voter holds the visited voter's name,
// phone and address: masked (Masked true) unless the caller wrote the entry.
type DiaryEntry struct {
	ID          int64      `json:"id"`
	DeputyID    int64      `json:"deputy_id"`
	DeputyName  string     `json:"deputy_name"`
	RegionCode  string     `json:"region_code"`
	VisitedAt   time.Time  `json:"visited_at"` // Beijing time
	Place       string     `json:"place"`
	Voter       Submitter  `json:"voter"`
	Content     string     `json:"content"`  // 选民反映的情况
	Handling    string     `json:"handling"` // 代表的处理意见或建议
	Category    string     `json:"category"`
	Status      string     `json:"status"`
	ConfirmedBy string     `json:"confirmed_by,omitempty"` // signature | sms
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	CaseID      *int64     `json:"case_id"`
	CaseCode    string     `json:"case_tracking_code,omitempty"`
	CaseStatus  CaseStatus `json:"case_status,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// DiaryInput is a new entry (POST /api/v1/diary). VisitedAt is RFC 3339 or
// "2026-03-02T09:30" (Beijing). DeputyID is needed only by a user who is
// several deputies' account; an entry is always the caller's own.
type DiaryInput struct {
	DeputyID     int64  `json:"deputy_id,omitempty"`
	VisitedAt    string `json:"visited_at"`
	Place        string `json:"place"`
	VoterName    string `json:"voter_name"`
	VoterPhone   string `json:"voter_phone"`
	VoterAddress string `json:"voter_address"`
	Content      string `json:"content"`
	Handling     string `json:"handling"`
	Category     string `json:"category"`
}

// Validate trims and checks an entry's fields, with errors naming them.
func (in *DiaryInput) Validate() error {
	for _, p := range []*string{&in.VisitedAt, &in.Place, &in.VoterName, &in.VoterPhone, &in.VoterAddress, &in.Content, &in.Handling, &in.Category} {
		*p = strings.TrimSpace(*p)
	}
	var v Validator
	v.Require("visited_at", "走访时间", in.VisitedAt)
	v.Require("place", "走访地点", in.Place)
	v.MaxLen("place", "走访地点", in.Place, 200)
	v.Require("voter_name", "选民姓名", in.VoterName)
	v.MaxLen("voter_name", "选民姓名", in.VoterName, 50)
	v.Phone("voter_phone", "选民电话", in.VoterPhone)
	v.MaxLen("voter_address", "选民住址", in.VoterAddress, 200)
	v.Require("content", "选民反映的情况", in.Content)
	v.MaxLen("content", "选民反映的情况", in.Content, 5000)
	v.MaxLen("handling", "处理意见或建议", in.Handling, 5000)
	v.MaxLen("category", "类别", in.Category, 50)
	return v.Err
}

// DiaryUpdate edits an unconfirmed entry; nil fields are left as they are.
type DiaryUpdate struct {
	VisitedAt    *string `json:"visited_at"`
	Place        *string `json:"place"`
	VoterName    *string `json:"voter_name"`
	VoterPhone   *string `json:"voter_phone"`
	VoterAddress *string `json:"voter_address"`
	Content      *string `json:"content"`
	Handling     *string `json:"handling"`
	Category     *string `json:"category"`
	Version      int     `json:"version"`
}

// DiaryFilter selects entries inside the caller's scope; From and To bound
// the visit time.
type DiaryFilter struct {
	DeputyID int64
	Region   string
	From, To *time.Time
	Page
}

// DiaryCount is a deputy's confirmed entries in a month and in its year,
// against the norm of 003.
type DiaryCount struct {
	DeputyID    int64  `json:"deputy_id"`
	Name        string `json:"name"`
	RegionCode  string `json:"region_code"`
	Month       int    `json:"month"`       // confirmed entries visited in the month
	Year        int    `json:"year"`        // … in the year up to the end of the month
	Unconfirmed int    `json:"unconfirmed"` // entries of the month still waiting for the voter
}

// MonthOK reports whether the month meets the norm (5).
func (c DiaryCount) MonthOK() bool { return c.Month >= DiaryPerMonth }

// YearDue is how many entries the year needs by the end of month m: five
// a month so far, and 60 by December.
func YearDue(m int) int { return min(DiaryPerMonth*m, DiaryPerYear) }

// DiaryCountFilter selects the deputies of a count table: those in the
// caller's scope, under a region when given.
type DiaryCountFilter struct {
	Year, Month int
	Region      string
	DeputyID    int64
}

// DiaryService keeps deputies' diaries.
type DiaryService interface {
	CreateDiaryEntry(ctx context.Context, in DiaryInput) (*DiaryEntry, error)
	FindDiaryEntries(ctx context.Context, f DiaryFilter) ([]*DiaryEntry, int, error)
	FindDiaryEntryByID(ctx context.Context, id int64) (*DiaryEntry, error)
	// UpdateDiaryEntry edits an entry not yet confirmed (the deputy's own; version required).
	UpdateDiaryEntry(ctx context.Context, id int64, u DiaryUpdate) (*DiaryEntry, error)
	// SendDiaryCode texts a six-digit code to the voter's phone.
	SendDiaryCode(ctx context.Context, id int64) error
	ConfirmDiaryByCode(ctx context.Context, id int64, code string) (*DiaryEntry, error)
	// ConfirmDiaryBySignature keeps the voter's signature (a PNG) and confirms.
	ConfirmDiaryBySignature(ctx context.Context, id int64, signature []byte) (*DiaryEntry, error)
	DiarySignature(ctx context.Context, id int64) (*Photo, error)
	// DiaryToCase registers the entry as a case (channel diary), once.
	DiaryToCase(ctx context.Context, id int64) (*Case, error)
	// RevealDiaryVoter returns the voter's details unmasked, logging the reveal and its reason.
	// Beyond the policy's hourly number of reveals it is ETOOMANY.
	RevealDiaryVoter(ctx context.Context, id int64, reason RevealReason) (*Submitter, error)
	DiaryCounts(ctx context.Context, f DiaryCountFilter) ([]DiaryCount, error)
}

// ParseSignature reads a signature sent as a data URL
// ("data:image/png;base64,…") and checks it.
func ParseSignature(field, s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	const prefix = "data:image/png;base64,"
	if s == "" {
		return nil, FieldError(field, "请让选民签名。")
	}
	if !strings.HasPrefix(s, prefix) {
		return nil, FieldError(field, "签名须为PNG图片（data:image/png;base64,…）。")
	}
	if len(s) > base64.StdEncoding.EncodedLen(MaxSignatureBytes)+len(prefix) {
		return nil, Errorf(ETOOLARGE, "签名图片不能超过%dKB。", MaxSignatureBytes>>10)
	}
	data, err := base64.StdEncoding.DecodeString(s[len(prefix):])
	if err != nil {
		return nil, FieldError(field, "签名图片的编码不正确，请重新签名。")
	}
	return data, CheckSignature(field, data)
}

// CheckSignature checks that data is a PNG (by its bytes, as SniffPhoto
// does) of a sane size: not empty, not huge, and with the dimensions of a
// signature box.
func CheckSignature(field string, data []byte) error {
	if len(data) == 0 {
		return FieldError(field, "请让选民签名。")
	}
	if len(data) > MaxSignatureBytes {
		return Errorf(ETOOLARGE, "签名图片不能超过%dKB。", MaxSignatureBytes>>10)
	}
	ct, err := SniffPhoto(field, data)
	if err != nil || ct != "image/png" {
		return FieldError(field, "签名须为PNG图片。")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return FieldError(field, "签名图片已损坏，请重新签名。")
	}
	if cfg.Width < 50 || cfg.Height < 30 || cfg.Width > 4000 || cfg.Height > 4000 {
		return FieldError(field, "签名图片的尺寸不正确（宽50–4000、高30–4000像素）。")
	}
	return nil
}
