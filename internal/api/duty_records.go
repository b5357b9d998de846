package api

import (
	"net/http"

	"lianluo"
)

// Duty records (履职登记) and 六个一: the deputy's own records or staff's
// for them, staff's decision on each, and both 六个一 lists measured.

func (h *Handler) listDutyRecords(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.DutyRecordFilter{DeputyID: q.int64("deputy_id"), Kind: lianluo.DutyKind(q.str("kind")),
		Status: lianluo.DutyStatus(q.str("status")), Year: int(q.int64("year")), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.DutyRecords.FindDutyRecords(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createDutyRecord(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.DutyRecordInput
	if err := decode(r, &in); err != nil {
		return err
	}
	rec, err := h.svc.DutyRecords.CreateDutyRecord(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rec)
}

func (h *Handler) getDutyRecord(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.DutyRecords.FindDutyRecordByID)
}

func (h *Handler) updateDutyRecord(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.DutyRecordUpdate) int { return u.Version }, h.svc.DutyRecords.UpdateDutyRecord)
}

func (h *Handler) decideDutyRecord(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[lianluo.DutyDecision](r)
	if err != nil {
		return err
	}
	rec, err := h.svc.DutyRecords.DecideDutyRecord(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}

func (h *Handler) addDutyPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := readPhoto(w, r)
	if err != nil {
		return err
	}
	rec, err := h.svc.DutyRecords.AddDutyPhoto(r.Context(), id, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rec)
}

func (h *Handler) dutyPhoto(w http.ResponseWriter, r *http.Request) error {
	return servePhoto(w, r, h.svc.DutyRecords.DutyPhoto)
}

// sixOneYear is ?year=, this year (Beijing) when absent.
