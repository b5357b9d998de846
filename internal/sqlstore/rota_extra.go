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

// The rota's further steps: assigning the future drafts, extra sessions
// when the rules give too few for every deputy to take a turn (001 二(二):
// 每年至少参加一次), the office's acceptance of a short year, and the
// checks of a station's rules (duplicates, at least every two months).

// assignDrafts assigns the deputies of the year's future drafts again —
// those already stored (extra sessions kept by GenerateRota, or all of
// them after AddRotaSessions) and the new sessions, inserted here with the
// rule that made them — and returns the generator's rota.
func (db *DB) assignDrafts(ctx context.Context, tx *Tx, stationID int64, year int, news []schedule.Session, ruleOf map[time.Time]*lianluo.ReceptionRule) (schedule.Rota, error) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	rows, err := tx.Query(ctx, `SELECT id, starts_at, ends_at FROM receptions
		WHERE station_id = $1 AND status = 'draft' AND starts_at >= $2 AND starts_at < $3 AND starts_at > $4`, stationID, from, to, tx.now)
	if err != nil {
		return schedule.Rota{}, err
	}
	existing := map[time.Time]int64{}
	sessions := slices.Clone(news)
	for rows.Next() {
		var id int64
		var s, e time.Time
		if err := rows.Scan(&id, &s, &e); err != nil {
			rows.Close()
			return schedule.Rota{}, err
		}
		s, e = s.In(lianluo.Beijing), e.In(lianluo.Beijing)
		existing[s] = id
		sessions = append(sessions, schedule.Session{Date: dateOf(s), Starts: s, Ends: e})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return schedule.Rota{}, err
	}
	if len(existing) > 0 {
		var w where
		ids := make([]int64, 0, len(existing))
		for _, id := range existing {
			ids = append(ids, id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM occasion_invitees WHERE kind = 'reception' AND occasion_id IN `+w.in(ids), w.args...); err != nil {
			return schedule.Rota{}, err
		}
	}
	in, err := db.loadRotaInput(ctx, tx.conn, stationID, year, nil)
	if err != nil {
		return schedule.Rota{}, err
	}
	rota := schedule.Generate(sessions, in.deputies, in.perSession)
	for _, rs := range rota.Sessions {
		id, ok := existing[rs.Session.Starts]
		if !ok {
			r := ruleOf[rs.Session.Starts]
			moved := ""
			if rs.Session.Moved {
				moved = rs.Session.MovedFrom.Format("2006-01-02")
			}
			if err := tx.QueryRow(ctx, `INSERT INTO receptions (station_id, rule_id, starts_at, ends_at, form, theme, status, moved_from,
				version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, 1, $8, $8) RETURNING id`,
				stationID, r.ID, rs.Session.Starts.UTC(), rs.Session.Ends.UTC(), r.Form, r.Theme, moved, tx.now).Scan(&id); err != nil {
				return schedule.Rota{}, err
			}
		}
		for i, d := range rs.DeputyIDs {
			if err := receptionOccasions.invite(ctx, tx, id, d, i); err != nil {
				return schedule.Rota{}, err
			}
		}
	}
	return rota, nil
}

// AddRotaSessions adds the extra sessions a year needs for every in-office
// deputy of the station to take a turn, spread over the working days left
// in the year at the times of the first active rule, as drafts without a
// rule (GenerateRota keeps them), and assigns the future drafts again.
func (db *DB) AddRotaSessions(ctx context.Context, stationID int64, year int) (_ *lianluo.Rota, err error) {
	defer wrap(&err, "AddRotaSessions(%d, %d)", stationID, year)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := db.rotaCalendar(ctx, year)
	if err != nil {
		return nil, err
	}
	var out lianluo.Rota
	err = db.transact(ctx, func(tx *Tx) error {
		if _, err := requireStation(ctx, tx.conn, a, stationID, false); err != nil {
			return err
		}
		var rule lianluo.ReceptionRule
		if err := scanRule(tx.QueryRow(ctx, `SELECT `+ruleColumns+` FROM reception_rules WHERE station_id = $1 AND active = TRUE ORDER BY id LIMIT 1`,
			stationID), &rule); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return lianluo.FieldError("rules", "该联络站还没有启用的接待规则，请先设置接待规则。")
			}
			return err
		}
		from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
		to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
		taken := map[string]bool{}
		rows, err := tx.Query(ctx, `SELECT starts_at FROM receptions WHERE station_id = $1 AND status <> 'cancelled' AND starts_at >= $2 AND starts_at < $3`,
			stationID, from, to)
		if err != nil {
			return err
		}
		held := 0
		for rows.Next() {
			var s time.Time
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			taken[s.In(lianluo.Beijing).Format(time.DateOnly)] = true
			held++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		in, err := db.loadRotaInput(ctx, tx.conn, stationID, year, nil)
		if err != nil {
			return err
		}
		need := schedule.SessionsNeeded(len(in.deputies), in.perSession) - held
		if need <= 0 {
			return lianluo.Errorf(lianluo.ESTATE, "%d年已有%d场接待，每场%d名，足够让本站%d名代表每人至少进站一次，不需要增加场次。",
				year, held, in.perSession, len(in.deputies))
		}
		// The working days left in the year (from tomorrow) without a session.
		var days []time.Time
		first := dateOf(tx.now).AddDate(0, 0, 1)
		if jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing); first.Before(jan1) {
			first = jan1
		}
		for d := first; d.Year() == year; d = d.AddDate(0, 0, 1) {
			if cal.IsWorkday(d) && !taken[d.Format(time.DateOnly)] {
				days = append(days, d)
			}
		}
		if len(days) < need {
			return lianluo.Errorf(lianluo.ESTATE, "%d年剩下的工作日只能再安排%d场接待，还需要%d场；请接受本年度部分代表不轮值后发布。", year, len(days), need)
		}
		start, _ := time.Parse("15:04", rule.Start)
		end, _ := time.Parse("15:04", rule.End)
		var added []string
		for i := range need {
			// Evenly over the days left: the middle of each of need equal parts.
			d := days[(2*i+1)*len(days)/(2*need)]
			starts := time.Date(d.Year(), d.Month(), d.Day(), start.Hour(), start.Minute(), 0, 0, lianluo.Beijing)
			ends := time.Date(d.Year(), d.Month(), d.Day(), end.Hour(), end.Minute(), 0, 0, lianluo.Beijing)
			if _, err := tx.Exec(ctx, `INSERT INTO receptions (station_id, rule_id, starts_at, ends_at, form, theme, status, moved_from,
				version, created_at, updated_at) VALUES ($1, NULL, $2, $3, $4, $5, 'draft', '', 1, $6, $6)`,
				stationID, starts.UTC(), ends.UTC(), rule.Form, rule.Theme, tx.now); err != nil {
				return err
			}
			added = append(added, fmt.Sprintf("%d月%d日", d.Month(), d.Day()))
		}
		if _, err := db.assignDrafts(ctx, tx, stationID, year, nil, nil); err != nil {
			return err
		}
		if err := tx.event(ctx, lianluo.EntityStation, stationID, lianluo.AuditRota, fmt.Sprintf("为让每位代表%d年至少进站一次，增加%d场接待：%s", year, need, strings.Join(added, "、"))); err != nil {
			return err
		}
		list, _, err := db.findReceptions(ctx, tx.conn, lianluo.ReceptionFilter{StationID: stationID, From: &from, To: &to, Page: lianluo.AllRows()})
		if err != nil {
			return err
		}
		problems, err := db.checkRota(ctx, tx.conn, stationID, year)
		if err != nil {
			return err
		}
		out = lianluo.Rota{Sessions: list, Problems: problems}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// PublishRotaAccepting publishes a year that has too few sessions for every
// deputy to take a turn, the office having accepted it (the station's
// history says so).
func (db *DB) PublishRotaAccepting(ctx context.Context, stationID int64, year int) (int, error) {
	return db.publishRota(ctx, stationID, year, true)
}

// shortYear is the too-few-sessions problem of a station's year, if any.
func (db *DB) shortYear(ctx context.Context, c conn, stationID int64, year int) (string, error) {
	problems, err := db.checkRota(ctx, c, stationID, year)
	if err != nil {
		return "", err
	}
	for _, p := range problems {
		if p.Code == schedule.ProblemTooFewSessions {
			return p.Message, nil
		}
	}
	return "", nil
}

// checkDuplicateRule refuses a second active rule of a station with the
// same RRULE and times: it would give every session twice.
func checkDuplicateRule(ctx context.Context, tx *Tx, r *lianluo.ReceptionRule) error {
	if !r.Active {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM reception_rules
		WHERE station_id = $1 AND rrule = $2 AND start_time = $3 AND end_time = $4 AND active = TRUE AND id <> $5`,
		r.StationID, r.RRule, r.Start, r.End, r.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return lianluo.FieldError("rrule", "本站已有相同的接待规则（%s %s–%s），不能重复添加。", r.Description, r.Start, r.End)
	}
	return nil
}

// ruleWarnings says what the station's active rules together do not meet
// in the current year (001: at least one session every two months), for
// the rule just saved.
func (db *DB) ruleWarnings(ctx context.Context, tx *Tx, stationID int64) ([]string, error) {
	problems, err := db.rulesSparse(ctx, tx.conn, stationID, yearOf(tx.now))
	var out []string
	for _, p := range problems {
		out = append(out, p.Message)
	}
	return out, err
}

// rulesSparse lists the station's active rules that give no session in
// year, and schedule.Sparse of the sessions they give; nothing without
// active rules or the year's holiday calendar.
func (db *DB) rulesSparse(ctx context.Context, c conn, stationID int64, year int) ([]schedule.Problem, error) {
	cal, err := db.Calendar(ctx)
	if err != nil || !cal.HasYear(year) {
		return nil, err
	}
	rows, err := c.Query(ctx, `SELECT `+ruleColumns+` FROM reception_rules WHERE station_id = $1 AND active = TRUE ORDER BY id`, stationID)
	if err != nil {
		return nil, err
	}
	var rules []*lianluo.ReceptionRule
	for rows.Next() {
		var r lianluo.ReceptionRule
		if err := scanRule(rows, &r); err != nil {
			rows.Close()
			return nil, err
		}
		rules = append(rules, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(rules) == 0 {
		return nil, err
	}
	var sessions []schedule.Session
	var problems []schedule.Problem
	for _, r := range rules {
		ss, err := db.ruleSessions(ctx, r, year)
		if err != nil {
			problems = append(problems, schedule.Problem{Code: schedule.ProblemRuleEmpty, Message: ruleEmptyMessage(r, year)})
			continue
		}
		sessions = append(sessions, ss...)
	}
	return append(problems, schedule.Sparse(sessions, year)...), nil
}

func ruleEmptyMessage(r *lianluo.ReceptionRule, year int) string {
	return fmt.Sprintf("接待规则“%s”在%d年没有产生接待日期。", r.Description, year)
}
