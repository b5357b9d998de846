package api

import (
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
