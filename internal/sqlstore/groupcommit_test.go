package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A batch of the group commit in which one unit fails commits the others,
// answers the failed one with its own error and keeps none of its writes;
// and a unit whose caller gave up before it ran is skipped.
func TestGroupCommitBatch(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	ctx := storetest.SystemContext()
	var mu sync.Mutex
	var sizes []int
	release := db.HoldWrites(func(n int) { mu.Lock(); sizes = append(sizes, n); mu.Unlock() })
	// The first unit is taken and held; the rest queue behind it and join
	// its batch when the hold is released. The abandoned one (its caller
	// gave up) is refused at the door or skipped in the batch.
	blocker := make(chan error, 1)
	go func() {
		blocker <- db.TransactForTest(ctx, func(exec func(string, ...any) error) error {
			return exec(`INSERT INTO settings (key, value, updated_at) VALUES ('gc-first', '1', $1)`, time.Now())
		})
	}()
	bad := lianluo.FieldError("title", "测试：事务内的校验错误。")
	gone, cancel := context.WithCancel(ctx)
	cancel()
	results := make([]error, 5)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := ctx
			if i == 4 {
				c = gone
			}
			results[i] = db.TransactForTest(c, func(exec func(string, ...any) error) error {
				if err := exec(`INSERT INTO settings (key, value, updated_at) VALUES ($1, '1', $2)`, fmt.Sprintf("gc-%d", i), time.Now()); err != nil {
					return err
				}
				if i == 2 {
					return bad // after writing: the write must not stay
				}
				return nil
			})
		}()
	}
	// Release once the four live units wait behind the held one.
	for wait := time.Now().Add(10 * time.Second); db.QueuedWrites() < 4 && time.Now().Before(wait); {
		time.Sleep(5 * time.Millisecond)
	}
	release()
	wg.Wait()
	if err := <-blocker; err != nil {
		t.Fatalf("the first unit: %v", err)
	}
	for i, err := range results {
		switch i {
		case 2:
			if err != bad {
				t.Errorf("the failing unit's answer = %v; want its own error", err)
			}
		case 4:
			if err != context.Canceled {
				t.Errorf("the abandoned unit's answer = %v; want context.Canceled", err)
			}
		default:
			if err != nil {
				t.Errorf("unit %d: %v", i, err)
			}
		}
	}
	got, err := db.QueryForTest(ctx, `SELECT key FROM settings WHERE key LIKE 'gc-%' ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[[gc-0] [gc-1] [gc-3] [gc-first]]" {
		t.Errorf("rows after the batch = %v; want every unit's but the failed and the abandoned one's", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sizes) == 0 || sizes[0] < 5 {
		t.Errorf("batch sizes = %v; want the held first unit and the four (or five) queued behind it in one batch", sizes)
	}
}

// Cases registered concurrently share commits and are all there, each
// answered with its own case; a bad one among them changes nothing.
func TestGroupCommitCases(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	w := storetest.MustWorld(t, db)
	liaison := w.As(t, "liaisona")
	var batches, largest int
	var mu sync.Mutex
	release := db.HoldWrites(func(n int) { mu.Lock(); batches++; largest = max(largest, n); mu.Unlock() })
	const n = 16
	ids := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := lianluo.CaseInput{Title: fmt.Sprintf("路灯不亮第%d处", i), Content: "小区门口路灯坏了一个月。", Category: "urban",
				Channel: "visit", StationID: &w.StationA.ID, RegionCode: "330206004", Submitter: lianluo.Submitter{Name: "张三", Phone: "13900001111"}}
			if i == 7 {
				in.StationID = &w.StationB.ID // another town's station: refused inside the transaction
			}
			c, err := db.CreateCase(liaison, in)
			errs[i] = err
			if c != nil {
				ids[i] = c.ID
			}
		}()
	}
	for wait := time.Now().Add(10 * time.Second); db.QueuedWrites() < 8 && time.Now().Before(wait); {
		time.Sleep(5 * time.Millisecond)
	}
	release()
	wg.Wait()
	for i, err := range errs {
		if i == 7 {
			if lianluo.ErrorField(err) == "" {
				t.Errorf("the out-of-scope case: %v; want a field error", err)
			}
			continue
		}
		if err != nil || ids[i] == 0 {
			t.Errorf("case %d: id %d, %v", i, ids[i], err)
			continue
		}
		c, err := db.FindCaseByID(liaison, ids[i])
		if err != nil || c.Title != fmt.Sprintf("路灯不亮第%d处", i) {
			t.Errorf("case %d read back = %+v, %v", i, c, err)
		}
	}
	_, total, err := db.FindCases(liaison, lianluo.CaseFilter{})
	if err != nil || total != n-1 {
		t.Errorf("cases = %d, %v; want %d", total, err, n-1)
	}
	mu.Lock()
	defer mu.Unlock()
	if largest < 2 {
		t.Errorf("largest batch = %d over %d batches; want concurrent writes to share a commit", largest, batches)
	}
}
