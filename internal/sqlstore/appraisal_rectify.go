package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lianluo"
)

// Rectification items of an appraisal (整改事项, docs/appraisals.md): set
// by the office, reported by the unit, accepted or returned by the office,
// chased once when overdue (ChaseRectifications, the job rectification_chase).

const rectColumns = `r.id, r.appraisal_id, r.unit_id, o.name, r.text, r.due_on, r.status, r.report, r.return_reason,
	r.chased_at, r.version, r.created_at, r.updated_at`

const rectFrom = ` FROM rectifications r JOIN orgs o ON o.id = r.unit_id`

func scanRect(sc func(...any) error, r *lianluo.Rectification) error {
	return sc(&r.ID, &r.AppraisalID, &r.UnitID, &r.UnitName, &r.Text, &r.DueOn, &r.Status, &r.Report, &r.ReturnReason,
		&r.ChasedAt, &r.Version, &r.CreatedAt, &r.UpdatedAt)
}

// AddRectification sets an item for one of the appraisal's units (the
// office over it, once the appraisal opinions are sent) and tells the unit.
func (db *DB) AddRectification(ctx context.Context, appraisalID int64, in lianluo.RectificationInput) (_ *lianluo.Rectification, err error) {
	defer wrap(&err, "AddRectification(%d)", appraisalID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		p, _, err := findAppraisal(ctx, tx.conn, appraisalID)
		if err != nil {
			return err
		}
		if !lianluo.CanManageAppraisals(a, p.RegionCode) {
			return lianluo.Forbidden()
		}
		if err := in.Validate(p); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO rectifications (
				appraisal_id,
				unit_id,
				text,
				due_on,
				status,
				created_by,
				version,
				created_at,
				updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id`,
			p.ID, in.UnitID, in.Text, in.DueOn, lianluo.RectOpen, userRef(a), tx.now).Scan(&id); err != nil {
			return err
		}
		name := ""
		for _, u := range p.Units {
			if u.UnitID == in.UnitID {
				name = u.Name
			}
		}
		_, body := lianluo.Message(lianluo.MsgRectificationSet, lianluo.Truncate(p.Title, 30), name, lianluo.Truncate(in.Text, 60), in.DueOn)
		if err := tellUnit(ctx, tx, in.UnitID, lianluo.MsgRectificationSet, body, fmt.Sprintf("rectification_set:%d", id)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityAppraisal, p.ID, lianluo.AuditCreate,
			fmt.Sprintf("工作评议“%s”：给%s列出整改事项“%s”，期限%s", p.Title, name, lianluo.Truncate(in.Text, 60), in.DueOn))
	})
	if err != nil {
		return nil, err
	}
	return db.findRectification(ctx, db.reader(), id)
}

// loadRect loads an item and its appraisal in the caller's scope; an item
// of a unit the caller may not see is not found.
func loadRect(ctx context.Context, c conn, id int64) (*lianluo.Rectification, *lianluo.Appraisal, error) {
	a := lianluo.ActorFromContext(ctx)
	var r lianluo.Rectification
	err := scanRect(c.QueryRow(ctx, `SELECT `+rectColumns+rectFrom+` WHERE r.id = $1`, id).Scan, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, lianluo.NotFound("整改事项")
	} else if err != nil {
		return nil, nil, err
	}
	p, _, err := findAppraisal(ctx, c, r.AppraisalID)
	if lianluo.Is(err, lianluo.ENOTFOUND) || (err == nil && !lianluo.UnitItemsVisible(a, p.RegionCode, r.UnitID)) {
		return nil, nil, lianluo.NotFound("整改事项")
	}
	return &r, p, err
}

func (db *DB) findRectification(ctx context.Context, c conn, id int64) (*lianluo.Rectification, error) {
	r, p, err := loadRect(ctx, c, id)
	if err != nil {
		return nil, err
	}
	finishRect(lianluo.ActorFromContext(ctx), r, p, db.Now(), p.Status == lianluo.AppraisalClosed)
	return r, nil
}

// ActOnRectification reports an item done (the unit), or accepts or
// returns it (the office), as DecideRect decides; a return tells the unit why.
func (db *DB) ActOnRectification(ctx context.Context, id int64, act lianluo.RectAction, d lianluo.RectDecision) (_ *lianluo.Rectification, err error) {
	defer wrap(&err, "ActOnRectification(%d, %s)", id, act)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, p, err := loadRect(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		next, err := lianluo.DecideRect(a, *r, p.RegionCode, act, d, p.Status == lianluo.AppraisalClosed)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE rectifications SET status = $1, report = $2, return_reason = $3, version = $4, updated_at = $5
			WHERE id = $6 AND version = $7`, next.Status, next.Report, next.ReturnReason, next.Version, tx.now, id, r.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		if act == lianluo.RectReport {
			// 督办: the body's office hears of each report, to accept or return it.
			users, err := usersWithRole(ctx, tx, lianluo.RoleNPCOffice, []int64{p.OrgID})
			if err != nil {
				return err
			}
			_, body := lianluo.Message(lianluo.MsgRectificationDone, r.UnitName, lianluo.Truncate(r.Text, 30))
			for _, u := range users {
				uid := u
				if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgRectificationDone, Body: body,
					// The appraisal first: the inbox links the notice to its page (noticeAbout).
					DedupeKey: fmt.Sprintf("rectification_reported:%d:%d:%d:%d", p.ID, id, next.Version, u)}); err != nil {
					return err
				}
			}
		}
		if act == lianluo.RectReturn {
			_, body := lianluo.Message(lianluo.MsgRectificationBack, lianluo.Truncate(r.Text, 30), lianluo.Truncate(next.ReturnReason, 100))
			if err := tellUnit(ctx, tx, r.UnitID, lianluo.MsgRectificationBack, body, fmt.Sprintf("rectification_returned:%d:%d", id, next.Version)); err != nil {
				return err
			}
		}
		action := lianluo.AuditUpdate
		switch act {
		case lianluo.RectAccept:
			action = lianluo.AuditApprove
		case lianluo.RectReturn:
			action = lianluo.AuditReturn
		}
		return tx.event(ctx, lianluo.EntityAppraisal, p.ID, action,
			fmt.Sprintf("工作评议“%s”：%s的整改事项“%s”%s", p.Title, r.UnitName, lianluo.Truncate(r.Text, 60), lianluo.RectActionNames[act]))
	})
	if err != nil {
		return nil, err
	}
	return db.findRectification(ctx, db.reader(), id)
}

// UnitRectifications lists the items of the caller's units (a unit's
// handler on their phone): those still at work first, by due date.
func (db *DB) UnitRectifications(ctx context.Context) (_ []*lianluo.Rectification, err error) {
	defer wrap(&err, "UnitRectifications")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(lianluo.RoleUnitHandler) || len(a.Scope.Units) == 0 {
		return nil, lianluo.Forbidden()
	}
	c := db.reader()
	var w where
	q := `SELECT ` + rectColumns + `, p.title, p.region_code, p.status` + rectFrom + ` JOIN appraisals p ON p.id = r.appraisal_id
		WHERE r.unit_id IN ` + w.in(a.Scope.Units) + `
		ORDER BY CASE r.status WHEN 'accepted' THEN 2 WHEN 'reported' THEN 1 ELSE 0 END, r.due_on, r.id`
	now := db.Now()
	out := []*lianluo.Rectification{}
	err = scanEach(ctx, c, q, w.args, func(sc func(...any) error) error {
		var r lianluo.Rectification
		var p lianluo.Appraisal
		if err := sc(&r.ID, &r.AppraisalID, &r.UnitID, &r.UnitName, &r.Text, &r.DueOn, &r.Status, &r.Report, &r.ReturnReason,
			&r.ChasedAt, &r.Version, &r.CreatedAt, &r.UpdatedAt, &p.Title, &p.RegionCode, &p.Status); err != nil {
			return err
		}
		finishRect(a, &r, &p, now, p.Status == lianluo.AppraisalClosed)
		out = append(out, &r)
		return nil
	})
	return out, err
}

// ChaseRectifications tells each unit of its items past their due date and
// not reported, once: chased_at is set in the same transaction as the
// notice, and the dedupe key stops a second notice should two instances
// race. It returns how many items it chased.
func (db *DB) ChaseRectifications(ctx context.Context) (n int, err error) {
	defer wrap(&err, "ChaseRectifications")
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	err = db.transact(ctx, func(tx *Tx) error {
		today := tx.now.In(lianluo.Beijing).Format(time.DateOnly)
		type due struct {
			id, unit, appraisal int64
			unitName, text, on  string
		}
		var list []due
		err := scanEach(ctx, tx.conn, `SELECT r.id, r.unit_id, r.appraisal_id, o.name, r.text, r.due_on FROM rectifications r
			JOIN orgs o ON o.id = r.unit_id
			WHERE r.chased_at IS NULL AND r.status IN ('open', 'returned') AND r.due_on < $1 ORDER BY r.id`, []any{today},
			func(sc func(...any) error) error {
				var d due
				if err := sc(&d.id, &d.unit, &d.appraisal, &d.unitName, &d.text, &d.on); err != nil {
					return err
				}
				list = append(list, d)
				return nil
			})
		if err != nil {
			return err
		}
		for _, d := range list {
			res, err := tx.Exec(ctx, `UPDATE rectifications SET chased_at = $1 WHERE id = $2 AND chased_at IS NULL`, tx.now, d.id)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil || k != 1 {
				continue
			}
			_, body := lianluo.Message(lianluo.MsgRectificationLate, d.unitName, lianluo.Truncate(d.text, 30), d.on)
			if err := tellUnit(ctx, tx, d.unit, lianluo.MsgRectificationLate, body, fmt.Sprintf("rectification_overdue:%d", d.id)); err != nil {
				return err
			}
			if err := tx.event(ctx, lianluo.EntityAppraisal, d.appraisal, lianluo.AuditChase,
				fmt.Sprintf("%s的整改事项“%s”超过期限（%s），已催办", d.unitName, lianluo.Truncate(d.text, 60), d.on)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
