package lianluo

import (
	"strings"
	"time"
)

// The case workflow's deadlines (docs/workflow.md, "Deadlines"): reading a
// due date, the default reply and approval deadlines, the limit of an
// extension, and how a deadline reads. The store and the pages use them,
// and DecideStep.

// ParseDueDate reads a YYYY-MM-DD Beijing date as the end of that day; a
// date before today (at now) is refused.
func ParseDueDate(field, value string, now time.Time) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(value), Beijing)
	if err != nil {
		return time.Time{}, FieldError(field, "日期格式应为 2026-03-31。")
	}
	today := now.In(Beijing)
	if d.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, Beijing)) {
		return time.Time{}, FieldError(field, "日期不能早于今天。")
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, Beijing).UTC(), nil
}

// DefaultReplyDue is the reply deadline of a case assigned, or sent into a
// new round, at now: the policy's working days on the calendar.
func DefaultReplyDue(pol Policy, cal *Calendar, now time.Time) time.Time {
	return cal.AddWorkdays(now, pol.ReplyWorkdays)
}

// ApprovalDue is the deadline to assign a case submitted for approval at
// now (000: assign within ten days of submission).
func ApprovalDue(pol Policy, cal *Calendar, now time.Time) time.Time {
	return cal.AddDays(now, pol.ApprovalDays)
}

// ExtensionLimit is the handling deadline an extension is counted from
// (the original one, before any extension) and the latest date it may
// reach (003: one extension of at most a month); nil when the case has no
// deadline.
func ExtensionLimit(c *Case, pol Policy) (orig, latest *time.Time) {
	orig = c.OriginalDue
	if orig == nil {
		orig = c.DueDate
	}
	if orig == nil {
		return nil, nil
	}
	l := orig.In(Beijing).AddDate(0, pol.ExtensionMonths, 0)
	return orig, &l
}

// ArchiveYear is the year a case is archived under: the year it closed.
func ArchiveYear(c *Case, now time.Time) int {
	closed := now
	if c.ClosedAt != nil {
		closed = *c.ClosedAt
	}
	return closed.In(Beijing).Year()
}

// DueText is a deadline as the notices and history show it.
func DueText(t *time.Time) string {
	if t == nil {
		return "未定"
	}
	return t.In(Beijing).Format("2006-01-02")
}
