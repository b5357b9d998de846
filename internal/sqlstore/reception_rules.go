// Reception rules (接待规则): an RRULE subset with clock times, holiday
// handling, form and theme, from which internal/schedule makes the year's
// sessions.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"lianluo"
	"lianluo/internal/schedule"
	"strings"
	"time"
)

// checkRule validates a rule with Chinese errors and fills its defaults.
func checkRule(r *lianluo.ReceptionRule, now time.Time) error {
	r.RRule, r.Theme = strings.TrimSpace(r.RRule), strings.TrimSpace(r.Theme)
	if r.OnHoliday == "" {
		r.OnHoliday = schedule.NextWorkday
	}
	if r.Form == "" {
		r.Form = schedule.FormFixed
	}
	if r.PerSession == 0 {
		r.PerSession = schedule.MinPerSession
	}
	if r.Anchor == "" {
		r.Anchor = fmt.Sprintf("%04d-01-01", now.In(lianluo.Beijing).Year())
	}
	if err := toScheduleRule(r).Validate(); err != nil {
		return err
	}
	if _, err := time.ParseInLocation("2006-01-02", r.Anchor, lianluo.Beijing); err != nil {
		return lianluo.FieldError("anchor", "起算日期格式应为 2026-01-01。")
	}
	if r.PerSession < schedule.MinPerSession || r.PerSession > 20 {
		return lianluo.FieldError("per_session", "每次接待的代表人数应为2到20人（每次至少安排2名代表）。")
	}
	r.Description = toScheduleRule(r).Describe()
	return nil
}

func toScheduleRule(r *lianluo.ReceptionRule) schedule.Rule {
	return schedule.Rule{RRule: r.RRule, Start: r.Start, End: r.End, OnHoliday: r.OnHoliday, Form: r.Form, Theme: r.Theme}
}

const ruleColumns = `id, station_id, rrule, start_time, end_time, on_holiday, form, theme, anchor, per_session, active, version, created_at, updated_at`

func scanRule(sc interface{ Scan(...any) error }, r *lianluo.ReceptionRule) error {
	err := sc.Scan(&r.ID, &r.StationID, &r.RRule, &r.Start, &r.End, &r.OnHoliday, &r.Form, &r.Theme, &r.Anchor,
		&r.PerSession, &r.Active, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if err == nil {
		r.Description = toScheduleRule(r).Describe()
	}
	return err
}

// CreateReceptionRule adds a standing rule to a station.
func (db *DB) CreateReceptionRule(ctx context.Context, r *lianluo.ReceptionRule) (err error) {
	defer wrap(&err, "CreateReceptionRule")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, false); err != nil {
			return err
		}
		if err := checkRule(r, tx.now); err != nil {
			return err
		}
		// A rule that yields nothing in its first year is a mistake, not a plan.
		if _, err := db.ruleSessions(ctx, r, yearOf(tx.now)); err != nil {
			if _, err2 := db.ruleSessions(ctx, r, yearOf(tx.now)+1); err2 != nil {
				return err
			}
		}
		r.Active, r.Version, r.CreatedAt, r.UpdatedAt = true, 1, tx.now, tx.now
		if err := checkDuplicateRule(ctx, tx, r); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO reception_rules (station_id, rrule, start_time, end_time, on_holiday, form, theme,
			anchor, per_session, active, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, 1, $10, $10) RETURNING id`,
			r.StationID, r.RRule, r.Start, r.End, r.OnHoliday, r.Form, r.Theme, r.Anchor, r.PerSession, tx.now).Scan(&r.ID); err != nil {
			return err
		}
		if r.Warnings, err = db.ruleWarnings(ctx, tx, r.StationID); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityStation, r.StationID, lianluo.AuditReceptionRule, "新增接待规则："+r.Description)
	})
}

func yearOf(t time.Time) int { return t.In(lianluo.Beijing).Year() }

// ruleSessions expands a rule over a year on the working-day calendar.
func (db *DB) ruleSessions(ctx context.Context, r *lianluo.ReceptionRule, year int) ([]schedule.Session, error) {
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	anchor, err := time.ParseInLocation("2006-01-02", r.Anchor, lianluo.Beijing)
	if err != nil {
		return nil, lianluo.FieldError("anchor", "起算日期格式应为 2026-01-01。")
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	to := time.Date(year, 12, 31, 0, 0, 0, 0, lianluo.Beijing)
	return toScheduleRule(r).Sessions(cal, anchor, from, to)
}

// FindReceptionRules lists a station's rules.
func (db *DB) FindReceptionRules(ctx context.Context, stationID int64) (_ []*lianluo.ReceptionRule, err error) {
	defer wrap(&err, "FindReceptionRules(%d)", stationID)
	if _, err := findStationByID(ctx, db.reader(), stationID); err != nil {
		return nil, err
	}
	rows, err := db.reader().Query(ctx, `SELECT `+ruleColumns+` FROM reception_rules WHERE station_id = $1 ORDER BY active DESC, id`, stationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*lianluo.ReceptionRule{}
	for rows.Next() {
		var r lianluo.ReceptionRule
		if err := scanRule(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// UpdateReceptionRule changes or retires a rule; sessions already made stay.
func (db *DB) UpdateReceptionRule(ctx context.Context, id int64, u lianluo.ReceptionRuleUpdate) (_ *lianluo.ReceptionRule, err error) {
	defer wrap(&err, "UpdateReceptionRule(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var out lianluo.ReceptionRule
	err = db.transact(ctx, func(tx *Tx) error {
		var r lianluo.ReceptionRule
		err := scanRule(tx.QueryRow(ctx, `SELECT `+ruleColumns+` FROM reception_rules WHERE id = $1`, id), &r)
		if errors.Is(err, sql.ErrNoRows) {
			return lianluo.NotFound("接待规则")
		} else if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, false); err != nil {
			return err
		}
		if err := lianluo.CheckVersion("该接待规则", u.Version, r.Version); err != nil {
			return err
		}
		for _, f := range []struct {
			dst *string
			src *string
		}{{&r.RRule, u.RRule}, {&r.Start, u.Start}, {&r.End, u.End}, {&r.OnHoliday, u.OnHoliday}, {&r.Form, u.Form}, {&r.Theme, u.Theme}, {&r.Anchor, u.Anchor}} {
			if f.src != nil {
				*f.dst = *f.src
			}
		}
		if u.PerSession != nil {
			r.PerSession = *u.PerSession
		}
		if u.Active != nil {
			r.Active = *u.Active
		}
		if err := checkRule(&r, tx.now); err != nil {
			return err
		}
		if err := checkDuplicateRule(ctx, tx, &r); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE reception_rules SET rrule = $1, start_time = $2, end_time = $3, on_holiday = $4, form = $5,
			theme = $6, anchor = $7, per_session = $8, active = $9, version = version + 1, updated_at = $10 WHERE id = $11 AND version = $12`,
			r.RRule, r.Start, r.End, r.OnHoliday, r.Form, r.Theme, r.Anchor, r.PerSession, r.Active, tx.now, id, u.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		r.Version++
		r.UpdatedAt = tx.now
		if r.Warnings, err = db.ruleWarnings(ctx, tx, r.StationID); err != nil {
			return err
		}
		out = r
		what := "修改接待规则："
		if !r.Active {
			what = "停用接待规则："
		}
		return tx.event(ctx, lianluo.EntityStation, r.StationID, lianluo.AuditReceptionRule, what+r.Description)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
