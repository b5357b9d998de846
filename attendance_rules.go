package lianluo

import "time"

// The attendance rules of an occasion — a reception (接待) or an activity
// (代表活动): a dated gathering deputies are invited to, who sign in, ask
// for leave, and whose attendance the staff record. One set of rules for
// both, decided here and applied by the store.

// Occasion is what the attendance rules need to know of a reception or an
// activity.
type Occasion struct {
	Noun       string // 接待 or 活动, in messages
	Published  bool   // published and not cancelled: deputies may sign in and ask for leave
	Held       bool   // held and recorded (an activity marked done, a reception with its record)
	Cancelled  bool
	StationID  int64  // the station it is held at; 0 for a deputy group's activity
	StatusName string // the Chinese name of its status, for a refusal
	StartsAt   time.Time
	EndsAt     time.Time
}

// Invitee is an invited deputy's standing at an occasion.
type Invitee struct {
	Attendance  string // an Attend* value
	LeaveStatus string // "" or a Leave* value
	SignedInAt  *time.Time
}

// CheckSignIn decides whether an invited deputy may sign in at now: while
// the occasion is published, from SignInEarly before it starts until it
// ends, once. A deputy whose leave was approved and who comes after all may
// sign in: being there is what the record is for, and the approved leave
// stays in the history.
func CheckSignIn(o Occasion, me Invitee, now time.Time) error {
	switch {
	case !o.Published:
		return Errorf(ESTATE, "这次%s%s，不能签到。", o.Noun, o.StatusName)
	case now.Before(o.StartsAt.Add(-SignInEarly)):
		return Errorf(ESTATE, "还没到签到时间：%s开始前30分钟（%s）起可以签到。", o.Noun, o.StartsAt.Add(-SignInEarly).In(Beijing).Format("1月2日15:04"))
	case now.After(o.EndsAt):
		return Errorf(ESTATE, "这次%s已经结束（%s），不能再签到。", o.Noun, o.EndsAt.In(Beijing).Format("1月2日15:04"))
	case me.Attendance == AttendPresent:
		if me.SignedInAt != nil {
			return Errorf(ESTATE, "您已经签到过了（%s）。", me.SignedInAt.In(Beijing).Format("15:04"))
		}
		return Errorf(ESTATE, "您已经签到过了。")
	}
	return nil
}

// CheckLeaveRequest decides whether an invited deputy may ask for leave
// (请假) at now: while the occasion is published and has not started, once
// (a pending or approved request stands), and not after signing in.
func CheckLeaveRequest(o Occasion, me Invitee, now time.Time) error {
	switch {
	case !o.Published:
		return Errorf(ESTATE, "这次%s%s，不能请假。", o.Noun, o.StatusName)
	case now.After(o.StartsAt):
		return Errorf(ESTATE, "%s已经开始，不能再请假；如有特殊情况请联系组织者。", o.Noun)
	case me.LeaveStatus == LeavePending || me.LeaveStatus == LeaveApproved:
		return Errorf(ESTATE, "您已经请过假了（%s）。", LeaveStatusNames[me.LeaveStatus])
	case me.Attendance == AttendPresent:
		return Errorf(ESTATE, "您已经签到，不需要请假。")
	}
	return nil
}

// DecideLeave is the decision on a pending leave request: the new leave
// status and attendance (approved leave is recorded as 请假), and the word
// for the deputy's notice.
func DecideLeave(me Invitee, approve bool) (status, attendance, verdict string, err error) {
	if me.LeaveStatus != LeavePending {
		return "", "", "", Errorf(ESTATE, "没有待审批的请假。")
	}
	if approve {
		return LeaveApproved, AttendLeave, "已批准", nil
	}
	return LeaveRejected, me.Attendance, "未批准", nil
}

// CheckMarkAttendance decides whether the staff may record attendance as
// attendance at now: present, absent or back to scheduled (leave goes
// through a request), on a published occasion (or one held and recorded,
// to correct it), and only from SignInEarly before it starts, except to
// put a deputy back to scheduled.
func CheckMarkAttendance(o Occasion, attendance string, now time.Time) error {
	if err := ValidAttendanceMark(attendance); err != nil {
		return err
	}
	if !o.Published && !o.Held {
		return Errorf(ESTATE, "只有已发布的%s可以登记出席。", o.Noun)
	}
	if attendance != AttendScheduled && now.Before(o.StartsAt.Add(-SignInEarly)) {
		return Errorf(ESTATE, "%s还没开始，不能登记出席情况。", o.Noun)
	}
	return nil
}

// ValidAttendanceMark checks what the staff may record: present, absent or
// back to scheduled (leave goes through a request).
func ValidAttendanceMark(attendance string) error {
	if _, ok := AttendanceNames[attendance]; !ok || attendance == AttendLeave {
		return FieldError("attendance", "请选择出席、缺席或待参加（请假请走请假审批）。")
	}
	return nil
}

// Invitee is the deputy's standing as the attendance rules see it.
func (d ReceptionDeputy) Invitee() Invitee {
	return Invitee{Attendance: d.Attendance, LeaveStatus: d.LeaveStatus, SignedInAt: d.SignedInAt}
}

// InviteesOf are the invited deputies' standings, for CheckCancel.
func InviteesOf(ds []ReceptionDeputy) []Invitee {
	out := make([]Invitee, len(ds))
	for i, d := range ds {
		out[i] = d.Invitee()
	}
	return out
}

// Occasion is the reception as the attendance rules see it.
func (r *Reception) Occasion() Occasion {
	return Occasion{Noun: "接待", Published: r.Status == ReceptionPublished, Held: r.Record != nil,
		Cancelled: r.Status == ReceptionCancelled, StationID: r.StationID,
		StatusName: map[string]string{ReceptionDraft: "尚未发布", ReceptionCancelled: "已取消"}[r.Status],
		StartsAt:   r.StartsAt, EndsAt: r.EndsAt}
}

// Occasion is the activity as the attendance rules see it.
func (x *Activity) Occasion() Occasion {
	var station int64
	if x.StationID != nil {
		station = *x.StationID
	}
	return Occasion{StationID: station, Noun: "活动", Published: x.Status == ActivityPublished, Held: x.Status == ActivityDone,
		Cancelled:  x.Status == ActivityCancelled,
		StatusName: ActivityStatusNames[x.Status], StartsAt: x.StartsAt, EndsAt: x.EndsAt}
}

// CheckAddToRecord decides whether photos and linked cases may be added to
// an occasion: once it is published, and after it is held, but not to a
// draft nobody was told of, nor to a cancelled one.
func CheckAddToRecord(o Occasion) error {
	if !o.Published && !o.Held {
		return Errorf(ESTATE, "只有已发布或已完成的%s可以上传照片、关联意见。", o.Noun)
	}
	return nil
}

// CheckCancel decides whether an occasion may be cancelled: a draft or a
// published one, even after its time (it did not take place), but not one
// cancelled already, nor one that took place — held and recorded, or with
// an invited deputy signed in or marked present. Invitees of a published
// one are told (the store's Cancel).
func CheckCancel(o Occasion, invitees []Invitee) error {
	switch {
	case o.Cancelled:
		return Errorf(ESTATE, "这次%s已经取消了。", o.Noun)
	case o.Held:
		return Errorf(ESTATE, "这次%s已经举行并有记录，不能取消。", o.Noun)
	}
	for _, d := range invitees {
		if d.Attendance == AttendPresent {
			return Errorf(ESTATE, "这次%s已有代表签到出席，不能取消；如未举行，请先把出席情况改回待参加。", o.Noun)
		}
	}
	return nil
}

// CheckLinkCase decides whether a case may be linked to an occasion as
// raised there: the occasion must be published or held (CheckAddToRecord),
// and the case registered at the station it is held at; a deputy group's
// activity, held at no one station, takes any case in the caller's scope.
func CheckLinkCase(o Occasion, c *Case) error {
	if err := CheckAddToRecord(o); err != nil {
		return err
	}
	if o.StationID != 0 && (c.StationID == nil || *c.StationID != o.StationID) {
		return FieldError("case_id", "只能关联在本站登记的意见。")
	}
	return nil
}

// reminderStages are how long before an occasion its invited deputies are
// reminded, by kind, farthest first: a reception a week, three days and a
// day before (002: 提前一周联系、提前三天短信提醒、提前一天温馨提示); an
// activity the day before (its notice went out with its publication).
var reminderStages = map[OccasionKind][]time.Duration{
	KindReception: {7 * 24 * time.Hour, 3 * 24 * time.Hour, 24 * time.Hour},
	KindActivity:  {24 * time.Hour},
}

// ReminderLead is how far ahead of an occasion of kind the first reminder goes.
func ReminderLead(kind OccasionKind) time.Duration { return reminderStages[kind][0] }

// ReminderDue decides whether an invited deputy is due a reminder of an
// occasion of kind that starts at starts, at now, having last been reminded
// at last (nil: never): the nearest stage the time left falls in, once per
// stage — one published late gets only its nearest stage, and one moved
// later is reminded again. It gives the stage's lead and how the notice
// says it (一周后, 三天后, 明天). Who is reminded is for the caller: the
// invitees still expected, leave not approved (a pending request may yet
// be refused).
func ReminderDue(kind OccasionKind, starts, now time.Time, last *time.Time) (lead time.Duration, when string, ok bool) {
	left := starts.Sub(now)
	if left <= 0 {
		return 0, "", false
	}
	for _, s := range reminderStages[kind] {
		if left <= s {
			lead, ok = s, true
		}
	}
	if !ok || (last != nil && !last.Before(starts.Add(-lead))) {
		return 0, "", false
	}
	return lead, map[time.Duration]string{7 * 24 * time.Hour: "一周后", 3 * 24 * time.Hour: "三天后", 24 * time.Hour: "明天"}[lead], true
}
