package sqlstore_test

import (
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestSendAttendanceNotice(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		rota := wednesdays(t, db, w, true)
		at(db, "2026-03-04 09:00")
		if _, err := rec(db).SignIn(w.As(t, "deputya"), rota.Sessions[0].ID); err != nil {
			t.Fatal(err)
		}
		at(db, "2026-03-12 09:00") // two sessions held: present once, absent once
		body, err := db.SendAttendanceNotice(office, w.DeputyA1.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if want := "安排您进站接待2次，出席1次，请假0次，缺席1次，出席率50%"; !strings.Contains(body, want) {
			t.Errorf("notice = %q; want it to contain %q", body, want)
		}
		if got := countNotes(t, db, `template = 'attendance_notice' AND channel = 'sms'`); got != 1 {
			t.Errorf("SMS notices = %d; want 1", got)
		}
		if got := countNotes(t, db, `template = 'attendance_notice' AND channel <> 'sms'`); got != 1 {
			t.Errorf("in-app notices = %d; want 1 (the deputy's account)", got)
		}
		var events int
		if err := rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM events WHERE entity = 'deputy' AND action = 'attendance_notice'`).Scan(&events); err != nil || events != 1 {
			t.Errorf("audit events = %d, %v; want 1", events, err)
		}
		for _, tc := range []struct {
			who  string
			id   int64
			year int
			code string
		}{
			{"heada", w.DeputyA2.ID, 2026, ""},                    // the station's head
			{"liaisona", w.DeputyA1.ID, 2026, lianluo.EFORBIDDEN}, // a liaison may not
			{"deputya", w.DeputyA1.ID, 2026, lianluo.EFORBIDDEN},
			{"officea", w.DeputyB.ID, 2026, lianluo.ENOTFOUND}, // another town
			{"officea", w.DeputyA1.ID, 2027, lianluo.EINVALID},
		} {
			_, err := db.SendAttendanceNotice(w.As(t, tc.who), tc.id, tc.year)
			if lianluo.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("SendAttendanceNotice by %s for %d in %d: %v; want %q", tc.who, tc.id, tc.year, err, tc.code)
			}
		}
	})
}

// The notice to every deputy in scope: once per deputy per call, a deputy
// of two stations once.
func TestSendAttendanceNotices(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		at(db, "2026-12-20 09:00")
		sys := storetest.SystemContext()
		a3 := &lianluo.Deputy{Name: "赵立新", Gender: "male", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "county", Term: 18}}}
		if err := db.CreateDeputy(sys, a3); err != nil {
			t.Fatal(err)
		}
		stC := &lianluo.Station{Kind: "village", Name: "灵岩社区联络站", RegionCode: "330206004", OrgID: w.TownA.ID,
			Address: "灵岩社区", DeputyIDs: []int64{w.DeputyA2.ID, a3.ID}}
		if err := db.CreateStation(sys, stC); err != nil {
			t.Fatal(err)
		}
		events := func(deputyID int64) int {
			t.Helper()
			var n int
			if err := rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM events WHERE entity = 'deputy' AND action = 'attendance_notice' AND entity_id = $1`, deputyID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, tc := range []struct {
			name string
			who  string
			in   lianluo.AttendanceNoticeScope
			want int
			code string
		}{
			{"街道全部联络站", "officea", lianluo.AttendanceNoticeScope{Year: 2026}, 3, ""},
			{"一个联络站", "officea", lianluo.AttendanceNoticeScope{Year: 2026, StationID: stC.ID}, 2, ""},
			{"站长只发本站", "heada", lianluo.AttendanceNoticeScope{Year: 2026}, 2, ""},
			{"区代表工委", "office", lianluo.AttendanceNoticeScope{Year: 2026}, 4, ""},
			{"联络员不能发", "liaisona", lianluo.AttendanceNoticeScope{Year: 2026}, 0, lianluo.EFORBIDDEN},
			{"代表不能发", "deputya", lianluo.AttendanceNoticeScope{Year: 2026}, 0, lianluo.EFORBIDDEN},
			{"站长不能发别的站", "heada", lianluo.AttendanceNoticeScope{Year: 2026, StationID: stC.ID}, 0, lianluo.ENOTFOUND},
			{"别的街道的联络站", "officea", lianluo.AttendanceNoticeScope{Year: 2026, StationID: w.StationB.ID}, 0, lianluo.ENOTFOUND},
			{"明年", "officea", lianluo.AttendanceNoticeScope{Year: 2027}, 0, lianluo.EINVALID},
			{"年份不正确", "officea", lianluo.AttendanceNoticeScope{Year: 26}, 0, lianluo.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := events(w.DeputyA2.ID)
				n, err := db.SendAttendanceNotices(w.As(t, tc.who), tc.in)
				if lianluo.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
					t.Fatalf("SendAttendanceNotices by %s (%+v) = %d, %v; want %q", tc.who, tc.in, n, err, tc.code)
				}
				if n != tc.want {
					t.Errorf("SendAttendanceNotices by %s (%+v) = %d; want %d", tc.who, tc.in, n, tc.want)
				}
				// Every scope that succeeds holds the two-station deputy: once.
				want := 0
				if err == nil {
					want = 1
				}
				if got := events(w.DeputyA2.ID) - before; got != want {
					t.Errorf("notices to the two-station deputy = %d; want %d", got, want)
				}
			})
		}
	})
}
