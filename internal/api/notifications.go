package api

import (
	"net/http"

	"lianluo"
)

// The caller's own 通知设置.

func (h *Handler) getNotificationPrefs(w http.ResponseWriter, r *http.Request) error {
	p, err := h.svc.NotifyPrefs.NotificationPrefs(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// putNotificationPrefs takes the shape GET returns; its read-only fields
// (phone, can_text, available, updated_at) are ignored, so a client may
// send back what it read with the channels changed.
func (h *Handler) putNotificationPrefs(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.NotificationPrefs
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Channels == nil {
		return lianluo.FieldError("channels", "请给出 channels（可为空数组：只接收站内消息）。")
	}
	p, err := h.svc.NotifyPrefs.UpdateNotificationPrefs(r.Context(), lianluo.NotificationPrefs{Channels: in.Channels, Email: in.Email})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// The outbox for administrators (通知发送记录).

func (h *Handler) listNotifications(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.NotificationFilter{Status: q.str("status"), Channel: q.str("channel"), CaseID: q.int64("case_id"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Outbox.FindNotifications(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) notificationCounts(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	m, err := h.svc.Outbox.CountNotifications(r.Context(), q.str("channel"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

func (h *Handler) retryNotification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Outbox.RetryNotification(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
