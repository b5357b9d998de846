package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lianluo"
)

// RemindSixOnes tells each deputy in office, and each active group's
// leader, which of their 六个一 are still missing, once a period, in the
// last days of June and of December (lianluo.SixOnesReminderPeriod): in
// the app and by their chosen channels. It looks once a day, so that a
// deputy given an account later in the window is still reminded; one with
// nothing missing is not.
func (db *DB) RemindSixOnes(ctx context.Context) (n int, err error) {
	defer wrap(&err, "RemindSixOnes")
	now := db.Now()
	period, due := lianluo.SixOnesReminderPeriod(now)
	if !due {
		return 0, nil
	}
	day := now.In(lianluo.Beijing).Format(time.DateOnly)
	c := db.reader()
	var last string
	if err := c.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'six_ones_checked'`).Scan(&last); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if last == day {
		return 0, nil
	}
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	year := now.In(lianluo.Beijing).Year()

	// Those reminded this period already, by "deputy:12" / "group:3".
	told := map[string]bool{}
	prefix := "six_ones:"
	err = scanEach(ctx, c, `SELECT dedupe_key FROM notifications WHERE dedupe_key LIKE $1`, []any{prefix + "%:" + period + ":%"}, func(sc func(...any) error) error {
		var key string
		if err := sc(&key); err != nil {
			return err
		}
		parts := strings.Split(strings.TrimPrefix(key, prefix), ":")
		if len(parts) >= 2 {
			told[parts[0]+":"+parts[1]] = true
		}
		return nil
	})
	if err != nil {
		return 0, err
	}

	type reminder struct {
		who      string // deputy:12, group:3
		template lianluo.TemplateKey
		name     string
		missing  []string
		users    []int64
	}
	var out []reminder
	// Deputies with an account, and groups whose leader has one.
	type target struct {
		kind   string
		id     int64
		name   string
		deputy int64 // whose accounts are told
	}
	var targets []target
	err = scanEach(ctx, c, `SELECT d.id, d.name FROM deputies d WHERE d.status = 'in_office'
		AND EXISTS (SELECT 1 FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE u.active = TRUE AND ur.role = 'deputy' AND ur.deputy_id = d.id)
		ORDER BY d.id`, nil, func(sc func(...any) error) error {
		t := target{kind: "deputy"}
		if err := sc(&t.id, &t.name); err != nil {
			return err
		}
		t.deputy = t.id
		targets = append(targets, t)
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = scanEach(ctx, c, `SELECT g.id, g.name, g.leader_id FROM deputy_groups g WHERE g.active = TRUE AND g.leader_id IS NOT NULL ORDER BY g.id`, nil,
		func(sc func(...any) error) error {
			t := target{kind: "group"}
			if err := sc(&t.id, &t.name, &t.deputy); err != nil {
				return err
			}
			targets = append(targets, t)
			return nil
		})
	if err != nil {
		return 0, err
	}
	for _, t := range targets {
		who := fmt.Sprintf("%s:%d", t.kind, t.id)
		if told[who] {
			continue
		}
		var s *lianluo.SixOnes
		template := lianluo.MsgSixOnesDeputy
		if t.kind == "group" {
			s, err = db.GroupSixOnes(ctx, t.id, year)
			template = lianluo.MsgSixOnesGroup
		} else {
			s, err = db.DeputySixOnes(ctx, t.id, year)
		}
		if err != nil {
			return 0, err
		}
		missing := lianluo.SixOnesMissing(s, period)
		if len(missing) == 0 {
			continue
		}
		users, err := queryIDs(ctx, c, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active = TRUE AND ur.role = 'deputy' AND ur.deputy_id = $1 ORDER BY u.id`, t.deputy)
		if err != nil {
			return 0, err
		}
		if len(users) > 0 {
			out = append(out, reminder{who: who, template: template, name: t.name, missing: missing, users: users})
		}
	}
	err = db.transact(ctx, func(tx *Tx) error {
		for _, r := range out {
			subject, body := lianluo.Message(r.template, r.name, lianluo.SixOnesPeriodName(period), strings.Join(r.missing, "；"))
			for _, u := range r.users {
				uid := u
				if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: r.template, Subject: subject, Body: body,
					DedupeKey: fmt.Sprintf("%s%s:%s:inapp:%d", prefix, r.who, period, u)}); err != nil {
					return err
				}
			}
		}
		return putSetting(ctx, tx, "six_ones_checked", day)
	})
	if err != nil {
		return 0, err
	}
	return len(out), nil
}
