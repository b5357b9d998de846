package sqlstore

import (
	"context"
	"fmt"

	"lianluo"
)

// SendAttendanceNotice tells a deputy their year's attendance at station
// receptions, in-app and by SMS (002 篇三 三(三): 每年年底将人大代表进站出席
// 活动情况进行统计，并书面通报给每位代表). The office over the deputy's
// region or the head of one of their stations may send it; the printed
// notice with the peers' record is the page's. It returns the text sent.
func (db *DB) SendAttendanceNotice(ctx context.Context, deputyID int64, year int) (_ string, err error) {
	defer wrap(&err, "SendAttendanceNotice(%d, %d)", deputyID, year)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return "", err
	}
	if year < 2000 || year > 2100 {
		return "", lianluo.FieldError("year", "年份不正确。")
	}
	var body string
	err = db.transact(ctx, func(tx *Tx) error {
		body, err = sendAttendanceNotice(ctx, tx, a, deputyID, year)
		return err
	})
	return body, err
}

// sendAttendanceNotice checks the actor may tell the deputy, counts the
// year and queues the notice; it returns the text sent.
func sendAttendanceNotice(ctx context.Context, tx *Tx, a *lianluo.Actor, deputyID int64, year int) (string, error) {
	var body string
	err := func() error {
		d, err := findDeputyByID(ctx, tx.conn, deputyID)
		if err != nil {
			return err
		}
		stations, err := deputyStations(ctx, tx, deputyID)
		if err != nil {
			return err
		}
		if !lianluo.CanSendAttendanceNotice(a, d.RegionCode, stations) {
			return lianluo.Forbidden()
		}
		if year > yearOf(tx.now) {
			return lianluo.FieldError("year", "%d年还没有开始，不能通报出勤情况。", year)
		}
		// The same count as Attendance, over every station: the deputy's
		// occasions of the year that have ended.
		row := lianluo.AttendanceRow{DeputyID: deputyID, Name: d.Name}
		if err := countAttendance(ctx, tx.conn, nil, lianluo.AttendanceFilter{Year: year}, deputyID, tx.now,
			func(int64, string) *lianluo.AttendanceRow { return &row }); err != nil {
			return err
		}
		so := "截至目前"
		if year < yearOf(tx.now) {
			so = "全年"
		}
		body = lianluo.AttendanceNoticeText(d.Name, year, so, row)
		var stationID int64
		if len(stations) > 0 {
			stationID = stations[0]
		}
		if err := notifyDeputyText(ctx, tx, deputyID, stationID, fmt.Sprintf("attendance_notice:%d:%d:%d", year, deputyID, tx.now.Unix()),
			lianluo.MsgAttendanceNotice, body); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDeputy, deputyID, lianluo.AuditAttendanceNotice, fmt.Sprintf("发送%d年出勤情况通报：应参加%d次，出席%d次", year, row.Scheduled, row.Present))
	}()
	return body, err
}

// SendAttendanceNotices sends the year's notice to every in-office deputy
// of one station (s.StationID) or of every station in scope the caller
// manages — once per deputy per call, however many of the stations they
// serve — in one transaction, and returns how many were sent.
func (db *DB) SendAttendanceNotices(ctx context.Context, s lianluo.AttendanceNoticeScope) (n int, err error) {
	defer wrap(&err, "SendAttendanceNotices(%d, %d)", s.Year, s.StationID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if s.Year < 2000 || s.Year > 2100 {
		return 0, lianluo.FieldError("year", "年份不正确。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		var stations []int64
		if s.StationID != 0 {
			if _, err := requireStation(ctx, tx.conn, a, s.StationID, false); err != nil {
				return err
			}
			stations = []int64{s.StationID}
		} else {
			var w where
			scopeStations(&w, a, "s")
			w.add("s.active = " + w.arg(true))
			rows, err := tx.Query(ctx, `SELECT s.id, s.region_code FROM stations s`+w.String()+` ORDER BY s.id`, w.args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var st lianluo.Station
				if err := rows.Scan(&st.ID, &st.RegionCode); err != nil {
					rows.Close()
					return err
				}
				if manage, _ := lianluo.StationPowers(a, st.ID, st.RegionCode); manage {
					stations = append(stations, st.ID)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(stations) == 0 {
				return lianluo.Forbidden()
			}
		}
		var w where
		ids, err := queryIDs(ctx, tx.conn, `SELECT DISTINCT d.id FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id
			WHERE d.status = 'in_office' AND sd.station_id IN `+w.in(stations)+` ORDER BY d.id`, w.args...)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return lianluo.Errorf(lianluo.ESTATE, "所选联络站还没有在任代表，没有可以通报的对象。")
		}
		for _, id := range ids {
			if _, err := sendAttendanceNotice(ctx, tx, a, id, s.Year); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// deputyStations lists the stations a deputy serves at.
func deputyStations(ctx context.Context, tx *Tx, deputyID int64) ([]int64, error) {
	return queryIDs(ctx, tx.conn, `SELECT station_id FROM station_deputies WHERE deputy_id = $1 ORDER BY station_id`, deputyID)
}
