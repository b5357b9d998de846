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
// administrator changes it), from the cache while the epoch holds (cache.go).
func (db *DB) Policy(ctx context.Context) (_ lianluo.Policy, err error) {
	defer wrap(&err, "Policy")
	epoch, err := db.cacheEpoch(ctx)
	if err != nil {
		return lianluo.Policy{}, err
	}
	if p, ok := db.settings.getPolicy(epoch); ok {
		return p, nil
	}
	p := lianluo.DefaultPolicy
	var raw string
	err = db.reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'policy'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		db.settings.putPolicy(epoch, p)
		return p, nil
	} else if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return p, err
	}
	db.settings.putPolicy(epoch, p)
	return p, nil
}

// UpdatePolicy changes the deadline policy (the system administrator only).
func (db *DB) UpdatePolicy(ctx context.Context, p lianluo.Policy) (err error) {
	defer wrap(&err, "UpdatePolicy")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	if err := p.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(p)
	return db.transact(ctx, func(tx *Tx) error {
		if err := putSetting(ctx, tx, "policy", string(b)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityPolicy, 0, lianluo.AuditUpdate, "修改办理时限设置："+string(b))
	})
}

// Calendar returns the working-day calendar from the calendar_days table,
// from the cache while the epoch holds (cache.go). The calendar is shared:
// callers only read it.
func (db *DB) Calendar(ctx context.Context) (_ *lianluo.Calendar, err error) {
	defer wrap(&err, "Calendar")
	epoch, err := db.cacheEpoch(ctx)
	if err != nil {
		return nil, err
	}
	if cal, ok := db.settings.getCalendar(epoch); ok {
		return cal, nil
	}
	days, err := db.CalendarDays(ctx, 0)
	if err != nil {
		return nil, err
	}
	cal, err := lianluo.NewCalendar(days)
	if err != nil {
		return nil, err
	}
	db.settings.putCalendar(epoch, cal)
	return cal, nil
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
// (the system administrator only): each December the State Council publishes the
// next year's arrangement. A non-empty version must match the year as it is
// stored (lianluo.CalendarVersion), so that two administrators do not
// overwrite each other.
func (db *DB) SetCalendarYear(ctx context.Context, year int, days []lianluo.CalendarDay, version string) (err error) {
	defer wrap(&err, "SetCalendarYear(%d)", year)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsSystemAdmin() {
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
		if version != "" {
			old, err := calendarDays(ctx, tx, prefix)
			if err != nil {
				return err
			}
			if lianluo.CalendarVersion(old) != version {
				return lianluo.Errorf(lianluo.ESTALE, "%d年的节假日安排已被他人修改，请重新打开本页后再录入。", year)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM calendar_days WHERE day LIKE $1`, prefix+"%"); err != nil {
			return err
		}
		for _, d := range days {
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)`, d.Date, d.Kind, d.Name); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityCalendar, int64(year), lianluo.AuditUpdate, fmt.Sprintf("设置%d年节假日和调休%d天", year, len(days)))
	})
}

// calendarDays reads the entries whose date starts with prefix ("2026-").
func calendarDays(ctx context.Context, tx *Tx, prefix string) ([]lianluo.CalendarDay, error) {
	rows, err := tx.Query(ctx, `SELECT day, kind, name FROM calendar_days WHERE day LIKE $1 ORDER BY day`, prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lianluo.CalendarDay
	for rows.Next() {
		var d lianluo.CalendarDay
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// seedCalendar adds the published arrangements (internal/holidays) of every
// year the calendar has no entry for: a new installation gets them all, and
// an upgrade brings the years published since, without touching a year an
// administrator has entered.
func (db *DB) seedCalendar(ctx context.Context) error {
	have := map[string]bool{}
	rows, err := db.reader().Query(ctx, `SELECT DISTINCT substr(day, 1, 4) FROM calendar_days`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var y string
		if err := rows.Scan(&y); err != nil {
			return err
		}
		have[y] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var missing []lianluo.CalendarDay
	for _, d := range holidays.Days() {
		if !have[d.Date[:4]] {
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return db.transact(ctx, func(tx *Tx) error {
		for _, d := range missing {
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING`,
				d.Date, d.Kind, d.Name); err != nil {
				return err
			}
		}
		return tx.bumpEpoch(ctx) // no event: other instances' calendars
	})
}

// putSetting stores a setting's value (JSON, or a plain value) under key,
// in the caller's transaction.
func putSetting(ctx context.Context, tx *Tx, key, value string) error {
	_, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, tx.now)
	return err
}

// getSetting reads the JSON setting under key into v; found is false (and v
// untouched) when the setting was never stored.
func getSetting(ctx context.Context, c conn, key string, v any) (found bool, err error) {
	var raw string
	err = c.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(raw), v)
}
