package sqlstore_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// On SQLite a timestamp is an integer, microseconds since the epoch
// (migration 0034): what the store writes, and what a database written
// before becomes when it is migrated — every time the same to the
// microsecond, any offset honoured, the histories' and statistics'
// triggers as they were, nothing marked changed, the audit chain intact.
// A value that is no time stops the migration, which then changes nothing.
func TestTimesStoredAsIntegers(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	w := storetest.MustWorld(t, db)
	sys := storetest.SystemContext()
	ctx := w.As(t, "liaisona")
	c, err := db.CreateCase(ctx, lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "电梯加装",
		Content: "老小区想加装电梯，请帮助协调。", RegionCode: "330206004", ReceivedBy: []int64{w.DeputyA1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	storage := func() map[string]int {
		t.Helper()
		cols, err := db.QueryForTest(sys, `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND upper(p.type) = 'TIMESTAMP' ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, col := range cols {
			tc := strings.SplitN(strings.Trim(col, "[]"), ".", 2)
			rows, err := db.QueryForTest(sys, `SELECT typeof(`+tc[1]+`), COUNT(*) FROM `+tc[0]+` GROUP BY 1`)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				f := strings.Fields(strings.Trim(r, "[]"))
				var n int
				json.Unmarshal([]byte(f[1]), &n)
				kinds[f[0]] += n
			}
		}
		return kinds
	}
	if k := storage(); k["text"] != 0 || k["integer"] < 20 {
		t.Fatalf("timestamps stored: %v; want integers only", k)
	}
	read := func() string {
		t.Helper()
		got, err := db.FindCaseByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		return string(b)
	}
	before := read()
	schema := func() []string {
		t.Helper()
		rows, err := db.QueryForTest(sys, `SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	triggers := schema()
	dirty := func() []string {
		t.Helper()
		rows, err := db.QueryForTest(sys, `SELECT COUNT(*) FROM stats_dirty`)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}

	// The database as 0033 left it: time texts, one of them written with
	// an offset and nanoseconds, as a writer that did not convert to UTC
	// would have.
	exec(t, db, migrationsDown(db, 33)...)
	if k := storage(); k["integer"] != 0 || k["text"] < 20 {
		t.Fatalf("timestamps after taking the database back: %v; want text only", k)
	}
	exec(t, db, `UPDATE cases SET closed_at = '2025-07-05 23:59:59.123456789 +0800 CST' WHERE id = `+strconv.FormatInt(c.ID, 10))

	// A value that is no time: the migration stops and changes nothing.
	exec(t, db, `UPDATE cases SET ext_decided_at = 'soon' WHERE id = `+strconv.FormatInt(c.ID, 10))
	if err := db.Migrate(sys); err == nil || !strings.Contains(err.Error(), "ext_decided_at") || !strings.Contains(err.Error(), `"soon"`) {
		t.Fatalf("Migrate with a value that is no time = %v; want it refused, naming the column and the value", err)
	}
	if v, err := db.SchemaVersion(sys); err != nil || v != 33 {
		t.Fatalf("schema version after the refused migration = %d, %v; want 33", v, err)
	}
	if k := storage(); k["integer"] != 0 {
		t.Fatalf("the refused migration left %v", k)
	}
	exec(t, db, `UPDATE cases SET ext_decided_at = NULL WHERE id = `+strconv.FormatInt(c.ID, 10))

	wasDirty := dirty()
	if err := db.Migrate(sys); err != nil {
		t.Fatal(err)
	}
	if d := dirty(); strings.Join(d, "") != strings.Join(wasDirty, "") {
		t.Errorf("stats_dirty after migrating = %v; before %v", d, wasDirty)
	}
	if err := db.ExecForTest(sys, `UPDATE case_events SET comment = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("updating the case history after migrating = %v; want refused as append-only", err)
	}
	if k := storage(); k["text"] != 0 || k["integer"] < 20 {
		t.Errorf("timestamps after migrating: %v; want integers only", k)
	}
	got, err := db.FindCaseByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 7, 5, 15, 59, 59, 123456000, time.UTC); got.ClosedAt == nil || !got.ClosedAt.Equal(want) {
		t.Errorf("closed_at written with +0800 and nanoseconds = %v; want %v", got.ClosedAt, want)
	}
	exec(t, db, `UPDATE cases SET closed_at = NULL WHERE id = `+strconv.FormatInt(c.ID, 10))
	if after := read(); after != before {
		t.Errorf("the case after migrating:\n%s\nbefore:\n%s", after, before)
	}
	if after := schema(); strings.Join(after, "\n") != strings.Join(triggers, "\n") {
		t.Errorf("triggers and indexes after migrating:\n%s\nbefore:\n%s", strings.Join(after, "\n"), strings.Join(triggers, "\n"))
	}
	if chk, err := db.VerifyAudit(sys); err != nil || !chk.OK {
		t.Errorf("VerifyAudit after migrating = %+v, %v", chk, err)
	}
	// The lists compare times as before: the case is in its month, not in
	// the next.
	from := c.CreatedAt.Add(-time.Hour)
	to := c.CreatedAt.Add(time.Hour)
	for _, f := range []lianluo.CaseFilter{{From: &from, To: &to}, {From: &to}} {
		items, _, err := db.FindCases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if in := len(items) == 1 && items[0].ID == c.ID; in != (f.To != nil) {
			t.Errorf("FindCases(from %v, to %v) = %d cases", f.From, f.To, len(items))
		}
	}
}

// Migration 0034 reads the driver's old time text as Go wrote it, on any
// day: leap days, the turn of a year, before 1970, with and without a
// fraction or an offset; what does not begin as a date reads as no time.
func TestTimeTextToMicros(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	ctx := storetest.SystemContext()
	east := time.FixedZone("CST", 8*3600)
	west := time.FixedZone("", -(3*3600 + 30*60))
	times := []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1900, 2, 28, 23, 59, 59, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 12, 0, 0, 500000000, time.UTC),
		time.Date(2024, 2, 29, 8, 30, 0, 0, east),
		time.Date(2025, 7, 5, 15, 59, 59, 123456789, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 1000, west),
		time.Date(2100, 3, 1, 0, 0, 0, 0, time.UTC),
	}
	for d := time.Date(2023, 12, 25, 16, 0, 0, 0, time.UTC); d.Year() < 2025; d = d.AddDate(0, 0, 7) {
		times = append(times, d)
	}
	for _, tm := range times {
		got, err := db.TimeTextToMicrosForTest(ctx, tm.String())
		if err != nil {
			t.Fatal(err)
		}
		if want := tm.Truncate(time.Microsecond).UnixMicro(); got == nil || *got != want {
			t.Errorf("%q = %v; want %d", tm.String(), got, want)
		}
	}
	for text, want := range map[string]int64{"2026-03-01": 1772323200000000, "2026-03-01 08:00:00": 1772352000000000} {
		if got, err := db.TimeTextToMicrosForTest(ctx, text); err != nil || got == nil || *got != want {
			t.Errorf("%q = %v, %v; want %d", text, got, err, want)
		}
	}
	for _, text := range []string{"soon", "", "2026-3-1", "07/05/2025 15:59:59", "2026-03-01T08:00:00Z"} {
		if got, err := db.TimeTextToMicrosForTest(ctx, text); err != nil || got != nil {
			t.Errorf("%q = %v, %v; want no time", text, got, err)
		}
	}
}
