// The rota (轮值表): a station's sessions for a year made from its rules,
// deputies assigned by internal/schedule, checked and published.

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"lianluo/internal/schedule"
	"strings"
	"time"
)

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
		q := `SELECT r.starts_at, r.ends_at FROM occasion_invitees rd JOIN receptions r ON rd.kind = 'reception' AND r.id = rd.occasion_id
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
			// Their invitees, photos and cases go with them (0013_occasion_integrity).
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
		if err := tx.event(ctx, lianluo.EntityStation, stationID, lianluo.AuditRota, fmt.Sprintf("生成%d年接待轮值表：%d次接待，%d个问题", year, len(rota.Sessions), len(problems))); err != nil {
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
			if err := notifyDeputyOf(ctx, tx, d, stationID, fmt.Sprintf("rota:%d:%d:%d:%d", stationID, year, d, tx.now.Unix()),
				lianluo.MsgRotaPublished, st.Name, year, strings.Join(when, "、")); err != nil {
				return err
			}
		}
		what := fmt.Sprintf("发布%d年接待轮值表：%d次接待", year, n)
		if short != "" {
			what += "。已确认接受：" + short
		}
		return tx.event(ctx, lianluo.EntityStation, stationID, lianluo.AuditRotaPublish, what)
	})
	return n, err
}

// notifyDeputyOf tells a deputy the notice of template with args
// (lianluo.MessageTemplates), keyed by key: in-app to their accounts and an
// SMS to their phone; a deputy with neither reaches the station's staff in-app.
func notifyDeputyOf(ctx context.Context, tx *Tx, deputyID, stationID int64, key string, template lianluo.TemplateKey, args ...any) error {
	_, body := lianluo.Message(template, args...)
	return notifyDeputyText(ctx, tx, deputyID, stationID, key, template, body)
}

// notifyDeputyText is notifyDeputyOf with a body already built from template.
func notifyDeputyText(ctx context.Context, tx *Tx, deputyID, stationID int64, key string, template lianluo.TemplateKey, body string) error {
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
			Body: lianluo.PassOn(name, body), DedupeKey: key + ":staff:" + fmt.Sprint(u)}); err != nil {
			return err
		}
	}
	return nil
}
