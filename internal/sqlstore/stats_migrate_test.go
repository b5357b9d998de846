package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A database made before the statistics rollups (schema 9) with cases in
// it: migrating it counts every case on the first statistics query, equal
// to the direct count.
func TestStatsMigrationCountsExistingCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := statsWorld(t, db)
		ctx := storetest.SystemContext()
		occasionsDown(t, db)
		// Back to schema 9: without the statistics tables and triggers.
		var down []string
		if db.Dialect == sqlstore.Postgres {
			down = []string{`DROP FUNCTION stats_mark_case() CASCADE`, `DROP FUNCTION stats_mark_case_part() CASCADE`}
		} else {
			for _, tr := range []string{"cases_stats_insert", "cases_stats_update"} {
				down = append(down, "DROP TRIGGER "+tr)
			}
			for _, table := range []string{"case_events", "case_replies", "case_ratings", "case_units", "case_deputies"} {
				for _, op := range []string{"insert", "update", "delete"} {
					down = append(down, fmt.Sprintf("DROP TRIGGER %s_stats_%s", table, op))
				}
			}
		}
		// And without the later migrations' tables, re-applied with 0010.
		down = append(down, `DROP TABLE stats_dirty`, `DROP TABLE case_facts`, `DROP TABLE case_rollups`,
			`DROP TABLE public_lookups`, `DELETE FROM schema_migrations WHERE version >= 10`)
		for _, q := range down {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != 9 {
			t.Fatalf("schema version = %d, %v; want 9", v, err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := db.StatsBacklog(ctx); err != nil || n < 11 {
			t.Errorf("backlog after the migration = %d, %v; want every case", n, err)
		}
		year, _ := lianluo.PresetPeriod(lianluo.PresetYear, storetest.Now)
		for _, g := range append([]string{""}, lianluo.GroupBys...) {
			f := lianluo.StatsFilter{Period: year, GroupBy: g}
			want, err := db.CaseStatsDirect(w.As(t, "office"), f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.CaseStats(w.As(t, "office"), f)
			if err != nil {
				t.Fatal(err)
			}
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) || want.Totals.Received != 11 {
				t.Errorf("after migrating, by %q:\n got %s\nwant %s", g, gj, wj)
			}
		}
		if n, err := db.StatsBacklog(ctx); err != nil || n != 0 {
			t.Errorf("backlog after a statistics query = %d, %v; want 0", n, err)
		}
	})
}
