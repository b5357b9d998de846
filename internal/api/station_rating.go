package api

import (
	"context"
	"net/http"

	"lianluo"
	"lianluo/internal/sheets"
)

// 星级联络站评定: the rating table (read by anyone signed in, changed by
// the district office) and the stations' yearly figures ranked by score.

func (h *Handler) getStationRating(w http.ResponseWriter, r *http.Request) error {
	s, err := h.svc.Settings.StationRating(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) putStationRating(w http.ResponseWriter, r *http.Request) error {
	var s lianluo.StationRating
	if err := decode(r, &s); err != nil {
		return err
	}
	saved, err := h.svc.Settings.UpdateStationRating(r.Context(), s)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, saved)
}

func (h *Handler) stationStats(w http.ResponseWriter, r *http.Request) error {
	f, err := h.deputyStatsFilter(r)
	if err != nil {
		return err
	}
	rows, err := h.svc.Stats.StationStats(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, rows, len(rows))
}

func (h *Handler) stationStatsSheet(w http.ResponseWriter, r *http.Request) error {
	f, err := h.deputyStatsFilter(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportStationStats(r.Context(), h.svc, f)
	if err != nil {
		return err
	}
	return writeXLSX(w, name, b)
}

// The stations' standards (九有): the list, and each station's ticks.

func (h *Handler) getChecklist(w http.ResponseWriter, r *http.Request) error {
	l, err := h.svc.Settings.Checklist(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (h *Handler) putChecklist(w http.ResponseWriter, r *http.Request) error {
	var l lianluo.Checklist
	if err := decode(r, &l); err != nil {
		return err
	}
	saved, err := h.svc.Settings.UpdateChecklist(r.Context(), l)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, saved)
}

func (h *Handler) getChecklistOf(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Stations.StationChecklist)
}

func (h *Handler) tickChecklist(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var t lianluo.ChecklistTick
	if err := decode(r, &t); err != nil {
		return err
	}
	c, err := h.svc.Stations.TickChecklist(r.Context(), id, r.PathValue("item"), t)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) addChecklistPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := readPhoto(w, r)
	if err != nil {
		return err
	}
	c, err := h.svc.Stations.AddChecklistPhoto(r.Context(), id, r.PathValue("item"), data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) checklistPhoto(w http.ResponseWriter, r *http.Request) error {
	item := r.PathValue("item")
	return servePhoto(w, r, func(ctx context.Context, id int64, n int) (*lianluo.Photo, error) {
		return h.svc.Stations.ChecklistPhoto(ctx, id, item, n)
	})
}
