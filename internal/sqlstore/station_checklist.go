package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"lianluo"
)

// The stations' standards (九有): the list (settings key
// "station_checklist") and each station's ticks (station_checklist,
// migration 0026).

// Checklist returns the list (lianluo.DefaultChecklist until changed).
func (db *DB) Checklist(ctx context.Context) (_ lianluo.Checklist, err error) {
	defer wrap(&err, "Checklist")
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return lianluo.Checklist{}, err
	}
	return checklist(ctx, db.reader())
}

func checklist(ctx context.Context, c conn) (lianluo.Checklist, error) {
	var l lianluo.Checklist
	if found, err := getSetting(ctx, c, "station_checklist", &l); err != nil || !found {
		return lianluo.DefaultChecklist(), err
	}
	return l, nil
}

// UpdateChecklist replaces the list (the district office's, as the
// scoring table); ticks of items no longer listed are kept but not shown.
func (db *DB) UpdateChecklist(ctx context.Context, l lianluo.Checklist) (_ lianluo.Checklist, err error) {
	defer wrap(&err, "UpdateChecklist")
	if err := canSetScoring(ctx); err != nil {
		return l, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		old, err := checklist(ctx, tx.conn)
		if err != nil {
			return err
		}
		if err := lianluo.CheckVersion("联络站标准清单", l.Version, old.Version); err != nil {
			return err
		}
		if err := l.Validate(); err != nil {
			return err
		}
		l.Version = old.Version + 1
		b, _ := json.Marshal(l)
		if err := putSetting(ctx, tx, "station_checklist", string(b)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntitySettings, 0, lianluo.AuditUpdate, "修改联络站标准清单")
	})
	return l, err
}

// StationChecklist returns a station's standards in the caller's scope.
func (db *DB) StationChecklist(ctx context.Context, id int64) (_ *lianluo.StationChecklist, err error) {
	defer wrap(&err, "StationChecklist(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	s, err := findStationByID(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	return stationChecklist(ctx, db.reader(), a, s)
}

func stationChecklist(ctx context.Context, c conn, a *lianluo.Actor, s *lianluo.Station) (*lianluo.StationChecklist, error) {
	l, err := checklist(ctx, c)
	if err != nil {
		return nil, err
	}
	out := &lianluo.StationChecklist{StationID: s.ID, Name: s.Name, Total: len(l.Items), CanTick: lianluo.CanTickChecklist(a, s)}
	got := map[string]lianluo.ChecklistEntry{}
	err = scanEach(ctx, c, `SELECT k.item, k.done, k.done_on, k.version,
		(SELECT COUNT(*) FROM station_checklist_photos p WHERE p.station_id = k.station_id AND p.item = k.item)
		FROM station_checklist k WHERE k.station_id = $1`, []any{s.ID}, func(sc func(...any) error) error {
		var e lianluo.ChecklistEntry
		if err := sc(&e.Key, &e.Done, &e.Date, &e.Version, &e.Photos); err != nil {
			return err
		}
		got[e.Key] = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, it := range l.Items {
		e, ok := got[it.Key]
		if !ok {
			e = lianluo.ChecklistEntry{Key: it.Key, Version: 1}
		}
		e.Name = it.Name
		if e.Done {
			out.Done++
		}
		out.Items = append(out.Items, e)
	}
	return out, nil
}

// TickChecklist marks one standard of a station met (with the day) or not.
// A station out of scope is not found; staff who may see it but not tick
// it are refused.
func (db *DB) TickChecklist(ctx context.Context, id int64, item string, t lianluo.ChecklistTick) (_ *lianluo.StationChecklist, err error) {
	defer wrap(&err, "TickChecklist(%d, %s)", id, item)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *lianluo.StationChecklist
	err = db.transact(ctx, func(tx *Tx) error {
		s, err := findStationByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !lianluo.CanTickChecklist(a, s) {
			return lianluo.Forbidden()
		}
		l, err := checklist(ctx, tx.conn)
		if err != nil {
			return err
		}
		if !l.Has(item) {
			return lianluo.NotFound("标准")
		}
		if err := t.Validate(tx.now); err != nil {
			return err
		}
		cur := 1
		err = tx.QueryRow(ctx, `SELECT version FROM station_checklist WHERE station_id = $1 AND item = $2`, id, item).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := lianluo.CheckVersion("该项标准", t.Version, cur); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO station_checklist (station_id, item, done, done_on, updated_by, version, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (station_id, item) DO UPDATE SET done = excluded.done, done_on = excluded.done_on,
				updated_by = excluded.updated_by, version = excluded.version, updated_at = excluded.updated_at`,
			id, item, t.Done, t.Date, userRef(a), cur+1, tx.now); err != nil {
			return err
		}
		name := item
		for _, it := range l.Items {
			if it.Key == item {
				name = it.Name
			}
		}
		if err := tx.event(ctx, lianluo.EntityStation, id, lianluo.AuditUpdate, lianluo.ChecklistChange(s.Name, name, t)); err != nil {
			return err
		}
		out, err = stationChecklist(ctx, tx.conn, a, s)
		return err
	})
	return out, err
}

// AddChecklistPhoto keeps a photo of one standard of a station (the sign
// on the door, the room), for whoever may tick it.
func (db *DB) AddChecklistPhoto(ctx context.Context, id int64, item string, data []byte) (_ *lianluo.StationChecklist, err error) {
	defer wrap(&err, "AddChecklistPhoto(%d, %s)", id, item)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *lianluo.StationChecklist
	err = db.transact(ctx, func(tx *Tx) error {
		s, err := findStationByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !lianluo.CanTickChecklist(a, s) {
			return lianluo.Forbidden()
		}
		l, err := checklist(ctx, tx.conn)
		if err != nil {
			return err
		}
		if !l.Has(item) {
			return lianluo.NotFound("标准")
		}
		ct, err := lianluo.SniffPhoto("photo", data)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM station_checklist_photos WHERE station_id = $1 AND item = $2`, id, item).Scan(&n); err != nil {
			return err
		}
		if n >= lianluo.MaxChecklistPhotos {
			return lianluo.Errorf(lianluo.ESTATE, "每项标准最多%d张照片。", lianluo.MaxChecklistPhotos)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO station_checklist_photos (station_id, item, content_type, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, item, ct, data, userRef(a), tx.now); err != nil {
			return err
		}
		if err := tx.event(ctx, lianluo.EntityStation, id, lianluo.AuditPhoto, "上传联络站标准照片（"+item+"）"); err != nil {
			return err
		}
		out, err = stationChecklist(ctx, tx.conn, a, s)
		return err
	})
	return out, err
}

// ChecklistPhoto returns the n-th (from 1) photo of a standard of a
// station in scope.
func (db *DB) ChecklistPhoto(ctx context.Context, id int64, item string, n int) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "ChecklistPhoto(%d, %s, %d)", id, item, n)
	c := db.reader()
	if _, err := findStationByID(ctx, c, id); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, lianluo.NotFound("照片")
	}
	var p lianluo.Photo
	err = c.QueryRow(ctx, `SELECT content_type, data, created_at FROM station_checklist_photos WHERE station_id = $1 AND item = $2
		ORDER BY id LIMIT 1 OFFSET $3`, id, item, n-1).Scan(&p.ContentType, &p.Data, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("照片")
	}
	return &p, err
}
