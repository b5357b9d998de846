package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"lianluo"
)

// Attendance lists the deputies of the stations in the caller's scope (one
// station with f.StationID) with their sessions held in a year (published,
// already ended): present, on leave, absent; and their activities. A
// session still "scheduled" after it ended counts as absent.
//
// The rows follow the deputies' stations (station_deputies), not where
// the events were held: a station's list is exactly its deputies, with
// zeros for those not yet on duty, and a deputy of two stations is listed
// under each — once in the list of all stations. Under one station the
// counts are that station's sessions and activities; over all stations,
// every session and activity in scope. Deputies with events in scope but
// no station at all (a district deputy invited to an activity) are listed
// over all stations only; a deputy of a station out of scope, invited to an
// activity in scope, is their own station's.
func (db *DB) Attendance(ctx context.Context, f lianluo.AttendanceFilter) (_ []lianluo.AttendanceRow, err error) {
	defer wrap(&err, "Attendance(%d)", f.Year)
	if f.Year < 2000 || f.Year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	members, err := db.attendanceMembers(ctx, f)
	if err != nil {
		return nil, err
	}
	var counted []lianluo.AttendanceRow
	idx := map[int64]int{}
	err = countAttendance(ctx, db.reader(), lianluo.ActorFromContext(ctx), f, 0, db.Now(), func(id int64, name string) *lianluo.AttendanceRow {
		i, ok := idx[id]
		if !ok {
			i = len(counted)
			idx[id] = i
			counted = append(counted, lianluo.AttendanceRow{DeputyID: id, Name: name})
		}
		return &counted[i]
	})
	if err != nil {
		return nil, err
	}
	byID := map[int64]lianluo.AttendanceRow{}
	for _, r := range counted {
		byID[r.DeputyID] = r
	}
	out := make([]lianluo.AttendanceRow, 0, len(members))
	for _, m := range members {
		if r, ok := byID[m.DeputyID]; ok {
			r.Stations = m.Stations
			m = r
		}
		out = append(out, m)
	}
	if f.StationID == 0 {
		placed, err := queryIDs(ctx, db.reader(), `SELECT DISTINCT deputy_id FROM station_deputies`)
		if err != nil {
			return nil, err
		}
		for _, r := range counted {
			if !slices.Contains(placed, r.DeputyID) {
				r.Stations = ""
				out = append(out, r)
			}
		}
		slices.SortStableFunc(out, func(a, b lianluo.AttendanceRow) int { return int(a.DeputyID - b.DeputyID) })
	}
	return out, nil
}

// attendanceMembers lists the deputies of the stations f selects in the
// caller's scope, once each, with the names of their stations there.
func (db *DB) attendanceMembers(ctx context.Context, f lianluo.AttendanceFilter) ([]lianluo.AttendanceRow, error) {
	var w where
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	if f.StationID != 0 {
		w.add("s.id = " + w.arg(f.StationID))
	}
	if f.Region != "" {
		w.add(regionRange(&w, "s.region_code", lianluo.NormalizeRegionCode(f.Region)))
	}
	rows, err := db.reader().Query(ctx, `SELECT d.id, d.name, s.name
		FROM station_deputies sd JOIN stations s ON s.id = sd.station_id JOIN deputies d ON d.id = sd.deputy_id`+w.String()+
		` ORDER BY d.id, s.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lianluo.AttendanceRow
	for rows.Next() {
		var id int64
		var name, station string
		if err := rows.Scan(&id, &name, &station); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].DeputyID == id {
			out[n-1].Stations += "、" + station
			continue
		}
		out = append(out, lianluo.AttendanceRow{DeputyID: id, Name: name, Stations: station})
	}
	return out, rows.Err()
}

// attendanceSource is an occasion kind as attendance counts it: its table
// (aliased o) and its joins (the station s it is held at, where it must
// have one), which of its statuses count, its scope and the region it lies in.
type attendanceSource struct {
	kind   lianluo.OccasionKind
	table  string
	joins  string
	held   string
	scope  func(w *where, a *lianluo.Actor)
	region string
}

// attendanceSources are the kinds that count: a session once published,
// an activity published or done; each once it has ended (lianluo.AttendanceRow.Add).
var attendanceSources = []attendanceSource{
	{lianluo.KindReception, "receptions", " JOIN stations s ON s.id = o.station_id", "o.status = 'published'",
		func(w *where, a *lianluo.Actor) { scopeStations(w, a, "s") }, "s.region_code"},
	{lianluo.KindActivity, "activities", "", "o.status IN ('published', 'done')",
		func(w *where, a *lianluo.Actor) { scopeActivities(w, a, "o") }, "o.region_code"},
}

// countAttendance adds each deputy's occasions of every kind held in
// f.Year, up to now, to the row add gives for them: those f selects in
// the scope of a (nil: unscoped, for one deputy's notice), or of one
// deputy (deputyID, not 0).
func countAttendance(ctx context.Context, c conn, a *lianluo.Actor, f lianluo.AttendanceFilter, deputyID int64, now time.Time,
	add func(deputyID int64, name string) *lianluo.AttendanceRow) error {
	from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	for _, src := range attendanceSources {
		var w where
		if a != nil {
			src.scope(&w, a)
		}
		w.add(src.held)
		w.add("o.starts_at >= " + w.arg(from) + " AND o.starts_at < " + w.arg(to))
		w.add("o.ends_at < " + w.arg(now.UTC()))
		if f.StationID != 0 {
			w.add("o.station_id = " + w.arg(f.StationID))
		}
		if f.Region != "" {
			w.add(regionRange(&w, src.region, lianluo.NormalizeRegionCode(f.Region)))
		}
		if deputyID != 0 {
			w.add("i.deputy_id = " + w.arg(deputyID))
		}
		err := func() error {
			rows, err := c.Query(ctx, `SELECT d.id, d.name, i.attendance, COUNT(*)
				FROM occasion_invitees i JOIN `+src.table+` o ON i.kind = '`+string(src.kind)+`' AND o.id = i.occasion_id`+src.joins+`
				JOIN deputies d ON d.id = i.deputy_id`+w.String()+` GROUP BY d.id, d.name, i.attendance ORDER BY d.id`, w.args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var name, att string
				var n int
				if err := rows.Scan(&id, &name, &att, &n); err != nil {
					return err
				}
				add(id, name).Add(src.kind, att, n)
			}
			return rows.Err()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// AttendanceNotice assembles a deputy's notice for a year: each of their
// stations in the caller's scope with its deputies' rows (Attendance of the
// station), and their own record summed over those stations — each session
// and activity belongs to one station, so nothing counts twice.
func (db *DB) AttendanceNotice(ctx context.Context, deputyID int64, year int) (_ *lianluo.AttendanceNotice, err error) {
	defer wrap(&err, "AttendanceNotice(%d, %d)", deputyID, year)
	if year < 2000 || year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	d, err := findDeputyByID(ctx, db.reader(), deputyID)
	if err != nil {
		return nil, err
	}
	n := &lianluo.AttendanceNotice{Year: year, DeputyID: d.ID, Name: d.Name, Partial: year >= yearOf(db.Now()),
		Own: lianluo.AttendanceRow{DeputyID: d.ID, Name: d.Name}, Stations: []lianluo.AttendanceNoticeTable{}}
	var names []string
	for _, ref := range d.Stations {
		st, err := findStationByID(ctx, db.reader(), ref.ID)
		if lianluo.ErrorCode(err) == lianluo.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		rows, err := db.Attendance(ctx, lianluo.AttendanceFilter{Year: year, StationID: st.ID})
		if err != nil {
			return nil, err
		}
		for _, x := range rows {
			if x.DeputyID != d.ID {
				continue
			}
			o := &n.Own
			o.Scheduled += x.Scheduled
			o.Present += x.Present
			o.Leave += x.Leave
			o.Absent += x.Absent
			o.Activities += x.Activities
			o.ActivitiesPresent += x.ActivitiesPresent
			o.ActivitiesLeave += x.ActivitiesLeave
			o.ActivitiesAbsent += x.ActivitiesAbsent
		}
		names = append(names, st.Name)
		n.Stations = append(n.Stations, lianluo.AttendanceNoticeTable{StationID: st.ID, Name: st.Name, Rows: rows})
	}
	n.Own.Stations = strings.Join(names, "、")
	return n, nil
}
