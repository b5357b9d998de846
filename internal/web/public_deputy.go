package web

import (
	"net/http"
	"strconv"

	"lianluo"
)

// A deputy's public profile and portrait: never a phone number (the
// lianluo.PublicDeputy type carries none).

type publicDeputyPage struct {
	publicBase
	D       *lianluo.PublicDeputy
	Initial string
	Seats   string            // 北仑区人大代表…
	Levels  map[string]string // seat level → its name after the region
}

func (a *app) publicDeputy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return notFoundAs(err, deputyGone)
	}
	d, err := a.svc.Public.PublicDeputy(r.Context(), id)
	if err != nil {
		return notFoundAs(err, deputyGone)
	}
	names, levels := a.seatNamer(r.Context()), map[string]string{}
	for _, s := range d.Seats {
		levels[s.Level] = names.public(&lianluo.PublicDeputy{Seats: []lianluo.Seat{s}, Stations: d.Stations})
	}
	return a.renderPublic(w, r, http.StatusOK, "public_deputy", &publicDeputyPage{
		publicBase: publicBase{Title: d.Name + " 代表"}, D: d, Initial: initial(d.Name), Seats: names.public(d), Levels: levels})
}

// deputyPhoto serves the portrait of a deputy in office. The console's
// deputy page shows it too.
func (a *app) deputyPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return notFoundAs(err, "没有这张照片。")
	}
	p, err := a.svc.Public.DeputyPhoto(r.Context(), id)
	if err != nil {
		return notFoundAs(err, "没有这张照片。")
	}
	h := w.Header()
	h.Set("Content-Type", p.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(p.Data)))
	h.Set("Cache-Control", "public, max-age=3600")
	if !p.UpdatedAt.IsZero() {
		h.Set("Last-Modified", p.UpdatedAt.UTC().Format(http.TimeFormat))
	}
	if _, err := w.Write(p.Data); err != nil {
		a.log.Debug("write photo", "err", err)
	}
	return nil
}
