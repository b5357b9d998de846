package api

import (
	"net/http"

	"lianluo"
)

// The security settings: the password policy and the reveal limit
// (the security administrator; the version must be the one read).

func (h *Handler) getSecurityPolicy(w http.ResponseWriter, r *http.Request) error {
	if a := lianluo.ActorFromContext(r.Context()); !lianluo.CanManageSecurity(a) {
		return lianluo.Forbidden()
	}
	p, err := h.svc.Settings.SecurityPolicy(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) putSecurityPolicy(w http.ResponseWriter, r *http.Request) error {
	var p lianluo.SecurityPolicy
	if err := decode(r, &p); err != nil {
		return err
	}
	saved, err := h.svc.Settings.UpdateSecurityPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, saved)
}
