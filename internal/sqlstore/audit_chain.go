package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// The audit chain (docs/architecture.md, "The audit chain"). Every event
// stores the hash of the event before it (prev_hash) and its own hash,
// lianluo.EventHash over its fields and prev_hash; audit_head holds the last
// event's id and hash. A transaction's events are written when it commits,
// after its other writes.
//
// On PostgreSQL the events go through events_pending and are chained after
// the commit (audit_seal.go), so that the head's lock is not held through
// every write's commit. SQLite has one writer anyway.

// chainEvents appends the transaction's events to the chain. On SQLite it
// reads the head, gives each event the next id after it (the head holds the
// chain's last and largest id: only chainRows' callers write events), its
// link and hash, writes them, and moves the head; SQLite has one writer, and
// its group commit makes this once per batch of writes. On PostgreSQL it
// writes them to events_pending instead, to be chained after the commit
// (audit_seal.go): the head's lock is not held through this commit.
func (tx *Tx) chainEvents(ctx context.Context) (err error) {
	if len(tx.events) == 0 {
		return nil
	}
	defer wrap(&err, "chainEvents")
	if tx.db.Dialect == Postgres {
		var args []any
		for _, e := range tx.events {
			args = append(args, e.At, e.ActorID, e.ActorName, e.ClientAddr, e.Entity, e.EntityID, e.Action, e.Summary)
		}
		values := valueRows(len(tx.events), 8)
		tx.events, tx.sealAfter = nil, true
		_, err := tx.Exec(ctx, `INSERT INTO events_pending (at, actor_id, actor_name, client_addr, entity, entity_id, action, summary)
			VALUES `+values, args...)
		return err
	}
	var headID int64
	var head string
	if err := tx.QueryRow(ctx, `SELECT event_id, hash FROM audit_head WHERE id = 1`).Scan(&headID, &head); err != nil {
		return err
	}
	values, args, headID, head := chainRows(tx.events, headID, head)
	tx.events = nil
	if _, err := tx.Exec(ctx, insertChained+values, args...); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE audit_head SET event_id = $1, hash = $2 WHERE id = 1`, headID, head)
	return err
}

const insertChained = `INSERT INTO events (id, at, actor_id, actor_name, client_addr, entity, entity_id, action, summary, prev_hash, hash)
	VALUES `

// chainRows gives each event the next id after headID, its link and its
// hash, and returns the VALUES rows that insert them into events, with their
// arguments numbered from $1, and the new head.
func chainRows(events []*lianluo.Event, headID int64, head string) (values string, args []any, lastID int64, last string) {
	for _, e := range events {
		e.ID = headID + 1
		hash := lianluo.EventHash(e, head)
		args = append(args, e.ID, e.At, e.ActorID, e.ActorName, e.ClientAddr, e.Entity, e.EntityID, e.Action, e.Summary, head, hash)
		headID, head = e.ID, hash
	}
	return valueRows(len(events), 11), args, headID, head
}

// valueRows is the VALUES list of n rows of cols parameters each, numbered
// from $1 row after row: "($1, $2), ($3, $4)".
func valueRows(n, cols int) string {
	var sb strings.Builder
	for r := range n {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range cols {
			if c > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("$" + strconv.Itoa(r*cols+c+1))
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// sealEvents chains the events written before the chain existed (migration
// 0014), in id order after the head, a thousand at a time.
func sealEvents(ctx context.Context, tx *Tx) error {
	var headID int64
	var head string
	if err := tx.QueryRow(ctx, `SELECT event_id, hash FROM audit_head WHERE id = 1`).Scan(&headID, &head); err != nil {
		return err
	}
	for {
		rows, err := tx.Query(ctx, `SELECT `+eventColumns+`, prev_hash, hash FROM events
			WHERE id > $1 AND hash = '' ORDER BY id LIMIT 1000`, headID)
		if err != nil {
			return err
		}
		var batch []*lianluo.Event
		for rows.Next() {
			e, _, _, err := scanChained(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, e := range batch {
			hash := lianluo.EventHash(e, head)
			if _, err := tx.Exec(ctx, `UPDATE events SET prev_hash = $1, hash = $2 WHERE id = $3`, head, hash, e.ID); err != nil {
				return err
			}
			headID, head = e.ID, hash
		}
	}
	_, err := tx.Exec(ctx, `UPDATE audit_head SET event_id = $1, hash = $2 WHERE id = 1`, headID, head)
	return err
}

const eventColumns = `id, at, actor_id, actor_name, client_addr, entity, entity_id, action, summary`

func scanChained(s interface{ Scan(...any) error }) (*lianluo.Event, string, string, error) {
	var e lianluo.Event
	var prev, hash string
	err := s.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.ClientAddr, &e.Entity, &e.EntityID, &e.Action, &e.Summary, &prev, &hash)
	return &e, prev, hash, err
}

// VerifyAudit walks the audit chain in id order and reports the first event
// whose content does not match its hash or whose link does not match the
// event before it, and a head that does not match the last event (events
// deleted at the end). It streams: memory does not grow with the events.
// The auditor only (lianluo.CanReadAudit).
func (db *DB) VerifyAudit(ctx context.Context) (_ *lianluo.AuditCheck, err error) {
	defer wrap(&err, "VerifyAudit")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanReadAudit(a) {
		return nil, lianluo.Forbidden()
	}
	// Events a failed round left pending join the chain first.
	if err := db.sealPending(ctx); err != nil {
		return nil, err
	}
	return verifyChain(ctx, db.reader(), db.Now())
}

func verifyChain(ctx context.Context, c conn, now time.Time) (*lianluo.AuditCheck, error) {
	// One snapshot for the head and the events: on PostgreSQL a repeatable
	// read transaction, on SQLite a read transaction on one connection.
	var q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
		QueryRowContext(context.Context, string, ...any) *sql.Row
	} = c.q
	if d, ok := c.q.(*sql.DB); ok {
		var opts *sql.TxOptions
		if c.db.Dialect == Postgres {
			opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
		}
		t, err := d.BeginTx(ctx, opts)
		if err != nil {
			return nil, err
		}
		defer t.Rollback()
		q = t
	}
	var headID, anchorID int64
	var head, anchor string
	var anchorAt sql.NullTime
	if err := q.QueryRowContext(ctx, `SELECT event_id, hash, anchor_id, anchor_hash, anchor_at FROM audit_head WHERE id = 1`).
		Scan(&headID, &head, &anchorID, &anchor, &anchorAt); err != nil {
		return nil, err
	}
	check := &lianluo.AuditCheck{OK: true, Head: head, HeadID: headID, AnchorID: anchorID}
	bad := func(id int64, reason string) {
		if check.OK {
			check.OK, check.FirstBadID, check.Reason = false, &id, reason
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+`, prev_hash, hash FROM events ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// After pruning the chain starts at the anchor: the last pruned event.
	lastID, last := anchorID, anchor
	for rows.Next() {
		e, prev, hash, err := scanChained(rows)
		if err != nil {
			return nil, err
		}
		check.Events++
		switch {
		case e.ID <= anchorID:
			bad(e.ID, fmt.Sprintf("事件 %d 在已清理的范围（至事件 %d）之内：清理的锚点被修改。", e.ID, anchorID))
		case prev != last:
			bad(e.ID, fmt.Sprintf("事件 %d 与前一事件的链接不符：其前的事件被删除、插入或修改。", e.ID))
		case lianluo.EventHash(e, prev) != hash:
			bad(e.ID, fmt.Sprintf("事件 %d 的内容与其哈希不符：该事件被修改。", e.ID))
		}
		lastID, last = e.ID, hash
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Nothing younger than the least retention may have been pruned.
	if anchorAt.Valid && anchorAt.Time.After(now.AddDate(0, 0, -lianluo.MinAuditRetentionDays)) {
		bad(anchorID, fmt.Sprintf("已清理的事件（至事件 %d）中有未满%d天的：审计日志被提前删除。", anchorID, lianluo.MinAuditRetentionDays))
	}
	if lastID != headID || last != head {
		bad(lastID+1, fmt.Sprintf("链头（事件 %d）与最后一个事件（%d）不符：末尾的事件被删除或链头被修改。", headID, lastID))
	}
	return check, nil
}

// AuditHead returns the chain head's event id and hash (hex).
// The auditor only (lianluo.CanReadAudit).
func (db *DB) AuditHead(ctx context.Context) (id int64, hash string, err error) {
	defer wrap(&err, "AuditHead")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return 0, "", err
	}
	if !lianluo.CanReadAudit(a) {
		return 0, "", lianluo.Forbidden()
	}
	if err := db.sealPending(ctx); err != nil {
		return 0, "", err
	}
	err = db.reader().QueryRow(ctx, `SELECT event_id, hash FROM audit_head WHERE id = 1`).Scan(&id, &hash)
	return id, hash, err
}

// RecordEvent writes an audit event of its own, for what changes nothing
// but must be on the record: an export, a download, a refused request.
func (db *DB) RecordEvent(ctx context.Context, entity lianluo.AuditEntity, id int64, action lianluo.AuditAction, summary string) (err error) {
	defer wrap(&err, "RecordEvent")
	return db.transact(ctx, func(tx *Tx) error { return tx.event(ctx, entity, id, action, summary) })
}

// EventHashByID returns the stored hash of one event, to compare with a head
// noted down earlier: a chain rewritten from some event on verifies again,
// but no longer passes through the noted hash. The auditor only (lianluo.CanReadAudit).
func (db *DB) EventHashByID(ctx context.Context, id int64) (hash string, err error) {
	defer wrap(&err, "EventHashByID(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return "", err
	}
	if !lianluo.CanReadAudit(a) {
		return "", lianluo.Forbidden()
	}
	if err := db.sealPending(ctx); err != nil {
		return "", err
	}
	err = db.reader().QueryRow(ctx, `SELECT hash FROM events WHERE id = $1`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", lianluo.NotFound("事件")
	}
	return hash, err
}

// PruneAuditDue is PruneAudit as the system: the daily job audit_prune.
func (db *DB) PruneAuditDue(ctx context.Context) (int64, error) {
	return db.PruneAudit(lianluo.NewContextWithActor(ctx, lianluo.SystemActor()))
}

// PruneAudit deletes the audit events older than the retention
// (AuditSettings; never less than 180 days), oldest first and only a prefix
// of the chain, and keeps the last deleted event's id, hash and time in
// audit_head as the anchor the first kept event links to, so the rest still
// verifies. It records itself as an event. Administrators (and the command
// line) only.
func (db *DB) PruneAudit(ctx context.Context) (n int64, err error) {
	defer wrap(&err, "PruneAudit")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if !lianluo.CanReadAudit(a) {
		return 0, lianluo.Forbidden()
	}
	s, err := db.AuditSettings(ctx)
	if err != nil {
		return 0, err
	}
	days := max(s.RetentionDays, lianluo.MinAuditRetentionDays)
	if err := db.sealPending(ctx); err != nil {
		return 0, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		cutoff := tx.now.AddDate(0, 0, -days)
		lock := `SELECT anchor_id FROM audit_head WHERE id = 1`
		if db.Dialect == Postgres {
			lock += ` FOR UPDATE`
		}
		var anchorID int64
		if err := tx.QueryRow(ctx, lock).Scan(&anchorID); err != nil {
			return err
		}
		// The last event of the prefix older than the cutoff: ids rise with
		// commits, times with the start of transactions, so an older event
		// after a younger one stays.
		var last sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT MAX(id) FROM events WHERE id < COALESCE((SELECT MIN(id) FROM events WHERE at >= $1), $2)`,
			cutoff, int64(1)<<62).Scan(&last); err != nil {
			return err
		}
		if !last.Valid || last.Int64 <= anchorID {
			return nil
		}
		var hash string
		var at time.Time
		if err := tx.QueryRow(ctx, `SELECT hash, at FROM events WHERE id = $1`, last.Int64).Scan(&hash, &at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE audit_head SET anchor_id = $1, anchor_hash = $2, anchor_at = $3 WHERE id = 1`, last.Int64, hash, at); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM events WHERE id <= $1`, last.Int64)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntitySettings, 0, lianluo.AuditPrune,
			fmt.Sprintf("清理审计日志：删除早于 %s 的 %d 条记录（至事件 %d，保存期限 %d 天）", cutoff.In(lianluo.Beijing).Format("2006-01-02"), n, last.Int64, days))
	})
	return n, err
}
