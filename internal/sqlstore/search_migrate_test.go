package sqlstore_test

import (
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A database at schema 20 — on SQLite the search text in cases.search and
// in the regular FTS5 table's own copy — is searched the same after
// migration 0022, which on SQLite keeps the text in the index alone.
func TestSearchStoredOnceMigration(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		liaison := w.As(t, "liaisona")
		var ids []int64
		for _, in := range [][2]string{{"小区路灯不亮", "晚上出行不便"}, {"道路积水严重", "下雨后路面积水"}} {
			c, err := db.CreateCase(liaison, lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: in[0],
				Content: in[1], RegionCode: "330206004"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		exec(t, db, migrationsDown(db, 21)...)
		if db.Dialect == sqlstore.SQLite {
			if got := query(t, db, `SELECT COUNT(*) FROM cases WHERE search <> ''`); got[0] == "[0]" {
				t.Fatalf("planted cases.search: %s rows; want every case's", got[0])
			}
			if got := query(t, db, `SELECT COUNT(*) FROM cases_fts WHERE search <> ''`); got[0] == "[0]" {
				t.Fatalf("planted FTS5 content: %s rows; want every case's", got[0])
			}
		}
		if err := db.Migrate(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		if v, err := db.SchemaVersion(storetest.SystemContext()); err != nil || v != db.KnownSchemaVersion() {
			t.Fatalf("schema version = %d, %v; want %d", v, err, db.KnownSchemaVersion())
		}
		for _, tc := range []struct {
			q    string
			want int64
		}{{"路灯不亮", ids[0]}, {"积水", ids[1]}} {
			found, total, err := db.FindCases(liaison, lianluo.CaseFilter{Q: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(found) != 1 || found[0].ID != tc.want {
				t.Errorf("search %s after 0022: %d found (%v); want case %d", tc.q, total, found, tc.want)
			}
		}
		if db.Dialect == sqlstore.SQLite {
			if got := query(t, db, `SELECT COUNT(*) FROM cases WHERE search <> ''`); got[0] != "[0]" {
				t.Errorf("cases.search after 0022: %s rows not empty; want none", got[0])
			}
			ddl := query(t, db, `SELECT sql FROM sqlite_master WHERE name = 'cases_fts'`)
			if len(ddl) != 1 || !strings.Contains(ddl[0], "contentless_delete") {
				t.Errorf("cases_fts after 0022: %q; want a contentless-delete table", ddl)
			}
			if got := query(t, db, `SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'cases_fts_new%'`); got[0] != "[0]" {
				t.Errorf("tables left by 0022: %s; want none", got[0])
			}
			// A case created after the migration is found, and only by its text.
			c, err := db.CreateCase(liaison, lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "电梯故障",
				Content: "电梯经常停运", RegionCode: "330206004"})
			if err != nil {
				t.Fatal(err)
			}
			found, total, err := db.FindCases(liaison, lianluo.CaseFilter{Q: "电梯"})
			if err != nil || total != 1 || len(found) != 1 || found[0].ID != c.ID {
				t.Errorf("search 电梯 after 0022: %d found, %v; want case %d", total, err, c.ID)
			}
		}
	})
}
