package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"lianluo"
)

// outboxMemo is what enqueue remembers within one transaction: the
// messages it wrote to each phone or address, and the users it looked up.
type outboxMemo struct {
	written    map[string]bool
	recipients map[int64]*recipient
}

func (tx *Tx) memo() *outboxMemo {
	if tx.outbox == nil {
		tx.outbox = &outboxMemo{written: map[string]bool{}, recipients: map[int64]*recipient{}}
	}
	return tx.outbox
}

// enqueue writes a notification to the outbox in the caller's transaction;
// the scheduler delivers it after the commit.
//
// An in-app notification to a user (the default channel) is also the
// user's other channels (通知设置): one more row for each channel they chose
// and can receive — a text message to the account's mobile number, an
// e-mail to their address, a post to the deployment's group robot. A user
// who can receive none of them (no phone number, say) has the in-app item
// alone: never an error, never a lost notice.
//
// A row whose dedupe key was already written is skipped: reminders may be
// computed by several sweeps or instances, and must go out once. Each
// channel's row has a key of its own, the in-app key with ":channel"
// appended. Within one transaction the same message goes to one phone or
// address once: a deputy's account and the deputy record usually share the
// phone number, and both are told.
//
// A notification without a subject takes its template's
// (lianluo.MessageTemplates): the e-mail subject and the robot's first line.
func enqueue(ctx context.Context, tx *Tx, n lianluo.Notification) error {
	if n.Channel == "" {
		n.Channel = lianluo.ChannelInApp
	}
	if n.Subject == "" {
		n.Subject = lianluo.TemplateSubject(n.Template)
	}
	if err := insertNotification(ctx, tx, n); err != nil {
		return err
	}
	if n.Channel != lianluo.ChannelInApp || n.UserID == nil {
		return nil
	}
	r, err := findRecipient(ctx, tx, *n.UserID)
	if err != nil || r == nil {
		return err
	}
	for _, ch := range r.channels(tx.db.Channels) {
		m := n
		m.Channel = ch
		if n.DedupeKey != "" {
			m.DedupeKey = n.DedupeKey + ":" + ch
		}
		switch ch {
		case lianluo.ChannelSMS:
			m.Phone = r.phone
		case lianluo.ChannelEmail:
			m.Address = r.email
		case lianluo.ChannelWeCom, lianluo.ChannelDingTalk:
			// A group robot posts where colleagues read along, and a case
			// may be confidential (003 信访接待制度): the post names the
			// recipient and the kind of notice, never its content.
			m.Body = lianluo.RobotPost(r.name, n.Subject)
		}
		if err := insertNotification(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

// insertNotification writes one outbox row, unless its dedupe key exists or
// this transaction already wrote the same message to the same phone or address.
func insertNotification(ctx context.Context, tx *Tx, n lianluo.Notification) error {
	if n.Channel != lianluo.ChannelInApp {
		var caseID int64
		if n.CaseID != nil {
			caseID = *n.CaseID
		}
		k := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%d\x00%s", n.Channel, n.Phone, n.Address, n.Template, caseID, n.Body)
		m := tx.memo()
		if m.written[k] {
			return nil
		}
		m.written[k] = true
	}
	var key *string
	if n.DedupeKey != "" {
		key = &n.DedupeKey
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO notifications (
			channel,
			user_id,
			phone,
			address,
			template,
			subject,
			body,
			case_id,
			urgent,
			status,
			attempts,
			next_attempt_at,
			dedupe_key,
			created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $11, $12)
		ON CONFLICT (dedupe_key) DO NOTHING`,
		n.Channel, n.UserID, tx.db.keys.seal(n.Phone), n.Address, n.Template, n.Subject, n.Body, n.CaseID, n.Urgent, tx.now, key, tx.now)
	return err
}

// recipient is what enqueue needs to know of a user: where they can be
// reached and which channels they chose.
type recipient struct {
	name, phone, email string
	active             bool
	sms, mail, wecom   bool
	dingtalk           bool
}

// findRecipient reads the user and their 通知设置 (the default when they
// have none), once per transaction; nil for a user that does not exist.
func findRecipient(ctx context.Context, tx *Tx, userID int64) (*recipient, error) {
	m := tx.memo()
	if r, ok := m.recipients[userID]; ok {
		return r, nil
	}
	r := &recipient{}
	var sms, mail, wecom, dingtalk *bool
	err := tx.QueryRow(ctx, `
		SELECT u.display_name, u.phone, u.active, p.sms, p.email, p.wecom, p.dingtalk, COALESCE(p.email_address, '')
		FROM users u
		LEFT JOIN notification_prefs p ON p.user_id = u.id
		WHERE u.id = $1`, userID).Scan(&r.name, &r.phone, &r.active, &sms, &mail, &wecom, &dingtalk, &r.email)
	if errors.Is(err, sql.ErrNoRows) {
		r = nil
	} else if err != nil {
		return nil, err
	} else if sms == nil {
		r.sms = slices.Contains(lianluo.DefaultChannels, lianluo.ChannelSMS)
	} else {
		r.sms, r.mail, r.wecom, r.dingtalk = *sms, *mail, *wecom, *dingtalk
	}
	m.recipients[userID] = r
	return r, nil
}

// channels are the channels beyond in-app the recipient chose and can
// receive, of those the deployment delivers (SMS always: without a gateway
// the scheduler writes text messages to the log).
func (r *recipient) channels(available []string) []string {
	if !r.active {
		return nil
	}
	var out []string
	if r.sms && lianluo.CanText(r.phone) {
		out = append(out, lianluo.ChannelSMS)
	}
	if r.mail && r.email != "" && slices.Contains(available, lianluo.ChannelEmail) {
		out = append(out, lianluo.ChannelEmail)
	}
	if r.wecom && slices.Contains(available, lianluo.ChannelWeCom) {
		out = append(out, lianluo.ChannelWeCom)
	}
	if r.dingtalk && slices.Contains(available, lianluo.ChannelDingTalk) {
		out = append(out, lianluo.ChannelDingTalk)
	}
	return out
}

// usersWithRole returns the active users holding the role on one of the orgs.
func usersWithRole(ctx context.Context, tx *Tx, role string, orgIDs []int64) ([]int64, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	var w where
	q := `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = ` + w.arg(role) + ` AND ur.org_id IN ` + w.in(orgIDs) + ` ORDER BY u.id`
	return queryIDs(ctx, tx.conn, q, w.args...)
}
