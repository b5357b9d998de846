package lianluo

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The deputy mailbox (代表信箱 — 004 三): each station's box is opened
// weekly (004 三 二: 每周开启一次) by the people who keep it — usually the
// deputy, or a liaison entrusted with it; 004 names no second witness, so
// one named opener is enough and more may be recorded. Each opening is
// logged with the letters found, each letter can become a case (channel
// mailbox), and the letters and their outcomes are summarised every
// quarter for the district (004 三 四: 每季度进行一次汇总整理…报区人大常委会).

// MailboxInterval is how often a box must be opened (004: weekly); a box
// not opened for longer is overdue.
const MailboxInterval = 7 * 24 * time.Hour

// Letter is one letter found at an opening. The writer's name, phone and
// address are optional and shown masked; an anonymous letter has none.
type Letter struct {
	ID            int64      `json:"id"`
	OpeningID     int64      `json:"opening_id"`
	StationID     int64      `json:"station_id"`
	WriterName    string     `json:"writer_name"`
	WriterPhone   string     `json:"writer_phone"`
	WriterAddress string     `json:"writer_address"`
	Anonymous     bool       `json:"anonymous"`
	Content       string     `json:"content"`
	Category      string     `json:"category"`
	CaseID        *int64     `json:"case_id"`
	CaseCode      string     `json:"case_tracking_code,omitempty"`
	CaseStatus    CaseStatus `json:"case_status,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Validate trims and checks a letter; i numbers it in the field names.
func (l *Letter) Validate(i int) error {
	for _, p := range []*string{&l.WriterName, &l.WriterPhone, &l.WriterAddress, &l.Content, &l.Category} {
		*p = strings.TrimSpace(*p)
	}
	if l.Anonymous {
		l.WriterName, l.WriterPhone, l.WriterAddress = "", "", ""
	}
	f := func(name string) string { return fmt.Sprintf("letters[%d].%s", i, name) }
	n := fmt.Sprintf("第%d封来信的", i+1)
	var v Validator
	v.Require(f("content"), n+"内容", l.Content)
	v.MaxLen(f("content"), n+"内容", l.Content, 5000)
	v.MaxLen(f("writer_name"), n+"来信人姓名", l.WriterName, 50)
	v.Phone(f("writer_phone"), n+"来信人电话", l.WriterPhone)
	v.MaxLen(f("writer_address"), n+"来信人地址", l.WriterAddress, 200)
	v.MaxLen(f("category"), n+"类别", l.Category, 50)
	return v.Err
}

// MailboxOpening is one logged opening of a station's box.
type MailboxOpening struct {
	ID          int64     `json:"id"`
	StationID   int64     `json:"station_id"`
	StationName string    `json:"station_name,omitempty"`
	OpenedAt    time.Time `json:"opened_at"`
	OpenedBy    []string  `json:"opened_by"`
	Note        string    `json:"note"`
	Letters     []*Letter `json:"letters"`
	CreatedAt   time.Time `json:"created_at"`
}

// OpeningInput is a new opening (POST /api/v1/stations/{id}/mailbox/openings).
// OpenedAt is RFC 3339 or "2026-03-02T09:30" (Beijing).
type OpeningInput struct {
	OpenedAt string   `json:"opened_at"`
	OpenedBy []string `json:"opened_by"`
	Note     string   `json:"note"`
	Letters  []Letter `json:"letters"`
}

// MaxLettersPerOpening bounds one registration.
const MaxLettersPerOpening = 100

// Validate trims and checks an opening and its letters.
func (in *OpeningInput) Validate() error {
	in.OpenedAt, in.Note = strings.TrimSpace(in.OpenedAt), strings.TrimSpace(in.Note)
	var names []string
	for _, n := range in.OpenedBy {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	in.OpenedBy = names
	var v Validator
	v.Require("opened_at", "开箱时间", in.OpenedAt)
	v.Check(len(names) > 0, "opened_by", "请填写开箱人姓名。")
	v.Check(len(names) <= 5, "opened_by", "开箱人最多5人。")
	for _, n := range names {
		v.MaxLen("opened_by", "开箱人姓名", n, 50)
	}
	v.MaxLen("note", "备注", in.Note, 1000)
	v.Check(len(in.Letters) <= MaxLettersPerOpening, "letters", "一次最多登记%d封来信。", MaxLettersPerOpening)
	if v.Err != nil {
		return v.Err
	}
	for i := range in.Letters {
		if err := in.Letters[i].Validate(i); err != nil {
			return err
		}
	}
	return nil
}

// MailboxStatus is a station's box at a glance: when it was last opened
// and whether it is overdue.
type MailboxStatus struct {
	StationID   int64      `json:"station_id"`
	StationName string     `json:"station_name"`
	RegionCode  string     `json:"region_code"`
	LastOpened  *time.Time `json:"last_opened_at"`
	Openings    int        `json:"openings"`
	Letters     int        `json:"letters"`
	Overdue     bool       `json:"overdue"`
	DaysSince   int        `json:"days_since"` // whole days since the last opening, or since the box was set up
}

// MailboxWait says how long a box has waited for its next opening at now,
// in whole days, and whether that is overdue (004: opened weekly). The
// wait runs from the last opening; a box never opened has waited since it
// was set up (its station's creation) — never opening it is the worst
// case of a late one, not an exemption.
func MailboxWait(lastOpened *time.Time, setUp, now time.Time) (days int, overdue bool) {
	from := setUp
	if lastOpened != nil {
		from = *lastOpened
	}
	wait := now.Sub(from)
	return int(max(wait, 0) / (24 * time.Hour)), wait > MailboxInterval
}

// Quarter is a calendar quarter (Beijing): 2026Q4.
type Quarter struct {
	Year, Q int
}

var quarterRe = regexp.MustCompile(`^([0-9]{4})[Qq]([1-4])$`)

// ParseQuarter reads "2026Q4".
func ParseQuarter(field, s string) (Quarter, error) {
	m := quarterRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Quarter{}, FieldError(field, "季度格式应为“2026Q4”。")
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	if y < 2000 || y > 2100 {
		return Quarter{}, FieldError(field, "季度的年份不正确。")
	}
	return Quarter{Year: y, Q: q}, nil
}

// QuarterOf is the quarter holding t (Beijing).
func QuarterOf(t time.Time) Quarter {
	t = t.In(Beijing)
	return Quarter{Year: t.Year(), Q: (int(t.Month())-1)/3 + 1}
}

func (q Quarter) String() string { return fmt.Sprintf("%dQ%d", q.Year, q.Q) }

// Text is "2026年第四季度".
func (q Quarter) Text() string {
	return fmt.Sprintf("%d年第%s季度", q.Year, []string{"", "一", "二", "三", "四"}[q.Q])
}

// Range is the quarter's first instant and the next quarter's (Beijing).
func (q Quarter) Range() (time.Time, time.Time) {
	from := time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, Beijing)
	return from, from.AddDate(0, 3, 0)
}

// Prev is the quarter before.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{q.Year - 1, 4}
	}
	return Quarter{q.Year, q.Q - 1}
}

// MailboxSummary is a quarter's summary of a station's (or a region's)
// boxes, for the report to the district (004 三 四): the letters received,
// those turned into cases, the cases answered and closed, by category,
// and the list of problems with how each stands.
type MailboxSummary struct {
	Quarter    string              `json:"quarter"`
	StationID  int64               `json:"station_id,omitempty"`
	Region     string              `json:"region,omitempty"`
	Scope      string              `json:"scope"` // the station's or region's name
	Openings   int                 `json:"openings"`
	Totals     MailboxSummaryRow   `json:"totals"`
	ByCategory []MailboxSummaryRow `json:"by_category"`
	Letters    []*Letter           `json:"letters"` // the quarter's letters, writers masked
}

// MailboxSummaryRow counts letters: received, turned into cases, cases
// answered (any answer the person got: on the spot, explained, not
// accepted with guidance, a unit's reply), and closed.
type MailboxSummaryRow struct {
	Category string `json:"category"`
	Letters  int    `json:"letters"`
	Cases    int    `json:"cases"`
	Answered int    `json:"answered"`
	Closed   int    `json:"closed"`
}

// AnsweredStatuses are the case statuses in which the person has had an answer.
var AnsweredStatuses = []CaseStatus{StatusAnswered, StatusNotAccepted, StatusExplained, StatusReplied, StatusAwaitingEvaluation,
	StatusSupervising, StatusClosed, StatusArchived}

// MailboxService keeps the deputy mailboxes.
type MailboxService interface {
	// RecordOpening logs an opening of a station's box with the letters found.
	RecordOpening(ctx context.Context, stationID int64, in OpeningInput) (*MailboxOpening, error)
	FindOpenings(ctx context.Context, stationID int64, p Page) ([]*MailboxOpening, int, error)
	// MailboxStatuses lists the boxes in the caller's scope (stationID 0: all).
	MailboxStatuses(ctx context.Context, stationID int64) ([]MailboxStatus, error)
	// LetterToCase registers a letter as a case (channel mailbox), once.
	LetterToCase(ctx context.Context, letterID int64) (*Case, error)
	// MailboxSummary summarises a quarter for a station (stationID) or a region.
	MailboxSummary(ctx context.Context, stationID int64, region string, q Quarter) (*MailboxSummary, error)
	// RemindMailboxes tells station staff of a box overdue for opening, once per overdue period.
	RemindMailboxes(ctx context.Context) (int, error)
}
