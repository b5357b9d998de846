package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lianluo"
)

const orgColumns = `o.id, o.kind, o.name, o.region_code, COALESCE(r.name, ''), o.parent_id, COALESCE(p.name, ''),
	o.contact, o.phone, o.address, o.active, o.version, o.created_at, o.updated_at`

const orgFrom = ` FROM orgs o
	LEFT JOIN regions r ON r.code = o.region_code
	LEFT JOIN orgs p ON p.id = o.parent_id`

func scanOrg(s interface{ Scan(...any) error }, o *lianluo.Org, extra ...any) error {
	return s.Scan(append([]any{&o.ID, &o.Kind, &o.Name, &o.RegionCode, &o.RegionName, &o.ParentID, &o.ParentName,
		&o.Contact, &o.Phone, &o.Address, &o.Active, &o.Version, &o.CreatedAt, &o.UpdatedAt}, extra...)...)
}

// FindOrgByID returns an organisation inside the caller's scope.
func (db *DB) FindOrgByID(ctx context.Context, id int64) (_ *lianluo.Org, err error) {
	defer wrap(&err, "FindOrgByID(%d)", id)
	return findOrgByID(ctx, db.reader(), id)
}

func findOrgByID(ctx context.Context, c conn, id int64) (*lianluo.Org, error) {
	var w where
	w.add("o.id = " + w.arg(id))
	scopeOrgs(&w, lianluo.ActorFromContext(ctx), "o")
	var o lianluo.Org
	err := scanOrg(c.QueryRow(ctx, `SELECT `+orgColumns+orgFrom+w.String(), w.args...), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("机构")
	}
	return &o, err
}

// FindOrgs lists organisations inside the caller's scope, by region then name.
func (db *DB) FindOrgs(ctx context.Context, f lianluo.OrgFilter) (_ []*lianluo.Org, _ int, err error) {
	defer wrap(&err, "FindOrgs")
	var w where
	scopeOrgs(&w, lianluo.ActorFromContext(ctx), "o")
	if f.Kind != "" {
		w.add("o.kind = " + w.arg(f.Kind))
	}
	if f.Region != "" {
		w.add("o.region_code LIKE " + w.arg(lianluo.NormalizeRegionCode(f.Region)+"%"))
	}
	if f.Q != "" {
		w.add(`o.name LIKE ` + w.arg(likeContains(f.Q)) + ` ESCAPE '\'`)
	}
	if f.Active != nil {
		w.add("o.active = " + w.arg(*f.Active))
	}
	return queryList(ctx, db.reader(), `SELECT `+orgColumns+`, COUNT(*) OVER ()`+orgFrom+w.String()+
		` ORDER BY o.region_code, o.kind, o.name, o.id`+w.page(f.Page), w.args, func(s interface{ Scan(...any) error }, o *lianluo.Org, n *int) error {
		return scanOrg(s, o, n)
	})
}

// CreateOrg creates an organisation in a region the caller manages.
func (db *DB) CreateOrg(ctx context.Context, o *lianluo.Org) (err error) {
	defer wrap(&err, "CreateOrg")
	return db.transact(ctx, func(tx *Tx) error { return createOrg(ctx, tx, o) })
}

func createOrg(ctx context.Context, tx *Tx, o *lianluo.Org) error {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if o.RegionCode, err = requireRegion(ctx, tx.conn, "region_code", o.RegionCode); err != nil {
		return err
	}
	if err := a.CheckManageRegion("region_code", o.RegionCode); err != nil {
		return err
	}
	if err := checkOrgParent(ctx, tx, o, nil); err != nil {
		return err
	}
	o.Active, o.Version, o.CreatedAt, o.UpdatedAt = true, 1, tx.now, tx.now
	err = tx.QueryRow(ctx, `
		INSERT INTO orgs (kind, name, region_code, parent_id, contact, phone, address, active, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING id`,
		o.Kind, o.Name, o.RegionCode, o.ParentID, o.Contact, o.Phone, o.Address, o.Active, o.Version, tx.now, tx.now,
	).Scan(&o.ID)
	if isUniqueViolation(err) {
		return lianluo.FieldError("name", "该行政区划下已有名为“%s”的机构。", o.Name)
	} else if err != nil {
		return err
	}
	return tx.event(ctx, lianluo.EntityOrg, o.ID, lianluo.AuditCreate, fmt.Sprintf("新建%s“%s”", lianluo.OrgKindNames[o.Kind], o.Name))
}

// checkOrgParent enforces the escalation chain: an NPC body's parent is an
// NPC body whose region contains it (town → district → city), and the chain
// has no cycle. A parent newly given (not the org's old one) is a reference
// and must be in the caller's scope or up the chain.
func checkOrgParent(ctx context.Context, tx *Tx, o *lianluo.Org, oldParent *int64) error {
	if o.ParentID == nil {
		return nil
	}
	var kind, region string
	err := tx.QueryRow(ctx, `SELECT kind, region_code FROM orgs WHERE id = $1`, *o.ParentID).Scan(&kind, &region)
	if errors.Is(err, sql.ErrNoRows) {
		return lianluo.FieldError("parent_id", "上级机构不存在。")
	} else if err != nil {
		return err
	}
	// A parent outside the caller's scope is only the chain above: an NPC
	// body whose region contains the org's (a town office's own body
	// reports to the district, which the town does not see).
	if oldParent != nil && *oldParent == *o.ParentID {
		// unchanged: kept as it was set
	} else if _, err := findOrgByID(ctx, tx.conn, *o.ParentID); lianluo.Is(err, lianluo.ENOTFOUND) {
		if kind != lianluo.OrgNPC || !strings.HasPrefix(o.RegionCode, region) {
			return lianluo.NotInScope("parent_id", "上级机构")
		}
	} else if err != nil {
		return err
	}
	if o.Kind == lianluo.OrgNPC {
		if kind != lianluo.OrgNPC {
			return lianluo.FieldError("parent_id", "人大机构的上级必须是人大机构。")
		}
		if len(region) > len(o.RegionCode) || o.RegionCode[:len(region)] != region {
			return lianluo.FieldError("parent_id", "上级人大机构的辖区必须包含本机构所在的行政区划。")
		}
	}
	// Walk up the chain: the new parent must not lead back to o.
	id := *o.ParentID
	for i := 0; i < 20; i++ {
		if o.ID != 0 && id == o.ID {
			return lianluo.FieldError("parent_id", "上级机构不能是本机构或其下级。")
		}
		var next *int64
		if err := tx.QueryRow(ctx, `SELECT parent_id FROM orgs WHERE id = $1`, id).Scan(&next); err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		id = *next
	}
	return lianluo.FieldError("parent_id", "上级机构层级过深。")
}

// UpdateOrg changes an organisation; the version must match.
func (db *DB) UpdateOrg(ctx context.Context, id int64, u lianluo.OrgUpdate) (_ *lianluo.Org, err error) {
	defer wrap(&err, "UpdateOrg(%d)", id)
	var out *lianluo.Org
	err = db.transact(ctx, func(tx *Tx) error {
		a, err := lianluo.RequireActor(ctx)
		if err != nil {
			return err
		}
		old, err := findOrgByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !a.CanManageRegion(old.RegionCode) {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("该单位", u.Version, old.Version); err != nil {
			return err
		}
		o := *old
		u.Apply(&o)
		if err := o.Validate(); err != nil {
			return err
		}
		if o.RegionCode, err = requireRegion(ctx, tx.conn, "region_code", o.RegionCode); err != nil {
			return err
		}
		if err := a.CheckManageRegion("region_code", o.RegionCode); err != nil {
			return err
		}
		if err := checkOrgParent(ctx, tx, &o, old.ParentID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `
			UPDATE orgs SET name = $1, region_code = $2, parent_id = $3, contact = $4, phone = $5, address = $6,
				active = $7, version = version + 1, updated_at = $8
			WHERE id = $9 AND version = $10`,
			o.Name, o.RegionCode, o.ParentID, o.Contact, o.Phone, o.Address, o.Active, tx.now, id, u.Version)
		if isUniqueViolation(err) {
			return lianluo.FieldError("name", "该行政区划下已有名为“%s”的机构。", o.Name)
		} else if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		var c changes
		c.str("名称", old.Name, o.Name)
		c.str("行政区划", old.RegionCode, o.RegionCode)
		c.changed("上级机构", !sameID(old.ParentID, o.ParentID))
		c.str("联系人", old.Contact, o.Contact)
		c.phone("电话", old.Phone, o.Phone)
		c.str("地址", old.Address, o.Address)
		action := lianluo.AuditUpdate
		if old.Active && !o.Active {
			action = lianluo.AuditDeactivate
		}
		c.changed("状态", old.Active != o.Active)
		if err := tx.event(ctx, lianluo.EntityOrg, id, action, c.String()); err != nil {
			return err
		}
		out, err = findOrgByID(ctx, tx.conn, id)
		return err
	})
	return out, err
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
