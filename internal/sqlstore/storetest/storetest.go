// Package storetest opens fresh databases for tests: a SQLite file in a
// temporary folder always, and a PostgreSQL database of its own when
// LIANLUO_TEST_POSTGRES_URL is set (created and dropped per test, so runs
// never collide). The same tests run on both.
package storetest

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/pgtest"
	"lianluo/internal/regiondata"
	"lianluo/internal/sqlstore"
)

// PostgresURL is the server tests create their databases on, or "".
func PostgresURL() string { return pgtest.URL() }

// Each runs fn as a subtest on SQLite and, when configured, on PostgreSQL.
// The two run in parallel (each has its own database): fn must not share
// what it changes with the other run.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); fn(t, MustOpen(t, sqlstore.SQLite)) })
	if PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { t.Parallel(); fn(t, MustOpen(t, sqlstore.Postgres)) })
	}
}

// MustOpen opens a fresh, migrated database of the dialect, closed and
// removed when the test ends. Its clock is fixed at Now.
func MustOpen(tb testing.TB, dialect string) *sqlstore.DB {
	tb.Helper()
	clock := &lianluo.Clock{}
	clock.SetTime(Now)
	cfg := sqlstore.Config{DataDir: memDir(tb), PasswordHash: sqlstore.PasswordHashForTests, Now: clock.Now}
	if dialect == sqlstore.Postgres {
		cfg.DatabaseURL = createPostgresDB(tb)
		kf, err := KeyFile()
		if err != nil {
			tb.Fatalf("key file: %v", err)
		}
		cfg.KeyFile = kf
	} else {
		tmpl, err := sqliteTemplate()
		if err != nil {
			tb.Fatalf("SQLite template: %v", err)
		}
		if err := copyFile(filepath.Join(cfg.DataDir, "lianluo.db"), tmpl); err != nil {
			tb.Fatalf("copy the SQLite template: %v", err)
		}
	}
	db, err := sqlstore.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open %s: %v", dialect, err)
	}
	clocks.Store(db, clock)
	tb.Cleanup(func() { db.Close(); clocks.Delete(db) })
	return db
}

// clocks are the test databases' clocks (ClockOf).
var clocks sync.Map // *sqlstore.DB → *lianluo.Clock

// ClockOf is the clock a test database was opened with: fixed at Now until
// the test moves it (Set, SetTime), for instance past a deadline.
func ClockOf(db *sqlstore.DB) *lianluo.Clock {
	c, ok := clocks.Load(db)
	if !ok {
		panic("storetest.ClockOf: not a database of MustOpen")
	}
	return c.(*lianluo.Clock)
}

// Now is the fixed clock of test databases: 2026-03-02 09:30 Beijing time.
var Now = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)

func createPostgresDB(tb testing.TB) string {
	tb.Helper()
	tmpl, err := postgresTemplate()
	if err != nil {
		tb.Fatalf("PostgreSQL template: %v", err)
	}
	return pgtest.NewDatabaseFrom(tb, tmpl)
}

// SystemContext acts as the system (the command line).
func SystemContext() context.Context {
	return lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
}

// MustLoadRegions imports the region subtrees (with their ancestors).
func MustLoadRegions(tb testing.TB, db *sqlstore.DB, under ...string) {
	tb.Helper()
	var rs []lianluo.Region
	seen := map[string]bool{}
	for _, u := range under {
		err := regiondata.Walk(u, func(r regiondata.Record) error {
			if !seen[r.Code] {
				seen[r.Code] = true
				rs = append(rs, lianluo.Region{Code: r.Code, Name: r.Name, Level: r.Level, ParentCode: r.ParentCode})
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := db.ImportRegions(SystemContext(), rs); err != nil {
		tb.Fatalf("import regions: %v", err)
	}
}

// TempPath returns a path in a temporary folder.
func TempPath(tb testing.TB, name string) string { return filepath.Join(tb.TempDir(), name) }

// Parallel is how many tests of a package run at once unless -parallel is
// given. Each test has databases of its own, and the tests spend most of
// their time waiting on the disk and the PostgreSQL server rather than on
// the CPU, so the default (GOMAXPROCS: 2 on a small machine) leaves the
// machine idle.
const Parallel = 8

// Main runs a package's tests with Parallel as the default of -parallel
// and exits: call it from TestMain.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit, for a TestMain with work to do after the tests.
func Run(m *testing.M) int {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", strconv.Itoa(Parallel))
	}
	code := m.Run()
	removeTemplates()
	return code
}

// memDir is a temporary folder in memory (/dev/shm) where the system has
// one, else an ordinary temporary folder. Test databases live there: the
// store still asks for every sync it asks for in production (FULL), but a
// test has no power cut to survive, and hundreds of test databases' syncs
// on a shared disk were most of the suite's time.
func memDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "lianluo-test-")
	if err != nil {
		return tb.TempDir()
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// OpenSecond opens a second instance on the same database as db, as a
// second server would: its own pools and caches, the same data and keys.
// Closed when the test ends.
func OpenSecond(tb testing.TB, db *sqlstore.DB) *sqlstore.DB {
	tb.Helper()
	cfg := sqlstore.Config{PasswordHash: sqlstore.PasswordHashForTests, Now: ClockOf(db).Now}
	if db.Dialect == sqlstore.Postgres {
		kf, err := KeyFile()
		if err != nil {
			tb.Fatalf("key file: %v", err)
		}
		cfg.DatabaseURL, cfg.KeyFile = db.URL, kf
	} else {
		cfg.DataDir = filepath.Dir(db.URL)
	}
	db2, err := sqlstore.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open a second instance: %v", err)
	}
	tb.Cleanup(func() { db2.Close() })
	return db2
}
