package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"lianluo"
	"lianluo/internal/qr"
)

// A station's public page (上墙公布 online — 001 二(五)), its QR codes and
// its printable A4 poster (扫码反映).

type publicStationPage struct {
	publicBase
	S        *lianluo.PublicStation
	Deputies []deputyCard
	// Workflow is the board's workflow, or lianluo.DefaultWorkflow, cut
	// into numbered steps where it is written "A → B → C".
	Workflow  []string
	SubmitURL string // absolute, as the QR code and the poster carry it
	// Sessions are the next published receptions of the rota (排班表).
	Sessions []publicSession
	// Activities are the next published activities (003: 向社会公布).
	Activities []publicActivity
}

// publicSession is a published reception as voters read it.
type publicSession struct {
	Day, Time, Form, Deputies, Moved string
}

// publicSessionsShown is how many coming receptions the page and poster list.
const publicSessionsShown = 6

func (a *app) publicSessions(r *http.Request, stationID int64) ([]publicSession, error) {
	list, err := a.svc.Receptions.PublicReceptions(r.Context(), stationID, a.now(), publicSessionsShown)
	if err != nil {
		return nil, err
	}
	out := make([]publicSession, len(list))
	for i, rc := range list {
		out[i] = publicSession{Day: fmt.Sprintf("%d年%s", rc.StartsAt.In(lianluo.Beijing).Year(), dayText(rc.StartsAt)),
			Time: timeSpan(rc), Form: formText(rc.Form, rc.Theme), Deputies: deputyNames(rc), Moved: movedText(rc)}
	}
	return out, nil
}

// deputyCard is a deputy in a station's list.
type deputyCard struct {
	*lianluo.PublicDeputy
	Initial string // shown when there is no portrait
	Seats   string // 北仑区人大代表…
}

// deputyCards lists a station's deputies; their seats are named after the
// station's region, where they serve.
func (a *app) deputyCards(ctx context.Context, ds []*lianluo.PublicDeputy, region string) []deputyCard {
	names := a.seatNamer(ctx)
	out := make([]deputyCard, len(ds))
	for i, d := range ds {
		out[i] = deputyCard{PublicDeputy: d, Initial: initial(d.Name), Seats: names.text(d.Seats, region)}
	}
	return out
}

// workflowSteps cuts "A → B → C" into its steps.
func workflowSteps(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "→") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (a *app) loadPublicStation(r *http.Request) (*publicStationPage, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, notFoundAs(err, stationGone)
	}
	s, err := a.svc.Public.PublicStation(r.Context(), id)
	if err != nil {
		return nil, notFoundAs(err, stationGone)
	}
	workflow := s.Board.Workflow
	if strings.TrimSpace(workflow) == "" {
		workflow = lianluo.DefaultWorkflow
	}
	sessions, err := a.publicSessions(r, s.ID)
	if err != nil {
		return nil, err
	}
	activities, err := a.publicActivities(r, s.ID)
	if err != nil {
		return nil, err
	}
	return &publicStationPage{publicBase: publicBase{Title: s.Name}, S: s, Deputies: a.deputyCards(r.Context(), s.Deputies, s.RegionCode),
		Workflow: workflowSteps(workflow), SubmitURL: a.baseURL(r) + "/submit?station=" + strconv.FormatInt(s.ID, 10),
		Sessions: sessions, Activities: activities}, nil
}

func (a *app) publicStation(w http.ResponseWriter, r *http.Request) error {
	p, err := a.loadPublicStation(r)
	if err != nil {
		return err
	}
	return a.renderPublic(w, r, http.StatusOK, "public_station", p)
}

// stationPoster is the A4 poster a station prints for its wall and door.
func (a *app) stationPoster(w http.ResponseWriter, r *http.Request) error {
	p, err := a.loadPublicStation(r)
	if err != nil {
		return err
	}
	p.Title = p.S.Name + " · 扫码反映"
	p.Poster = true
	return a.renderPublic(w, r, http.StatusOK, "public_poster", p)
}

func (a *app) stationQR(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return notFoundAs(err, stationGone)
	}
	if _, err := a.svc.Public.PublicStation(r.Context(), id); err != nil {
		return notFoundAs(err, stationGone)
	}
	return a.writeQR(w, r, fmt.Sprintf("/submit?station=%d", id))
}

func (a *app) deputyQR(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return notFoundAs(err, deputyGone)
	}
	if _, err := a.svc.Public.PublicDeputy(r.Context(), id); err != nil {
		return notFoundAs(err, deputyGone)
	}
	return a.writeQR(w, r, fmt.Sprintf("/submit?deputy=%d", id))
}

// writeQR answers {…}/qr.png or {…}/qr.svg with the code of the absolute
// address of path.
func (a *app) writeQR(w http.ResponseWriter, r *http.Request, path string) error {
	code, err := qr.Encode(a.baseURL(r) + path)
	if err != nil {
		return err
	}
	var body []byte
	h := w.Header()
	if strings.HasSuffix(r.URL.Path, ".svg") {
		h.Set("Content-Type", "image/svg+xml")
		body = code.SVG()
	} else {
		h.Set("Content-Type", "image/png")
		// 10 px a module: about 4 cm at 300 dpi, sharp on a poster or a screen.
		body = code.PNG(10)
	}
	if a.publicURL != "" {
		h.Set("Cache-Control", "public, max-age=86400")
	} else {
		// Derived from the Host header: a shared cache must not keep a
		// code someone asked for under another Host.
		h.Set("Cache-Control", "private, max-age=86400")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if _, err := w.Write(body); err != nil {
		a.log.Debug("write qr", "err", err)
	}
	return nil
}
