package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
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

// stationRole says what the actor may do at a station: manage (the office
// over its region, or the station's head), or work (its liaisons too).
func stationRole(a *lianluo.Actor, st *lianluo.Station) (manage, work bool) {
	if a.CanManageRegion(st.RegionCode) {
		return true, true
	}
	for _, g := range a.User.Roles {
		if g.StationID == nil || *g.StationID != st.ID {
			continue
		}
		switch g.Role {
		case lianluo.RoleStationHead:
			manage, work = true, true
		case lianluo.RoleLiaison:
			work = true
		}
	}
	return manage, work
}

// requireStation loads a station in scope and checks the actor may manage
// (or, with workOnly, work at) it.
func requireStation(ctx context.Context, c conn, a *lianluo.Actor, id int64, workOnly bool) (*lianluo.Station, error) {
	st, err := findStationByID(ctx, c, id)
	if err != nil {
		return nil, err
	}
	manage, work := stationRole(a, st)
	if !manage && !(workOnly && work) {
		return nil, lianluo.Forbidden()
	}
	return st, nil
}

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
		return tx.event(ctx, "station", r.StationID, "reception_rule", "新增接待规则："+r.Description)
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
		if u.Version != r.Version {
			return lianluo.Stale()
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
		return tx.event(ctx, "station", r.StationID, "reception_rule", what+r.Description)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// rotaInput is what a station's rota needs: its rules and deputies with
// their unavailability and their bookings elsewhere.
type rotaInput struct {
	perSession int
	deputies   []schedule.RotaDeputy
}

func (db *DB) loadRotaInput(ctx context.Context, c conn, stationID int64, year int, exclude []int64) (*rotaInput, error) {
	in := &rotaInput{perSession: schedule.MinPerSession}
	if err := c.QueryRow(ctx, `SELECT COALESCE(MAX(per_session), 2) FROM reception_rules WHERE station_id = $1 AND active = TRUE`,
		stationID).Scan(&in.perSession); err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, `SELECT d.id, d.name, d.leader, d.first_term FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id
		WHERE sd.station_id = $1 AND d.status = 'in_office' ORDER BY d.id`, stationID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d schedule.RotaDeputy
		if err := rows.Scan(&d.ID, &d.Name, &d.Leader, &d.New); err != nil {
			rows.Close()
			return nil, err
		}
		in.deputies = append(in.deputies, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	to := from.AddDate(1, 0, 1)
	for i := range in.deputies {
		d := &in.deputies[i]
		urows, err := c.Query(ctx, `SELECT from_date, to_date FROM deputy_unavailability WHERE deputy_id = $1 AND to_date >= $2 AND from_date <= $3`,
			d.ID, from.Format("2006-01-02"), to.Format("2006-01-02"))
		if err != nil {
			return nil, err
		}
		for urows.Next() {
			var f, t string
			if err := urows.Scan(&f, &t); err != nil {
				urows.Close()
				return nil, err
			}
			ff, _ := time.ParseInLocation("2006-01-02", f, lianluo.Beijing)
			tt, _ := time.ParseInLocation("2006-01-02", t, lianluo.Beijing)
			d.Unavailable = append(d.Unavailable, schedule.DateRange{From: ff, To: tt})
		}
		urows.Close()
		// Booked elsewhere: sessions at other stations (a deputy with seats
		// at two levels serves at two stations) — never twice at one time.
		var w where
		q := `SELECT r.starts_at, r.ends_at FROM reception_deputies rd JOIN receptions r ON r.id = rd.reception_id
			WHERE rd.deputy_id = ` + w.arg(d.ID) + ` AND r.status <> 'cancelled' AND r.starts_at >= ` + w.arg(from.UTC()) +
			` AND r.starts_at < ` + w.arg(to.UTC()) + ` AND r.station_id <> ` + w.arg(stationID)
		if len(exclude) > 0 {
			q += ` AND r.id NOT IN ` + w.in(exclude)
		}
		brows, err := c.Query(ctx, q, w.args...)
		if err != nil {
			return nil, err
		}
		for brows.Next() {
			var s, e time.Time
			if err := brows.Scan(&s, &e); err != nil {
				brows.Close()
				return nil, err
			}
			d.Busy = append(d.Busy, schedule.TimeRange{Starts: s.In(lianluo.Beijing), Ends: e.In(lianluo.Beijing)})
		}
		brows.Close()
		if err := brows.Err(); err != nil {
			return nil, err
		}
	}
	return in, nil
}

func rotaProblems(ps []schedule.Problem) []lianluo.RotaProblem {
	out := []lianluo.RotaProblem{}
	for _, p := range ps {
		rp := lianluo.RotaProblem{Code: p.Code, Message: p.Message, DeputyID: p.DeputyID}
		if !p.Starts.IsZero() {
			t := p.Starts.In(lianluo.Beijing)
			rp.StartsAt = &t
		}
		out = append(out, rp)
	}
	return out
}

// rotaCalendar is the holiday calendar for planning a year's sessions: the
// year must be sensible and its holidays entered.
func (db *DB) rotaCalendar(ctx context.Context, year int) (*lianluo.Calendar, error) {
	if year < 2000 || year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	if !cal.HasYear(year) {
		return nil, lianluo.FieldError("year", "%d年的法定节假日安排尚未录入，请系统管理员先设置该年的节假日和调休，再安排接待。", year)
	}
	return cal, nil
}

// GenerateRota makes a station's sessions for a year from its active rules
// and assigns deputies (internal/schedule). Published and past sessions are
// kept; future drafts are made again.
func (db *DB) GenerateRota(ctx context.Context, stationID int64, year int) (_ *lianluo.Rota, err error) {
	defer wrap(&err, "GenerateRota(%d, %d)", stationID, year)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := db.rotaCalendar(ctx, year); err != nil {
		return nil, err
	}
	rules, err := db.FindReceptionRules(ctx, stationID)
	if err != nil {
		return nil, err
	}
	var problems []lianluo.RotaProblem
	var sessions []schedule.Session
	sessionRule := map[time.Time]*lianluo.ReceptionRule{}
	for _, r := range rules {
		if !r.Active {
			continue
		}
		ss, err := db.ruleSessions(ctx, r, year)
		if err != nil {
			problems = append(problems, lianluo.RotaProblem{Code: schedule.ProblemRuleEmpty, Message: ruleEmptyMessage(r, year)})
			continue
		}
		for _, s := range ss {
			if _, dup := sessionRule[s.Starts]; dup {
				continue
			}
			sessionRule[s.Starts] = r
			sessions = append(sessions, s)
		}
	}
	problems = append(problems, rotaProblems(schedule.Sparse(sessions, year))...)
	var out lianluo.Rota
	err = db.transact(ctx, func(tx *Tx) error {
		if _, err := requireStation(ctx, tx.conn, a, stationID, false); err != nil {
			return err
		}
		if len(sessionRule) == 0 && len(rules) == 0 {
			return lianluo.FieldError("rules", "该联络站还没有接待规则，请先设置接待规则。")
		}
		from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
		to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
		// Keep what is published, past or cancelled; remake future drafts
		// made from the rules. Extra sessions the office added (no rule) stay
		// and are assigned again with the rest.
		var drafts []int64
		rows, err := tx.Query(ctx, `SELECT id FROM receptions WHERE station_id = $1 AND status = 'draft' AND rule_id IS NOT NULL
			AND starts_at >= $2 AND starts_at < $3 AND starts_at > $4`,
			stationID, from, to, tx.now)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			drafts = append(drafts, id)
		}
		rows.Close()
		if len(drafts) > 0 {
			var w where
			in := w.in(drafts)
			if _, err := tx.Exec(ctx, `DELETE FROM reception_deputies WHERE reception_id IN `+in, w.args...); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM receptions WHERE id IN `+in, w.args...); err != nil {
				return err
			}
		}
		kept := map[string]bool{}
		rows, err = tx.Query(ctx, `SELECT starts_at FROM receptions WHERE station_id = $1 AND starts_at >= $2 AND starts_at < $3`, stationID, from, to)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s time.Time
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			kept[s.In(lianluo.Beijing).Format("2006-01-02")] = true
		}
		rows.Close()
		var todo []schedule.Session
		for _, s := range sessions {
			if s.Starts.After(tx.now) && !kept[s.Date.Format("2006-01-02")] {
				todo = append(todo, s)
			}
		}
		rota, err := db.assignDrafts(ctx, tx, stationID, year, todo, sessionRule)
		if err != nil {
			return err
		}
		problems = append(problems, rotaProblems(rota.Problems)...)
		if err := tx.event(ctx, "station", stationID, "rota", fmt.Sprintf("生成%d年接待轮值表：%d次接待，%d个问题", year, len(rota.Sessions), len(problems))); err != nil {
			return err
		}
		list, _, err := db.findReceptions(ctx, tx.conn, lianluo.ReceptionFilter{StationID: stationID, From: &from, To: &to, Page: lianluo.AllRows()})
		if err != nil {
			return err
		}
		out = lianluo.Rota{Sessions: list, Problems: problems}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Problems == nil {
		out.Problems = []lianluo.RotaProblem{}
	}
	return &out, nil
}

// CheckRota lists what a station's rota for a year does not meet (after
// the office's swaps, additions and removals).
func (db *DB) CheckRota(ctx context.Context, stationID int64, year int) (_ []lianluo.RotaProblem, err error) {
	defer wrap(&err, "CheckRota(%d, %d)", stationID, year)
	if _, err := findStationByID(ctx, db.reader(), stationID); err != nil {
		return nil, err
	}
	problems, err := db.checkRota(ctx, db.reader(), stationID, year)
	if err != nil {
		return nil, err
	}
	// 001: at least one session every two months, by the active rules.
	sparse, err := db.rulesSparse(ctx, db.reader(), stationID, year)
	if err != nil {
		return nil, err
	}
	problems = append(problems, rotaProblems(sparse)...)
	return problems, nil
}

func (db *DB) checkRota(ctx context.Context, c conn, stationID int64, year int) ([]lianluo.RotaProblem, error) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	list, _, err := db.findReceptions(ctx, c, lianluo.ReceptionFilter{StationID: stationID, From: &from, To: &to, Page: lianluo.AllRows()})
	if err != nil {
		return nil, err
	}
	var rota schedule.Rota
	var ids []int64
	for _, r := range list {
		if r.Status == lianluo.ReceptionCancelled {
			continue
		}
		ids = append(ids, r.ID)
		rota.Sessions = append(rota.Sessions, schedule.RotaSession{
			Session:   schedule.Session{Date: dateOf(r.StartsAt), Starts: r.StartsAt, Ends: r.EndsAt},
			DeputyIDs: r.DeputyIDs,
		})
	}
	in, err := db.loadRotaInput(ctx, c, stationID, year, ids)
	if err != nil {
		return nil, err
	}
	return rotaProblems(schedule.Check(rota, in.deputies, in.perSession)), nil
}

func dateOf(t time.Time) time.Time {
	b := t.In(lianluo.Beijing)
	return time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, lianluo.Beijing)
}

// PublishRota publishes a year's drafts and tells each deputy their turns.
func (db *DB) PublishRota(ctx context.Context, stationID int64, year int) (int, error) {
	return db.publishRota(ctx, stationID, year, false)
}

// publishRota publishes; accept is the office's acceptance of a year with
// too few sessions for every deputy to take a turn.
func (db *DB) publishRota(ctx context.Context, stationID int64, year int, accept bool) (_ int, err error) {
	defer wrap(&err, "PublishRota(%d, %d, %t)", stationID, year, accept)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = db.transact(ctx, func(tx *Tx) error {
		st, err := requireStation(ctx, tx.conn, a, stationID, false)
		if err != nil {
			return err
		}
		from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
		to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
		list, _, err := db.findReceptions(ctx, tx.conn, lianluo.ReceptionFilter{StationID: stationID, Status: lianluo.ReceptionDraft, From: &from, To: &to, Page: lianluo.AllRows()})
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return lianluo.Errorf(lianluo.ESTATE, "%d年没有待发布的接待安排，请先生成轮值表。", year)
		}
		// 001 二(二): every deputy at least once a year. A short year is
		// published only when the office accepts it.
		short, err := db.shortYear(ctx, tx.conn, stationID, year)
		if err != nil {
			return err
		}
		if short != "" && !accept {
			return lianluo.Errorf(lianluo.ESTATE, "%s请先增加场次，或确认接受后再发布。", short)
		}
		turns := map[int64][]string{}
		for _, r := range list {
			if len(r.DeputyIDs) < lianluo.MinStationDeputies {
				return lianluo.Errorf(lianluo.ESTATE, "%s的接待只安排了%d名代表，每次至少需要%d名，请调整后再发布。",
					r.StartsAt.In(lianluo.Beijing).Format("2006-01-02"), len(r.DeputyIDs), lianluo.MinStationDeputies)
			}
			if _, err := tx.Exec(ctx, `UPDATE receptions SET status = 'published', version = version + 1, updated_at = $1 WHERE id = $2`, tx.now, r.ID); err != nil {
				return err
			}
			for _, d := range r.DeputyIDs {
				turns[d] = append(turns[d], r.StartsAt.In(lianluo.Beijing).Format("1月2日15:04"))
			}
			n++
		}
		for d, when := range turns {
			body := fmt.Sprintf("%s%d年代表接待轮值表已发布，您的接待时间：%s。届时请到站接待选民，并扫描联络站签到码签到。", st.Name, year, strings.Join(when, "、"))
			if err := notifyDeputyOf(ctx, tx, d, stationID, "rota_published", body, fmt.Sprintf("rota:%d:%d:%d:%d", stationID, year, d, tx.now.Unix())); err != nil {
				return err
			}
		}
		what := fmt.Sprintf("发布%d年接待轮值表：%d次接待", year, n)
		if short != "" {
			what += "。已确认接受：" + short
		}
		return tx.event(ctx, "station", stationID, "rota_publish", what)
	})
	return n, err
}

// notifyDeputyOf tells a deputy: in-app to their accounts and an SMS to
// their phone; a deputy with neither reaches the station's staff in-app.
func notifyDeputyOf(ctx context.Context, tx *Tx, deputyID, stationID int64, template, body, key string) error {
	var phone, name string
	if err := tx.QueryRow(ctx, `SELECT phone, name FROM deputies WHERE id = $1`, deputyID).Scan(&phone, &name); err != nil {
		return err
	}
	users, err := queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = 'deputy' AND ur.deputy_id = $1 ORDER BY u.id`, deputyID)
	if err != nil {
		return err
	}
	for _, u := range users {
		uid := u
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: template, Body: body, DedupeKey: key + ":inapp:" + fmt.Sprint(u)}); err != nil {
			return err
		}
	}
	if phone != "" {
		return enqueue(ctx, tx, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: phone, Template: template, Body: body, DedupeKey: key + ":sms"})
	}
	if len(users) > 0 {
		return nil
	}
	// Nobody to reach directly: the station's staff pass it on.
	staff, err := stationStaff(ctx, tx, stationID)
	if err != nil {
		return err
	}
	for _, u := range staff {
		uid := u
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: template,
			Body: "请转告" + name + "代表（未登记手机号）：" + body, DedupeKey: key + ":staff:" + fmt.Sprint(u)}); err != nil {
			return err
		}
	}
	return nil
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
		w.add("r.id IN (SELECT reception_id FROM reception_deputies WHERE deputy_id = " + w.arg(f.DeputyID) + ")")
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
	return loadSessionParts(ctx, c, receptionTables, parts)
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

// UpdateReception adjusts one session: deputies, time, form, theme, or cancels it.
func (db *DB) UpdateReception(ctx context.Context, id int64, u lianluo.ReceptionUpdate) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "UpdateReception(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		st, err := requireStation(ctx, tx.conn, a, r.StationID, false)
		if err != nil {
			return err
		}
		if u.Version != r.Version {
			return lianluo.Stale()
		}
		if r.Status == lianluo.ReceptionCancelled {
			return lianluo.Errorf(lianluo.ESTATE, "该次接待已取消，不能再修改。")
		}
		if r.EndsAt.Before(tx.now) && !u.Cancel {
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
		status := r.Status
		if u.Cancel {
			status = lianluo.ReceptionCancelled
			c = append(c, "取消接待")
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
			old := map[int64]bool{}
			for _, d := range r.DeputyIDs {
				old[d] = true
				if !seen[d] {
					if _, err := tx.Exec(ctx, `DELETE FROM reception_deputies WHERE reception_id = $1 AND deputy_id = $2`, id, d); err != nil {
						return err
					}
				}
			}
			for i, d := range ids {
				if old[d] {
					if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET position = $1 WHERE reception_id = $2 AND deputy_id = $3`, i, id, d); err != nil {
						return err
					}
					continue
				}
				if _, err := tx.Exec(ctx, `INSERT INTO reception_deputies (reception_id, deputy_id, position) VALUES ($1, $2, $3)`, id, d, i); err != nil {
					return err
				}
				if r.Status == lianluo.ReceptionPublished {
					body := fmt.Sprintf("您已被安排于%s在%s接待选民，请提前安排时间。", starts.In(lianluo.Beijing).Format("1月2日15:04"), st.Name)
					if err := notifyDeputyOf(ctx, tx, d, st.ID, "reception_assigned", body, fmt.Sprintf("reception_assigned:%d:%d:%d", id, d, tx.now.Unix())); err != nil {
						return err
					}
				}
			}
			c.changed("接待代表", !slices.Equal(r.DeputyIDs, ids))
		}
		c.str("时间", r.StartsAt.Format("2006-01-02 15:04"), starts.In(lianluo.Beijing).Format("2006-01-02 15:04"))
		c.str("形式", schedule.FormNames[r.Form], schedule.FormNames[form])
		c.str("主题", r.Theme, theme)
		if u.Cancel && r.Status == lianluo.ReceptionPublished {
			for _, d := range r.DeputyIDs {
				body := fmt.Sprintf("原定%s在%s的代表接待已取消。", r.StartsAt.Format("1月2日15:04"), st.Name)
				if err := notifyDeputyOf(ctx, tx, d, st.ID, "reception_cancelled", body, fmt.Sprintf("reception_cancelled:%d:%d", id, d)); err != nil {
					return err
				}
			}
		}
		res, err := tx.Exec(ctx, `UPDATE receptions SET starts_at = $1, ends_at = $2, form = $3, theme = $4, status = $5,
			version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
			starts.UTC(), ends.UTC(), form, theme, status, tx.now, id, u.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "update", c.String())
	})
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
	q := `SELECT r.id FROM receptions r JOIN reception_deputies rd ON rd.reception_id = r.id
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

// SignIn records the calling deputy at a session: only during its window
// (30 minutes before the start to the end), only a deputy on it (002: 本人签到).
func (db *DB) SignIn(ctx context.Context, id int64) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "SignIn(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(lianluo.RoleDeputy) || len(a.Scope.Deputies) == 0 {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人可以签到；工作人员请用“登记出席”。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		var me *lianluo.ReceptionDeputy
		for i := range r.Deputies {
			if slices.Contains(a.Scope.Deputies, r.Deputies[i].DeputyID) {
				me = &r.Deputies[i]
			}
		}
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次接待没有安排您。请在安排您接待的联络站签到。")
		case r.Status != lianluo.ReceptionPublished:
			return lianluo.Errorf(lianluo.ESTATE, "这次接待%s，不能签到。", map[string]string{lianluo.ReceptionDraft: "尚未发布", lianluo.ReceptionCancelled: "已取消"}[r.Status])
		case tx.now.Before(r.StartsAt.Add(-lianluo.SignInEarly)):
			return lianluo.Errorf(lianluo.ESTATE, "还没到签到时间：接待开始前30分钟（%s）起可以签到。", r.StartsAt.Add(-lianluo.SignInEarly).Format("1月2日15:04"))
		case tx.now.After(r.EndsAt):
			return lianluo.Errorf(lianluo.ESTATE, "这次接待已经结束（%s），不能再签到。", r.EndsAt.Format("15:04"))
		case me.Attendance == lianluo.AttendPresent:
			return lianluo.Errorf(lianluo.ESTATE, "您已经签到过了（%s）。", me.SignedInAt.In(lianluo.Beijing).Format("15:04"))
		}
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
			WHERE reception_id = $2 AND deputy_id = $3`, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "signin", me.Name+"签到")
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// MarkAttendance is the staff's record of a deputy's attendance.
func (db *DB) MarkAttendance(ctx context.Context, id, deputyID int64, attendance string) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "MarkAttendance(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := lianluo.AttendanceNames[attendance]; !ok || attendance == lianluo.AttendLeave {
		return nil, lianluo.FieldError("attendance", "请选择出席、缺席或待参加（请假请走请假审批）。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, true); err != nil {
			return err
		}
		if r.Status != lianluo.ReceptionPublished {
			return lianluo.Errorf(lianluo.ESTATE, "只有已发布的接待可以登记出席。")
		}
		if attendance != lianluo.AttendScheduled && tx.now.Before(r.StartsAt.Add(-lianluo.SignInEarly)) {
			return lianluo.Errorf(lianluo.ESTATE, "接待还没开始，不能登记出席情况。")
		}
		var at *time.Time
		by := ""
		if attendance == lianluo.AttendPresent {
			at, by = &tx.now, "staff"
		}
		res, err := tx.Exec(ctx, `UPDATE reception_deputies SET attendance = $1, signed_in_at = $2, signed_by = $3
			WHERE reception_id = $4 AND deputy_id = $5`, attendance, at, by, id, deputyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lianluo.FieldError("deputy_id", "这次接待没有安排这位代表。")
		}
		return tx.event(ctx, "reception", id, "attendance", fmt.Sprintf("登记代表（编号%d）：%s", deputyID, lianluo.AttendanceNames[attendance]))
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// RequestLeave is a deputy's leave request (请假) for a session.
func (db *DB) RequestLeave(ctx context.Context, id int64, reason string) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "RequestLeave(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := require("reason", "请假理由", reason, 500); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		var me *lianluo.ReceptionDeputy
		for i := range r.Deputies {
			if slices.Contains(a.Scope.Deputies, r.Deputies[i].DeputyID) && a.Has(lianluo.RoleDeputy) {
				me = &r.Deputies[i]
			}
		}
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次接待没有安排您，不需要请假。")
		case r.Status == lianluo.ReceptionCancelled:
			return lianluo.Errorf(lianluo.ESTATE, "这次接待已取消。")
		case tx.now.After(r.StartsAt):
			return lianluo.Errorf(lianluo.ESTATE, "接待已经开始，不能再请假；如有特殊情况请联系联络站。")
		case me.LeaveStatus == lianluo.LeavePending || me.LeaveStatus == lianluo.LeaveApproved:
			return lianluo.Errorf(lianluo.ESTATE, "您已经请过假了（%s）。", lianluo.LeaveStatusNames[me.LeaveStatus])
		}
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET leave_reason = $1, leave_status = 'pending', leave_at = $2
			WHERE reception_id = $3 AND deputy_id = $4`, reason, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		// The station head (or the office) approves.
		heads, err := stationHeads(ctx, tx, r.StationID)
		if err != nil {
			return err
		}
		for _, u := range heads {
			uid := u
			if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: "leave_requested",
				Body: fmt.Sprintf("%s代表申请%s接待请假：%s", me.Name, r.StartsAt.Format("1月2日"), truncate(reason, 60))}); err != nil {
				return err
			}
		}
		return tx.event(ctx, "reception", id, "leave", me.Name+"请假："+reason)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

func stationHeads(ctx context.Context, tx *Tx, stationID int64) ([]int64, error) {
	return queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = 'station_head' AND ur.station_id = $1 ORDER BY u.id`, stationID)
}

// DecideLeave approves or rejects a pending leave request (the station head or the office).
func (db *DB) DecideLeave(ctx context.Context, id, deputyID int64, approve bool) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "DecideLeave(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		st, err := requireStation(ctx, tx.conn, a, r.StationID, false)
		if err != nil {
			return err
		}
		var d *lianluo.ReceptionDeputy
		for i := range r.Deputies {
			if r.Deputies[i].DeputyID == deputyID {
				d = &r.Deputies[i]
			}
		}
		if d == nil || d.LeaveStatus != lianluo.LeavePending {
			return lianluo.Errorf(lianluo.ESTATE, "没有待审批的请假。")
		}
		status, attendance, verdict := lianluo.LeaveRejected, d.Attendance, "未批准"
		if approve {
			status, attendance, verdict = lianluo.LeaveApproved, lianluo.AttendLeave, "已批准"
		}
		if _, err := tx.Exec(ctx, `UPDATE reception_deputies SET leave_status = $1, attendance = $2 WHERE reception_id = $3 AND deputy_id = $4`,
			status, attendance, id, deputyID); err != nil {
			return err
		}
		body := fmt.Sprintf("您%s在%s接待的请假%s。", r.StartsAt.Format("1月2日"), st.Name, verdict)
		if err := notifyDeputyOf(ctx, tx, deputyID, st.ID, "leave_decided", body, fmt.Sprintf("leave:%d:%d:%s", id, deputyID, status)); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "leave_decide", d.Name+"请假"+verdict)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// RecordReception keeps what a session did: visitors, minutes, the
// satisfaction check (001). Only once it has started.
func (db *DB) RecordReception(ctx context.Context, id int64, version int, rec lianluo.ReceptionRecord) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "RecordReception(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	rec.Minutes = strings.TrimSpace(rec.Minutes)
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, true); err != nil {
			return err
		}
		if r.Version != version {
			return lianluo.Stale()
		}
		if r.Status != lianluo.ReceptionPublished || tx.now.Before(r.StartsAt) {
			return lianluo.Errorf(lianluo.ESTATE, "接待开始以后才能填写接待记录。")
		}
		res, err := tx.Exec(ctx, `UPDATE receptions SET visitors = $1, minutes = $2, satisfied = $3, basically_satisfied = $4, unsatisfied = $5,
			recorded_at = $6, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
			rec.Visitors, rec.Minutes, rec.Satisfied, rec.BasicallySatisfied, rec.Unsatisfied, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "record", fmt.Sprintf("接待记录：接待群众%d人", rec.Visitors))
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// AddReceptionPhoto keeps a photo of a session (有现场图片 — 002).
func (db *DB) AddReceptionPhoto(ctx context.Context, id int64, data []byte) (err error) {
	defer wrap(&err, "AddReceptionPhoto(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, true); err != nil {
			return err
		}
		if err := addSessionPhoto(ctx, tx, receptionTables, id, r.Photos, ct, data, a); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "photo", "上传现场照片")
	})
}

// ReceptionPhoto returns the n-th (from 1) photo of a session in scope.
func (db *DB) ReceptionPhoto(ctx context.Context, id int64, n int) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "ReceptionPhoto(%d, %d)", id, n)
	if _, err := findReception(ctx, db.reader(), id); err != nil {
		return nil, err
	}
	return sessionPhoto(ctx, db.reader(), receptionTables, id, n)
}

// LinkCase ties a case registered during a session to it: the case must be
// in the caller's scope, at the same station.
func (db *DB) LinkCase(ctx context.Context, id, caseID int64) (_ *lianluo.Reception, err error) {
	defer wrap(&err, "LinkCase(%d, %d)", id, caseID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, err := findReception(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if _, err := requireStation(ctx, tx.conn, a, r.StationID, true); err != nil {
			return err
		}
		c, err := findCase(ctx, tx.conn, caseID)
		if err != nil {
			return lianluo.FieldError("case_id", "意见（编号%d）不存在或不在您的范围内。", caseID)
		}
		if c.StationID == nil || *c.StationID != r.StationID {
			return lianluo.FieldError("case_id", "只能关联在本站登记的意见。")
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET reception_id = $1 WHERE id = $2`, id, caseID); err != nil {
			return err
		}
		return tx.event(ctx, "reception", id, "link_case", fmt.Sprintf("关联意见 #%d", caseID))
	})
	if err != nil {
		return nil, err
	}
	return db.FindReceptionByID(ctx, id)
}

// AddUnavailability declares when a deputy cannot take a turn (the deputy
// themself, or the office managing them).
func (db *DB) AddUnavailability(ctx context.Context, u *lianluo.Unavailability) (err error) {
	defer wrap(&err, "AddUnavailability")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	f, err1 := time.ParseInLocation("2006-01-02", strings.TrimSpace(u.From), lianluo.Beijing)
	t, err2 := time.ParseInLocation("2006-01-02", strings.TrimSpace(u.To), lianluo.Beijing)
	switch {
	case err1 != nil:
		return lianluo.FieldError("from", "开始日期格式应为 2026-05-01。")
	case err2 != nil:
		return lianluo.FieldError("to", "结束日期格式应为 2026-05-31。")
	case t.Before(f):
		return lianluo.FieldError("to", "结束日期不能早于开始日期。")
	case t.Sub(f) > 366*24*time.Hour:
		return lianluo.FieldError("to", "一次最多登记一年。")
	}
	u.Reason = strings.TrimSpace(u.Reason)
	if err := optional("reason", "原因", u.Reason, 200); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		d, err := findDeputyByID(ctx, tx.conn, u.DeputyID)
		if err != nil {
			return err
		}
		if !a.CanManageRegion(d.RegionCode) && !(a.Has(lianluo.RoleDeputy) && slices.Contains(a.Scope.Deputies, d.ID)) {
			return lianluo.Forbidden()
		}
		u.From, u.To = f.Format("2006-01-02"), t.Format("2006-01-02")
		if err := tx.QueryRow(ctx, `INSERT INTO deputy_unavailability (deputy_id, from_date, to_date, reason, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			d.ID, u.From, u.To, u.Reason, tx.now).Scan(&u.ID); err != nil {
			return err
		}
		return tx.event(ctx, "deputy", d.ID, "unavailable", fmt.Sprintf("登记不能参加接待：%s至%s", u.From, u.To))
	})
}

// FindUnavailability lists a deputy's declared absences.
func (db *DB) FindUnavailability(ctx context.Context, deputyID int64) (_ []lianluo.Unavailability, err error) {
	defer wrap(&err, "FindUnavailability(%d)", deputyID)
	if _, err := findDeputyByID(ctx, db.reader(), deputyID); err != nil {
		return nil, err
	}
	rows, err := db.reader().Query(ctx, `SELECT id, deputy_id, from_date, to_date, reason FROM deputy_unavailability WHERE deputy_id = $1 ORDER BY from_date`, deputyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.Unavailability{}
	for rows.Next() {
		var u lianluo.Unavailability
		if err := rows.Scan(&u.ID, &u.DeputyID, &u.From, &u.To, &u.Reason); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// DeleteUnavailability removes a declared absence.
func (db *DB) DeleteUnavailability(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "DeleteUnavailability(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		var deputyID int64
		err := tx.QueryRow(ctx, `SELECT deputy_id FROM deputy_unavailability WHERE id = $1`, id).Scan(&deputyID)
		if errors.Is(err, sql.ErrNoRows) {
			return lianluo.NotFound("记录")
		} else if err != nil {
			return err
		}
		d, err := findDeputyByID(ctx, tx.conn, deputyID)
		if err != nil {
			return err
		}
		if !a.CanManageRegion(d.RegionCode) && !(a.Has(lianluo.RoleDeputy) && slices.Contains(a.Scope.Deputies, d.ID)) {
			return lianluo.Forbidden()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM deputy_unavailability WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.event(ctx, "deputy", d.ID, "unavailable", "删除不能参加接待的登记")
	})
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

// RemindReceptions tells deputies of their turn a week, three days and a
// day before (002: 提前一周联系、提前三天短信提醒、提前一天温馨提示). Each
// reminder is given once (dedupe key per session, deputy and stage); a
// session published late gets only the nearest stage. Deputies on leave
// are not reminded.
func (db *DB) RemindReceptions(ctx context.Context) (n int, err error) {
	defer wrap(&err, "RemindReceptions")
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	err = db.transact(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT r.id, r.station_id, s.name, COALESCE(s.address, ''), r.starts_at, rd.deputy_id
			FROM receptions r JOIN stations s ON s.id = r.station_id JOIN reception_deputies rd ON rd.reception_id = r.id
			WHERE r.status = 'published' AND r.starts_at > $1 AND r.starts_at <= $2
				AND rd.attendance = 'scheduled' AND rd.leave_status <> 'approved'
			ORDER BY r.starts_at, rd.deputy_id`, tx.now, tx.now.Add(7*24*time.Hour))
		if err != nil {
			return err
		}
		type due struct {
			id, station, deputy int64
			name, addr          string
			starts              time.Time
		}
		var dues []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.station, &d.name, &d.addr, &d.starts, &d.deputy); err != nil {
				rows.Close()
				return err
			}
			dues = append(dues, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range dues {
			left := d.starts.Sub(tx.now)
			stage, when := 7, "一周后"
			switch {
			case left <= 24*time.Hour:
				stage, when = 1, "明天"
			case left <= 3*24*time.Hour:
				stage, when = 3, "三天后"
			}
			key := fmt.Sprintf("reception_reminder:%d:%d:%d", d.id, d.deputy, stage)
			var exists int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE dedupe_key LIKE $1`, key+":%").Scan(&exists); err != nil {
				return err
			}
			if exists > 0 {
				continue
			}
			body := fmt.Sprintf("温馨提示：%s（%s）您在%s接待选民，", when, d.starts.In(lianluo.Beijing).Format("1月2日15:04"), d.name)
			if d.addr != "" {
				body += "地址：" + d.addr + "，"
			}
			body += "到站后请扫描签到码签到。如不能参加，请在平台上请假。"
			if err := notifyDeputyOf(ctx, tx, d.deputy, d.station, "reception_reminder", body, key); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// FeedToken returns the secret token of a calendar feed, creating it.
func (db *DB) FeedToken(ctx context.Context, kind string, id int64) (_ string, err error) {
	defer wrap(&err, "FeedToken(%s, %d)", kind, id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return "", err
	}
	switch kind {
	case "deputy":
		d, err := findDeputyByID(ctx, db.reader(), id)
		if err != nil {
			return "", err
		}
		if !a.CanManageRegion(d.RegionCode) && !(a.Has(lianluo.RoleDeputy) && slices.Contains(a.Scope.Deputies, id)) {
			return "", lianluo.Forbidden()
		}
	case "station":
		if _, err := findStationByID(ctx, db.reader(), id); err != nil {
			return "", err
		}
	default:
		return "", lianluo.NotFound("日历")
	}
	var token string
	err = db.transact(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `SELECT token FROM calendar_feeds WHERE kind = $1 AND owner_id = $2`, kind, id).Scan(&token)
		if err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		b := make([]byte, 20)
		rand.Read(b)
		token = hex.EncodeToString(b)
		sum := sha256.Sum256([]byte(token))
		_, err = tx.Exec(ctx, `INSERT INTO calendar_feeds (token_hash, kind, owner_id, token, created_at) VALUES ($1, $2, $3, $4, $5)`,
			hex.EncodeToString(sum[:]), kind, id, token, tx.now)
		return err
	})
	return token, err
}

// Feed returns a feed's events: a deputy's turns, or a station's published
// sessions, from a year back on.
func (db *DB) Feed(ctx context.Context, token string) (_ *lianluo.Feed, err error) {
	defer wrap(&err, "Feed")
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	var kind string
	var id int64
	err = db.reader().QueryRow(ctx, `SELECT kind, owner_id FROM calendar_feeds WHERE token_hash = $1`, hex.EncodeToString(sum[:])).Scan(&kind, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("日历")
	} else if err != nil {
		return nil, err
	}
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	from := db.Now().AddDate(-1, 0, 0)
	f := lianluo.ReceptionFilter{From: &from, Page: lianluo.AllRows()}
	feed := &lianluo.Feed{Events: []lianluo.FeedEvent{}}
	if kind == "deputy" {
		d, err := findDeputyByID(ctx, db.reader(), id)
		if err != nil {
			return nil, err
		}
		f.DeputyID, feed.Name = id, d.Name+"的代表活动"
	} else {
		st, err := findStationByID(ctx, db.reader(), id)
		if err != nil {
			return nil, err
		}
		f.StationID, feed.Name = id, st.Name+"接待安排"
	}
	list, _, err := db.findReceptions(ctx, db.reader(), f)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if r.Status == lianluo.ReceptionDraft {
			continue
		}
		var names []string
		for _, d := range r.Deputies {
			names = append(names, d.Name)
		}
		summary := "代表接待选民（" + r.StationName + "）"
		if r.Theme != "" {
			summary = "主题接待：" + r.Theme + "（" + r.StationName + "）"
		}
		feed.Events = append(feed.Events, lianluo.FeedEvent{
			UID: fmt.Sprintf("reception-%d@lianluo", r.ID), Start: r.StartsAt, End: r.EndsAt, Summary: summary,
			Location: r.StationName, Description: "接待代表：" + strings.Join(names, "、") + "。到站后请扫码签到。",
			Updated: r.UpdatedAt, Cancelled: r.Status == lianluo.ReceptionCancelled,
		})
	}
	// The activities a deputy is invited to, or a station organises (activity.go).
	events, err := db.activityFeed(ctx, kind, id, from)
	if err != nil {
		return nil, err
	}
	feed.Events = append(feed.Events, events...)
	return feed, nil
}

var _ lianluo.ReceptionService = (*DB)(nil)
