package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/schedule"
)

// Receptions: rules → sessions (internal/schedule) → a rota the
// office adjusts and publishes; deputies are reminded, sign in, ask for
// leave; each session keeps its record.

// requireStation loads a station in scope and checks the actor may manage
// (or, with workOnly, work at) it.
func requireStation(ctx context.Context, c conn, a *lianluo.Actor, id int64, workOnly bool) (*lianluo.Station, error) {
	st, err := findStationByID(ctx, c, id)
	if err != nil {
		return nil, err
	}
	manage, work := lianluo.StationPowers(a, st.ID, st.RegionCode)
	if !manage && !(workOnly && work) {
		return nil, lianluo.Forbidden()
	}
	return st, nil
}

const receptionColumns = `r.id, r.station_id, COALESCE(s.name, ''), r.rule_id, r.starts_at, r.ends_at, r.form, r.theme, r.status,
	r.moved_from, r.visitors, r.minutes, r.satisfied, r.basically_satisfied, r.unsatisfied, r.recorded_at, r.version, r.created_at, r.updated_at`

func scanReception(sc interface{ Scan(...any) error }, r *lianluo.Reception, extra ...any) error {
	var rec lianluo.ReceptionRecord
	var recorded *time.Time
	err := sc.Scan(append([]any{&r.ID, &r.StationID, &r.StationName, &r.RuleID, &r.StartsAt, &r.EndsAt, &r.Form, &r.Theme, &r.Status,
		&r.MovedFrom, &rec.Visitors, &rec.Minutes, &rec.Satisfied, &rec.BasicallySatisfied, &rec.Unsatisfied, &recorded,
		&r.Version, &r.CreatedAt, &r.UpdatedAt}, extra...)...)
	r.StartsAt, r.EndsAt = r.StartsAt.In(lianluo.Beijing), r.EndsAt.In(lianluo.Beijing)
	if recorded != nil {
		rec.RecordedAt = recorded.In(lianluo.Beijing)
		r.Record = &rec
	}
	r.DeputyIDs, r.Deputies, r.CaseIDs = []int64{}, []lianluo.ReceptionDeputy{}, []int64{}
	return err
}

func (db *DB) findReceptions(ctx context.Context, c conn, f lianluo.ReceptionFilter) ([]*lianluo.Reception, int, error) {
	var w where
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	if f.StationID != 0 {
		w.add("r.station_id = " + w.arg(f.StationID))
	}
	if f.DeputyID != 0 {
		w.add("r.id IN (SELECT occasion_id FROM occasion_invitees WHERE kind = 'reception' AND deputy_id = " + w.arg(f.DeputyID) + ")")
	}
	if f.Status != "" {
		w.add("r.status = " + w.arg(f.Status))
	}
	if f.From != nil {
		w.add("r.starts_at >= " + w.arg(f.From.UTC()))
	}
	if f.To != nil {
		w.add("r.starts_at < " + w.arg(f.To.UTC()))
	}
	list, total, err := queryList(ctx, c, `SELECT `+receptionColumns+`, COUNT(*) OVER () FROM receptions r JOIN stations s ON s.id = r.station_id`+
		w.String()+` ORDER BY r.starts_at, r.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, r *lianluo.Reception, n *int) error {
			return scanReception(sc, r, n)
		})
	if err != nil {
		return nil, 0, err
	}
	return list, total, loadReceptionDetails(ctx, c, list)
}

// loadReceptionDetails fills deputies, cases and photo counts of a page of sessions.
func loadReceptionDetails(ctx context.Context, c conn, list []*lianluo.Reception) error {
	parts := make(map[int64]sessionParts, len(list))
	for _, r := range list {
		parts[r.ID] = sessionParts{&r.Deputies, &r.DeputyIDs, &r.CaseIDs, &r.Photos}
	}
	return loadSessionParts(ctx, c, receptionOccasions, parts)
}

// FindReceptions lists sessions inside the caller's scope.
func (db *DB) FindReceptions(ctx context.Context, f lianluo.ReceptionFilter) (_ []*lianluo.Reception, _ int, err error) {
	defer wrap(&err, "FindReceptions")
	return db.findReceptions(ctx, db.reader(), f)
}

// FindReceptionByID returns a session inside the caller's scope.
func (db *DB) FindReceptionByID(ctx context.Context, id int64) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "FindReceptionByID(%d)", id)
	return findReception(ctx, db.reader(), id)
}

func findReception(ctx context.Context, c conn, id int64) (*lianluo.Reception, error) {
	var w where
	w.add("r.id = " + w.arg(id))
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	var r lianluo.Reception
	err := scanReception(c.QueryRow(ctx, `SELECT `+receptionColumns+` FROM receptions r JOIN stations s ON s.id = r.station_id`+w.String(), w.args...), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("接待活动")
	} else if err != nil {
		return nil, err
	}
	return &r, loadReceptionDetails(ctx, c, []*lianluo.Reception{&r})
}

// parseLocalTime reads RFC 3339 or "2006-01-02T15:04" (Beijing).
func parseLocalTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, lianluo.Beijing); err == nil {
			return t, nil
		}
	}
	return time.Time{}, lianluo.FieldError(field, "时间格式应为 2026-05-15T09:00。")
}

// UpdateReception adjusts one session: deputies, time, form, theme
// (cancelling is the AttendanceService's Cancel).
func (db *DB) UpdateReception(ctx context.Context, id int64, u lianluo.ReceptionUpdate) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "UpdateReception(%d)", id)
	return db.changeReception(ctx, id, u.Version, false, func(tx *Tx, r *lianluo.Reception) error {
		st, err := findStationByID(ctx, tx.conn, r.StationID)
		if err != nil {
			return err
		}
		if r.Status == lianluo.ReceptionCancelled {
			return lianluo.Errorf(lianluo.ESTATE, "该次接待已取消，不能再修改。")
		}
		if r.EndsAt.Before(tx.now) {
			return lianluo.Errorf(lianluo.ESTATE, "该次接待已经结束，不能再调整安排；请填写接待记录。")
		}
		var c changes
		starts, ends := r.StartsAt, r.EndsAt
		if u.StartsAt != nil {
			if starts, err = parseLocalTime("starts_at", *u.StartsAt); err != nil {
				return err
			}
		}
		if u.EndsAt != nil {
			if ends, err = parseLocalTime("ends_at", *u.EndsAt); err != nil {
				return err
			}
		} else if u.StartsAt != nil {
			ends = starts.Add(r.EndsAt.Sub(r.StartsAt))
		}
		if !ends.After(starts) {
			return lianluo.FieldError("ends_at", "结束时间应晚于开始时间。")
		}
		if u.StartsAt != nil && starts.Before(tx.now) {
			return lianluo.FieldError("starts_at", "不能把接待改到已经过去的时间。")
		}
		form, theme := r.Form, r.Theme
		if u.Form != nil {
			if _, ok := schedule.FormNames[*u.Form]; !ok {
				return lianluo.FieldError("form", "请选择接待形式。")
			}
			form = *u.Form
		}
		if u.Theme != nil {
			if err := optional("theme", "接待主题", *u.Theme, 200); err != nil {
				return err
			}
			theme = strings.TrimSpace(*u.Theme)
		}
		if u.DeputyIDs != nil {
			ids := slices.Clone(*u.DeputyIDs)
			seen := map[int64]bool{}
			for _, d := range ids {
				if seen[d] {
					return lianluo.FieldError("deputy_ids", "同一位代表不能重复安排。")
				}
				seen[d] = true
				var n int
				if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id
					WHERE sd.station_id = $1 AND sd.deputy_id = $2 AND d.status = 'in_office'`, st.ID, d).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return lianluo.FieldError("deputy_ids", "代表（编号%d）不是本站的在任代表。", d)
				}
			}
			if len(ids) > 30 {
				return lianluo.FieldError("deputy_ids", "每次接待最多安排30名代表。")
			}
			added, err := receptionOccasions.setInvitees(ctx, tx, id, r.DeputyIDs, ids)
			if err != nil {
				return err
			}
			for _, d := range added {
				if r.Status == lianluo.ReceptionPublished {
					if err := notifyDeputyOf(ctx, tx, d, st.ID, fmt.Sprintf("reception_assigned:%d:%d:%d", id, d, tx.now.Unix()),
						lianluo.MsgReceptionAssigned, starts.In(lianluo.Beijing).Format("1月2日15:04"), st.Name); err != nil {
						return err
					}
				}
			}
			c.changed("接待代表", !slices.Equal(r.DeputyIDs, ids))
		}
		c.str("时间", r.StartsAt.Format("2006-01-02 15:04"), starts.In(lianluo.Beijing).Format("2006-01-02 15:04"))
		c.str("形式", schedule.FormNames[r.Form], schedule.FormNames[form])
		c.str("主题", r.Theme, theme)
		res, err := tx.Exec(ctx, `UPDATE receptions SET starts_at = $1, ends_at = $2, form = $3, theme = $4,
			version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7`,
			starts.UTC(), ends.UTC(), form, theme, tx.now, id, u.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityReception, id, lianluo.AuditUpdate, c.String())
	})
}

// changeReception runs change on the session of id (changeOccasion) and reads it again.
func (db *DB) changeReception(ctx context.Context, id int64, version int, work bool, change func(tx *Tx, r *lianluo.Reception) error) (*lianluo.Reception, error) {
	err := db.changeOccasion(ctx, receptionOccasions, id, version, work, func(tx *Tx, o *occasion) error { return change(tx, o.reception) })
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// CurrentReception is the session at a station the calling deputy is on
// and may sign in to now (the station's sign-in code leads here).
func (db *DB) CurrentReception(ctx context.Context, stationID int64) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "CurrentReception(%d)", stationID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(lianluo.RoleDeputy) || len(a.Scope.Deputies) == 0 {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人可以扫码签到。")
	}
	now := db.Now()
	var w where
	q := `SELECT r.id FROM receptions r JOIN occasion_invitees rd ON rd.kind = 'reception' AND rd.occasion_id = r.id
		WHERE r.station_id = ` + w.arg(stationID) + ` AND r.status = 'published' AND rd.deputy_id IN ` + w.in(a.Scope.Deputies) +
		` AND r.starts_at <= ` + w.arg(now.Add(lianluo.SignInEarly).UTC()) + ` AND r.ends_at >= ` + w.arg(now.UTC()) + ` ORDER BY r.starts_at LIMIT 1`
	var id int64
	err = db.reader().QueryRow(ctx, q, w.args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.Errorf(lianluo.ENOTFOUND, "您现在在本站没有需要签到的接待。签到只能在接待开始前30分钟到结束之间、在安排您接待的联络站进行。")
	} else if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// PublicReceptions lists a station's published sessions from a time (for
// the public station page and the poster).
func (db *DB) PublicReceptions(ctx context.Context, stationID int64, from time.Time, limit int) (_ []*lianluo.Reception, err error) {
	defer wrap(&err, "PublicReceptions(%d)", stationID)
	if limit <= 0 || limit > 100 {
		limit = 12
	}
	ctx = publicActor(ctx)
	list, _, err := db.findReceptions(ctx, db.reader(), lianluo.ReceptionFilter{StationID: stationID, Status: lianluo.ReceptionPublished,
		From: &from, Page: lianluo.Page{Page: 1, PerPage: limit}})
	return list, err
}

var _ lianluo.ReceptionService = (*DB)(nil)
