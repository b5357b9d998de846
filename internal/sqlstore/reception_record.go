// A reception session's record: minutes and visitors, photos, and the
// cases registered in it.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"slices"
	"strings"
)

// RecordReception keeps what a session did: visitors, minutes, the
// satisfaction check (001). Only once it has started.
func (db *DB) RecordReception(ctx context.Context, id int64, version int, rec lianluo.ReceptionRecord) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "RecordReception(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	rec.Minutes = strings.TrimSpace(rec.Minutes)
	if err := rec.Validate(); err != nil {
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
		if r.Version != version {
			return lianluo.Stale()
		}
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
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// AddReceptionPhoto keeps a photo of a session (有现场图片 — 002).
func (db *DB) AddReceptionPhoto(ctx context.Context, id int64, data []byte) (err error) {
	defer wrap(&err, "AddReceptionPhoto(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, true); err != nil {
			return err
		}
		if err := addSessionPhoto(ctx, tx, receptionOccasions, id, r.Photos, ct, data, a); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditPhoto, "上传现场照片")
	})
}

// ReceptionPhoto returns the n-th (from 1) photo of a session in scope.
func (db *DB) ReceptionPhoto(ctx context.Context, id int64, n int) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "ReceptionPhoto(%d, %d)", id, n)
	if _, err := findReception(ctx, db.reader(), id); err != nil {
		return nil, err
	}
	return sessionPhoto(ctx, db.reader(), receptionOccasions, id, n)
}

// LinkCase ties a case registered during a session to it: the case must be
// in the caller's scope, at the same station.
func (db *DB) LinkCase(ctx context.Context, id, caseID int64) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "LinkCase(%d, %d)", id, caseID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
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
		c, err := findCase(ctx, tx.conn, caseID)
		if err != nil {
			return lianluo.FieldError("case_id", "意见（编号%d）不存在或不在您的范围内。", caseID)
		}
		if c.StationID == nil || *c.StationID != r.StationID {
			return lianluo.FieldError("case_id", "只能关联在本站登记的意见。")
		}
		if slices.Contains(r.CaseIDs, caseID) {
			return lianluo.FieldError("case_id", "意见（编号%d）已经关联到本次接待。", caseID)
		}
		if err := receptionOccasions.linkCase(ctx, tx, id, caseID); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditLinkCase, fmt.Sprintf("关联意见 #%d", caseID))
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}
