// An activity's record (minutes and outcomes), photos and linked cases.

package sqlstore

import (
	"context"
	"lianluo"
)

// RecordActivity keeps the minutes and the suggestions raised (代表小组
// 活动登记簿 — 003: 每次活动情况应认真记载); the activity is then done.
// A draft already ended is an activity entered afterwards (补录).
func (db *DB) RecordActivity(ctx context.Context, id int64, version int, rec lianluo.ActivityRecord) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "RecordActivity(%d)", id)
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return db.changeActivity(ctx, id, version, true, func(tx *Tx, x *lianluo.Activity) error {
		held := (x.Status == lianluo.ActivityPublished || x.Status == lianluo.ActivityDone) && !tx.now.Before(x.StartsAt)
		entered := x.Status == lianluo.ActivityDraft && x.EndsAt.Before(tx.now) // 补录
		if !held && !entered {
			return lianluo.Errorf(lianluo.ESTATE, "活动开始以后才能填写活动记录。")
		}
		res, err := tx.Exec(ctx, `UPDATE activities SET minutes = $1, outcomes = $2, recorded_at = $3, status = 'done',
			version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5`,
			rec.Minutes, rec.Outcomes, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditRecord, "填写活动记录")
	})
}
