// The staff's second factor: enrolment and the login's second step
// (lianluo.CheckTOTP; README: Security).

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lianluo"
)

// MFAChallengeLife is how long a right password waits for its second step.
const MFAChallengeLife = 5 * time.Minute

// maxMFATries is how many codes one second step takes (each also counts
// toward the account's lockout).
const maxMFATries = 5

var errMFAExpired = lianluo.Errorf(lianluo.EUNAUTHORIZED, "登录验证已过期，请重新输入用户名和密码。")

// mfaEnabled reports whether user id has a confirmed second factor.
func (db *DB) mfaEnabled(ctx context.Context, c conn, id int64) (bool, error) {
	var n int
	err := c.QueryRow(ctx, `SELECT COUNT(*) FROM user_mfa WHERE user_id = $1 AND confirmed_at IS NOT NULL`, id).Scan(&n)
	return n > 0, err
}

// LoginMFA completes a login whose password was right with the code of the
// user's authenticator app, or one of their unused recovery codes.
func (db *DB) LoginMFA(ctx context.Context, mfaToken, code, clientAddr string) (_ *lianluo.Session, err error) {
	defer wrap(&err, "LoginMFA")
	if mfaToken == "" {
		return nil, errMFAExpired
	}
	var (
		id      int64
		tries   int
		expires time.Time
	)
	err = db.reader().QueryRow(ctx, `SELECT user_id, tries, expires_at FROM mfa_challenges WHERE token_hash = $1`, hashToken(mfaToken)).
		Scan(&id, &tries, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errMFAExpired
	} else if err != nil {
		return nil, err
	}
	now := db.Now()
	if !expires.After(now) || tries >= maxMFATries {
		return nil, errMFAExpired
	}
	sysCtx := lianluo.NewContextWithActor(ctx, &lianluo.Actor{ClientAddr: clientAddr})
	reserved, lockedByThis, err := db.reserveLoginTry(sysCtx, id)
	if err != nil {
		return nil, err
	}
	if !reserved {
		return nil, errBadLogin
	}
	var (
		secret   string
		lastStep int64
	)
	if err := db.reader().QueryRow(ctx, `SELECT secret, last_step FROM user_mfa WHERE user_id = $1 AND confirmed_at IS NOT NULL`, id).
		Scan(&secret, &lastStep); err != nil {
		return nil, errMFAExpired // turned off meanwhile
	}
	if secret, err = db.keys.open(secret); err != nil {
		return nil, err
	}
	step, codeErr := lianluo.CheckTOTP(secret, code, now, lastStep)
	var recoveryID int64
	if codeErr != nil {
		if recoveryID, err = db.matchRecoveryCode(ctx, id, code); err != nil {
			return nil, err
		}
	}
	if codeErr != nil && recoveryID == 0 {
		err := db.transact(context.WithoutCancel(sysCtx), func(tx *Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE mfa_challenges SET tries = tries + 1 WHERE token_hash = $1`, hashToken(mfaToken)); err != nil {
				return err
			}
			if err := tx.event(ctx, lianluo.EntitySession, id, lianluo.AuditLoginFailed, "登录第二步验证码错误"); err != nil {
				return err
			}
			if lockedByThis {
				return tx.event(ctx, lianluo.EntityUser, id, lianluo.AuditLocked, "连续登录失败，账号已锁定")
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return nil, codeErr
	}
	what := "登录（验证器验证码）"
	if recoveryID != 0 {
		what = "登录（恢复码）"
	}
	return db.openSession(sysCtx, id, clientAddr, lockedByThis, what, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM mfa_challenges WHERE token_hash = $1`, hashToken(mfaToken))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errMFAExpired // used by a concurrent try
		}
		if recoveryID != 0 {
			res, err = tx.Exec(ctx, `UPDATE mfa_recovery SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, tx.now, recoveryID)
		} else {
			// Once only: a code whose step is not newer than the last is refused.
			res, err = tx.Exec(ctx, `UPDATE user_mfa SET last_step = $1 WHERE user_id = $2 AND last_step < $1`, step, id)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return lianluo.FieldError("code", "这个验证码已经用过了，请等验证器显示下一个验证码。")
		}
		return nil
	})
}

// matchRecoveryCode is the id of the user's unused recovery code that code
// is, 0 when none.
func (db *DB) matchRecoveryCode(ctx context.Context, userID int64, code string) (int64, error) {
	code = lianluo.NormalizeRecoveryCode(code)
	if len(code) != 10 {
		return 0, nil
	}
	rows, err := db.reader().Query(ctx, `SELECT id, code_hash FROM mfa_recovery WHERE user_id = $1 AND used_at IS NULL ORDER BY id`, userID)
	if err != nil {
		return 0, err
	}
	type stored struct {
		id   int64
		hash string
	}
	var all []stored
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.id, &s.hash); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, s := range all {
		ok, err := db.checkPassword(ctx, code, s.hash)
		if err != nil {
			return 0, err
		}
		if ok {
			return s.id, nil
		}
	}
	return 0, nil
}

// MFAStatus is the actor's own second factor.
func (db *DB) MFAStatus(ctx context.Context) (_ *lianluo.MFAStatus, err error) {
	defer wrap(&err, "MFAStatus")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	st := &lianluo.MFAStatus{}
	var since *time.Time
	err = db.reader().QueryRow(ctx, `SELECT confirmed_at FROM user_mfa WHERE user_id = $1`, a.User.ID).Scan(&since)
	if errors.Is(err, sql.ErrNoRows) || since == nil {
		return st, nil
	} else if err != nil {
		return nil, err
	}
	st.Enabled, st.Since = true, since
	err = db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM mfa_recovery WHERE user_id = $1 AND used_at IS NULL`, a.User.ID).Scan(&st.RecoveryLeft)
	return st, err
}

// BeginMFA gives the actor a new secret to add to an authenticator app; it
// takes effect with ConfirmMFA. A second factor already on stays as it is.
func (db *DB) BeginMFA(ctx context.Context) (_ *lianluo.MFAEnrolment, err error) {
	defer wrap(&err, "BeginMFA")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	secret := lianluo.NewTOTPSecret()
	err = db.transact(ctx, func(tx *Tx) error {
		on, err := db.mfaEnabled(ctx, tx.conn, a.User.ID)
		if err != nil {
			return err
		}
		if on {
			return lianluo.Errorf(lianluo.ESTATE, "双因素认证已经启用。如需更换手机，请先停用再重新启用。")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM user_mfa WHERE user_id = $1`, a.User.ID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO user_mfa (user_id, secret, created_at) VALUES ($1, $2, $3)`, a.User.ID, db.keys.seal(secret), tx.now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &lianluo.MFAEnrolment{Secret: secret, URI: lianluo.TOTPURI(secret, a.User.Username)}, nil
}

// ConfirmMFA turns the second factor on with the app's first code and
// returns the recovery codes (kept only as hashes).
func (db *DB) ConfirmMFA(ctx context.Context, code string) (_ []string, err error) {
	defer wrap(&err, "ConfirmMFA")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var secret string
	var confirmed *time.Time
	err = db.reader().QueryRow(ctx, `SELECT secret, confirmed_at FROM user_mfa WHERE user_id = $1`, a.User.ID).Scan(&secret, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.Errorf(lianluo.ESTATE, "请先开始启用双因素认证，用验证器扫描二维码。")
	} else if err != nil {
		return nil, err
	}
	if confirmed != nil {
		return nil, lianluo.Errorf(lianluo.ESTATE, "双因素认证已经启用。")
	}
	plain, err := db.keys.open(secret)
	if err != nil {
		return nil, err
	}
	step, err := lianluo.CheckTOTP(plain, code, db.Now(), 0)
	if err != nil {
		return nil, err
	}
	codes := lianluo.NewRecoveryCodes()
	hashes := make([]string, len(codes))
	for i, c := range codes {
		if hashes[i], err = db.hashPassword(ctx, lianluo.NormalizeRecoveryCode(c)); err != nil {
			return nil, err
		}
	}
	err = db.transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE user_mfa SET confirmed_at = $1, last_step = $2 WHERE user_id = $3 AND secret = $4 AND confirmed_at IS NULL`,
			tx.now, step, a.User.ID, secret)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return lianluo.Errorf(lianluo.ESTATE, "启用过程已经改变，请重新扫描二维码。")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM mfa_recovery WHERE user_id = $1`, a.User.ID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.Exec(ctx, `INSERT INTO mfa_recovery (user_id, code_hash) VALUES ($1, $2)`, a.User.ID, h); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityUser, a.User.ID, lianluo.AuditMFA, "启用双因素认证")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableMFA turns the actor's second factor off, given their password.
func (db *DB) DisableMFA(ctx context.Context, password string) (err error) {
	defer wrap(&err, "DisableMFA")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := db.checkOwnPassword(ctx, a, password, "password", "密码不正确。"); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM user_mfa WHERE user_id = $1 AND confirmed_at IS NOT NULL`, a.User.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lianluo.Errorf(lianluo.ESTATE, "双因素认证没有启用。")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM mfa_recovery WHERE user_id = $1`, a.User.ID); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityUser, a.User.ID, lianluo.AuditMFA, "停用双因素认证")
	})
}
