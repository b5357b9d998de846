package lianluo

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Exports of cases (意见导出): every case of a list's filter in the caller's
// scope, one row each, for the office's own spreadsheets. docs/statistics.md
// ("Exports") describes the columns, the masking and the audit.

// CaseExportRow is one case as the export writes it. The store fills it and
// calls Mask before handing it on, so no personal data leaves unmasked.
type CaseExportRow struct {
	ID           int64
	RegisteredAt time.Time // 受理日期
	Channel      string    // a ChannelNames key
	StationName  string
	RegionName   string
	Category     string
	Title        string
	Content      string
	Status       CaseStatus
	LeadUnit     string // the current lead unit's name, "" if none
	DueDate      *time.Time
	ReplyResult  string // the latest unit reply's class (A, B, C), "" if none
	ReplyContent string
	DeputyRating string // the latest deputy's rating (a RatingNames key)
	VoterRating  string // the latest voter's rating
	TrackingCode string // 查询码
	Submitter    string // 反映人, masked by Mask
}

// MaxExportReply bounds the reply text in an export cell: the class and the
// gist are what a spreadsheet needs; the case page has the whole text.
const MaxExportReply = 500

// Mask hides the submitter's personal data in the row (docs/design.md): an
// export leaves the system as a file, so it is masked for every reader,
// office included (a reveal stays a separate, logged request on the case
// page). The name keeps only the surname (张*), or is withheld altogether
// for a confidential case; phone, ID and landline numbers written into the
// title, content or reply are masked as /results masks them, and so are the
// submitter's own name and address (MaskSubmitterIn).
func (r *CaseExportRow) Mask(s Submitter, confidential bool) {
	mask := func(t string) string { return MaskText(MaskSubmitterIn(t, s)) }
	r.Title, r.Content, r.ReplyContent = mask(r.Title), mask(r.Content), mask(r.ReplyContent)
	if utf8.RuneCountInString(r.ReplyContent) > MaxExportReply {
		r.ReplyContent = string([]rune(r.ReplyContent)[:MaxExportReply]) + "…"
	}
	switch {
	case confidential:
		r.Submitter = "（为反映人保密）"
	default:
		r.Submitter = MaskName(strings.TrimSpace(s.Name))
	}
}

// CaseExportRoles may export cases: the staff who answer for the cases of a
// scope — administrators, the NPC office and leaders, station heads and
// liaisons — the same who see the statistics (StatsRoles). Each exports
// what their case list shows. Deputies and unit handlers may list the few
// cases they received or handle, but a file of every voter's matters is
// office work, so they may not (case_rules.go: deputies do not handle
// matters; units see only what was assigned to them).
var CaseExportRoles = StatsRoles

// CanExportCases reports whether the actor may export cases.
func CanExportCases(a *Actor) bool { return a != nil && a.HasAny(CaseExportRoles...) }

// ExportBatch is how many cases the store reads per query while exporting:
// big enough that a million rows take 500 queries, small enough that a
// batch is a few megabytes and no query holds the database for long.
const ExportBatch = 2000

// Text describes the filter in Chinese for the audit trail: "状态：办理中；
// 地区：330206004；登记日期：2026-01-01至2026-03-31", or "全部".
func (f CaseFilter) Text() string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+"："+v)
		}
	}
	var names []string
	for _, s := range f.Status {
		names = append(names, StatusNames[s])
	}
	add("状态", strings.Join(names, "、"))
	if f.StationID != 0 {
		add("联络站编号", fmt.Sprint(f.StationID))
	}
	if f.UnitID != 0 {
		add("承办单位编号", fmt.Sprint(f.UnitID))
	}
	if f.OrgID != 0 {
		add("人大机构编号", fmt.Sprint(f.OrgID))
	}
	add("类别", f.Category)
	add("地区", f.Region)
	add("关键词", f.Q)
	add("待办", f.Todo)
	if f.Overdue {
		add("超期", "是")
	}
	switch from, to := f.From, f.To; {
	case from != nil && to != nil:
		add("登记日期", bjDay(*from)+"至"+bjDay(to.AddDate(0, 0, -1)))
	case from != nil:
		add("登记日期", bjDay(*from)+"起")
	case to != nil:
		add("登记日期", "至"+bjDay(to.AddDate(0, 0, -1)))
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, "；")
}

func bjDay(t time.Time) string { return t.In(Beijing).Format(time.DateOnly) }
