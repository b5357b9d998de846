// An activity's record (minutes and outcomes), photos and linked cases.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"slices"
)

// RecordActivity keeps the minutes and the suggestions raised (代表小组
// 活动登记簿 — 003: 每次活动情况应认真记载); the activity is then done.
// A draft already ended is an activity entered afterwards (补录).
func (db *DB) RecordActivity(ctx context.Context, id int64, version int, rec lianluo.ActivityRecord) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "RecordActivity(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if x.Version != version {
			return lianluo.Stale()
		}
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
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// AddActivityPhoto keeps a photo of an activity.
func (db *DB) AddActivityPhoto(ctx context.Context, id int64, data []byte) (err error) {
	defer wrap(&err, "AddActivityPhoto(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if x.Status == lianluo.ActivityDraft || x.Status == lianluo.ActivityCancelled {
			return lianluo.Errorf(lianluo.ESTATE, "只有已发布或已完成的活动可以上传照片。")
		}
		if err := addSessionPhoto(ctx, tx, activityOccasions, id, x.Photos, ct, data, a); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditPhoto, "上传活动照片")
	})
}

// ActivityPhoto returns the n-th (from 1) photo of an activity in scope.
func (db *DB) ActivityPhoto(ctx context.Context, id int64, n int) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "ActivityPhoto(%d, %d)", id, n)
	if _, err := findActivity(ctx, db.reader(), id); err != nil {
		return nil, err
	}
	return sessionPhoto(ctx, db.reader(), activityOccasions, id, n)
}

// LinkActivityCase ties a case raised at an activity to it; the case must
// be in the caller's scope.
func (db *DB) LinkActivityCase(ctx context.Context, id, caseID int64) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "LinkActivityCase(%d, %d)", id, caseID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if _, err := findCase(ctx, tx.conn, caseID); err != nil {
			return lianluo.FieldError("case_id", "意见（编号%d）不存在或不在您的范围内。", caseID)
		}
		if slices.Contains(x.CaseIDs, caseID) {
			return lianluo.FieldError("case_id", "意见（编号%d）已经关联到本次活动。", caseID)
		}
		if err := activityOccasions.linkCase(ctx, tx, id, caseID); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditLinkCase, fmt.Sprintf("关联意见 #%d", caseID))
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}
