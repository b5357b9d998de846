package sqlstore_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// 履职积分 from records: two deputies' spring of activities, a report to
// the voters, diary entries and opinions, scored by hand under the default
// table and again after the district office changes a weight.
func TestDeputyStatsAndScoring(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		at(db, "2026-05-01 09:00")
		office, officeA := w.As(t, "office"), w.As(t, "officea")
		dep := w.As(t, "deputya")

		// Activities held in April, entered afterwards and recorded: a
		// study (A1 present, A2 absent) and a report to the voters (both
		// report).
		held := func(kind, title, day string, a2 string) {
			t.Helper()
			x, err := db.CreateActivity(officeA, lianluo.ActivityInput{Kind: kind, Title: title, StationID: &w.StationA.ID,
				StartsAt: day + "T09:00", EndsAt: day + "T11:00"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.RecordActivity(officeA, x.ID, x.Version, lianluo.ActivityRecord{Minutes: title}); err != nil {
				t.Fatal(err)
			}
			if _, err := act(db).MarkAttendance(officeA, x.ID, w.DeputyA1.ID, lianluo.AttendPresent); err != nil {
				t.Fatal(err)
			}
			if _, err := act(db).MarkAttendance(officeA, x.ID, w.DeputyA2.ID, a2); err != nil {
				t.Fatal(err)
			}
		}
		held(lianluo.ActivityStudy, "学习代表法", "2026-04-20", lianluo.AttendAbsent)
		held(lianluo.ActivityReport, "向选民述职", "2026-04-21", lianluo.AttendPresent)
		// Last year's study counts in 2025 only.
		held(lianluo.ActivityStudy, "学习监督法", "2025-11-20", lianluo.AttendPresent)

		// Two diary entries of A1, one confirmed by the voter.
		for i, day := range []string{"2026-04-10", "2026-04-11"} {
			e, err := db.CreateDiaryEntry(dep, newEntry(day+"T08:00"))
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if _, err := db.ConfirmDiaryBySignature(dep, e.ID, signaturePNG(t, 200, 80)); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Two duty records of A1: one confirmed by the station head, one
		// still waiting (it does not count).
		for i, day := range []string{"2026-04-15", "2026-04-16"} {
			r, err := db.CreateDutyRecord(dep, dutyInput(lianluo.DutyGoodDeed, day))
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if _, err := db.DecideDutyRecord(w.As(t, "heada"), r.ID, lianluo.DutyDecision{Decision: "confirm", Version: r.Version}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Two opinions received by A1, one closed.
		w.path(t, lianluo.StatusClosed)
		w.register(t, "垃圾桶太少")

		rows, err := db.DeputyStats(officeA, lianluo.AttendanceFilter{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("town A's deputies: %+v", rows)
		}
		a1, a2 := rows[0], rows[1]
		if a1.DeputyID != w.DeputyA1.ID || a1.Rank != 1 || a2.Rank != 2 {
			t.Fatalf("ranking: %+v", rows)
		}
		if a1.ActivitiesPresent != 2 || a1.Reports != 1 || a1.DiaryConfirmed != 1 || a1.OpinionsReceived != 2 || a1.OpinionsClosed != 1 || a1.DutyRecords != 1 {
			t.Errorf("A1's counts: %+v", a1)
		}
		// 2 (one activity besides the report) + 5 (report) + 0.5 (diary) + 1 (opinion closed) + 2 (duty record).
		if a1.Score != 10.5 {
			t.Errorf("A1's score = %v; want 10.5 (%+v)", a1.Score, a1.Breakdown)
		}
		// A report (5) and an absence without leave (−2).
		if a2.ActivitiesAbsent != 1 || a2.Reports != 1 || a2.Score != 3 {
			t.Errorf("A2 = %+v; want 3", a2)
		}

		// The district sees town B's deputy too, with nothing: 0, last.
		all, err := db.DeputyStats(office, lianluo.AttendanceFilter{Year: 2026})
		if err != nil || len(all) != 3 || all[2].DeputyID != w.DeputyB.ID || all[2].Score != 0 || all[2].Rank != 3 {
			t.Errorf("district's ranking = %+v, %v", all, err)
		}
		// Last year: A1 and A2 attended one study each.
		last, err := db.DeputyStats(officeA, lianluo.AttendanceFilter{Year: 2025})
		if err != nil || len(last) != 2 || last[0].Score != 2 || last[1].Score != 2 || last[1].Rank != 1 {
			t.Errorf("2025 = %+v, %v", last, err)
		}

		// The weights: the district office changes one; scores follow.
		table, err := db.Scoring(officeA)
		if err != nil || table.Version != 1 || table.Points(lianluo.ScoreActivity) != 2 {
			t.Fatalf("Scoring() = %+v, %v", table, err)
		}
		change := lianluo.Scoring{Version: table.Version, Items: []lianluo.ScoreItem{{Key: lianluo.ScoreActivity, Points: 3}}}
		if _, err := db.UpdateScoring(officeA, change); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a town office changes the district's table: %v", err)
		}
		if _, err := db.UpdateScoring(w.As(t, "liaisona"), change); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a liaison changes the table: %v", err)
		}
		for _, bad := range []struct {
			items []lianluo.ScoreItem
			field string
		}{
			{[]lianluo.ScoreItem{{Key: "party", Points: 1}}, "items"},
			{[]lianluo.ScoreItem{{Key: lianluo.ScoreDiary, Points: 0.25}}, "points_diary"},
			{[]lianluo.ScoreItem{{Key: lianluo.ScoreDiary, Points: 51}}, "points_diary"},
			{[]lianluo.ScoreItem{{Key: lianluo.ScoreDiary, Points: 1}, {Key: lianluo.ScoreDiary, Points: 2}}, "items"},
		} {
			if _, err := db.UpdateScoring(office, lianluo.Scoring{Version: 1, Items: bad.items}); lianluo.ErrorField(err) != bad.field {
				t.Errorf("UpdateScoring(%+v): %v; want a field error on %s", bad.items, err, bad.field)
			}
		}
		saved, err := db.UpdateScoring(office, change)
		if err != nil || saved.Version != 2 || saved.Points(lianluo.ScoreActivity) != 3 || saved.Points(lianluo.ScoreReport) != 5 {
			t.Fatalf("UpdateScoring = %+v, %v", saved, err)
		}
		if _, err := db.UpdateScoring(office, change); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("a second change from the same version: %v", err)
		}
		rows, err = db.DeputyStats(officeA, lianluo.AttendanceFilter{Year: 2026})
		if err != nil || rows[0].Score != 11.5 {
			t.Errorf("A1 after the change = %+v, %v; want 11.5", rows[0], err)
		}

		// The performance record: the same counts, by kind and month.
		rec, err := db.DeputyRecord(dep, w.DeputyA1.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Score != 11.5 || !rec.Partial || rec.Activities.Held != 2 || rec.Activities.Present != 2 || rec.DiaryYear != 1 ||
			rec.DiaryMonths[3] != 1 || rec.DiaryMonthMet(3) || rec.Opinions != 2 || rec.OpinionsClosed != 1 {
			t.Errorf("A1's record = %+v", rec)
		}
		if len(rec.ActivityKinds) != 2 || rec.ActivityKinds[0].Kind != lianluo.ActivityStudy || rec.ActivityKinds[1].Name != "述职" ||
			rec.ActivityKinds[1].Present != 1 {
			t.Errorf("activities by kind = %+v", rec.ActivityKinds)
		}
		if rec.DutyRecords != 1 || len(rec.Duties) != 1 || rec.Duties[0].Date != "2026-04-15" || rec.Duties[0].Kind != "为选民办实事好事" {
			t.Errorf("duty records = %d %+v; want the confirmed one", rec.DutyRecords, rec.Duties)
		}
		if rec.SixOnes == nil || rec.SixOnes.Items[2].Key != "good_deed" || !rec.SixOnes.Items[2].Met {
			t.Errorf("六个一 in the record = %+v", rec.SixOnes)
		}
		if len(rec.Reports) != 1 || rec.Reports[0].Date != "2026-04-21" || rec.Reports[0].Title != "向选民述职" {
			t.Errorf("reports = %+v", rec.Reports)
		}
		if len(rec.OpinionsBy) != 2 || rec.OpinionsBy[0].Status != lianluo.StatusRegistered || rec.OpinionsBy[1].Name != "已办结" {
			t.Errorf("opinions by status = %+v", rec.OpinionsBy)
		}
		if r2, err := db.DeputyRecord(w.As(t, "heada"), w.DeputyA2.ID, 2026); err != nil || r2.Activities.Absent != 1 || r2.Score != 3 {
			t.Errorf("A2's record for the station head = %+v, %v", r2, err)
		}
		for _, tc := range []struct {
			who  string
			id   int64
			year int
			code string
		}{
			{"deputya", w.DeputyA2.ID, 2026, lianluo.ENOTFOUND}, // another deputy, even of the same station
			{"officea", w.DeputyB.ID, 2026, lianluo.ENOTFOUND},  // another town
			{"unit", w.DeputyA1.ID, 2026, lianluo.ENOTFOUND},
			{"deputya", w.DeputyA1.ID, 1999, lianluo.EINVALID},
		} {
			if _, err := db.DeputyRecord(w.As(t, tc.who), tc.id, tc.year); lianluo.ErrorCode(err) != tc.code {
				t.Errorf("DeputyRecord(%d, %d) by %s: %v; want %s", tc.id, tc.year, tc.who, err, tc.code)
			}
		}

		// Who may read the ranking: staff of the station, not a deputy or a unit.
		if rows, err := db.DeputyStats(w.As(t, "liaisona"), lianluo.AttendanceFilter{Year: 2026}); err != nil || len(rows) != 2 {
			t.Errorf("the liaison's station = %+v, %v", rows, err)
		}
		for _, who := range []string{"deputya", "unit", "auditor"} {
			if _, err := db.DeputyStats(w.As(t, who), lianluo.AttendanceFilter{Year: 2026}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("%s reads the ranking: %v", who, err)
			}
		}
		if rows, err := db.DeputyStats(officeA, lianluo.AttendanceFilter{Year: 2026, StationID: w.StationB.ID}); err != nil || len(rows) != 0 {
			t.Errorf("another town's station = %+v, %v; want nobody", rows, err)
		}
		if _, err := db.DeputyStats(officeA, lianluo.AttendanceFilter{Year: 1999}); lianluo.ErrorField(err) != "year" {
			t.Errorf("year 1999: %v", err)
		}
	})
}
