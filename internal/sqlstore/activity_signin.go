// Sign-in (签到), attendance and leave (请假) at an activity.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"slices"
	"strings"
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
		if me == nil {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次活动没有邀请您，不能签到。")
		}
		if err := lianluo.CheckSignIn(x.Occasion(), me.Invitee(), tx.now); err != nil {
			return err
		}
		return activityOccasions.signIn(ctx, tx, id, me)
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
	if err := lianluo.ValidAttendanceMark(attendance); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if err := lianluo.CheckMarkAttendance(x.Occasion(), attendance, tx.now); err != nil {
			return err
		}
		return activityOccasions.markAttendance(ctx, tx, id, deputyID, attendance)
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
		if me == nil {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次活动没有邀请您，不需要请假。")
		}
		if err := lianluo.CheckLeaveRequest(x.Occasion(), me.Invitee(), tx.now); err != nil {
			return err
		}
		if err := activityOccasions.requestLeave(ctx, tx, id, me, reason); err != nil {
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
		return nil
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
		status, verdict, err := activityOccasions.decideLeave(ctx, tx, id, invitee(x.Deputies, deputyID), approve)
		if err != nil {
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
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}
