package api

import (
	"net/http"

	"lianluo"
)

// Year plans (年初计划, docs/year-plans.md): a station's or a deputy group's
// activities for a year by month, written and published by the office,
// read against the activities held.

func (h *Handler) listYearPlans(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.YearPlanFilter{Year: int(q.int64("year")), StationID: q.int64("station_id"), GroupID: q.int64("group_id"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.YearPlans.FindYearPlans(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createYearPlan(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.YearPlanInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := h.svc.YearPlans.CreateYearPlan(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (h *Handler) getYearPlan(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.YearPlans.FindYearPlanByID)
}

func (h *Handler) updateYearPlan(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.YearPlanUpdate) int { return u.Version }, h.svc.YearPlans.UpdateYearPlan)
}

func (h *Handler) publishYearPlan(w http.ResponseWriter, r *http.Request) error {
	return actOn(w, r, func(id int64, in versionRequest) (*lianluo.YearPlan, error) {
		return h.svc.YearPlans.PublishYearPlan(r.Context(), id, in.Version)
	})
}
