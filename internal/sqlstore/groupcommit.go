package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"lianluo"
)

// Group commit (SQLite). SQLite has one writer and, with synchronous=FULL,
// one fsync per commit: with a transaction per request the disk's sync
// time bounds the writes a second, whatever the cores. Instead, every
// write transaction (DB.transact) is a unit of work handed to one
// goroutine, which takes the units waiting, runs each in a savepoint of one
// transaction — a unit that fails rolls back to its savepoint, its own
// work only — commits once, and only then answers each caller: nothing is
// acknowledged before it is on disk, and one fsync covers the batch.
//
// A unit runs with its caller's context values (the actor) but not its
// cancellation: once a unit has started, an abandoned request must not
// interrupt a statement, which on SQLite would roll back the whole batch.
// A unit whose caller gave up before it started is skipped. A caller
// always waits for its unit's outcome, so no answer is given for work that
// may still commit.
//
// PostgreSQL runs each transaction on a connection of its own and commits
// it alone (many writers; its own commit grouping).

// maxBatch bounds a batch: enough to share one fsync among every request
// in flight, few enough that the first waits little for the last.
const maxBatch = 64

var errClosed = errors.New("database closed")

type batcher struct {
	db    *DB
	units chan *unit
	stop  chan struct{}
	done  chan struct{}

	// The writer's prepared statements: a text run in a unit that has
	// none yet is noted (misses) and prepared after the batch commits,
	// when the one writer connection is free; later units use it through
	// their transaction (sql.Tx.StmtContext keeps it prepared on the
	// connection). Preparing was about a quarter of a case's registration.
	stmts  sync.Map // SQLite text → *sql.Stmt on the writer
	nstmt  int      // entries in stmts (the loop's only)
	missMu sync.Mutex
	misses map[string]bool

	// Tests only (export_test.go): hold pauses the loop before it takes a
	// batch; onBatch is told each batch's size.
	hold    sync.RWMutex
	onBatch func(n int)
}

type unit struct {
	ctx context.Context
	fn  func(tx *Tx) error
	err chan error
}

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, units: make(chan *unit, 4*maxBatch), stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

// run queues fn and waits for its outcome.
func (b *batcher) run(ctx context.Context, fn func(tx *Tx) error) error {
	u := &unit{ctx: ctx, fn: fn, err: make(chan error, 1)}
	select {
	case b.units <- u:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stop:
		return errClosed
	}
	select {
	case err := <-u.err:
		return err
	case <-b.done:
		// Closed: the loop has answered everything it took; a unit queued
		// as it stopped was never taken.
		select {
		case err := <-u.err:
			return err
		default:
			return errClosed
		}
	}
}

// close stops the loop after the batch in hand; units still queued are
// answered errClosed.
func (b *batcher) close() {
	close(b.stop)
	<-b.done
	b.stmts.Range(func(k, v any) bool {
		if st := v.(*sql.Stmt); st != nil {
			st.Close()
		}
		return true
	})
}

func (b *batcher) loop() {
	defer close(b.done)
	for {
		var first *unit
		select {
		case first = <-b.units:
		case <-b.stop:
			for {
				select {
				case u := <-b.units:
					u.err <- errClosed
				default:
					return
				}
			}
		}
		b.hold.RLock() // tests: wait while held
		b.hold.RUnlock()
		batch := []*unit{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case u := <-b.units:
				batch = append(batch, u)
			default:
				break fill
			}
		}
		if b.onBatch != nil {
			b.onBatch(len(batch))
		}
		b.commit(batch)
		b.prepareMisses()
	}
}

// stmt is the writer's prepared statement for q, for use in the unit's
// transaction q; nil when q is not a transaction of the group commit, or
// when the text is not prepared yet (it is noted to be).
func (b *batcher) stmt(ctx context.Context, q querier, text string) *sql.Stmt {
	if b == nil {
		return nil
	}
	tx, ok := q.(*sql.Tx)
	if !ok {
		return nil
	}
	if v, ok := b.stmts.Load(text); ok {
		if st := v.(*sql.Stmt); st != nil {
			return tx.StmtContext(ctx, st)
		}
		return nil // it could not be prepared: it runs as it is
	}
	b.missMu.Lock()
	if b.misses == nil {
		b.misses = map[string]bool{}
	}
	if len(b.misses) < maxPrepared {
		b.misses[text] = true
	}
	b.missMu.Unlock()
	return nil
}

// prepareMisses prepares the texts the last batch ran unprepared, up to
// maxPrepared in all (write statements vary little).
func (b *batcher) prepareMisses() {
	b.missMu.Lock()
	misses := b.misses
	b.misses = nil
	b.missMu.Unlock()
	for text := range misses {
		if b.nstmt >= maxPrepared {
			return
		}
		if _, ok := b.stmts.Load(text); ok {
			continue
		}
		st, err := b.db.write.PrepareContext(context.Background(), text)
		if err != nil {
			st = nil // never tried again; it runs as it is
		}
		b.stmts.Store(text, st)
		b.nstmt++
	}
}

// commit runs the batch in one transaction and answers every unit.
func (b *batcher) commit(batch []*unit) {
	results := make([]error, len(batch))
	answer := func() {
		for i, u := range batch {
			u.err <- results[i]
		}
	}
	defer answer()
	sqlTx, err := b.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for i := range results {
			results[i] = err
		}
		return
	}
	committed := false
	var deferred []deferredExec // the committing units' (Tx.deferExec)
	fail := func(i int, fatal error) {
		// The transaction cannot be trusted: nothing of it commits.
		sqlTx.Rollback()
		for j := range results {
			if results[j] == nil || j == i {
				results[j] = fatal
			}
		}
	}
	for i, u := range batch {
		if err := u.ctx.Err(); err != nil {
			results[i] = err // the caller gave up before it started
			continue
		}
		var fatal error
		var ds []deferredExec
		results[i], ds, fatal = b.one(sqlTx, u)
		if fatal != nil {
			fail(i, fatal)
			return
		}
		committed = committed || results[i] == nil
		deferred = append(deferred, ds...)
	}
	if !committed {
		sqlTx.Rollback()
		return
	}
	if err := runDeferred(context.Background(), conn{db: b.db, q: sqlTx}, deferred); err != nil {
		fail(-1, err)
		return
	}
	if err := sqlTx.Commit(); err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
		return
	}
	b.db.ckpt.committed()
}

// one runs a unit in a savepoint: its error (its work rolled back) or the
// statements it deferred (Tx.deferExec), or a fatal error when the
// savepoint itself failed.
func (b *batcher) one(sqlTx *sql.Tx, u *unit) (err error, deferred []deferredExec, fatal error) {
	ctx := context.WithoutCancel(u.ctx)
	if _, err := sqlTx.ExecContext(ctx, `SAVEPOINT unit`); err != nil {
		return nil, nil, err
	}
	tx := &Tx{
		conn:  conn{db: b.db, q: sqlTx},
		tx:    sqlTx,
		now:   b.db.Now().UTC().Truncate(timeResolution),
		actor: lianluo.ActorFromContext(u.ctx),
	}
	err = runUnit(ctx, tx, u.fn)
	if err != nil {
		if _, rerr := sqlTx.ExecContext(ctx, `ROLLBACK TO unit`); rerr != nil {
			return nil, nil, fmt.Errorf("roll back a failed unit (%v): %w", err, rerr)
		}
	}
	if _, rerr := sqlTx.ExecContext(ctx, `RELEASE unit`); rerr != nil {
		return nil, nil, rerr
	}
	if err != nil {
		return err, nil, nil // its deferred statements go with its work
	}
	return nil, tx.deferred, nil
}

// runUnit runs fn and what a commit adds (the cache epoch, the audit
// chain), turning a panic into the unit's error.
func runUnit(ctx context.Context, tx *Tx, fn func(tx *Tx) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in a write: %v\n%s", r, debug.Stack())
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.bumpCacheEpoch(ctx); err != nil {
		return err
	}
	return tx.chainEvents(ctx)
}
