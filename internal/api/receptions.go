package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/sheets"
)

// Receptions (接待活动): rules, the rota, sessions, sign-in,
// leave, records, photos, unavailability, attendance and calendar links.

func (h *Handler) createReceptionRule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var rule lianluo.ReceptionRule
	if err := decode(r, &rule); err != nil {
		return err
	}
	rule.StationID = id
	if err := h.svc.Receptions.CreateReceptionRule(r.Context(), &rule); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, &rule)
}

func (h *Handler) listReceptionRules(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	items, err := h.svc.Receptions.FindReceptionRules(r.Context(), id)
	if err != nil {
		return err
	}
	return writeList(w, items, len(items))
}

func (h *Handler) updateReceptionRule(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.ReceptionRuleUpdate) int { return u.Version }, h.svc.Receptions.UpdateReceptionRule)
}

type yearRequest struct {
	Year int `json:"year"`
}

type publishResult struct {
	Published int `json:"published"`
}

func (h *Handler) generateRota(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[yearRequest](r)
	if err != nil {
		return err
	}
	rota, err := h.svc.Receptions.GenerateRota(r.Context(), id, in.Year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rota)
}

func (h *Handler) publishRota(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[publishRequest](r)
	if err != nil {
		return err
	}
	publish := h.svc.Receptions.PublishRota
	if in.Accept {
		publish = h.svc.Receptions.PublishRotaAccepting
	}
	n, err := publish(r.Context(), id, in.Year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, publishResult{Published: n})
}

// receptionYear reads ?year=, the year of now (Beijing) when absent.
func (q *query) receptionYear(now time.Time) int {
	if q.str("year") == "" {
		return now.In(lianluo.Beijing).Year()
	}
	y := int(q.int64("year"))
	if (y < 2000 || y > 2100) && q.err == nil {
		q.err = lianluo.FieldError("year", "参数 year 须为年份，例如 2026。")
	}
	return y
}

// idAndYear reads the path's id and ?year= (this year by default).
func (h *Handler) idAndYear(r *http.Request) (int64, int, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	q := query{r: r}
	year := q.receptionYear(h.now())
	return id, year, q.err
}

func (h *Handler) rotaProblems(w http.ResponseWriter, r *http.Request) error {
	id, year, err := h.idAndYear(r)
	if err != nil {
		return err
	}
	items, err := h.svc.Receptions.CheckRota(r.Context(), id, year)
	if err != nil {
		return err
	}
	return writeList(w, items, len(items))
}

func (h *Handler) listReceptions(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.ReceptionFilter{StationID: q.int64("station_id"), DeputyID: q.int64("deputy_id"), Status: q.str("status"),
		From: q.date("from", false), To: q.date("to", true), Page: q.page()}
	if f.Status != "" {
		if _, ok := lianluo.ReceptionStatusNames[f.Status]; !ok && q.err == nil {
			q.err = lianluo.FieldError("status", "参数 status 须为 draft、published 或 cancelled。")
		}
	}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Receptions.FindReceptions(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) getReception(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Receptions.FindReceptionByID)
}

func (h *Handler) updateReception(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.ReceptionUpdate) int { return u.Version }, h.svc.Receptions.UpdateReception)
}

// actOn runs an action on the record {id} with a decoded body (none may
// be sent when every field is optional) and answers the record.
func actOn[T, R any](w http.ResponseWriter, r *http.Request, fn func(id int64, in T) (R, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in T
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	x, err := fn(id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

// recordRequest is a session's record (接待记录) with the session's version.
type recordRequest struct {
	Version            int    `json:"version"`
	Visitors           int    `json:"visitors"`
	Minutes            string `json:"minutes"`
	Satisfied          int    `json:"satisfied"`
	BasicallySatisfied int    `json:"basically_satisfied"`
	Unsatisfied        int    `json:"unsatisfied"`
}

func (h *Handler) recordReception(w http.ResponseWriter, r *http.Request) error {
	return actOn(w, r, func(id int64, in recordRequest) (*lianluo.Reception, error) {
		if in.Version <= 0 {
			return nil, lianluo.FieldError("version", "请提供记录的当前版本号（version），以免覆盖他人的修改。")
		}
		return h.svc.Receptions.RecordReception(r.Context(), id, in.Version, lianluo.ReceptionRecord{
			Visitors: in.Visitors, Minutes: in.Minutes, Satisfied: in.Satisfied,
			BasicallySatisfied: in.BasicallySatisfied, Unsatisfied: in.Unsatisfied})
	})
}

func (h *Handler) listUnavailability(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	items, err := h.svc.Receptions.FindUnavailability(r.Context(), id)
	if err != nil {
		return err
	}
	return writeList(w, items, len(items))
}

type unavailabilityRequest struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

func (h *Handler) addUnavailability(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[unavailabilityRequest](r)
	if err != nil {
		return err
	}
	u := &lianluo.Unavailability{DeputyID: id, From: in.From, To: in.To, Reason: in.Reason}
	if err := h.svc.Receptions.AddUnavailability(r.Context(), u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

func (h *Handler) deleteUnavailability(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Receptions.DeleteUnavailability(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// attendanceItem is an attendance row with its rate (出席率, percent).
type attendanceItem struct {
	DeputyID  int64  `json:"deputy_id"`
	Name      string `json:"name"`
	Stations  string `json:"stations"`
	Scheduled int    `json:"scheduled"`
	Present   int    `json:"present"`
	Leave     int    `json:"leave"`
	Absent    int    `json:"absent"`
	Rate      int    `json:"rate"`

	Activities        int `json:"activities"` // 代表活动
	ActivitiesPresent int `json:"activities_present"`
	ActivitiesLeave   int `json:"activities_leave"`
	ActivitiesAbsent  int `json:"activities_absent"`
}

func (h *Handler) attendanceRows(r *http.Request) (lianluo.AttendanceFilter, []lianluo.AttendanceRow, error) {
	q := query{r: r}
	f := lianluo.AttendanceFilter{Year: q.receptionYear(h.now()), StationID: q.int64("station_id"), Region: q.str("region")}
	if q.err != nil {
		return f, nil, q.err
	}
	rows, err := h.svc.Receptions.Attendance(r.Context(), f)
	return f, rows, err
}

func (h *Handler) attendance(w http.ResponseWriter, r *http.Request) error {
	_, rows, err := h.attendanceRows(r)
	if err != nil {
		return err
	}
	items := make([]attendanceItem, 0, len(rows))
	for _, x := range rows {
		items = append(items, attendanceItem{DeputyID: x.DeputyID, Name: x.Name, Stations: x.Stations, Scheduled: x.Scheduled,
			Present: x.Present, Leave: x.Leave, Absent: x.Absent, Rate: x.Rate(),
			Activities: x.Activities, ActivitiesPresent: x.ActivitiesPresent, ActivitiesLeave: x.ActivitiesLeave, ActivitiesAbsent: x.ActivitiesAbsent})
	}
	return writeList(w, items, len(items))
}

func (h *Handler) attendanceSheet(w http.ResponseWriter, r *http.Request) error {
	f, rows, err := h.attendanceRows(r)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%d年代表进站接待出勤情况", f.Year)
	if f.StationID != 0 {
		st, err := h.svc.Stations.FindStationByID(r.Context(), f.StationID)
		if err != nil {
			return err
		}
		title = st.Name + title
	}
	b, err := sheets.Attendance(title, rows)
	if err != nil {
		return err
	}
	if err := h.svc.Events.RecordEvent(r.Context(), lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return err
	}
	return writeXLSX(w, title+".xlsx", b)
}

type feedLink struct {
	URL string `json:"url"`
}

// requestBase is the server's address as the caller reached it; a reverse
// proxy terminating TLS says so in X-Forwarded-Proto.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (h *Handler) calendarLink(kind string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		token, err := h.svc.Receptions.FeedToken(r.Context(), kind, id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, feedLink{URL: requestBase(r) + "/ical/" + token + ".ics"})
	}
}

// servePhoto answers {…}/{id}/photos/{n} with the n-th photo get returns,
// kept out of shared caches.
func servePhoto(w http.ResponseWriter, r *http.Request, get func(ctx context.Context, id int64, n int) (*lianluo.Photo, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return lianluo.NotFound("照片")
	}
	p, err := get(r.Context(), id, n)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(p.Data)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(p.Data)
	return err
}

type noticesResult struct {
	Sent int `json:"sent"`
}

// sendAttendanceNotices sends the year's notice to every in-office deputy
// of one station or of every station the caller manages: once per deputy
// per call, however many of those stations they serve.
func (h *Handler) sendAttendanceNotices(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.AttendanceNoticeScope
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := h.svc.Receptions.SendAttendanceNotices(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, noticesResult{Sent: n})
}

// attendanceNotice is one deputy's notice for a year (?year=, this year by default).
func (h *Handler) attendanceNotice(w http.ResponseWriter, r *http.Request) error {
	id, year, err := h.idAndYear(r)
	if err != nil {
		return err
	}
	n, err := h.svc.Receptions.AttendanceNotice(r.Context(), id, year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

// sendAttendanceNotice sends the year's notice to one deputy.
func (h *Handler) sendAttendanceNotice(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[yearRequest](r)
	if err != nil {
		return err
	}
	text, err := h.svc.Receptions.SendAttendanceNotice(r.Context(), id, in.Year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, noticeSent{Sent: 1, Text: text})
}

type noticeSent struct {
	Sent int    `json:"sent"`
	Text string `json:"text"` // the text sent (in-app and SMS)
}

type publishRequest struct {
	Year   int  `json:"year"`
	Accept bool `json:"accept"` // publish a year with too few sessions for every deputy, accepting it
}

func (h *Handler) addRotaSessions(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[yearRequest](r)
	if err != nil {
		return err
	}
	rota, err := h.svc.Receptions.AddRotaSessions(r.Context(), id, in.Year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rota)
}
