package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"lianluo"
)

const stationColumns = `s.id, s.kind, s.name, s.region_code, COALESCE(r.name, ''), s.org_id, COALESCE(o.name, ''),
	s.address, s.opening_hours, s.phone, s.head_deputy_id, COALESCE(h.name, ''), s.board, s.active, s.version, s.created_at, s.updated_at`

const stationFrom = ` FROM stations s
	LEFT JOIN regions r ON r.code = s.region_code
	LEFT JOIN orgs o ON o.id = s.org_id
	LEFT JOIN deputies h ON h.id = s.head_deputy_id`

func scanStation(sc interface{ Scan(...any) error }, s *lianluo.Station, extra ...any) error {
	var board string
	err := sc.Scan(append([]any{&s.ID, &s.Kind, &s.Name, &s.RegionCode, &s.RegionName, &s.OrgID, &s.OrgName,
		&s.Address, &s.OpeningHours, &s.Phone, &s.HeadDeputyID, &s.HeadName, &board, &s.Active, &s.Version, &s.CreatedAt, &s.UpdatedAt}, extra...)...)
	if err == nil {
		s.Board = decodeBoard(board)
	}
	return err
}

// decodeBoard reads the board column (JSON text; empty for none).
func decodeBoard(text string) lianluo.StationBoard {
	var b lianluo.StationBoard
	if text != "" {
		json.Unmarshal([]byte(text), &b) // written only by encodeBoard
	}
	return b
}

func encodeBoard(b lianluo.StationBoard) string {
	if b == (lianluo.StationBoard{}) {
		return ""
	}
	out, _ := json.Marshal(b)
	return string(out)
}

// FindStationByID returns a station inside the caller's scope.
func (db *DB) FindStationByID(ctx context.Context, id int64) (_ *lianluo.Station, err error) {
	defer wrap(&err, "FindStationByID(%d)", id)
	return findStationByID(ctx, db.reader(), id)
}

func findStationByID(ctx context.Context, c conn, id int64) (*lianluo.Station, error) {
	var w where
	w.add("s.id = " + w.arg(id))
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	var s lianluo.Station
	err := scanStation(c.QueryRow(ctx, `SELECT `+stationColumns+stationFrom+w.String(), w.args...), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("联络站")
	} else if err != nil {
		return nil, err
	}
	if err := loadStationDetails(ctx, c, []*lianluo.Station{&s}); err != nil {
		return nil, err
	}
	return &s, nil
}

// loadStationDetails fills liaisons and deputies for a page of stations.
func loadStationDetails(ctx context.Context, c conn, ss []*lianluo.Station) error {
	if len(ss) == 0 {
		return nil
	}
	byID := map[int64]*lianluo.Station{}
	ids := make([]int64, len(ss))
	for i, s := range ss {
		byID[s.ID], ids[i] = s, s.ID
		s.Liaisons, s.DeputyIDs, s.Deputies = []lianluo.Liaison{}, []int64{}, []lianluo.DeputyRef{}
	}
	var w where
	in := w.in(ids)
	rows, err := c.Query(ctx, `SELECT station_id, name, phone FROM station_liaisons WHERE station_id IN `+in+` ORDER BY station_id, position`, w.args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var l lianluo.Liaison
		if err := rows.Scan(&id, &l.Name, &l.Phone); err != nil {
			rows.Close()
			return err
		}
		byID[id].Liaisons = append(byID[id].Liaisons, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = c.Query(ctx, `SELECT sd.station_id, d.id, d.name FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id
		WHERE sd.station_id IN `+in+` ORDER BY sd.station_id, d.id`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d lianluo.DeputyRef
		if err := rows.Scan(&id, &d.ID, &d.Name); err != nil {
			return err
		}
		byID[id].DeputyIDs = append(byID[id].DeputyIDs, d.ID)
		byID[id].Deputies = append(byID[id].Deputies, d)
	}
	return rows.Err()
}

// FindStations lists stations inside the caller's scope.
func (db *DB) FindStations(ctx context.Context, f lianluo.StationFilter) (_ []*lianluo.Station, _ int, err error) {
	defer wrap(&err, "FindStations")
	var w where
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	if f.Kind != "" {
		w.add("s.kind = " + w.arg(f.Kind))
	}
	if f.Region != "" {
		w.add("s.region_code LIKE " + w.arg(lianluo.NormalizeRegionCode(f.Region)+"%"))
	}
	if f.OrgID != 0 {
		w.add("s.org_id = " + w.arg(f.OrgID))
	}
	if f.Q != "" {
		p := w.arg(likeContains(f.Q))
		w.add(`(s.name LIKE ` + p + ` ESCAPE '\' OR s.address LIKE ` + p + ` ESCAPE '\')`)
	}
	if f.Active != nil {
		w.add("s.active = " + w.arg(*f.Active))
	}
	out, total, err := queryList(ctx, db.reader(), `SELECT `+stationColumns+`, COUNT(*) OVER ()`+stationFrom+w.String()+
		` ORDER BY s.region_code, s.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, s *lianluo.Station, n *int) error {
			return scanStation(sc, s, n)
		})
	if err != nil {
		return nil, 0, err
	}
	return out, total, loadStationDetails(ctx, db.reader(), out)
}

// CreateStation creates a station in a region the caller manages.
func (db *DB) CreateStation(ctx context.Context, s *lianluo.Station) (err error) {
	defer wrap(&err, "CreateStation")
	return db.transact(ctx, func(tx *Tx) error { return createStation(ctx, tx, s) })
}

func createStation(ctx context.Context, tx *Tx, s *lianluo.Station) error {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := checkStation(ctx, tx, s); err != nil {
		return err
	}
	if err := a.CheckManageRegion("region_code", s.RegionCode); err != nil {
		return err
	}
	s.Active, s.Version, s.CreatedAt, s.UpdatedAt = true, 1, tx.now, tx.now
	err = tx.QueryRow(ctx, `
		INSERT INTO stations (kind, name, region_code, org_id, address, opening_hours, phone, head_deputy_id,
			board, active, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		RETURNING id`,
		s.Kind, s.Name, s.RegionCode, s.OrgID, s.Address, s.OpeningHours, s.Phone, s.HeadDeputyID,
		encodeBoard(s.Board), s.Active, s.Version, tx.now, tx.now).Scan(&s.ID)
	if isUniqueViolation(err) {
		return lianluo.FieldError("name", "该行政区划下已有名为“%s”的联络站。", s.Name)
	} else if err != nil {
		return err
	}
	if err := writeStationLinks(ctx, tx, s); err != nil {
		return err
	}
	return tx.event(ctx, lianluo.EntityStation, s.ID, lianluo.AuditCreate, fmt.Sprintf("新建%s“%s”", lianluo.StationKindNames[s.Kind], s.Name))
}

// checkStation validates a station and what it refers to: the managing body
// is an NPC body in scope whose region contains the station; the head and
// the deputies exist in scope.
func checkStation(ctx context.Context, tx *Tx, s *lianluo.Station) error {
	if err := s.Validate(); err != nil {
		return err
	}
	var err error
	if s.RegionCode, err = requireRegion(ctx, tx.conn, "region_code", s.RegionCode); err != nil {
		return err
	}
	o, err := findOrgByID(ctx, tx.conn, s.OrgID)
	if err != nil || o.Kind != lianluo.OrgNPC {
		return lianluo.FieldError("org_id", "主管机构须是您管辖范围内的人大机构。")
	}
	if len(o.RegionCode) > len(s.RegionCode) || s.RegionCode[:len(o.RegionCode)] != o.RegionCode {
		return lianluo.FieldError("org_id", "主管人大机构的辖区必须包含联络站所在的行政区划。")
	}
	slices.Sort(s.DeputyIDs)
	s.DeputyIDs = slices.Compact(s.DeputyIDs)
	for _, id := range s.DeputyIDs {
		if err := checkDeputyInScope(ctx, tx.conn, id); err != nil {
			return lianluo.FieldError("deputy_ids", "代表（编号%d）不存在或不在您的管辖范围内。", id)
		}
	}
	if s.HeadDeputyID != nil {
		if err := checkDeputyInScope(ctx, tx.conn, *s.HeadDeputyID); err != nil {
			return lianluo.FieldError("head_deputy_id", "站长所选代表不存在或不在您的管辖范围内。")
		}
	}
	return nil
}

func writeStationLinks(ctx context.Context, tx *Tx, s *lianluo.Station) error {
	if _, err := tx.Exec(ctx, `DELETE FROM station_liaisons WHERE station_id = $1`, s.ID); err != nil {
		return err
	}
	for i, l := range s.Liaisons {
		if _, err := tx.Exec(ctx, `INSERT INTO station_liaisons (station_id, position, name, phone) VALUES ($1, $2, $3, $4)`,
			s.ID, i+1, l.Name, l.Phone); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM station_deputies WHERE station_id = $1`, s.ID); err != nil {
		return err
	}
	for _, id := range s.DeputyIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO station_deputies (station_id, deputy_id) VALUES ($1, $2)`, s.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// UpdateStation changes a station; the version must match. NPC office staff
// may change everything in their subtree; a station head may change their own
// station's address, hours, phone, liaisons and deputies, not where it
// belongs.
func (db *DB) UpdateStation(ctx context.Context, id int64, u lianluo.StationUpdate) (_ *lianluo.Station, err error) {
	defer wrap(&err, "UpdateStation(%d)", id)
	var out *lianluo.Station
	err = db.transact(ctx, func(tx *Tx) error {
		a, err := lianluo.RequireActor(ctx)
		if err != nil {
			return err
		}
		old, err := findStationByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		manager := a.CanManageRegion(old.RegionCode)
		head := a.HeadsStation(id)
		if !manager && !head {
			return lianluo.Forbidden()
		}
		if !manager && (u.Kind != nil || u.RegionCode != nil || u.OrgID != nil || u.Active != nil || u.Name != nil) {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("该联络站", u.Version, old.Version); err != nil {
			return err
		}
		s := *old
		s.Liaisons = slices.Clone(old.Liaisons)
		s.DeputyIDs = slices.Clone(old.DeputyIDs)
		u.Apply(&s)
		if err := checkStation(ctx, tx, &s); err != nil {
			return err
		}
		if manager {
			if err := a.CheckManageRegion("region_code", s.RegionCode); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `
			UPDATE stations SET kind = $1, name = $2, region_code = $3, org_id = $4, address = $5, opening_hours = $6,
				phone = $7, head_deputy_id = $8, active = $9, board = $10, version = version + 1, updated_at = $11
			WHERE id = $12 AND version = $13`,
			s.Kind, s.Name, s.RegionCode, s.OrgID, s.Address, s.OpeningHours, s.Phone, s.HeadDeputyID, s.Active,
			encodeBoard(s.Board), tx.now, id, u.Version)
		if isUniqueViolation(err) {
			return lianluo.FieldError("name", "该行政区划下已有名为“%s”的联络站。", s.Name)
		} else if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		if err := writeStationLinks(ctx, tx, &s); err != nil {
			return err
		}
		var c changes
		c.str("类型", lianluo.StationKindNames[old.Kind], lianluo.StationKindNames[s.Kind])
		c.str("名称", old.Name, s.Name)
		c.str("行政区划", old.RegionCode, s.RegionCode)
		c.changed("主管机构", old.OrgID != s.OrgID)
		c.str("地址", old.Address, s.Address)
		c.str("开放时间", old.OpeningHours, s.OpeningHours)
		c.phone("电话", old.Phone, s.Phone)
		c.changed("站长", !sameID(old.HeadDeputyID, s.HeadDeputyID))
		c.changed("联络员", !slices.Equal(old.Liaisons, s.Liaisons))
		c.changed("进站代表", !slices.Equal(old.DeputyIDs, s.DeputyIDs))
		c.changed("上墙公布内容", old.Board != s.Board)
		c.changed("状态", old.Active != s.Active)
		action := lianluo.AuditUpdate
		if old.Active && !s.Active {
			action = lianluo.AuditDeactivate
		}
		if err := tx.event(ctx, lianluo.EntityStation, id, action, c.String()); err != nil {
			return err
		}
		out, err = findStationByID(ctx, tx.conn, id)
		return err
	})
	return out, err
}
