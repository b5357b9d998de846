package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"
)

// Checkpoints beside the writer (SQLite). In WAL mode a commit appends the
// pages it changed to the -wal file; a checkpoint copies them back into the
// database file and syncs it. SQLite runs one on the committing connection
// once the WAL holds 1,000 pages, so every few batches of registrations one
// batch also waited for a thousand scattered page writes and an fsync of a
// large file. A connection of its own now copies the pages while the
// writer goes on: after a group commit it is asked to run a PASSIVE
// checkpoint, which never waits for the writer or the readers and copies
// what it can (registering at a million cases: 375–446 → 611–725 a second,
// BENCHMARKS.md "Seventh round").
//
// The writer keeps its own automatic checkpoint: it finds little left to
// copy, and a WAL copied to its end is what lets the next transaction start
// it again from the beginning (a checkpointer alone, racing the writer,
// would never see the WAL whole and the file would grow without bound).
// Should the helper fail, the writer's own checkpoint still bounds the WAL.
// Writes that do not go through the group commit (migrations, the bulk load)
// are left to the writer's automatic checkpoint, as before.

// checkpointEvery is the least time between two of the helper's
// checkpoints: each syncs the database file, and a few a second keep the
// writer's own with little to copy.
const checkpointEvery = 50 * time.Millisecond

type checkpointer struct {
	conn *sql.DB
	kick chan struct{}
	stop chan struct{}
	done chan struct{}

	// Tests only (export_test.go): told each checkpoint's outcome.
	onCheckpoint atomic.Pointer[func(walPages, copied int, err error)]
}

func newCheckpointer(path, pragmas string) (*checkpointer, error) {
	c, err := sql.Open("sqlite", SQLiteDSN(path)+"&"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s for checkpoints: %w", path, err)
	}
	c.SetMaxOpenConns(1)
	c.SetMaxIdleConns(1)
	c.SetConnMaxLifetime(0)
	cp := &checkpointer{conn: c, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go cp.loop()
	return cp, nil
}

// committed tells the helper a group commit has added pages to the WAL; it
// never blocks.
func (cp *checkpointer) committed() {
	if cp == nil {
		return
	}
	select {
	case cp.kick <- struct{}{}:
	default: // one is asked for already
	}
}

func (cp *checkpointer) loop() {
	defer close(cp.done)
	for {
		select {
		case <-cp.kick:
		case <-cp.stop:
			return
		}
		var busy, walPages, copied int
		err := cp.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &walPages, &copied)
		// An error (a full disk, say) is the writer's to report: its own
		// automatic checkpoint and its commits meet the same disk.
		if f := cp.onCheckpoint.Load(); f != nil {
			(*f)(walPages, copied, err)
		}
		select {
		case <-time.After(checkpointEvery):
		case <-cp.stop:
			return
		}
	}
}

// close stops the helper and closes its connection; the writer, closed
// last, makes the final checkpoint.
func (cp *checkpointer) close() error {
	close(cp.stop)
	<-cp.done
	return cp.conn.Close()
}
