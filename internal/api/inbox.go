package api

import "net/http"

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	unread := q.boolPtr("unread")
	page := q.page()
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Inbox.Inbox(r.Context(), unread != nil && *unread, page)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) markRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Inbox.MarkRead(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type readAllResult struct {
	Marked int `json:"marked"`
}

func (h *Handler) markAllRead(w http.ResponseWriter, r *http.Request) error {
	n, err := h.svc.Inbox.MarkAllRead(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, readAllResult{Marked: n})
}
