package sqlstore_test

import (
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The 六个一 reminders: nothing outside the last 30 days of June and of
// December; in them, one reminder a period to each deputy with an account
// and to each group's leader, naming what is missing — at the half-year the
// half-yearly items with nothing in the first half, at the year's end every
// item not met — and nothing for a deputy without an account.
func TestRemindSixOnes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		g := &lianluo.DeputyGroup{Name: "大碶第一代表小组", OrgID: w.TownA.ID, RegionCode: "330206004", StationID: &w.StationA.ID,
			LeaderID: &w.DeputyA1.ID}
		if err := db.CreateGroup(storetest.SystemContext(), g); err != nil {
			t.Fatal(err)
		}
		raw := rawDB(t, db)
		bodies := func(template string) []string {
			t.Helper()
			rows, err := raw.Query(`SELECT body FROM notifications WHERE template = $1 ORDER BY id`, template)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var b string
				if err := rows.Scan(&b); err != nil {
					t.Fatal(err)
				}
				out = append(out, b)
			}
			return out
		}
		remind := func(when string, want int) {
			t.Helper()
			at(db, when)
			if n, err := db.RemindSixOnes(storetest.SystemContext()); err != nil || n != want {
				t.Errorf("RemindSixOnes at %s = %d, %v; want %d", when, n, err, want)
			}
		}
		remind("2026-05-31 09:00", 0) // before the window
		// 1 June: deputy A1 (the only one with an account) and the group.
		remind("2026-06-01 09:00", 2)
		dep, grp := bodies("six_ones_deputy"), bodies("six_ones_group")
		if len(dep) != 1 || !strings.Contains(dep[0], "王建国代表：今年上半年（6月30日前）还差以下“六个一”项目：每半年至少参加一次代表小组活动；每半年开展一次代表民情调查。") {
			t.Errorf("deputy's reminder = %q", dep)
		}
		if len(grp) != 1 || !strings.Contains(grp[0], "大碶第一代表小组：今年上半年（6月30日前）还差以下“六个一”项目：每半年组织一次人大代表民情恳谈。") {
			t.Errorf("group's reminder = %q", grp)
		}
		remind("2026-06-01 15:00", 0) // once a day
		remind("2026-06-02 09:00", 0) // once a period
		remind("2026-07-01 09:00", 0) // the window has closed
		// The year's end: every item not met.
		remind("2026-12-02 09:00", 2)
		if dep = bodies("six_ones_deputy"); len(dep) != 2 || !strings.Contains(dep[1], "今年（12月31日前）还差以下“六个一”项目：每半年至少参加一次代表小组活动；每年提一件有质量的建议、批评和意见；") {
			t.Errorf("year-end reminders = %q", dep)
		}
	})
}
