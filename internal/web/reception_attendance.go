package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"lianluo"
	"lianluo/internal/sheets"
)

// 代表出勤: the yearly attendance at station receptions, per station and per
// deputy, its Excel, and the yearly notice to each deputy showing their own
// record and their peers' (002 篇三 三(三): 定期通报 — 书面通报给每位代表，
// 让代表们不仅了解自己活动出席情况，同时也了解其他代表的活动出席情况).

type attendanceRowView struct {
	lianluo.AttendanceRow
	RatePct  int
	RateText string // "50%", or "—" with nothing held
	Low      bool   // below 60 %: worth a word with the deputy
	Me       bool
}

func attendanceViews(rows []lianluo.AttendanceRow, me int64) []attendanceRowView {
	out := make([]attendanceRowView, 0, len(rows))
	for _, x := range rows {
		v := attendanceRowView{AttendanceRow: x, RatePct: x.Rate(), RateText: "—", Me: x.DeputyID == me}
		if x.Scheduled > 0 {
			v.RateText = strconv.Itoa(x.Rate()) + "%"
			v.Low = x.Rate() < 60
		}
		out = append(out, v)
	}
	return out
}

type stationAttendance struct {
	S                                           *lianluo.Station
	Deputies, Scheduled, Present, Leave, Absent int
	RateText                                    string
}

type attendancePage struct {
	basePage
	Year      int
	StationID int64
	Years     []option
	Stations  []option
	PerSt     []stationAttendance
	Total     stationAttendance // over PerSt, a deputy of two stations counted once
	Rows      []attendanceRowView
	ExcelURL  string
	CanSend   bool   // the office or a station head: the notice to every deputy in scope
	ScopeName string // "所有联络站" or the station chosen
}

func (a *app) attendancePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	year := a.yearParam(r)
	stationID := statsStation(r)
	p := &attendancePage{basePage: basePage{Title: "代表出勤", Section: "receptions"}, Year: year, StationID: stationID,
		Years: yearOptions(a.thisYear()-4, a.thisYear(), year)}
	stations, err := collect(200, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
		return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Page: pg})
	})
	if err != nil {
		return err
	}
	p.Stations = []option{{Value: "", Label: "全部联络站"}}
	p.ScopeName = "所有联络站"
	for _, s := range stations {
		p.Stations = append(p.Stations, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name, Selected: s.ID == stationID})
		if s.ID == stationID {
			p.ScopeName = s.Name
		}
	}
	ac := actor(r)
	p.CanSend = lianluo.AreasOf(ac).SendAttendanceNotices
	if r.URL.Query().Get("ok") == "sent_all" {
		if n, err := strconv.Atoi(r.URL.Query().Get("n")); err == nil {
			p.Flash = fmt.Sprintf("已向%d位代表发送%d年出勤情况通报（站内消息和短信），每位代表一份。", n, year)
		}
	}
	rows, err := a.svc.Receptions.Attendance(ctx, lianluo.AttendanceFilter{Year: year, StationID: stationID})
	if err != nil {
		return err
	}
	p.Rows = attendanceViews(rows, 0)
	if stationID == 0 {
		// Per station: one query each; a town has a handful of stations.
		// A deputy of two stations is under both, and once in the total.
		p.Total.RateText = "—"
		seen := map[int64]bool{}
		for _, s := range stations {
			if len(p.PerSt) >= 50 {
				break
			}
			rs, err := a.svc.Receptions.Attendance(ctx, lianluo.AttendanceFilter{Year: year, StationID: s.ID})
			if err != nil {
				return err
			}
			sa := stationAttendance{S: s, Deputies: len(rs), RateText: "—"}
			for _, x := range rs {
				sa.Scheduled += x.Scheduled
				sa.Present += x.Present
				sa.Leave += x.Leave
				sa.Absent += x.Absent
				if !seen[x.DeputyID] {
					seen[x.DeputyID] = true
					p.Total.Deputies++
				}
			}
			if sa.Scheduled > 0 {
				sa.RateText = strconv.Itoa(sa.Present*100/sa.Scheduled) + "%"
			}
			p.PerSt = append(p.PerSt, sa)
			// Each session is one station's: the counts add up as they are.
			p.Total.Scheduled += sa.Scheduled
			p.Total.Present += sa.Present
			p.Total.Leave += sa.Leave
			p.Total.Absent += sa.Absent
		}
		if p.Total.Scheduled > 0 {
			p.Total.RateText = strconv.Itoa(p.Total.Present*100/p.Total.Scheduled) + "%"
		}
	}
	q := url.Values{"year": {strconv.Itoa(year)}}
	if stationID != 0 {
		q.Set("station_id", strconv.FormatInt(stationID, 10))
	}
	p.ExcelURL = "/console/attendance.xlsx?" + q.Encode()
	return a.render(w, r, http.StatusOK, "reception_attendance", p)
}

func (a *app) attendanceExcel(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	year := a.yearParam(r)
	f := lianluo.AttendanceFilter{Year: year}
	title := fmt.Sprintf("%d年代表进站接待出勤情况", year)
	if id, err := parseID(r.URL.Query().Get("station_id"), "station_id", "联络站"); err == nil && id != nil {
		s, err := a.svc.Stations.FindStationByID(ctx, *id)
		if err != nil {
			return err
		}
		f.StationID, title = s.ID, s.Name+title
	}
	rows, err := a.svc.Receptions.Attendance(ctx, f)
	if err != nil {
		return err
	}
	b, err := sheets.Attendance(title, rows)
	if err != nil {
		return err
	}
	if err := a.svc.Events.RecordEvent(ctx, lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return err
	}
	return sendXLSX(w, title+".xlsx", b)
}

// The notice (出勤情况通报): a printable letter to one deputy.

type noticeStation struct {
	Name string
	Rows []attendanceRowView
}

type noticePage struct {
	Title    string
	Year     int
	D        *lianluo.Deputy
	Own      attendanceRowView
	Stations []noticeStation
	Issuer   string
	Date     string
	Back     string
	CanSend  bool
	Flash    string
	Partial  bool // the year is not over: "截至…"
	AsOf     string
}

func (a *app) attendanceNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, ac := r.Context(), actor(r)
	d, err := a.svc.Deputies.FindDeputyByID(ctx, id)
	if err != nil {
		return err
	}
	year := a.yearParam(r)
	now := a.now().In(lianluo.Beijing)
	p := &noticePage{Title: fmt.Sprintf("%d年度代表进站出勤情况通报 · %s", year, d.Name), Year: year, D: d,
		Date: fmt.Sprintf("%d年%d月%d日", now.Year(), now.Month(), now.Day()), Back: "/console/attendance?year=" + strconv.Itoa(year),
		Partial: year >= now.Year(), AsOf: fmt.Sprintf("%d月%d日", now.Month(), now.Day())}
	if ac.Has(lianluo.RoleDeputy) && slices.Contains(ac.Scope.Deputies, id) && !lianluo.AreasOf(ac).SendAttendanceNotices {
		p.Back = "/console/my-receptions"
	}
	if s, ok := receptionFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	p.CanSend = ac.CanManageRegion(d.RegionCode)
	n, err := a.svc.Receptions.AttendanceNotice(ctx, id, year)
	if err != nil {
		return err
	}
	for _, st := range n.Stations {
		if ac.HeadsStation(st.StationID) {
			p.CanSend = true
		}
		p.Stations = append(p.Stations, noticeStation{Name: st.Name, Rows: attendanceViews(st.Rows, id)})
		if p.Issuer == "" {
			p.Issuer = st.Name
		}
	}
	p.Own = attendanceViews([]lianluo.AttendanceRow{n.Own}, id)[0]
	if p.Issuer == "" {
		p.Issuer = "人大代表联络站"
	}
	return a.renderPrint(w, "reception_notice", p)
}

func (a *app) attendanceSend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year := a.formYear(r)
	if _, err := a.svc.Receptions.SendAttendanceNotice(r.Context(), id, year); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/console/attendance/deputies/%d?year=%d&ok=sent", id, year))
}

// attendanceSendAll sends the year's notice to every deputy of the station
// chosen, or of every station the caller manages (once per deputy).
func (a *app) attendanceSendAll(w http.ResponseWriter, r *http.Request) error {
	year := a.formYear(r)
	in := lianluo.AttendanceNoticeScope{Year: year}
	q := url.Values{"year": {strconv.Itoa(year)}}
	if id, err := parseID(formStr(r, "station_id"), "station_id", "联络站"); err != nil {
		return err
	} else if id != nil {
		in.StationID = *id
		q.Set("station_id", strconv.FormatInt(*id, 10))
	}
	n, err := a.svc.Receptions.SendAttendanceNotices(r.Context(), in)
	if err != nil {
		return err
	}
	q.Set("ok", "sent_all")
	q.Set("n", strconv.Itoa(n))
	return redirect(w, r, "/console/attendance?"+q.Encode())
}
