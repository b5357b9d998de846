package api

import (
	"fmt"
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

// deputyStatsRows reads ?year= (this year by default), ?station_id= and
// ?region= and lists the rows.
func (h *Handler) deputyStatsRows(r *http.Request) (lianluo.AttendanceFilter, []lianluo.DeputyStatsRow, error) {
	q := query{r: r}
	f := lianluo.AttendanceFilter{Year: q.receptionYear(h.now()), StationID: q.int64("station_id"), Region: q.str("region")}
	if q.err != nil {
		return f, nil, q.err
	}
	rows, err := h.svc.Stats.DeputyStats(r.Context(), f)
	return f, rows, err
}

func (h *Handler) deputyStats(w http.ResponseWriter, r *http.Request) error {
	_, rows, err := h.deputyStatsRows(r)
	if err != nil {
		return err
	}
	return writeList(w, rows, len(rows))
}

func (h *Handler) deputyStatsSheet(w http.ResponseWriter, r *http.Request) error {
	f, rows, err := h.deputyStatsRows(r)
	if err != nil {
		return err
	}
	table, err := h.svc.Settings.Scoring(r.Context())
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%d年代表履职积分", f.Year)
	if f.StationID != 0 {
		st, err := h.svc.Stations.FindStationByID(r.Context(), f.StationID)
		if err != nil {
			return err
		}
		title = st.Name + title
	}
	b, err := sheets.DeputyStats(title, rows, table)
	if err != nil {
		return err
	}
	if err := h.svc.Events.RecordEvent(r.Context(), lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return err
	}
	return writeXLSX(w, title+".xlsx", b)
}

// deputyRecord answers the deputy's 履职档案 for ?year= (this year by default).
func (h *Handler) deputyRecord(w http.ResponseWriter, r *http.Request) error {
	id, year, err := h.idAndYear(r)
	if err != nil {
		return err
	}
	rec, err := h.svc.Deputies.DeputyRecord(r.Context(), id, year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}

func (h *Handler) deputyRecordSheet(w http.ResponseWriter, r *http.Request) error {
	id, year, err := h.idAndYear(r)
	if err != nil {
		return err
	}
	rec, err := h.svc.Deputies.DeputyRecord(r.Context(), id, year)
	if err != nil {
		return err
	}
	b, err := sheets.DeputyRecord(rec)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s代表%d年度履职档案", rec.Deputy.Name, year)
	if err := h.svc.Events.RecordEvent(r.Context(), lianluo.EntityDeputy, id, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return err
	}
	return writeXLSX(w, title+".xlsx", b)
}
