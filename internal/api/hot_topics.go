package api

import (
	"net/http"

	"lianluo"
)

// hotTopics answers GET /api/v1/stats/hot-topics: the cases of the last
// days (days, 30 when absent) in the caller's scope grouped by matter.
func (h *Handler) hotTopics(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.HotTopicsFilter{Region: q.str("region"), Days: int(q.int64("days"))}
	if q.err != nil {
		return q.err
	}
	if q.str("days") == "0" {
		f.Days = -1 // "0" is no window, not the default
	}
	topics, err := h.svc.Stats.HotTopics(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, topics)
}
