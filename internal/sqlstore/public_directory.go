// What the online station shows voters of the registry: the region picker,
// stations and deputies (public profiles and photos).

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"lianluo"
	"slices"
	"strings"
)

// regionLevels are the lengths of division codes by level; the picker
// goes down to towns (9).
var regionLevels = []int{2, 4, 6, 9}

// PublicRegions is the home page's region picker.
func (db *DB) PublicRegions(ctx context.Context, code string) (_ *lianluo.RegionPicker, err error) {
	defer wrap(&err, "PublicRegions(%q)", code)
	rows, err := db.reader().Query(ctx, `SELECT region_code, COUNT(*) FROM stations WHERE active = TRUE GROUP BY region_code ORDER BY region_code`)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	var codes []string
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts[c] = n
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The top is the deepest level every station shares (a district's deployment starts at the district).
	top := ""
	for _, n := range regionLevels {
		if len(codes) == 0 || len(codes[0]) < n {
			break
		}
		p := codes[0][:n]
		if !allHavePrefix(codes, p) {
			break
		}
		top = p
	}
	cur := top
	if code = lianluo.NormalizeRegionCode(code); code != "" && strings.HasPrefix(code, top) && len(code) <= 9 {
		cur = code
	}
	under := func(prefix string) int {
		n := 0
		for _, c := range codes {
			if strings.HasPrefix(c, prefix) {
				n += counts[c]
			}
		}
		return n
	}
	if cur != top && under(cur) == 0 {
		return nil, lianluo.NotFound("地区")
	}
	want := []string{}
	for _, n := range regionLevels {
		if n > len(top) && n <= len(cur) {
			want = append(want, cur[:n])
		}
	}
	if top != "" {
		want = append([]string{top}, want...)
	}
	var childLen int
	for _, n := range regionLevels {
		if n > len(cur) {
			childLen = n
			break
		}
	}
	children := []string{}
	if childLen != 0 {
		for _, c := range codes {
			if len(c) >= childLen && strings.HasPrefix(c, cur) && !slices.Contains(children, c[:childLen]) {
				children = append(children, c[:childLen])
			}
		}
	}
	names, err := regionNames(ctx, db.reader(), append(slices.Clone(want), children...))
	if err != nil {
		return nil, err
	}
	out := &lianluo.RegionPicker{Path: []lianluo.PublicRegion{}, Children: []lianluo.PublicRegion{}}
	for _, c := range want {
		out.Path = append(out.Path, lianluo.PublicRegion{Code: c, Name: names[c], Stations: under(c)})
	}
	out.Current = lianluo.PublicRegion{Code: cur, Name: names[cur], Stations: under(cur)}
	if cur == "" {
		out.Current.Name = "全部"
	}
	for _, c := range children {
		out.Children = append(out.Children, lianluo.PublicRegion{Code: c, Name: names[c], Stations: under(c)})
	}
	return out, nil
}

func allHavePrefix(codes []string, p string) bool {
	for _, c := range codes {
		if !strings.HasPrefix(c, p) {
			return false
		}
	}
	return true
}

func regionNames(ctx context.Context, c conn, codes []string) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	var w where
	ph := make([]string, len(codes))
	for i, code := range codes {
		ph[i] = w.arg(code)
	}
	rows, err := c.Query(ctx, `SELECT code, name FROM regions WHERE code IN (`+strings.Join(ph, ", ")+`)`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, err
		}
		out[code] = name
	}
	return out, rows.Err()
}

const publicStationColumns = `s.id, s.kind, s.name, s.region_code, COALESCE(r.name, ''), COALESCE(o.name, ''),
	s.address, s.opening_hours, s.phone, COALESCE(h.name, ''), s.board,
	(SELECT COUNT(*) FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id
		WHERE sd.station_id = s.id AND d.status = 'in_office')`

func scanPublicStation(sc interface{ Scan(...any) error }, s *lianluo.PublicStation, extra ...any) error {
	var board string
	err := sc.Scan(append([]any{&s.ID, &s.Kind, &s.Name, &s.RegionCode, &s.RegionName, &s.OrgName,
		&s.Address, &s.OpeningHours, &s.Phone, &s.HeadName, &board, &s.DeputyCount}, extra...)...)
	s.Board = decodeBoard(board)
	s.Liaisons = []string{}
	return err
}

// PublicStations lists active stations.
func (db *DB) PublicStations(ctx context.Context, f lianluo.PublicStationFilter) (_ []*lianluo.PublicStation, _ int, err error) {
	defer wrap(&err, "PublicStations")
	var w where
	w.add("s.active = TRUE")
	if f.Region != "" {
		code := lianluo.NormalizeRegionCode(f.Region)
		if code == "" {
			return nil, 0, lianluo.FieldError("region", "地区代码格式不对，应为6到12位数字。")
		}
		w.add(regionRange(&w, "s.region_code", code))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		p := w.arg(likeContains(q))
		w.add(`(s.name LIKE ` + p + ` ESCAPE '\' OR s.address LIKE ` + p + ` ESCAPE '\')`)
	}
	return queryList(ctx, db.reader(), `SELECT `+publicStationColumns+`, COUNT(*) OVER ()`+stationFrom+w.String()+
		` ORDER BY s.region_code, CASE s.kind WHEN 'center' THEN 0 ELSE 1 END, s.name, s.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, s *lianluo.PublicStation, n *int) error {
			return scanPublicStation(sc, s, n)
		})
}

// PublicStation returns an active station with its board, liaisons' names
// and deputies in office.
func (db *DB) PublicStation(ctx context.Context, id int64) (_ *lianluo.PublicStation, err error) {
	defer wrap(&err, "PublicStation(%d)", id)
	var s lianluo.PublicStation
	err = scanPublicStation(db.reader().QueryRow(ctx, `SELECT `+publicStationColumns+stationFrom+
		` WHERE s.id = $1 AND s.active = TRUE`, id), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("联络站")
	} else if err != nil {
		return nil, err
	}
	rows, err := db.reader().Query(ctx, `SELECT name FROM station_liaisons WHERE station_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		s.Liaisons = append(s.Liaisons, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ds, _, err := db.FindDeputies(publicActor(ctx), lianluo.DeputyFilter{StationID: id, Status: lianluo.DeputyInOffice, Page: lianluo.AllRows()})
	if err != nil {
		return nil, err
	}
	// Leaders first (领导干部代表), then by level from the top, then by name order of entry.
	slices.SortStableFunc(ds, func(a, b *lianluo.Deputy) int {
		if a.Leader != b.Leader {
			if a.Leader {
				return -1
			}
			return 1
		}
		return topLevel(a) - topLevel(b)
	})
	s.Deputies = []*lianluo.PublicDeputy{}
	for _, d := range ds {
		s.Deputies = append(s.Deputies, publicDeputy(d))
	}
	return &s, nil
}

func topLevel(d *lianluo.Deputy) int {
	best := len(lianluo.DeputyLevels)
	for _, s := range d.Seats {
		if i := slices.Index(lianluo.DeputyLevels, s.Level); i >= 0 && i < best {
			best = i
		}
	}
	return best
}

// publicDeputy keeps what a deputy's public profile shows: never the phone.
func publicDeputy(d *lianluo.Deputy) *lianluo.PublicDeputy {
	return &lianluo.PublicDeputy{ID: d.ID, Name: d.Name, Gender: d.Gender, Party: d.Party, Occupation: d.Occupation,
		WorkUnit: d.WorkUnit, Seats: d.Seats, Leader: d.Leader, GroupName: d.GroupName, Bio: d.Bio, HasPhoto: d.HasPhoto,
		Stations: []lianluo.StationRef{}}
}

// PublicDeputy returns the public profile of a deputy in office.
func (db *DB) PublicDeputy(ctx context.Context, id int64) (_ *lianluo.PublicDeputy, err error) {
	defer wrap(&err, "PublicDeputy(%d)", id)
	d, err := findDeputyByID(publicActor(ctx), db.reader(), id)
	if err != nil {
		return nil, err
	}
	if d.Status != lianluo.DeputyInOffice {
		return nil, lianluo.NotFound("代表")
	}
	p := publicDeputy(d)
	rows, err := db.reader().Query(ctx, `SELECT s.id, s.name FROM station_deputies sd JOIN stations s ON s.id = sd.station_id
		WHERE sd.deputy_id = $1 AND s.active = TRUE ORDER BY s.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r lianluo.StationRef
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, err
		}
		p.Stations = append(p.Stations, r)
	}
	return p, rows.Err()
}

// DeputyPhoto returns the portrait of a deputy in office.
func (db *DB) DeputyPhoto(ctx context.Context, id int64) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "DeputyPhoto(%d)", id)
	var p lianluo.Photo
	err = db.reader().QueryRow(ctx, `SELECT p.content_type, p.data, p.updated_at FROM deputy_photos p JOIN deputies d ON d.id = p.deputy_id
		WHERE p.deputy_id = $1 AND d.status = 'in_office'`, id).Scan(&p.ContentType, &p.Data, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("照片")
	}
	return &p, err
}

// SetDeputyPhoto sets or removes a deputy's portrait: the office managing
// the deputy's region, or the deputy themself.
func (db *DB) SetDeputyPhoto(ctx context.Context, id int64, data []byte) (err error) {
	defer wrap(&err, "SetDeputyPhoto(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	ct := ""
	if len(data) > 0 {
		if ct, err = lianluo.SniffPhoto("photo", data); err != nil {
			return err
		}
	}
	return db.transact(ctx, func(tx *Tx) error {
		d, err := findDeputyByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !lianluo.CanSetDeputyPhoto(a, d) {
			return lianluo.Forbidden()
		}
		if len(data) == 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM deputy_photos WHERE deputy_id = $1`, id); err != nil {
				return err
			}
			return tx.event(ctx, lianluo.EntityDeputy, id, lianluo.AuditPhoto, "删除照片")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO deputy_photos (deputy_id, content_type, data, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (deputy_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`,
			id, ct, data, tx.now); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDeputy, id, lianluo.AuditPhoto, "更新照片")
	})
}
