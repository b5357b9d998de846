package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lianluo"
)

// Occasions — receptions and activities: dated gatherings deputies are
// invited to (docs/architecture.md, "Adding an occasion kind"). The rules of
// sign-in, leave and attendance are the root's (attendance_rules.go); the
// writes of an invitee's standing are here, once, for every kind.

// occasionKind names a kind of occasion to the shared writes: its key in
// the occasion tables (occasion_invitees, occasion_photos, occasion_cases)
// and its audit entity.
type occasionKind struct {
	kind    lianluo.OccasionKind
	entity  lianluo.AuditEntity
	notHere string // a staff record for a deputy not invited
}

var (
	receptionOccasions = occasionKind{kind: lianluo.KindReception, entity: lianluo.EntityReception,
		notHere: "这次接待没有安排这位代表。"}
	activityOccasions = occasionKind{kind: lianluo.KindActivity, entity: lianluo.EntityActivity,
		notHere: "这次活动没有邀请这位代表。"}
)

// signIn records the invited deputy as present by their own sign-in.
func (k occasionKind) signIn(ctx context.Context, tx *Tx, id int64, me *lianluo.ReceptionDeputy) error {
	if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
		WHERE kind = $2 AND occasion_id = $3 AND deputy_id = $4`, tx.now, string(k.kind), id, me.DeputyID); err != nil {
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
	res, err := tx.Exec(ctx, `UPDATE occasion_invitees SET attendance = $1, signed_in_at = $2, signed_by = $3
		WHERE kind = $4 AND occasion_id = $5 AND deputy_id = $6`, attendance, at, by, string(k.kind), id, deputyID)
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
	if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET leave_reason = $1, leave_status = 'pending', leave_at = $2
		WHERE kind = $3 AND occasion_id = $4 AND deputy_id = $5`, reason, tx.now, string(k.kind), id, me.DeputyID); err != nil {
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
	if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET leave_status = $1, attendance = $2 WHERE kind = $3 AND occasion_id = $4 AND deputy_id = $5`,
		status, attendance, string(k.kind), id, d.DeputyID); err != nil {
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

// setInvitees makes ids, in order, the invited deputies of the occasion:
// those no longer invited are removed, the others keep their standing
// (attendance, leave) and take their new place. It returns the deputies
// newly invited, for the caller to tell.
func (k occasionKind) setInvitees(ctx context.Context, tx *Tx, id int64, old, ids []int64) (added []int64, err error) {
	for _, d := range old {
		if !slices.Contains(ids, d) {
			if _, err := tx.Exec(ctx, `DELETE FROM occasion_invitees WHERE kind = $1 AND occasion_id = $2 AND deputy_id = $3`, string(k.kind), id, d); err != nil {
				return nil, err
			}
		}
	}
	for i, d := range ids {
		if slices.Contains(old, d) {
			if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET position = $1 WHERE kind = $2 AND occasion_id = $3 AND deputy_id = $4`, i, string(k.kind), id, d); err != nil {
				return nil, err
			}
			continue
		}
		if err := k.invite(ctx, tx, id, d, i); err != nil {
			return nil, err
		}
		added = append(added, d)
	}
	return added, nil
}

// invite adds deputyID to the occasion's invitees at position.
func (k occasionKind) invite(ctx context.Context, tx *Tx, id, deputyID int64, position int) error {
	_, err := tx.Exec(ctx, `INSERT INTO occasion_invitees (kind, occasion_id, deputy_id, position) VALUES ($1, $2, $3, $4)`,
		string(k.kind), id, deputyID, position)
	return err
}

// linkCase ties a case to the occasion.
func (k occasionKind) linkCase(ctx context.Context, tx *Tx, id, caseID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO occasion_cases (kind, occasion_id, case_id, created_at) VALUES ($1, $2, $3, $4)`,
		string(k.kind), id, caseID, tx.now)
	return err
}
