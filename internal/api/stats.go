package api

import (
	"net/http"
	"time"

	"lianluo"
)

// caseStats answers GET /api/v1/stats/cases: the figures of the cases
// registered in the period (statsFilter), totals and one row per group_by
// value.
func (h *Handler) caseStats(w http.ResponseWriter, r *http.Request) error {
	f, err := statsFilter(r, h.now())
	if err != nil {
		return err
	}
	res, err := h.svc.Stats.CaseStats(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// statsFilter reads the parameters of the statistics: the scope, the
// breakdown and the period — from and to (Beijing dates, both included),
// or period (2026, 2026Q4, 2026-11), or the year of now when none is given.
func statsFilter(r *http.Request, now time.Time) (lianluo.StatsFilter, error) {
	q := query{r: r}
	f := lianluo.StatsFilter{Region: q.str("region"), GroupBy: q.str("group_by"), Category: q.str("category"),
		StationID: q.int64("station_id"), UnitID: q.int64("unit_id")}
	if q.err != nil {
		return f, q.err
	}
	from, to, period := q.str("from"), q.str("to"), q.str("period")
	var err error
	switch {
	case period != "":
		f.Period, err = lianluo.ParsePeriod(period)
	case from == "" && to == "":
		f.Period, err = lianluo.PresetPeriod(lianluo.PresetYear, now)
	default:
		f.Period, err = lianluo.ParseDateRange(from, to)
	}
	return f, err
}
