package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lianluo"
)

const userColumns = `u.id, u.username, u.display_name, u.phone, u.active, u.locked_until, u.last_login_at,
	u.version, u.created_at, u.updated_at, u.must_change_password, u.demo, u.password_changed_at`

func scanUser(s interface{ Scan(...any) error }, u *lianluo.User, extra ...any) error {
	return s.Scan(append([]any{&u.ID, &u.Username, &u.DisplayName, &u.Phone, &u.Active, &u.LockedUntil, &u.LastLoginAt,
		&u.Version, &u.CreatedAt, &u.UpdatedAt, &u.MustChangePassword, &u.Demo, &u.PasswordChangedAt}, extra...)...)
}

// FindUserByID returns a user inside the caller's scope.
func (db *DB) FindUserByID(ctx context.Context, id int64) (_ *lianluo.User, err error) {
	defer wrap(&err, "FindUserByID(%d)", id)
	return findUserByID(ctx, db.reader(), id)
}

func findUserByID(ctx context.Context, c conn, id int64) (*lianluo.User, error) {
	var w where
	w.add("u.id = " + w.arg(id))
	scopeUsers(&w, lianluo.ActorFromContext(ctx), "u")
	var u lianluo.User
	err := scanUser(c.QueryRow(ctx, `SELECT `+userColumns+` FROM users u`+w.String(), w.args...), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("用户")
	} else if err != nil {
		return nil, err
	}
	return &u, loadAccounts(ctx, c, []*lianluo.User{&u})
}

// loadAccounts fills what an account's page and the list show beside the
// user row: the roles (loadGrants) and whether the second factor is on.
func loadAccounts(ctx context.Context, c conn, us []*lianluo.User) error {
	if err := loadGrants(ctx, c, us); err != nil || len(us) == 0 {
		return err
	}
	byID := map[int64]*lianluo.User{}
	ids := make([]int64, len(us))
	for i, u := range us {
		byID[u.ID], ids[i] = u, u.ID
	}
	var w where
	on, err := queryIDs(ctx, c, `SELECT user_id FROM user_mfa WHERE confirmed_at IS NOT NULL AND user_id IN `+w.in(ids), w.args...)
	if err != nil {
		return err
	}
	for _, id := range on {
		byID[id].MFAEnabled = true
	}
	return nil
}

// loadGrants fills the roles of a page of users, with the name of the
// record each role is scoped to.
func loadGrants(ctx context.Context, c conn, us []*lianluo.User) error {
	if len(us) == 0 {
		return nil
	}
	byID := map[int64]*lianluo.User{}
	ids := make([]int64, len(us))
	for i, u := range us {
		byID[u.ID], ids[i] = u, u.ID
		u.Roles = []lianluo.Grant{}
	}
	var w where
	rows, err := c.Query(ctx, `
		SELECT ur.user_id, ur.role, ur.org_id, ur.station_id, ur.deputy_id, COALESCE(o.name, s.name, d.name, '')
		FROM user_roles ur
		LEFT JOIN orgs o ON o.id = ur.org_id
		LEFT JOIN stations s ON s.id = ur.station_id
		LEFT JOIN deputies d ON d.id = ur.deputy_id
		WHERE ur.user_id IN `+w.in(ids)+` ORDER BY ur.user_id, ur.position`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var g lianluo.Grant
		if err := rows.Scan(&id, &g.Role, &g.OrgID, &g.StationID, &g.DeputyID, &g.Label); err != nil {
			return err
		}
		byID[id].Roles = append(byID[id].Roles, g)
	}
	return rows.Err()
}

// FindUsers lists users inside the caller's scope.
func (db *DB) FindUsers(ctx context.Context, f lianluo.UserFilter) (_ []*lianluo.User, _ int, err error) {
	defer wrap(&err, "FindUsers")
	var w where
	scopeUsers(&w, lianluo.ActorFromContext(ctx), "u")
	if f.Role != "" {
		w.add("u.id IN (SELECT user_id FROM user_roles WHERE role = " + w.arg(f.Role) + ")")
	}
	if f.Q != "" {
		p := w.arg(likeContains(f.Q))
		w.add(`(u.username LIKE ` + p + ` ESCAPE '\' OR u.display_name LIKE ` + p + ` ESCAPE '\')`)
	}
	if f.Active != nil {
		w.add("u.active = " + w.arg(*f.Active))
	}
	out, total, err := queryList(ctx, db.reader(), `SELECT `+userColumns+`, COUNT(*) OVER () FROM users u`+w.String()+
		` ORDER BY u.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, u *lianluo.User, n *int) error { return scanUser(sc, u, n) })
	if err != nil {
		return nil, 0, err
	}
	return out, total, loadAccounts(ctx, db.reader(), out)
}

// checkGrants verifies that every role points at an existing record of the
// right kind, and that the actor may hand it out: the system administrator
// anything, NPC office staff roles inside their subtree but never one of
// the three administrator roles.
func checkGrants(ctx context.Context, tx *Tx, a *lianluo.Actor, gs []lianluo.Grant) error {
	seen := map[string]bool{}
	for i := range gs {
		g := &gs[i]
		if err := g.Validate(); err != nil {
			return err
		}
		key := fmt.Sprint(g.Role, deref(g.OrgID), deref(g.StationID), deref(g.DeputyID))
		if seen[key] {
			return lianluo.FieldError("roles", "角色重复。")
		}
		seen[key] = true
		region := ""
		switch {
		case lianluo.IsAdminRole(g.Role):
			if !a.IsSystemAdmin() {
				return lianluo.FieldError("roles", "只有系统管理员可以授予“%s”角色。", lianluo.RoleNames[g.Role])
			}
			continue
		case g.OrgID != nil:
			o, err := findOrgByID(ctx, tx.conn, *g.OrgID)
			if err != nil {
				return lianluo.FieldError("roles", "角色所指的机构（编号%d）不存在或不在您的管辖范围内。", *g.OrgID)
			}
			want := lianluo.OrgNPC
			if g.Role == lianluo.RoleUnitHandler {
				want = lianluo.OrgUnit
			}
			if o.Kind != want {
				return lianluo.FieldError("roles", "角色“%s”须指定%s。", lianluo.RoleNames[g.Role], lianluo.OrgKindNames[want])
			}
			region = o.RegionCode
		case g.StationID != nil:
			s, err := findStationByID(ctx, tx.conn, *g.StationID)
			if err != nil {
				return lianluo.FieldError("roles", "角色所指的联络站（编号%d）不存在或不在您的管辖范围内。", *g.StationID)
			}
			region = s.RegionCode
		case g.DeputyID != nil:
			d, err := findDeputyByID(ctx, tx.conn, *g.DeputyID)
			if err != nil {
				return lianluo.FieldError("roles", "角色所指的代表（编号%d）不存在或不在您的管辖范围内。", *g.DeputyID)
			}
			region = d.RegionCode
		}
		if !a.CanManageRegion(region) {
			return lianluo.FieldError("roles", "不能授予您管辖范围以外的角色。")
		}
	}
	return nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func writeGrants(ctx context.Context, tx *Tx, userID int64, gs []lianluo.Grant) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_roles WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for i, g := range gs {
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, position, role, org_id, station_id, deputy_id)
			VALUES ($1, $2, $3, $4, $5, $6)`, userID, i+1, g.Role, g.OrgID, g.StationID, g.DeputyID); err != nil {
			return err
		}
	}
	return nil
}

// CreateUser creates a staff account with an initial password.
func (db *DB) CreateUser(ctx context.Context, u *lianluo.User) (err error) {
	defer wrap(&err, "CreateUser")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.CanManageRegistry() {
		return lianluo.Forbidden()
	}
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	if err := u.Validate(); err != nil {
		return err
	}
	// Set here, never by the caller: the demo loader's accounts are demo
	// accounts; every other account set by an administrator must have its
	// password changed by its owner first.
	u.Demo = lianluo.IsDemoContext(ctx)
	u.MustChangePassword = !u.Demo
	// Hash outside the transaction: it is slow and needs no lock.
	hash, err := db.checkNewPassword(ctx, 0, u.Username, u.Password, "password", u.Demo)
	if err != nil {
		return err
	}
	u.Password = ""
	return db.transact(ctx, func(tx *Tx) error { return createUser(ctx, tx, a, u, hash) })
}

// createUser inserts a validated user with a password hash.
func createUser(ctx context.Context, tx *Tx, a *lianluo.Actor, u *lianluo.User, hash string) error {
	if err := checkGrants(ctx, tx, a, u.Roles); err != nil {
		return err
	}
	u.Active, u.Version, u.CreatedAt, u.UpdatedAt = true, 1, tx.now, tx.now
	u.PasswordChangedAt = &tx.now
	err := tx.QueryRow(ctx, `
		INSERT INTO users (username, password_hash, display_name, phone, active, version, created_at, updated_at,
			must_change_password, demo, password_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING id`,
		u.Username, hash, u.DisplayName, u.Phone, u.Active, u.Version, tx.now, tx.now,
		u.MustChangePassword, u.Demo, tx.now).Scan(&u.ID)
	if isUniqueViolation(err) {
		return lianluo.FieldError("username", "用户名“%s”已被使用。", u.Username)
	} else if err != nil {
		return err
	}
	if err := writeGrants(ctx, tx, u.ID, u.Roles); err != nil {
		return err
	}
	if err := addPasswordHistory(ctx, tx, u.ID, hash); err != nil {
		return err
	}
	if err := loadGrants(ctx, tx.conn, []*lianluo.User{u}); err != nil {
		return err
	}
	return tx.event(ctx, lianluo.EntityUser, u.ID, lianluo.AuditCreate, fmt.Sprintf("新建用户“%s”，角色：%s", u.Username, lianluo.RolesText(u.Roles)))
}

// UpdateUser changes a user; the version must match. A password reset or a
// deactivation ends the user's sessions. The security administrator, who
// reviews accounts without managing them, may only unlock
// (lianluo.CanUnlockAccounts).
func (db *DB) UpdateUser(ctx context.Context, id int64, up lianluo.UserUpdate) (_ *lianluo.User, err error) {
	defer wrap(&err, "UpdateUser(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	manage := a.CanManageRegistry()
	if !manage && !(lianluo.CanUnlockAccounts(a) && up.UnlockOnly()) {
		return nil, lianluo.Forbidden()
	}
	hash := ""
	if up.Password != nil {
		// The policy needs the username and the history: read them first
		// (scoped; the transaction checks scope and version again).
		old, err := findUserByID(ctx, db.reader(), id)
		if err != nil {
			return nil, err
		}
		// Only the demo loader's published password is exempt: a password
		// set afterwards, even on a demo account, gets the full policy.
		if hash, err = db.checkNewPassword(ctx, id, old.Username, *up.Password, "password", false); err != nil {
			return nil, err
		}
	}
	var out *lianluo.User
	err = db.transact(ctx, func(tx *Tx) error {
		old, err := findUserByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		// The actor must be able to grant every role the user holds now…
		if manage {
			if err := checkGrants(ctx, tx, a, slices.Clone(old.Roles)); err != nil {
				return lianluo.Forbidden()
			}
		}
		if err := lianluo.CheckVersion("该账号", up.Version, old.Version); err != nil {
			return err
		}
		u := *old
		up.Apply(&u)
		if manage {
			if err := u.Validate(); err != nil {
				return err
			}
			// …and every role it will hold.
			if err := checkGrants(ctx, tx, a, u.Roles); err != nil {
				return err
			}
		}
		if a.User.ID == id && !u.Active {
			return lianluo.FieldError("active", "不能停用自己的账号。")
		}
		res, err := tx.Exec(ctx, `
			UPDATE users SET display_name = $1, phone = $2, active = $3, version = version + 1, updated_at = $4
			WHERE id = $5 AND version = $6`,
			u.DisplayName, u.Phone, u.Active, tx.now, id, up.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		if err := writeGrants(ctx, tx, id, u.Roles); err != nil {
			return err
		}
		var c changes
		if hash != "" {
			if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, id); err != nil {
				return err
			}
			// An administrator chose it: its owner changes it first.
			if err := setPassword(ctx, tx, id, hash, true); err != nil {
				return err
			}
			c = append(c, "重置密码")
		}
		if up.Unlock {
			if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, id); err != nil {
				return err
			}
			c = append(c, "解除锁定")
		}
		if hash != "" || !u.Active {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
		}
		c.str("姓名", old.DisplayName, u.DisplayName)
		c.phone("手机号", old.Phone, u.Phone)
		if up.Roles != nil {
			if err := loadGrants(ctx, tx.conn, []*lianluo.User{&u}); err != nil {
				return err
			}
			c.str("角色", lianluo.RolesText(old.Roles), lianluo.RolesText(u.Roles))
		}
		c.changed("状态", old.Active != u.Active)
		action := lianluo.AuditUpdate
		if old.Active && !u.Active {
			action = lianluo.AuditDeactivate
		}
		if err := tx.event(ctx, lianluo.EntityUser, id, action, c.String()); err != nil {
			return err
		}
		out, err = findUserByID(ctx, tx.conn, id)
		return err
	})
	return out, err
}
