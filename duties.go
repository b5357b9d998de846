package lianluo

import "slices"

// 三员分立 (separation of administrator duties, 等保 2.0 level 3): the
// administration of the platform is split between three roles, none of
// which can do another's work, so that no one person can act and hide it.
//
//   - system_admin (系统管理员): accounts, the registry and the platform's
//     settings; sees the business data (masked) but can neither reveal a
//     voter's contact details nor read the audit trail.
//   - security_admin (安全管理员): the security settings (passwords,
//     lockout, second factor, reveal limits), the review of every
//     account's roles, unlocking accounts; no business data.
//   - auditor (安全审计员): reads and verifies the audit trail, the other
//     two administrators' actions included, and sets how long it is kept;
//     nothing else.
//
// An account holding one of the three holds no other role (CheckDuties).
const (
	RoleSystemAdmin   = "system_admin"
	RoleSecurityAdmin = "security_admin"
	RoleAuditor       = "auditor"
)

// AdminRoles are the three administrator roles.
var AdminRoles = []string{RoleSystemAdmin, RoleSecurityAdmin, RoleAuditor}

// IsAdminRole reports whether role is one of the three administrator roles.
func IsAdminRole(role string) bool { return slices.Contains(AdminRoles, role) }

// CheckDuties refuses grants that join an administrator role with any other
// role: the three administrators' duties are kept apart, and an
// administrator does not also work cases as a clerk or a deputy.
func CheckDuties(gs []Grant) error {
	for _, g := range gs {
		if IsAdminRole(g.Role) && len(gs) > 1 {
			return FieldError("roles", "“%s”角色须单独授予，不能与其他角色（包括另外两种管理员角色）同时授予同一账号（三员分立）。", RoleNames[g.Role])
		}
	}
	return nil
}

// IsSystemAdmin reports whether the actor is the system administrator:
// accounts, registry and settings everywhere.
func (a *Actor) IsSystemAdmin() bool { return a.Has(RoleSystemAdmin) }

// CanManageSecurity decides who changes the security settings (password
// and lockout rules, second-factor requirements, reveal limits).
func CanManageSecurity(a *Actor) bool { return a.Has(RoleSecurityAdmin) }

// CanReviewAccounts decides who may read every account and its roles
// without managing them: the security administrator's review of grants.
func CanReviewAccounts(a *Actor) bool { return a.Has(RoleSecurityAdmin) }

// CanUnlockAccounts decides who may lift a lockout: the security
// administrator anywhere; those who manage an account (CanManageRegistry)
// lift it as part of resetting its password.
func CanUnlockAccounts(a *Actor) bool { return a.Has(RoleSecurityAdmin) }

// CanReadAudit decides who reads and verifies the audit trail and sets
// its retention: the auditor alone.
func CanReadAudit(a *Actor) bool { return a.Has(RoleAuditor) }

// Part is a part of the platform, as the API groups its routes and the
// console its pages, for DutyAllows.
type Part string

const (
	PartOwn      Part = "own"      // one's own account and messages, the public site, the regions
	PartAccounts Part = "accounts" // 用户与权限
	PartSecurity Part = "security" // 安全设置
	PartAudit    Part = "audit"    // 操作日志 and its settings
	PartWork     Part = "work"     // the business: cases, registry, occasions, records, statistics, their settings
)

// DutyAllows decides whether the actor may use a part of the platform at
// all, before any record is looked at: the security administrator and the
// auditor have no business data (三员分立), so only their own account, the
// public parts and their duty are open to them — the rest answers 403, not
// an empty list. Every other actor may try every part; the record rules
// and the scope decide each request.
func DutyAllows(a *Actor, p Part) bool {
	switch {
	case a.IsSystemAdmin(): // and SystemActor, which holds all three
		return true
	case a.Has(RoleSecurityAdmin):
		return p == PartOwn || p == PartAccounts || p == PartSecurity
	case a.Has(RoleAuditor):
		return p == PartOwn || p == PartAudit
	}
	return true
}

// MayRevealPersonalData decides whether the actor's duty lets them see a
// voter's contact details unmasked at all (查看联系方式; the record rules
// — CanRevealSubmitter, the diary's staff — decide each record): never the
// system administrator, who runs the platform without working its cases,
// nor the security administrator or the auditor, who have no business data.
func MayRevealPersonalData(a *Actor) bool {
	return !a.IsSystemAdmin() && DutyAllows(a, PartWork)
}
