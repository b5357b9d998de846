package demo

import (
	"context"
	"slices"
	"strings"

	"lianluo"
)

// Usernames are the demo's accounts, one per role, in the order they are printed.
var Usernames = []string{"admin", "security", "auditor", "office", "town", "leader", "townleader", "stationhead", "liaison", "deputy", "unit", "townunit"}

// Accounts reads the demo accounts back from a database the demo was loaded
// into earlier, so that a second start can print them again. Password is the
// demo's initial one: a user may have changed it since.
func Accounts(ctx context.Context, svc lianluo.Services) ([]Account, error) {
	us, _, err := svc.Users.FindUsers(ctx, lianluo.UserFilter{Page: lianluo.Page{PerPage: -1}})
	if err != nil {
		return nil, err
	}
	var out []Account
	for _, name := range Usernames {
		i := slices.IndexFunc(us, func(u *lianluo.User) bool { return u.Username == name })
		if i < 0 {
			continue
		}
		u := us[i]
		var roles, scopes []string
		for _, g := range u.Roles {
			roles = append(roles, lianluo.RoleNames[g.Role])
			switch {
			case g.DeputyID != nil:
				d, err := svc.Deputies.FindDeputyByID(ctx, *g.DeputyID)
				if err != nil {
					return nil, err
				}
				path, err := svc.Regions.RegionPath(ctx, d.RegionCode)
				if err != nil {
					return nil, err
				}
				scopes = append(scopes, d.Name+"（"+lianluo.SeatsText(d.Seats, path)+"）")
			case g.Label != "":
				scopes = append(scopes, g.Label)
			case adminScopes[g.Role] != "":
				scopes = append(scopes, adminScopes[g.Role])
			}
		}
		scope := strings.Join(scopes, "、")
		out = append(out, Account{Username: u.Username, Password: Password, Role: strings.Join(roles, "、"), Scope: scope})
	}
	return out, nil
}

// adminScopes say what each of the three administrators' accounts covers
// (三员分立: lianluo.AdminRoles), for the printed list of accounts.
var adminScopes = map[string]string{
	lianluo.RoleSystemAdmin:   "全部",
	lianluo.RoleSecurityAdmin: "安全设置、账号审查",
	lianluo.RoleAuditor:       "操作日志",
}
