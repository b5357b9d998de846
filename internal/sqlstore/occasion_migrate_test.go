package sqlstore_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// occasionsDown takes a migrated database back to schema 11: the occasion
// tables of 0012 gone, the per-kind tables of receptions and activities
// (and cases.reception_id) back, empty.
func occasionsDown(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ddl := []string{
		`DROP TABLE occasion_invitees`,
		`DROP TABLE occasion_photos`,
		`DROP TABLE occasion_cases`,
		`CREATE TABLE reception_deputies (
			reception_id INTEGER NOT NULL REFERENCES receptions (id),
			deputy_id    INTEGER NOT NULL REFERENCES deputies (id),
			position     INTEGER NOT NULL DEFAULT 0,
			attendance   TEXT NOT NULL DEFAULT 'scheduled',
			signed_in_at TIMESTAMP,
			signed_by    TEXT NOT NULL DEFAULT '',
			leave_reason TEXT NOT NULL DEFAULT '',
			leave_status TEXT NOT NULL DEFAULT '',
			leave_at     TIMESTAMP,
			PRIMARY KEY (reception_id, deputy_id))`,
		`CREATE TABLE reception_photos (
			id           INTEGER PRIMARY KEY,
			reception_id INTEGER NOT NULL REFERENCES receptions (id),
			content_type TEXT NOT NULL,
			data         BLOB NOT NULL,
			created_by   INTEGER,
			created_at   TIMESTAMP NOT NULL)`,
		`ALTER TABLE cases ADD COLUMN reception_id INTEGER REFERENCES receptions (id)`,
		`CREATE INDEX cases_reception ON cases (reception_id)`,
		`CREATE TABLE activity_deputies (
			activity_id  INTEGER NOT NULL REFERENCES activities (id),
			deputy_id    INTEGER NOT NULL REFERENCES deputies (id),
			position     INTEGER NOT NULL DEFAULT 0,
			attendance   TEXT NOT NULL DEFAULT 'scheduled',
			signed_in_at TIMESTAMP,
			signed_by    TEXT NOT NULL DEFAULT '',
			leave_reason TEXT NOT NULL DEFAULT '',
			leave_status TEXT NOT NULL DEFAULT '',
			leave_at     TIMESTAMP,
			reminded_at  TIMESTAMP,
			PRIMARY KEY (activity_id, deputy_id))`,
		`CREATE TABLE activity_photos (
			id           INTEGER PRIMARY KEY,
			activity_id  INTEGER NOT NULL REFERENCES activities (id),
			content_type TEXT NOT NULL,
			data         BLOB NOT NULL,
			created_by   INTEGER,
			created_at   TIMESTAMP NOT NULL)`,
		`CREATE TABLE activity_cases (
			activity_id INTEGER NOT NULL REFERENCES activities (id),
			case_id     INTEGER NOT NULL REFERENCES cases (id),
			created_at  TIMESTAMP NOT NULL,
			PRIMARY KEY (activity_id, case_id))`,
		`DELETE FROM schema_migrations WHERE version >= 12`,
	}
	exec(t, db, append(migrationsDown(db, 12), ddl...)...)
	if v, err := db.SchemaVersion(storetest.SystemContext()); err != nil || v != 11 {
		t.Fatalf("schema version = %d, %v; want 11", v, err)
	}
}

// migrationsDown undoes the migrations after version after, newest first,
// so that a test can plant what an older database held and migrate it
// again. A new migration adds its own undo here.
func migrationsDown(db *sqlstore.DB, after int) []string {
	var down []string
	if after < 36 {
		down = append(down, `DROP INDEX case_deputies_deputy_status`, `DROP INDEX case_units_org_status`)
		if db.Dialect == sqlstore.SQLite {
			down = append(down, `DROP TRIGGER case_deputies_case_status`, `DROP TRIGGER case_units_case_status`, `DROP TRIGGER cases_status_copies`)
			for _, table := range []string{"case_deputies", "case_units"} {
				down = append(down, `DROP TRIGGER `+table+`_stats_update`,
					`CREATE TRIGGER `+table+`_stats_update AFTER UPDATE ON `+table+` BEGIN INSERT INTO stats_dirty (case_id) VALUES (NEW.case_id); END`)
			}
		} else {
			down = append(down, `DROP TRIGGER case_deputies_case_status ON case_deputies`, `DROP TRIGGER case_units_case_status ON case_units`,
				`DROP FUNCTION case_status_copy_check()`, `DROP TRIGGER cases_status_copies ON cases`, `DROP FUNCTION cases_status_copies()`)
			for _, table := range []string{"case_deputies", "case_units"} {
				down = append(down, `DROP TRIGGER `+table+`_stats ON `+table,
					`CREATE TRIGGER `+table+`_stats AFTER INSERT OR UPDATE OR DELETE ON `+table+` FOR EACH ROW EXECUTE FUNCTION stats_mark_case_part()`)
			}
		}
		down = append(down, `ALTER TABLE case_deputies DROP COLUMN case_status`, `ALTER TABLE case_units DROP COLUMN case_status`)
	}
	if after < 35 && db.Dialect == sqlstore.SQLite {
		down = append(down, `DROP INDEX cases_open_id`)
	}
	if after < 34 {
		d, err := db.IntegerTimesDownForTest(storetest.SystemContext())
		if err != nil {
			panic(fmt.Sprintf("migrationsDown: %v", err))
		}
		if after < 36 {
			// The triggers as they are now, read before 0036's undo above
			// has run: without 0036's, and its statistics trigger as it was.
			d = slices.DeleteFunc(d, func(q string) bool {
				return strings.Contains(q, "_case_status") || strings.Contains(q, "cases_status_copies")
			})
			for i, q := range d {
				q = strings.Replace(q, "AFTER UPDATE OF case_id, deputy_id, created_at ON case_deputies", "AFTER UPDATE ON case_deputies", 1)
				d[i] = strings.Replace(q, "AFTER UPDATE OF case_id, org_id, round, lead, active, signed_at ON case_units", "AFTER UPDATE ON case_units", 1)
			}
		}
		down = append(down, d...)
	}
	if after < 33 && db.Dialect == sqlstore.SQLite {
		down = append(down, `INSERT INTO cases_fts (cases_fts, rank) VALUES ('automerge', 4)`)
	}
	if after < 32 {
		down = append(down, `DROP TABLE bulk_deferred_indexes`)
	}
	if after < 31 {
		down = append(down, `CREATE INDEX case_deputies_deputy ON case_deputies (deputy_id)`)
	}
	if after < 30 {
		down = append(down, `DROP TABLE events_pending`)
	}
	if after < 29 {
		down = append(down, `DROP TABLE year_plan_items`, `DROP TABLE year_plans`)
	}
	if after < 28 {
		down = append(down, `DROP TABLE rectifications`, `DROP TABLE appraisal_cases`, `DROP TABLE appraisal_steps`,
			`DROP TABLE appraisal_units`, `DROP TABLE appraisals`)
	}
	if after < 27 {
		down = append(down, `DROP TABLE report_plan_deputies`, `DROP TABLE report_plans`, `DROP TABLE ballot_paper`,
			`DROP TABLE ballot_answers`, `DROP TABLE ballot_votes`, `DROP TABLE ballot_items`, `DROP TABLE ballots`)
	}
	if after < 26 {
		down = append(down, `DROP TABLE station_checklist_photos`, `DROP TABLE station_checklist`)
	}
	if after < 25 {
		down = append(down, `DROP INDEX case_deputies_deputy_created`)
		if db.Dialect == sqlstore.SQLite {
			down = append(down, `DROP TRIGGER case_deputies_created_at`)
		}
		down = append(down, `ALTER TABLE case_deputies DROP COLUMN created_at`)
	}
	if after < 24 {
		down = append(down, `DROP TABLE suggestion_evidence`, `DROP TABLE suggestion_consultations`, `DROP TABLE suggestion_signers`,
			`DROP TABLE suggestions`, `DROP TABLE congress_sessions`)
	}
	if after < 23 {
		down = append(down, `DROP TABLE duty_record_photos`, `DROP TABLE duty_records`)
	}
	if after < 22 {
		d, err := db.SearchDownForTest(storetest.SystemContext())
		if err != nil {
			panic(fmt.Sprintf("migrationsDown: %v", err))
		}
		down = append(down, d...)
	}
	if after < 21 {
		down = append(down, `DROP INDEX cases_extension_pending`,
			`DROP INDEX cases_status_id`, `CREATE INDEX cases_status_id ON cases (status, id)`,
			`DROP INDEX cases_org`, `CREATE INDEX cases_org ON cases (org_id, status)`,
			`DROP INDEX cases_station`, `CREATE INDEX cases_station ON cases (station_id, status)`)
	}
	if after < 20 {
		down = append(down, `DROP INDEX cases_station_id`, `DROP INDEX cases_org_id`, `DROP INDEX cases_region_id`,
			`DROP INDEX cases_town_id`, `DROP INDEX cases_district_id`, `DROP INDEX cases_category_id`,
			`DROP INDEX case_deputies_deputy_case`, `DROP INDEX case_units_org_case`)
	}
	if after < 19 {
		down = append(down, `DROP TABLE cache_epoch`)
	}
	if after < 17 {
		down = append(down, `DROP INDEX cases_submitter_phone_hmac`,
			`ALTER TABLE cases DROP COLUMN submitter_phone_last4`, `ALTER TABLE cases DROP COLUMN submitter_phone_hmac`,
			`ALTER TABLE diary_entries DROP COLUMN voter_phone_last4`, `ALTER TABLE diary_entries DROP COLUMN voter_phone_hmac`,
			`ALTER TABLE mailbox_letters DROP COLUMN writer_phone_last4`, `ALTER TABLE mailbox_letters DROP COLUMN writer_phone_hmac`)
	}
	if after < 16 {
		down = append(down, `DROP TABLE mfa_challenges`, `DROP TABLE mfa_recovery`, `DROP TABLE user_mfa`)
	}
	if after < 15 {
		down = append(down, passwordPolicyDown()...)
	}
	if after < 14 {
		down = append(down, auditChainDown(db)...)
	}
	if after < 13 {
		down = append(down, integrityDown(db)...)
	}
	return append(down, fmt.Sprintf("DELETE FROM schema_migrations WHERE version > %d", after))
}

// integrityDown undoes 0013's triggers (on PostgreSQL, their functions,
// which take them along).
func integrityDown(db *sqlstore.DB) []string {
	if db.Dialect == sqlstore.Postgres {
		return []string{`DROP FUNCTION occasion_parent() CASCADE`, `DROP FUNCTION occasion_parts_delete() CASCADE`}
	}
	down := []string{"DROP TRIGGER occasion_invitees_parent", "DROP TRIGGER occasion_photos_parent", "DROP TRIGGER occasion_cases_parent"}
	for _, table := range []string{"receptions", "activities"} {
		for _, part := range []string{"invitees", "photos", "cases"} {
			down = append(down, "DROP TRIGGER "+table+"_occasion_"+part)
		}
	}
	return down
}

// passwordPolicyDown undoes 0015.
func passwordPolicyDown() []string {
	return []string{`DROP TABLE password_history`,
		`ALTER TABLE users DROP COLUMN must_change_password`, `ALTER TABLE users DROP COLUMN demo`,
		`ALTER TABLE users DROP COLUMN password_changed_at`}
}

// The occasion tables hold only rows of occasions that exist: a row naming
// none is refused, deleting an occasion (a draft session remade with the
// rota) takes its rows along, and rows left behind before 0013 are removed
// by it.
func TestOccasionRowsFollowTheirOccasion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		c, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "电梯加装",
			Content: "电梯加装，请帮助协调。", RegionCode: "330206004"})
		if err != nil {
			t.Fatal(err)
		}
		count := func() int {
			t.Helper()
			var n int
			for _, table := range []string{"occasion_invitees", "occasion_photos", "occasion_cases"} {
				rows := query(t, db, "SELECT kind FROM "+table+" WHERE occasion_id IN (901, 99999)")
				n += len(rows)
			}
			return n
		}
		orphan := []string{
			sqlf(`INSERT INTO occasion_invitees (kind, occasion_id, deputy_id) VALUES ('reception', 99999, %d)`, w.DeputyA1.ID),
			`INSERT INTO occasion_photos (kind, occasion_id, content_type, data, created_at) VALUES ('activity', 99999, 'image/jpeg', X'FFD8FF01', '2026-05-20 02:00:00')`,
			sqlf(`INSERT INTO occasion_cases (kind, occasion_id, case_id, created_at) VALUES ('reception', 99999, %d, '2026-05-20 02:00:00')`, c.ID),
		}
		for _, q := range orphan {
			if err := tryExec(db, q); err == nil {
				t.Errorf("a row of no occasion was written: %s", q)
			}
		}
		exec(t, db,
			sqlf(`INSERT INTO receptions (id, station_id, starts_at, ends_at, form, status, created_at, updated_at)
				VALUES (901, %d, '2026-05-20 01:00:00', '2026-05-20 03:00:00', 'fixed', 'draft', '2026-05-01 01:00:00', '2026-05-01 01:00:00')`, w.StationA.ID),
			sqlf(`INSERT INTO occasion_invitees (kind, occasion_id, deputy_id) VALUES ('reception', 901, %d)`, w.DeputyA1.ID),
			sqlf(`INSERT INTO occasion_cases (kind, occasion_id, case_id, created_at) VALUES ('reception', 901, %d, '2026-05-20 02:00:00')`, c.ID),
			`INSERT INTO occasion_photos (kind, occasion_id, content_type, data, created_at) VALUES ('reception', 901, 'image/jpeg', X'FFD8FF01', '2026-05-20 02:00:00')`)
		if n := count(); n != 3 {
			t.Fatalf("rows of reception 901 = %d; want 3", n)
		}
		exec(t, db, `DELETE FROM receptions WHERE id = 901`)
		if n := count(); n != 0 {
			t.Errorf("rows left by a deleted reception = %d", n)
		}

		// A database from before 0013 with rows left behind: migrating removes them.
		exec(t, db, append(migrationsDown(db, 12), orphan...)...)
		if n := count(); n != 3 {
			t.Fatalf("orphans planted = %d; want 3", n)
		}
		if err := db.Migrate(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Errorf("orphans after the migration = %d", n)
		}
	})
}

// exec runs statements written for SQLite, translated for PostgreSQL.
func exec(t *testing.T, db *sqlstore.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if err := tryExec(db, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// tryExec runs one statement written for SQLite, translated for PostgreSQL.
func tryExec(db *sqlstore.DB, q string) error {
	pg := strings.NewReplacer("INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY", "INTEGER NOT NULL REFERENCES", "BIGINT NOT NULL REFERENCES",
		"INTEGER REFERENCES", "BIGINT REFERENCES", "created_by   INTEGER", "created_by   BIGINT", "TIMESTAMP", "TIMESTAMPTZ", "BLOB", "BYTEA",
		"X'FFD8FF01'", `'\xffd8ff01'::bytea`, "X'89504E02'", `'\x89504e02'::bytea`, "X'FFD8FF03'", `'\xffd8ff03'::bytea`)
	if db.Dialect == sqlstore.Postgres {
		q = pg.Replace(q)
	}
	return db.ExecForTest(storetest.SystemContext(), q)
}

func query(t *testing.T, db *sqlstore.DB, qs ...string) []string {
	t.Helper()
	var out []string
	for _, q := range qs {
		rows, err := db.QueryForTest(storetest.SystemContext(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, rows...)
	}
	return out
}

// A database at schema 11 with invitees (attendance, sign-in, leave,
// reminders), photos and linked cases of both kinds: migrating it to the
// occasion tables of 0012 keeps every row.
func TestOccasionMigrationKeepsEveryRow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		var caseIDs []int64
		for _, title := range []string{"电梯加装", "道路积水", "路灯不亮"} {
			c, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: title,
				Content: title + "，请帮助协调。", RegionCode: "330206004"})
			if err != nil {
				t.Fatal(err)
			}
			caseIDs = append(caseIDs, c.ID)
		}
		occasionsDown(t, db)
		a1, a2 := w.DeputyA1.ID, w.DeputyA2.ID
		exec(t, db,
			sqlf(`INSERT INTO receptions (id, station_id, starts_at, ends_at, form, status, created_at, updated_at)
				VALUES (901, %d, '2026-05-20 01:00:00', '2026-05-20 03:00:00', 'fixed', 'published', '2026-05-01 01:00:00', '2026-05-01 01:00:00')`, w.StationA.ID),
			sqlf(`INSERT INTO activities (id, kind, title, station_id, region_code, starts_at, ends_at, status, created_at, updated_at)
				VALUES (902, 'inspection', '视察', %d, '330206004', '2026-05-21 01:00:00', '2026-05-21 03:00:00', 'done', '2026-05-01 01:00:00', '2026-05-01 01:00:00')`, w.StationA.ID),
			sqlf(`INSERT INTO reception_deputies (reception_id, deputy_id, position, attendance, signed_in_at, signed_by, leave_reason, leave_status, leave_at)
				VALUES (901, %d, 0, 'leave', NULL, '', '家中有事', 'approved', '2026-05-19 02:00:00')`, a1),
			sqlf(`INSERT INTO reception_deputies (reception_id, deputy_id, position, attendance, signed_in_at, signed_by)
				VALUES (901, %d, 1, 'present', '2026-05-20 00:45:00', 'self')`, a2),
			sqlf(`INSERT INTO activity_deputies (activity_id, deputy_id, position, attendance, leave_reason, leave_status, leave_at, reminded_at)
				VALUES (902, %d, 0, 'scheduled', '出差', 'rejected', '2026-05-19 03:00:00', '2026-05-20 01:00:00')`, a1),
			sqlf(`INSERT INTO activity_deputies (activity_id, deputy_id, position, attendance, signed_in_at, signed_by, reminded_at)
				VALUES (902, %d, 1, 'present', '2026-05-21 01:10:00', 'staff', '2026-05-20 01:00:00')`, a2),
			`INSERT INTO reception_photos (reception_id, content_type, data, created_by, created_at) VALUES (901, 'image/jpeg', X'FFD8FF01', NULL, '2026-05-20 02:00:00')`,
			`INSERT INTO reception_photos (reception_id, content_type, data, created_by, created_at) VALUES (901, 'image/png', X'89504E02', NULL, '2026-05-20 02:01:00')`,
			`INSERT INTO activity_photos (activity_id, content_type, data, created_by, created_at) VALUES (902, 'image/jpeg', X'FFD8FF03', NULL, '2026-05-21 02:00:00')`,
			sqlf(`UPDATE cases SET reception_id = 901 WHERE id = %d`, caseIDs[0]),
			sqlf(`INSERT INTO activity_cases (activity_id, case_id, created_at) VALUES (902, %d, '2026-05-21 04:00:00')`, caseIDs[1]),
			sqlf(`INSERT INTO activity_cases (activity_id, case_id, created_at) VALUES (902, %d, '2026-05-21 04:00:00')`, caseIDs[2]),
		)
		before := map[string][]string{
			"invitees": query(t, db,
				`SELECT 'reception', reception_id, deputy_id, position, attendance, signed_in_at, signed_by, leave_reason, leave_status, leave_at, NULL
				FROM reception_deputies ORDER BY reception_id, deputy_id`,
				`SELECT 'activity', activity_id, deputy_id, position, attendance, signed_in_at, signed_by, leave_reason, leave_status, leave_at, reminded_at
				FROM activity_deputies ORDER BY activity_id, deputy_id`),
			"photos": query(t, db,
				`SELECT 'reception', reception_id, content_type, data, created_by, created_at FROM reception_photos ORDER BY reception_id, id`,
				`SELECT 'activity', activity_id, content_type, data, created_by, created_at FROM activity_photos ORDER BY activity_id, id`),
			"cases": query(t, db,
				`SELECT 'reception', reception_id, id, created_at FROM cases WHERE reception_id IS NOT NULL ORDER BY reception_id, id`,
				`SELECT 'activity', activity_id, case_id, created_at FROM activity_cases ORDER BY activity_id, case_id`),
		}
		if len(before["invitees"]) != 4 || len(before["photos"]) != 3 || len(before["cases"]) != 3 {
			t.Fatalf("before the migration: %v", before)
		}
		if err := db.Migrate(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		after := map[string][]string{
			"invitees": query(t, db,
				`SELECT kind, occasion_id, deputy_id, position, attendance, signed_in_at, signed_by, leave_reason, leave_status, leave_at, reminded_at
				FROM occasion_invitees WHERE kind = 'reception' ORDER BY occasion_id, deputy_id`,
				`SELECT kind, occasion_id, deputy_id, position, attendance, signed_in_at, signed_by, leave_reason, leave_status, leave_at, reminded_at
				FROM occasion_invitees WHERE kind = 'activity' ORDER BY occasion_id, deputy_id`),
			"photos": query(t, db,
				`SELECT kind, occasion_id, content_type, data, created_by, created_at FROM occasion_photos WHERE kind = 'reception' ORDER BY occasion_id, id`,
				`SELECT kind, occasion_id, content_type, data, created_by, created_at FROM occasion_photos WHERE kind = 'activity' ORDER BY occasion_id, id`),
			"cases": query(t, db,
				`SELECT kind, occasion_id, case_id, created_at FROM occasion_cases WHERE kind = 'reception' ORDER BY occasion_id, case_id`,
				`SELECT kind, occasion_id, case_id, created_at FROM occasion_cases WHERE kind = 'activity' ORDER BY occasion_id, case_id`),
		}
		for _, table := range []string{"invitees", "photos", "cases"} {
			if got, want := after[table], before[table]; !slices.Equal(got, want) {
				t.Errorf("occasion %s after the migration:\n got %q\nwant %q", table, got, want)
			}
		}
		// The store reads them: the case page names its reception, the
		// photos come back in their order.
		office := w.As(t, "officea")
		c, err := db.FindCaseByID(office, caseIDs[0])
		if err != nil || c.ReceptionID == nil || *c.ReceptionID != 901 {
			t.Errorf("the case of reception 901 = %+v, %v", c, err)
		}
		p, err := db.Services().Attendance.Photo(office, lianluo.KindReception, 901, 2)
		if err != nil || p.ContentType != "image/png" {
			t.Errorf("Photo(reception 901, 2) = %+v, %v; want the PNG", p, err)
		}
	})
}

func sqlf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// A database of schema 24 with cases received by deputies: migration 0025
// copies each case's registration date beside its deputies, marks no case
// for the statistics to count again, and afterwards an insert without the
// date is refused (it would count in no year).
func TestDeputyCaseDatesMigration(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := storetest.SystemContext()
		for _, title := range []string{"路灯不亮", "道路积水"} {
			w.register(t, title)
		}
		if err := db.SyncStats(ctx); err != nil {
			t.Fatal(err)
		}
		exec(t, db, migrationsDown(db, 24)...)
		exec(t, db, `DELETE FROM stats_dirty`)
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != db.KnownSchemaVersion() {
			t.Fatalf("schema version = %d, %v; want %d", v, err, db.KnownSchemaVersion())
		}
		if got := query(t, db, `SELECT COUNT(*) FROM case_deputies`); got[0] != "[2]" {
			t.Fatalf("case_deputies rows = %s; want 2", got[0])
		}
		if got := query(t, db, `SELECT COUNT(*) FROM case_deputies cd JOIN cases c ON c.id = cd.case_id
			WHERE cd.created_at IS NULL OR cd.created_at <> c.created_at`); got[0] != "[0]" {
			t.Errorf("case_deputies rows without their case's date after 0025: %s; want none", got[0])
		}
		if got := query(t, db, `SELECT COUNT(*) FROM stats_dirty`); got[0] != "[0]" {
			t.Errorf("cases marked for the statistics by 0025: %s; want none", got[0])
		}
		err := db.ExecForTest(ctx, `INSERT INTO case_deputies (case_id, deputy_id, case_status) SELECT id, `+
			fmt.Sprint(w.DeputyB.ID)+`, status FROM cases ORDER BY id LIMIT 1`)
		if err == nil || !strings.Contains(err.Error(), "created_at") {
			t.Errorf("a case_deputies row without created_at: %v; want refused", err)
		}
		// A case registered after the migration carries its date too.
		w.register(t, "噪音扰民")
		if got := query(t, db, `SELECT COUNT(*) FROM case_deputies cd JOIN cases c ON c.id = cd.case_id
			WHERE cd.created_at = c.created_at`); got[0] != "[3]" {
			t.Errorf("case_deputies rows with their case's date = %s; want 3", got[0])
		}
	})
}
