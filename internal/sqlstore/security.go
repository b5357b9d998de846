package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"lianluo"
)

// SecurityPolicy returns the password and reveal settings
// (DefaultSecurityPolicy until an administrator changes them).
func (db *DB) SecurityPolicy(ctx context.Context) (_ lianluo.SecurityPolicy, err error) {
	defer wrap(&err, "SecurityPolicy")
	return securityPolicy(ctx, db.reader())
}

func securityPolicy(ctx context.Context, c conn) (lianluo.SecurityPolicy, error) {
	p := lianluo.DefaultSecurityPolicy
	p.MFARoles = slices.Clone(p.MFARoles) // the default's own array stays as it is
	var raw string
	err := c.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'security'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	} else if err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(raw), &p)
}

// UpdateSecurityPolicy saves the settings (the security administrator only); the version
// must be the one the caller saw, so that two administrators do not
// overwrite each other.
func (db *DB) UpdateSecurityPolicy(ctx context.Context, p lianluo.SecurityPolicy) (_ lianluo.SecurityPolicy, err error) {
	defer wrap(&err, "UpdateSecurityPolicy")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return p, err
	}
	if !lianluo.CanManageSecurity(a) {
		return p, lianluo.Forbidden()
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		old, err := securityPolicy(ctx, tx.conn)
		if err != nil {
			return err
		}
		if err := lianluo.CheckVersion("安全设置", p.Version, old.Version); err != nil {
			return err
		}
		if p.MFARoles == nil { // not given (an older client): as it was; [] is none
			p.MFARoles = old.MFARoles
		}
		p.Version = old.Version + 1
		b, _ := json.Marshal(p)
		if err := putSetting(ctx, tx, "security", string(b)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityPolicy, 0, lianluo.AuditUpdate, fmt.Sprintf(
			"修改安全设置：密码最小长度%d位，不得重复最近%d个密码，密码有效期%d天，每小时查看联系方式上限%d次",
			p.PasswordMinLength, p.PasswordHistory, p.PasswordExpiryDays, p.RevealsPerHour))
	})
	return p, err
}

// DemoAccounts counts the active demo accounts (the console's banner).
func (db *DB) DemoAccounts(ctx context.Context) (n int, err error) {
	defer wrap(&err, "DemoAccounts")
	err = db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE demo = TRUE AND active = TRUE`).Scan(&n)
	return n, err
}

// checkNewPassword checks a password being set for a user against the
// policy (lianluo.CheckPassword; the demo loader's accounts with
// CheckDemoPassword) and, for an existing user (id != 0), against their
// last PasswordHistory passwords, and hashes it. field names the form field
// the error is about.
func (db *DB) checkNewPassword(ctx context.Context, id int64, username, password, field string, demo bool) (string, error) {
	p, err := securityPolicy(ctx, db.reader())
	if err != nil {
		return "", err
	}
	check := lianluo.CheckPassword
	if demo {
		check = lianluo.CheckDemoPassword
	}
	if err := check(p, username, password); err != nil {
		var e *lianluo.Error
		if errors.As(err, &e) && field != "password" {
			return "", lianluo.FieldError(field, "%s", e.Message)
		}
		return "", err
	}
	if id != 0 && p.PasswordHistory > 0 {
		// The current hash and the history's newest; hashed outside any
		// transaction, as each check is slow on purpose.
		rows, err := db.reader().Query(ctx, `
			SELECT password_hash FROM (
				SELECT password_hash, 1 AS o, 0 AS id FROM users WHERE id = $1
				UNION ALL
				SELECT password_hash, 2 AS o, id FROM password_history WHERE user_id = $1
			) h ORDER BY o, id DESC LIMIT $2`, id, p.PasswordHistory+1)
		if err != nil {
			return "", err
		}
		var hashes []string
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return "", err
			}
			hashes = append(hashes, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
		seen := map[string]bool{}
		n := 0
		for _, h := range hashes {
			if seen[h] || n == p.PasswordHistory {
				continue
			}
			seen[h] = true
			n++
			ok, err := db.checkPassword(ctx, password, h)
			if err != nil {
				return "", err
			}
			if ok {
				return "", lianluo.FieldError(field, "不能使用最近%d次用过的密码。", p.PasswordHistory)
			}
		}
	}
	return db.hashPassword(ctx, password)
}

// setPassword writes a new password hash, whether its owner must change it
// before anything else, and its history row.
func setPassword(ctx context.Context, tx *Tx, id int64, hash string, mustChange bool) error {
	if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3
		WHERE id = $4`, hash, mustChange, tx.now, id); err != nil {
		return err
	}
	return addPasswordHistory(ctx, tx, id, hash)
}

// maxPasswordHistory is how many hashes are kept per user: the policy's
// largest history.
const maxPasswordHistory = 24

func addPasswordHistory(ctx context.Context, tx *Tx, id int64, hash string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)`, id, hash, tx.now); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM password_history WHERE user_id = $1 AND id NOT IN (
		SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)`, id, maxPasswordHistory)
	return err
}

// passwordExpired reports whether the policy's expiry has passed for a
// password changed at changed (never for demo accounts).
func passwordExpired(p lianluo.SecurityPolicy, changed *time.Time, now time.Time) bool {
	return p.PasswordExpiryDays > 0 && changed != nil && now.Sub(*changed) > time.Duration(p.PasswordExpiryDays)*24*time.Hour
}

// checkRevealRate counts the actor's reveals of the last hour in the audit
// trail (every reveal is an event there) and, at the policy's number,
// returns the refusal as limited, with a nil err so that the transaction
// commits what it wrote: a notice to every security administrator, once per user and
// clock hour (the outbox's dedupe key).
func checkRevealRate(ctx context.Context, tx *Tx, a *lianluo.Actor, p lianluo.SecurityPolicy) (limited, err error) {
	var done int
	// Counted in the chain and among the events not chained yet
	// (PostgreSQL, audit_seal.go): a burst of reveals is counted whole.
	if err := tx.QueryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM events WHERE at > $1 AND actor_id = $2 AND action = $3) +
			(SELECT COUNT(*) FROM events_pending WHERE at > $1 AND actor_id = $2 AND action = $3)`,
		tx.now.Add(-time.Hour), a.User.ID, lianluo.AuditReveal).Scan(&done); err != nil {
		return nil, err
	}
	limited = lianluo.CheckRevealRate(p, done)
	if limited == nil {
		return nil, nil
	}
	admins, err := queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = $1 ORDER BY u.id`, lianluo.RoleSecurityAdmin)
	if err != nil {
		return nil, err
	}
	who := fmt.Sprintf("%s（%s）", a.User.DisplayName, a.User.Username)
	subject, body := lianluo.Message(lianluo.MsgRevealLimit, who, p.RevealsPerHour)
	hour := tx.now.UTC().Format("2006010215")
	for _, id := range admins {
		n := lianluo.Notification{UserID: &id, Template: lianluo.MsgRevealLimit, Subject: subject, Body: body,
			DedupeKey: fmt.Sprintf("reveal_limit:%d:%s:%d", a.User.ID, hour, id)}
		if err := enqueue(ctx, tx, n); err != nil {
			return nil, err
		}
	}
	return limited, nil
}
