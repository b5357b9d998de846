package sqlstore_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// On SQLite the pages a group commit appends to the WAL are copied back
// into the database file by the helper connection, not by the writer: after
// a commit the helper checkpoints and copies them; closing the store leaves
// no WAL behind.
func TestCheckpointBesideWriter(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	ctx := storetest.SystemContext()
	type outcome struct {
		wal, copied int
		err         error
	}
	seen := make(chan outcome, 100)
	db.OnCheckpoint(func(wal, copied int, err error) {
		select {
		case seen <- outcome{wal, copied, err}:
		default:
		}
	})
	for i := range 3 {
		if err := db.TransactForTest(ctx, func(exec func(string, ...any) error) error {
			return exec(`INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)`, fmt.Sprintf("ckpt-%d", i), strings.Repeat("页", 2000), time.Now())
		}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.After(10 * time.Second)
	for copied := 0; copied == 0; {
		select {
		case o := <-seen:
			if o.err != nil {
				t.Fatalf("checkpoint: %v", o.err)
			}
			copied = o.copied
		case <-deadline:
			t.Fatal("no checkpoint copied the group commits' pages within 10 s")
		}
	}
	path := strings.TrimPrefix(db.Describe(), "SQLite ")
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("the WAL before closing: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(path + "-wal"); !os.IsNotExist(err) {
		t.Errorf("a WAL is left after Close (%v): the helper's connection was not closed before the writer's", err)
	}
}
