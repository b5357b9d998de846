package storetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"lianluo/internal/holidays"
	"lianluo/internal/pgtest"
	"lianluo/internal/sqlstore"
)

// Migrating a fresh database takes ~2.5 s on PostgreSQL and ~60 ms on
// SQLite, and a test run opens hundreds. So each test gets a copy of a
// migrated template instead: on PostgreSQL a database kept on the server
// (CREATE DATABASE … TEMPLATE), named by a fingerprint of the schema and the
// seeded holidays so that a changed migration builds a new one; on SQLite a
// file made once per test process. What a test opens is still the real
// schema: Open migrates (a no-op) and checks the schema version as usual.

var (
	pgTemplateOnce sync.Once
	pgTemplateName string
	pgTemplateErr  error

	sqliteTemplateOnce sync.Once
	sqliteTemplatePath string
	sqliteTemplateErr  error
)

// fingerprint names what a template holds: the migrations and the holiday
// calendar the store seeds.
func fingerprint() string {
	h := sha256.New()
	io.WriteString(h, sqlstore.SchemaFingerprint())
	for _, d := range holidays.Days() {
		fmt.Fprintln(h, d.Date, d.Kind, d.Name)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// postgresTemplate returns the name of the migrated template database on
// the test server, building it if no test process has yet. Test processes
// of several packages run at once: an advisory lock lets one build it.
func postgresTemplate() (string, error) {
	pgTemplateOnce.Do(func() { pgTemplateName, pgTemplateErr = buildPostgresTemplate() })
	return pgTemplateName, pgTemplateErr
}

func buildPostgresTemplate() (string, error) {
	ctx := context.Background()
	base := pgtest.URL()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	const lockKey = 7200520206 // any constant shared by the test processes
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, lockKey)

	name := "lianluo_template_" + fingerprint()
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return name, nil
	}
	// Build under another name and rename when complete, so that a run
	// killed half-way never leaves a half-migrated template behind.
	build := name + "_build"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+build+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+build); err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + build
	kf, err := KeyFile()
	if err != nil {
		return "", err
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DatabaseURL: u.String(), PasswordHash: sqlstore.PasswordHashForTests, KeyFile: kf})
	if err != nil {
		return "", fmt.Errorf("migrate the template: %w", err)
	}
	db.Close()
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+build+` RENAME TO `+name); err != nil {
		return "", err
	}
	dropOldTemplates(ctx, conn, name)
	return name, nil
}

// dropOldTemplates drops the templates of other schemas made more than a
// day ago, so that the server does not keep one per migration ever written
// (a day, so that a run of another checkout under way keeps its own). On a
// server where the test user may not read the files' times, nothing is dropped.
func dropOldTemplates(ctx context.Context, conn *sql.Conn, keep string) {
	rows, err := conn.QueryContext(ctx, `SELECT datname FROM pg_database
		WHERE datname LIKE 'lianluo\_template\_%' AND datname <> $1
		AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 day'`, keep)
	if err != nil {
		return
	}
	var old []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			old = append(old, n)
		}
	}
	rows.Close()
	for _, n := range old {
		conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+n+` WITH (FORCE)`)
	}
}

// sqliteTemplate returns the path of a migrated SQLite file made once per
// test process.
func sqliteTemplate() (string, error) {
	sqliteTemplateOnce.Do(func() {
		dir, err := os.MkdirTemp("/dev/shm", "lianluo-template-")
		if err != nil {
			if dir, err = os.MkdirTemp("", "lianluo-template-"); err != nil {
				sqliteTemplateErr = err
				return
			}
		}
		db, err := sqlstore.Open(context.Background(), sqlstore.Config{DataDir: dir, PasswordHash: sqlstore.PasswordHashForTests})
		if err != nil {
			sqliteTemplateErr = err
			return
		}
		// Closing checkpoints the write-ahead log into the file.
		if err := db.Close(); err != nil {
			sqliteTemplateErr = err
			return
		}
		sqliteTemplatePath = filepath.Join(dir, "lianluo.db")
	})
	return sqliteTemplatePath, sqliteTemplateErr
}

// removeTemplates removes the process's SQLite template (Run calls it once
// the tests are done; the PostgreSQL template is kept for the next run).
func removeTemplates() {
	if sqliteTemplatePath != "" {
		os.RemoveAll(filepath.Dir(sqliteTemplatePath))
	}
	if keyFilePath != "" {
		os.RemoveAll(filepath.Dir(keyFilePath))
	}
}

var (
	keyFileOnce sync.Once
	keyFilePath string
	keyFileErr  error
)

// KeyFile is the field encryption key file of the test process's
// PostgreSQL databases, generated once per process (a PostgreSQL database
// needs one; a SQLite one makes its own beside the file).
func KeyFile() (string, error) {
	keyFileOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lianluo-key-")
		if err != nil {
			keyFileErr = err
			return
		}
		keyFilePath = filepath.Join(dir, sqlstore.KeyFileName)
		keyFileErr = sqlstore.GenerateKeyFile(keyFilePath)
	})
	return keyFilePath, keyFileErr
}

// copyFile copies src to a new file dst.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
