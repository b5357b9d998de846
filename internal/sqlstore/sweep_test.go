package sqlstore_test

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// setClock fixes the store's clock at a Beijing time "2026-03-18 09:00".
func setClock(t *testing.T, db *sqlstore.DB, beijing string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", beijing, lianluo.Beijing)
	if err != nil {
		t.Fatal(err)
	}
	storetest.ClockOf(db).Set(func() time.Time { return at })
	return at
}

// rawSQL adapts $N placeholders to the raw driver: SQLite wants ?N.
func rawSQL(db *sqlstore.DB, q string) string {
	if db.Dialect == sqlstore.SQLite {
		return strings.ReplaceAll(q, "$", "?")
	}
	return q
}

// rawCount runs a COUNT query on a plain connection.
func rawCount(t *testing.T, raw *sql.DB, db *sqlstore.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(rawSQL(db, q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// sentTo counts, per template, the notifications of a case: "template→username×n".
func sentTo(t *testing.T, raw *sql.DB, w *caseWorld, caseID int64) map[string]int {
	t.Helper()
	rows, err := raw.Query(rawSQL(w.DB, `SELECT template, user_id FROM notifications WHERE case_id = $1 AND template <> 'case_assigned' AND template <> 'case_pending_approval'`), caseID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for name, u := range w.Users {
		names[u.ID] = name
	}
	out := map[string]int{}
	for rows.Next() {
		var tmpl string
		var uid sql.NullInt64
		if err := rows.Scan(&tmpl, &uid); err != nil {
			t.Fatal(err)
		}
		out[tmpl+"→"+names[uid.Int64]]++
	}
	return out
}

// urges returns the comments of the case's automatic reminder steps.
func urges(t *testing.T, w *caseWorld, caseID int64) []string {
	t.Helper()
	c := mustGet(t, w.DB, w, caseID)
	var out []string
	for _, e := range c.Events {
		if e.Action != lianluo.ActUrge {
			continue
		}
		if e.ActorName != "系统" || e.From == "" || e.From != e.To {
			t.Errorf("reminder step %+v; want by 系统, status unchanged", e)
		}
		out = append(out, e.Comment)
	}
	return out
}

type sweepAt struct {
	at   string // Beijing time
	want int    // reminders given
}

func runSweeps(t *testing.T, db *sqlstore.DB, steps []sweepAt) {
	t.Helper()
	for _, s := range steps {
		setClock(t, db, s.at)
		n, err := db.SweepCaseDeadlines(t.Context())
		if err != nil {
			t.Fatalf("SweepCaseDeadlines at %s: %v", s.at, err)
		}
		if n != s.want {
			t.Errorf("SweepCaseDeadlines at %s = %d; want %d", s.at, n, s.want)
		}
	}
}

// A unit is urged once before the deadline, once on it, and once each
// working day after it; every handler of the lead unit is told, and the
// case's history has one step per reminder, not one per handler.
func TestSweepHandlingDeadline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		second := &lianluo.User{Username: "unita2", DisplayName: "街道办经办人二", Password: storetest.Password,
			Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &w.UnitA.ID}}}
		if err := db.CreateUser(storetest.SystemContext(), second); err != nil {
			t.Fatal(err)
		}
		w.Users["unita2"] = second
		// Approved Monday 2026-03-02: 15 working days → due Monday 2026-03-23.
		c := w.path(t, lianluo.StatusHandling)
		if got := c.DueDate.In(lianluo.Beijing).Format("2006-01-02"); got != "2026-03-23" {
			t.Fatalf("due date %s; want 2026-03-23", got)
		}
		runSweeps(t, db, []sweepAt{
			{"2026-03-10 09:00", 0}, // station A's mailbox is overdue, but that is another job (RemindMailboxes)
			{"2026-03-17 23:59", 0}, // 4 working days left
			{"2026-03-18 00:01", 1}, // 3 left (RemindBeforeDays): before
			{"2026-03-18 00:01", 0}, // the same sweep again
			{"2026-03-18 15:00", 0},
			{"2026-03-20 10:00", 0},
			{"2026-03-23 08:00", 1}, // the due date
			{"2026-03-23 23:59", 0},
			{"2026-03-24 09:00", 1}, // overdue, daily
			{"2026-03-24 17:00", 0},
			{"2026-03-25 09:00", 1},
			{"2026-03-28 10:00", 0}, // Saturday: not a working day
			{"2026-03-30 09:00", 1},
		})
		raw := rawDB(t, db)
		got := sentTo(t, raw, w, c.ID)
		want := map[string]int{
			"case_due_soon→unita": 1, "case_due_soon→unita2": 1,
			"case_due_today→unita": 1, "case_due_today→unita2": 1,
			"case_overdue→unita": 3, "case_overdue→unita2": 3,
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("notifications = %v; want %v", got, want)
		}
		steps := urges(t, w, c.ID)
		wantSteps := []string{
			"系统自动催办：距办理期限 2026-03-23 还有3个工作日",
			"系统自动催办：今日到期（期限 2026-03-23）",
			"系统自动催办：已超期1天（期限 2026-03-23）",
			"系统自动催办：已超期2天（期限 2026-03-23）",
			"系统自动催办：已超期7天（期限 2026-03-23）",
		}
		if fmt.Sprint(steps) != fmt.Sprint(wantSteps) {
			t.Errorf("history steps = %q; want %q", steps, wantSteps)
		}
		// A reminder changes nothing on the case: no one's edit goes stale.
		if after := mustGet(t, db, w, c.ID); after.Version != c.Version {
			t.Errorf("version %d after reminders; want %d", after.Version, c.Version)
		}
		// The handler finds it in the inbox.
		inbox, unread, err := db.Inbox(w.As(t, "unita"), true, lianluo.Page{})
		if err != nil || unread < 5 || len(inbox) == 0 {
			t.Fatalf("Inbox = %d items, %d unread, %v; want the reminders", len(inbox), unread, err)
		}
		if first := inbox[0]; first.Template != "case_overdue" || !strings.Contains(first.Body, "已超过办理期限（2026-03-23）7天") {
			t.Errorf("newest inbox item = %s %q; want the latest overdue reminder", first.Template, first.Body)
		}

		// An approved extension is a new deadline with reminders of its own.
		setClock(t, db, "2026-03-30 10:00")
		c = mustGet(t, db, w, c.ID)
		c = w.act(t, "unita", c, "request_extension", lianluo.CaseAction{Until: "2026-04-10", Reason: "需招标采购"})
		c = w.act(t, "officea", c, "decide_extension", lianluo.CaseAction{Approve: ptrBool(true)})
		runSweeps(t, db, []sweepAt{
			{"2026-03-31 09:00", 0}, // 2026-04-10 is 7 working days away (清明 4/4–4/6)
			{"2026-04-07 09:00", 1}, // 3 left: before
			{"2026-04-10 09:00", 1}, // due
		})
		// Once replied, the unit is left alone.
		setClock(t, db, "2026-04-10 10:00")
		c = w.act(t, "unita", mustGet(t, db, w, c.ID), "reply", lianluo.CaseAction{Result: "A", Content: "已修复。"})
		runSweeps(t, db, []sweepAt{{"2026-04-13 09:00", 0}, {"2026-04-14 09:00", 0}})
		if n := len(urges(t, w, c.ID)); n != 7 {
			t.Errorf("%d reminder steps; want 7", n)
		}
	})
}

// Leaders are reminded once when a case has waited 8 of its 10 days for
// approval (000: assign within ten days), then each working day once late;
// an escalation is a new submission to the body above.
func TestSweepApproval(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := w.path(t, lianluo.StatusPendingApproval) // submitted 2026-03-02, due 2026-03-12
		runSweeps(t, db, []sweepAt{
			{"2026-03-09 23:00", 0}, // 7 days (station A's never-opened mailbox is another job)
			{"2026-03-10 00:30", 1}, // 8 days: near
			{"2026-03-11 09:00", 0},
			{"2026-03-12 22:00", 0}, // the last day: reminded already
			{"2026-03-13 09:00", 1}, // late, daily
			{"2026-03-13 10:00", 0},
			{"2026-03-14 09:00", 0}, // Saturday
			{"2026-03-16 09:00", 1},
		})
		raw := rawDB(t, db)
		got := sentTo(t, raw, w, c.ID)
		want := map[string]int{"case_approval_due_soon→leadera": 1, "case_approval_overdue→leadera": 2}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("notifications = %v; want %v", got, want)
		}
		wantSteps := []string{
			"系统自动提醒：报送审核已8天，请于 2026-03-12 前交办",
			"系统自动提醒：交办已超期1天（期限 2026-03-12）",
			"系统自动提醒：交办已超期4天（期限 2026-03-12）",
		}
		if steps := urges(t, w, c.ID); fmt.Sprint(steps) != fmt.Sprint(wantSteps) {
			t.Errorf("history steps = %q; want %q", steps, wantSteps)
		}
		// Escalated on 3/16 to the district: its leader is reminded on 3/24.
		setClock(t, db, "2026-03-16 10:00")
		w.act(t, "leadera", mustGet(t, db, w, c.ID), "escalate", lianluo.CaseAction{Comment: "涉及全区"})
		runSweeps(t, db, []sweepAt{{"2026-03-23 09:00", 0}, {"2026-03-24 09:00", 1}, {"2026-03-24 09:05", 0}})
		got = sentTo(t, raw, w, c.ID)
		if got["case_approval_due_soon→leader"] != 1 || got["case_approval_due_soon→leadera"] != 1 {
			t.Errorf("after escalation: %v; want one near-limit reminder to the district leader", got)
		}
	})
}

// Sweeps running at the same moment (several instances) give each reminder once.
func TestSweepConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		var ids []int64
		for range 6 {
			ids = append(ids, w.path(t, lianluo.StatusAssigned).ID)
		}
		setClock(t, db, "2026-03-24 09:00") // a day late
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 4 {
			wg.Go(func() {
				n, err := db.SweepCaseDeadlines(t.Context())
				if err != nil {
					t.Errorf("SweepCaseDeadlines: %v", err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			})
		}
		wg.Wait()
		if total != len(ids) {
			t.Errorf("reminders given by 4 concurrent sweeps = %d; want %d", total, len(ids))
		}
		raw := rawDB(t, db)
		for _, id := range ids {
			if n := rawCount(t, raw, db, `SELECT COUNT(*) FROM notifications WHERE case_id = $1 AND template = 'case_overdue'`, id); n != 1 {
				t.Errorf("case %d: %d overdue notifications; want 1", id, n)
			}
			if n := rawCount(t, raw, db, `SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND action = 'urge'`, id); n != 1 {
				t.Errorf("case %d: %d reminder steps; want 1", id, n)
			}
		}
	})
}

// More candidates than one batch: every case is reminded, in several
// transactions, and a second sweep finds nothing to do.
func TestSweepBatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := w.path(t, lianluo.StatusAssigned)
		raw := rawDB(t, db)
		const clones = 1200
		if _, err := raw.Exec(rawSQL(db, `
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
			INSERT INTO cases (tracking_code, kind, channel, station_id, org_id, title, content, region_code, status,
				round, due_at, original_due_at, created_at, updated_at)
			SELECT 'BATCH' || n.i, c.kind, c.channel, c.station_id, c.org_id, c.title, c.content, c.region_code, c.status,
				c.round, c.due_at, c.original_due_at, c.created_at, c.updated_at
			FROM n, cases c WHERE c.id = $2`), clones, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(rawSQL(db, `
			INSERT INTO case_units (case_id, org_id, round, lead, active, case_status)
			SELECT id, $1, 1, TRUE, TRUE, status FROM cases WHERE tracking_code LIKE 'BATCH%'`), w.UnitA.ID); err != nil {
			t.Fatal(err)
		}
		runSweeps(t, db, []sweepAt{{"2026-03-24 09:00", clones + 1}, {"2026-03-24 09:01", 0}})
		if n := rawCount(t, raw, db, `SELECT COUNT(*) FROM notifications WHERE template = 'case_overdue'`); n != clones+1 {
			t.Errorf("%d overdue notifications; want %d", n, clones+1)
		}
		if n := rawCount(t, raw, db, `SELECT COUNT(DISTINCT case_id) FROM case_events WHERE action = 'urge'`); n != clones+1 {
			t.Errorf("%d cases with a reminder step; want %d", n, clones+1)
		}
	})
}

// Cases that need no reminder get none: linked cases follow their master,
// and closed or replied cases are done.
func TestSweepSkips(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		replied := w.path(t, lianluo.StatusReplied)
		registered := w.path(t, lianluo.StatusRegistered)
		master := w.path(t, lianluo.StatusPendingApproval)
		follower := w.register(t, "同一路段路灯不亮")
		w.act(t, "officea", follower, "link", lianluo.CaseAction{MasterID: &master.ID})
		runSweeps(t, db, []sweepAt{{"2026-03-24 09:00", 1}}) // the master's approval is late
		raw := rawDB(t, db)
		for _, id := range []int64{replied.ID, registered.ID, follower.ID} {
			if n := rawCount(t, raw, db, `SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND action = 'urge'`, id); n != 0 {
				t.Errorf("case %d got %d reminders; want none", id, n)
			}
		}
	})
}

// A recurring job runs once per period across instances, and a run whose
// instance died is taken over when its lease ends.
func TestClaimJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		claim := func(at string, want bool) {
			t.Helper()
			setClock(t, db, at)
			got, err := db.ClaimJob(ctx, "sweep_deadlines", time.Minute, 10*time.Minute)
			if err != nil || got != want {
				t.Errorf("ClaimJob at %s = %v, %v; want %v", at, got, err, want)
			}
		}
		claim("2026-03-02 09:30", true)  // new: due at once
		claim("2026-03-02 09:30", false) // running
		if err := db.FinishJob(ctx, "sweep_deadlines", "催办提醒0条", nil); err != nil {
			t.Fatal(err)
		}
		claim("2026-03-02 09:30", false) // done for this minute
		claim("2026-03-02 09:31", true)  // the next minute
		// This run never finishes (its instance died): held until the lease ends.
		claim("2026-03-02 09:35", false)
		claim("2026-03-02 09:41", true)

		// Instances racing for the same period: exactly one wins.
		setClock(t, db, "2026-03-02 10:00")
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 8 {
			wg.Go(func() {
				ok, err := db.ClaimJob(ctx, "race", time.Minute, time.Minute)
				if err != nil {
					t.Errorf("ClaimJob: %v", err)
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d of 8 racing instances claimed the job; want 1", wins)
		}
	})
}
