package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lianluo"
)

// Year plans (年初计划, docs/year-plans.md). Who may write and read is
// lianluo.YearPlanPowers over the owner (a station or a deputy group),
// loaded here; the matching and the warnings are lianluo's too.

// planOwner is a plan's owner as the rules see it, with its name.
type planOwner struct {
	lianluo.PlanOwner
	Name string
}

// loadPlanOwner reads the owner without scope: the powers decide what the
// caller may do with it. A missing owner is not found.
func loadPlanOwner(ctx context.Context, c conn, kind lianluo.PlanOwnerKind, id int64) (*planOwner, error) {
	var o planOwner
	var err error
	switch kind {
	case lianluo.PlanOwnerStation:
		err = c.QueryRow(ctx, `SELECT name, region_code FROM stations WHERE id = $1`, id).Scan(&o.Name, &o.RegionCode)
		if err == nil {
			st := id
			o.StationID = &st
			o.Deputies, err = queryIDs(ctx, c, `SELECT deputy_id FROM station_deputies WHERE station_id = $1 ORDER BY deputy_id`, id)
		}
	case lianluo.PlanOwnerGroup:
		err = c.QueryRow(ctx, `SELECT name, region_code, station_id FROM deputy_groups WHERE id = $1`, id).Scan(&o.Name, &o.RegionCode, &o.StationID)
		if err == nil {
			o.Deputies, err = queryIDs(ctx, c, `SELECT id FROM deputies WHERE group_id = $1 ORDER BY id`, id)
		}
	default:
		return nil, lianluo.FieldError("owner_kind", "计划所属应为联络站（station）或代表小组（group）。")
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound(kind.Name())
	}
	return &o, err
}

// scopeYearPlans: the office and leaders see the plans of their subtree,
// station staff their station's (a group's plan by the group's station),
// deputies the published plans of their stations and their group
// (lianluo.YearPlanVisible, as SQL).
func scopeYearPlans(w *where, a *lianluo.Actor) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, "p.region_code", s.Regions)
	if st := staffStations(a); len(st) > 0 {
		or = append(or, "p.station_id IN "+w.in(st))
	}
	if len(s.Deputies) > 0 && a.Has(lianluo.RoleDeputy) {
		or = append(or, "(p.status = 'published' AND ((p.owner_kind = 'station' AND p.owner_id IN (SELECT station_id FROM station_deputies WHERE deputy_id IN "+
			w.in(s.Deputies)+")) OR (p.owner_kind = 'group' AND p.owner_id IN (SELECT group_id FROM deputies WHERE group_id IS NOT NULL AND id IN "+w.in(s.Deputies)+"))))")
	}
	addOr(w, or)
}

const yearPlanColumns = `p.id, p.owner_kind, p.owner_id, COALESCE(s.name, g.name, ''), p.region_code, p.year, p.status, p.published_at,
	p.version, p.created_at, p.updated_at`

const yearPlanFrom = ` FROM year_plans p
	LEFT JOIN stations s ON p.owner_kind = 'station' AND s.id = p.owner_id
	LEFT JOIN deputy_groups g ON p.owner_kind = 'group' AND g.id = p.owner_id`

func scanYearPlan(sc interface{ Scan(...any) error }, p *lianluo.YearPlan, extra ...any) error {
	err := sc.Scan(append([]any{&p.ID, &p.OwnerKind, &p.OwnerID, &p.OwnerName, &p.RegionCode, &p.Year, &p.Status, &p.PublishedAt,
		&p.Version, &p.CreatedAt, &p.UpdatedAt}, extra...)...)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.In(lianluo.Beijing), p.UpdatedAt.In(lianluo.Beijing)
	if p.PublishedAt != nil {
		t := p.PublishedAt.In(lianluo.Beijing)
		p.PublishedAt = &t
	}
	p.Items, p.Warnings = []lianluo.YearPlanItem{}, []string{}
	return err
}

// loadPlanItems fills the items of the plans, in the order written.
func loadPlanItems(ctx context.Context, c conn, plans []*lianluo.YearPlan) error {
	if len(plans) == 0 {
		return nil
	}
	byID := map[int64]*lianluo.YearPlan{}
	ids := make([]int64, len(plans))
	for i, p := range plans {
		byID[p.ID], ids[i] = p, p.ID
	}
	var w where
	rows, err := c.Query(ctx, `SELECT plan_id, month, kind, title, note FROM year_plan_items WHERE plan_id IN `+w.in(ids)+
		` ORDER BY plan_id, position`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var it lianluo.YearPlanItem
		if err := rows.Scan(&id, &it.Month, &it.Kind, &it.Title, &it.Note); err != nil {
			return err
		}
		byID[id].Items = append(byID[id].Items, it)
	}
	return rows.Err()
}

// findYearPlan loads a plan with its owner and the caller's powers over
// it; a plan the caller may not see is not found.
func findYearPlan(ctx context.Context, c conn, a *lianluo.Actor, id int64) (*lianluo.YearPlan, *planOwner, error) {
	var p lianluo.YearPlan
	err := scanYearPlan(c.QueryRow(ctx, `SELECT `+yearPlanColumns+yearPlanFrom+` WHERE p.id = $1`, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, lianluo.NotFound("年度活动计划")
	} else if err != nil {
		return nil, nil, err
	}
	o, err := loadPlanOwner(ctx, c, p.OwnerKind, p.OwnerID)
	if err != nil {
		return nil, nil, err
	}
	if !lianluo.YearPlanVisible(a, o.PlanOwner, p.Status) {
		return nil, nil, lianluo.NotFound("年度活动计划")
	}
	p.CanWrite, _ = lianluo.YearPlanPowers(a, o.PlanOwner)
	return &p, o, loadPlanItems(ctx, c, []*lianluo.YearPlan{&p})
}

// heldActivities are the activities the owner held in the year, as the
// station rating counts them (activity_reports.go): published or done,
// started in the year and over by now; a station's own (not the group
// meetings held there), or the group's.
func heldActivities(ctx context.Context, c conn, kind lianluo.PlanOwnerKind, ownerID int64, year int, now time.Time) ([]lianluo.PlanActivity, error) {
	owner := `a.station_id = $1 AND a.group_id IS NULL`
	if kind == lianluo.PlanOwnerGroup {
		owner = `a.group_id = $1`
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	rows, err := c.Query(ctx, `SELECT a.id, a.kind, a.title, a.starts_at FROM activities a WHERE `+owner+`
		AND a.status IN ('published', 'done') AND a.starts_at >= $2 AND a.starts_at < $3 AND a.ends_at < $4
		ORDER BY a.starts_at, a.id`, ownerID, from, to, now.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.PlanActivity{}
	for rows.Next() {
		var x lianluo.PlanActivity
		if err := rows.Scan(&x.ID, &x.Kind, &x.Title, &x.Date); err != nil {
			return nil, err
		}
		x.Date = x.Date.In(lianluo.Beijing)
		out = append(out, x)
	}
	return out, rows.Err()
}

// YearPlanWriter says whether the caller may write the owner's plans.
func (db *DB) YearPlanWriter(ctx context.Context, kind lianluo.PlanOwnerKind, ownerID int64) (_ bool, err error) {
	defer wrap(&err, "YearPlanWriter(%s, %d)", kind, ownerID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return false, err
	}
	o, err := loadPlanOwner(ctx, db.reader(), kind, ownerID)
	if err != nil {
		return false, err
	}
	write, read := lianluo.YearPlanPowers(a, o.PlanOwner)
	if !read {
		return false, lianluo.NotFound(kind.Name())
	}
	return write, nil
}

// CreateYearPlan writes a draft plan for an owner and year that have none.
func (db *DB) CreateYearPlan(ctx context.Context, in lianluo.YearPlanInput) (_ *lianluo.YearPlan, err error) {
	defer wrap(&err, "CreateYearPlan")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		if err := in.Validate(tx.now); err != nil {
			return err
		}
		o, err := loadPlanOwner(ctx, tx.conn, in.OwnerKind, in.OwnerID)
		if lianluo.ErrorCode(err) == lianluo.ENOTFOUND {
			return lianluo.NotInScope("owner_id", in.OwnerKind.Name())
		} else if err != nil {
			return err
		}
		write, read := lianluo.YearPlanPowers(a, o.PlanOwner)
		if !read {
			return lianluo.NotInScope("owner_id", in.OwnerKind.Name())
		}
		if !write {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "年度活动计划由%s所在地区的人大办制定。", in.OwnerKind.Name())
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO year_plans (
				owner_kind,
				owner_id,
				station_id,
				region_code,
				year,
				status,
				created_by,
				version,
				created_at,
				updated_at
			) VALUES ($1, $2, $3, $4, $5, 'draft', $6, 1, $7, $7)
			RETURNING id`,
			string(in.OwnerKind), in.OwnerID, o.StationID, o.RegionCode, in.Year, userRef(a), tx.now).Scan(&id)
		if isUniqueViolation(err) {
			return lianluo.Errorf(lianluo.ECONFLICT, "%s%d年度的活动计划已经制定，请修改原计划。", o.Name, in.Year)
		} else if err != nil {
			return err
		}
		if err := writePlanItems(ctx, tx, id, in.Items); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityYearPlan, id, lianluo.AuditCreate,
			fmt.Sprintf("制定%s%d年度活动计划，共%d项", o.Name, in.Year, len(in.Items)))
	})
	if err != nil {
		return nil, err
	}
	return db.FindYearPlanByID(ctx, id)
}

// writePlanItems replaces the plan's items.
func writePlanItems(ctx context.Context, tx *Tx, id int64, items []lianluo.YearPlanItem) error {
	if _, err := tx.Exec(ctx, `DELETE FROM year_plan_items WHERE plan_id = $1`, id); err != nil {
		return err
	}
	for i, it := range items {
		if _, err := tx.Exec(ctx, `
			INSERT INTO year_plan_items (
				plan_id,
				position,
				month,
				kind,
				title,
				note
			) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, i, it.Month, it.Kind, it.Title, it.Note); err != nil {
			return err
		}
	}
	return nil
}

// FindYearPlans lists plans in scope, by year (latest first) and owner;
// without progress (read one plan for it).
func (db *DB) FindYearPlans(ctx context.Context, f lianluo.YearPlanFilter) (_ []*lianluo.YearPlan, _ int, err error) {
	defer wrap(&err, "FindYearPlans")
	if f.Year != 0 && (f.Year < 2000 || f.Year > 2100) {
		return nil, 0, lianluo.FieldError("year", "年度不正确。")
	}
	var w where
	scopeYearPlans(&w, lianluo.ActorFromContext(ctx))
	if f.Year != 0 {
		w.add("p.year = " + w.arg(f.Year))
	}
	if f.StationID != 0 {
		w.add("p.owner_kind = 'station' AND p.owner_id = " + w.arg(f.StationID))
	}
	if f.GroupID != 0 {
		w.add("p.owner_kind = 'group' AND p.owner_id = " + w.arg(f.GroupID))
	}
	c := db.reader()
	list, total, err := queryList(ctx, c, `SELECT `+yearPlanColumns+`, COUNT(*) OVER ()`+yearPlanFrom+w.String()+
		` ORDER BY p.year DESC, p.owner_kind DESC, p.region_code, p.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, p *lianluo.YearPlan, n *int) error {
			return scanYearPlan(sc, p, n)
		})
	if err != nil {
		return nil, 0, err
	}
	return list, total, loadPlanItems(ctx, c, list)
}

// FindYearPlanByID returns a plan in scope, its items read against the
// activities held, with the warnings.
func (db *DB) FindYearPlanByID(ctx context.Context, id int64) (_ *lianluo.YearPlan, err error) {
	defer wrap(&err, "FindYearPlanByID(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	c := db.reader()
	p, _, err := findYearPlan(ctx, c, a, id)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	held, err := heldActivities(ctx, c, p.OwnerKind, p.OwnerID, p.Year, now)
	if err != nil {
		return nil, err
	}
	progress := lianluo.MatchYearPlan(p.Year, p.Items, held, now)
	p.Progress = &progress
	p.Warnings = lianluo.PlanWarnings(p.OwnerKind, p.Year, p.Items)
	return p, nil
}

// UpdateYearPlan replaces the items. A published plan stays published and
// its deputies are not told again; the audit event says what changed.
func (db *DB) UpdateYearPlan(ctx context.Context, id int64, u lianluo.YearPlanUpdate) (_ *lianluo.YearPlan, err error) {
	defer wrap(&err, "UpdateYearPlan(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		p, _, err := findYearPlan(ctx, tx.conn, a, id)
		if err != nil {
			return err
		}
		if !p.CanWrite {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "年度活动计划由%s所在地区的人大办修改。", p.OwnerKind.Name())
		}
		if err := lianluo.CheckVersion("该计划", u.Version, p.Version); err != nil {
			return err
		}
		if err := lianluo.ValidatePlanItems(p.OwnerKind, u.Items); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE year_plans SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`,
			tx.now, id, u.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		if err := writePlanItems(ctx, tx, id, u.Items); err != nil {
			return err
		}
		summary := "修改年度活动计划：" + lianluo.PlanChanges(p.Items, u.Items)
		if p.Status == lianluo.YearPlanPublished {
			summary = "修改已发布的年度活动计划：" + lianluo.PlanChanges(p.Items, u.Items)
		}
		return tx.event(ctx, lianluo.EntityYearPlan, id, lianluo.AuditUpdate, summary)
	})
	if err != nil {
		return nil, err
	}
	return db.FindYearPlanByID(ctx, id)
}

// PublishYearPlan publishes a draft and tells each of the owner's
// deputies (in-app and by text message, as an activity's notice: 002
// 年初…将全年代表活动的时间做好安排，让代表知晓). A published plan cannot be
// published again, and the notices are keyed by plan and deputy, so
// nobody is told twice.
func (db *DB) PublishYearPlan(ctx context.Context, id int64, version int) (_ *lianluo.YearPlan, err error) {
	defer wrap(&err, "PublishYearPlan(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		p, o, err := findYearPlan(ctx, tx.conn, a, id)
		if err != nil {
			return err
		}
		if !p.CanWrite {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "年度活动计划由%s所在地区的人大办发布。", p.OwnerKind.Name())
		}
		if err := lianluo.CheckVersion("该计划", version, p.Version); err != nil {
			return err
		}
		if p.Status == lianluo.YearPlanPublished {
			return lianluo.Errorf(lianluo.ESTATE, "该计划已发布，代表已收到通知。")
		}
		if len(p.Items) == 0 {
			return lianluo.FieldError("items", "计划还没有活动，请先添加后再发布。")
		}
		res, err := tx.Exec(ctx, `UPDATE year_plans SET status = 'published', published_at = $1, version = version + 1, updated_at = $1
			WHERE id = $2 AND version = $3 AND status = 'draft'`, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		var station int64
		if o.StationID != nil {
			station = *o.StationID
		}
		for _, d := range o.Deputies {
			if err := notifyDeputyOf(ctx, tx, d, station, fmt.Sprintf("year_plan_published:%d:%d", id, d), lianluo.MsgYearPlanPublished,
				o.Name, p.Year, len(p.Items)); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityYearPlan, id, lianluo.AuditPublish,
			fmt.Sprintf("发布%s%d年度活动计划，通知代表%d名", o.Name, p.Year, len(o.Deputies)))
	})
	if err != nil {
		return nil, err
	}
	return db.FindYearPlanByID(ctx, id)
}

var _ lianluo.YearPlanService = (*DB)(nil)
