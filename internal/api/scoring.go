package api

import (
	"context"
	"net/http"

	"lianluo"
	"lianluo/internal/sheets"
)

// 履职积分: the scoring table (read by anyone signed in, changed by the
// district office) and the deputies' yearly figures ranked by score.

func (h *Handler) getScoring(w http.ResponseWriter, r *http.Request) error {
	s, err := h.svc.Settings.Scoring(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) putScoring(w http.ResponseWriter, r *http.Request) error {
	var s lianluo.Scoring
	if err := decode(r, &s); err != nil {
		return err
	}
	saved, err := h.svc.Settings.UpdateScoring(r.Context(), s)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, saved)
}

// deputyStatsFilter reads ?year= (this year by default), ?station_id= and ?region=.
func (h *Handler) deputyStatsFilter(r *http.Request) (lianluo.AttendanceFilter, error) {
	q := query{r: r}
	f := lianluo.AttendanceFilter{Year: q.receptionYear(h.now()), StationID: q.int64("station_id"), Region: q.str("region")}
	return f, q.err
}

func (h *Handler) deputyStats(w http.ResponseWriter, r *http.Request) error {
	f, err := h.deputyStatsFilter(r)
	if err != nil {
		return err
	}
	rows, err := h.svc.Stats.DeputyStats(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, rows, len(rows))
}

func (h *Handler) deputyStatsSheet(w http.ResponseWriter, r *http.Request) error {
	f, err := h.deputyStatsFilter(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportDeputyStats(r.Context(), h.svc, f)
	if err != nil {
		return err
	}
	return writeXLSX(w, name, b)
}

// getByIDAndYear answers GET …/{id}/…?year= (this year by default) with
// what get returns for them: a deputy's record or 六个一, a group's 六个一.
func getByIDAndYear[T any](h *Handler, w http.ResponseWriter, r *http.Request, get func(ctx context.Context, id int64, year int) (T, error)) error {
	id, year, err := h.idAndYear(r)
	if err != nil {
		return err
	}
	v, err := get(r.Context(), id, year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (h *Handler) deputyRecord(w http.ResponseWriter, r *http.Request) error {
	return getByIDAndYear(h, w, r, h.svc.Deputies.DeputyRecord)
}

func (h *Handler) deputySixOnes(w http.ResponseWriter, r *http.Request) error {
	return getByIDAndYear(h, w, r, h.svc.SixOnes.DeputySixOnes)
}

func (h *Handler) groupSixOnes(w http.ResponseWriter, r *http.Request) error {
	return getByIDAndYear(h, w, r, h.svc.SixOnes.GroupSixOnes)
}

func (h *Handler) deputyRecordSheet(w http.ResponseWriter, r *http.Request) error {
	id, year, err := h.idAndYear(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportDeputyRecord(r.Context(), h.svc, id, year)
	if err != nil {
		return err
	}
	return writeXLSX(w, name, b)
}
