package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// auditChainDown undoes 0014: the append-only triggers, the chain's columns
// and its head. The migration tests that roll the schema back by hand call
// it, so that 0014 applies again (and seals the events again).
func auditChainDown(db *sqlstore.DB) []string {
	if db.Dialect == sqlstore.Postgres {
		return []string{`DROP TRIGGER events_no_update ON events`,
			`ALTER TABLE events DROP COLUMN prev_hash, DROP COLUMN hash`, `DROP TABLE audit_head`}
	}
	return []string{`DROP TRIGGER events_no_update`, `DROP TRIGGER events_no_delete`,
		`ALTER TABLE events DROP COLUMN prev_hash`, `ALTER TABLE events DROP COLUMN hash`, `DROP TABLE audit_head`}
}

// tamper runs statements on the events with the append-only triggers
// dropped, and recreates them: what someone with the database's password
// could do, leaving the triggers as they were.
func tamper(t *testing.T, db *sqlstore.DB, qs ...string) {
	t.Helper()
	drop := []string{`DROP TRIGGER events_no_update`, `DROP TRIGGER events_no_delete`}
	create := []string{
		`CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
		`CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
	}
	if db.Dialect == sqlstore.Postgres {
		drop = []string{`DROP TRIGGER events_no_update ON events`}
		create = []string{`CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE PROCEDURE events_append_only()`}
	}
	raw := rawDB(t, db)
	for _, q := range append(append(drop, qs...), create...) {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func verify(t *testing.T, ctx context.Context, db *sqlstore.DB) *lianluo.AuditCheck {
	t.Helper()
	c, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// eventIDs returns the events' ids in order.
func eventIDs(t *testing.T, db *sqlstore.DB) []int64 {
	t.Helper()
	var ids []int64
	for _, s := range query(t, db, `SELECT id FROM events ORDER BY id`) {
		var id int64
		fmt.Sscan(strings.Trim(s, "[]"), &id)
		ids = append(ids, id)
	}
	return ids
}

func badID(c *lianluo.AuditCheck) int64 {
	if c.FirstBadID == nil {
		return 0
	}
	return *c.FirstBadID
}

// An event edited in the database, with the triggers dropped and recreated,
// is named by the verification; before, the chain verifies.
func TestAuditChainFindsAnEditedEvent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "auditor")
		c := verify(t, admin, db)
		ids := eventIDs(t, db)
		if !c.OK || c.Events != int64(len(ids)) || len(ids) < 5 || len(c.Head) != 64 {
			t.Fatalf("VerifyAudit before = %+v; want ok over %d events", c, len(ids))
		}
		victim := ids[len(ids)/2]
		tamper(t, db, fmt.Sprintf(`UPDATE events SET summary = summary || '（已篡改）' WHERE id = %d`, victim))
		c = verify(t, admin, db)
		if c.OK || badID(c) != victim || c.Events != int64(len(ids)) {
			t.Errorf("VerifyAudit after editing event %d = %+v; want not ok, first bad %d", victim, c, victim)
		}
	})
}

// A deleted event is found: in the middle the next event's link breaks; at
// the end the head names an event that is not there.
func TestAuditChainFindsADeletedEvent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "auditor")
		ids := eventIDs(t, db)
		tamper(t, db, fmt.Sprintf(`DELETE FROM events WHERE id = %d`, ids[2]))
		if c := verify(t, admin, db); c.OK || badID(c) != ids[3] {
			t.Errorf("VerifyAudit after deleting event %d = %+v; want first bad %d (its successor)", ids[2], c, ids[3])
		}
	})
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "auditor")
		ids := eventIDs(t, db)
		last := ids[len(ids)-1]
		tamper(t, db, fmt.Sprintf(`DELETE FROM events WHERE id = %d`, last))
		if c := verify(t, admin, db); c.OK || badID(c) != last {
			t.Errorf("VerifyAudit after deleting the last event %d = %+v; want first bad %d", last, c, last)
		}
	})
}

// Reading and verifying the trail is the auditor's alone (三员分立): not
// the system administrator's, nor the security administrator's.
func TestAuditVerifyIsForTheAuditor(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		for _, user := range []string{"admin", "security", "office"} {
			if _, err := db.VerifyAudit(w.As(t, user)); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("VerifyAudit as %s = %v; want forbidden", user, err)
			}
			if _, _, err := db.FindEvents(w.As(t, user), lianluo.EventFilter{}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("FindEvents as %s = %v; want forbidden", user, err)
			}
		}
		if c, err := db.VerifyAudit(w.As(t, "auditor")); err != nil || !c.OK {
			t.Errorf("VerifyAudit as auditor = %+v, %v; want ok", c, err)
		}
	})
}

// Events written before the chain existed are chained by its migration, in
// id order, and verify.
func TestAuditChainMigrationSealsOldEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "auditor")
		exec(t, db, migrationsDown(db, 13)...)
		if err := db.Migrate(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		if n := query(t, db, `SELECT COUNT(*) FROM events WHERE hash = ''`); n[0] != "[0]" {
			t.Errorf("unsealed events after the migration = %s", n[0])
		}
		ids := eventIDs(t, db)
		if c := verify(t, admin, db); !c.OK || c.Events != int64(len(ids)) {
			t.Errorf("VerifyAudit after the migration = %+v; want ok over %d events", c, len(ids))
		}
		// The chain goes on from the sealed events.
		if err := db.RecordEvent(admin, lianluo.EntityCase, 0, lianluo.AuditExport, "导出测试"); err != nil {
			t.Fatal(err)
		}
		if c := verify(t, admin, db); !c.OK || c.Events != int64(len(ids))+1 {
			t.Errorf("VerifyAudit after a new event = %+v", c)
		}
	})
}

// Writers at once leave one chain: each transaction's events are linked
// after the head it locked, none forks it.
func TestAuditChainConcurrentWriters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin, liaison := w.As(t, "auditor"), w.As(t, "liaisona")
		before := len(eventIDs(t, db))
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%2 == 0 {
					errs <- db.RecordEvent(admin, lianluo.EntityCase, int64(i), lianluo.AuditExport, fmt.Sprintf("导出 %d", i))
					return
				}
				_, err := db.CreateCase(liaison, lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID,
					Title: fmt.Sprintf("路灯损坏 %d", i), Content: "路灯损坏，请帮助维修。", RegionCode: "330206004"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		// The sealing loop chains the writes' events without a reader
		// asking (PostgreSQL, audit_seal.go); a generous bound, not a timing.
		pending := -1
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			var err error
			if pending, err = db.PendingEventsForTest(storetest.SystemContext()); err != nil {
				t.Fatal(err)
			}
			if pending == 0 {
				break
			}
		}
		if pending != 0 {
			t.Errorf("events still pending 10 s after the writes: %d; want 0", pending)
		}
		if got := len(eventIDs(t, db)); got < before+20 {
			t.Errorf("events after 20 writers = %d; want at least %d", got, before+20)
		}
		c := verify(t, admin, db)
		if !c.OK || c.Events < int64(before+20) {
			t.Errorf("VerifyAudit after 20 writers = %+v; want ok over at least %d events", c, before+20)
		}
	})
}

// Events a process committed but did not seal (it stopped before its
// round, or the round failed) join the chain at the next verification, in
// the order they were written, and the chain verifies.
func TestAuditChainSealsEventsLeftPending(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if db.Dialect != sqlstore.Postgres {
			t.Skip("SQLite chains events inside its group commit; nothing is left pending")
		}
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "auditor")
		before := len(eventIDs(t, db))
		raw := rawDB(t, db)
		for _, s := range []string{"导出甲", "导出乙"} {
			if _, err := raw.Exec(`INSERT INTO events_pending (at, actor_id, actor_name, entity, entity_id, action, summary)
				VALUES (now(), NULL, 'system', 'case', 7, 'export', $1)`, s); err != nil {
				t.Fatal(err)
			}
		}
		c := verify(t, admin, db)
		if !c.OK || c.Events != int64(before+2) {
			t.Errorf("VerifyAudit with two events pending = %+v; want ok over %d events", c, before+2)
		}
		got := query(t, db, `SELECT summary FROM events ORDER BY id DESC LIMIT 2`, `SELECT COUNT(*) FROM events_pending`)
		if want := []string{"[导出乙]", "[导出甲]", "[0]"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("last events and pending count = %v; want %v", got, want)
		}
	})
}

// Pruning deletes only events older than the retention, and what remains
// verifies from the anchor; an anchor moved onto younger events is found.
func TestAuditPrune(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "auditor")
		old := eventIDs(t, db)
		if n, err := db.PruneAudit(admin); err != nil || n != 0 {
			t.Fatalf("PruneAudit now = %d, %v; want nothing", n, err)
		}
		storetest.ClockOf(db).Set(func() time.Time { return storetest.Now.AddDate(0, 0, 200) })
		if err := db.SetAuditSettings(admin, lianluo.AuditSettings{RetentionDays: 365}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.PruneAudit(admin); err != nil || n != 0 {
			t.Fatalf("PruneAudit after 200 days, keeping 365 = %d, %v; want nothing", n, err)
		}
		if err := db.SetAuditSettings(admin, lianluo.AuditSettings{RetentionDays: 180}); err != nil {
			t.Fatal(err)
		}
		n, err := db.PruneAudit(admin)
		// The settings' two events were written after 200 days and stay.
		if err != nil || n != int64(len(old)) {
			t.Fatalf("PruneAudit after 200 days = %d, %v; want the %d old events", n, err, len(old))
		}
		c := verify(t, admin, db)
		if !c.OK || c.AnchorID != old[len(old)-1] || c.Events != 3 {
			t.Errorf("VerifyAudit after pruning = %+v; want ok from anchor %d over 3 events", c, old[len(old)-1])
		}
		kept := eventIDs(t, db)
		tamper(t, db, fmt.Sprintf(`DELETE FROM events WHERE id = %d`, kept[0]))
		if c := verify(t, admin, db); c.OK || badID(c) != kept[1] {
			t.Errorf("VerifyAudit after deleting the first kept event = %+v; want first bad %d", c, kept[1])
		}
	})
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		admin := w.As(t, "auditor")
		ids := eventIDs(t, db)
		x := ids[len(ids)/2]
		tamper(t, db,
			fmt.Sprintf(`UPDATE audit_head SET anchor_id = %d, anchor_hash = (SELECT hash FROM events WHERE id = %d), anchor_at = (SELECT at FROM events WHERE id = %d)`, x, x, x),
			fmt.Sprintf(`DELETE FROM events WHERE id <= %d`, x))
		if c := verify(t, admin, db); c.OK || badID(c) != x {
			t.Errorf("VerifyAudit after pruning young events = %+v; want first bad %d", c, x)
		}
	})
}
