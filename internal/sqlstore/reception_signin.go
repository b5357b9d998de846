// Sign-in (签到) and leave (请假) at a reception session.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"slices"
	"strings"
)

// SignIn records the calling deputy at a session: only during its window
// (30 minutes before the start to the end), only a deputy on it (002: 本人签到).
func (db *DB) SignIn(ctx context.Context, id int64) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "SignIn(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(lianluo.RoleDeputy) || len(a.Scope.Deputies) == 0 {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人可以签到；工作人员请用“登记出席”。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		var me *lianluo.ReceptionDeputy
		for i := range r.Deputies {
			if slices.Contains(a.Scope.Deputies, r.Deputies[i].DeputyID) {
				me = &r.Deputies[i]
			}
		}
		if me == nil {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次接待没有安排您。请在安排您接待的联络站签到。")
		}
		if err := lianluo.CheckSignIn(r.Occasion(), me.Invitee(), tx.now); err != nil {
			return err
		}
		return receptionOccasions.signIn(ctx, tx, id, me)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// MarkAttendance is the staff's record of a deputy's attendance.
func (db *DB) MarkAttendance(ctx context.Context, id, deputyID int64, attendance string) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "MarkAttendance(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := lianluo.ValidAttendanceMark(attendance); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, true); err != nil {
			return err
		}
		if err := lianluo.CheckMarkAttendance(r.Occasion(), attendance, tx.now); err != nil {
			return err
		}
		return receptionOccasions.markAttendance(ctx, tx, id, deputyID, attendance)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// RequestLeave is a deputy's leave request (请假) for a session.
func (db *DB) RequestLeave(ctx context.Context, id int64, reason string) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "RequestLeave(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := require("reason", "请假理由", reason, 500); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		var me *lianluo.ReceptionDeputy
		for i := range r.Deputies {
			if slices.Contains(a.Scope.Deputies, r.Deputies[i].DeputyID) && a.Has(lianluo.RoleDeputy) {
				me = &r.Deputies[i]
			}
		}
		if me == nil {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次接待没有安排您，不需要请假。")
		}
		if err := lianluo.CheckLeaveRequest(r.Occasion(), me.Invitee(), tx.now); err != nil {
			return err
		}
		if err := receptionOccasions.requestLeave(ctx, tx, id, me, reason); err != nil {
			return err
		}
		// The station head (or the office) approves.
		heads, err := stationHeads(ctx, tx, r.StationID)
		if err != nil {
			return err
		}
		for _, u := range heads {
			uid := u
			if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgLeaveRequested,
				Body: fmt.Sprintf("%s代表申请%s接待请假：%s", me.Name, r.StartsAt.Format("1月2日"), truncate(reason, 60))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

func stationHeads(ctx context.Context, tx *Tx, stationID int64) ([]int64, error) {
	return queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = 'station_head' AND ur.station_id = $1 ORDER BY u.id`, stationID)
}

// DecideLeave approves or rejects a pending leave request (the station head or the office).
func (db *DB) DecideLeave(ctx context.Context, id, deputyID int64, approve bool) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "DecideLeave(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		st, err := requireStation(ctx, tx.conn, a, r.StationID, false)
		if err != nil {
			return err
		}
		status, verdict, err := receptionOccasions.decideLeave(ctx, tx, id, invitee(r.Deputies, deputyID), approve)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("您%s在%s接待的请假%s。", r.StartsAt.Format("1月2日"), st.Name, verdict)
		if err := notifyDeputyOf(ctx, tx, deputyID, st.ID, lianluo.MsgLeaveDecided, body, fmt.Sprintf("leave:%d:%d:%s", id, deputyID, status)); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}
