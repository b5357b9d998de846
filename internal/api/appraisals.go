package api

import (
	"net/http"

	"lianluo"
	"lianluo/internal/sheets"
)

// 工作评议 (docs/appraisals.md): appraisals of units by the NPC body, their
// steps, and the units' rectification items.

func (h *Handler) listAppraisals(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.AppraisalFilter{Year: int(q.int64("year")), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Appraisals.FindAppraisals(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createAppraisal(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.AppraisalInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := h.svc.Appraisals.CreateAppraisal(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (h *Handler) getAppraisal(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Appraisals.FindAppraisalByID)
}

func (h *Handler) appraisalSheet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportAppraisal(r.Context(), h.svc, id)
	if err != nil {
		return err
	}
	return writeXLSX(w, name, b)
}

func (h *Handler) recordAppraisalStep(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[lianluo.AppraisalStepInput](r)
	if err != nil {
		return err
	}
	p, err := h.svc.Appraisals.RecordStep(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) addRectification(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[lianluo.RectificationInput](r)
	if err != nil {
		return err
	}
	x, err := h.svc.Appraisals.AddRectification(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}

// actOnRectification is report (the unit), accept and return (the office).
func (h *Handler) actOnRectification(act lianluo.RectAction) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, in, err := idAndBody[lianluo.RectDecision](r)
		if err != nil {
			return err
		}
		x, err := h.svc.Appraisals.ActOnRectification(r.Context(), id, act, in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, x)
	}
}

func (h *Handler) unitRectifications(w http.ResponseWriter, r *http.Request) error {
	items, err := h.svc.Appraisals.UnitRectifications(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, items, len(items))
}
