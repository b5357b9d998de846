package sqlstore_test

import (
	"fmt"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Attendance follows the deputies' stations: a station's list is its
// deputies (zeros for those not yet on duty), whoever its events invited;
// a deputy of two stations is under both and once over all stations.
func TestAttendanceFollowsStations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		sys := storetest.SystemContext()
		at(db, "2026-03-01 09:00")
		a3 := &lianluo.Deputy{Name: "赵立新", Gender: "male", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "county", Term: 18}}}
		if err := db.CreateDeputy(sys, a3); err != nil {
			t.Fatal(err)
		}
		// DeputyA2 serves at station A and at this community station.
		stC := &lianluo.Station{Kind: "village", Name: "灵岩社区联络站", RegionCode: "330206004", OrgID: w.TownA.ID,
			Address: "灵岩社区", DeputyIDs: []int64{w.DeputyA2.ID, a3.ID}}
		if err := db.CreateStation(sys, stC); err != nil {
			t.Fatal(err)
		}
		office := w.As(t, "office")
		// An activity at station A that invites a deputy of station B too.
		x, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "inspection", Title: "视察老旧小区改造", StationID: &w.StationA.ID,
			DeputyIDs: []int64{w.DeputyA1.ID, w.DeputyA2.ID, w.DeputyB.ID}, StartsAt: "2026-03-20T09:00+08:00", EndsAt: "2026-03-20T11:00+08:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishActivity(office, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		wednesdays(t, db, w, true)
		at(db, "2026-03-26 12:00") // 3 sessions at A held (3/4, 3/11, 3/18 … 3/25), the activity too

		show := func(rows []lianluo.AttendanceRow) string {
			s := ""
			for _, r := range rows {
				s += fmt.Sprintf("%s(%s) 接待%d 活动%d; ", r.Name, r.Stations, r.Scheduled, r.Activities)
			}
			return s
		}
		for _, tc := range []struct {
			name    string
			who     string
			station int64
			want    string
		}{
			{"大碶中心站", "office", w.StationA.ID,
				"王建国(大碶街道人大代表中心联络站) 接待4 活动1; 李秀英(大碶街道人大代表中心联络站) 接待4 活动1; "},
			{"灵岩社区站", "office", stC.ID,
				"李秀英(灵岩社区联络站) 接待0 活动0; 赵立新(灵岩社区联络站) 接待0 活动0; "},
			{"小港中心站", "office", w.StationB.ID, "陈志强(小港街道人大代表中心联络站) 接待0 活动0; "},
			{"全区", "office", 0,
				"王建国(大碶街道人大代表中心联络站) 接待4 活动1; 李秀英(大碶街道人大代表中心联络站、灵岩社区联络站) 接待4 活动1; " +
					"陈志强(小港街道人大代表中心联络站) 接待0 活动1; 赵立新(灵岩社区联络站) 接待0 活动0; "},
			{"街道只看本街道", "officea", 0,
				"王建国(大碶街道人大代表中心联络站) 接待4 活动1; 李秀英(大碶街道人大代表中心联络站、灵岩社区联络站) 接待4 活动1; 赵立新(灵岩社区联络站) 接待0 活动0; "},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rows, err := db.Attendance(w.As(t, tc.who), lianluo.AttendanceFilter{Year: 2026, StationID: tc.station})
				if err != nil {
					t.Fatal(err)
				}
				if got := show(rows); got != tc.want {
					t.Errorf("Attendance(%d) =\n %s\nwant\n %s", tc.station, got, tc.want)
				}
			})
		}
	})
}
