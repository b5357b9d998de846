package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"lianluo"
)

// 星级联络站评定: the weights (settings key "station_rating") and the
// stations' yearly figures they weigh (lianluo.StationStatsRow).

// storedStationRating is the table as kept: the weights by item, so that a
// later release's new item starts from its default.
type storedStationRating struct {
	Weights map[string]float64 `json:"weights"`
	Green   float64            `json:"green"`
	Yellow  float64            `json:"yellow"`
	Version int                `json:"version"`
}

// StationRating returns the table (lianluo.DefaultStationRating until changed).
func (db *DB) StationRating(ctx context.Context) (_ lianluo.StationRating, err error) {
	defer wrap(&err, "StationRating")
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return lianluo.StationRating{}, err
	}
	return stationRating(ctx, db.reader())
}

func stationRating(ctx context.Context, c conn) (lianluo.StationRating, error) {
	s := lianluo.DefaultStationRating()
	var st storedStationRating
	if found, err := getSetting(ctx, c, "station_rating", &st); err != nil || !found {
		return s, err
	}
	for i, it := range s.Items {
		if w, ok := st.Weights[it.Key]; ok {
			s.Items[i].Weight = w
		}
	}
	s.Green, s.Yellow, s.Version = st.Green, st.Yellow, st.Version
	return s, nil
}

// UpdateStationRating changes the weights of the items s names and the
// thresholds s sets (lianluo.CanSetScoring: the district office's, like
// the 履职积分 table); s.Version must be the version the caller saw.
func (db *DB) UpdateStationRating(ctx context.Context, s lianluo.StationRating) (_ lianluo.StationRating, err error) {
	defer wrap(&err, "UpdateStationRating")
	if err := canSetScoring(ctx); err != nil {
		return s, err
	}
	var saved lianluo.StationRating
	err = db.transact(ctx, func(tx *Tx) error {
		old, err := stationRating(ctx, tx.conn)
		if err != nil {
			return err
		}
		if err := lianluo.CheckVersion("联络站评分标准", s.Version, old.Version); err != nil {
			return err
		}
		cur, err := s.Merge(old)
		if err != nil {
			return err
		}
		cur.Version = old.Version + 1
		st := storedStationRating{Weights: map[string]float64{}, Green: cur.Green, Yellow: cur.Yellow, Version: cur.Version}
		for _, it := range cur.Items {
			st.Weights[it.Key] = it.Weight
		}
		b, _ := json.Marshal(st)
		if err := putSetting(ctx, tx, "station_rating", string(b)); err != nil {
			return err
		}
		saved = cur
		return tx.event(ctx, lianluo.EntitySettings, 0, lianluo.AuditUpdate, lianluo.StationRatingChange(old, cur))
	})
	return saved, err
}

// StationStats lists the active stations f selects in the caller's scope
// with their year's figures and score, ranked (lianluo.CanSeeStats). The
// opinions are CaseStats's, grouped by station: the statistics' own count.
func (db *DB) StationStats(ctx context.Context, f lianluo.AttendanceFilter) (_ []lianluo.StationStatsRow, err error) {
	defer wrap(&err, "StationStats(%d)", f.Year)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanSeeStats(a) {
		return nil, lianluo.Forbidden()
	}
	if f.Year < 2000 || f.Year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	if len(f.Region) > 20 {
		return nil, lianluo.FieldError("region", "地区不正确。")
	}
	var w where
	scopeStations(&w, a, "s")
	w.add("s.active")
	if f.StationID != 0 {
		w.add("s.id = " + w.arg(f.StationID))
	}
	if f.Region != "" {
		w.add(regionRange(&w, "s.region_code", lianluo.NormalizeRegionCode(f.Region)))
	}
	var rows []lianluo.StationStatsRow
	err = scanEach(ctx, db.reader(), `SELECT s.id, s.name, s.region_code FROM stations s`+w.String()+` ORDER BY s.id`, w.args,
		func(sc func(...any) error) error {
			var r lianluo.StationStatsRow
			if err := sc(&r.StationID, &r.Name, &r.RegionCode); err != nil {
				return err
			}
			rows = append(rows, r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	table, err := stationRating(ctx, db.reader())
	if err != nil {
		return nil, err
	}
	if len(rows) > 0 {
		if err := db.stationYearFacts(ctx, f, rows); err != nil {
			return nil, err
		}
	}
	table.RankStations(rows)
	return rows, nil
}

// stationYearFacts fills each row's facts: one grouped query per kind of
// record over the stations, for the Beijing year, and the opinions from
// CaseStats.
func (db *DB) stationYearFacts(ctx context.Context, f lianluo.AttendanceFilter, rows []lianluo.StationStatsRow) error {
	from, to := yearBounds(f.Year)
	now := db.Now().UTC()
	ids := make([]int64, len(rows))
	byID := map[int64]*lianluo.StationFacts{}
	for i := range rows {
		ids[i] = rows[i].StationID
		byID[rows[i].StationID] = &rows[i].StationFacts
	}
	counts := []struct {
		q   func(w *where) string
		add func(f *lianluo.StationFacts, n, m int)
	}{
		// Receptions over by now: published or cancelled (the schedule),
		// of which published (held).
		{func(w *where) string {
			return `SELECT station_id, COUNT(*), COUNT(CASE WHEN status = 'published' THEN 1 END) FROM receptions
				WHERE status IN ('published', 'cancelled')
				AND starts_at >= ` + w.arg(from) + ` AND starts_at < ` + w.arg(to) + ` AND ends_at < ` + w.arg(now) + `
				AND station_id IN ` + w.in(ids) + ` GROUP BY station_id`
		}, func(f *lianluo.StationFacts, n, m int) { f.ReceptionsScheduled, f.ReceptionsHeld = n, m }},
		// The deputies on the held receptions, and those present.
		{func(w *where) string {
			return `SELECT o.station_id, COUNT(*), COUNT(CASE WHEN i.attendance = ` + w.arg(lianluo.AttendPresent) + ` THEN 1 END)
				FROM occasion_invitees i JOIN receptions o ON i.kind = '` + string(lianluo.KindReception) + `' AND o.id = i.occasion_id
				WHERE o.status = 'published'
				AND o.starts_at >= ` + w.arg(from) + ` AND o.starts_at < ` + w.arg(to) + ` AND o.ends_at < ` + w.arg(now) + `
				AND o.station_id IN ` + w.in(ids) + ` GROUP BY o.station_id`
		}, func(f *lianluo.StationFacts, n, m int) { f.ReceptionSeats, f.ReceptionPresent = n, m }},
		// Activities the station organised, held.
		{func(w *where) string {
			return `SELECT station_id, COUNT(*), 0 FROM activities
				WHERE status IN ('published', 'done') AND group_id IS NULL
				AND starts_at >= ` + w.arg(from) + ` AND starts_at < ` + w.arg(to) + ` AND ends_at < ` + w.arg(now) + `
				AND station_id IN ` + w.in(ids) + ` GROUP BY station_id`
		}, func(f *lianluo.StationFacts, n, _ int) { f.Activities = n }},
		// The deputies invited to them, and those present.
		{func(w *where) string {
			return `SELECT o.station_id, COUNT(*), COUNT(CASE WHEN i.attendance = ` + w.arg(lianluo.AttendPresent) + ` THEN 1 END)
				FROM occasion_invitees i JOIN activities o ON i.kind = '` + string(lianluo.KindActivity) + `' AND o.id = i.occasion_id
				WHERE o.status IN ('published', 'done') AND o.group_id IS NULL
				AND o.starts_at >= ` + w.arg(from) + ` AND o.starts_at < ` + w.arg(to) + ` AND o.ends_at < ` + w.arg(now) + `
				AND o.station_id IN ` + w.in(ids) + ` GROUP BY o.station_id`
		}, func(f *lianluo.StationFacts, n, m int) { f.ActivityInvited, f.ActivityPresent = n, m }},
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
	// The mailbox's openings, counted by week in the root rule.
	openings := map[int64][]time.Time{}
	var w where
	err := scanEach(ctx, db.reader(), `SELECT station_id, opened_at FROM mailbox_openings
		WHERE opened_at >= `+w.arg(from)+` AND opened_at < `+w.arg(to)+` AND station_id IN `+w.in(ids), w.args,
		func(sc func(...any) error) error {
			var id int64
			var t time.Time
			if err := sc(&id, &t); err != nil {
				return err
			}
			openings[id] = append(openings[id], t)
			return nil
		})
	if err != nil {
		return err
	}
	for id, r := range byID {
		r.MailboxWeeks, r.MailboxWeeksOpened = lianluo.MailboxWeeks(f.Year, openings[id], db.Now())
	}
	// The standards met, of those listed: ticked met now, on a day before
	// the year's end (a standard met only this year does not count for last).
	list, err := checklist(ctx, db.reader())
	if err != nil {
		return err
	}
	keys := make([]string, len(list.Items))
	for i, it := range list.Items {
		keys[i] = it.Key
	}
	w = where{}
	err = scanEach(ctx, db.reader(), `SELECT station_id, item FROM station_checklist WHERE done AND done_on < `+w.arg(dayBounds(f.Year)[1])+`
		AND station_id IN `+w.in(ids), w.args,
		func(sc func(...any) error) error {
			var id int64
			var item string
			if err := sc(&id, &item); err != nil {
				return err
			}
			if r := byID[id]; r != nil && slices.Contains(keys, item) {
				r.ChecklistDone++
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, r := range byID {
		r.ChecklistTotal = len(keys)
	}
	// The opinions, as the statistics count them.
	period, err := lianluo.ParsePeriod(strconv.Itoa(f.Year))
	if err != nil {
		return lianluo.FieldError("year", "年份不正确。")
	}
	sf := lianluo.StatsFilter{Region: f.Region, Period: period, GroupBy: lianluo.GroupByStation, StationID: f.StationID}
	res, err := db.CaseStats(ctx, sf)
	if err != nil {
		return err
	}
	for _, g := range res.Rows {
		id, _ := strconv.ParseInt(g.Key, 10, 64)
		if r := byID[id]; r != nil {
			r.Cases = g.CaseCounts.WithRates()
		}
	}
	return nil
}
