package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"lianluo/internal/jobs"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// faultyStore is the real store whose recurring jobs report fixed counts
// (so that each job's result can be told apart) and one of which fails, or
// panics. It counts the calls of each.
type faultyStore struct {
	*sqlstore.DB
	fail   string // the method that fails
	panics bool   // it panics instead of returning an error
	mu     sync.Mutex
	calls  map[string]int
}

func newFaultyStore(db *sqlstore.DB, fail string, panics bool) *faultyStore {
	return &faultyStore{DB: db, fail: fail, panics: panics, calls: map[string]int{}}
}

func (f *faultyStore) give(method string, n int) (int, error) {
	f.mu.Lock()
	f.calls[method]++
	f.mu.Unlock()
	if method == f.fail {
		if f.panics {
			panic(method + " exploded")
		}
		return 0, fmt.Errorf("%s: 数据库连接中断", method)
	}
	return n, nil
}

func (f *faultyStore) SweepCaseDeadlines(context.Context) (int, error) {
	return f.give("SweepCaseDeadlines", 1)
}
func (f *faultyStore) RemindReceptions(context.Context) (int, error) {
	return f.give("RemindReceptions", 2)
}
func (f *faultyStore) RemindActivities(context.Context) (int, error) {
	return f.give("RemindActivities", 3)
}
func (f *faultyStore) RemindMailboxes(context.Context) (int, error) {
	return f.give("RemindMailboxes", 4)
}
func (f *faultyStore) RemindSixOnes(context.Context) (int, error) {
	return f.give("RemindSixOnes", 5)
}

func (f *faultyStore) CloseDueBallots(context.Context) (int, error) {
	return f.give("CloseDueBallots", 6)
}

func (f *faultyStore) ChaseRectifications(context.Context) (int, error) {
	return f.give("ChaseRectifications", 2)
}
func (f *faultyStore) PruneAuditDue(context.Context) (int64, error) {
	n, err := f.give("PruneAuditDue", 7)
	return int64(n), err
}
func (f *faultyStore) SyncStats(ctx context.Context) error {
	if _, err := f.give("SyncStats", 0); err != nil {
		return err
	}
	return f.DB.SyncStats(ctx)
}

func (f *faultyStore) callsOf(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// jobRow is a row of the jobs table.
type jobRow struct {
	result, lastError string
	runs              int
	finished          bool
}

// jobRows reads the jobs table by name.
func jobRows(t *testing.T, db *sqlstore.DB) map[string]jobRow {
	t.Helper()
	driver := "sqlite"
	if db.Dialect == sqlstore.Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, rawDSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name, result, last_error, runs, finished_at IS NOT NULL FROM jobs`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]jobRow{}
	for rows.Next() {
		var name string
		var r jobRow
		if err := rows.Scan(&name, &r.result, &r.lastError, &r.runs, &r.finished); err != nil {
			t.Fatal(err)
		}
		out[name] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Each recurring job is claimed, run, logged and finished on its own: each
// gets its own row in the jobs table with its own result, and a failing job
// keeps none of the others from running and finishing in the same period.
// The row of sweep_deadlines, the job the reminders once shared, is left
// alone.
func TestRunRecordsEachJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		ctx := t.Context()
		// An older version's sweep ran an hour ago and is due again.
		if ok, err := db.ClaimJob(ctx, "sweep_deadlines", time.Minute, 10*time.Minute); err != nil || !ok {
			t.Fatalf("ClaimJob(sweep_deadlines) = %v, %v", ok, err)
		}
		if err := db.FinishJob(ctx, "sweep_deadlines", "催办提醒0条", nil); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)

		st := newFaultyStore(db, "RemindReceptions", false)
		var logs bytes.Buffer
		// The clock stands still: one period, however often the ticker fires.
		s := jobs.New(jobs.Config{Store: st, Now: clk.Now, SweepEvery: 20 * time.Millisecond, PollEvery: time.Hour,
			Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- s.Run(runCtx) }()
		names := []string{jobs.JobCaseDeadlines, jobs.JobReceptionReminders, jobs.JobActivityReminders, jobs.JobMailboxReminders, jobs.JobStats}
		finished := func() bool {
			rows := jobRows(t, db)
			for _, name := range names {
				if !rows[name].finished {
					return false
				}
			}
			return true
		}
		deadline := time.Now().Add(10 * time.Second)
		for !finished() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(60 * time.Millisecond) // a few more ticks: none may run a job again
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v; want nil", err)
		}

		want := map[string]jobRow{
			jobs.JobCaseDeadlines:      {result: "案件催办提醒1条", runs: 1, finished: true},
			jobs.JobReceptionReminders: {result: "接待轮值提醒0条", lastError: "RemindReceptions: 数据库连接中断", runs: 1, finished: true},
			jobs.JobActivityReminders:  {result: "活动提醒3条", runs: 1, finished: true},
			jobs.JobMailboxReminders:   {result: "信箱开启提醒4条", runs: 1, finished: true},
			jobs.JobSixOnesReminders:   {result: "“六个一”提醒5条", runs: 1, finished: true},
			jobs.JobBallotClosing:      {result: "结束民主测评6个", runs: 1, finished: true},
			jobs.JobRectificationChase: {result: "整改超期催办2项", runs: 1, finished: true},
			jobs.JobAuditPrune:         {result: "清理超过保存期限的审计日志7条", runs: 1, finished: true},
			jobs.JobStats:              {result: "统计已更新", runs: 1, finished: true},
			"sweep_deadlines":          {result: "催办提醒0条", runs: 1, finished: true},
		}
		if got := jobRows(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("jobs table = %+v;\nwant %+v", got, want)
		}
		for _, m := range []string{"SweepCaseDeadlines", "RemindReceptions", "RemindActivities", "RemindMailboxes", "RemindSixOnes", "CloseDueBallots", "ChaseRectifications", "PruneAuditDue", "SyncStats"} {
			if n := st.callsOf(m); n != 1 {
				t.Errorf("%s called %d times; want once", m, n)
			}
		}
		// One line per job; the failure at ERROR with its job's name.
		out := logs.String()
		for _, name := range names {
			if n := strings.Count(out, "job="+name+" "); n != 1 {
				t.Errorf("%d log lines for %s; want 1:\n%s", n, name, out)
			}
		}
		for _, line := range []string{
			`level=ERROR msg=job job=reception_reminders count=0`,
			`err="RemindReceptions: 数据库连接中断"`,
			`level=INFO msg=job job=mailbox_reminders count=4`,
			`level=INFO msg=job job=case_deadlines count=1`,
		} {
			if !strings.Contains(out, line) {
				t.Errorf("log lacks %q:\n%s", line, out)
			}
		}
	})
}

// RunOnce runs every job even when the first fails or panics, returns the
// failure named by its job, and claims nothing (it runs whether or not
// another instance has the period).
func TestRunOnceRunsEveryJob(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		panics  bool
		wantErr string
	}{
		{"error", false, "case_deadlines: SweepCaseDeadlines: 数据库连接中断"},
		{"panic", true, "case_deadlines: panic: SweepCaseDeadlines exploded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				newClock(db)
				st := newFaultyStore(db, "SweepCaseDeadlines", tc.panics)
				var logs bytes.Buffer
				s := jobs.New(jobs.Config{Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
				err := s.RunOnce(t.Context())
				if err == nil || err.Error() != tc.wantErr {
					t.Errorf("RunOnce = %v; want %q", err, tc.wantErr)
				}
				for _, m := range []string{"SweepCaseDeadlines", "RemindReceptions", "RemindActivities", "RemindMailboxes", "RemindSixOnes", "CloseDueBallots", "SyncStats"} {
					if n := st.callsOf(m); n != 1 {
						t.Errorf("%s called %d times; want once", m, n)
					}
				}
				if rows := jobRows(t, db); len(rows) != 0 {
					t.Errorf("jobs table after RunOnce = %+v; want no claims", rows)
				}
				if out := logs.String(); !strings.Contains(out, "level=ERROR msg=job job=case_deadlines") ||
					!strings.Contains(out, "level=INFO msg=job job=activity_reminders count=3") {
					t.Errorf("log lacks the failed and the later job's lines:\n%s", out)
				}
			})
		})
	}
}

// A panicking job is not a crash: Run records it as the job's error and
// carries on.
func TestRunSurvivesPanic(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	newClock(db)
	st := newFaultyStore(db, "RemindMailboxes", true)
	s := jobs.New(jobs.Config{Store: st, SweepEvery: 20 * time.Millisecond, PollEvery: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !jobRows(t, db)[jobs.JobMailboxReminders].finished && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v; want nil", err)
	}
	if got := jobRows(t, db)[jobs.JobMailboxReminders]; !got.finished || got.lastError != "panic: RemindMailboxes exploded" {
		t.Errorf("mailbox_reminders row = %+v; want finished with the panic as its error", got)
	}
	if n := st.callsOf("RemindMailboxes"); n != 1 {
		t.Errorf("RemindMailboxes called %d times; want once (one period)", n)
	}
}

// The audit prune runs once a day, whatever the scheduler's period: each
// prune records itself in the trail. The case reminders, on the
// scheduler's period, run again an hour later; the prune a day later.
func TestAuditPruneRunsDaily(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		st := newFaultyStore(db, "", false)
		// One period of the scheduler: run until both jobs have run want times.
		period := func(wantCases, wantPrune int) {
			t.Helper()
			s := jobs.New(jobs.Config{Store: st, Now: clk.Now, SweepEvery: 20 * time.Millisecond, PollEvery: time.Hour,
				Logger: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))})
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error)
			go func() { done <- s.Run(ctx) }()
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				rows := jobRows(t, db)
				if rows[jobs.JobCaseDeadlines].runs >= wantCases && rows[jobs.JobCaseDeadlines].finished && rows[jobs.JobStats].runs >= wantCases {
					break
				}
			}
			time.Sleep(60 * time.Millisecond) // a few more ticks
			cancel()
			<-done
			rows := jobRows(t, db)
			if got := rows[jobs.JobCaseDeadlines].runs; got != wantCases {
				t.Errorf("case_deadlines ran %d times; want %d", got, wantCases)
			}
			if got := rows[jobs.JobAuditPrune].runs; got != wantPrune {
				t.Errorf("audit_prune ran %d times; want %d", got, wantPrune)
			}
		}
		period(1, 1)
		clk.Add(time.Hour)
		period(2, 1)
		clk.Add(24 * time.Hour)
		period(3, 2)
	})
}
