package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// Notification statuses.
const (
	NotificationPending = lianluo.NotificationPending // waiting for (another) delivery attempt
	NotificationSent    = lianluo.NotificationSent
	NotificationDead    = lianluo.NotificationDead // gave up after the last attempt; kept for the administrator
)

// NotificationFilter selects outbox rows for the administrator's list.
type NotificationFilter = lianluo.NotificationFilter

const notificationColumns = `id, channel, user_id, phone, address, template, subject, body, case_id, urgent, status,
	attempts, next_attempt_at, last_error, COALESCE(dedupe_key, ''), read_at, created_at, sent_at`

// scanNotification reads a row of notificationColumns and opens the sealed
// phone (fieldcrypt.go).
func scanNotification(kr *keyring, s interface{ Scan(...any) error }, n *lianluo.Notification, extra ...any) error {
	err := s.Scan(append([]any{&n.ID, &n.Channel, &n.UserID, &n.Phone, &n.Address, &n.Template, &n.Subject, &n.Body, &n.CaseID,
		&n.Urgent, &n.Status, &n.Attempts, &n.NextAttemptAt, &n.LastError, &n.DedupeKey, &n.ReadAt, &n.CreatedAt, &n.SentAt}, extra...)...)
	if err == nil {
		err = kr.openAll(&n.Phone)
	}
	return err
}

// QuietHours reports whether t falls in 22:00–08:00 Beijing time, when a
// text message that is not urgent waits for the morning. Only text
// messages wait (README, "Configuration"): a text message rings the
// phone of whoever it reaches, often a voter; the in-app inbox and e-mail
// wait silently to be read, and a group robot's post goes to a work chat
// whose members set their own do-not-disturb hours.
func QuietHours(t time.Time) bool {
	h := t.In(lianluo.Beijing).Hour()
	return h >= 22 || h < 8
}

// ClaimNotifications claims up to limit notifications due for delivery,
// oldest first, for one worker: each row goes to exactly one worker across
// all instances. A claimed row counts an attempt and is held for lease; if
// its worker dies before MarkSent or MarkFailed, it is due again when the
// lease ends. In quiet hours, text messages that are not urgent are left
// for the morning.
func (db *DB) ClaimNotifications(ctx context.Context, limit int, lease time.Duration) (_ []lianluo.Notification, err error) {
	defer wrap(&err, "ClaimNotifications(%d)", limit)
	if limit <= 0 {
		return nil, nil
	}
	if lease <= 0 {
		return nil, fmt.Errorf("lease must be positive")
	}
	var out []lianluo.Notification
	err = db.transact(ctx, func(tx *Tx) error {
		out = nil
		var w where
		w.add("status = 'pending'")
		w.add("next_attempt_at <= " + w.arg(tx.now))
		if QuietHours(tx.now) {
			w.add("NOT (channel = " + w.arg(lianluo.ChannelSMS) + " AND urgent = FALSE)")
		}
		// PostgreSQL: concurrent claimers skip each other's rows instead of
		// waiting for them or taking them twice. SQLite has one writer
		// connection, which serialises claims.
		lock := ""
		if db.Dialect == Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		until := w.arg(tx.now.Add(lease))
		q := `
			UPDATE notifications SET
				next_attempt_at = ` + until + `,
				attempts = attempts + 1
			WHERE id IN (
				SELECT id FROM notifications` + w.String() + `
				ORDER BY next_attempt_at, id
				LIMIT ` + w.arg(limit) + lock + `)
			RETURNING ` + notificationColumns
		rows, err := tx.Query(ctx, q, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n lianluo.Notification
			if err := scanNotification(db.keys, rows, &n); err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b lianluo.Notification) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// MarkSent records a delivery. A row already sent stays as it was (a worker
// whose lease ran out may finish after another took the row over).
func (db *DB) MarkSent(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "MarkSent(%d)", id)
	return db.transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `
			UPDATE notifications SET status = 'sent', sent_at = $1, last_error = ''
			WHERE id = $2 AND status <> 'sent'`, tx.now, id)
		if err != nil {
			return err
		}
		return changedOrExists(ctx, tx, res, id)
	})
}

// MarkFailed records a failed attempt: the row is due again at retryAt, or,
// when dead (the worker's last attempt), kept as a dead letter for the
// administrator (FindNotifications with Status "dead", RetryNotification).
func (db *DB) MarkFailed(ctx context.Context, id int64, errText string, retryAt time.Time, dead bool) (err error) {
	defer wrap(&err, "MarkFailed(%d)", id)
	status := NotificationPending
	if dead {
		status = NotificationDead
	}
	if errText == "" {
		errText = "发送失败"
	}
	return db.transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `
			UPDATE notifications SET status = $1, last_error = $2, next_attempt_at = $3
			WHERE id = $4 AND status = 'pending'`, status, lianluo.Truncate(errText, 1000), retryAt, id)
		if err != nil {
			return err
		}
		return changedOrExists(ctx, tx, res, id)
	})
}

// changedOrExists is nil when the update changed the row or the row exists
// in a state the update leaves alone, and not found when there is no row.
func changedOrExists(ctx context.Context, tx *Tx, res sql.Result, id int64) error {
	n, err := res.RowsAffected()
	if err != nil || n == 1 {
		return err
	}
	var one int
	err = tx.QueryRow(ctx, `SELECT 1 FROM notifications WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return lianluo.NotFound("通知")
	}
	return err
}

// RetryNotification puts a dead notification back in the queue with fresh
// attempts (the system administrator only), for example once a gateway is fixed.
func (db *DB) RetryNotification(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "RetryNotification(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	return db.transact(ctx, func(tx *Tx) error {
		var status, template string
		err := tx.QueryRow(ctx, `SELECT status, template FROM notifications WHERE id = $1`, id).Scan(&status, &template)
		if errors.Is(err, sql.ErrNoRows) {
			return lianluo.NotFound("通知")
		} else if err != nil {
			return err
		}
		if status != NotificationDead {
			return lianluo.Errorf(lianluo.ESTATE, "只有发送失败的通知可以重新发送。")
		}
		if _, err := tx.Exec(ctx, `
			UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = $1, last_error = ''
			WHERE id = $2`, tx.now, id); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityNotification, id, lianluo.AuditRetry, "重新发送通知（"+template+"）")
	})
}

// FindNotifications lists the outbox, newest first (the system administrator only).
// Phone numbers are masked: the list is for seeing what was sent and what
// failed, not for reading voters' numbers.
func (db *DB) FindNotifications(ctx context.Context, f NotificationFilter) (_ []*lianluo.Notification, _ int, err error) {
	defer wrap(&err, "FindNotifications")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.IsSystemAdmin() {
		return nil, 0, lianluo.Forbidden()
	}
	var w where
	switch f.Status {
	case "":
	case NotificationPending, NotificationSent, NotificationDead:
		w.add("status = " + w.arg(f.Status))
	default:
		return nil, 0, lianluo.FieldError("status", "通知状态应为 pending、sent 或 dead。")
	}
	if f.Channel != "" {
		w.add("channel = " + w.arg(f.Channel))
	}
	if f.CaseID != 0 {
		w.add("case_id = " + w.arg(f.CaseID))
	}
	q := `SELECT ` + notificationColumns + `,
			COALESCE((SELECT u.display_name FROM users u WHERE u.id = notifications.user_id), ''),
			COUNT(*) OVER ()
		FROM notifications` + w.String() + `
		ORDER BY id DESC` + w.page(f.Page)
	out, total, err := queryList(ctx, db.reader(), q, w.args, func(s interface{ Scan(...any) error }, n *lianluo.Notification, total *int) error {
		return scanNotification(db.keys, s, n, &n.UserName, total)
	})
	if err != nil {
		return nil, 0, err
	}
	for _, n := range out {
		if n.Phone != "" {
			n.Phone = lianluo.MaskPhone(n.Phone)
		}
		n.Address = maskAddress(n.Address)
	}
	return out, total, nil
}

// maskAddress hides an e-mail address but its first letter and domain,
// and a webhook's key (in its query) behind its host.
func maskAddress(s string) string {
	switch {
	case s == "":
		return ""
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		if u, err := url.Parse(s); err == nil {
			return u.Scheme + "://" + u.Host + "/…"
		}
		return "…"
	}
	return lianluo.MaskEmail(s)
}

// CountNotifications counts the outbox by status (pending, sent, dead;
// each present, zero or not), of one channel or all (the system administrator only).
func (db *DB) CountNotifications(ctx context.Context, channel string) (_ map[string]int, err error) {
	defer wrap(&err, "CountNotifications")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsSystemAdmin() {
		return nil, lianluo.Forbidden()
	}
	var w where
	if channel != "" {
		w.add("channel = " + w.arg(channel))
	}
	rows, err := db.reader().Query(ctx, `SELECT status, COUNT(*) FROM notifications`+w.String()+` GROUP BY status`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{NotificationPending: 0, NotificationSent: 0, NotificationDead: 0}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out[status] = n
	}
	return out, rows.Err()
}

// Inbox lists the caller's in-app notifications (站内消息), newest first;
// with unreadOnly, only those not yet read, and then the total is the
// unread count (the badge).
func (db *DB) Inbox(ctx context.Context, unreadOnly bool, page lianluo.Page) (_ []*lianluo.Notification, _ int, err error) {
	defer wrap(&err, "Inbox")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	var w where
	// notifications_user (user_id, read_at) serves this. Rows still pending
	// are shown too: the row is the inbox item, and the reader should not
	// wait for the next delivery poll.
	w.add("user_id = " + w.arg(a.User.ID))
	w.add("channel = " + w.arg(lianluo.ChannelInApp))
	if unreadOnly {
		w.add("read_at IS NULL")
	}
	q := `SELECT ` + notificationColumns + `, COUNT(*) OVER () FROM notifications` + w.String() + ` ORDER BY id DESC` + w.page(page)
	out, total, err := queryList(ctx, db.reader(), q, w.args, func(s interface{ Scan(...any) error }, n *lianluo.Notification, total *int) error {
		return scanNotification(db.keys, s, n, total)
	})
	if out == nil {
		out = []*lianluo.Notification{}
	}
	for _, n := range out {
		n.About = noticeAbout(n.DedupeKey)
	}
	return out, total, err
}

// noticeAbout reads what an in-app notice concerns from its dedupe key:
// the notices about a session, an activity or a mailbox are keyed
// "<kind>:<id>:…" where they are written (notifyDeputyOf's callers, the
// mailbox sweep), so the key already names the record.
func noticeAbout(key string) *lianluo.NoticeAbout {
	kinds := map[string]string{
		"reception_assigned": "reception", "reception_cancelled": "reception", "reception_reminder": "reception", "leave": "reception",
		"activity_invited": "activity", "activity_changed": "activity", "activity_published": "activity",
		"activity_cancelled": "activity", "activity_reminder": "activity", "activity_leave": "activity",
		"report_evaluated": "activity", // a 述职's tally, to its deputy
		"mailbox_overdue":  "station", "rota": "rota",
		"year_plan_published": "year_plan",
		// 工作评议: what the unit is told leads to its rectification items.
		"appraisal_findings": "rectification", "rectification_set": "rectification",
		"rectification_returned": "rectification", "rectification_overdue": "rectification",
		"rectification_reported": "appraisal", // to the office, which accepts or returns it there
	}
	f := strings.SplitN(key, ":", 3)
	if len(f) < 3 {
		return nil
	}
	kind, ok := kinds[f[0]]
	if !ok {
		return nil
	}
	id, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	return &lianluo.NoticeAbout{Kind: kind, ID: id}
}

// MarkRead marks one of the caller's in-app notifications read. Another
// user's notification is not found.
func (db *DB) MarkRead(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "MarkRead(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `
			UPDATE notifications SET read_at = COALESCE(read_at, $1)
			WHERE id = $2 AND user_id = $3 AND channel = $4`, tx.now, id, a.User.ID, lianluo.ChannelInApp)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return lianluo.NotFound("通知")
		}
		return nil
	})
}

// OpenInboxItem returns one of the caller's in-app notifications and marks
// it read (opening a message reads it). Another user's notification, or a
// row of another channel, is not found.
func (db *DB) OpenInboxItem(ctx context.Context, id int64) (_ *lianluo.Notification, err error) {
	defer wrap(&err, "OpenInboxItem(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var n lianluo.Notification
	err = db.transact(ctx, func(tx *Tx) error {
		err := scanNotification(tx.db.keys, tx.QueryRow(ctx, `
			UPDATE notifications SET read_at = COALESCE(read_at, $1)
			WHERE id = $2 AND user_id = $3 AND channel = $4
			RETURNING `+notificationColumns, tx.now, id, a.User.ID, lianluo.ChannelInApp), &n)
		if errors.Is(err, sql.ErrNoRows) {
			return lianluo.NotFound("通知")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	n.About = noticeAbout(n.DedupeKey)
	return &n, nil
}

// MarkAllRead marks all the caller's in-app notifications read and returns
// how many were unread.
func (db *DB) MarkAllRead(ctx context.Context) (n int, err error) {
	defer wrap(&err, "MarkAllRead")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `
			UPDATE notifications SET read_at = $1
			WHERE user_id = $2 AND channel = $3 AND read_at IS NULL`, tx.now, a.User.ID, lianluo.ChannelInApp)
		if err != nil {
			return err
		}
		c, err := res.RowsAffected()
		n = int(c)
		return err
	})
	return n, err
}
