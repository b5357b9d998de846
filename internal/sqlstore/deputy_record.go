package sqlstore

import (
	"context"
	"slices"
	"time"

	"lianluo"
)

// DeputyRecord builds the deputy's 履职档案 for a year: the deputy as the
// caller may see them (scope), then every count from the records, all of
// the deputy's occasions wherever held.
func (db *DB) DeputyRecord(ctx context.Context, id int64, year int) (_ *lianluo.DeputyRecord, err error) {
	defer wrap(&err, "DeputyRecord(%d, %d)", id, year)
	return db.deputyRecord(ctx, id, year, false)
}

// DeputyRecordSummary is DeputyRecord without what only the full record
// shows — the seats, the activities by kind, the duty records one by one
// and the opinions by status — for 我的履职 on the deputy's phone home,
// which is loaded far more often than the record is opened. The counts,
// the score, 六个一, the diary by month and the reports are the record's.
func (db *DB) DeputyRecordSummary(ctx context.Context, id int64, year int) (_ *lianluo.DeputyRecord, err error) {
	defer wrap(&err, "DeputyRecordSummary(%d, %d)", id, year)
	return db.deputyRecord(ctx, id, year, true)
}

func (db *DB) deputyRecord(ctx context.Context, id int64, year int, summary bool) (_ *lianluo.DeputyRecord, err error) {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	d, err := findDeputyByID(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanReadDeputyRecord(a, id) {
		return nil, lianluo.NotFound("代表")
	}
	now := db.Now()
	rec := &lianluo.DeputyRecord{Year: year, Deputy: d, Partial: now.In(lianluo.Beijing).Year() <= year}
	if !summary {
		path, err := db.RegionPath(ctx, d.RegionCode)
		if err != nil {
			return nil, err
		}
		rec.Seats = lianluo.SeatsText(d.Seats, path)
	}
	from, to := yearBounds(year)

	// Attendance and the other counts, as the ranking has them.
	row := lianluo.DeputyStatsRow{AttendanceRow: lianluo.AttendanceRow{DeputyID: id, Name: d.Name}}
	if err := countAttendance(ctx, db.reader(), nil, lianluo.AttendanceFilter{Year: year}, id, now,
		func(int64, string) *lianluo.AttendanceRow { return &row.AttendanceRow }); err != nil {
		return nil, err
	}
	if err := db.deputyYearCounts(ctx, year, []int64{id}, map[int64]*lianluo.DeputyStatsRow{id: &row}); err != nil {
		return nil, err
	}
	table, err := scoring(ctx, db.reader())
	if err != nil {
		return nil, err
	}
	table.Apply(&row)
	rec.Receptions = lianluo.AttendanceTally{Held: row.Scheduled, Present: row.Present, Leave: row.Leave, Absent: row.Absent}
	rec.Activities = lianluo.AttendanceTally{Held: row.Activities, Present: row.ActivitiesPresent, Leave: row.ActivitiesLeave, Absent: row.ActivitiesAbsent}
	rec.DiaryYear, rec.Opinions, rec.OpinionsClosed = row.DiaryConfirmed, row.OpinionsReceived, row.OpinionsClosed
	rec.DutyRecords, rec.Suggestions = row.DutyRecords, row.Suggestions
	if rec.SixOnes, err = deputySixOnes(ctx, db.reader(), d, year); err != nil {
		return nil, err
	}
	rec.Score, rec.Breakdown = row.Score, row.Breakdown

	// The reports to the voters, one by one.
	src := attendanceSources[slices.IndexFunc(attendanceSources, func(s attendanceSource) bool { return s.kind == lianluo.KindActivity })]
	var w where
	q := `SELECT o.id, o.starts_at, o.title,
			COALESCE((SELECT b.summary FROM ballots b JOIN report_plan_deputies e ON e.id = b.subject_id
				WHERE b.subject_kind = ` + w.arg(string(lianluo.BallotReport)) + ` AND b.status = ` + w.arg(string(lianluo.BallotClosed)) + `
				AND b.activity_id = o.id AND e.deputy_id = i.deputy_id ORDER BY b.id DESC LIMIT 1), '')
		FROM occasion_invitees i
		JOIN activities o ON i.kind = '` + string(lianluo.KindActivity) + `' AND o.id = i.occasion_id
		WHERE ` + src.held + ` AND o.kind = ` + w.arg(lianluo.ActivityReport) + ` AND i.attendance = ` + w.arg(lianluo.AttendPresent) + `
		AND i.deputy_id = ` + w.arg(id) + ` AND o.starts_at >= ` + w.arg(from) + ` AND o.starts_at < ` + w.arg(to) + `
		AND o.ends_at < ` + w.arg(now.UTC()) + ` ORDER BY o.starts_at, o.id`
	err = scanEach(ctx, db.reader(), q, w.args, func(sc func(...any) error) error {
		var o lianluo.RecordOccasion
		var at time.Time
		if err := sc(&o.ID, &at, &o.Title, &o.Evaluation); err != nil {
			return err
		}
		o.Date = at.In(lianluo.Beijing).Format(time.DateOnly)
		rec.Reports = append(rec.Reports, o)
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Confirmed diary entries by the month of the visit.
	w = where{}
	q = `SELECT visited_at FROM diary_entries WHERE deputy_id = ` + w.arg(id) + ` AND status = 'confirmed'
		AND visited_at >= ` + w.arg(from) + ` AND visited_at < ` + w.arg(to)
	err = scanEach(ctx, db.reader(), q, w.args, func(sc func(...any) error) error {
		var at time.Time
		if err := sc(&at); err != nil {
			return err
		}
		rec.DiaryMonths[at.In(lianluo.Beijing).Month()-1]++
		return nil
	})
	if err != nil {
		return nil, err
	}

	if summary {
		return rec, nil
	}

	// Activities by kind, in the forms' order.
	w = where{}
	q = `SELECT o.kind, i.attendance, COUNT(*) FROM occasion_invitees i
		JOIN activities o ON i.kind = '` + string(lianluo.KindActivity) + `' AND o.id = i.occasion_id
		WHERE ` + src.held + ` AND i.deputy_id = ` + w.arg(id) + `
		AND o.starts_at >= ` + w.arg(from) + ` AND o.starts_at < ` + w.arg(to) + ` AND o.ends_at < ` + w.arg(now.UTC()) + `
		GROUP BY o.kind, i.attendance`
	byKind := map[string]*lianluo.AttendanceRow{}
	err = scanEach(ctx, db.reader(), q, w.args, func(sc func(...any) error) error {
		var kind, att string
		var n int
		if err := sc(&kind, &att, &n); err != nil {
			return err
		}
		if byKind[kind] == nil {
			byKind[kind] = &lianluo.AttendanceRow{}
		}
		byKind[kind].Add(lianluo.KindActivity, att, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range lianluo.ActivityKinds {
		if r := byKind[k]; r != nil {
			rec.ActivityKinds = append(rec.ActivityKinds, lianluo.ActivityTally{Kind: k, Name: lianluo.ActivityKindNames[k],
				AttendanceTally: lianluo.AttendanceTally{Held: r.Activities, Present: r.ActivitiesPresent, Leave: r.ActivitiesLeave, Absent: r.ActivitiesAbsent}})
		}
	}

	if rec.Duties, err = confirmedDuties(ctx, db.reader(), id, year); err != nil {
		return nil, err
	}

	// The opinions received, by where they stand now.
	w = where{}
	q = deputyOpinionsByStatusSQL(&w, id, from, to)
	counts := map[lianluo.CaseStatus]int{}
	err = scanEach(ctx, db.reader(), q, w.args, func(sc func(...any) error) error {
		var st string
		var n int
		if err := sc(&st, &n); err != nil {
			return err
		}
		counts[lianluo.CaseStatus(st)] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, st := range lianluo.Statuses {
		if n := counts[st]; n > 0 {
			rec.OpinionsBy = append(rec.OpinionsBy, lianluo.StatusTally{Status: st, Name: lianluo.StatusNames[st], Count: n})
		}
	}
	return rec, nil
}

// deputyOpinionsByStatusSQL counts the opinions registered in [from, to)
// that the deputy received, by their status now: a range of
// case_deputies_deputy_created, as deputyOpinionsSQL.
func deputyOpinionsByStatusSQL(w *where, id int64, from, to time.Time) string {
	return `SELECT c.status, COUNT(*) FROM case_deputies cd JOIN cases c ON c.id = cd.case_id
		WHERE cd.deputy_id = ` + w.arg(id) + ` AND cd.created_at >= ` + w.arg(from) + ` AND cd.created_at < ` + w.arg(to) + `
		GROUP BY c.status`
}
