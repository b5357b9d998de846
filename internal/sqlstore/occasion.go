package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"lianluo"
)

// Occasions — receptions and activities: dated gatherings deputies are
// invited to (docs/architecture.md, "Adding an occasion kind"). The rules of
// sign-in, leave and attendance are the root's (attendance_rules.go); the
// invitees, photos and linked cases of every kind live in the occasion
// tables (occasion_invitees, occasion_photos, occasion_cases), and their
// writes are here, once, as the AttendanceService.

// occasionKind describes a kind of occasion to the shared writes.
type occasionKind struct {
	kind    lianluo.OccasionKind
	entity  lianluo.AuditEntity
	table   string // its own table, with status and version
	notHere string // a staff record for a deputy not invited
	// cancelledMsg tells invitees of a published one that it is cancelled;
	// reminder reminds them of it (occasion_remind.go).
	cancelledMsg, reminder lianluo.TemplateKey
}

// load reads the occasion of id in the caller's scope. (A switch, not a
// field of the descriptor: the loaders read the parts through the
// descriptors, which would make their initialisation a cycle.)
func (k occasionKind) load(ctx context.Context, c conn, id int64) (*occasion, error) {
	if k.kind == lianluo.KindReception {
		return loadReceptionOccasion(ctx, c, id)
	}
	return loadActivityOccasion(ctx, c, id)
}

// occasion is one occasion of any kind as the shared writes see it.
type occasion struct {
	lianluo.Occasion
	invitees []lianluo.ReceptionDeputy
	caseIDs  []int64
	photos   int
	version  int
	// the kind's own record, for its own writes (changeOccasion): one of these
	reception *lianluo.Reception
	activity  *lianluo.Activity
	// manage checks that a may manage it, or with work, work at it.
	manage func(ctx context.Context, c conn, a *lianluo.Actor, work bool) error
	// cancelArgs and remindArgs are the arguments of the kind's
	// cancelledMsg and reminder (when: 一周后, 明天…).
	cancelArgs func(ctx context.Context, tx *Tx) ([]any, error)
	remindArgs func(ctx context.Context, tx *Tx, when string) ([]any, error)
	// deciders are the users who decide a leave request.
	deciders func(ctx context.Context, tx *Tx) ([]int64, error)
	// station is the station whose staff hear of a deputy who cannot be reached.
	station func(ctx context.Context, tx *Tx) (int64, error)
	// what names it in a notice: 5月20日接待, 5月20日活动“视察”.
	what string
	// decided names it in the notice of a leave decision.
	decided func(ctx context.Context, tx *Tx) (string, error)
	// notInvited refuses a deputy's sign-in (or, with leave, leave request)
	// when they are not invited.
	notInvited, notInvitedLeave string
	// leave notices' templates and the key of a decision's notice
	requested, decidedMsg lianluo.TemplateKey
	decidedKey            string
}

var (
	receptionOccasions = occasionKind{kind: lianluo.KindReception, entity: lianluo.EntityReception, table: "receptions",
		notHere: "这次接待没有安排这位代表。", cancelledMsg: lianluo.MsgReceptionCancelled, reminder: lianluo.MsgReceptionReminder}
	activityOccasions = occasionKind{kind: lianluo.KindActivity, entity: lianluo.EntityActivity, table: "activities",
		notHere: "这次活动没有邀请这位代表。", cancelledMsg: lianluo.MsgActivityCancelled, reminder: lianluo.MsgActivityReminder}
)

// occasionKindOf is the descriptor of kind.
func occasionKindOf(kind lianluo.OccasionKind) (occasionKind, error) {
	switch kind {
	case lianluo.KindReception:
		return receptionOccasions, nil
	case lianluo.KindActivity:
		return activityOccasions, nil
	}
	return occasionKind{}, lianluo.FieldError("kind", "没有这种活动类型：%q。", kind)
}

// attendance is the AttendanceService of every kind.
type attendance struct{ db *DB }

var _ lianluo.AttendanceService = attendance{}

// self is the calling deputy's invitation to o, nil if not invited.
func (o *occasion) self(a *lianluo.Actor) *lianluo.ReceptionDeputy {
	if !a.Has(lianluo.RoleDeputy) {
		return nil
	}
	for i := range o.invitees {
		if slices.Contains(a.Scope.Deputies, o.invitees[i].DeputyID) {
			return &o.invitees[i]
		}
	}
	return nil
}

// write runs fn on the occasion of id in one transaction.
func (s attendance) write(ctx context.Context, kind lianluo.OccasionKind, id int64, name string, fn func(tx *Tx, k occasionKind, a *lianluo.Actor, o *occasion) error) (err error) {
	defer wrap(&err, "%s(%s %d)", name, kind, id)
	k, err := occasionKindOf(kind)
	if err != nil {
		return err
	}
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.db.transact(ctx, func(tx *Tx) error {
		o, err := k.load(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		return fn(tx, k, a, o)
	})
}

// SignIn records the calling deputy at an occasion they are invited to:
// only in its window (30 minutes before the start to the end — 002: 本人签到).
func (s attendance) SignIn(ctx context.Context, kind lianluo.OccasionKind, id int64) error {
	if a, err := lianluo.RequireActor(ctx); err == nil && (!a.Has(lianluo.RoleDeputy) || len(a.Scope.Deputies) == 0) {
		return lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人可以签到；工作人员请用“登记出席”。")
	}
	return s.write(ctx, kind, id, "SignIn", func(tx *Tx, k occasionKind, a *lianluo.Actor, o *occasion) error {
		me := o.self(a)
		if me == nil {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "%s", o.notInvited)
		}
		if err := lianluo.CheckSignIn(o.Occasion, me.Invitee(), tx.now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
			WHERE kind = $2 AND occasion_id = $3 AND deputy_id = $4`, tx.now, string(k.kind), id, me.DeputyID); err != nil {
			return err
		}
		return tx.event(ctx, k.entity, id, lianluo.AuditSignin, me.Name+"签到")
	})
}

// MarkAttendance is the staff's record of a deputy's attendance (checked
// by lianluo.CheckMarkAttendance).
func (s attendance) MarkAttendance(ctx context.Context, kind lianluo.OccasionKind, id, deputyID int64, attendance string) error {
	if err := lianluo.ValidAttendanceMark(attendance); err != nil {
		return err
	}
	return s.write(ctx, kind, id, "MarkAttendance", func(tx *Tx, k occasionKind, a *lianluo.Actor, o *occasion) error {
		if err := o.manage(ctx, tx.conn, a, true); err != nil {
			return err
		}
		if err := lianluo.CheckMarkAttendance(o.Occasion, attendance, tx.now); err != nil {
			return err
		}
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
	})
}

// RequestLeave is the calling deputy's leave request (请假), checked by
// lianluo.CheckLeaveRequest; whoever decides is told.
func (s attendance) RequestLeave(ctx context.Context, kind lianluo.OccasionKind, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := require("reason", "请假理由", reason, 500); err != nil {
		return err
	}
	return s.write(ctx, kind, id, "RequestLeave", func(tx *Tx, k occasionKind, a *lianluo.Actor, o *occasion) error {
		me := o.self(a)
		if me == nil {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "%s", o.notInvitedLeave)
		}
		if err := lianluo.CheckLeaveRequest(o.Occasion, me.Invitee(), tx.now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET leave_reason = $1, leave_status = 'pending', leave_at = $2
			WHERE kind = $3 AND occasion_id = $4 AND deputy_id = $5`, reason, tx.now, string(k.kind), id, me.DeputyID); err != nil {
			return err
		}
		if err := tx.event(ctx, k.entity, id, lianluo.AuditLeave, me.Name+"请假："+reason); err != nil {
			return err
		}
		users, err := o.deciders(ctx, tx)
		if err != nil {
			return err
		}
		for _, u := range users {
			uid := u
			subject, body := lianluo.Message(o.requested, me.Name, o.what, lianluo.Truncate(reason, 60))
			if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: o.requested, Subject: subject, Body: body}); err != nil {
				return err
			}
		}
		return nil
	})
}

// DecideLeave approves or rejects a pending leave request
// (lianluo.DecideLeave) and tells the deputy.
func (s attendance) DecideLeave(ctx context.Context, kind lianluo.OccasionKind, id, deputyID int64, approve bool) error {
	return s.write(ctx, kind, id, "DecideLeave", func(tx *Tx, k occasionKind, a *lianluo.Actor, o *occasion) error {
		if err := o.manage(ctx, tx.conn, a, false); err != nil {
			return err
		}
		d := invitee(o.invitees, deputyID)
		if d == nil {
			return lianluo.Errorf(lianluo.ESTATE, "没有待审批的请假。")
		}
		status, attendance, verdict, err := lianluo.DecideLeave(d.Invitee(), approve)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET leave_status = $1, attendance = $2 WHERE kind = $3 AND occasion_id = $4 AND deputy_id = $5`,
			status, attendance, string(k.kind), id, d.DeputyID); err != nil {
			return err
		}
		if err := tx.event(ctx, k.entity, id, lianluo.AuditLeaveDecide, d.Name+"请假"+verdict); err != nil {
			return err
		}
		what, err := o.decided(ctx, tx)
		if err != nil {
			return err
		}
		st, err := o.station(ctx, tx)
		if err != nil {
			return err
		}
		return notifyDeputyOf(ctx, tx, deputyID, st, fmt.Sprintf("%s:%d:%d:%s", o.decidedKey, id, deputyID, status), o.decidedMsg, what, verdict)
	})
}

// AddPhoto keeps a photo of a published or held occasion (有现场图片 — 002).
func (s attendance) AddPhoto(ctx context.Context, kind lianluo.OccasionKind, id int64, data []byte) error {
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return err
	}
	return s.write(ctx, kind, id, "AddPhoto", func(tx *Tx, k occasionKind, a *lianluo.Actor, o *occasion) error {
		if err := o.manage(ctx, tx.conn, a, true); err != nil {
			return err
		}
		if err := lianluo.CheckAddToRecord(o.Occasion); err != nil {
			return err
		}
		if err := addSessionPhoto(ctx, tx, k, id, o.photos, ct, data, a); err != nil {
			return err
		}
		return tx.event(ctx, k.entity, id, lianluo.AuditPhoto, "上传"+o.Noun+"照片")
	})
}

// Photo returns the n-th (from 1) photo of an occasion in scope.
func (s attendance) Photo(ctx context.Context, kind lianluo.OccasionKind, id int64, n int) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "Photo(%s %d, %d)", kind, id, n)
	k, err := occasionKindOf(kind)
	if err != nil {
		return nil, err
	}
	if _, err := k.load(ctx, s.db.reader(), id); err != nil {
		return nil, err
	}
	return sessionPhoto(ctx, s.db.reader(), k, id, n)
}

// LinkCase ties a case in the caller's scope raised at the occasion to it, once.
func (s attendance) LinkCase(ctx context.Context, kind lianluo.OccasionKind, id, caseID int64) error {
	return s.write(ctx, kind, id, "LinkCase", func(tx *Tx, k occasionKind, a *lianluo.Actor, o *occasion) error {
		if err := o.manage(ctx, tx.conn, a, true); err != nil {
			return err
		}
		c, err := findCase(ctx, tx.conn, caseID)
		if err != nil {
			return lianluo.FieldError("case_id", "意见（编号%d）不存在或不在您的范围内。", caseID)
		}
		if err := lianluo.CheckLinkCase(o.Occasion, c); err != nil {
			return err
		}
		if slices.Contains(o.caseIDs, caseID) {
			return lianluo.FieldError("case_id", "意见（编号%d）已经关联到本次%s。", caseID, o.Noun)
		}
		if err := k.linkCase(ctx, tx, id, caseID); err != nil {
			return err
		}
		return tx.event(ctx, k.entity, id, lianluo.AuditLinkCase, fmt.Sprintf("关联意见 #%d", caseID))
	})
}

// changeOccasion runs fn on the occasion of kind k and id in one
// transaction, once the caller may manage it (with work: work at it) and
// version is its current one: the start of every versioned write of an
// occasion, whatever its kind.
func (db *DB) changeOccasion(ctx context.Context, k occasionKind, id int64, version int, work bool, fn func(tx *Tx, o *occasion) error) error {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		o, err := k.load(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := o.manage(ctx, tx.conn, a, work); err != nil {
			return err
		}
		if err := lianluo.CheckVersion("这次"+o.Noun, version, o.version); err != nil {
			return err
		}
		return fn(tx, o)
	})
}

// Cancel cancels an occasion that has not taken place (lianluo.CheckCancel);
// the invitees of a published one are told.
func (s attendance) Cancel(ctx context.Context, kind lianluo.OccasionKind, id int64, version int) (err error) {
	defer wrap(&err, "Cancel(%s %d)", kind, id)
	k, err := occasionKindOf(kind)
	if err != nil {
		return err
	}
	return s.db.changeOccasion(ctx, k, id, version, false, func(tx *Tx, o *occasion) error {
		if err := lianluo.CheckCancel(o.Occasion, lianluo.InviteesOf(o.invitees)); err != nil {
			return err
		}
		if o.Published {
			st, err := o.station(ctx, tx)
			if err != nil {
				return err
			}
			args, err := o.cancelArgs(ctx, tx)
			if err != nil {
				return err
			}
			for _, d := range o.invitees {
				if err := notifyDeputyOf(ctx, tx, d.DeputyID, st, fmt.Sprintf("%s_cancelled:%d:%d", k.kind, id, d.DeputyID), k.cancelledMsg, args...); err != nil {
					return err
				}
			}
		}
		res, err := tx.Exec(ctx, `UPDATE `+k.table+` SET status = 'cancelled', version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`,
			tx.now, id, version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, k.entity, id, lianluo.AuditCancel, "取消"+o.Noun)
	})
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
