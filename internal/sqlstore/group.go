package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lianluo"
)

const groupColumns = `g.id, g.name, g.org_id, COALESCE(o.name, ''), g.region_code, g.station_id, g.leader_id,
	g.deputy_leader_id, g.recorder_id, g.active, g.version, g.created_at, g.updated_at`

const groupFrom = ` FROM deputy_groups g LEFT JOIN orgs o ON o.id = g.org_id`

func scanGroup(s interface{ Scan(...any) error }, g *lianluo.DeputyGroup, extra ...any) error {
	return s.Scan(append([]any{&g.ID, &g.Name, &g.OrgID, &g.OrgName, &g.RegionCode, &g.StationID, &g.LeaderID,
		&g.DeputyLeaderID, &g.RecorderID, &g.Active, &g.Version, &g.CreatedAt, &g.UpdatedAt}, extra...)...)
}

// FindGroupByID returns a deputy group inside the caller's scope, with its members.
func (db *DB) FindGroupByID(ctx context.Context, id int64) (_ *lianluo.DeputyGroup, err error) {
	defer wrap(&err, "FindGroupByID(%d)", id)
	return findGroupByID(ctx, db.reader(), id)
}

func findGroupByID(ctx context.Context, c conn, id int64) (*lianluo.DeputyGroup, error) {
	var w where
	w.add("g.id = " + w.arg(id))
	scopeGroups(&w, lianluo.ActorFromContext(ctx), "g")
	var g lianluo.DeputyGroup
	err := scanGroup(c.QueryRow(ctx, `SELECT `+groupColumns+groupFrom+w.String(), w.args...), &g)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("代表小组")
	} else if err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, `SELECT id, name FROM deputies WHERE group_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	g.Members = []lianluo.DeputyRef{}
	for rows.Next() {
		var d lianluo.DeputyRef
		if err := rows.Scan(&d.ID, &d.Name); err != nil {
			return nil, err
		}
		g.Members = append(g.Members, d)
	}
	return &g, rows.Err()
}

// FindGroups lists deputy groups inside the caller's scope.
func (db *DB) FindGroups(ctx context.Context, f lianluo.GroupFilter) (_ []*lianluo.DeputyGroup, _ int, err error) {
	defer wrap(&err, "FindGroups")
	var w where
	scopeGroups(&w, lianluo.ActorFromContext(ctx), "g")
	if f.Region != "" {
		w.add("g.region_code LIKE " + w.arg(lianluo.NormalizeRegionCode(f.Region)+"%"))
	}
	if f.OrgID != 0 {
		w.add("g.org_id = " + w.arg(f.OrgID))
	}
	if f.Q != "" {
		w.add(`g.name LIKE ` + w.arg(likeContains(f.Q)) + ` ESCAPE '\'`)
	}
	return queryList(ctx, db.reader(), `SELECT `+groupColumns+`, COUNT(*) OVER ()`+groupFrom+w.String()+
		` ORDER BY g.region_code, g.id`+w.page(f.Page), w.args, func(s interface{ Scan(...any) error }, g *lianluo.DeputyGroup, n *int) error {
		return scanGroup(s, g, n)
	})
}

// CreateGroup creates a deputy group in a region the caller manages.
func (db *DB) CreateGroup(ctx context.Context, g *lianluo.DeputyGroup) (err error) {
	defer wrap(&err, "CreateGroup")
	return db.transact(ctx, func(tx *Tx) error {
		a, err := lianluo.RequireActor(ctx)
		if err != nil {
			return err
		}
		if err := checkGroup(ctx, tx, g); err != nil {
			return err
		}
		if err := a.CheckManageRegion("region_code", g.RegionCode); err != nil {
			return err
		}
		g.Active, g.Version, g.CreatedAt, g.UpdatedAt = true, 1, tx.now, tx.now
		err = tx.QueryRow(ctx, `
			INSERT INTO deputy_groups (name, org_id, region_code, station_id, leader_id, deputy_leader_id, recorder_id,
				active, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`,
			g.Name, g.OrgID, g.RegionCode, g.StationID, g.LeaderID, g.DeputyLeaderID, g.RecorderID,
			g.Active, g.Version, tx.now, tx.now).Scan(&g.ID)
		if isUniqueViolation(err) {
			return lianluo.FieldError("name", "该机构下已有名为“%s”的代表小组。", g.Name)
		} else if err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityGroup, g.ID, lianluo.AuditCreate, fmt.Sprintf("新建代表小组“%s”", g.Name))
	})
}

func checkGroup(ctx context.Context, tx *Tx, g *lianluo.DeputyGroup) error {
	if err := g.Validate(); err != nil {
		return err
	}
	var err error
	if g.RegionCode, err = requireRegion(ctx, tx.conn, "region_code", g.RegionCode); err != nil {
		return err
	}
	if o, err := findOrgByID(ctx, tx.conn, g.OrgID); err != nil || o.Kind != lianluo.OrgNPC {
		return lianluo.FieldError("org_id", "所属机构须是您管辖范围内的人大机构。")
	}
	if g.StationID != nil {
		if _, err := findStationByID(ctx, tx.conn, *g.StationID); err != nil {
			return lianluo.FieldError("station_id", "联络站不存在或不在您的管辖范围内。")
		}
	}
	for _, f := range []struct {
		field string
		id    *int64
	}{{"leader_id", g.LeaderID}, {"deputy_leader_id", g.DeputyLeaderID}, {"recorder_id", g.RecorderID}} {
		if f.id != nil {
			if err := checkDeputyInScope(ctx, tx.conn, *f.id); err != nil {
				return lianluo.FieldError(f.field, "所选代表不存在或不在您的管辖范围内。")
			}
		}
	}
	return nil
}

// UpdateGroup changes a deputy group; the version must match.
func (db *DB) UpdateGroup(ctx context.Context, id int64, u lianluo.GroupUpdate) (_ *lianluo.DeputyGroup, err error) {
	defer wrap(&err, "UpdateGroup(%d)", id)
	var out *lianluo.DeputyGroup
	err = db.transact(ctx, func(tx *Tx) error {
		a, err := lianluo.RequireActor(ctx)
		if err != nil {
			return err
		}
		old, err := findGroupByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !a.CanManageRegion(old.RegionCode) {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("该代表小组", u.Version, old.Version); err != nil {
			return err
		}
		g := *old
		u.Apply(&g)
		if err := checkGroup(ctx, tx, &g); err != nil {
			return err
		}
		if err := a.CheckManageRegion("region_code", g.RegionCode); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `
			UPDATE deputy_groups SET name = $1, org_id = $2, region_code = $3, station_id = $4, leader_id = $5,
				deputy_leader_id = $6, recorder_id = $7, active = $8, version = version + 1, updated_at = $9
			WHERE id = $10 AND version = $11`,
			g.Name, g.OrgID, g.RegionCode, g.StationID, g.LeaderID, g.DeputyLeaderID, g.RecorderID, g.Active,
			tx.now, id, u.Version)
		if isUniqueViolation(err) {
			return lianluo.FieldError("name", "该机构下已有名为“%s”的代表小组。", g.Name)
		} else if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		var c changes
		c.str("名称", old.Name, g.Name)
		c.changed("所属机构", old.OrgID != g.OrgID)
		c.str("行政区划", old.RegionCode, g.RegionCode)
		c.changed("联络站", !sameID(old.StationID, g.StationID))
		c.changed("组长", !sameID(old.LeaderID, g.LeaderID))
		c.changed("副组长", !sameID(old.DeputyLeaderID, g.DeputyLeaderID))
		c.changed("记录员", !sameID(old.RecorderID, g.RecorderID))
		c.changed("状态", old.Active != g.Active)
		action := lianluo.AuditUpdate
		if old.Active && !g.Active {
			action = lianluo.AuditDeactivate
		}
		if err := tx.event(ctx, lianluo.EntityGroup, id, action, c.String()); err != nil {
			return err
		}
		out, err = findGroupByID(ctx, tx.conn, id)
		return err
	})
	return out, err
}
