// Sign-in (签到) and leave (请假) at a reception session.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"slices"
	"strings"
	"time"
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
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
			WHERE reception_id = $2 AND deputy_id = $3`, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "signin", me.Name+"签到")
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
		var at *time.Time
		by := ""
		if attendance == lianluo.AttendPresent {
			at, by = &tx.now, "staff"
		}
		res, err := tx.Exec(ctx, `UPDATE reception_deputies SET attendance = $1, signed_in_at = $2, signed_by = $3
			WHERE reception_id = $4 AND deputy_id = $5`, attendance, at, by, id, deputyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lianluo.FieldError("deputy_id", "这次接待没有安排这位代表。")
		}
		return tx.event(ctx, "reception", id, "attendance", fmt.Sprintf("登记代表（编号%d）：%s", deputyID, lianluo.AttendanceNames[attendance]))
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
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET leave_reason = $1, leave_status = 'pending', leave_at = $2
			WHERE reception_id = $3 AND deputy_id = $4`, reason, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		// The station head (or the office) approves.
		heads, err := stationHeads(ctx, tx, r.StationID)
		if err != nil {
			return err
		}
		for _, u := range heads {
			uid := u
			if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: "leave_requested",
				Body: fmt.Sprintf("%s代表申请%s接待请假：%s", me.Name, r.StartsAt.Format("1月2日"), truncate(reason, 60))}); err != nil {
				return err
			}
		}
		return tx.event(ctx, "reception", id, "leave", me.Name+"请假："+reason)
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
		var d *lianluo.ReceptionDeputy
		for i := range r.Deputies {
			if r.Deputies[i].DeputyID == deputyID {
				d = &r.Deputies[i]
			}
		}
		if d == nil {
			return lianluo.Errorf(lianluo.ESTATE, "没有待审批的请假。")
		}
		status, attendance, verdict, err := lianluo.DecideLeave(d.Invitee(), approve)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET leave_status = $1, attendance = $2 WHERE reception_id = $3 AND deputy_id = $4`,
			status, attendance, id, deputyID); err != nil {
			return err
		}
		body := fmt.Sprintf("您%s在%s接待的请假%s。", r.StartsAt.Format("1月2日"), st.Name, verdict)
		if err := notifyDeputyOf(ctx, tx, deputyID, st.ID, "leave_decided", body, fmt.Sprintf("leave:%d:%d:%s", id, deputyID, status)); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "leave_decide", d.Name+"请假"+verdict)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}
