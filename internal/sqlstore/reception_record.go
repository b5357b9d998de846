// A reception session's record: minutes and visitors, photos, and the
// cases registered in it.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"strings"
)

// RecordReception keeps what a session did: visitors, minutes, the
// satisfaction check (001). Only once it has started.
func (db *DB) RecordReception(ctx context.Context, id int64, version int, rec lianluo.ReceptionRecord) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "RecordReception(%d)", id)
	rec.Minutes = strings.TrimSpace(rec.Minutes)
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return db.changeReception(ctx, id, version, true, func(tx *Tx, r *lianluo.Reception) error {
		if r.Status != lianluo.ReceptionPublished || tx.now.Before(r.StartsAt) {
			return lianluo.Errorf(lianluo.ESTATE, "接待开始以后才能填写接待记录。")
		}
		res, err := tx.Exec(ctx, `UPDATE receptions SET visitors = $1, minutes = $2, satisfied = $3, basically_satisfied = $4, unsatisfied = $5,
			recorded_at = $6, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
			rec.Visitors, rec.Minutes, rec.Satisfied, rec.BasicallySatisfied, rec.Unsatisfied, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditRecord, fmt.Sprintf("接待记录：接待群众%d人", rec.Visitors))
	})
}
