package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"lianluo"
	"lianluo/internal/holidays"
)

// Policy returns the deployment's deadline policy (DefaultPolicy until an
// administrator changes it).
func (db *DB) Policy(ctx context.Context) (_ lianluo.Policy, err error) {
	defer wrap(&err, "Policy")
	p := lianluo.DefaultPolicy
	var raw string
	err = db.reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'policy'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	} else if err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(raw), &p)
}

// UpdatePolicy changes the deadline policy (administrators only).
func (db *DB) UpdatePolicy(ctx context.Context, p lianluo.Policy) (err error) {
	defer wrap(&err, "UpdatePolicy")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsAdmin() {
		return lianluo.Forbidden()
	}
	if err := p.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(p)
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('policy', $1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, string(b), tx.now); err != nil {
			return err
		}
		return tx.event(ctx, "policy", 0, "update", "修改办理时限设置："+string(b))
	})
}

// Calendar returns the working-day calendar from the calendar_days table.
func (db *DB) Calendar(ctx context.Context) (_ *lianluo.Calendar, err error) {
	defer wrap(&err, "Calendar")
	days, err := db.CalendarDays(ctx, 0)
	if err != nil {
		return nil, err
	}
	return lianluo.NewCalendar(days)
}

// CalendarDays lists the holidays and make-up working days of a year (0: all).
func (db *DB) CalendarDays(ctx context.Context, year int) (_ []lianluo.CalendarDay, err error) {
	defer wrap(&err, "CalendarDays(%d)", year)
	q, args := `SELECT day, kind, name FROM calendar_days ORDER BY day`, []any{}
	if year != 0 {
		q, args = `SELECT day, kind, name FROM calendar_days WHERE day LIKE $1 ORDER BY day`, []any{fmt.Sprintf("%04d-%%", year)}
	}
	rows, err := db.reader().Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.CalendarDay{}
	for rows.Next() {
		var d lianluo.CalendarDay
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetCalendarYear replaces a year's holidays and make-up working days
// (administrators only): each December the State Council publishes the
// next year's arrangement.
func (db *DB) SetCalendarYear(ctx context.Context, year int, days []lianluo.CalendarDay) (err error) {
	defer wrap(&err, "SetCalendarYear(%d)", year)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsAdmin() {
		return lianluo.Forbidden()
	}
	if year < 2000 || year > 2100 {
		return lianluo.FieldError("year", "年份不正确。")
	}
	prefix := fmt.Sprintf("%04d-", year)
	seen := map[string]bool{}
	for _, d := range days {
		if err := d.Validate(); err != nil {
			return err
		}
		if !strings.HasPrefix(d.Date, prefix) {
			return lianluo.FieldError("date", "日期 %s 不在 %d 年。", d.Date, year)
		}
		if seen[d.Date] {
			return lianluo.FieldError("date", "日期 %s 重复。", d.Date)
		}
		seen[d.Date] = true
	}
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM calendar_days WHERE day LIKE $1`, prefix+"%"); err != nil {
			return err
		}
		for _, d := range days {
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)`, d.Date, d.Kind, d.Name); err != nil {
				return err
			}
		}
		return tx.event(ctx, "calendar", int64(year), "update", fmt.Sprintf("设置%d年节假日和调休%d天", year, len(days)))
	})
}

// seedCalendar fills an empty calendar with the published arrangements.
func (db *DB) seedCalendar(ctx context.Context) error {
	var n int
	if err := db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM calendar_days`).Scan(&n); err != nil || n > 0 {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		for _, d := range holidays.Days() {
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING`,
				d.Date, d.Kind, d.Name); err != nil {
				return err
			}
		}
		return nil
	})
}
