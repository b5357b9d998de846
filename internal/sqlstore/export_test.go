package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/textsearch"
)

// SeedCalendar runs the start-up seeding of the calendar again, for tests.
func (db *DB) SeedCalendar(ctx context.Context) error { return db.seedCalendar(ctx) }

// ExecForTest runs SQL on the writer, for tests that take a database back
// to an earlier schema.
func (db *DB) ExecForTest(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// QueryForTest runs a query on the writer and returns each row's values
// printed, for tests that compare tables across a migration. It seals the
// pending audit events first (audit_seal.go), as the store's readers of
// the audit trail do.
func (db *DB) QueryForTest(ctx context.Context, q string) ([]string, error) {
	if err := db.SealPendingForTest(ctx); err != nil {
		return nil, err
	}
	rows, err := db.write.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = fmt.Sprintf("%x", x)
			case time.Time:
				vals[i] = x.UTC().Format(time.RFC3339Nano)
			}
		}
		out = append(out, fmt.Sprintf("%v", vals))
	}
	return out, rows.Err()
}

// OnPasswordCheck sets a function run before each check of a password
// against an account's own hash (not the dummy hash of an unknown name), so
// that tests can count the checks and hold them in flight.
func (db *DB) OnPasswordCheck(f func()) { db.onPasswordCheck = f }

// OpenSealedForTest decrypts a sealed value read from the database (fieldcrypt.go).
func (db *DB) OpenSealedForTest(s string) (string, error) { return db.keys.open(s) }

// OnQuery runs f before each statement the store sends through its
// connections (not the idle timer's refresh).
func (db *DB) OnQuery(f func()) { db.onQuery = f }

// TransactForTest runs fn as a write transaction (a group-commit unit on SQLite).
func (db *DB) TransactForTest(ctx context.Context, fn func(exec func(q string, args ...any) error) error) error {
	return db.transact(ctx, func(tx *Tx) error {
		return fn(func(q string, args ...any) error { _, err := tx.Exec(ctx, q, args...); return err })
	})
}

// HoldWrites pauses SQLite's group commit before it takes its next batch,
// until release is called; onBatch, if not nil, is told each batch's size.
func (db *DB) HoldWrites(onBatch func(n int)) (release func()) {
	db.batch.onBatch = onBatch
	db.batch.hold.Lock()
	return db.batch.hold.Unlock
}

// OnCheckpoint tells f the outcome of each checkpoint SQLite's helper
// connection makes beside the writer (checkpoint.go).
func (db *DB) OnCheckpoint(f func(walPages, copied int, err error)) { db.ckpt.onCheckpoint.Store(&f) }

// QueuedWrites is the number of write units waiting for the group commit.
func (db *DB) QueuedWrites() int { return len(db.batch.units) }

// CaseListPageSQL returns the query of the ids of a case list's page and
// its arguments, as FindCases runs it for the caller in ctx.
func (db *DB) CaseListPageSQL(ctx context.Context, f lianluo.CaseFilter) (string, []any, error) {
	q, err := db.caseListQuery(ctx, lianluo.ActorFromContext(ctx), f, false)
	if err != nil {
		return "", nil, err
	}
	w := q.w
	w.args = slices.Clone(q.w.args)
	s := q.pageIDs(&w, f.Page, f.Page.Limit()+1)
	return s, w.args, nil
}

// CaseCountSQL returns the query that counts a case list for the caller in
// ctx, as the to-do counts run it (up to 100), and its arguments.
func (db *DB) CaseCountSQL(ctx context.Context, f lianluo.CaseFilter) (string, []any, error) {
	q, err := db.caseListQuery(ctx, lianluo.ActorFromContext(ctx), f, true)
	if err != nil {
		return "", nil, err
	}
	s, args := q.countSQL(lianluo.TodoCountCap)
	return s, args, nil
}

// ExplainForTest returns the planner's plan of q with args on the reader:
// on SQLite the detail of each EXPLAIN QUERY PLAN row, on PostgreSQL the
// one EXPLAIN (FORMAT JSON) document, after the settings (SET LOCAL …) in
// the same transaction.
func (db *DB) ExplainForTest(ctx context.Context, settings []string, q string, args []any) ([]string, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, s := range settings {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return nil, err
		}
	}
	if db.Dialect == Postgres {
		var doc string
		err := tx.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+q, args...).Scan(&doc)
		return []string{doc}, err
	}
	rows, err := tx.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%d<%d %s", id, parent, detail))
	}
	return out, rows.Err()
}

// TodoCountsUpTo is TodoCounts counting up to most+1 instead of
// lianluo.TodoCountCap+1: a test of the cap without a thousand cases.
func (db *DB) TodoCountsUpTo(ctx context.Context, most int) (map[string]int, error) {
	return db.todoCounts(ctx, most)
}

// SearchDownForTest returns the statements that take a SQLite database's
// full-text index back to before migration 0022: a regular FTS5 table and
// each case's document in cases.search as well, computed here as the store
// computed it then. On PostgreSQL there is nothing to undo.
func (db *DB) SearchDownForTest(ctx context.Context) ([]string, error) {
	if db.Dialect != SQLite {
		return nil, nil
	}
	rows, err := db.write.QueryContext(ctx, `SELECT id, title, content FROM cases ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	down := []string{`DROP TABLE cases_fts`, `CREATE VIRTUAL TABLE cases_fts USING fts5(search, tokenize = 'unicode61')`}
	for rows.Next() {
		var id int64
		var title, content string
		if err := rows.Scan(&id, &title, &content); err != nil {
			return nil, err
		}
		doc := strings.ReplaceAll(textsearch.Document(title, content), "'", "''")
		down = append(down, fmt.Sprintf(`UPDATE cases SET search = '%s' WHERE id = %d`, doc, id))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return append(down, `INSERT INTO cases_fts (rowid, search) SELECT id, search FROM cases WHERE search <> ''`), nil
}

// OpenBallotForTest opens a ballot on an activity in a transaction of its
// own, as a 述职 or an appraisal does in theirs.
func (db *DB) OpenBallotForTest(ctx context.Context, kind lianluo.BallotSubject, subjectID, activityID int64, title string, items []lianluo.BallotItem) (*lianluo.Ballot, error) {
	var b *lianluo.Ballot
	err := db.transact(ctx, func(tx *Tx) error {
		act, err := findActivity(ctx, tx.conn, activityID)
		if err != nil {
			return err
		}
		b, err = openBallot(ctx, tx, kind, subjectID, act, title, items)
		return err
	})
	return b, err
}

// PendingEventsForTest counts the audit events not chained yet, without
// sealing them.
func (db *DB) PendingEventsForTest(ctx context.Context) (n int, err error) {
	err = db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM events_pending`).Scan(&n)
	return n, err
}

// SealPendingForTest chains the pending audit events now (audit_seal.go).
// Nothing on a schema older than events_pending (the migration tests roll
// the schema back).
func (db *DB) SealPendingForTest(ctx context.Context) error {
	if v, err := db.SchemaVersion(ctx); err != nil || v < 30 {
		return err
	}
	return db.sealPending(ctx)
}

// BulkDeferMin is how many cases a bulk load must expect to defer its
// tables' indexes (bulk_indexes.go).
const BulkDeferMin = bulkDeferMin

// DeferBulkIndexesForTest drops the bulk tables' indexes as a large load
// does first, for a test of a load interrupted before it created them again.
func (db *DB) DeferBulkIndexesForTest(ctx context.Context) error { return db.deferBulkIndexes(ctx) }

// BulkIndexesForTest returns each index on the tables a large load defers
// the indexes of, as "name: definition", sorted.
func (db *DB) BulkIndexesForTest(ctx context.Context) ([]string, error) {
	q := `SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('` +
		strings.Join(bulkIndexedTables, "', '") + `')`
	if db.Dialect == Postgres {
		q = `SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('` +
			strings.Join(bulkIndexedTables, "', '") + `')`
	}
	var out []string
	err := scanEach(ctx, db.reader(), q, nil, func(sc func(...any) error) error {
		var s string
		out = append(out, s)
		return sc(&out[len(out)-1])
	})
	slices.Sort(out)
	return out, err
}

// IntegerTimesDownForTest returns the statements that take a SQLite
// database's timestamps back to before migration 0034: each integer as the
// text the driver wrote then (time.Time's String() in UTC, the fraction's
// trailing zeros cut), the tables' triggers set aside meanwhile. On
// PostgreSQL there is nothing to undo.
func (db *DB) IntegerTimesDownForTest(ctx context.Context) ([]string, error) {
	if db.Dialect != SQLite {
		return nil, nil
	}
	cols, err := timeColumns(ctx, conn{db: db, q: db.write})
	if err != nil {
		return nil, err
	}
	var down []string
	for i, c := range cols {
		if i > 0 && cols[i-1].table == c.table {
			continue
		}
		var triggers []string
		err := scanEach(ctx, conn{db: db, q: db.write}, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1 ORDER BY name`,
			[]any{c.table}, func(sc func(...any) error) error {
				var name, sql string
				if err := sc(&name, &sql); err != nil {
					return err
				}
				down = append(down, "DROP TRIGGER "+name)
				triggers = append(triggers, sql)
				return nil
			})
		if err != nil {
			return nil, err
		}
		var set []string
		for _, d := range cols[i:] {
			if d.table != c.table {
				break
			}
			v := d.name
			set = append(set, fmt.Sprintf(`%[1]s = CASE WHEN typeof(%[1]s) = 'integer' THEN
				strftime('%%Y-%%m-%%d %%H:%%M:%%S', %[1]s / 1000000, 'unixepoch') ||
				CASE WHEN %[1]s %% 1000000 <> 0 THEN '.' || rtrim(printf('%%06d', %[1]s %% 1000000), '0') ELSE '' END ||
				' +0000 UTC' ELSE %[1]s END`, v))
		}
		down = append(down, "UPDATE "+c.table+" SET "+strings.Join(set, ", "))
		down = append(down, triggers...)
	}
	return down, nil
}

// TimeTextToMicrosForTest evaluates migration 0034's conversion of a time
// text on SQLite: its microseconds, or nil where it reads no time.
func (db *DB) TimeTextToMicrosForTest(ctx context.Context, text string) (*int64, error) {
	var v *int64
	err := db.read.QueryRowContext(ctx, `SELECT `+timeTextToMicros("v")+` FROM (SELECT ? AS v)`, text).Scan(&v)
	return v, err
}

// SetCategoryProbeRowsForTest sets how many of a category's newest cases a
// category list looks at first (categoryProbe), so that a test can reach
// both of its outcomes with a few cases.
func (db *DB) SetCategoryProbeRowsForTest(n int) { db.probeRows = n }

// SweepQueriesForTest returns the first batch's query of each of the case
// deadline sweep's scans (SweepCaseDeadlines), with its arguments.
func (db *DB) SweepQueriesForTest(ctx context.Context) (qs []string, args [][]any, err error) {
	sw, err := db.newSweep(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, scan := range sw.scans() {
		q, a := deadlineCasesQuery(scan, 0, nil)
		qs, args = append(qs, db.rebind(q)), append(args, normArgs(a))
	}
	return qs, args, nil
}
