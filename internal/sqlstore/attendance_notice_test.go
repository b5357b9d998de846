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
		if err := db.CreateReceptionRule(office, &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=WEEKLY;BYDAY=WE", Start: "09:00", End: "11:00"}); err != nil {
			t.Fatal(err)
		}
		rota, err := db.GenerateRota(office, w.StationA.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishRota(office, w.StationA.ID, 2026); err != nil {
			t.Fatal(err)
		}
		at(db, "2026-03-04 09:00")
		if _, err := db.SignIn(w.As(t, "deputya"), rota.Sessions[0].ID); err != nil {
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
