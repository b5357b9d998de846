package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/ical"
	"lianluo/internal/qr"
)

// The station's sign-in code (签到码: the QR code deputies scan at the
// station, 002 实行活动签到) and the calendar feed phones subscribe to.

func (a *app) signInURL(r *http.Request, stationID int64) string {
	return a.baseURL(r) + fmt.Sprintf("/console/signin/%d", stationID)
}

func (a *app) signInQR(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := a.svc.Stations.FindStationByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeStaffQR(w, a.signInURL(r, s.ID))
}

// writeStaffQR answers with the PNG of a code for text that a staff page
// prints (a station's sign-in, a ballot's unguessable address): kept by the
// browser only, never by a shared cache.
func writeStaffQR(w http.ResponseWriter, text string) error {
	code, err := qr.Encode(text)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(code.PNG(10))
	return err
}

type signInPoster struct {
	Title string
	S     *lianluo.Station
	URL   string
	Back  string
}

func (a *app) signInPosterPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := a.svc.Stations.FindStationByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.renderPrint(w, "reception_signin_poster", &signInPoster{Title: s.Name + " 代表签到码", S: s, URL: a.signInURL(r, s.ID),
		Back: fmt.Sprintf("/console/stations/%d/receptions", s.ID)})
}

// icalFeed serves GET /ical/{token}(.ics) without a login: the token is the
// secret (sqlstore.FeedToken), so the address must not be shared.
func (a *app) icalFeed(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	feed, err := a.svc.Receptions.Feed(r.Context(), token)
	if err != nil {
		return err
	}
	cal := &ical.Calendar{Name: feed.Name, TimeZone: "Asia/Shanghai", Refresh: 6 * time.Hour}
	for _, e := range feed.Events {
		cal.Events = append(cal.Events, ical.Event{UID: e.UID, Start: e.Start, End: e.End, Summary: e.Summary,
			Location: e.Location, Description: e.Description, Updated: e.Updated, Cancelled: e.Cancelled})
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="lianluo.ics"`)
	h.Set("Cache-Control", "private, max-age=600")
	_, err = w.Write(cal.Marshal(a.now()))
	return err
}
