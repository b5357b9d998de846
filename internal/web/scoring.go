package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"lianluo"
	"lianluo/internal/sheets"
)

// 履职积分: the deputies' yearly ranking (统计分析 › 代表履职积分) and the
// scoring table (read by the office and the stations, changed by the
// district office).

type deputyStatsPage struct {
	basePage
	Year      int
	StationID int64
	ScopeName string
	Years     []option
	Stations  []option
	Rows      []lianluo.DeputyStatsRow
	Table     lianluo.Scoring
	Min, Max  float64 // the bars' range: 0 and the extreme scores
	CanSet    bool
}

// ExcelURL is the workbook of what the page shows.
func (p *deputyStatsPage) ExcelURL() string {
	u := fmt.Sprintf("/console/stats/deputies.xlsx?year=%d", p.Year)
	if p.StationID != 0 {
		u += "&station_id=" + strconv.FormatInt(p.StationID, 10)
	}
	return u
}

// statsStation reads ?station_id= (0 when absent or bad: the page then
// shows the whole scope).
func statsStation(r *http.Request) int64 {
	if id, err := parseID(r.URL.Query().Get("station_id"), "station_id", "联络站"); err == nil && id != nil {
		return *id
	}
	return 0
}

func (a *app) deputyStatsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ac := actor(r)
	if !lianluo.CanSeeStats(ac) {
		return lianluo.Forbidden()
	}
	year, stationID := a.yearParam(r), statsStation(r)
	p := &deputyStatsPage{basePage: basePage{Title: "代表履职积分", Section: "stats"}, Year: year, StationID: stationID,
		Years: yearOptions(a.thisYear()-4, a.thisYear(), year), ScopeName: "所有联络站", CanSet: lianluo.CanSetScoring(ac)}
	stations, err := collect(200, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
		return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Page: pg})
	})
	if err != nil {
		return err
	}
	p.Stations = []option{{Value: "", Label: "全部联络站"}}
	for _, s := range stations {
		p.Stations = append(p.Stations, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name, Selected: s.ID == stationID})
		if s.ID == stationID {
			p.ScopeName = s.Name
		}
	}
	if p.Rows, err = a.svc.Stats.DeputyStats(ctx, lianluo.AttendanceFilter{Year: year, StationID: stationID}); err != nil {
		return err
	}
	if p.Table, err = a.svc.Settings.Scoring(ctx); err != nil {
		return err
	}
	for _, row := range p.Rows {
		p.Min, p.Max = min(p.Min, row.Score), max(p.Max, row.Score)
	}
	return a.render(w, r, http.StatusOK, "stats_deputies", p)
}

func (a *app) deputyStatsExcel(w http.ResponseWriter, r *http.Request) error {
	name, b, err := sheets.ExportDeputyStats(r.Context(), a.svc, lianluo.AttendanceFilter{Year: a.yearParam(r), StationID: statsStation(r)})
	if err != nil {
		return err
	}
	return sendXLSX(w, name, b)
}

type scoringPage struct {
	basePage
	S      lianluo.Scoring
	CanSet bool
	Form   formState
	Values map[string]string // what was typed, shown again with its error
}

// Value is the points field's text: as typed after an error, else saved.
func (p *scoringPage) Value(it lianluo.ScoreItem) string {
	if v, ok := p.Values[it.Key]; ok {
		return v
	}
	return lianluo.FormatPoints(it.Points)
}

// Error is the field error of the item's points.
func (p *scoringPage) Error(key string) string { return p.Form.Errors["points_"+key] }

func (a *app) scoringForm(w http.ResponseWriter, r *http.Request) error {
	ac := actor(r)
	if !lianluo.CanSeeStats(ac) && !lianluo.CanSetScoring(ac) {
		return lianluo.Forbidden()
	}
	s, err := a.svc.Settings.Scoring(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "settings_scoring",
		&scoringPage{basePage: basePage{Title: "履职积分标准", Section: "stats"}, S: s, CanSet: lianluo.CanSetScoring(ac)})
}

func (a *app) scoringSave(w http.ResponseWriter, r *http.Request) error {
	ac := actor(r)
	if !lianluo.CanSetScoring(ac) {
		return lianluo.Forbidden()
	}
	cur, err := a.svc.Settings.Scoring(r.Context())
	if err != nil {
		return err
	}
	in := lianluo.Scoring{}
	values := map[string]string{}
	fields := []string{"version"}
	for _, it := range cur.Items {
		field := "points_" + it.Key
		fields = append(fields, field)
		v := strings.TrimSpace(r.PostFormValue(field))
		values[it.Key] = v
		p, perr := strconv.ParseFloat(v, 64)
		if perr != nil && err == nil {
			err = lianluo.FieldError(field, "“%s”的分值须填写数字，例如 2 或 0.5（扣分填负数）。", it.Name)
		}
		in.Items = append(in.Items, lianluo.ScoreItem{Key: it.Key, Points: p})
	}
	if err == nil {
		in.Version, err = formVersion(r)
	}
	if err == nil {
		_, err = a.svc.Settings.UpdateScoring(r.Context(), in)
	}
	if err != nil {
		pg := &scoringPage{basePage: basePage{Title: "履职积分标准", Section: "stats"}, S: cur, CanSet: true, Values: values}
		pg.S.Version = in.Version
		if !pg.Form.take(err, fields...) {
			return err
		}
		pg.Form.ReloadURL = "/console/settings/scoring"
		return a.render(w, r, pg.Form.status(err), "settings_scoring", pg)
	}
	return redirect(w, r, "/console/settings/scoring?ok=saved")
}

// The 履职档案 (performance record) of a deputy for a year: an A4 document
// with a bar to choose the year, print it or take it as Excel.

type deputyRecordPrint struct {
	Title string
	R     *lianluo.DeputyRecord
	Years []option
	Back  string
}

// Stations names the deputy's stations.
func (p *deputyRecordPrint) Stations() string {
	var names []string
	for _, s := range p.R.Deputy.Stations {
		names = append(names, s.Name)
	}
	return strings.Join(names, "、")
}

func (a *app) deputyRecordPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year := a.yearParam(r)
	rec, err := a.svc.Deputies.DeputyRecord(r.Context(), id, year)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/console/deputies/%d", id)
	if ac := actor(r); ac.IsDeputy(id) && !lianluo.CanSeeStats(ac) {
		back = "/console/"
	}
	return a.renderPrint(w, "deputy_record", &deputyRecordPrint{Title: fmt.Sprintf("%s代表%d年度履职档案", rec.Deputy.Name, year), R: rec,
		Years: yearOptions(a.thisYear()-4, a.thisYear(), year), Back: back})
}

func (a *app) deputyRecordExcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportDeputyRecord(r.Context(), a.svc, id, a.yearParam(r))
	if err != nil {
		return err
	}
	return sendXLSX(w, name, b)
}
