package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"lianluo"
)

// Users (staff accounts) and their roles. The system administrator and NPC
// office staff manage accounts; the store checks every role they hand out.
// The security administrator reviews every account and its roles, and
// unlocks, without managing them (三员分立).

var userFields = []string{"username", "display_name", "phone", "password", "roles", "active", "unlock"}

// maxRoleRows bounds the role rows of the form (the store allows 20 roles).
const maxRoleRows = 20

type userListPage struct {
	basePage
	Manage          bool // may create and edit; else a review, read-only
	Q, Role, Active string
	RoleOptions     []option
	ActiveOptions   []option
	Items           []*lianluo.User
	Pager           pager
}

func requireUserManager(r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	return nil
}

// requireUserReader lets in those who manage accounts and the security
// administrator reviewing them.
func requireUserReader(r *http.Request) error {
	if !actor(r).CanManageRegistry() && !lianluo.CanReviewAccounts(actor(r)) {
		return lianluo.Forbidden()
	}
	return nil
}

func (a *app) userList(w http.ResponseWriter, r *http.Request) error {
	if err := requireUserReader(r); err != nil {
		return err
	}
	q := r.URL.Query()
	p := &userListPage{
		Manage:   actor(r).CanManageRegistry(),
		basePage: basePage{Title: "用户与权限", Section: "users"},
		Q:        strings.TrimSpace(q.Get("q")),
		Role:     q.Get("role"),
		Active:   q.Get("active"),
	}
	p.RoleOptions = withBlank("全部角色", namedOptions(lianluo.Roles, lianluo.RoleNames, p.Role))
	p.ActiveOptions = withBlank("全部状态", namedOptions(activeOptionsKeys, activeNames, p.Active))
	pg := pageOf(r)
	items, total, err := a.svc.Users.FindUsers(r.Context(), lianluo.UserFilter{Role: p.Role, Q: p.Q, Active: activeFilter(p.Active), Page: pg})
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, newPager(r, total, pg)
	return a.render(w, r, http.StatusOK, "users", p)
}

type userDetailPage struct {
	basePage
	U      *lianluo.User
	Self   bool
	Manage bool // may edit and deactivate (else a review)
	Unlock bool // may lift the lockout here (the security administrator)
}

func (a *app) userDetail(w http.ResponseWriter, r *http.Request) error {
	if err := requireUserReader(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := a.svc.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	p := &userDetailPage{
		basePage: basePage{Title: u.DisplayName, Section: "users"},
		U:        u,
		Self:     actor(r).User.ID == u.ID,
		Manage:   actor(r).CanManageRegistry(),
		Unlock:   lianluo.CanUnlockAccounts(actor(r)) && u.LockedUntil != nil,
	}
	if r.URL.Query().Get("ok") == "unlocked" {
		p.Flash = "已解除锁定。"
	}
	return a.render(w, r, http.StatusOK, "user", p)
}

// userUnlock lifts a lockout from the account's page (the security
// administrator; those who manage the account do it in 修改).
func (a *app) userUnlock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := formVersion(r)
	if err == nil {
		_, err = a.svc.Users.UpdateUser(r.Context(), id, lianluo.UserUpdate{Unlock: true, Version: v})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/console/users/%d?ok=unlocked", id), http.StatusSeeOther)
	return nil
}

// roleRow is one role of the form: the role and the three scoping choices.
// Without JavaScript all three show and the one that fits the role is used;
// app.js hides the others.
type roleRow struct {
	N                               int // 1-based, as the page numbers the rows
	Roles, Orgs, Stations, Deputies []option
}

type userFormPage struct {
	basePage
	Edit     bool
	Action   string
	Cancel   string
	U        *lianluo.User
	Password string // never echoed: always empty
	Unlock   bool
	Self     bool // one's own account cannot be deactivated
	Form     formState
	Rows     []roleRow
}

func (a *app) showUserForm(w http.ResponseWriter, r *http.Request, status int, u *lianluo.User, unlock bool, f formState) error {
	ctx, ac := r.Context(), actor(r)
	p := &userFormPage{basePage: basePage{Title: "新建用户", Section: "users"}, U: u, Unlock: unlock, Form: f,
		Action: "/console/users/new", Cancel: "/console/users", Self: u.ID == ac.User.ID}
	if u.ID != 0 {
		p.Edit, p.Title = true, "修改用户："+u.DisplayName
		p.Action = fmt.Sprintf("/console/users/%d/edit", u.ID)
		p.Cancel = fmt.Sprintf("/console/users/%d", u.ID)
		p.Form.ReloadURL = p.Action
	}
	roles := lianluo.Roles
	if !ac.IsSystemAdmin() { // only the system administrator grants the administrator roles
		roles = slices.DeleteFunc(slices.Clone(roles), lianluo.IsAdminRole)
	}
	orgs, err := a.orgChoices(ctx, "", nil)
	if err != nil {
		return err
	}
	stations, err := a.stationChoices(ctx, nil)
	if err != nil {
		return err
	}
	deputies, err := a.deputyChoices(ctx, nil)
	if err != nil {
		return err
	}
	n := min(max(len(u.Roles)+1, 3), maxRoleRows)
	for i := range max(n, len(u.Roles)) {
		var g lianluo.Grant
		if i < len(u.Roles) {
			g = u.Roles[i]
		}
		p.Rows = append(p.Rows, roleRow{
			N:        i + 1,
			Roles:    withBlank("（不设）", namedOptions(roles, lianluo.RoleNames, g.Role)),
			Orgs:     withBlank("请选择机构", markSelected(orgs, idStr(g.OrgID))),
			Stations: withBlank("请选择联络站", markSelected(stations, idStr(g.StationID))),
			Deputies: withBlank("请选择代表", markSelected(deputies, idStr(g.DeputyID))),
		})
	}
	return a.render(w, r, status, "user_form", p)
}

// markSelected copies opts with the value selected.
func markSelected(opts []option, value string) []option {
	out := make([]option, len(opts))
	for i, o := range opts {
		o.Selected = value != "" && o.Value == value
		out[i] = o
	}
	return out
}

// grantsFromForm reads the role rows: each row's role takes the scoping
// choice that fits it, and the store says which row is wrong.
func grantsFromForm(r *http.Request) ([]lianluo.Grant, error) {
	roles := r.PostForm["role"]
	orgs, stations, deputies := r.PostForm["role_org"], r.PostForm["role_station"], r.PostForm["role_deputy"]
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return xs[i]
		}
		return ""
	}
	gs := []lianluo.Grant{}
	for i, role := range roles {
		role = strings.TrimSpace(role)
		if role == "" {
			continue
		}
		g := lianluo.Grant{Role: role}
		var err error
		switch role {
		case lianluo.RoleNPCOffice, lianluo.RoleNPCLeader, lianluo.RoleUnitHandler:
			g.OrgID, err = parseID(at(orgs, i), "roles", "机构")
		case lianluo.RoleStationHead, lianluo.RoleLiaison:
			g.StationID, err = parseID(at(stations, i), "roles", "联络站")
		case lianluo.RoleDeputy:
			g.DeputyID, err = parseID(at(deputies, i), "roles", "代表")
		}
		gs = append(gs, g)
		if err != nil {
			return gs, err
		}
	}
	return gs, nil
}

func (a *app) userNew(w http.ResponseWriter, r *http.Request) error {
	if err := requireUserManager(r); err != nil {
		return err
	}
	return a.showUserForm(w, r, http.StatusOK, &lianluo.User{Active: true}, false, formState{})
}

func (a *app) userCreate(w http.ResponseWriter, r *http.Request) error {
	if err := requireUserManager(r); err != nil {
		return err
	}
	u := &lianluo.User{
		Username:    formStr(r, "username"),
		DisplayName: formStr(r, "display_name"),
		Phone:       formStr(r, "phone"),
		Password:    r.PostFormValue("password"),
	}
	var err error
	if u.Roles, err = grantsFromForm(r); err == nil {
		err = a.svc.Users.CreateUser(r.Context(), u)
	}
	return saved(w, r, err, userFields, func(status int, f formState) error {
		u.ID, u.Password = 0, ""
		return a.showUserForm(w, r, status, u, false, f)
	}, fmt.Sprintf("/console/users/%d?ok=created", u.ID))
}

func (a *app) userEdit(w http.ResponseWriter, r *http.Request) error {
	if err := requireUserManager(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := a.svc.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.showUserForm(w, r, http.StatusOK, u, false, formState{})
}

func (a *app) userUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := requireUserManager(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := a.svc.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	u := &lianluo.User{
		ID:          id,
		Username:    old.Username,
		DisplayName: formStr(r, "display_name"),
		Phone:       formStr(r, "phone"),
		Active:      old.Active,
		LockedUntil: old.LockedUntil,
	}
	up := lianluo.UserUpdate{DisplayName: &u.DisplayName, Phone: &u.Phone, Unlock: formBool(r, "unlock")}
	if formBool(r, "active_shown") {
		u.Active = formBool(r, "active")
		up.Active = &u.Active
	}
	if pw := r.PostFormValue("password"); pw != "" {
		up.Password = &pw
	}
	var gerr, verr error
	u.Roles, gerr = grantsFromForm(r)
	up.Roles = &u.Roles
	u.Version, verr = formVersion(r)
	up.Version = u.Version
	if err = firstErr(gerr, verr); err == nil {
		_, err = a.svc.Users.UpdateUser(r.Context(), id, up)
	}
	return saved(w, r, err, userFields, func(status int, f formState) error {
		return a.showUserForm(w, r, status, u, up.Unlock, f)
	}, fmt.Sprintf("/console/users/%d?ok=saved", id))
}

func (a *app) userSetActive(w http.ResponseWriter, r *http.Request) error {
	if err := requireUserManager(r); err != nil {
		return err
	}
	return setActive(w, r, "/console/users", func(ctx context.Context, id int64, active bool, v int) error {
		_, err := a.svc.Users.UpdateUser(ctx, id, lianluo.UserUpdate{Active: &active, Version: v})
		return err
	})
}
