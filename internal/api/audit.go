package api

import (
	"net/http"

	"lianluo"
)

func (h *Handler) getAuditSettings(w http.ResponseWriter, r *http.Request) error {
	s, err := h.svc.Events.AuditSettings(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) putAuditSettings(w http.ResponseWriter, r *http.Request) error {
	var s lianluo.AuditSettings
	if err := decode(r, &s); err != nil {
		return err
	}
	if err := h.svc.Events.SetAuditSettings(r.Context(), s); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}
