package api

import (
	"context"
	"net/http"

	"lianluo"
	"lianluo/internal/server"
)

// create decodes a new record, creates it and answers 201 with it.
func create[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *T) error) error {
	var v T
	if err := decode(r, &v); err != nil {
		return err
	}
	if err := fn(r.Context(), &v); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, &v)
}

// get answers one record by {id}.
func get[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, int64) (*T, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := fn(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// update decodes a change with its version and applies it to {id}.
func update[U any, T any](w http.ResponseWriter, r *http.Request, version func(*U) int, fn func(context.Context, int64, U) (*T, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var u U
	if err := decode(r, &u); err != nil {
		return err
	}
	if version(&u) <= 0 {
		return lianluo.FieldError("version", "请提供记录的当前版本号（version），以免覆盖他人的修改。")
	}
	v, err := fn(r.Context(), id, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// Auth.

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token string        `json:"token,omitempty"`
	User  *lianluo.User `json:"user,omitempty"`
	// When the second factor is due: no token yet, but this one for /auth/login/mfa.
	MFARequired bool   `json:"mfa_required,omitempty"`
	MFAToken    string `json:"mfa_token,omitempty"`
}

type passwordRequest struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	addr := clientAddr(r)
	var req loginRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := h.logins.Allow(addr, req.Username); err != nil {
		return err
	}
	s, err := h.svc.Auth.Login(r.Context(), req.Username, req.Password, addr)
	if err != nil {
		return err
	}
	return h.startSession(w, r, s)
}

// startSession answers a login: the session (its token, and the page
// cookie), or the second step that is due.
func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, s *lianluo.Session) error {
	if s.MFAToken != "" {
		return writeJSON(w, http.StatusOK, loginResponse{MFARequired: true, MFAToken: s.MFAToken})
	}
	// The same token works as a bearer token and as the page session cookie.
	http.SetCookie(w, &http.Cookie{Name: lianluo.SessionCookie, Value: s.Token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: server.IsSecure(r)})
	return writeJSON(w, http.StatusOK, loginResponse{Token: s.Token, User: s.User})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	token := bearer(r)
	if token == "" {
		if c, err := r.Cookie(lianluo.SessionCookie); err == nil {
			token = c.Value
		}
	}
	if err := h.svc.Auth.Logout(r.Context(), token); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: lianluo.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: server.IsSecure(r)})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func bearer(r *http.Request) string {
	const p = "Bearer "
	if h := r.Header.Get("Authorization"); len(h) > len(p) && h[:len(p)] == p {
		return h[len(p):]
	}
	return ""
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, lianluo.ActorFromContext(r.Context()).User)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) error {
	var req passwordRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := h.svc.Auth.ChangePassword(r.Context(), req.OldPassword, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Regions.

func (h *Handler) listRegions(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.RegionFilter{Q: q.str("q"), Level: q.str("level"), Page: q.page()}
	parent := q.str("parent")
	if under := q.str("under"); under != "" {
		f.Under = &under
	}
	if parent != "" || (f.Under == nil && f.Q == "" && f.Level == "") {
		f.Parent = &parent // no filter at all lists the provinces
	}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Regions.FindRegions(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) getRegion(w http.ResponseWriter, r *http.Request) error {
	reg, err := h.svc.Regions.FindRegion(r.Context(), r.PathValue("code"))
	if lianluo.Is(err, lianluo.EINVALID) {
		return lianluo.Errorf(lianluo.ENOTFOUND, "行政区划不存在。")
	} else if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reg)
}

// Organisations.

func (h *Handler) listOrgs(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.OrgFilter{Kind: q.str("kind"), Region: q.str("region"), Q: q.str("q"), Active: q.boolPtr("active"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Orgs.FindOrgs(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) error {
	return create(w, r, h.svc.Orgs.CreateOrg)
}

func (h *Handler) getOrg(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Orgs.FindOrgByID)
}

func (h *Handler) updateOrg(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.OrgUpdate) int { return u.Version }, h.svc.Orgs.UpdateOrg)
}

// Stations.

func (h *Handler) listStations(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.StationFilter{Kind: q.str("kind"), Region: q.str("region"), OrgID: q.int64("org_id"), Q: q.str("q"),
		Active: q.boolPtr("active"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Stations.FindStations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createStation(w http.ResponseWriter, r *http.Request) error {
	return create(w, r, h.svc.Stations.CreateStation)
}

func (h *Handler) getStation(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Stations.FindStationByID)
}

func (h *Handler) updateStation(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.StationUpdate) int { return u.Version }, h.svc.Stations.UpdateStation)
}

// Deputies.

func (h *Handler) listDeputies(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.DeputyFilter{Region: q.str("region"), StationID: q.int64("station_id"), GroupID: q.int64("group_id"),
		Level: q.str("level"), Status: q.str("status"), Q: q.str("q"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Deputies.FindDeputies(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createDeputy(w http.ResponseWriter, r *http.Request) error {
	return create(w, r, h.svc.Deputies.CreateDeputy)
}

func (h *Handler) getDeputy(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Deputies.FindDeputyByID)
}

func (h *Handler) updateDeputy(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.DeputyUpdate) int { return u.Version }, h.svc.Deputies.UpdateDeputy)
}

// Deputy groups.

func (h *Handler) listGroups(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.GroupFilter{Region: q.str("region"), OrgID: q.int64("org_id"), Q: q.str("q"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Groups.FindGroups(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createGroup(w http.ResponseWriter, r *http.Request) error {
	return create(w, r, h.svc.Groups.CreateGroup)
}

func (h *Handler) getGroup(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Groups.FindGroupByID)
}

func (h *Handler) updateGroup(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.GroupUpdate) int { return u.Version }, h.svc.Groups.UpdateGroup)
}

// Users.

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.UserFilter{Role: q.str("role"), Q: q.str("q"), Active: q.boolPtr("active"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Users.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) error {
	return create(w, r, h.svc.Users.CreateUser)
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Users.FindUserByID)
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.UserUpdate) int { return u.Version }, h.svc.Users.UpdateUser)
}

// Audit.

// verifyAudit answers 200 whether or not the chain verifies: the answer is
// the check's result, ok false naming the first event that does not match.
func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	check, err := h.svc.Events.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, check)
}

func (h *Handler) listEvents(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.EventFilter{Entity: lianluo.AuditEntity(q.str("entity")), EntityID: q.int64("entity_id"), ActorID: q.int64("actor_id"),
		Action: lianluo.AuditAction(q.str("action")), From: q.date("from", false), To: q.date("to", true), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Events.FindEvents(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

type mfaLoginRequest struct {
	MFAToken string `json:"mfa_token"`
	Code     string `json:"code"`
}

func (h *Handler) loginMFA(w http.ResponseWriter, r *http.Request) error {
	addr := clientAddr(r)
	var req mfaLoginRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := h.logins.Allow(addr, "mfa:"+req.MFAToken); err != nil { // per address, and per second step
		return err
	}
	s, err := h.svc.Auth.LoginMFA(r.Context(), req.MFAToken, req.Code, addr)
	if err != nil {
		return err
	}
	return h.startSession(w, r, s)
}

type mfaCodeRequest struct {
	Code string `json:"code"`
}

type mfaRecoveryResponse struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

type mfaDisableRequest struct {
	Password string `json:"password"`
}

func (h *Handler) mfaStatus(w http.ResponseWriter, r *http.Request) error {
	st, err := h.svc.Auth.MFAStatus(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

func (h *Handler) mfaEnrol(w http.ResponseWriter, r *http.Request) error {
	e, err := h.svc.Auth.BeginMFA(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (h *Handler) mfaConfirm(w http.ResponseWriter, r *http.Request) error {
	var req mfaCodeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	codes, err := h.svc.Auth.ConfirmMFA(r.Context(), req.Code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, mfaRecoveryResponse{RecoveryCodes: codes})
}

func (h *Handler) mfaDisable(w http.ResponseWriter, r *http.Request) error {
	var req mfaDisableRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := h.svc.Auth.DisableMFA(r.Context(), req.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
