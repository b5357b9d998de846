package lianluo

import (
	"context"
	"time"
)

// User is a staff account. Voters have no accounts.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	Password    string     `json:"password,omitempty"` // only on create/reset; never returned
	DisplayName string     `json:"display_name"`
	Phone       string     `json:"phone"`
	Roles       []Grant    `json:"roles"`
	Active      bool       `json:"active"`
	LockedUntil *time.Time `json:"locked_until,omitempty"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
	// MustChangePassword: an administrator set the password (or it
	// expired); until its owner changes it, the console and the API allow
	// nothing else. Set by the store, never by a caller.
	MustChangePassword bool `json:"must_change_password"`
	// MustEnrolMFA: the security policy requires the second factor of
	// this user's roles and it is not on yet (set by Authenticate).
	MustEnrolMFA bool `json:"must_enrol_mfa,omitempty"`
	// MFAEnabled: the second factor is on (read with the account, for
	// the review of accounts; set by the store).
	MFAEnabled bool `json:"mfa_enabled"`
	// Demo marks the demo district's accounts (lianluo demo): exempt from
	// the forced change and the common-password list, and announced on
	// every console page while any exists. Set by the store, never by a caller.
	Demo              bool       `json:"demo"`
	PasswordChangedAt *time.Time `json:"password_changed_at,omitempty"`
	Version           int        `json:"version"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Grant is one role of a user with the record that scopes it.
type Grant struct {
	Role      string `json:"role"`
	OrgID     *int64 `json:"org_id,omitempty"`
	StationID *int64 `json:"station_id,omitempty"`
	DeputyID  *int64 `json:"deputy_id,omitempty"`
	Label     string `json:"label,omitempty"` // the scoping record's name, read-only
}

// Validate checks the grant's shape: each role names exactly the record it needs.
func (g Grant) Validate() error {
	var v Validator
	if g.Role == "admin" { // before 三员分立 (migration 0018)
		return FieldError("roles", "角色“admin”已按三员分立拆分为 system_admin（系统管理员）、security_admin（安全管理员）和 auditor（安全审计员），请选其一。")
	}
	v.OneOf("roles", "角色", g.Role, RoleNames)
	if v.Err != nil {
		return v.Err
	}
	org, st, dep := g.OrgID != nil, g.StationID != nil, g.DeputyID != nil
	switch g.Role {
	case RoleSystemAdmin, RoleSecurityAdmin, RoleAuditor:
		v.Check(!org && !st && !dep, "roles", "“%s”角色不需要指定机构。", RoleNames[g.Role])
	case RoleNPCOffice, RoleNPCLeader, RoleUnitHandler:
		v.Check(org && !st && !dep, "roles", "角色“%s”须指定一个机构。", RoleNames[g.Role])
	case RoleStationHead, RoleLiaison:
		v.Check(st && !org && !dep, "roles", "角色“%s”须指定一个联络站。", RoleNames[g.Role])
	case RoleDeputy:
		v.Check(dep && !org && !st, "roles", "角色“%s”须指定一名代表。", RoleNames[g.Role])
	}
	return v.Err
}

// Validate checks the fields a caller supplies (not the password).
func (u *User) Validate() error {
	var v Validator
	v.Require("username", "用户名", u.Username)
	v.Check(u.Username == "" || ValidUsername(u.Username), "username", "用户名须为3到32位字母、数字或 _ . -。")
	v.Require("display_name", "姓名", u.DisplayName)
	v.MaxLen("display_name", "姓名", u.DisplayName, 50)
	v.Phone("phone", "手机号", u.Phone)
	v.Check(len(u.Roles) > 0, "roles", "请至少分配一个角色。")
	v.Check(len(u.Roles) <= 20, "roles", "角色过多。")
	if v.Err != nil {
		return v.Err
	}
	for _, g := range u.Roles {
		if err := g.Validate(); err != nil {
			return err
		}
	}
	return CheckDuties(u.Roles)
}

// UserFilter selects users inside the caller's scope.
type UserFilter struct {
	Role   string
	Q      string
	Active *bool
	Page
}

// UserUpdate changes a user; nil fields are left as they are. Password resets
// the password (by an administrator) and ends the user's sessions.
type UserUpdate struct {
	DisplayName *string  `json:"display_name"`
	Phone       *string  `json:"phone"`
	Roles       *[]Grant `json:"roles"`
	Active      *bool    `json:"active"`
	Password    *string  `json:"password"`
	Unlock      bool     `json:"unlock"`
	Version     int      `json:"version"`
}

// UnlockOnly reports whether the update only lifts a lockout.
func (up UserUpdate) UnlockOnly() bool {
	return up.Unlock && up.DisplayName == nil && up.Phone == nil && up.Roles == nil && up.Active == nil && up.Password == nil
}

// Apply copies the set fields onto u (not the password).
func (up UserUpdate) Apply(u *User) {
	setStr(&u.DisplayName, up.DisplayName)
	setStr(&u.Phone, up.Phone)
	if up.Roles != nil {
		u.Roles = *up.Roles
	}
	if up.Active != nil {
		u.Active = *up.Active
	}
}

// UserService manages staff accounts.
type UserService interface {
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, id int64, up UserUpdate) (*User, error)
}

// Event is one append-only audit record of a change: who, when, from where,
// what. It is written in the same transaction as the change.
type Event struct {
	ID         int64       `json:"id"`
	At         time.Time   `json:"at"`
	ActorID    *int64      `json:"actor_id"`
	ActorName  string      `json:"actor_name"`
	ClientAddr string      `json:"client_addr"`
	Entity     AuditEntity `json:"entity"`
	EntityID   int64       `json:"entity_id"`
	Action     AuditAction `json:"action"`
	Summary    string      `json:"summary"`
}

// EventFilter selects events.
type EventFilter struct {
	Entity   AuditEntity
	EntityID int64
	ActorID  int64
	Action   AuditAction
	From, To *time.Time
	Page
}

// EventService reads the audit trail (administrators only).
type EventService interface {
	FindEvents(ctx context.Context, f EventFilter) ([]*Event, int, error)
	AuditTrail
}
