package sqlstore_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// 星级联络站 from records: station A's first quarter (a weekly rota, an
// activity, mailbox openings, two opinions) against station B's empty
// one, scored by hand under the default table and again after the
// district office changes a weight.
func TestStationStatsAndRating(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		at(db, "2026-03-01 09:00")
		wednesdays(t, db, w.World, true)
		at(db, "2026-03-26 12:00") // four Wednesdays held: 3/4, 3/11, 3/18, 3/25
		office, officeA := w.As(t, "office"), w.As(t, "officea")

		// One activity held by station A: A1 present, A2 absent.
		x, err := db.CreateActivity(officeA, lianluo.ActivityInput{Kind: lianluo.ActivityStudy, Title: "学习代表法", StationID: &w.StationA.ID,
			StartsAt: "2026-03-10T14:00", EndsAt: "2026-03-10T16:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordActivity(officeA, x.ID, x.Version, lianluo.ActivityRecord{Minutes: "学习代表法"}); err != nil {
			t.Fatal(err)
		}
		if _, err := act(db).MarkAttendance(officeA, x.ID, w.DeputyA1.ID, lianluo.AttendPresent); err != nil {
			t.Fatal(err)
		}
		if _, err := act(db).MarkAttendance(officeA, x.ID, w.DeputyA2.ID, lianluo.AttendAbsent); err != nil {
			t.Fatal(err)
		}
		// The mailbox opened twice in the week of 3/2 and once on 3/20:
		// two weeks of thirteen gone by.
		for _, day := range []string{"2026-03-02T09:00", "2026-03-03T09:00", "2026-03-20T09:00"} {
			if _, err := db.RecordOpening(w.As(t, "liaisona"), w.StationA.ID, lianluo.OpeningInput{OpenedAt: day, OpenedBy: []string{"周敏"}}); err != nil {
				t.Fatal(err)
			}
		}
		// Three of the nine standards met at station A.
		for _, item := range []string{"sign", "place", "rules"} {
			if _, err := db.TickChecklist(officeA, w.StationA.ID, item, lianluo.ChecklistTick{Done: true, Date: "2026-03-01", Version: 1}); err != nil {
				t.Fatal(err)
			}
		}
		// Two opinions at station A: one closed, one just registered.
		w.path(t, lianluo.StatusClosed)
		w.register(t, "垃圾桶太少")

		rows, err := db.StationStats(office, lianluo.AttendanceFilter{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].StationID != w.StationA.ID || rows[0].Rank != 1 || rows[1].Rank != 2 {
			t.Fatalf("ranking: %+v", rows)
		}
		a, b := rows[0], rows[1]
		f := a.StationFacts
		if f.ReceptionsScheduled != 4 || f.ReceptionsHeld != 4 || f.ReceptionSeats != 8 || f.ReceptionPresent != 0 ||
			f.Activities != 1 || f.ActivityInvited != 2 || f.ActivityPresent != 1 ||
			f.Cases.Received != 2 || f.Cases.Responded != 1 || f.Cases.Rated != 1 || f.Cases.Satisfied != 1 || f.MailboxWeeks != 13 || f.MailboxWeeksOpened != 2 ||
			f.ChecklistTotal != 9 || f.ChecklistDone != 3 {
			t.Errorf("station A's facts: %+v", f)
		}
		// The opinions are the statistics' own count.
		st, err := db.CaseStats(office, lianluo.StatsFilter{Period: mustPeriod(t, "2026"), StationID: w.StationA.ID})
		if err != nil || st.Totals.Received != f.Cases.Received || st.Totals.Rated != f.Cases.Rated {
			t.Errorf("CaseStats = %+v, %v; the rating counted %+v", st, err, f.Cases)
		}
		// By hand: receptions 20×1 + attendance 15×0 + activities 10×1/6 +
		// participation 10×(0.5/0.9) + response 15×0.5 + satisfaction
		// 10×1 + mailbox 10×2/13 + checklist 10×3/9 = 49.594… of 100 — red.
		want := 49.6
		if a.Score != want || a.Grade != lianluo.GradeRed || len(a.Breakdown) != 8 {
			t.Errorf("station A = %v %s; want %v red (%+v)", a.Score, a.Grade, want, a.Breakdown)
		}
		// Station B: only the activities (none of six), the mailbox (never
		// opened) and the standards (none met) measured: 0.
		if b.Score != 0 || b.Grade != lianluo.GradeRed || b.Breakdown[0].Rate != nil || b.MailboxWeeks != 13 || b.ChecklistTotal != 9 || b.ChecklistDone != 0 {
			t.Errorf("station B = %+v", b)
		}

		// The weights: the district office changes them; scores follow.
		table, err := db.StationRating(officeA)
		if err != nil || table.Version != 1 || table.Weight(lianluo.RateReceptions) != 20 || table.Green != 85 {
			t.Fatalf("StationRating() = %+v, %v", table, err)
		}
		change := lianluo.StationRating{Version: 1, Yellow: 40, Items: []lianluo.RatingItem{
			{Key: lianluo.RateAttendance, Weight: 0}, {Key: lianluo.RateMailbox, Weight: 0}}}
		if _, err := db.UpdateStationRating(officeA, change); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a town office changes the district's table: %v", err)
		}
		for _, bad := range []struct {
			s     lianluo.StationRating
			field string
		}{
			{lianluo.StationRating{Items: []lianluo.RatingItem{{Key: "party", Weight: 1}}}, "items"},
			{lianluo.StationRating{Items: []lianluo.RatingItem{{Key: lianluo.RateMailbox, Weight: 101}}}, "weight_mailbox"},
			{lianluo.StationRating{Items: []lianluo.RatingItem{{Key: lianluo.RateMailbox, Weight: 0.25}}}, "weight_mailbox"},
			{lianluo.StationRating{Green: 50, Yellow: 60}, "green"},
			{lianluo.StationRating{Yellow: 120}, "yellow"},
		} {
			bad.s.Version = 1
			if _, err := db.UpdateStationRating(office, bad.s); lianluo.ErrorField(err) != bad.field {
				t.Errorf("UpdateStationRating(%+v): %v; want a field error on %s", bad.s, err, bad.field)
			}
		}
		saved, err := db.UpdateStationRating(office, change)
		if err != nil || saved.Version != 2 || saved.Weight(lianluo.RateMailbox) != 0 || saved.Yellow != 40 || saved.Green != 85 {
			t.Fatalf("UpdateStationRating = %+v, %v", saved, err)
		}
		if _, err := db.UpdateStationRating(office, change); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("a second change from the same version: %v", err)
		}
		rows, err = db.StationStats(officeA, lianluo.AttendanceFilter{Year: 2026})
		if err != nil || len(rows) != 1 {
			t.Fatalf("town A's ranking = %+v, %v", rows, err)
		}
		// Without attendance and mailbox: 20 + 1.667 + 5.556 + 7.5 + 10 +
		// 3.333 = 48.056 of 75 = 64.1, yellow from 40.
		want = 64.1
		if rows[0].Score != want || rows[0].Grade != lianluo.GradeYellow {
			t.Errorf("station A after the change = %v %s; want %v yellow", rows[0].Score, rows[0].Grade, want)
		}

		// Who may read: station staff their station; not a deputy or a unit.
		if rows, err := db.StationStats(w.As(t, "liaisona"), lianluo.AttendanceFilter{Year: 2026}); err != nil || len(rows) != 1 {
			t.Errorf("the liaison's station = %+v, %v", rows, err)
		}
		for _, who := range []string{"deputya", "unit", "auditor"} {
			if _, err := db.StationStats(w.As(t, who), lianluo.AttendanceFilter{Year: 2026}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("%s reads the ranking: %v", who, err)
			}
		}
		// Last year: the standards ticked met in 2026 do not count.
		if last, err := db.StationStats(officeA, lianluo.AttendanceFilter{Year: 2025}); err != nil || len(last) != 1 ||
			last[0].ChecklistDone != 0 || last[0].ChecklistTotal != 9 || last[0].ReceptionsScheduled != 0 {
			t.Errorf("2025 = %+v, %v", last, err)
		}
		if _, err := db.StationStats(officeA, lianluo.AttendanceFilter{Year: 1999}); lianluo.ErrorField(err) != "year" {
			t.Errorf("year 1999: %v", err)
		}
	})
}

func mustPeriod(t *testing.T, s string) lianluo.Period {
	t.Helper()
	p, err := lianluo.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
