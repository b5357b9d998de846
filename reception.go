package lianluo

import (
	"context"
	"time"
)

// Receptions (接待活动 — 000 二, 001 二(二)–(四), 002 篇三 三(三)): a
// station's standing rule gives a year of dated sessions; deputies rotate
// through them on a published rota, are reminded, sign in, ask for leave;
// each session keeps its record.

// Reception statuses.
const (
	ReceptionDraft     = "draft"     // generated, not yet published: the office may regenerate it
	ReceptionPublished = "published" // on the public station page; deputies are reminded
	ReceptionCancelled = "cancelled"
)

// ReceptionStatusNames are the Chinese names of the reception statuses.
var ReceptionStatusNames = map[string]string{
	ReceptionDraft: "未发布", ReceptionPublished: "已发布", ReceptionCancelled: "已取消",
}

// Attendance of a deputy at a reception or an activity.
const (
	AttendScheduled = "scheduled"
	AttendPresent   = "present"
	AttendAbsent    = "absent"
	AttendLeave     = "leave" // leave approved
)

// AttendanceNames are the Chinese names of attendance.
var AttendanceNames = map[string]string{
	AttendScheduled: "待参加", AttendPresent: "已签到", AttendAbsent: "缺席", AttendLeave: "请假",
}

// Leave request statuses (请假).
const (
	LeavePending  = "pending"
	LeaveApproved = "approved"
	LeaveRejected = "rejected"
)

// LeaveStatusNames are the Chinese names of leave statuses.
var LeaveStatusNames = map[string]string{LeavePending: "待审批", LeaveApproved: "已批准", LeaveRejected: "未批准"}

// SignInEarly is how long before a session a deputy may sign in.
const SignInEarly = 30 * time.Minute

// ReceptionRule is a station's standing rule for receptions (接待制度),
// e.g. 每单月十五日上午 (000): an iCalendar RRULE with clock times, what to
// do on a public holiday, the form (定点/主题/预约/流动/上门/网上) and theme.
type ReceptionRule struct {
	ID          int64     `json:"id"`
	StationID   int64     `json:"station_id"`
	RRule       string    `json:"rrule"`
	Start       string    `json:"start"` // "09:00", Beijing time
	End         string    `json:"end"`
	OnHoliday   string    `json:"on_holiday"` // next_workday | skip
	Form        string    `json:"form"`
	Theme       string    `json:"theme"`
	Anchor      string    `json:"anchor"`      // YYYY-MM-DD the INTERVAL counts from; default 1 January of this year
	PerSession  int       `json:"per_session"` // deputies per session, at least 2 (001)
	Description string    `json:"description"` // the rule in Chinese words
	Active      bool      `json:"active"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	// Warnings, on a rule just saved, say what the station's active rules
	// together do not meet (001: at least one session every two months);
	// the rule is saved all the same.
	Warnings []string `json:"warnings,omitempty"`
}

// ReceptionRuleUpdate changes a rule; nil fields are left as they are.
type ReceptionRuleUpdate struct {
	RRule      *string `json:"rrule"`
	Start      *string `json:"start"`
	End        *string `json:"end"`
	OnHoliday  *string `json:"on_holiday"`
	Form       *string `json:"form"`
	Theme      *string `json:"theme"`
	Anchor     *string `json:"anchor"`
	PerSession *int    `json:"per_session"`
	Active     *bool   `json:"active"`
	Version    int     `json:"version"`
}

// Reception is one dated session at a station (接待活动).
type Reception struct {
	ID          int64             `json:"id"`
	StationID   int64             `json:"station_id"`
	StationName string            `json:"station_name,omitempty"`
	RuleID      *int64            `json:"rule_id"`
	StartsAt    time.Time         `json:"starts_at"` // Beijing time (+08:00)
	EndsAt      time.Time         `json:"ends_at"`
	Form        string            `json:"form"`
	Theme       string            `json:"theme"`
	Status      string            `json:"status"`
	MovedFrom   string            `json:"moved_from,omitempty"` // YYYY-MM-DD the rule gave, when moved off a holiday
	DeputyIDs   []int64           `json:"deputy_ids"`
	Deputies    []ReceptionDeputy `json:"deputies"`
	Record      *ReceptionRecord  `json:"record,omitempty"`
	CaseIDs     []int64           `json:"case_ids"` // cases registered during it
	Photos      int               `json:"photos"`
	Version     int               `json:"version"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// ReceptionDeputy is a deputy on a session: attendance and leave.
type ReceptionDeputy struct {
	DeputyID    int64      `json:"deputy_id"`
	Name        string     `json:"name"`
	Attendance  string     `json:"attendance"`
	SignedInAt  *time.Time `json:"signed_in_at,omitempty"`
	SignedBy    string     `json:"signed_by,omitempty"` // self (scanned the station's code) or staff
	LeaveReason string     `json:"leave_reason,omitempty"`
	LeaveStatus string     `json:"leave_status,omitempty"`
	LeaveAt     *time.Time `json:"leave_at,omitempty"`
}

// ReceptionRecord is what was done at a session (接待记录): visitors
// received, minutes, and the session's satisfaction check (满意度测评 — 001).
type ReceptionRecord struct {
	Visitors           int       `json:"visitors"`
	Minutes            string    `json:"minutes"`
	Satisfied          int       `json:"satisfied"`
	BasicallySatisfied int       `json:"basically_satisfied"`
	Unsatisfied        int       `json:"unsatisfied"`
	RecordedAt         time.Time `json:"recorded_at"`
}

// Validate checks a record.
func (r *ReceptionRecord) Validate() error {
	var v Validator
	v.Check(r.Visitors >= 0 && r.Visitors <= 10000, "visitors", "接待人数应为0到10000。")
	v.MaxLen("minutes", "接待记录", r.Minutes, 10000)
	v.Check(r.Satisfied >= 0 && r.BasicallySatisfied >= 0 && r.Unsatisfied >= 0, "satisfied", "满意度测评人数不能为负数。")
	v.Check(r.Satisfied+r.BasicallySatisfied+r.Unsatisfied <= r.Visitors || r.Visitors == 0, "satisfied", "参加测评的人数不能多于接待人数。")
	return v.Err
}

// ReceptionUpdate is the office's adjustment of one session: swap, add or
// remove deputies, move it (AttendanceService.Cancel cancels it). Version is required.
type ReceptionUpdate struct {
	DeputyIDs *[]int64 `json:"deputy_ids"`
	StartsAt  *string  `json:"starts_at"` // RFC 3339, or "2026-05-15T09:00" Beijing
	EndsAt    *string  `json:"ends_at"`
	Form      *string  `json:"form"`
	Theme     *string  `json:"theme"`
	Version   int      `json:"version"`
}

// ReceptionFilter selects receptions inside the caller's scope.
type ReceptionFilter struct {
	StationID int64
	DeputyID  int64
	Status    string
	From, To  *time.Time
	Page
}

// RotaProblem is one constraint a rota does not meet, in plain words for the office.
type RotaProblem struct {
	Code     string     `json:"code"`
	Message  string     `json:"message"`
	DeputyID int64      `json:"deputy_id,omitempty"`
	StartsAt *time.Time `json:"starts_at,omitempty"`
}

// Rota is a station's year of sessions with what it cannot meet.
type Rota struct {
	Sessions []*Reception  `json:"sessions"`
	Problems []RotaProblem `json:"problems"`
}

// Unavailability is a deputy's declared absence (出差、住院…): no turns then.
type Unavailability struct {
	ID       int64  `json:"id"`
	DeputyID int64  `json:"deputy_id"`
	From     string `json:"from"` // YYYY-MM-DD
	To       string `json:"to"`
	Reason   string `json:"reason"`
}

// AttendanceRow is one deputy's attendance at receptions in a year.
type AttendanceRow struct {
	DeputyID  int64  `json:"deputy_id"`
	Name      string `json:"name"`
	Stations  string `json:"stations"`
	Scheduled int    `json:"scheduled"` // sessions held (past, not cancelled) they were on
	Present   int    `json:"present"`
	Leave     int    `json:"leave"`
	Absent    int    `json:"absent"`

	// Activities (代表活动) held they were invited to, and how they took part.
	Activities        int `json:"activities"`
	ActivitiesPresent int `json:"activities_present"`
	ActivitiesLeave   int `json:"activities_leave"`
	ActivitiesAbsent  int `json:"activities_absent"`
}

// Add counts n occasions of kind at which the deputy's attendance was
// attendance, once they have ended: one still "scheduled" counts as absent.
func (r *AttendanceRow) Add(kind OccasionKind, attendance string, n int) {
	total, present, leave, absent := &r.Scheduled, &r.Present, &r.Leave, &r.Absent
	if kind == KindActivity {
		total, present, leave, absent = &r.Activities, &r.ActivitiesPresent, &r.ActivitiesLeave, &r.ActivitiesAbsent
	}
	*total += n
	switch attendance {
	case AttendPresent:
		*present += n
	case AttendLeave:
		*leave += n
	default:
		*absent += n
	}
}

// Rate is the share present of the sessions held, in percent (0 when none).
func (r AttendanceRow) Rate() int {
	if r.Scheduled == 0 {
		return 0
	}
	return r.Present * 100 / r.Scheduled
}

// AttendanceFilter selects the rows of an attendance table.
type AttendanceFilter struct {
	Year      int
	StationID int64
	Region    string
}

// AttendanceNotice is a deputy's yearly 出勤情况通报 (002: 书面通报给每位
// 代表，让代表们不仅了解自己活动出席情况，同时也了解其他代表的活动出席情况):
// their own record over all their stations, and each station's table.
type AttendanceNotice struct {
	Year     int                     `json:"year"`
	DeputyID int64                   `json:"deputy_id"`
	Name     string                  `json:"name"`
	Partial  bool                    `json:"partial"` // the year is not over: counted so far
	Own      AttendanceRow           `json:"own"`
	Stations []AttendanceNoticeTable `json:"stations"`
}

// AttendanceNoticeTable is one of the deputy's stations with its deputies' rows.
type AttendanceNoticeTable struct {
	StationID int64           `json:"station_id"`
	Name      string          `json:"name"`
	Rows      []AttendanceRow `json:"rows"`
}

// AttendanceNoticeScope chooses the deputies of SendAttendanceNotices: the
// year, and one station or (0) every station the caller manages.
type AttendanceNoticeScope struct {
	Year      int   `json:"year"`
	StationID int64 `json:"station_id,omitempty"`
}

// ReceptionService runs receptions.
type ReceptionService interface {
	CreateReceptionRule(ctx context.Context, r *ReceptionRule) error
	FindReceptionRules(ctx context.Context, stationID int64) ([]*ReceptionRule, error)
	UpdateReceptionRule(ctx context.Context, id int64, u ReceptionRuleUpdate) (*ReceptionRule, error)
	// GenerateRota makes (or remakes the unpublished future part of) a
	// station's sessions for a year and assigns deputies.
	GenerateRota(ctx context.Context, stationID int64, year int) (*Rota, error)
	// PublishRota publishes the drafts of a year and tells each deputy their
	// turns. It refuses a year with too few sessions for every deputy to
	// take a turn: the office adds sessions (AddRotaSessions) or accepts
	// (PublishRotaAccepting).
	PublishRota(ctx context.Context, stationID int64, year int) (int, error)
	// PublishRotaAccepting publishes like PublishRota although the year has
	// too few sessions for every deputy, recording the office's acceptance
	// in the station's history.
	PublishRotaAccepting(ctx context.Context, stationID int64, year int) (int, error)
	// AddRotaSessions adds dated extra sessions (drafts, at the times of the
	// station's first active rule, on the remaining working days of the
	// year) until every deputy can take a turn, and assigns the year's
	// future drafts again.
	AddRotaSessions(ctx context.Context, stationID int64, year int) (*Rota, error)
	// CheckRota lists what the station's rota for a year does not meet.
	CheckRota(ctx context.Context, stationID int64, year int) ([]RotaProblem, error)
	FindReceptions(ctx context.Context, f ReceptionFilter) ([]*Reception, int, error)
	FindReceptionByID(ctx context.Context, id int64) (*Reception, error)
	UpdateReception(ctx context.Context, id int64, u ReceptionUpdate) (*Reception, error)
	// CurrentReception is the session at a station the calling deputy may sign in to now.
	CurrentReception(ctx context.Context, stationID int64) (*Reception, error)
	RecordReception(ctx context.Context, id int64, version int, rec ReceptionRecord) (*Reception, error)
	AddUnavailability(ctx context.Context, u *Unavailability) error
	FindUnavailability(ctx context.Context, deputyID int64) ([]Unavailability, error)
	DeleteUnavailability(ctx context.Context, id int64) error
	Attendance(ctx context.Context, f AttendanceFilter) ([]AttendanceRow, error)
	// SendAttendanceNotice tells a deputy their year's attendance (002:
	// 书面通报给每位代表), in-app and by SMS, and returns the text sent.
	SendAttendanceNotice(ctx context.Context, deputyID int64, year int) (string, error)
	// SendAttendanceNotices sends the year's notice to every in-office
	// deputy of the stations in scope the caller manages (one station with
	// StationID), once per deputy per call however many of those stations
	// they serve, and returns how many were sent.
	SendAttendanceNotices(ctx context.Context, s AttendanceNoticeScope) (int, error)
	// AttendanceNotice is a deputy's notice for a year, as printed and sent.
	AttendanceNotice(ctx context.Context, deputyID int64, year int) (*AttendanceNotice, error)
	// PublicReceptions lists a station's published sessions from a time (no login).
	PublicReceptions(ctx context.Context, stationID int64, from time.Time, limit int) ([]*Reception, error)
	// FeedURLToken returns the secret token of the calendar feed of a deputy
	// ("deputy") or a station ("station"), creating it on first use.
	FeedToken(ctx context.Context, kind string, id int64) (string, error)
	// Feed returns the events of a feed token (no login: the token is the secret).
	Feed(ctx context.Context, token string) (*Feed, error)
}

// Feed is an iCalendar feed's content.
type Feed struct {
	Name   string      `json:"name"`
	Events []FeedEvent `json:"events"`
}

// FeedEvent is one event of a feed.
type FeedEvent struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	Updated     time.Time
	Cancelled   bool
}

// AttendanceName is how a deputy's attendance reads: one still scheduled
// once the session has ended was absent, as the attendance counts take it.
func AttendanceName(attendance string, ended bool) string {
	if attendance == AttendScheduled && ended {
		return AttendanceNames[AttendAbsent]
	}
	return AttendanceNames[attendance]
}
