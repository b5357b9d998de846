package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"lianluo"
)

const deputyColumns = `d.id, d.name, d.gender, d.phone, d.ethnicity, d.party, d.occupation, d.work_unit,
	d.region_code, COALESCE(r.name, ''), d.group_id, COALESCE(g.name, ''), d.leader, d.first_term, d.status, d.bio,
	EXISTS (SELECT 1 FROM deputy_photos p WHERE p.deputy_id = d.id), d.version, d.created_at, d.updated_at`

const deputyFrom = ` FROM deputies d
	LEFT JOIN regions r ON r.code = d.region_code
	LEFT JOIN deputy_groups g ON g.id = d.group_id`

func scanDeputy(s interface{ Scan(...any) error }, d *lianluo.Deputy, extra ...any) error {
	return s.Scan(append([]any{&d.ID, &d.Name, &d.Gender, &d.Phone, &d.Ethnicity, &d.Party, &d.Occupation, &d.WorkUnit,
		&d.RegionCode, &d.RegionName, &d.GroupID, &d.GroupName, &d.Leader, &d.FirstTerm, &d.Status, &d.Bio,
		&d.HasPhoto, &d.Version, &d.CreatedAt, &d.UpdatedAt}, extra...)...)
}

// FindDeputyByID returns a deputy inside the caller's scope.
func (db *DB) FindDeputyByID(ctx context.Context, id int64) (_ *lianluo.Deputy, err error) {
	defer wrap(&err, "FindDeputyByID(%d)", id)
	return findDeputyByID(ctx, db.reader(), id)
}

func findDeputyByID(ctx context.Context, c conn, id int64) (*lianluo.Deputy, error) {
	var w where
	w.add("d.id = " + w.arg(id))
	scopeDeputies(&w, lianluo.ActorFromContext(ctx), "d")
	var d lianluo.Deputy
	err := scanDeputy(c.QueryRow(ctx, `SELECT `+deputyColumns+deputyFrom+w.String(), w.args...), &d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("代表")
	} else if err != nil {
		return nil, err
	}
	if err := loadDeputyDetails(ctx, c, []*lianluo.Deputy{&d}); err != nil {
		return nil, err
	}
	return &d, nil
}

// checkDeputyInScope returns not found unless deputy id exists and is in
// the caller's scope: findDeputyByID's check without loading the deputy,
// for writes that only refer to one.
func checkDeputyInScope(ctx context.Context, c conn, id int64) error {
	_, err := deputyNameInScope(ctx, c, id)
	return err
}

// deputyNameInScope is checkDeputyInScope that also returns the deputy's
// name (a registration's receiving deputies, shown with the new case).
func deputyNameInScope(ctx context.Context, c conn, id int64) (string, error) {
	var w where
	w.add("d.id = " + w.arg(id))
	scopeDeputies(&w, lianluo.ActorFromContext(ctx), "d")
	var name string
	err := c.QueryRow(ctx, `SELECT d.name`+deputyFrom+w.String(), w.args...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", lianluo.NotFound("代表")
	}
	return name, err
}

// loadDeputyDetails fills seats and stations for a page of deputies in two queries.
func loadDeputyDetails(ctx context.Context, c conn, ds []*lianluo.Deputy) error {
	if len(ds) == 0 {
		return nil
	}
	byID := map[int64]*lianluo.Deputy{}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		byID[d.ID], ids[i] = d, d.ID
		d.Seats, d.StationIDs, d.Stations = []lianluo.Seat{}, []int64{}, []lianluo.StationRef{}
	}
	var w where
	in := w.in(ids)
	rows, err := c.Query(ctx, `SELECT deputy_id, level, term, constituency FROM deputy_seats WHERE deputy_id IN `+in+`
		ORDER BY deputy_id, CASE level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 WHEN 'city' THEN 3 WHEN 'county' THEN 4 ELSE 5 END`, w.args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var s lianluo.Seat
		if err := rows.Scan(&id, &s.Level, &s.Term, &s.Constituency); err != nil {
			rows.Close()
			return err
		}
		byID[id].Seats = append(byID[id].Seats, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = c.Query(ctx, `SELECT sd.deputy_id, s.id, s.name FROM station_deputies sd JOIN stations s ON s.id = sd.station_id
		WHERE sd.deputy_id IN `+in+` ORDER BY sd.deputy_id, s.id`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s lianluo.StationRef
		if err := rows.Scan(&id, &s.ID, &s.Name); err != nil {
			return err
		}
		byID[id].StationIDs = append(byID[id].StationIDs, s.ID)
		byID[id].Stations = append(byID[id].Stations, s)
	}
	return rows.Err()
}

// FindDeputies lists deputies inside the caller's scope.
func (db *DB) FindDeputies(ctx context.Context, f lianluo.DeputyFilter) (_ []*lianluo.Deputy, _ int, err error) {
	defer wrap(&err, "FindDeputies")
	var w where
	scopeDeputies(&w, lianluo.ActorFromContext(ctx), "d")
	if f.Region != "" {
		w.add("d.region_code LIKE " + w.arg(lianluo.NormalizeRegionCode(f.Region)+"%"))
	}
	if f.StationID != 0 {
		w.add("d.id IN (SELECT deputy_id FROM station_deputies WHERE station_id = " + w.arg(f.StationID) + ")")
	}
	if f.GroupID != 0 {
		w.add("d.group_id = " + w.arg(f.GroupID))
	}
	if f.Level != "" {
		w.add("d.id IN (SELECT deputy_id FROM deputy_seats WHERE level = " + w.arg(f.Level) + ")")
	}
	if f.Status != "" {
		w.add("d.status = " + w.arg(f.Status))
	}
	if f.Q != "" {
		p := w.arg(likeContains(f.Q))
		w.add(`(d.name LIKE ` + p + ` ESCAPE '\' OR d.work_unit LIKE ` + p + ` ESCAPE '\')`)
	}
	out, total, err := queryList(ctx, db.reader(), `SELECT `+deputyColumns+`, COUNT(*) OVER ()`+deputyFrom+w.String()+
		` ORDER BY d.region_code, d.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, d *lianluo.Deputy, n *int) error { return scanDeputy(sc, d, n) })
	if err != nil {
		return nil, 0, err
	}
	return out, total, loadDeputyDetails(ctx, db.reader(), out)
}

// CreateDeputy registers a deputy in a region the caller manages.
func (db *DB) CreateDeputy(ctx context.Context, d *lianluo.Deputy) (err error) {
	defer wrap(&err, "CreateDeputy")
	return db.transact(ctx, func(tx *Tx) error { return createDeputy(ctx, tx, d) })
}

func createDeputy(ctx context.Context, tx *Tx, d *lianluo.Deputy) error {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if d.Status == "" {
		d.Status = lianluo.DeputyInOffice
	}
	if err := checkDeputy(ctx, tx, a, d); err != nil {
		return err
	}
	d.Version, d.CreatedAt, d.UpdatedAt = 1, tx.now, tx.now
	err = tx.QueryRow(ctx, `
		INSERT INTO deputies (name, gender, phone, ethnicity, party, occupation, work_unit, region_code, group_id,
			leader, first_term, status, bio, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		RETURNING id`,
		d.Name, d.Gender, d.Phone, d.Ethnicity, d.Party, d.Occupation, d.WorkUnit, d.RegionCode, d.GroupID,
		d.Leader, d.FirstTerm, d.Status, d.Bio, d.Version, tx.now, tx.now).Scan(&d.ID)
	if err != nil {
		return err
	}
	if err := writeDeputyLinks(ctx, tx, d); err != nil {
		return err
	}
	return tx.event(ctx, lianluo.EntityDeputy, d.ID, lianluo.AuditCreate, fmt.Sprintf("新建代表“%s”（%s）", d.Name, d.LevelsText()))
}

// checkDeputy validates a deputy and the records it refers to.
func checkDeputy(ctx context.Context, tx *Tx, a *lianluo.Actor, d *lianluo.Deputy) error {
	if err := d.Validate(); err != nil {
		return err
	}
	var err error
	if d.RegionCode, err = requireRegion(ctx, tx.conn, "region_code", d.RegionCode); err != nil {
		return err
	}
	if err := a.CheckManageRegion("region_code", d.RegionCode); err != nil {
		return err
	}
	if d.GroupID != nil {
		if _, err := findGroupByID(ctx, tx.conn, *d.GroupID); err != nil {
			return lianluo.FieldError("group_id", "代表小组不存在或不在您的管辖范围内。")
		}
	}
	slices.Sort(d.StationIDs)
	d.StationIDs = slices.Compact(d.StationIDs)
	for _, id := range d.StationIDs {
		if _, err := findStationByID(ctx, tx.conn, id); err != nil {
			return lianluo.FieldError("station_ids", "联络站（编号%d）不存在或不在您的管辖范围内。", id)
		}
	}
	return nil
}

// writeDeputyLinks replaces a deputy's seats and station links.
func writeDeputyLinks(ctx context.Context, tx *Tx, d *lianluo.Deputy) error {
	if _, err := tx.Exec(ctx, `DELETE FROM deputy_seats WHERE deputy_id = $1`, d.ID); err != nil {
		return err
	}
	for _, s := range d.Seats {
		if _, err := tx.Exec(ctx, `INSERT INTO deputy_seats (deputy_id, level, term, constituency) VALUES ($1, $2, $3, $4)`,
			d.ID, s.Level, s.Term, s.Constituency); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM station_deputies WHERE deputy_id = $1`, d.ID); err != nil {
		return err
	}
	for _, sid := range d.StationIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO station_deputies (station_id, deputy_id) VALUES ($1, $2)`, sid, d.ID); err != nil {
			return err
		}
	}
	return nil
}

// UpdateDeputy changes a deputy; the version must match. Setting the status
// to terminated or transferred is how a deputy leaves office: deputies are
// never deleted, history refers to them.
func (db *DB) UpdateDeputy(ctx context.Context, id int64, u lianluo.DeputyUpdate) (_ *lianluo.Deputy, err error) {
	defer wrap(&err, "UpdateDeputy(%d)", id)
	var out *lianluo.Deputy
	err = db.transact(ctx, func(tx *Tx) error {
		a, err := lianluo.RequireActor(ctx)
		if err != nil {
			return err
		}
		old, err := findDeputyByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !a.CanManageRegion(old.RegionCode) {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("该代表", u.Version, old.Version); err != nil {
			return err
		}
		d := *old
		d.Seats = slices.Clone(old.Seats)
		d.StationIDs = slices.Clone(old.StationIDs)
		u.Apply(&d)
		if err := checkDeputy(ctx, tx, a, &d); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `
			UPDATE deputies SET name = $1, gender = $2, phone = $3, ethnicity = $4, party = $5, occupation = $6,
				work_unit = $7, region_code = $8, group_id = $9, leader = $10, status = $11, bio = $12,
				first_term = $13, version = version + 1, updated_at = $14
			WHERE id = $15 AND version = $16`,
			d.Name, d.Gender, d.Phone, d.Ethnicity, d.Party, d.Occupation, d.WorkUnit, d.RegionCode, d.GroupID,
			d.Leader, d.Status, d.Bio, d.FirstTerm, tx.now, id, u.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		if err := writeDeputyLinks(ctx, tx, &d); err != nil {
			return err
		}
		var c changes
		c.str("姓名", old.Name, d.Name)
		c.str("性别", lianluo.GenderNames[old.Gender], lianluo.GenderNames[d.Gender])
		c.phone("手机号", old.Phone, d.Phone)
		c.str("民族", old.Ethnicity, d.Ethnicity)
		c.str("政治面貌", old.Party, d.Party)
		c.str("职业", old.Occupation, d.Occupation)
		c.str("工作单位", old.WorkUnit, d.WorkUnit)
		c.str("行政区划", old.RegionCode, d.RegionCode)
		c.changed("代表小组", !sameID(old.GroupID, d.GroupID))
		c.str("代表层级", old.LevelsText(), d.LevelsText())
		c.changed("届次或选区", !slices.Equal(old.Seats, d.Seats) && old.LevelsText() == d.LevelsText())
		c.changed("联络站", !slices.Equal(old.StationIDs, d.StationIDs))
		c.changed("领导干部代表", old.Leader != d.Leader)
		c.changed("新任代表", old.FirstTerm != d.FirstTerm)
		c.str("状态", lianluo.DeputyStatusNames[old.Status], lianluo.DeputyStatusNames[d.Status])
		c.changed("简介", old.Bio != d.Bio)
		action := lianluo.AuditUpdate
		if old.Status == lianluo.DeputyInOffice && d.Status != lianluo.DeputyInOffice {
			action = lianluo.AuditDeactivate
		}
		if err := tx.event(ctx, lianluo.EntityDeputy, id, action, c.String()); err != nil {
			return err
		}
		out, err = findDeputyByID(ctx, tx.conn, id)
		return err
	})
	return out, err
}
