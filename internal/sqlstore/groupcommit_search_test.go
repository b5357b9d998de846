package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"lianluo/internal/textsearch"
)

// A group commit writes the full-text index for the batch after its units
// (Tx.deferExec): a unit that fails after indexing leaves nothing in the
// index, the others in the same batch are found, and the index checks out.
func TestGroupCommitSearchIndex(t *testing.T) {
	t.Parallel()
	db := searchTestDB(t, SQLite)
	ctx := context.Background()
	var largest int
	var mu sync.Mutex
	release := db.HoldWrites(func(n int) { mu.Lock(); largest = max(largest, n); mu.Unlock() })
	notes := []struct {
		title string
		fail  bool
	}{{"路灯不亮", false}, {"垃圾清运不及时", true}, {"噪音扰民", false}}
	errs := make([]error, len(notes))
	var wg sync.WaitGroup
	for i, n := range notes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.transact(ctx, func(tx *Tx) error {
				var id int64
				if err := tx.QueryRow(ctx, `INSERT INTO notes (title, content) VALUES ($1, '') RETURNING id`, n.title).Scan(&id); err != nil {
					return err
				}
				if n.fail {
					// An id no other note takes after the rollback, whose
					// own index writes would hide a stale entry.
					if _, err := tx.Exec(ctx, `UPDATE notes SET id = 100 WHERE id = $1`, id); err != nil {
						return err
					}
					id = 100
				}
				if err := indexSearch(ctx, tx, "notes", id, textsearch.Document(n.title, "")); err != nil {
					return err
				}
				if n.fail {
					return errors.New("refused after indexing")
				}
				return nil
			})
		}()
	}
	for wait := time.Now().Add(10 * time.Second); db.QueuedWrites() < len(notes)-1 && time.Now().Before(wait); {
		time.Sleep(5 * time.Millisecond)
	}
	release()
	wg.Wait()
	for i, n := range notes {
		if (errs[i] != nil) != n.fail {
			t.Errorf("%s: %v", n.title, errs[i])
		}
	}
	if largest != len(notes) {
		t.Errorf("largest batch = %d; want the %d writes in one", largest, len(notes))
	}
	for q, want := range map[string][]string{"路灯": {"路灯不亮"}, "垃圾": {}, "噪音": {"噪音扰民"}} {
		if got := findNotes(t, db, q); !reflect.DeepEqual(got, want) {
			t.Errorf("search %q = %q; want %q", q, got, want)
		}
	}
	var stale int
	if err := db.write.QueryRow(`SELECT COUNT(*) FROM notes_fts WHERE notes_fts MATCH '"垃圾"'`).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("index entries of the failed unit's note: %d, %v; want none", stale, err)
	}
	if _, err := db.write.Exec(`INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("FTS integrity check: %v", err)
	}
}
