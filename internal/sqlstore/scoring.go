package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"lianluo"
)

// The 履职积分 table (settings key "scoring") and the deputies' yearly
// figures it weighs (lianluo.DeputyStatsRow).

// storedScoring is the table as kept: the points by item, so that a later
// release's new item starts from its default.
type storedScoring struct {
	Points  map[string]float64 `json:"points"`
	Version int                `json:"version"`
}

// Scoring returns the table (lianluo.DefaultScoring until changed).
func (db *DB) Scoring(ctx context.Context) (_ lianluo.Scoring, err error) {
	defer wrap(&err, "Scoring")
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return lianluo.Scoring{}, err
	}
	return scoring(ctx, db.reader())
}

func scoring(ctx context.Context, c conn) (lianluo.Scoring, error) {
	s := lianluo.DefaultScoring()
	var st storedScoring
	if found, err := getSetting(ctx, c, "scoring", &st); err != nil || !found {
		return s, err
	}
	for i, it := range s.Items {
		if p, ok := st.Points[it.Key]; ok {
			s.Items[i].Points = p
		}
	}
	s.Version = st.Version
	return s, nil
}

// UpdateScoring changes the points of the items s names; s.Version must be
// the version the caller saw.
func (db *DB) UpdateScoring(ctx context.Context, s lianluo.Scoring) (_ lianluo.Scoring, err error) {
	defer wrap(&err, "UpdateScoring")
	if err := canSetScoring(ctx); err != nil {
		return s, err
	}
	var saved lianluo.Scoring
	err = db.transact(ctx, func(tx *Tx) error {
		old, err := scoring(ctx, tx.conn)
		if err != nil {
			return err
		}
		if err := lianluo.CheckVersion("履职积分标准", s.Version, old.Version); err != nil {
			return err
		}
		cur, err := s.Merge(old)
		if err != nil {
			return err
		}
		cur.Version = old.Version + 1
		st := storedScoring{Points: map[string]float64{}, Version: cur.Version}
		for _, it := range cur.Items {
			st.Points[it.Key] = it.Points
		}
		b, _ := json.Marshal(st)
		if err := putSetting(ctx, tx, "scoring", string(b)); err != nil {
			return err
		}
		saved = cur
		return tx.event(ctx, lianluo.EntitySettings, 0, lianluo.AuditUpdate, lianluo.ScoringChange(old, cur))
	})
	return saved, err
}

// DeputyStats lists the deputies of the stations f selects in the caller's
// scope (as Attendance does) with their year's receptions and activities,
// reports to the voters, confirmed diary entries, opinions received and
// closed, confirmed duty records, and their score, ranked.
func (db *DB) DeputyStats(ctx context.Context, f lianluo.AttendanceFilter) (_ []lianluo.DeputyStatsRow, err error) {
	defer wrap(&err, "DeputyStats(%d)", f.Year)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanSeeStats(a) {
		return nil, lianluo.Forbidden()
	}
	att, err := db.Attendance(ctx, f)
	if err != nil {
		return nil, err
	}
	table, err := scoring(ctx, db.reader())
	if err != nil {
		return nil, err
	}
	rows := make([]lianluo.DeputyStatsRow, len(att))
	byID := map[int64]*lianluo.DeputyStatsRow{}
	ids := make([]int64, len(att))
	for i, r := range att {
		rows[i].AttendanceRow = r
		byID[r.DeputyID] = &rows[i]
		ids[i] = r.DeputyID
	}
	if len(ids) > 0 {
		if err := db.deputyYearCounts(ctx, f.Year, ids, byID); err != nil {
			return nil, err
		}
	}
	table.RankDeputies(rows)
	return rows, nil
}

// deputyYearCounts adds to each row what the attendance does not count:
// one grouped query per kind of record over the deputies ids, for the
// Beijing year.
func (db *DB) deputyYearCounts(ctx context.Context, year int, ids []int64, byID map[int64]*lianluo.DeputyStatsRow) error {
	from, to := yearBounds(year)
	days := dayBounds(year)
	type count struct {
		q   func(w *where) string
		add func(r *lianluo.DeputyStatsRow, n, m int)
	}
	counts := []count{
		// Reports to the voters: activities of kind report held (as
		// attendance counts them) with the deputy present.
		{func(w *where) string {
			return `SELECT i.deputy_id, COUNT(*), 0 FROM occasion_invitees i
				JOIN activities o ON i.kind = '` + string(lianluo.KindActivity) + `' AND o.id = i.occasion_id
				WHERE o.kind = ` + w.arg(lianluo.ActivityReport) + ` AND o.status IN ('published', 'done')
				AND i.attendance = ` + w.arg(lianluo.AttendPresent) + `
				AND o.starts_at >= ` + w.arg(from) + ` AND o.starts_at < ` + w.arg(to) + ` AND o.ends_at < ` + w.arg(db.Now().UTC()) + `
				AND i.deputy_id IN ` + w.in(ids) + ` GROUP BY i.deputy_id`
		}, func(r *lianluo.DeputyStatsRow, n, _ int) { r.Reports = n }},
		// Diary entries the voter confirmed, by the day of the visit.
		{func(w *where) string {
			return `SELECT deputy_id, COUNT(*), 0 FROM diary_entries WHERE status = 'confirmed'
				AND visited_at >= ` + w.arg(from) + ` AND visited_at < ` + w.arg(to) + `
				AND deputy_id IN ` + w.in(ids) + ` GROUP BY deputy_id`
		}, func(r *lianluo.DeputyStatsRow, n, _ int) { r.DiaryConfirmed = n }},
		{func(w *where) string { return deputyOpinionsSQL(w, from, to, ids) },
			func(r *lianluo.DeputyStatsRow, n, m int) { r.OpinionsReceived, r.OpinionsClosed = n, m }},
		// Duty records confirmed, by the day of the deed (done_on is the
		// Beijing date as text).
		{func(w *where) string {
			return `SELECT deputy_id, COUNT(*), 0 FROM duty_records WHERE status = ` + w.arg(string(lianluo.DutyConfirmed)) + `
				AND done_on >= ` + w.arg(days[0]) + ` AND done_on < ` + w.arg(days[1]) + `
				AND deputy_id IN ` + w.in(ids) + ` GROUP BY deputy_id`
		}, func(r *lianluo.DeputyStatsRow, n, _ int) { r.DutyRecords = n }},
		// Suggestions and bills led or signed (confirmed), put forward, by
		// the year they were written (suggestion_signers_deputy).
		{func(w *where) string { return suggestionsSigned(w, from, to, ids) },
			func(r *lianluo.DeputyStatsRow, n, _ int) { r.Suggestions = n }},
	}
	for _, c := range counts {
		var w where
		q := c.q(&w)
		err := scanEach(ctx, db.reader(), q, w.args, func(sc func(...any) error) error {
			var id int64
			var n, m int
			if err := sc(&id, &n, &m); err != nil {
				return err
			}
			if r := byID[id]; r != nil {
				c.add(r, n, m)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// deputyOpinionsSQL counts the opinions registered in [from, to) that each
// of the deputies ids received, and those of them closed. The period is a
// range of case_deputies_deputy_created (the registration date copied
// beside the deputy, migration 0025); cases is read only for the status of
// the period's cases, not for every case the deputy ever received.
func deputyOpinionsSQL(w *where, from, to time.Time, ids []int64) string {
	return `SELECT cd.deputy_id, COUNT(*), COUNT(CASE WHEN c.status IN ('` + string(lianluo.StatusClosed) + `', '` +
		string(lianluo.StatusArchived) + `') THEN 1 END)
		FROM case_deputies cd JOIN cases c ON c.id = cd.case_id
		WHERE cd.created_at >= ` + w.arg(from) + ` AND cd.created_at < ` + w.arg(to) + `
		AND cd.deputy_id IN ` + w.in(ids) + ` GROUP BY cd.deputy_id`
}

// canSetScoring refuses a caller who may not change the district's tables
// (履职积分, 联络站评分, 标准清单): lianluo.CanSetScoring.
func canSetScoring(ctx context.Context) error {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !lianluo.CanSetScoring(a) {
		return lianluo.Forbidden()
	}
	return nil
}
