// Package sqlstore implements Lianluo's services on database/sql, for SQLite
// (embedded, the default) and PostgreSQL. SQL text is shared wherever the two
// agree and written with $1…$N placeholders; for SQLite they are rewritten to
// ?1…?N (SQLite numbers "$1" by first appearance, not by its digits).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lianluo"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // pure-Go SQLite driver "sqlite" (no cgo: cross-compiles to Windows)
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the store. It holds two pools on SQLite — one writer connection and a
// reader pool — because concurrent read-then-write transactions on one pool
// fail with "database is locked" (docs/storage.md); on PostgreSQL both are one pool.
type DB struct {
	Dialect string
	URL     string // postgres:// URL, or the SQLite file path
	write   *sql.DB
	read    *sql.DB

	now func() time.Time // Config.Now; one `now` per transaction

	rebinds sync.Map // query text → SQLite text

	lexemes lexemeStats // PostgreSQL: the commonest search words (search_plan.go)

	stmts     sync.Map     // SQLite text → the reader pool's *sql.Stmt (conn.prepared)
	stmtCount atomic.Int64 // entries in stmts

	probeRows int // a category list's first look (categoryProbe): categoryProbeRows

	hashSem chan struct{} // bounds concurrent password hashing (memory-hard)
	argon   PasswordHashParams

	pubKey hashKeyCache // the online station's HMAC key (public_lookup.go)

	keys *keyring // the field encryption keys (fieldcrypt.go)

	unknownNames nameLocks // failed logins of names that are not accounts (login_names.go)

	auth     authCache     // actors resolved from tokens, while the cache epoch holds (cache.go)
	batch    *batcher      // SQLite's group commit (groupcommit.go); nil on PostgreSQL
	ckpt     *checkpointer // SQLite's checkpoints beside the writer (checkpoint.go); nil on PostgreSQL
	sealer   sealer        // PostgreSQL's loop that chains the pending audit events (audit_seal.go)
	settings settingsCache // the deadline policy and the calendar, likewise

	// onPasswordCheck, when set (by tests only, export_test.go), runs
	// before each check of a password against an account's own hash.
	onPasswordCheck func()
	// onQuery, when set (by tests only), runs before each statement sent
	// through a conn: the authentication cache's test counts them.
	onQuery func()

	// Channels are the notification channels this deployment delivers
	// besides in-app and SMS (email, wecom, dingtalk), from Config.Channels:
	// a user's choice of another channel falls back to the in-app item
	// alone (notify.go). Open sets it; only tests change it afterwards.
	Channels []string
}

// Config says where the database is.
type Config struct {
	// DatabaseURL: "" for a SQLite file in DataDir, "postgres://…" for PostgreSQL,
	// or "sqlite:PATH" / "file:PATH" for a SQLite file elsewhere.
	DatabaseURL string
	DataDir     string
	// PasswordHash is the argon2id cost of new password hashes; the zero
	// value means the production cost (PasswordHashDefault). Test databases
	// use PasswordHashForTests: the same algorithm and code path at a cost a
	// test suite that creates hundreds of accounts can afford.
	PasswordHash PasswordHashParams
	// Channels are the notification channels configured besides in-app and
	// SMS (notify.Config.Channels), read by nothing but the outbox and the
	// notification settings (DB.Channels).
	Channels []string
	// Now is the clock (time.Now when nil): a test's or the demo loader's
	// lianluo.Clock, given here because nothing on a DB changes after Open.
	Now func() time.Time
	// KeyFile is the field encryption key file (fieldcrypt.go): required
	// for PostgreSQL; for SQLite "" means lianluo.key beside the database
	// file, made on first start.
	KeyFile string
}

// Open opens (creating if needed) and migrates the database.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db, err := open(cfg)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.checkKeys(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The indexes an interrupted bulk load dropped (bulk_indexes.go).
	if err := db.restoreBulkIndexes(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Audit events a stopped process left pending (PostgreSQL) join the chain.
	if err := db.sealPending(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.seedCalendar(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("seed the holiday calendar: %w", err)
	}
	return db, nil
}

// OpenNoMigrate opens the database without migrating it (for `migrate --status`).
func OpenNoMigrate(cfg Config) (*DB, error) { return open(cfg) }

func open(cfg Config) (*DB, error) {
	db := &DB{now: cfg.Now, hashSem: make(chan struct{}, 4), argon: cfg.PasswordHash, Channels: slices.Clone(cfg.Channels),
		probeRows: categoryProbeRows}
	if db.now == nil {
		db.now = time.Now
	}
	if db.argon == (PasswordHashParams{}) {
		db.argon = PasswordHashDefault
	}
	u := cfg.DatabaseURL
	switch {
	case strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://"):
		db.Dialect, db.URL = Postgres, u
		pool, err := sql.Open("pgx", u)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(10)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.write, db.read = pool, pool
	case u == "" || strings.HasPrefix(u, "sqlite:") || strings.HasPrefix(u, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "file:")
		if path == "" {
			dir := cfg.DataDir
			if dir == "" {
				dir = "data"
			}
			// The data folder holds voters' personal data: its owner only
			// (an existing one is tightened too).
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create data folder %s: %w", dir, err)
			}
			if err := os.Chmod(dir, 0o700); err != nil {
				return nil, fmt.Errorf("data folder %s: %w", dir, err)
			}
			path = filepath.Join(dir, "lianluo.db")
		}
		db.Dialect, db.URL = SQLite, path
		if err := ownerOnly(path, true); err != nil {
			return nil, err
		}
		if err := db.openSQLite(path); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unsupported database URL %q: use postgres://… or leave it empty for SQLite", redactURL(u))
	}
	kr, err := loadKeyring(cfg, db.Dialect, db.URL)
	if err != nil {
		db.Close()
		return nil, err
	}
	db.keys = kr
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.Dialect, err)
	}
	return db, nil
}

// ownerOnly makes the SQLite file at path (created empty when create and
// missing) and its -wal and -shm files readable and writable by their owner
// only (0600). SQLite gives the WAL and shared-memory files it creates the
// database file's permissions, so a database made here stays 0600.
func ownerOnly(path string, create bool) error {
	if create {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("create sqlite %s: %w", path, err)
		}
		f.Close()
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("sqlite %s: %w", p, err)
		}
	}
	return nil
}

// writerCacheKiB is the SQLite writer's page cache in KiB (openSQLite), and
// writerCacheSize the pragma that sets it again after a bulk load's larger one.
const (
	writerCacheKiB  = "16384"
	writerCacheSize = `PRAGMA cache_size = -` + writerCacheKiB
)

// openSQLite opens the writer and the reader pool. synchronous=FULL: nothing
// acknowledged may be lost to a power cut (NORMAL lost acknowledged rows in
// the power-loss test in docs/storage.md). _txlock=immediate on the writer takes the
// write lock at BEGIN, so read-then-write transactions never deadlock.
func (db *DB) openSQLite(path string) error {
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	// The writer: a group commit's savepoints journal the pages each unit
	// changes (temp_store in memory: no temporary file, no write calls),
	// and a cache of 16 MB keeps the indexes' upper pages that every
	// registration walks (the default 2 MB read them again and again).
	w, err := sql.Open("sqlite", SQLiteDSN(path)+"&"+pragmas+"&_pragma=temp_store(MEMORY)&_pragma=cache_size(-"+writerCacheKiB+")&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// The writer must create the file and switch it to WAL before readers open it.
	if err := w.Ping(); err != nil {
		w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", SQLiteDSN(path)+"&"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	ckpt, err := newCheckpointer(path, pragmas)
	if err != nil {
		w.Close()
		r.Close()
		return err
	}
	db.write, db.read, db.ckpt = w, r, ckpt
	db.batch = newBatcher(db)
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	db.stopSealer()
	if db.batch != nil {
		db.batch.close()
		db.batch = nil
	}
	var err error
	if db.ckpt != nil {
		err = db.ckpt.close()
		db.ckpt = nil
	}
	db.stmts.Range(func(k, st any) bool {
		st.(*sql.Stmt).Close()
		db.stmts.Delete(k)
		return true
	})
	if db.write != nil {
		if e := db.write.Close(); err == nil {
			err = e
		}
	}
	if db.read != nil && db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Describe says which database this is, without credentials.
func (db *DB) Describe() string {
	if db.Dialect == Postgres {
		return "PostgreSQL " + redactURL(db.URL)
	}
	return "SQLite " + db.URL
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User(u.User.Username())
	return u.String()
}

// Now is the store's clock (Config.Now): the time every write is stamped
// with, and the one the pages and the API are given.
func (db *DB) Now() time.Time { return db.now() }

// Tx is a write transaction with one `now` for every timestamp it writes and
// the actor it acts for (nil for system work such as imports from the CLI).
type Tx struct {
	conn
	tx    *sql.Tx
	now   time.Time
	actor *lianluo.Actor

	outbox *outboxMemo      // what enqueue wrote and looked up in this transaction (notify.go)
	events []*lianluo.Event // audit events, appended to the chain at commit (audit_chain.go)
	// sealAfter: the events went to events_pending (PostgreSQL), to be
	// chained after the commit (audit_seal.go).
	sealAfter bool
	deferred  []deferredExec // statements run at the end of the transaction (deferExec)
}

// deferredExec is a statement deferExec keeps for the end of the transaction.
type deferredExec struct {
	q    string
	args []any
}

// deferExec runs q at the end of the transaction: after the rest of its
// work and, in a group commit, after every unit of the batch, outside
// their savepoints, in the order deferred. A unit that fails drops its
// own. For writes whose cost depends on being batched: FTS5 writes the
// index data it holds to disk at every savepoint, so one index write per
// unit made a segment per case, and merging those segments was a quarter
// of the CPU of registering cases (BENCHMARKS.md).
func (tx *Tx) deferExec(q string, args ...any) {
	tx.deferred = append(tx.deferred, deferredExec{q: q, args: args})
}

// runDeferred runs the deferred statements ds in c.
func runDeferred(ctx context.Context, c conn, ds []deferredExec) error {
	for _, d := range ds {
		if _, err := c.Exec(ctx, d.q, d.args...); err != nil {
			return err
		}
	}
	return nil
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return db.newTx(ctx, tx), nil
}

// newTx wraps a transaction begun on the writer.
func (db *DB) newTx(ctx context.Context, tx *sql.Tx) *Tx {
	return &Tx{
		conn:  conn{db: db, q: tx},
		tx:    tx,
		now:   db.Now().UTC().Truncate(timeResolution),
		actor: lianluo.ActorFromContext(ctx),
	}
}

// Commit and Rollback end the transaction.
func (tx *Tx) Commit() error {
	if err := runDeferred(context.Background(), tx.conn, tx.deferred); err != nil {
		return err
	}
	if err := tx.bumpCacheEpoch(context.Background()); err != nil {
		return err
	}
	if err := tx.chainEvents(context.Background()); err != nil {
		return err
	}
	if err := tx.tx.Commit(); err != nil {
		return err
	}
	if tx.sealAfter {
		tx.db.kickSealer()
	}
	return nil
}
func (tx *Tx) Rollback() error { return tx.tx.Rollback() }

// timeResolution is the precision of the timestamps a transaction writes.
const timeResolution = time.Microsecond

// transact runs fn in a write transaction, committing when it returns nil:
// on SQLite as a unit of a group commit (groupcommit.go), on PostgreSQL in
// a transaction of its own.
func (db *DB) transact(ctx context.Context, fn func(tx *Tx) error) error {
	if db.batch != nil {
		return db.batch.run(ctx, fn)
	}
	return db.ownTransaction(ctx, fn)
}

// ownTransaction runs fn in a transaction of its own on the writer,
// committing when it returns nil: PostgreSQL's every write, and on SQLite
// the bulk load's (bulk.go), which a group commit's savepoint would slow.
func (db *DB) ownTransaction(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// wrap annotates err with the call site once, at the top of a store function
// (pkgsite derrors.Wrap). Application errors pass through unchanged so that
// their Chinese message reaches the user.
func wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	var e *lianluo.Error
	var rows lianluo.RowErrors
	if errors.As(*errp, &e) || errors.As(*errp, &rows) {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}

// where builds a dynamic WHERE from clauses and numbered arguments.
type where struct {
	clauses []string
	args    []any
}

// arg appends an argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// add appends a clause.
func (w *where) add(clause string) { w.clauses = append(w.clauses, clause) }

// in returns "(…placeholders…)" for ids; ids must not be empty.
func (w *where) in(ids []int64) string { return inArgs(w, ids) }

// inArgs is where.in for values of any type (table names, say).
func inArgs[T any](w *where, vals []T) string {
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = w.arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// String renders " WHERE a AND b" or "".
func (w *where) String() string {
	if len(w.clauses) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.clauses, " AND ")
}

// page appends LIMIT/OFFSET.
func (w *where) page(p lianluo.Page) string {
	if p.Unlimited() {
		return ""
	}
	return " LIMIT " + w.arg(p.Limit()) + " OFFSET " + w.arg(p.Offset())
}

// like returns a LIKE pattern for "contains s", escaping wildcards.
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// isUniqueViolation reports a unique-constraint failure on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// checkOne returns a stale-version error unless exactly one row changed.
func checkOne(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return lianluo.Stale()
	}
	return nil
}

// queryList runs a list query whose last column is COUNT(*) OVER () and
// scans each row with scan, which must scan that count into its last
// argument. It returns the page and the total.
func queryList[T any](ctx context.Context, c conn, q string, args []any, scan func(s interface{ Scan(...any) error }, v *T, total *int) error) ([]*T, int, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*T
	total := 0
	for rows.Next() {
		v := new(T)
		if err := scan(rows, v, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// Services returns every application service, all implemented by the store.
func (db *DB) Services() lianluo.Services {
	return lianluo.Services{Auth: db, Regions: db, Orgs: db, Stations: db, Deputies: db, Groups: db, Users: db, Events: db,
		Imports: db, Cases: db, Settings: db, Attachments: db, Inbox: db, Outbox: db, NotifyPrefs: db, Public: db,
		Receptions: db, Activities: db, Attendance: attendance{db}, Diary: db, Mailbox: db, Stats: db,
		DutyRecords: db, SixOnes: db, Ledgers: db, Congress: db,
		SuggestionStats: db, Ballots: db, ReportPlans: db, Appraisals: db,
		YearPlans: db}
}

// queryIDs runs a query of one integer column and returns its values.
func queryIDs(ctx context.Context, c conn, q string, args ...any) ([]int64, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
