// Package pgtest gives a test a PostgreSQL database of its own on the server
// named by LIANLUO_TEST_POSTGRES_URL, dropped when the test ends, so runs
// never collide. It imports nothing of ours, so tests inside sqlstore can
// use it as well as storetest.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
)

// EnvURL names the variable holding the test server's URL.
const EnvURL = "LIANLUO_TEST_POSTGRES_URL"

// URL is the server tests create their databases on, or "".
func URL() string { return os.Getenv(EnvURL) }

// NewDatabase creates a fresh database and returns its URL.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	return NewDatabaseFrom(tb, "")
}

// NewDatabaseFrom creates a fresh database as a copy of the template
// database (none: an empty one) and returns its URL. A copy of a migrated
// template takes a fraction of the time migrating takes.
func NewDatabaseFrom(tb testing.TB, template string) string {
	tb.Helper()
	base := URL()
	if base == "" {
		tb.Fatalf("%s is not set", EnvURL)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "lianluo_test_" + hex.EncodeToString(b)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.Exec(create); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	// A test database need not outlive a crash of the server: commits that
	// do not wait for the disk keep the suite fast (the application's own
	// durability settings are unchanged).
	if _, err := admin.Exec("ALTER DATABASE " + name + " SET synchronous_commit TO off"); err != nil {
		tb.Fatalf("configure database: %v", err)
	}
	tb.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", base, err)
	}
	u.Path = "/" + name
	return u.String()
}
