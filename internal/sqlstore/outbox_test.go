package sqlstore_test

import (
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// outboxRow is a notification written straight into the outbox, due at the
// store's current time.
type outboxRow struct {
	channel string
	userID  *int64
	phone   string
	urgent  bool
}

func mustEnqueue(t *testing.T, raw *sql.DB, db *sqlstore.DB, rows ...outboxRow) []int64 {
	t.Helper()
	now := db.Now().UTC()
	var ids []int64
	for i, r := range rows {
		var id int64
		err := raw.QueryRow(rawSQL(db, `
			INSERT INTO notifications (channel, user_id, phone, template, subject, body, urgent, status, attempts,
				next_attempt_at, dedupe_key, created_at)
			VALUES ($1, $2, $3, 'test', '', $4, $5, 'pending', 0, $6, NULL, $7)
			RETURNING id`), r.channel, r.userID, r.phone, fmt.Sprintf("第%d条", i+1), r.urgent, now, now).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func idsOf(ns []lianluo.Notification) []int64 {
	var out []int64
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

// A claimed row is held for its lease and counts an attempt; a failed row
// waits for its retry time; a dead one is kept for the administrator, who
// may put it back in the queue.
func TestOutboxClaimLeaseRetryDead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		ctx := t.Context()
		raw := rawDB(t, db)
		start := setClock(t, db, "2026-03-02 09:30")
		ids := mustEnqueue(t, raw, db, outboxRow{channel: "inapp"}, outboxRow{channel: "inapp"}, outboxRow{channel: "inapp"})
		claim := func(limit int, want ...int64) []lianluo.Notification {
			t.Helper()
			got, err := db.ClaimNotifications(ctx, limit, 5*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(idsOf(got), want) {
				t.Errorf("ClaimNotifications(%d) at %s = %v; want %v", limit, db.Now().In(lianluo.Beijing).Format("15:04"), idsOf(got), want)
			}
			return got
		}
		got := claim(2, ids[0], ids[1])
		if got[0].Attempts != 1 || got[0].Status != "pending" || got[0].Body != "第1条" {
			t.Errorf("claimed %+v; want attempt 1", got[0])
		}
		claim(10, ids[2])
		claim(10) // all held
		// The workers died: after the lease every row is due again.
		storetest.ClockOf(db).Set(func() time.Time { return start.Add(6 * time.Minute) })
		got = claim(10, ids...)
		if got[0].Attempts != 2 {
			t.Errorf("attempts after a lost lease = %d; want 2", got[0].Attempts)
		}
		now := db.Now()
		if err := db.MarkSent(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkFailed(ctx, ids[1], "网关超时", now.Add(30*time.Second), false); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkFailed(ctx, ids[2], "号码无效", now.Add(30*time.Second), true); err != nil {
			t.Fatal(err)
		}
		storetest.ClockOf(db).Set(func() time.Time { return now.Add(20 * time.Second) })
		claim(10) // the retry is not due yet
		storetest.ClockOf(db).Set(func() time.Time { return now.Add(30 * time.Second) })
		got = claim(10, ids[1]) // neither the sent nor the dead one
		if got[0].Attempts != 3 || got[0].LastError != "网关超时" {
			t.Errorf("retried row %+v; want attempt 3 with the last error", got[0])
		}
		// Marking is idempotent; a missing row is not found.
		for range 2 {
			if err := db.MarkSent(ctx, ids[1]); err != nil {
				t.Errorf("MarkSent: %v", err)
			}
		}
		if err := db.MarkFailed(ctx, ids[1], "late", now, false); err != nil {
			t.Errorf("MarkFailed on a sent row: %v", err)
		}
		if err := db.MarkSent(ctx, 999999); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("MarkSent(missing) = %v; want not found", err)
		}

		// The dead letters, for administrators only.
		admin := w.As(t, "admin")
		dead, total, err := db.FindNotifications(admin, sqlstore.NotificationFilter{Status: "dead"})
		if err != nil || total != 1 || len(dead) != 1 || dead[0].ID != ids[2] || dead[0].LastError != "号码无效" || dead[0].Attempts != 2 {
			t.Fatalf("dead letters = %d %+v, %v; want row %d", total, dead, err, ids[2])
		}
		sent, total, err := db.FindNotifications(admin, sqlstore.NotificationFilter{Status: "sent"})
		if err != nil || total != 2 || sent[0].SentAt == nil {
			t.Errorf("sent = %d, %v", total, err)
		}
		if _, _, err := db.FindNotifications(w.As(t, "office"), sqlstore.NotificationFilter{}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("FindNotifications as office staff = %v; want forbidden", err)
		}
		if _, _, err := db.FindNotifications(admin, sqlstore.NotificationFilter{Status: "lost"}); lianluo.ErrorField(err) != "status" {
			t.Errorf("FindNotifications(status lost) = %v; want invalid status", err)
		}
		if err := db.RetryNotification(w.As(t, "office"), ids[2]); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("RetryNotification as office staff = %v; want forbidden", err)
		}
		if err := db.RetryNotification(admin, ids[1]); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("RetryNotification(sent) = %v; want invalid state", err)
		}
		if err := db.RetryNotification(admin, ids[2]); err != nil {
			t.Fatal(err)
		}
		if got := claim(10, ids[2]); got[0].Attempts != 1 {
			t.Errorf("retried dead letter: attempt %d; want 1", got[0].Attempts)
		}
	})
}

// Concurrent workers (on PostgreSQL: instances) never claim the same row.
func TestOutboxConcurrentClaims(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		raw := rawDB(t, db)
		const rows, workers = 200, 8
		if _, err := raw.Exec(rawSQL(db, `
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
			INSERT INTO notifications (channel, template, body, status, attempts, next_attempt_at, created_at)
			SELECT 'inapp', 'test', 'x', 'pending', 0, $2, $3 FROM n`), rows, db.Now().UTC(), db.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		claimed := map[int64]int{}
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					got, err := db.ClaimNotifications(t.Context(), 7, time.Hour)
					if err != nil {
						t.Errorf("ClaimNotifications: %v", err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, n := range got {
						claimed[n.ID]++
						if n.Attempts != 1 {
							t.Errorf("row %d claimed at attempt %d", n.ID, n.Attempts)
						}
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		doubles := 0
		for _, n := range claimed {
			if n > 1 {
				doubles++
			}
		}
		if len(claimed) != rows || doubles != 0 {
			t.Errorf("%d workers claimed %d distinct rows with %d double claims; want %d and 0", workers, len(claimed), doubles, rows)
		}
	})
}

// A text message that is not urgent waits out 22:00–08:00 Beijing time;
// urgent ones and in-app notifications do not.
func TestOutboxQuietHours(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		raw := rawDB(t, db)
		ctx := t.Context()
		setClock(t, db, "2026-03-02 21:00")
		ids := mustEnqueue(t, raw, db,
			outboxRow{channel: "sms", phone: "13912345678"},
			outboxRow{channel: "sms", phone: "13912345679", urgent: true},
			outboxRow{channel: "inapp"})
		for _, tc := range []struct {
			at   string
			want []int64
		}{
			{"2026-03-02 22:00", []int64{ids[1], ids[2]}},
			{"2026-03-03 03:00", nil},
			{"2026-03-03 07:59", nil},
			{"2026-03-03 08:00", []int64{ids[0]}},
		} {
			setClock(t, db, tc.at)
			got, err := db.ClaimNotifications(ctx, 10, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(idsOf(got), tc.want) {
				t.Errorf("ClaimNotifications at %s = %v; want %v", tc.at, idsOf(got), tc.want)
			}
			for _, n := range got {
				if err := db.MarkSent(ctx, n.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The last minute before the quiet hours still sends.
		setClock(t, db, "2026-03-03 21:59")
		late := mustEnqueue(t, raw, db, outboxRow{channel: "sms", phone: "13912345670"})
		if got, err := db.ClaimNotifications(ctx, 10, time.Minute); err != nil || !slices.Equal(idsOf(got), late) {
			t.Errorf("ClaimNotifications at 21:59 = %v, %v; want %v", idsOf(got), err, late)
		}
	})
}

// Each user reads and marks only their own in-app notifications.
func TestInbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		raw := rawDB(t, db)
		office, unit := w.Users["office"].ID, w.Users["unit"].ID
		ids := mustEnqueue(t, raw, db,
			outboxRow{channel: "inapp", userID: &office},
			outboxRow{channel: "inapp", userID: &unit},
			outboxRow{channel: "inapp", userID: &office},
			outboxRow{channel: "sms", userID: &office, phone: "13912345678"}, // not an inbox item
		)
		ctx := w.As(t, "office")
		inbox := func(unreadOnly bool, want ...int64) {
			t.Helper()
			got, total, err := db.Inbox(ctx, unreadOnly, lianluo.Page{})
			var ids []int64
			for _, n := range got {
				ids = append(ids, n.ID)
			}
			if err != nil || total != len(want) || !slices.Equal(ids, want) {
				t.Errorf("Inbox(unread %v) = %v (total %d), %v; want %v", unreadOnly, ids, total, err, want)
			}
		}
		inbox(false, ids[2], ids[0])
		if err := db.MarkRead(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		inbox(true, ids[2])
		inbox(false, ids[2], ids[0])
		if err := db.MarkRead(ctx, ids[1]); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("MarkRead(another user's) = %v; want not found", err)
		}
		if err := db.MarkRead(ctx, ids[3]); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("MarkRead(sms) = %v; want not found", err)
		}
		// Opening a message reads it; another user's is not found.
		if n, err := db.OpenInboxItem(ctx, ids[2]); err != nil || n.ID != ids[2] || n.ReadAt == nil {
			t.Errorf("OpenInboxItem(own) = %+v, %v; want it, read", n, err)
		}
		inbox(true)
		if _, err := db.OpenInboxItem(ctx, ids[1]); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("OpenInboxItem(another user's) = %v; want not found", err)
		}
		if _, err := db.OpenInboxItem(ctx, ids[3]); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("OpenInboxItem(sms) = %v; want not found", err)
		}
		if n, err := db.MarkAllRead(ctx); err != nil || n != 0 {
			t.Errorf("MarkAllRead (nothing unread) = %d, %v; want 0", n, err)
		}
		unitCtx := w.As(t, "unit")
		if got, total, err := db.Inbox(unitCtx, true, lianluo.Page{}); err != nil || total != 1 || got[0].ID != ids[1] {
			t.Errorf("the unit's inbox = %d, %v; want its one notification", total, err)
		}
		if n, err := db.MarkAllRead(unitCtx); err != nil || n != 1 {
			t.Errorf("MarkAllRead = %d, %v; want 1", n, err)
		}
		if _, total, err := db.Inbox(unitCtx, true, lianluo.Page{}); err != nil || total != 0 {
			t.Errorf("the unit's unread after MarkAllRead = %d, %v; want 0", total, err)
		}
		if _, _, err := db.Inbox(t.Context(), false, lianluo.Page{}); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("Inbox without login = %v; want unauthorized", err)
		}
	})
}
