package lianluo

import (
	"strings"
	"testing"
	"time"
)

func TestAttendanceRules(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC) // 09:00 Beijing
	o := Occasion{Noun: "活动", Published: true, StartsAt: start, EndsAt: start.Add(2 * time.Hour)}
	draft := o
	draft.Published, draft.StatusName = false, "尚未发布"
	signed := start.Add(-10 * time.Minute)
	before, during, after := start.Add(-time.Hour), start.Add(30*time.Minute), start.Add(3*time.Hour)

	for _, tt := range []struct {
		name string
		o    Occasion
		me   Invitee
		now  time.Time
		want string // "" or part of the refusal
	}{
		{"on time", o, Invitee{Attendance: AttendScheduled}, during, ""},
		{"30 minutes early", o, Invitee{Attendance: AttendScheduled}, start.Add(-SignInEarly), ""},
		{"too early", o, Invitee{Attendance: AttendScheduled}, before, "还没到签到时间：活动开始前30分钟（3月10日08:30）"},
		{"after the end", o, Invitee{Attendance: AttendScheduled}, after, "已经结束（3月10日11:00）"},
		{"not published", draft, Invitee{Attendance: AttendScheduled}, during, "这次活动尚未发布，不能签到"},
		{"twice", o, Invitee{Attendance: AttendPresent, SignedInAt: &signed}, during, "您已经签到过了（08:50）"},
		// Decided: a deputy on approved leave who comes after all signs in.
		{"on approved leave", o, Invitee{Attendance: AttendLeave, LeaveStatus: LeaveApproved}, during, ""},
	} {
		err := CheckSignIn(tt.o, tt.me, tt.now)
		if got := ErrorMessage(err); (tt.want == "") != (err == nil) || !strings.Contains(got, tt.want) {
			t.Errorf("CheckSignIn(%s) = %v; want %q", tt.name, err, tt.want)
		}
	}

	for _, tt := range []struct {
		name string
		o    Occasion
		me   Invitee
		now  time.Time
		want string
	}{
		{"before it starts", o, Invitee{Attendance: AttendScheduled}, before, ""},
		{"after a rejection", o, Invitee{Attendance: AttendScheduled, LeaveStatus: LeaveRejected}, before, ""},
		{"once it started", o, Invitee{Attendance: AttendScheduled}, during, "活动已经开始，不能再请假"},
		{"pending already", o, Invitee{LeaveStatus: LeavePending}, before, "您已经请过假了（待审批）"},
		{"approved already", o, Invitee{Attendance: AttendLeave, LeaveStatus: LeaveApproved}, before, "您已经请过假了"},
		{"signed in", o, Invitee{Attendance: AttendPresent}, start.Add(-time.Minute), "您已经签到，不需要请假"},
		{"not published", draft, Invitee{}, before, "这次活动尚未发布，不能请假"},
	} {
		err := CheckLeaveRequest(tt.o, tt.me, tt.now)
		if got := ErrorMessage(err); (tt.want == "") != (err == nil) || !strings.Contains(got, tt.want) {
			t.Errorf("CheckLeaveRequest(%s) = %v; want %q", tt.name, err, tt.want)
		}
	}

	if s, a, v, err := DecideLeave(Invitee{Attendance: AttendScheduled, LeaveStatus: LeavePending}, true); err != nil || s != LeaveApproved || a != AttendLeave || v != "已批准" {
		t.Errorf("approve = %s %s %s %v", s, a, v, err)
	}
	if s, a, v, err := DecideLeave(Invitee{Attendance: AttendScheduled, LeaveStatus: LeavePending}, false); err != nil || s != LeaveRejected || a != AttendScheduled || v != "未批准" {
		t.Errorf("reject = %s %s %s %v", s, a, v, err)
	}
	if _, _, _, err := DecideLeave(Invitee{LeaveStatus: LeaveApproved}, true); ErrorCode(err) != ESTATE {
		t.Errorf("deciding a decided leave: %v; want invalid_state", err)
	}

	held := o
	held.Published, held.Held = false, true
	for _, tt := range []struct {
		name       string
		o          Occasion
		attendance string
		now        time.Time
		want       string
	}{
		{"present during", o, AttendPresent, during, ""},
		{"absent after", o, AttendAbsent, after, ""},
		{"corrected once held", held, AttendPresent, after, ""},
		{"back to scheduled early", o, AttendScheduled, before, ""},
		{"present before it starts", o, AttendPresent, before, "活动还没开始"},
		{"leave is a request", o, AttendLeave, during, "请假请走请假审批"},
		{"unknown", o, "maybe", during, "请选择出席、缺席或待参加"},
		{"a draft", draft, AttendPresent, during, "只有已发布的活动可以登记出席"},
	} {
		err := CheckMarkAttendance(tt.o, tt.attendance, tt.now)
		if got := ErrorMessage(err); (tt.want == "") != (err == nil) || !strings.Contains(got, tt.want) {
			t.Errorf("CheckMarkAttendance(%s) = %v; want %q", tt.name, err, tt.want)
		}
	}
}

func TestCheckAddToRecord(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		o    Occasion
		ok   bool
	}{
		{"published", Occasion{Noun: "接待", Published: true}, true},
		{"held and recorded", Occasion{Noun: "活动", Held: true}, true},
		{"a draft", Occasion{Noun: "活动"}, false},
		{"cancelled", Occasion{Noun: "接待", StatusName: "已取消"}, false},
	} {
		err := CheckAddToRecord(tt.o)
		if (err == nil) != tt.ok {
			t.Errorf("CheckAddToRecord(%s) = %v; want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && !strings.Contains(ErrorMessage(err), tt.o.Noun) {
			t.Errorf("CheckAddToRecord(%s) = %q; want it to name the %s", tt.name, ErrorMessage(err), tt.o.Noun)
		}
	}
}

func TestCheckCancel(t *testing.T) {
	t.Parallel()
	o := Occasion{Noun: "接待", Published: true}
	cancelled, held := o, o
	cancelled.Published, cancelled.Cancelled = false, true
	held.Held = true
	waiting := []Invitee{{Attendance: AttendScheduled}, {Attendance: AttendLeave, LeaveStatus: LeaveApproved}}
	for _, tt := range []struct {
		name     string
		o        Occasion
		invitees []Invitee
		want     string
	}{
		{"published", o, waiting, ""},
		{"draft", Occasion{Noun: "活动"}, nil, ""},
		{"cancelled", cancelled, waiting, "这次接待已经取消了"},
		{"held", held, waiting, "已经举行并有记录"},
		{"someone came", o, append(waiting, Invitee{Attendance: AttendPresent}), "已有代表签到出席"},
	} {
		err := CheckCancel(tt.o, tt.invitees)
		if got := ErrorMessage(err); (tt.want == "") != (err == nil) || !strings.Contains(got, tt.want) {
			t.Errorf("CheckCancel(%s) = %v; want %q", tt.name, err, tt.want)
		}
	}
}

func TestAttendanceRowAdd(t *testing.T) {
	t.Parallel()
	var r AttendanceRow
	r.Add(KindReception, AttendPresent, 3)
	r.Add(KindReception, AttendLeave, 1)
	r.Add(KindReception, AttendScheduled, 2) // ended and never marked: absent
	r.Add(KindActivity, AttendPresent, 1)
	r.Add(KindActivity, AttendAbsent, 1)
	want := AttendanceRow{Scheduled: 6, Present: 3, Leave: 1, Absent: 2, Activities: 2, ActivitiesPresent: 1, ActivitiesAbsent: 1}
	if r != want {
		t.Errorf("rows = %+v; want %+v", r, want)
	}
	if r.Rate() != 50 {
		t.Errorf("Rate = %d; want 50", r.Rate())
	}
}

func TestReminderDue(t *testing.T) {
	t.Parallel()
	starts := time.Date(2026, 5, 20, 1, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	at := func(d time.Duration) time.Time { return starts.Add(-d) }
	for _, tt := range []struct {
		name string
		kind OccasionKind
		now  time.Time
		last *time.Time
		when string // "" when none is due
	}{
		{"reception, 8 days ahead", KindReception, at(8 * day), nil, ""},
		{"reception, a week ahead", KindReception, at(7 * day), nil, "一周后"},
		{"reception, week stage given", KindReception, at(6 * day), ptrTime(at(7 * day)), ""},
		{"reception, three days", KindReception, at(3 * day), ptrTime(at(7 * day)), "三天后"},
		{"reception, published late", KindReception, at(20 * time.Hour), nil, "明天"},
		{"reception, day stage given", KindReception, at(2 * time.Hour), ptrTime(at(20 * time.Hour)), ""},
		{"reception, started", KindReception, starts.Add(time.Minute), nil, ""},
		{"activity, three days ahead", KindActivity, at(3 * day), nil, ""},
		{"activity, the day before", KindActivity, at(day), nil, "明天"},
		{"activity, moved later", KindActivity, at(10 * time.Hour), ptrTime(at(30 * time.Hour)), "明天"},
	} {
		_, when, ok := ReminderDue(tt.kind, starts, tt.now, tt.last)
		if ok != (tt.when != "") || when != tt.when {
			t.Errorf("%s: ReminderDue = %q, %v; want %q", tt.name, when, ok, tt.when)
		}
	}
}
