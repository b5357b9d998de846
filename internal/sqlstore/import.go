package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"lianluo"
)

// MaxImportRows bounds one import: a district's registry is a few thousand
// rows, and the whole import runs in one write transaction.
const MaxImportRows = 5000

// ImportOrgs creates organisations from rows; Parent names the parent org,
// which may be created by an earlier row.
func (db *DB) ImportOrgs(ctx context.Context, rows []lianluo.OrgRow) (err error) {
	defer wrap(&err, "ImportOrgs(%d)", len(rows))
	if err := checkImport(ctx, len(rows)); err != nil {
		return err
	}
	return db.importRows(ctx, len(rows), nil, lianluo.EntityOrg, "机构", func(tx *Tx, r *resolver, i int) error {
		o := rows[i].Org
		o.ID = 0
		if ref := rows[i].Parent; strings.TrimSpace(ref) != "" {
			o.ParentID = r.find(refOrg, "parent_id", "上级机构", ref)
		}
		if err := r.err(); err != nil {
			return err
		}
		return createOrg(ctx, tx, &o)
	})
}

// ImportStations creates stations; Org, Head and Deputies name the managing
// NPC body, the head deputy and the deputies serving there.
func (db *DB) ImportStations(ctx context.Context, rows []lianluo.StationRow) (err error) {
	defer wrap(&err, "ImportStations(%d)", len(rows))
	if err := checkImport(ctx, len(rows)); err != nil {
		return err
	}
	return db.importRows(ctx, len(rows), nil, lianluo.EntityStation, "联络站", func(tx *Tx, r *resolver, i int) error {
		row := rows[i]
		s := row.Station
		s.ID = 0
		s.Liaisons = slices.Clone(s.Liaisons)
		s.DeputyIDs = slices.Clone(s.DeputyIDs)
		if strings.TrimSpace(row.Org) != "" {
			if id := r.find(refOrg, "org_id", "主管人大机构", row.Org); id != nil {
				s.OrgID = *id
			}
		}
		if strings.TrimSpace(row.Head) != "" {
			s.HeadDeputyID = r.find(refDeputy, "head_deputy_id", "站长", row.Head)
		}
		for _, name := range row.Deputies {
			if id := r.find(refDeputy, "deputy_ids", "进站代表", name); id != nil {
				s.DeputyIDs = append(s.DeputyIDs, *id)
			}
		}
		if err := r.err(); err != nil {
			return err
		}
		return createStation(ctx, tx, &s)
	})
}

// ImportDeputies creates deputies; Group and Stations name the deputy group
// and the stations they serve at.
func (db *DB) ImportDeputies(ctx context.Context, rows []lianluo.DeputyRow) (err error) {
	defer wrap(&err, "ImportDeputies(%d)", len(rows))
	if err := checkImport(ctx, len(rows)); err != nil {
		return err
	}
	return db.importRows(ctx, len(rows), nil, lianluo.EntityDeputy, "代表", func(tx *Tx, r *resolver, i int) error {
		row := rows[i]
		d := row.Deputy
		d.ID = 0
		d.Seats = slices.Clone(d.Seats)
		d.StationIDs = slices.Clone(d.StationIDs)
		if strings.TrimSpace(row.Group) != "" {
			d.GroupID = r.find(refGroup, "group_id", "代表小组", row.Group)
		}
		for _, name := range row.Stations {
			if id := r.find(refStation, "station_ids", "联络站", name); id != nil {
				d.StationIDs = append(d.StationIDs, *id)
			}
		}
		if err := r.err(); err != nil {
			return err
		}
		return createDeputy(ctx, tx, &d)
	})
}

// ImportUsers creates staff accounts; each role names the org, station or
// deputy that scopes it.
func (db *DB) ImportUsers(ctx context.Context, rows []lianluo.UserRow) (err error) {
	defer wrap(&err, "ImportUsers(%d)", len(rows))
	if err := checkImport(ctx, len(rows)); err != nil {
		return err
	}
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	// Weak passwords are row problems; the rest are hashed before the
	// transaction, because hashing is slow and needs no lock.
	policy, err := db.SecurityPolicy(ctx)
	if err != nil {
		return err
	}
	var bad lianluo.RowErrors
	var todo []int
	for i, row := range rows {
		username := strings.ToLower(strings.TrimSpace(row.User.Username))
		var e *lianluo.Error
		if err := lianluo.CheckPassword(policy, username, row.User.Password); errors.As(err, &e) {
			bad = append(bad, lianluo.RowError{Row: i, Field: "password", Message: e.Message})
			continue
		}
		todo = append(todo, i)
	}
	hashes, err := db.hashPasswords(ctx, rows, todo)
	if err != nil {
		return err
	}
	return db.importRows(ctx, len(rows), bad, lianluo.EntityUser, "用户", func(tx *Tx, r *resolver, i int) error {
		u := rows[i].User
		u.ID, u.Password = 0, ""
		u.Username = strings.ToLower(strings.TrimSpace(u.Username))
		u.Roles = nil
		for _, ref := range rows[i].Roles {
			if g, ok := r.grant(ref); ok {
				u.Roles = append(u.Roles, g)
			}
		}
		if err := r.err(); err != nil {
			return err
		}
		if err := u.Validate(); err != nil {
			return err
		}
		// Imported accounts' passwords were chosen by an administrator.
		u.Demo, u.MustChangePassword = false, true
		return createUser(ctx, tx, a, &u, hashes[i])
	})
}

// hashPasswords hashes the passwords of the rows in todo, a few at a time
// (as many as the hashing semaphore admits, at most one per CPU).
func (db *DB) hashPasswords(ctx context.Context, rows []lianluo.UserRow, todo []int) ([]string, error) {
	hashes := make([]string, len(rows))
	errs := make([]error, len(rows))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(cap(db.hashSem), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				hashes[i], errs[i] = db.hashPassword(ctx, rows[i].User.Password)
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	return hashes, errors.Join(errs...)
}

// checkImport: only those who edit the registry import into it, and a sheet
// is bounded (the whole import is one transaction).
func checkImport(ctx context.Context, n int) error {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.CanManageRegistry() {
		return lianluo.Forbidden()
	}
	if n > MaxImportRows {
		return lianluo.FieldError("rows", "一次最多导入%d条记录，请分批导入。", MaxImportRows)
	}
	return nil
}

// importRows runs an import in one write transaction. Each row runs in a
// savepoint: a failed statement aborts a PostgreSQL transaction, and rolling
// back to the savepoint lets the import go on to find every bad row, not
// only the first. Rows listed in pre already failed and are skipped. If any
// row failed the whole transaction rolls back and the error is RowErrors;
// an internal error stops the import at once.
func (db *DB) importRows(ctx context.Context, n int, pre lianluo.RowErrors, entity lianluo.AuditEntity, what string,
	row func(tx *Tx, r *resolver, i int) error) error {
	if n == 0 {
		return nil
	}
	bad := slices.Clone(pre)
	skip := map[int]bool{}
	for _, e := range pre {
		skip[e.Row] = true
	}
	return db.transact(ctx, func(tx *Tx) error {
		for i := range n {
			if skip[i] {
				continue
			}
			sp := "row_" + strconv.Itoa(i+1)
			if _, err := tx.Exec(ctx, "SAVEPOINT "+sp); err != nil {
				return err
			}
			r := &resolver{ctx: ctx, tx: tx, actor: lianluo.ActorFromContext(ctx)}
			err := row(tx, r, i)
			if err == nil {
				if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT "+sp); err != nil {
					return err
				}
				continue
			}
			problems, ok := rowProblems(err, i, what)
			if !ok {
				return err
			}
			bad = append(bad, problems...)
			if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT "+sp); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT "+sp); err != nil {
				return err
			}
		}
		if len(bad) > 0 {
			slices.SortStableFunc(bad, func(a, b lianluo.RowError) int { return a.Row - b.Row })
			return bad
		}
		return tx.event(ctx, entity, 0, lianluo.AuditImport, fmt.Sprintf("导入%s%d条", what, n))
	})
}

// rowProblems turns the error of row i into row errors, or reports false
// for an internal error.
func rowProblems(err error, i int, what string) (lianluo.RowErrors, bool) {
	var re lianluo.RowErrors
	if errors.As(err, &re) {
		out := slices.Clone(re)
		for j := range out {
			out[j].Row = i
		}
		return out, true
	}
	var e *lianluo.Error
	if !errors.As(err, &e) {
		return nil, false
	}
	if e.Code == lianluo.EFORBIDDEN && e.Field == "" {
		// The create functions refuse a region outside the caller's subtree
		// with a bare Forbidden; in a sheet the region column is at fault.
		return lianluo.RowErrors{{Row: i, Field: "region_code",
			Message: fmt.Sprintf("不能在您管辖范围以外的行政区划新建%s。", what)}}, true
	}
	return lianluo.RowErrors{{Row: i, Field: e.Field, Message: e.Message}}, true
}

// refKind is a kind of record a row may refer to by name or ID, with the
// scope clause that limits what the caller can see.
type refKind struct {
	table, alias, what string
	scope              func(w *where, a *lianluo.Actor, alias string)
}

var (
	refOrg     = refKind{"orgs", "o", "机构", scopeOrgs}
	refStation = refKind{"stations", "s", "联络站", scopeStations}
	refDeputy  = refKind{"deputies", "d", "代表", scopeDeputies}
	refGroup   = refKind{"deputy_groups", "g", "代表小组", scopeGroups}
)

// resolver finds the records one row refers to, collecting every reference
// that fails so a row reports all of them at once.
type resolver struct {
	ctx      context.Context
	tx       *Tx
	actor    *lianluo.Actor
	problems lianluo.RowErrors
	internal error
}

// find returns the ID of the one record of kind k named ref (or whose ID ref
// is, written as digits) inside the caller's scope, or records a problem on
// field and returns nil. Out-of-scope records are "not found", like
// everywhere else. label is the column's name in the message.
func (r *resolver) find(k refKind, field, label, ref string) *int64 {
	if r.internal != nil {
		return nil
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		r.problem(field, "%s不能为空。", label)
		return nil
	}
	var w where
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 && isDigits(ref) {
		w.add(k.alias + ".id = " + w.arg(id))
	} else {
		w.add(k.alias + ".name = " + w.arg(ref))
	}
	k.scope(&w, r.actor, k.alias)
	var n int
	var id int64
	err := r.tx.QueryRow(r.ctx, `SELECT COUNT(*), COALESCE(MIN(`+k.alias+`.id), 0) FROM `+k.table+` `+k.alias+w.String(),
		w.args...).Scan(&n, &id)
	switch {
	case err != nil:
		r.internal = err
		return nil
	case n == 0:
		r.problem(field, "%s“%s”不存在或不在您的管辖范围内。", label, lianluo.Truncate(ref, 30))
		return nil
	case n > 1:
		r.problem(field, "名为“%s”的%s有%d个，请改填其编号。", lianluo.Truncate(ref, 30), k.what, n)
		return nil
	}
	return &id
}

// grant turns a role and the name of its record into a grant.
func (r *resolver) grant(ref lianluo.RoleRef) (lianluo.Grant, bool) {
	g := lianluo.Grant{Role: ref.Role}
	name, ok := lianluo.RoleNames[ref.Role]
	if !ok {
		r.problem("roles", "角色“%s”无效。", lianluo.Truncate(ref.Role, 20))
		return g, false
	}
	var kind refKind
	switch ref.Role {
	case lianluo.RoleSystemAdmin:
		if strings.TrimSpace(ref.Ref) != "" {
			r.problem("roles", "系统管理员角色不需要填写机构名称。")
			return g, false
		}
		return g, true
	case lianluo.RoleNPCOffice, lianluo.RoleNPCLeader, lianluo.RoleUnitHandler:
		kind = refOrg
	case lianluo.RoleStationHead, lianluo.RoleLiaison:
		kind = refStation
	case lianluo.RoleDeputy:
		kind = refDeputy
	}
	if strings.TrimSpace(ref.Ref) == "" {
		r.problem("roles", "角色“%s”须填写%s名称，如“%s:名称”。", name, kind.what, name)
		return g, false
	}
	id := r.find(kind, "roles", "角色“"+name+"”所指的"+kind.what, ref.Ref)
	if id == nil {
		return g, false
	}
	switch kind.table {
	case refOrg.table:
		g.OrgID = id
	case refStation.table:
		g.StationID = id
	default:
		g.DeputyID = id
	}
	return g, true
}

func (r *resolver) problem(field, format string, args ...any) {
	r.problems = append(r.problems, lianluo.RowError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns an internal error, the row's reference problems, or nil.
func (r *resolver) err() error {
	if r.internal != nil {
		return r.internal
	}
	if len(r.problems) > 0 {
		return r.problems
	}
	return nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
