package sqlstore

import (
	"context"
	"fmt"
	"time"

	"lianluo"
)

// Occasions — receptions and activities: dated gatherings deputies are
// invited to (docs/architecture.md, "Adding an occasion kind"). The rules of
// sign-in, leave and attendance are the root's (attendance_rules.go); the
// writes of an invitee's standing are here, once, for every kind.

// occasionKind names a kind of occasion to the shared writes: its audit
// entity, its table of invited deputies and that table's occasion column.
type occasionKind struct {
	entity  lianluo.AuditEntity
	table   string // invited deputies
	column  string // the occasion's id in table
	notHere string // a staff record for a deputy not invited
}

var (
	receptionOccasions = occasionKind{entity: lianluo.EntityReception, table: "reception_deputies", column: "reception_id",
		notHere: "这次接待没有安排这位代表。"}
	activityOccasions = occasionKind{entity: lianluo.EntityActivity, table: "activity_deputies", column: "activity_id",
		notHere: "这次活动没有邀请这位代表。"}
)

// signIn records the invited deputy as present by their own sign-in.
func (k occasionKind) signIn(ctx context.Context, tx *Tx, id int64, me *lianluo.ReceptionDeputy) error {
	if _, err := tx.Exec(ctx, `UPDATE `+k.table+` SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
		WHERE `+k.column+` = $2 AND deputy_id = $3`, tx.now, id, me.DeputyID); err != nil {
		return err
	}
	return tx.event(ctx, k.entity, id, lianluo.AuditSignin, me.Name+"签到")
}

// markAttendance is the staff's record of a deputy's attendance (checked
// by lianluo.CheckMarkAttendance).
func (k occasionKind) markAttendance(ctx context.Context, tx *Tx, id, deputyID int64, attendance string) error {
	var at *time.Time
	by := ""
	if attendance == lianluo.AttendPresent {
		at, by = &tx.now, "staff"
	}
	res, err := tx.Exec(ctx, `UPDATE `+k.table+` SET attendance = $1, signed_in_at = $2, signed_by = $3
		WHERE `+k.column+` = $4 AND deputy_id = $5`, attendance, at, by, id, deputyID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lianluo.FieldError("deputy_id", "%s", k.notHere)
	}
	return tx.event(ctx, k.entity, id, lianluo.AuditAttendance, fmt.Sprintf("登记代表（编号%d）：%s", deputyID, lianluo.AttendanceNames[attendance]))
}

// requestLeave records the invited deputy's leave request (checked by
// lianluo.CheckLeaveRequest); the caller tells whoever decides.
func (k occasionKind) requestLeave(ctx context.Context, tx *Tx, id int64, me *lianluo.ReceptionDeputy, reason string) error {
	if _, err := tx.Exec(ctx, `UPDATE `+k.table+` SET leave_reason = $1, leave_status = 'pending', leave_at = $2
		WHERE `+k.column+` = $3 AND deputy_id = $4`, reason, tx.now, id, me.DeputyID); err != nil {
		return err
	}
	return tx.event(ctx, k.entity, id, lianluo.AuditLeave, me.Name+"请假："+reason)
}

// decideLeave records the decision on a pending leave request
// (lianluo.DecideLeave) and returns the word for the deputy's notice.
func (k occasionKind) decideLeave(ctx context.Context, tx *Tx, id int64, d *lianluo.ReceptionDeputy, approve bool) (status, verdict string, err error) {
	if d == nil {
		return "", "", lianluo.Errorf(lianluo.ESTATE, "没有待审批的请假。")
	}
	status, attendance, verdict, err := lianluo.DecideLeave(d.Invitee(), approve)
	if err != nil {
		return "", "", err
	}
	if _, err := tx.Exec(ctx, `UPDATE `+k.table+` SET leave_status = $1, attendance = $2 WHERE `+k.column+` = $3 AND deputy_id = $4`,
		status, attendance, id, d.DeputyID); err != nil {
		return "", "", err
	}
	return status, verdict, tx.event(ctx, k.entity, id, lianluo.AuditLeaveDecide, d.Name+"请假"+verdict)
}

// invitee is the invited deputy of deputyID among ds, nil if none.
func invitee(ds []lianluo.ReceptionDeputy, deputyID int64) *lianluo.ReceptionDeputy {
	for i := range ds {
		if ds[i].DeputyID == deputyID {
			return &ds[i]
		}
	}
	return nil
}
