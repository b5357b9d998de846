package lianluo

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Roles (docs/design.md); the three administrator roles are in duties.go.
const (
	RoleNPCOffice   = "npc_office"   // 人大工委/主席团/常委会 staff
	RoleNPCLeader   = "npc_leader"   // 人大主席/副主席/工委主任
	RoleStationHead = "station_head" // 站长
	RoleLiaison     = "liaison"      // 联络员
	RoleDeputy      = "deputy"       // 人大代表
	RoleUnitHandler = "unit_handler" // 承办单位经办人
)

// Roles lists every role in display order.
var Roles = []string{RoleSystemAdmin, RoleSecurityAdmin, RoleAuditor, RoleNPCOffice, RoleNPCLeader, RoleStationHead, RoleLiaison, RoleDeputy, RoleUnitHandler}

// RoleNames are the Chinese names of the roles.
var RoleNames = map[string]string{
	RoleSystemAdmin:   "系统管理员",
	RoleSecurityAdmin: "安全管理员",
	RoleAuditor:       "安全审计员",
	RoleNPCOffice:     "人大工作人员",
	RoleNPCLeader:     "人大负责人",
	RoleStationHead:   "联络站站长",
	RoleLiaison:       "联络员",
	RoleDeputy:        "人大代表",
	RoleUnitHandler:   "承办单位",
}

// Actor is the user acting in a request, with the scope their roles resolve to.
type Actor struct {
	User       *User
	Scope      Scope
	ClientAddr string
	SessionKey string // hash of the session token, to tell this session from the user's others
}

// Scope is what an actor may see. Region subtrees are code prefixes: the
// division codes are hierarchical (33 → 3302 → 330206 → 330206001), so
// "inside the subtree of 330206" is "code starts with 330206".
type Scope struct {
	All      bool     // system_admin: everything
	Regions  []string // npc_office, npc_leader: region code prefixes of their NPC bodies
	Orgs     []int64  // npc_office, npc_leader: their NPC bodies
	Stations []int64  // station_head, liaison, and a deputy's stations
	Deputies []int64  // deputy
	Units    []int64  // unit_handler
}

// InRegion reports whether a region code lies inside one of the scope's subtrees.
func (s Scope) InRegion(code string) bool {
	if s.All {
		return true
	}
	for _, p := range s.Regions {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// Has reports whether the actor holds the role.
func (a *Actor) Has(role string) bool {
	if a == nil || a.User == nil {
		return false
	}
	for _, g := range a.User.Roles {
		if g.Role == role {
			return true
		}
	}
	return false
}

// HasAny reports whether the actor holds any of the roles.
func (a *Actor) HasAny(roles ...string) bool {
	return slices.ContainsFunc(roles, a.Has)
}

// CanManageRegion reports whether the actor may create and edit registry
// records (orgs, stations, deputies, groups, users) in the region: the
// system administrator anywhere, NPC office staff inside their subtree.
func (a *Actor) CanManageRegion(code string) bool {
	if a.IsSystemAdmin() {
		return true
	}
	if !a.Has(RoleNPCOffice) {
		return false
	}
	return a.Scope.InRegion(code)
}

// CanManageRegistry reports whether the actor may edit the registry anywhere at all.
func (a *Actor) CanManageRegistry() bool {
	return a.HasAny(RoleSystemAdmin, RoleNPCOffice)
}

type actorKey struct{}

// NewContextWithActor returns a context carrying the actor.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor, or nil for an anonymous request.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// RequireActor returns the actor or an EUNAUTHORIZED error.
func RequireActor(ctx context.Context) (*Actor, error) {
	a := ActorFromContext(ctx)
	if a == nil || a.User == nil {
		return nil, Errorf(EUNAUTHORIZED, "请先登录。")
	}
	return a, nil
}

// Session is a login: a cookie for pages or a bearer token for the API.
// Only a hash of the token is stored.
type Session struct {
	Token string // the secret, only known right after login
	User  *User
	// MFAToken, instead of Token and User, when the password was right and
	// the second factor is due: LoginMFA with it and a code opens the session.
	MFAToken string
}

// AuthService logs users in and resolves tokens to actors.
type AuthService interface {
	// Login checks the password; five failures in a row lock the account
	// for 15 minutes. A wrong password, an unknown name, an inactive and a
	// locked account get the same EUNAUTHORIZED answer.
	Login(ctx context.Context, username, password, clientAddr string) (*Session, error)
	// Authenticate resolves a token to its actor and refreshes the idle
	// timer; an unknown or idle-expired token is EUNAUTHORIZED.
	Authenticate(ctx context.Context, token, clientAddr string) (*Actor, error)
	Logout(ctx context.Context, token string) error
	// ChangePassword changes the actor's own password and ends their other sessions.
	ChangePassword(ctx context.Context, oldPassword, newPassword string) error

	// LoginMFA completes a login whose second factor is due: the code of
	// the authenticator app (CheckTOTP) or an unused recovery code. A
	// wrong code counts toward the lockout like a wrong password.
	LoginMFA(ctx context.Context, mfaToken, code, clientAddr string) (*Session, error)
	// MFAStatus is the actor's own second factor.
	MFAStatus(ctx context.Context) (*MFAStatus, error)
	// BeginMFA starts (or starts again) the actor's enrolment: a new secret
	// for the authenticator app, not used until ConfirmMFA.
	BeginMFA(ctx context.Context) (*MFAEnrolment, error)
	// ConfirmMFA turns the second factor on with the app's first code and
	// gives the recovery codes, shown this once.
	ConfirmMFA(ctx context.Context, code string) ([]string, error)
	// DisableMFA turns the actor's second factor off, given their password.
	DisableMFA(ctx context.Context, password string) error
}

// MFAStatus is a user's second factor as they see it.
type MFAStatus struct {
	Enabled      bool       `json:"enabled"`
	Since        *time.Time `json:"since,omitempty"`
	RecoveryLeft int        `json:"recovery_left"` // unused recovery codes
}

// MFAEnrolment is what an authenticator app needs: the secret, and the
// otpauth:// address its QR code carries.
type MFAEnrolment struct {
	Secret string `json:"secret"`
	URI    string `json:"uri"`
}

// SystemActor acts for the command line and background work: it holds the
// three administrators' duties at once (no account may: CheckDuties), and
// its events are recorded as 系统. Like the system administrator, it
// cannot reveal a voter's contact details.
func SystemActor() *Actor {
	gs := []Grant{{Role: RoleSystemAdmin}, {Role: RoleSecurityAdmin}, {Role: RoleAuditor}}
	return &Actor{
		User:  &User{Username: "system", DisplayName: "系统", Roles: gs, Active: true},
		Scope: Scope{All: true},
	}
}

type clientAddrKey struct{}

// NewContextWithClientAddr records the caller's network address (for login
// and the audit trail of anonymous requests).
func NewContextWithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddrFromContext returns the caller's address, or "".
func ClientAddrFromContext(ctx context.Context) string {
	s, _ := ctx.Value(clientAddrKey{}).(string)
	return s
}

// RolesText writes grants the way people read them, for pages and the audit
// log: "人大工作人员（大碶街道人大工委）、联络员（…）".
func RolesText(gs []Grant) string {
	var parts []string
	for _, g := range gs {
		s := RoleNames[g.Role]
		if g.Label != "" {
			s += "（" + g.Label + "）"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "、")
}
