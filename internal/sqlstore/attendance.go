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
	counted, err := db.receptionAttendance(ctx, f)
	if err != nil {
		return nil, err
	}
	counted, err = db.activityAttendance(ctx, f, counted)
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

// receptionAttendance counts each deputy's sessions held in the year at
// the stations f selects in scope.
func (db *DB) receptionAttendance(ctx context.Context, f lianluo.AttendanceFilter) ([]lianluo.AttendanceRow, error) {
	var w where
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	w.add("r.status = 'published'")
	w.add("r.starts_at >= " + w.arg(from) + " AND r.starts_at < " + w.arg(to))
	w.add("r.ends_at < " + w.arg(db.Now().UTC()))
	if f.StationID != 0 {
		w.add("r.station_id = " + w.arg(f.StationID))
	}
	if f.Region != "" {
		w.add(regionRange(&w, "s.region_code", lianluo.NormalizeRegionCode(f.Region)))
	}
	rows, err := db.reader().Query(ctx, `SELECT d.id, d.name, s.name, rd.attendance
		FROM occasion_invitees rd JOIN receptions r ON rd.kind = 'reception' AND r.id = rd.occasion_id JOIN stations s ON s.id = r.station_id
		JOIN deputies d ON d.id = rd.deputy_id`+w.String()+` ORDER BY d.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.AttendanceRow{}
	idx := map[int64]int{}
	stations := map[int64][]string{}
	for rows.Next() {
		var id int64
		var name, station, att string
		if err := rows.Scan(&id, &name, &station, &att); err != nil {
			return nil, err
		}
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, lianluo.AttendanceRow{DeputyID: id, Name: name})
		}
		if !slices.Contains(stations[id], station) {
			stations[id] = append(stations[id], station)
		}
		row := &out[i]
		row.Scheduled++
		switch att {
		case lianluo.AttendPresent:
			row.Present++
		case lianluo.AttendLeave:
			row.Leave++
		default:
			row.Absent++
		}
	}
	for i := range out {
		out[i].Stations = strings.Join(stations[out[i].DeputyID], "、")
	}
	return out, rows.Err()
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
