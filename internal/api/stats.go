package api

import (
	"net/http"
	"time"

	"lianluo"
)

// caseStats answers GET /api/v1/stats/cases: the figures of the cases
// registered in from–to (Beijing dates, both included; this year when both
// are absent), totals and one row per group_by value.
func (h *Handler) caseStats(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.StatsFilter{Region: q.str("region"), GroupBy: q.str("group_by"), Category: q.str("category"),
		StationID: q.int64("station_id"), UnitID: q.int64("unit_id")}
	if q.err != nil {
		return q.err
	}
	from, to := q.str("from"), q.str("to")
	var err error
	if from == "" && to == "" {
		f.Period, err = lianluo.PresetPeriod(lianluo.PresetYear, time.Now())
	} else {
		f.Period, err = lianluo.ParseDateRange(from, to)
	}
	if err != nil {
		return err
	}
	res, err := h.svc.Stats.CaseStats(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}
