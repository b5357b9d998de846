package sqlstore

import (
	"context"

	"lianluo"
)

// enqueue writes an outbox row in the caller's transaction. A row whose
// dedupe key was already written is skipped: reminders may be computed by
// several sweeps or instances, and must go out once.
func enqueue(ctx context.Context, tx *Tx, n lianluo.Notification) error {
	var key *string
	if n.DedupeKey != "" {
		key = &n.DedupeKey
	}
	if n.Channel == "" {
		n.Channel = lianluo.ChannelInApp
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO notifications (channel, user_id, phone, template, subject, body, case_id, urgent, status,
			attempts, next_attempt_at, dedupe_key, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10, $11)
		ON CONFLICT (dedupe_key) DO NOTHING`,
		n.Channel, n.UserID, n.Phone, n.Template, n.Subject, n.Body, n.CaseID, n.Urgent, tx.now, key, tx.now)
	return err
}

// usersWithRole returns the active users holding the role on one of the orgs.
func usersWithRole(ctx context.Context, tx *Tx, role string, orgIDs []int64) ([]int64, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	var w where
	q := `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = ` + w.arg(role) + ` AND ur.org_id IN ` + w.in(orgIDs) + ` ORDER BY u.id`
	rows, err := tx.Query(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
