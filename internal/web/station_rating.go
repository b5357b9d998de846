package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"lianluo"
	"lianluo/internal/sheets"
)

// 星级联络站评定: the stations' yearly ranking (统计分析 › 联络站评分), the
// rating table (read by the office and the stations, changed by the
// district office) and each station's standards (九有).

type stationStatsPage struct {
	basePage
	Year      int
	ScopeName string
	Years     []option
	Rows      []lianluo.StationStatsRow
	Table     lianluo.StationRating
	CanSet    bool
}

// ExcelURL is the workbook of what the page shows.
func (p *stationStatsPage) ExcelURL() string {
	return fmt.Sprintf("/console/stats/stations.xlsx?year=%d", p.Year)
}

// Pct writes a rate as a percentage ("—" when not measured).
func (p *stationStatsPage) Pct(r *float64) string {
	if r == nil {
		return "—"
	}
	return lianluo.FormatPoints(math.Round(*r*1000)/10) + "%"
}

// RateValue is a measured rate for a <meter>.
func (p *stationStatsPage) RateValue(r *float64) float64 {
	if r == nil {
		return 0
	}
	return *r
}

// GradeName is the grade's Chinese name.
func (p *stationStatsPage) GradeName(g string) string { return lianluo.GradeNames[g] }

// Figures are the counts behind an item's rate, as "举行 4/4".
func (p *stationStatsPage) Figures(r lianluo.StationStatsRow, key string) string {
	switch key {
	case lianluo.RateReceptions:
		return fmt.Sprintf("举行 %d/%d 场", r.ReceptionsHeld, r.ReceptionsScheduled)
	case lianluo.RateAttendance:
		return fmt.Sprintf("出席 %d/%d 人次", r.ReceptionPresent, r.ReceptionSeats)
	case lianluo.RateActivities:
		return fmt.Sprintf("%d 次（应不少于 %d 次）", r.Activities, lianluo.ActivitiesNorm)
	case lianluo.RateParticipation:
		return fmt.Sprintf("出席 %d/%d 人次", r.ActivityPresent, r.ActivityInvited)
	case lianluo.RateResponse:
		return fmt.Sprintf("有回音 %d/%d 件", r.Cases.Responded, r.Cases.Received)
	case lianluo.RateSatisfaction:
		return fmt.Sprintf("满意 %d/%d 件", r.Cases.Satisfied, r.Cases.Rated)
	case lianluo.RateMailbox:
		return fmt.Sprintf("开箱 %d/%d 周", r.MailboxWeeksOpened, r.MailboxWeeks)
	case lianluo.RateChecklist:
		return fmt.Sprintf("达标 %d/%d 项", r.ChecklistDone, r.ChecklistTotal)
	}
	return ""
}

func (a *app) stationStatsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ac := actor(r)
	if !lianluo.CanSeeStats(ac) {
		return lianluo.Forbidden()
	}
	year := a.yearParam(r)
	p := &stationStatsPage{basePage: basePage{Title: "联络站评分", Section: "stats"}, Year: year,
		Years: yearOptions(a.thisYear()-4, a.thisYear(), year), ScopeName: "所有联络站", CanSet: lianluo.CanSetScoring(ac)}
	var err error
	if p.Rows, err = a.svc.Stats.StationStats(ctx, lianluo.AttendanceFilter{Year: year}); err != nil {
		return err
	}
	if p.Table, err = a.svc.Settings.StationRating(ctx); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "stats_stations", p)
}

func (a *app) stationStatsExcel(w http.ResponseWriter, r *http.Request) error {
	name, b, err := sheets.ExportStationStats(r.Context(), a.svc, lianluo.AttendanceFilter{Year: a.yearParam(r)})
	if err != nil {
		return err
	}
	return sendXLSX(w, name, b)
}

type stationRatingPage struct {
	basePage
	S      lianluo.StationRating
	CanSet bool
	Form   formState
	Values map[string]string // what was typed, shown again with its error
}

// Value is a field's text: as typed after an error, else saved.
func (p *stationRatingPage) Value(field, saved string) string {
	if v, ok := p.Values[field]; ok {
		return v
	}
	return saved
}

// Error is the field's error.
func (p *stationRatingPage) Error(field string) string { return p.Form.Errors[field] }

func (a *app) stationRatingForm(w http.ResponseWriter, r *http.Request) error {
	ac := actor(r)
	if !lianluo.CanSeeStats(ac) && !lianluo.CanSetScoring(ac) {
		return lianluo.Forbidden()
	}
	s, err := a.svc.Settings.StationRating(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "settings_station_rating",
		&stationRatingPage{basePage: basePage{Title: "联络站评分标准", Section: "stats"}, S: s, CanSet: lianluo.CanSetScoring(ac)})
}

func (a *app) stationRatingSave(w http.ResponseWriter, r *http.Request) error {
	ac := actor(r)
	if !lianluo.CanSetScoring(ac) {
		return lianluo.Forbidden()
	}
	cur, err := a.svc.Settings.StationRating(r.Context())
	if err != nil {
		return err
	}
	in := lianluo.StationRating{}
	values := map[string]string{}
	fields := []string{"version", "green", "yellow"}
	number := func(field, name string) float64 {
		v := strings.TrimSpace(r.PostFormValue(field))
		values[field] = v
		n, perr := strconv.ParseFloat(v, 64)
		if perr != nil && err == nil {
			err = lianluo.FieldError(field, "“%s”须填写数字，例如 15 或 7.5。", name)
		}
		return n
	}
	for _, it := range cur.Items {
		field := "weight_" + it.Key
		fields = append(fields, field)
		in.Items = append(in.Items, lianluo.RatingItem{Key: it.Key, Weight: number(field, it.Name)})
	}
	in.Green = number("green", "绿色（先进）分数线")
	in.Yellow = number("yellow", "黄色（合格）分数线")
	if err == nil {
		in.Version, err = formVersion(r)
	}
	if err == nil {
		_, err = a.svc.Settings.UpdateStationRating(r.Context(), in)
	}
	if err != nil {
		pg := &stationRatingPage{basePage: basePage{Title: "联络站评分标准", Section: "stats"}, S: cur, CanSet: true, Values: values}
		pg.S.Version = in.Version
		if !pg.Form.take(err, fields...) {
			return err
		}
		pg.Form.ReloadURL = "/console/settings/station-rating"
		return a.render(w, r, pg.Form.status(err), "settings_station_rating", pg)
	}
	return redirect(w, r, "/console/settings/station-rating?ok=saved")
}

type stationChecklistPage struct {
	basePage
	C     *lianluo.StationChecklist
	Today string
	Form  formState
	Item  string // the item whose form had the error
	Date  string // what was typed there
	// PicItem and PicErr: the item whose photo was refused, and why.
	PicItem, PicErr string
	MaxPics         int
}

// Pics are 1…n of an entry's photos, for …/photos/{n}.
func (p *stationChecklistPage) Pics(e lianluo.ChecklistEntry) []int {
	out := make([]int, e.Photos)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// PicError is the refusal of the item's photo.
func (p *stationChecklistPage) PicError(key string) string {
	if key != p.PicItem {
		return ""
	}
	return p.PicErr
}

// Error is the error of the item's form.
func (p *stationChecklistPage) Error(key string) string {
	if key != p.Item {
		return ""
	}
	return p.Form.Errors["date"]
}

// DateValue is the item's date field: as typed after an error, else today.
func (p *stationChecklistPage) DateValue(key string) string {
	if key == p.Item {
		return p.Date
	}
	return p.Today
}

func (a *app) stationChecklist(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.svc.Stations.StationChecklist(r.Context(), id)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "station_checklist", &stationChecklistPage{basePage: basePage{Title: c.Name + "标准达标情况", Section: "stations"},
		C: c, Today: a.now().In(lianluo.Beijing).Format("2006-01-02"), MaxPics: lianluo.MaxChecklistPhotos})
}

func (a *app) stationChecklistTick(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	item := r.PathValue("item")
	t := lianluo.ChecklistTick{Done: r.PostFormValue("done") == "true", Date: strings.TrimSpace(r.PostFormValue("date"))}
	t.Version, err = formVersion(r)
	if err == nil {
		_, err = a.svc.Stations.TickChecklist(r.Context(), id, item, t)
	}
	if err != nil {
		c, cerr := a.svc.Stations.StationChecklist(r.Context(), id)
		if cerr != nil {
			return cerr
		}
		pg := &stationChecklistPage{basePage: basePage{Title: c.Name + "标准达标情况", Section: "stations"}, C: c,
			Today: a.now().In(lianluo.Beijing).Format("2006-01-02"), Item: item, Date: t.Date, MaxPics: lianluo.MaxChecklistPhotos}
		if !pg.Form.take(err, "date", "version") {
			return err
		}
		pg.Form.ReloadURL = fmt.Sprintf("/console/stations/%d/checklist", id)
		return a.render(w, r, pg.Form.status(err), "station_checklist", pg)
	}
	return redirect(w, r, fmt.Sprintf("/console/stations/%d/checklist?ok=saved#item-%s", id, item))
}

// stationChecklistPhotoUpload keeps a photo of one standard.
func (a *app) stationChecklistPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	item := r.PathValue("item")
	data, err := readPhotoField(r, "photo")
	if err == nil {
		_, err = a.svc.Stations.AddChecklistPhoto(r.Context(), id, item, data)
	}
	if err != nil {
		switch c := lianluo.ErrorCode(err); c {
		case lianluo.EINVALID, lianluo.ETOOLARGE, lianluo.ESTATE:
			cl, cerr := a.svc.Stations.StationChecklist(r.Context(), id)
			if cerr != nil {
				return cerr
			}
			pg := &stationChecklistPage{basePage: basePage{Title: cl.Name + "标准达标情况", Section: "stations"}, C: cl,
				Today: a.now().In(lianluo.Beijing).Format("2006-01-02"), PicItem: item, PicErr: lianluo.ErrorMessage(err), MaxPics: lianluo.MaxChecklistPhotos}
			return a.render(w, r, errorStatus(c), "station_checklist", pg)
		}
		return err
	}
	return redirect(w, r, fmt.Sprintf("/console/stations/%d/checklist?ok=photo#item-%s", id, item))
}

// stationChecklistPhoto answers …/checklist/{item}/photos/{n}, kept out of shared caches.
func (a *app) stationChecklistPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return lianluo.NotFound("照片")
	}
	p, err := a.svc.Stations.ChecklistPhoto(r.Context(), id, r.PathValue("item"), n)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(p.Data)
	return err
}
