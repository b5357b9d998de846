package api

import (
	"net/http"
	"strconv"

	"lianluo"
)

// 代表述职 plans: a group's deputies reporting to the voters in a year, and
// how each 述职 went (docs/reports.md).

func (h *Handler) createReportPlan(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.ReportPlanInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := h.svc.ReportPlans.CreateReportPlan(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (h *Handler) listReportPlans(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.ReportPlanFilter{Year: int(q.int64("year")), GroupID: q.int64("group_id"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.ReportPlans.FindReportPlans(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) getReportPlan(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.ReportPlans.FindReportPlanByID)
}

func (h *Handler) updateReportPlan(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[lianluo.ReportPlanUpdate](r)
	if err != nil {
		return err
	}
	p, err := h.svc.ReportPlans.UpdateReportPlan(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) deleteReportPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(r.URL.Query().Get("version"))
	if err != nil {
		return lianluo.FieldError("version", "缺少版本号（version），请刷新后重试。")
	}
	if err := h.svc.ReportPlans.DeleteReportPlan(r.Context(), id, v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) linkReport(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[lianluo.ReportLink](r)
	if err != nil {
		return err
	}
	deputyID, perr := strconv.ParseInt(r.PathValue("deputy_id"), 10, 64)
	if perr != nil || deputyID <= 0 {
		return lianluo.NotFound("计划述职的代表")
	}
	p, err := h.svc.ReportPlans.LinkReport(r.Context(), id, deputyID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
