package lianluo

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Activities (代表活动 — 003 活动制度、代表小组活动制度): study, training,
// inspections, research, law enforcement checks, forums, evaluations of
// departments, reports to voters and deputy group meetings. A station (or,
// for a group meeting, a deputy group) organises one, gives notice ahead,
// invites deputies, keeps their attendance and leave, and records it.

// Activity kinds.
const (
	ActivityStudy        = "study"         // 学习
	ActivityTraining     = "training"      // 培训
	ActivityInspection   = "inspection"    // 视察
	ActivityResearch     = "research"      // 调研
	ActivityLawCheck     = "law_check"     // 执法检查
	ActivityForum        = "forum"         // 座谈
	ActivityAppraisal    = "appraisal"     // 评议（站所、部门工作评议）
	ActivityReport       = "report"        // 述职（代表向选民述职）
	ActivityGroupMeeting = "group_meeting" // 代表小组活动
	// Kinds a deputy group organises for its 六个一 (003 人大代表小组开展
	// “六个一”活动制度; six_ones.go).
	ActivityVoterTalk     = "voter_talk"     // 民情恳谈
	ActivityOpinionReview = "opinion_review" // 会前建议、批评和意见筛选整理
	ActivityDutyReview    = "duty_review"    // 履职总结和经验交流
)

// ActivityKinds lists the kinds in the order forms show them.
var ActivityKinds = []string{ActivityStudy, ActivityTraining, ActivityInspection, ActivityResearch, ActivityLawCheck,
	ActivityForum, ActivityAppraisal, ActivityReport, ActivityGroupMeeting, ActivityVoterTalk, ActivityOpinionReview, ActivityDutyReview}

// ActivityKindNames are the Chinese names of the kinds.
var ActivityKindNames = map[string]string{
	ActivityStudy: "学习", ActivityTraining: "培训", ActivityInspection: "视察", ActivityResearch: "调研",
	ActivityLawCheck: "执法检查", ActivityForum: "座谈", ActivityAppraisal: "评议", ActivityReport: "述职",
	ActivityGroupMeeting: "代表小组活动", ActivityVoterTalk: "民情恳谈", ActivityOpinionReview: "建议批评意见筛选整理",
	ActivityDutyReview: "履职总结和经验交流",
}

// Activity statuses.
const (
	ActivityDraft     = "draft"     // being prepared: not yet notified
	ActivityPublished = "published" // notice given: deputies told, on the public station page
	ActivityCancelled = "cancelled"
	ActivityDone      = "done" // held and recorded
)

// ActivityStatusNames are the Chinese names of the statuses.
var ActivityStatusNames = map[string]string{
	ActivityDraft: "未发布", ActivityPublished: "已发布", ActivityCancelled: "已取消", ActivityDone: "已完成",
}

// NoticeDays is how many days ahead an activity of a kind must be notified:
// 003 活动制度 四: 代表活动一个星期之前通知代表并向社会公布; 代表小组活动制度
// 三: 小组组长应在开展活动的3日前通知本组全体代表.
func NoticeDays(kind string) int {
	if kind == ActivityGroupMeeting {
		return 3
	}
	return 7
}

// CheckNotice refuses to publish an activity starting less than its notice
// period after now.
func CheckNotice(kind string, startsAt, now time.Time) error {
	days := NoticeDays(kind)
	if startsAt.Before(now.Add(time.Duration(days) * 24 * time.Hour)) {
		what := "代表活动应至少提前7天（一个星期）通知代表并向社会公布"
		if kind == ActivityGroupMeeting {
			what = "代表小组活动应至少提前3天通知本组代表"
		}
		return FieldError("starts_at", "%s；开始时间（%s）距现在不足%d天，请推迟开始时间后再发布。",
			what, startsAt.In(Beijing).Format("2006-01-02 15:04"), days)
	}
	return nil
}

// Activity is a 代表活动 organised by a station or a deputy group.
type Activity struct {
	ID          int64            `json:"id"`
	Kind        string           `json:"kind"`
	Title       string           `json:"title"`
	Content     string           `json:"content"` // theme and content (活动内容)
	Place       string           `json:"place"`
	StationID   *int64           `json:"station_id"` // organiser, or the place of a group meeting
	StationName string           `json:"station_name,omitempty"`
	GroupID     *int64           `json:"group_id"` // organiser of a group meeting
	GroupName   string           `json:"group_name,omitempty"`
	RegionCode  string           `json:"region_code"`
	StartsAt    time.Time        `json:"starts_at"` // Beijing time (+08:00)
	EndsAt      time.Time        `json:"ends_at"`
	Status      string           `json:"status"`
	PublishedAt *time.Time       `json:"published_at,omitempty"`
	DeputyIDs   []int64          `json:"deputy_ids"`
	Deputies    []ActivityDeputy `json:"deputies"`
	Record      *ActivityRecord  `json:"record,omitempty"`
	CaseIDs     []int64          `json:"case_ids"`
	Photos      int              `json:"photos"`
	Version     int              `json:"version"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

// Organiser names who organises the activity.
func (a *Activity) Organiser() string {
	if a.GroupName != "" {
		return a.GroupName
	}
	return a.StationName
}

// ActivityDeputy is an invited deputy: attendance and leave, as at receptions.
type ActivityDeputy = ReceptionDeputy

// ActivityRecord is what an activity did (活动登记): minutes and the
// suggestions raised there, as text.
type ActivityRecord struct {
	Minutes    string    `json:"minutes"`
	Outcomes   string    `json:"outcomes"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Validate checks a record.
func (r *ActivityRecord) Validate() error {
	r.Minutes, r.Outcomes = strings.TrimSpace(r.Minutes), strings.TrimSpace(r.Outcomes)
	var v Validator
	v.Require("minutes", "活动记录", r.Minutes)
	v.MaxLen("minutes", "活动记录", r.Minutes, 20000)
	v.MaxLen("outcomes", "提出的意见建议", r.Outcomes, 10000)
	return v.Err
}

// ActivityInput is a new activity. Times are RFC 3339 or "2026-05-15T09:00" (Beijing).
type ActivityInput struct {
	Kind      string  `json:"kind"`
	Title     string  `json:"title"`
	Content   string  `json:"content"`
	Place     string  `json:"place"`
	StationID *int64  `json:"station_id"`
	GroupID   *int64  `json:"group_id"`
	StartsAt  string  `json:"starts_at"`
	EndsAt    string  `json:"ends_at"`
	DeputyIDs []int64 `json:"deputy_ids"`
}

// ActivityUpdate changes an activity that has not ended; nil fields stay.
// Version is required.
type ActivityUpdate struct {
	Title     *string  `json:"title"`
	Content   *string  `json:"content"`
	Place     *string  `json:"place"`
	StartsAt  *string  `json:"starts_at"`
	EndsAt    *string  `json:"ends_at"`
	DeputyIDs *[]int64 `json:"deputy_ids"`
	Version   int      `json:"version"`
}

// ActivityFilter selects activities inside the caller's scope.
type ActivityFilter struct {
	StationID int64
	GroupID   int64
	DeputyID  int64
	Kind      string
	Status    string
	From, To  *time.Time
	Page
}

// ActivityService runs activities.
type ActivityService interface {
	CreateActivity(ctx context.Context, in ActivityInput) (*Activity, error)
	FindActivities(ctx context.Context, f ActivityFilter) ([]*Activity, int, error)
	FindActivityByID(ctx context.Context, id int64) (*Activity, error)
	UpdateActivity(ctx context.Context, id int64, u ActivityUpdate) (*Activity, error)
	// PublishActivity gives notice: at least NoticeDays ahead; it tells
	// every invited deputy and shows the activity on the public station page.
	PublishActivity(ctx context.Context, id int64, version int) (*Activity, error)
	// RecordActivity keeps the minutes and outcomes; the activity is done.
	RecordActivity(ctx context.Context, id int64, version int, rec ActivityRecord) (*Activity, error)
	// PublicActivities lists a station's published activities from a time (no login).
	PublicActivities(ctx context.Context, stationID int64, from time.Time, limit int) ([]*Activity, error)
	// ActivityYear measures each station in scope (in region, when given)
	// against the activity norm of a year, counting activities held so far.
	ActivityYear(ctx context.Context, year int, region string) ([]StationActivityYear, error)
}

// The activity norm of 003 (三): 每季度组织一至二次，全年不少于六次，代表参与率不低于90%.
const (
	MinActivitiesYear    = 6
	MinActivitiesQuarter = 1
	MinParticipation     = 90 // percent
)

// StationActivityYear is what a station's activities came to in a year:
// those held (published or done, ended, not cancelled) that it organised.
type StationActivityYear struct {
	StationID   int64  `json:"station_id"`
	StationName string `json:"station_name"`
	Quarters    [4]int `json:"quarters"` // held per quarter
	Held        int    `json:"held"`
	Invitations int    `json:"invitations"` // deputy places at them
	Present     int    `json:"present"`
}

// Rate is the deputies' participation in percent (0 when none invited).
func (y StationActivityYear) Rate() int {
	if y.Invitations == 0 {
		return 0
	}
	return y.Present * 100 / y.Invitations
}

// Shortfalls says in words where the year falls short of the norm; ended
// is how many of its quarters have ended (4 for a past year), so a quarter
// under way or still to come is not held against the station.
func (y StationActivityYear) Shortfalls(ended int) []string {
	var out []string
	if ended >= 4 && y.Held < MinActivitiesYear {
		out = append(out, fmt.Sprintf("全年%d次，少于%d次", y.Held, MinActivitiesYear))
	}
	for q := 0; q < ended && q < 4; q++ {
		if y.Quarters[q] < MinActivitiesQuarter {
			out = append(out, fmt.Sprintf("第%s季度未组织活动", quarterNames[q]))
		}
	}
	if y.Invitations > 0 && y.Rate() < MinParticipation {
		out = append(out, fmt.Sprintf("代表参与率%d%%，低于%d%%", y.Rate(), MinParticipation))
	}
	return out
}

var quarterNames = [4]string{"一", "二", "三", "四"}
