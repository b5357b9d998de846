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
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次接待没有安排您。请在安排您接待的联络站签到。")
		case r.Status != lianluo.ReceptionPublished:
			return lianluo.Errorf(lianluo.ESTATE, "这次接待%s，不能签到。", map[string]string{lianluo.ReceptionDraft: "尚未发布", lianluo.ReceptionCancelled: "已取消"}[r.Status])
		case tx.now.Before(r.StartsAt.Add(-lianluo.SignInEarly)):
			return lianluo.Errorf(lianluo.ESTATE, "还没到签到时间：接待开始前30分钟（%s）起可以签到。", r.StartsAt.Add(-lianluo.SignInEarly).Format("1月2日15:04"))
		case tx.now.After(r.EndsAt):
			return lianluo.Errorf(lianluo.ESTATE, "这次接待已经结束（%s），不能再签到。", r.EndsAt.Format("15:04"))
		case me.Attendance == lianluo.AttendPresent:
			return lianluo.Errorf(lianluo.ESTATE, "您已经签到过了（%s）。", me.SignedInAt.In(lianluo.Beijing).Format("15:04"))
		}
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
			WHERE reception_id = $2 AND deputy_id = $3`, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditSignin, me.Name+"签到")
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
	if _, ok := lianluo.AttendanceNames[attendance]; !ok || attendance == lianluo.AttendLeave {
		return nil, lianluo.FieldError("attendance", "请选择出席、缺席或待参加（请假请走请假审批）。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, true); err != nil {
			return err
		}
		if r.Status != lianluo.ReceptionPublished {
			return lianluo.Errorf(lianluo.ESTATE, "只有已发布的接待可以登记出席。")
		}
		if attendance != lianluo.AttendScheduled && tx.now.Before(r.StartsAt.Add(-lianluo.SignInEarly)) {
			return lianluo.Errorf(lianluo.ESTATE, "接待还没开始，不能登记出席情况。")
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
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditAttendance, fmt.Sprintf("登记代表（编号%d）：%s", deputyID, lianluo.AttendanceNames[attendance]))
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
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次接待没有安排您，不需要请假。")
		case r.Status == lianluo.ReceptionCancelled:
			return lianluo.Errorf(lianluo.ESTATE, "这次接待已取消。")
		case tx.now.After(r.StartsAt):
			return lianluo.Errorf(lianluo.ESTATE, "接待已经开始，不能再请假；如有特殊情况请联系联络站。")
		case me.LeaveStatus == lianluo.LeavePending || me.LeaveStatus == lianluo.LeaveApproved:
			return lianluo.Errorf(lianluo.ESTATE, "您已经请过假了（%s）。", lianluo.LeaveStatusNames[me.LeaveStatus])
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
			if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgLeaveRequested,
				Body: fmt.Sprintf("%s代表申请%s接待请假：%s", me.Name, r.StartsAt.Format("1月2日"), truncate(reason, 60))}); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditLeave, me.Name+"请假："+reason)
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
		if d == nil || d.LeaveStatus != lianluo.LeavePending {
			return lianluo.Errorf(lianluo.ESTATE, "没有待审批的请假。")
		}
		status, attendance, verdict := lianluo.LeaveRejected, d.Attendance, "未批准"
		if approve {
			status, attendance, verdict = lianluo.LeaveApproved, lianluo.AttendLeave, "已批准"
		}
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET leave_status = $1, attendance = $2 WHERE reception_id = $3 AND deputy_id = $4`,
			status, attendance, id, deputyID); err != nil {
			return err
		}
		body := fmt.Sprintf("您%s在%s接待的请假%s。", r.StartsAt.Format("1月2日"), st.Name, verdict)
		if err := notifyDeputyOf(ctx, tx, deputyID, st.ID, lianluo.MsgLeaveDecided, body, fmt.Sprintf("leave:%d:%d:%s", id, deputyID, status)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditLeaveDecide, d.Name+"请假"+verdict)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}
