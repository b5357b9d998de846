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
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create database: %v", err)
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
