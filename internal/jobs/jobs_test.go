package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/jobs"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// clock is a fake clock shared by the store and the scheduler.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock(db *sqlstore.DB) *clock {
	c := &clock{t: storetest.Now} // 2026-03-02 09:30 Beijing: not quiet hours
	storetest.ClockOf(db).Set(c.Now)
	return c
}

// fakeSender fails the first fails calls for each notification, then
// succeeds; it counts calls and deliveries per notification.
type fakeSender struct {
	fails     int
	mu        sync.Mutex
	calls     map[int64]int
	delivered map[int64]int
}

func (f *fakeSender) Send(ctx context.Context, n *lianluo.Notification) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls, f.delivered = map[int64]int{}, map[int64]int{}
	}
	f.calls[n.ID]++
	if f.fails < 0 || f.calls[n.ID] <= f.fails {
		return errors.New("网关返回 503（13912345678）")
	}
	f.delivered[n.ID]++
	return nil
}

func (f *fakeSender) counts(id int64) (calls, delivered int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id], f.delivered[id]
}

// enqueue writes notifications straight into the outbox, due now.
func enqueue(t *testing.T, db *sqlstore.DB, channel string, n int) []int64 {
	t.Helper()
	driver := "sqlite"
	q := `INSERT INTO notifications (channel, phone, template, body, status, attempts, next_attempt_at, created_at)
		VALUES ($1, '13912345678', 'case_feedback', '您反映的“路灯不亮”已有答复：张三家门口已修复', 'pending', 0, $2, $3) RETURNING id`
	if db.Dialect == sqlstore.Postgres {
		driver = "pgx"
	} else {
		q = strings.ReplaceAll(q, "$", "?")
	}
	raw, err := sql.Open(driver, rawDSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var ids []int64
	for range n {
		var id int64
		now := db.Now().UTC()
		if err := raw.QueryRow(q, channel, now, now).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// notification reads one outbox row as the administrator sees it.
func notification(t *testing.T, db *sqlstore.DB, id int64) *lianluo.Notification {
	t.Helper()
	all, _, err := db.FindNotifications(storetest.SystemContext(), sqlstore.NotificationFilter{Page: lianluo.Page{PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range all {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("notification %d not found", id)
	return nil
}

// A delivery that fails twice is retried after its backoff and delivered
// once, on the third attempt; nothing is lost or sent twice.
func TestRunOnceRetries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		sms := &fakeSender{fails: 2}
		var logs bytes.Buffer
		s := jobs.New(jobs.Config{Store: db, Senders: map[string]lianluo.Sender{"sms": sms}, Now: clk.Now,
			Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		id := enqueue(t, db, "sms", 1)[0]
		inapp := enqueue(t, db, "inapp", 1)[0]
		ctx := t.Context()
		for i, step := range []struct {
			wait                    time.Duration
			calls, delivered, tries int
			status                  string
		}{
			{0, 1, 0, 1, "pending"},
			{10 * time.Second, 1, 0, 1, "pending"}, // backoff: 30 s after the first failure
			{30 * time.Second, 2, 0, 2, "pending"},
			{59 * time.Second, 2, 0, 2, "pending"}, // 60 s after the second
			{time.Second, 3, 1, 3, "sent"},
			{24 * time.Hour, 3, 1, 3, "sent"},
		} {
			clk.Add(step.wait)
			if err := s.RunOnce(ctx); err != nil {
				t.Fatalf("RunOnce %d: %v", i, err)
			}
			calls, delivered := sms.counts(id)
			n := notification(t, db, id)
			if calls != step.calls || delivered != step.delivered || n.Attempts != step.tries || n.Status != step.status {
				t.Errorf("after RunOnce %d: %d calls, %d delivered, row %s attempt %d; want %d, %d, %s attempt %d",
					i, calls, delivered, n.Status, n.Attempts, step.calls, step.delivered, step.status, step.tries)
			}
			if i == 0 && !strings.Contains(n.LastError, "503") {
				t.Errorf("last error %q; want the sender's", n.LastError)
			}
		}
		if n := notification(t, db, inapp); n.Status != "sent" || n.Attempts != 1 {
			t.Errorf("in-app row %s attempt %d; want sent at once", n.Status, n.Attempts)
		}
		// One line per run; the phone number in the sender's error is masked.
		out := logs.String()
		if !strings.Contains(out, "job=deliver_notifications claimed=2 sent=1 failed=1") || !strings.Contains(out, "msg=job job=case_deadlines count=0") {
			t.Errorf("log lacks the run lines:\n%s", out)
		}
		if strings.Contains(out, "13912345678") || !strings.Contains(out, "139****5678") {
			t.Errorf("log shows a phone number unmasked, or no error:\n%s", out)
		}
	})
}

// After MaxAttempts failures a notification is dead: kept, never retried
// by the scheduler again. A channel nothing sends is retried, never dead.
func TestRunOnceDeadAndUnsent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		sms := &fakeSender{fails: -1} // always fails
		s := jobs.New(jobs.Config{Store: db, Senders: map[string]lianluo.Sender{"sms": sms}, Now: clk.Now, MaxAttempts: 3})
		id := enqueue(t, db, "sms", 1)[0]
		wecom := enqueue(t, db, "wecom", 1)[0]
		for range 6 {
			if err := s.RunOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			clk.Add(7 * time.Hour) // past the longest backoff
		}
		if calls, _ := sms.counts(id); calls != 3 {
			t.Errorf("sender called %d times; want 3 (MaxAttempts)", calls)
		}
		if n := notification(t, db, id); n.Status != "dead" || n.Attempts != 3 {
			t.Errorf("row %s attempt %d; want dead after 3", n.Status, n.Attempts)
		}
		n := notification(t, db, wecom)
		if n.Status != "pending" || n.Attempts != 6 || !strings.Contains(n.LastError, "没有配置“wecom”渠道") {
			t.Errorf("row without a sender: %s attempt %d %q; want pending, retried, with the reason", n.Status, n.Attempts, n.LastError)
		}
	})
}

// The default SMS sender writes the template and a masked number to the
// log, never the body.
func TestLogSender(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	newClock(db)
	var logs bytes.Buffer
	s := jobs.New(jobs.Config{Store: db, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	id := enqueue(t, db, "sms", 1)[0]
	if err := s.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "msg=notification") || !strings.Contains(out, "to=139****5678") || !strings.Contains(out, "template=case_feedback") {
		t.Errorf("log line lacks the notification:\n%s", out)
	}
	if strings.Contains(out, "13912345678") || strings.Contains(out, "张三") || strings.Contains(out, "路灯") {
		t.Errorf("log shows personal data:\n%s", out)
	}
	if n := notification(t, db, id); n.Status != "sent" {
		t.Errorf("row %s; want sent", n.Status)
	}
}

// blockingSender holds every send until released.
type blockingSender struct {
	started chan int64
	release chan struct{}
}

func (b *blockingSender) Send(ctx context.Context, n *lianluo.Notification) error {
	b.started <- n.ID
	<-b.release
	return nil
}

// Run stops when its context ends, after finishing the deliveries in flight.
func TestRunStopsGracefully(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newClock(db)
		b := &blockingSender{started: make(chan int64, 10), release: make(chan struct{})}
		s := jobs.New(jobs.Config{Store: db, Senders: map[string]lianluo.Sender{"sms": b}, PollEvery: 10 * time.Millisecond,
			SweepEvery: 10 * time.Millisecond, Workers: 1})
		id := enqueue(t, db, "sms", 1)[0]
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- s.Run(ctx) }()
		select {
		case <-b.started:
		case <-time.After(10 * time.Second):
			t.Fatal("Run delivered nothing")
		}
		cancel()
		select {
		case <-done:
			t.Fatal("Run returned with a delivery in flight")
		case <-time.After(200 * time.Millisecond):
		}
		close(b.release)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v; want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not stop")
		}
		if n := notification(t, db, id); n.Status != "sent" || n.Attempts != 1 {
			t.Errorf("row in flight at shutdown: %s attempt %d; want sent once", n.Status, n.Attempts)
		}
	})
}

// Two instances running side by side deliver each notification once.
func TestRunTwoInstances(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newClock(db)
		ids := enqueue(t, db, "sms", 60)
		sender := &fakeSender{}
		ctx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		for range 2 {
			s := jobs.New(jobs.Config{Store: db, Senders: map[string]lianluo.Sender{"sms": sender}, PollEvery: 5 * time.Millisecond, Workers: 3})
			wg.Go(func() { s.Run(ctx) })
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if _, total, _ := db.FindNotifications(storetest.SystemContext(), sqlstore.NotificationFilter{Status: "sent"}); total == len(ids) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		for _, id := range ids {
			if calls, delivered := sender.counts(id); calls != 1 || delivered != 1 {
				t.Errorf("notification %d: %d sends; want exactly 1", id, calls)
			}
		}
	})
}

// The stats_rollups job takes in the changes, so that the statistics seldom
// have to when asked.
func TestRunCatchesUpStatistics(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		if _, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID,
			Title: "小区路灯不亮", Content: "路灯坏了。", RegionCode: "330206004", Submitter: lianluo.Submitter{Name: "张三"}}); err != nil {
			t.Fatal(err)
		}
		ctx := storetest.SystemContext()
		if n, err := db.StatsBacklog(ctx); err != nil || n == 0 {
			t.Fatalf("backlog after a new case = %d, %v; want some", n, err)
		}
		s := jobs.New(jobs.Config{Store: db, PollEvery: time.Hour, SweepEvery: 10 * time.Millisecond})
		runCtx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- s.Run(runCtx) }()
		deadline := time.Now().Add(10 * time.Second)
		n := -1
		for time.Now().Before(deadline) {
			if n, _ = db.StatsBacklog(ctx); n == 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		if n != 0 {
			t.Errorf("backlog after the job ran = %d; want 0", n)
		}
	})
}

// rawDSN is the test database's name for a plain connection of a test's
// own, beside the store's.
func rawDSN(db *sqlstore.DB) string {
	if db.Dialect == sqlstore.Postgres {
		return db.URL
	}
	return sqlstore.SQLiteDSN(db.URL)
}
