package api

import (
	"net/http"

	"lianluo"
)

// The deputy mailboxes (代表信箱): openings with their
// letters, a letter to a case, the boxes' state and the quarterly summary.

func (h *Handler) recordOpening(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[lianluo.OpeningInput](r)
	if err != nil {
		return err
	}
	o, err := h.svc.Mailbox.RecordOpening(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

func (h *Handler) listOpenings(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	id, p := q.int64("station_id"), q.page()
	if q.err != nil {
		return q.err
	}
	if id == 0 {
		return lianluo.FieldError("station_id", "请提供联络站（station_id）。")
	}
	items, total, err := h.svc.Mailbox.FindOpenings(r.Context(), id, p)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) mailboxStatuses(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	id := q.int64("station_id")
	if q.err != nil {
		return q.err
	}
	items, err := h.svc.Mailbox.MailboxStatuses(r.Context(), id)
	if err != nil {
		return err
	}
	return writeList(w, items, len(items))
}

func (h *Handler) letterToCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.svc.Mailbox.LetterToCase(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) mailboxSummary(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	id, region := q.int64("station_id"), q.regionParam("region")
	if q.err != nil {
		return q.err
	}
	quarter := lianluo.QuarterOf(h.now()).Prev()
	if s := q.str("quarter"); s != "" {
		var err error
		if quarter, err = lianluo.ParseQuarter("quarter", s); err != nil {
			return err
		}
	}
	s, err := h.svc.Mailbox.MailboxSummary(r.Context(), id, region, quarter)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}
