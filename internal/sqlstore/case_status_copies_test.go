package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Each case's status beside its deputies and its departments (migration
// 0036), which their to-do lists read: filled by the migration from the
// cases there without marking any for the statistics, kept equal through
// every step of the workflow, and an insert with another status is refused.
// A copy left behind would hide a case from the deputy's 待反馈 or 待测评,
// or the department's 待签收 or 待答复.
func TestCaseStatusCopies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := storetest.SystemContext()
		replied := w.path(t, lianluo.StatusReplied)
		w.path(t, lianluo.StatusClosed)
		if err := db.SyncStats(ctx); err != nil {
			t.Fatal(err)
		}
		exec(t, db, migrationsDown(db, 35)...)
		exec(t, db, `DELETE FROM stats_dirty`)
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != db.KnownSchemaVersion() {
			t.Fatalf("schema version = %d, %v; want %d", v, err, db.KnownSchemaVersion())
		}
		stale := func(when string) {
			t.Helper()
			for _, table := range []string{"case_deputies", "case_units"} {
				if got := query(t, db, `SELECT COUNT(*) FROM `+table); got[0] == "[0]" {
					t.Fatalf("%s: no %s rows", when, table)
				}
				if got := query(t, db, `SELECT x.case_id, x.case_status, c.status FROM `+table+` x JOIN cases c ON c.id = x.case_id
					WHERE x.case_status <> c.status`); len(got) != 0 {
					t.Errorf("%s: %s rows whose copy of the status differs from their case's: %v", when, table, got)
				}
			}
		}
		stale("after the migration")
		if got := query(t, db, `SELECT COUNT(*) FROM stats_dirty`); got[0] != "[0]" {
			t.Errorf("cases marked for the statistics by 0036: %s; want none", got[0])
		}
		todo := func(when string, feedback, evaluate int) {
			t.Helper()
			counts, err := db.TodoCounts(w.As(t, "deputya"))
			if err != nil {
				t.Fatal(err)
			}
			if counts["feedback"] != feedback || counts["evaluate"] != evaluate {
				t.Errorf("%s: the deputy's 待反馈 %d, 待测评 %d; want %d, %d", when, counts["feedback"], counts["evaluate"], feedback, evaluate)
			}
		}
		todo("a reply in", 1, 0)
		c := w.act(t, "liaisona", replied, "feedback", lianluo.CaseAction{Content: "已修好，请查看。"})
		stale("after the feedback")
		todo("after the feedback", 0, 1)
		w.act(t, "deputya", c, "evaluate", lianluo.CaseAction{By: "deputy", Rating: "unsatisfied", Comment: "只修了一盏。"})
		stale("after the evaluation")
		todo("after the evaluation", 0, 0)
		// The department's: a case waiting to be signed, one in handling.
		assigned, handling := w.path(t, lianluo.StatusAssigned), w.path(t, lianluo.StatusHandling)
		stale("after the assignments")
		unit := func(when string, sign, reply int) {
			t.Helper()
			counts, err := db.TodoCounts(w.As(t, "unita"))
			if err != nil {
				t.Fatal(err)
			}
			if counts["sign"] != sign || counts["reply"] != reply {
				t.Errorf("%s: the department's 待签收 %d, 待答复 %d; want %d, %d", when, counts["sign"], counts["reply"], sign, reply)
			}
		}
		unit("one of each", 1, 1)
		w.act(t, "unita", assigned, "sign", lianluo.CaseAction{})
		w.act(t, "unita", handling, "reply", lianluo.CaseAction{Result: "A", Content: "已更换灯具。", MetDeputy: true})
		stale("after signing and replying")
		unit("after signing and replying", 0, 1)
		// Every status a new case passes through.
		w.path(t, lianluo.StatusArchived)
		stale("after a case's whole way")

		for table, q := range map[string]string{
			"case_deputies": `INSERT INTO case_deputies (case_id, deputy_id, created_at, case_status) SELECT id, ` + fmt.Sprint(w.DeputyB.ID) +
				`, created_at, 'closed' FROM cases WHERE status <> 'closed' ORDER BY id LIMIT 1`,
			"case_units": `INSERT INTO case_units (case_id, org_id, round, lead, active, case_status) SELECT id, ` + fmt.Sprint(w.UnitA.ID) +
				`, 9, TRUE, TRUE, 'closed' FROM cases WHERE status <> 'closed' ORDER BY id LIMIT 1`,
		} {
			if err := db.ExecForTest(ctx, q); err == nil || !strings.Contains(err.Error(), "case_status") {
				t.Errorf("a %s row with another status than its case's: %v; want refused", table, err)
			}
		}
	})
}
