package sqlstore

import (
	"context"
	"fmt"
	"time"

	"lianluo"
)

// RemindReceptions tells deputies of their turn a week, three days and a
// day before (lianluo.ReminderDue).
func (db *DB) RemindReceptions(ctx context.Context) (int, error) {
	return db.remind(ctx, receptionOccasions)
}

// RemindActivities gives invited deputies the day-before reminder (温馨提示).
func (db *DB) RemindActivities(ctx context.Context) (int, error) {
	return db.remind(ctx, activityOccasions)
}

// remind gives each invited deputy still expected at an occasion of kind
// k — attendance scheduled, leave not approved — the reminder due now
// (lianluo.ReminderDue), once per stage: the update of reminded_at that
// claims it is the one that sends, so concurrent sweeps cannot both send.
func (db *DB) remind(ctx context.Context, k occasionKind) (n int, err error) {
	defer wrap(&err, "remind(%s)", k.kind)
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	err = db.transact(ctx, func(tx *Tx) error {
		type due struct {
			id, deputy int64
			starts     time.Time
			last       *time.Time
		}
		var dues []due
		rows, err := tx.Query(ctx, `SELECT o.id, i.deputy_id, o.starts_at, i.reminded_at
			FROM occasion_invitees i JOIN `+k.table+` o ON i.kind = $1 AND o.id = i.occasion_id
			WHERE o.status = 'published' AND o.starts_at > $2 AND o.starts_at <= $3
				AND i.attendance = 'scheduled' AND i.leave_status <> 'approved'
			ORDER BY o.starts_at, i.deputy_id LIMIT 1000`, string(k.kind), tx.now, tx.now.Add(lianluo.ReminderLead(k.kind)))
		if err != nil {
			return err
		}
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.deputy, &d.starts, &d.last); err != nil {
				rows.Close()
				return err
			}
			dues = append(dues, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		loaded := map[int64]*occasion{}
		for _, d := range dues {
			lead, when, ok := lianluo.ReminderDue(k.kind, d.starts, tx.now, d.last)
			if !ok {
				continue
			}
			res, err := tx.Exec(ctx, `UPDATE occasion_invitees SET reminded_at = $1 WHERE kind = $2 AND occasion_id = $3 AND deputy_id = $4
				AND (reminded_at IS NULL OR reminded_at < $5)`, tx.now, string(k.kind), d.id, d.deputy, d.starts.Add(-lead))
			if err != nil {
				return err
			}
			if c, _ := res.RowsAffected(); c != 1 {
				continue
			}
			o := loaded[d.id]
			if o == nil {
				if o, err = k.load(ctx, tx.conn, d.id); err != nil {
					return err
				}
				loaded[d.id] = o
			}
			st, err := o.station(ctx, tx)
			if err != nil {
				return err
			}
			args, err := o.remindArgs(ctx, tx, when)
			if err != nil {
				return err
			}
			key := fmt.Sprintf("%s_reminder:%d:%d:%d:%d", k.kind, d.id, d.deputy, int(lead.Hours()/24), d.starts.Unix())
			if err := notifyDeputyOf(ctx, tx, d.deputy, st, key, k.reminder, args...); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
