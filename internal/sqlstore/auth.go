package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"lianluo"
)

// Account protection (docs/design.md).
const (
	MaxFailedLogins = 5                // failures in a row that lock an account
	LockDuration    = 15 * time.Minute // how long it stays locked
	IdleTimeout     = 30 * time.Minute // a session unused this long has expired
	SessionLifetime = 12 * time.Hour   // and none lives longer than this
)

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// errBadLogin is the one answer to a wrong password, an unknown name, an
// inactive account and a locked one: an answer that differed would tell a
// caller which usernames exist (README: Security).
var errBadLogin = lianluo.Errorf(lianluo.EUNAUTHORIZED, "用户名或密码错误，或账号因多次登录失败已暂时锁定。请核对后再试，或15分钟后再试、联系管理员解锁。")

// Login checks a password and opens a session.
//
// Each try first reserves one of the MaxFailedLogins tries of the lock
// window in a single UPDATE, and only then checks the password: however many
// tries arrive at once, no more than MaxFailedLogins are checked against the
// account's hash before it locks. The try that takes the last one locks the
// account for LockDuration at once; a success clears the count, unless
// another try locked the account while this one was being checked. Every
// answer costs one hash (the dummy one when no try was reserved or the name
// is unknown), so neither the answer nor its time tells the cases apart.
func (db *DB) Login(ctx context.Context, username, password, clientAddr string) (_ *lianluo.Session, err error) {
	defer wrap(&err, "Login")
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || password == "" {
		return nil, lianluo.FieldError("username", "请输入用户名和密码。")
	}
	var (
		id     int64
		hash   string
		active bool
	)
	err = db.reader().QueryRow(ctx, `SELECT id, password_hash, active FROM users WHERE username = $1`, username).
		Scan(&id, &hash, &active)
	if errors.Is(err, sql.ErrNoRows) {
		// Unknown names are counted and locked like accounts
		// (login_names.go), and cost the same hash.
		db.unknownNames.try(username, db.Now())
		db.checkPassword(ctx, password, db.dummyHash())
		return nil, errBadLogin
	} else if err != nil {
		return nil, err
	}

	sysCtx := lianluo.NewContextWithActor(ctx, &lianluo.Actor{ClientAddr: clientAddr})
	reserved, lockedByThis, err := db.reserveLoginTry(sysCtx, id)
	if err != nil {
		return nil, err
	}
	if !reserved {
		db.checkPassword(ctx, password, db.dummyHash()) // same time as a real check
		return nil, errBadLogin
	}
	if db.onPasswordCheck != nil {
		db.onPasswordCheck()
	}
	ok, err := db.checkPassword(ctx, password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || !active {
		// The try was counted when it was reserved; what is left is the
		// audit trail. A client gone away must not skip it.
		err := db.transact(context.WithoutCancel(sysCtx), func(tx *Tx) error {
			if err := tx.event(ctx, lianluo.EntitySession, id, lianluo.AuditLoginFailed, "用户名“"+username+"”登录失败"); err != nil {
				return err
			}
			if lockedByThis {
				return tx.event(ctx, lianluo.EntityUser, id, lianluo.AuditLocked, fmt.Sprintf("连续%d次登录失败，锁定%d分钟", MaxFailedLogins, int(LockDuration.Minutes())))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return nil, errBadLogin
	}

	mfa, err := db.mfaEnabled(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	if mfa {
		// The password was right: its own try is given back, and the
		// session waits for the second factor (LoginMFA). The count is not
		// cleared until then, so wrong codes add up with wrong passwords.
		token := newToken()
		err := db.transact(sysCtx, func(tx *Tx) error {
			if err := refundLoginTry(ctx, tx, id, lockedByThis); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM mfa_challenges WHERE expires_at < $1`, tx.now); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO mfa_challenges (token_hash, user_id, client_addr, expires_at) VALUES ($1, $2, $3, $4)`,
				hashToken(token), id, clientAddr, tx.now.Add(MFAChallengeLife))
			return err
		})
		if err != nil {
			return nil, err
		}
		return &lianluo.Session{MFAToken: token}, nil
	}
	return db.openSession(sysCtx, id, clientAddr, lockedByThis, "登录")
}

// newToken is a new random secret for a session or a login's second step.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// clearLoginTries clears the account's count of failed tries after a right
// password or code. The try that locked the account may still clear its own
// lock: no other try was reserved after it. Any other try clears the count
// only while the account is not locked; otherwise the login fails.
func clearLoginTries(ctx context.Context, tx *Tx, id int64, lockedByThis bool) error {
	q := `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1
		WHERE id = $2 AND (locked_until IS NULL OR locked_until <= $1)`
	if lockedByThis {
		q = `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2`
	}
	res, err := tx.Exec(ctx, q, tx.now, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errBadLogin // locked by another try while this one was checked
	}
	return nil
}

// refundLoginTry gives back the try a right password reserved when a
// second step follows: the count goes down by one (the lock this try set,
// if it did, is lifted), unless another try locked the account meanwhile.
func refundLoginTry(ctx context.Context, tx *Tx, id int64, lockedByThis bool) error {
	q := `UPDATE users SET failed_logins = CASE WHEN failed_logins > 0 THEN failed_logins - 1 ELSE 0 END
		WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)`
	args := []any{id, tx.now}
	if lockedByThis {
		q = `UPDATE users SET failed_logins = $2, locked_until = NULL WHERE id = $1`
		args = []any{id, MaxFailedLogins - 1}
	}
	res, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errBadLogin
	}
	return nil
}

// openSession clears the tries and opens a session for user id, recording
// the login as what.
func (db *DB) openSession(sysCtx context.Context, id int64, clientAddr string, lockedByThis bool, what string, also ...func(tx *Tx) error) (*lianluo.Session, error) {
	token := newToken()
	var u *lianluo.User
	err := db.transact(sysCtx, func(tx *Tx) error {
		ctx := sysCtx
		if err := clearLoginTries(ctx, tx, id, lockedByThis); err != nil {
			return err
		}
		for _, f := range also {
			if err := f(tx); err != nil {
				return err
			}
		}
		// Sweep expired sessions now and then: logins are rare enough.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2`, tx.now, tx.now.Add(-IdleTimeout)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_addr)
			VALUES ($1, $2, $3, $4, $5, $6)`, hashToken(token), id, tx.now, tx.now, tx.now.Add(SessionLifetime), clientAddr); err != nil {
			return err
		}
		var err error
		if u, err = loadUserUnscoped(ctx, tx.conn, id); err != nil {
			return err
		}
		tx.actor = &lianluo.Actor{User: u, ClientAddr: clientAddr}
		return tx.event(ctx, lianluo.EntitySession, id, lianluo.AuditLogin, what)
	})
	if err != nil {
		return nil, err
	}
	return &lianluo.Session{Token: token, User: u}, nil
}

// reserveLoginTry counts a try against the account before its password is
// checked, in one statement, so that concurrent tries cannot all pass a
// check made before any of them is counted. The try that takes the last of
// MaxFailedLogins locks the account at once (lockedByThis) and resets the
// count, which the next window starts from; while it is locked every try is
// refused (reserved false), so at most MaxFailedLogins are ever in flight.
func (db *DB) reserveLoginTry(ctx context.Context, id int64) (reserved, lockedByThis bool, err error) {
	err = db.transact(ctx, func(tx *Tx) error {
		var n int
		err := tx.QueryRow(ctx, `
			UPDATE users SET
				failed_logins = CASE WHEN failed_logins + 1 >= $3 THEN 0 ELSE failed_logins + 1 END,
				locked_until = CASE WHEN failed_logins + 1 >= $3 THEN $4 ELSE locked_until END
			WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)
			RETURNING failed_logins`,
			id, tx.now, MaxFailedLogins, tx.now.Add(LockDuration)).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		reserved, lockedByThis = true, n == 0
		return nil
	})
	return reserved, lockedByThis, err
}

func loadUserUnscoped(ctx context.Context, c conn, id int64) (*lianluo.User, error) {
	var u lianluo.User
	if err := scanUser(c.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id), &u); err != nil {
		return nil, err
	}
	return &u, loadGrants(ctx, c, []*lianluo.User{&u})
}

// Authenticate resolves a session token to the acting user and their scope.
func (db *DB) Authenticate(ctx context.Context, token, clientAddr string) (_ *lianluo.Actor, err error) {
	defer wrap(&err, "Authenticate")
	if token == "" {
		return nil, lianluo.Errorf(lianluo.EUNAUTHORIZED, "请先登录。")
	}
	key := hashToken(token)
	now := db.Now().UTC()
	var userID, epoch int64
	var lastSeen time.Time
	// The one query of a request whose actor is cached (cache.go).
	err = db.reader().QueryRow(ctx, `
		SELECT s.user_id, s.last_seen_at, e.n FROM sessions s JOIN users u ON u.id = s.user_id CROSS JOIN cache_epoch e
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = TRUE AND e.id = 1`,
		key, now, now.Add(-IdleTimeout)).Scan(&userID, &lastSeen, &epoch)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.Errorf(lianluo.EUNAUTHORIZED, "登录已过期，请重新登录。")
	} else if err != nil {
		return nil, err
	}
	// Refresh the idle timer at most once a minute: a write per request
	// would serialise every page view on SQLite's single writer.
	if now.Sub(lastSeen) > time.Minute {
		if _, err := db.write.ExecContext(ctx, db.rebind(`UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`), now, key); err != nil {
			return nil, err
		}
	}
	if e, ok := db.auth.get(key, epoch, userID); ok {
		return e.actor(now, clientAddr, key), nil
	}
	u, err := loadUserUnscoped(ctx, db.reader(), userID)
	if err != nil {
		return nil, err
	}
	e := authEntry{epoch: epoch, userID: userID}
	if !u.Demo {
		p, err := securityPolicy(ctx, db.reader())
		if err != nil {
			return nil, err
		}
		e.expiryDays = p.PasswordExpiryDays
		if p.MFARequired(u) {
			on, err := db.mfaEnabled(ctx, db.reader(), u.ID)
			if err != nil {
				return nil, err
			}
			u.MustEnrolMFA = !on
		}
	}
	a := &lianluo.Actor{User: u}
	if err := db.resolveScope(ctx, a); err != nil {
		return nil, err
	}
	e.user, e.scope = *u, a.Scope
	db.auth.put(key, e)
	return e.actor(now, clientAddr, key), nil
}

// resolveScope turns the user's roles into the records they may see.
func (db *DB) resolveScope(ctx context.Context, a *lianluo.Actor) error {
	s := &a.Scope
	for _, g := range a.User.Roles {
		switch g.Role {
		case lianluo.RoleSystemAdmin:
			s.All = true
		case lianluo.RoleNPCOffice, lianluo.RoleNPCLeader:
			var region string
			if err := db.reader().QueryRow(ctx, `SELECT region_code FROM orgs WHERE id = $1 AND active = TRUE`, *g.OrgID).Scan(&region); errors.Is(err, sql.ErrNoRows) {
				continue // a deactivated body grants nothing
			} else if err != nil {
				return err
			}
			s.Regions = append(s.Regions, region)
			s.Orgs = append(s.Orgs, *g.OrgID)
		case lianluo.RoleStationHead, lianluo.RoleLiaison:
			s.Stations = append(s.Stations, *g.StationID)
		case lianluo.RoleDeputy:
			s.Deputies = append(s.Deputies, *g.DeputyID)
			rows, err := db.reader().Query(ctx, `SELECT station_id FROM station_deputies WHERE deputy_id = $1`, *g.DeputyID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				s.Stations = append(s.Stations, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		case lianluo.RoleUnitHandler:
			s.Units = append(s.Units, *g.OrgID)
		}
	}
	return nil
}

// Logout ends a session.
func (db *DB) Logout(ctx context.Context, token string) (err error) {
	defer wrap(&err, "Logout")
	db.auth.drop(hashToken(token))
	return db.transact(ctx, func(tx *Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id`, hashToken(token)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntitySession, userID, lianluo.AuditLogout, "退出登录")
	})
}

// ChangePassword changes the actor's own password and ends their other sessions.
func (db *DB) ChangePassword(ctx context.Context, oldPassword, newPassword string) (err error) {
	defer wrap(&err, "ChangePassword")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := db.checkOwnPassword(ctx, a, oldPassword, "old_password", "原密码不正确。"); err != nil {
		return err
	}
	if oldPassword == newPassword {
		return lianluo.FieldError("new_password", "新密码不能与原密码相同。")
	}
	newHash, err := db.checkNewPassword(ctx, a.User.ID, a.User.Username, newPassword, "new_password", false)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET updated_at = $1 WHERE id = $2`, tx.now, a.User.ID); err != nil {
			return err
		}
		if err := setPassword(ctx, tx, a.User.ID, newHash, false); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, a.User.ID, a.SessionKey); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityUser, a.User.ID, lianluo.AuditPassword, "修改本人密码")
	})
}

// Backup writes a consistent copy of a SQLite database to path while the
// server runs (VACUUM INTO reads one snapshot). PostgreSQL is backed up with
// pg_dump.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return errors.New("this is a PostgreSQL database: back it up with pg_dump (see README)")
	}
	// A connection of its own: the reader pool is query_only, and the
	// writer must stay free for the running server.
	c, err := sql.Open("sqlite", SQLiteDSN(db.URL)+"&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer c.Close()
	// The copy holds what the database holds: created 0600 before SQLite
	// writes into it (an empty file is allowed), and kept so.
	if err := ownerOnly(path, true); err != nil {
		return err
	}
	if _, err = c.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return err
	}
	return ownerOnly(path, false)
}

// Interface checks.
var (
	_ lianluo.AuthService    = (*DB)(nil)
	_ lianluo.RegionService  = (*DB)(nil)
	_ lianluo.OrgService     = (*DB)(nil)
	_ lianluo.StationService = (*DB)(nil)
	_ lianluo.DeputyService  = (*DB)(nil)
	_ lianluo.GroupService   = (*DB)(nil)
	_ lianluo.UserService    = (*DB)(nil)
	_ lianluo.EventService   = (*DB)(nil)
)

// checkOwnPassword refuses, as a field error on field, a password that is
// not the actor's own (changing it, turning the second factor off).
func (db *DB) checkOwnPassword(ctx context.Context, a *lianluo.Actor, password, field, wrong string) error {
	var hash string
	if err := db.reader().QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, a.User.ID).Scan(&hash); err != nil {
		return err
	}
	ok, err := db.checkPassword(ctx, password, hash)
	if err != nil {
		return err
	}
	if !ok {
		return lianluo.FieldError(field, "%s", wrong)
	}
	return nil
}
