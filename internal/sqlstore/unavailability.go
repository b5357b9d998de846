// A deputy's declared unavailability, which the rota respects.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"lianluo"
	"strings"
	"time"
)

// AddUnavailability declares when a deputy cannot take a turn (the deputy
// themself, or the office managing them).
func (db *DB) AddUnavailability(ctx context.Context, u *lianluo.Unavailability) (err error) {
	defer wrap(&err, "AddUnavailability")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	f, err1 := time.ParseInLocation("2006-01-02", strings.TrimSpace(u.From), lianluo.Beijing)
	t, err2 := time.ParseInLocation("2006-01-02", strings.TrimSpace(u.To), lianluo.Beijing)
	switch {
	case err1 != nil:
		return lianluo.FieldError("from", "开始日期格式应为 2026-05-01。")
	case err2 != nil:
		return lianluo.FieldError("to", "结束日期格式应为 2026-05-31。")
	case t.Before(f):
		return lianluo.FieldError("to", "结束日期不能早于开始日期。")
	case t.Sub(f) > 366*24*time.Hour:
		return lianluo.FieldError("to", "一次最多登记一年。")
	}
	u.Reason = strings.TrimSpace(u.Reason)
	if err := optional("reason", "原因", u.Reason, 200); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		d, err := findDeputyByID(ctx, tx.conn, u.DeputyID)
		if err != nil {
			return err
		}
		if !lianluo.CanDeclareUnavailability(a, d.RegionCode, d.ID) {
			return lianluo.Forbidden()
		}
		u.From, u.To = f.Format("2006-01-02"), t.Format("2006-01-02")
		if err := tx.QueryRow(ctx, `INSERT INTO deputy_unavailability (deputy_id, from_date, to_date, reason, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			d.ID, u.From, u.To, u.Reason, tx.now).Scan(&u.ID); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDeputy, d.ID, lianluo.AuditUnavailable, fmt.Sprintf("登记不能参加接待：%s至%s", u.From, u.To))
	})
}

// FindUnavailability lists a deputy's declared absences.
func (db *DB) FindUnavailability(ctx context.Context, deputyID int64) (_ []lianluo.Unavailability, err error) {
	defer wrap(&err, "FindUnavailability(%d)", deputyID)
	if err := checkDeputyInScope(ctx, db.reader(), deputyID); err != nil {
		return nil, err
	}
	rows, err := db.reader().Query(ctx, `SELECT id, deputy_id, from_date, to_date, reason FROM deputy_unavailability WHERE deputy_id = $1 ORDER BY from_date`, deputyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.Unavailability{}
	for rows.Next() {
		var u lianluo.Unavailability
		if err := rows.Scan(&u.ID, &u.DeputyID, &u.From, &u.To, &u.Reason); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// DeleteUnavailability removes a declared absence.
func (db *DB) DeleteUnavailability(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "DeleteUnavailability(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		var deputyID int64
		err := tx.QueryRow(ctx, `SELECT deputy_id FROM deputy_unavailability WHERE id = $1`, id).Scan(&deputyID)
		if errors.Is(err, sql.ErrNoRows) {
			return lianluo.NotFound("记录")
		} else if err != nil {
			return err
		}
		d, err := findDeputyByID(ctx, tx.conn, deputyID)
		if err != nil {
			return err
		}
		if !lianluo.CanDeclareUnavailability(a, d.RegionCode, d.ID) {
			return lianluo.Forbidden()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM deputy_unavailability WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDeputy, d.ID, lianluo.AuditUnavailable, "删除不能参加接待的登记")
	})
}
