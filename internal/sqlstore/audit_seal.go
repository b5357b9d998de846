package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"lianluo"
)

// Sealing on PostgreSQL (docs/architecture.md, "The audit chain").
//
// Chaining an event needs the head's row lock, and a lock taken in the
// business transaction is held through that transaction's commit, WAL flush
// included: every write committed one after another. So on PostgreSQL a
// transaction writes its events to events_pending, which takes no lock, and
// commits; a sealing loop then moves every pending event into the chain, in
// one transaction for all the writes that committed meanwhile. A write does
// not wait for it (waiting for the next round cost more than the lock did,
// BENCHMARKS.md). Whoever reads the audit trail through the store (FindEvents,
// VerifyAudit, AuditHead, EventHashByID, PruneAudit) seals what is pending
// first, so the trail they read holds every committed change; the reveal
// limit counts both tables.
//
// Nothing is lost in between: a pending event is committed with its change,
// and a round that fails (or a process killed before it runs) leaves it
// for the next round, the next reader, a clean Close or the next start (Open). The rounds of
// several server processes on one database serialise on the head's lock and
// each moves only the rows it read, so an event is chained once. SQLite keeps
// chaining inside its group commit (groupcommit.go), which already shares one
// transaction among concurrent writes.

// sealBatch is the most pending events one sealing transaction moves.
const sealBatch = 2000

// sealRetry is how long the loop waits after a failed round before the next.
const sealRetry = time.Second

// sealer is a DB's sealing loop, started by the first write that leaves
// events pending and stopped by Close.
type sealer struct {
	mu      sync.Mutex
	started bool
	closed  bool
	kick    chan struct{} // a write committed pending events (buffered: one wake-up is enough)
	stop    chan struct{}
	done    chan struct{}
}

// kickSealer wakes the sealing loop after a commit that left events pending.
func (db *DB) kickSealer() {
	s := &db.sealer
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return // closing: stopSealer seals what is left
	}
	if !s.started {
		s.started = true
		s.kick, s.stop, s.done = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
		go db.sealLoop()
	}
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// sealLoop runs a sealing round at each wake-up until Close. Errors are
// logged, never returned to a write: its change is committed, and its events
// wait for the next round.
func (db *DB) sealLoop() {
	s := &db.sealer
	defer close(s.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.stop
		cancel()
	}()
	for {
		select {
		case <-s.stop:
			return
		case <-s.kick:
		}
		if err := db.sealPending(ctx); err != nil && ctx.Err() == nil {
			slog.Error("audit: sealing pending events failed; they stay pending for the next round", "err", err)
			select {
			case <-s.stop:
				return
			case <-time.After(sealRetry):
			}
			select {
			case s.kick <- struct{}{}:
			default:
			}
		}
	}
}

// stopSealer ends the sealing loop, waiting for its round, and seals what
// the last writes left, so that a process stopped cleanly leaves nothing
// pending; Close calls it before closing the pools.
func (db *DB) stopSealer() {
	s := &db.sealer
	s.mu.Lock()
	started := s.started && !s.closed
	s.closed = true
	s.mu.Unlock()
	if !started {
		return
	}
	close(s.stop)
	<-s.done
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.sealPending(ctx); err != nil {
		slog.Error("audit: sealing pending events at close failed; the next start seals them", "err", err)
	}
}

// sealPending moves every pending event into the chain, sealBatch at a time,
// each batch in its own transaction.
func (db *DB) sealPending(ctx context.Context) (err error) {
	defer wrap(&err, "sealPending")
	if db.Dialect != Postgres {
		return nil
	}
	for {
		// Nothing pending is the common case after a concurrent round took
		// this write's events along: no transaction, no lock.
		var pending bool
		if err := db.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events_pending)`).Scan(&pending); err != nil {
			return err
		}
		if !pending {
			return nil
		}
		n, err := db.sealPendingBatch(ctx)
		if err != nil {
			return err
		}
		if n < sealBatch {
			return nil
		}
	}
}

// sealPendingBatch chains up to sealBatch pending events, oldest first, and
// deletes exactly the rows it chained. It returns how many it chained.
func (db *DB) sealPendingBatch(ctx context.Context) (n int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// The head first: a second round (another process) waits here and then
	// reads only what this one left.
	var headID int64
	var head string
	if err := tx.QueryRowContext(ctx, `SELECT event_id, hash FROM audit_head WHERE id = 1 FOR UPDATE`).Scan(&headID, &head); err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events_pending ORDER BY id LIMIT $1`, sealBatch)
	if err != nil {
		return 0, err
	}
	var pendingIDs []int64
	var batch []*lianluo.Event
	for rows.Next() {
		var e lianluo.Event
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.ClientAddr, &e.Entity, &e.EntityID, &e.Action, &e.Summary); err != nil {
			rows.Close()
			return 0, err
		}
		pendingIDs = append(pendingIDs, e.ID)
		batch = append(batch, &e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(batch) == 0 {
		return 0, nil
	}
	// sealBatch rows of 11 parameters stay under PostgreSQL's 65,535.
	values, args, headID, head := chainRows(batch, headID, head)
	if _, err := tx.ExecContext(ctx, insertChained+values, args...); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM events_pending WHERE id = ANY($1)`, pendingIDs)
	if err != nil {
		return 0, err
	}
	if got, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if got != int64(len(pendingIDs)) {
		return 0, fmt.Errorf("deleted %d pending events of the %d chained", got, len(pendingIDs))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET event_id = $1, hash = $2 WHERE id = 1`, headID, head); err != nil {
		return 0, err
	}
	return len(pendingIDs), tx.Commit()
}
