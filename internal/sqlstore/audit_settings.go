package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"lianluo"
)

// AuditSettings returns the audit trail's settings (the defaults until the
// auditor changes them). Nothing deletes events: the retention is the
// least time they are kept, the time any pruning would have to respect.
// The auditor only (lianluo.CanReadAudit), like the trail itself.
func (db *DB) AuditSettings(ctx context.Context) (_ lianluo.AuditSettings, err error) {
	defer wrap(&err, "AuditSettings")
	s := lianluo.AuditSettings{RetentionDays: lianluo.DefaultAuditRetentionDays}
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return s, err
	}
	if !lianluo.CanReadAudit(a) {
		return s, lianluo.Forbidden()
	}
	var raw string
	err = db.reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'audit'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	} else if err != nil {
		return s, err
	}
	return s, json.Unmarshal([]byte(raw), &s)
}

// SetAuditSettings changes the audit trail's settings (the auditor
// only); a retention below 180 days is refused.
func (db *DB) SetAuditSettings(ctx context.Context, s lianluo.AuditSettings) (err error) {
	defer wrap(&err, "SetAuditSettings")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !lianluo.CanReadAudit(a) {
		return lianluo.Forbidden()
	}
	if err := s.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(s)
	return db.transact(ctx, func(tx *Tx) error {
		if err := putSetting(ctx, tx, "audit", string(b)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntitySettings, 0, lianluo.AuditUpdate, "修改审计日志设置："+string(b))
	})
}
