// Sign-in (签到), attendance and leave (请假) at an activity.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"slices"
	"strings"
	"time"
)

// invitedSelf is the calling deputy's row on the activity, nil if not invited.
func invitedSelf(a *lianluo.Actor, x *lianluo.Activity) *lianluo.ActivityDeputy {
	if !a.Has(lianluo.RoleDeputy) {
		return nil
	}
	for i := range x.Deputies {
		if slices.Contains(a.Scope.Deputies, x.Deputies[i].DeputyID) {
			return &x.Deputies[i]
		}
	}
	return nil
}

// ActivitySignIn records the calling deputy at an activity: only an invited
// deputy, only from SignInEarly before the start to the end (as receptions).
func (db *DB) ActivitySignIn(ctx context.Context, id int64) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "ActivitySignIn(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(lianluo.RoleDeputy) || len(a.Scope.Deputies) == 0 {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人可以签到；工作人员请用“登记出席”。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		me := invitedSelf(a, x)
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次活动没有邀请您，不能签到。")
		case x.Status != lianluo.ActivityPublished:
			return lianluo.Errorf(lianluo.ESTATE, "这次活动%s，不能签到。", lianluo.ActivityStatusNames[x.Status])
		case tx.now.Before(x.StartsAt.Add(-lianluo.SignInEarly)):
			return lianluo.Errorf(lianluo.ESTATE, "还没到签到时间：活动开始前30分钟（%s）起可以签到。", x.StartsAt.Add(-lianluo.SignInEarly).Format("1月2日15:04"))
		case tx.now.After(x.EndsAt):
			return lianluo.Errorf(lianluo.ESTATE, "这次活动已经结束（%s），不能再签到。", x.EndsAt.Format("1月2日15:04"))
		case me.Attendance == lianluo.AttendPresent:
			return lianluo.Errorf(lianluo.ESTATE, "您已经签到过了。")
		case me.Attendance == lianluo.AttendLeave:
			return lianluo.Errorf(lianluo.ESTATE, "您已请假，不需要签到。")
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
			WHERE activity_id = $2 AND deputy_id = $3`, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditSignin, me.Name+"签到")
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// MarkActivityAttendance is the staff's record of a deputy's attendance.
func (db *DB) MarkActivityAttendance(ctx context.Context, id, deputyID int64, attendance string) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "MarkActivityAttendance(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := lianluo.AttendanceNames[attendance]; !ok || attendance == lianluo.AttendLeave {
		return nil, lianluo.FieldError("attendance", "请选择出席、缺席或待参加（请假请走请假审批）。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if x.Status != lianluo.ActivityPublished && x.Status != lianluo.ActivityDone {
			return lianluo.Errorf(lianluo.ESTATE, "只有已发布的活动可以登记出席。")
		}
		if attendance != lianluo.AttendScheduled && tx.now.Before(x.StartsAt.Add(-lianluo.SignInEarly)) {
			return lianluo.Errorf(lianluo.ESTATE, "活动还没开始，不能登记出席情况。")
		}
		var at *time.Time
		by := ""
		if attendance == lianluo.AttendPresent {
			at, by = &tx.now, "staff"
		}
		res, err := tx.Exec(ctx, `UPDATE activity_deputies SET attendance = $1, signed_in_at = $2, signed_by = $3
			WHERE activity_id = $4 AND deputy_id = $5`, attendance, at, by, id, deputyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lianluo.FieldError("deputy_id", "这次活动没有邀请这位代表。")
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditAttendance, fmt.Sprintf("登记代表（编号%d）：%s", deputyID, lianluo.AttendanceNames[attendance]))
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// deciders are the users who decide a leave request: the organising
// station's head, or the group's leader (003: 向代表小组组长请假).
func deciders(ctx context.Context, tx *Tx, x *lianluo.Activity) ([]int64, error) {
	if x.GroupID == nil {
		return stationHeads(ctx, tx, *x.StationID)
	}
	return queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		JOIN deputy_groups g ON g.leader_id = ur.deputy_id
		WHERE u.active = TRUE AND ur.role = 'deputy' AND g.id = $1 ORDER BY u.id`, *x.GroupID)
}

// RequestActivityLeave is an invited deputy's leave request (请假).
func (db *DB) RequestActivityLeave(ctx context.Context, id int64, reason string) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "RequestActivityLeave(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := require("reason", "请假理由", reason, 500); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		me := invitedSelf(a, x)
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次活动没有邀请您，不需要请假。")
		case x.Status != lianluo.ActivityPublished:
			return lianluo.Errorf(lianluo.ESTATE, "这次活动%s，不能请假。", lianluo.ActivityStatusNames[x.Status])
		case tx.now.After(x.StartsAt):
			return lianluo.Errorf(lianluo.ESTATE, "活动已经开始，不能再请假；如有特殊情况请联系组织者。")
		case me.LeaveStatus == lianluo.LeavePending || me.LeaveStatus == lianluo.LeaveApproved:
			return lianluo.Errorf(lianluo.ESTATE, "您已经请过假了（%s）。", lianluo.LeaveStatusNames[me.LeaveStatus])
		case me.Attendance == lianluo.AttendPresent:
			return lianluo.Errorf(lianluo.ESTATE, "您已经签到，不需要请假。")
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET leave_reason = $1, leave_status = 'pending', leave_at = $2
			WHERE activity_id = $3 AND deputy_id = $4`, reason, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		users, err := deciders(ctx, tx, x)
		if err != nil {
			return err
		}
		for _, u := range users {
			uid := u
			if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgActivityLeaveRequested,
				Body: fmt.Sprintf("%s代表申请%s活动“%s”请假：%s", me.Name, x.StartsAt.Format("1月2日"), truncate(x.Title, 30), truncate(reason, 60))}); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditLeave, me.Name+"请假："+reason)
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// DecideActivityLeave approves or rejects a pending leave request: the
// organiser's station head, the group leader, or the office.
func (db *DB) DecideActivityLeave(ctx context.Context, id, deputyID int64, approve bool) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "DecideActivityLeave(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, false); err != nil {
			return err
		}
		var d *lianluo.ActivityDeputy
		for i := range x.Deputies {
			if x.Deputies[i].DeputyID == deputyID {
				d = &x.Deputies[i]
			}
		}
		if d == nil || d.LeaveStatus != lianluo.LeavePending {
			return lianluo.Errorf(lianluo.ESTATE, "没有待审批的请假。")
		}
		status, attendance, verdict := lianluo.LeaveRejected, d.Attendance, "未批准"
		if approve {
			status, attendance, verdict = lianluo.LeaveApproved, lianluo.AttendLeave, "已批准"
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET leave_status = $1, attendance = $2 WHERE activity_id = $3 AND deputy_id = $4`,
			status, attendance, id, deputyID); err != nil {
			return err
		}
		st, err := notifyStation(ctx, tx, x)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("您%s活动“%s”的请假%s。", x.StartsAt.Format("1月2日"), truncate(x.Title, 30), verdict)
		if err := notifyDeputyOf(ctx, tx, deputyID, st, lianluo.MsgActivityLeaveDecided, body, fmt.Sprintf("activity_leave:%d:%d:%s", id, deputyID, status)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditLeaveDecide, d.Name+"请假"+verdict)
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}
