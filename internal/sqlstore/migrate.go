package sqlstore

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"lianluo"
)

// Migrations are numbered, embedded, forward-only SQL files with the same
// names under both dialects (a test checks it).
//
//go:embed migrations
var migrationFS embed.FS

// SchemaFingerprint is a hash of every migration of both dialects: test
// helpers name their migrated template databases by it.
func SchemaFingerprint() string {
	h := sha256.New()
	fs.WalkDir(migrationFS, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrationFS.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}

type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations returns the dialect's migrations in order.
func migrations(dialect string) ([]migration, error) {
	dir := "migrations/" + dialect
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", name)
		}
		b, err := fs.ReadFile(migrationFS, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{Version: n, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// afterMigration are the steps SQL cannot do, run after a migration's SQL
// in its transaction.
var afterMigration = map[int]func(context.Context, *Tx) error{
	14: sealEvents,   // hash the events written before the audit chain
	17: sealCases,    // encrypt the voters' personal data written before (fieldcrypt.go)
	18: splitAdmins,  // record the administrators 三员分立 made system administrators
	34: integerTimes, // SQLite: the timestamps written as text become integers (integer_times.go)
}

// vacuumAfter are the tables a migration rewrites every row of: on
// PostgreSQL the old row versions stay until a vacuum, and until then the
// planner cannot use an index-only scan there (0025 wrote a date into
// every case_deputies row: the deputies' counts scanned the table).
var vacuumAfter = map[int][]string{
	25: {"case_deputies"},
}

// vacuumAnalyze vacuums a table and refreshes its planner statistics
// (PostgreSQL; outside a transaction, as VACUUM must run).
func (db *DB) vacuumAnalyze(ctx context.Context, table string) error {
	if db.Dialect != Postgres {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM (ANALYZE) `+table); err != nil {
		return fmt.Errorf("vacuum %s after migrating: %w", table, err)
	}
	return nil
}

// splitAdmins records in the audit trail each account that migration 0018
// turned from "admin" into system_admin (the role did not exist before, so
// every holder now is one), so that the auditor sees the change.
func splitAdmins(ctx context.Context, tx *Tx) error {
	rows, err := tx.Query(ctx, `SELECT u.id, u.username FROM users u
		WHERE u.id IN (SELECT user_id FROM user_roles WHERE role = 'system_admin') ORDER BY u.id`)
	if err != nil {
		return err
	}
	type account struct {
		id   int64
		name string
	}
	var as []account
	for rows.Next() {
		var a account
		if err := rows.Scan(&a.id, &a.name); err != nil {
			rows.Close()
			return err
		}
		as = append(as, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, a := range as {
		if err := tx.event(ctx, lianluo.EntityUser, a.id, lianluo.AuditUpdate, fmt.Sprintf(
			"三员分立（升级）：用户“%s”的角色由“管理员（admin）”改为“系统管理员”，不再能查看操作日志、修改安全设置或查看群众联系方式", a.name)); err != nil {
			return err
		}
	}
	return nil
}

// KnownSchemaVersion is the newest schema this binary knows.
func (db *DB) KnownSchemaVersion() int {
	ms, _ := migrations(db.Dialect)
	return len(ms)
}

// SchemaVersion returns the version the database is at (0 when new).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, db.reader())
}

func schemaVersion(ctx context.Context, c conn) (int, error) {
	var exists int
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if c.db.Dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`
	}
	if err := c.QueryRow(ctx, q).Scan(&exists); err != nil {
		return 0, err
	}
	if exists == 0 {
		return 0, nil
	}
	var v int
	err := c.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Migrate applies the migrations the database lacks, all in one transaction,
// and refuses a database whose schema is newer than this binary knows: an
// older binary must not write to a schema it does not understand.
func (db *DB) Migrate(ctx context.Context) (err error) {
	defer wrap(&err, "migrate")
	ms, err := migrations(db.Dialect)
	if err != nil {
		return err
	}
	var sealedNow bool  // migration 0017 ran: the plaintext it replaced is purged below
	var vacuum []string // tables a migration rewrote, vacuumed after it (PostgreSQL)
	defer func() {
		if err == nil && sealedNow {
			err = db.purgeFreedPages(ctx)
		}
		for _, t := range vacuum {
			if err == nil {
				err = db.vacuumAnalyze(ctx, t)
			}
		}
	}()
	if db.Dialect == SQLite {
		// The statement journals of the migrations' statements that change
		// many rows go to a temporary file, not memory, where 0034 took
		// 2.7 GB at a million cases; the writer's own setting is back after.
		if _, err := db.write.ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
			return err
		}
		defer func() {
			if _, e := db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = MEMORY`); err == nil {
				err = e
			}
		}()
	}
	// A transaction of its own, not a unit of a group commit: nothing else
	// writes before the migrations have run, and a unit's savepoint would
	// keep a copy of every page the migration changes (0034 changes most of
	// the file) in memory.
	return db.ownTransaction(ctx, func(tx *Tx) error {
		if db.Dialect == Postgres {
			// One instance migrates; the others wait here and then find nothing to do.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7316203)`); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at TIMESTAMP NOT NULL
		)`); err != nil {
			return err
		}
		cur, err := schemaVersion(ctx, tx.conn)
		if err != nil {
			return err
		}
		if cur > len(ms) {
			return fmt.Errorf("the database schema is at version %d but this lianluo knows only up to %d: run a newer lianluo (数据库版本比程序新，请升级程序)", cur, len(ms))
		}
		for _, m := range ms[cur:] {
			if _, err := tx.q.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			sealedNow = sealedNow || m.Version == 17
			vacuum = append(vacuum, vacuumAfter[m.Version]...)
			if step := afterMigration[m.Version]; step != nil {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", m.Name, err)
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, m.Version, m.Name, tx.now); err != nil {
				return err
			}
		}
		return nil
	})
}
