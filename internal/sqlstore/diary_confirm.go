// The voter's confirmation of a diary entry (by SMS code or by signature),
// and the reveal of the voter's contact details.

package sqlstore

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"lianluo"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var mobileOnly = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// diaryPhoneHash keys an entry's codes by the entry and the voter's phone:
// a code texted for one entry (or one number) never confirms another.
func diaryPhoneHash(key []byte, id int64, phone string) string {
	return keyedHash(key, "diary", strconv.FormatInt(id, 10), phone)
}

// SendDiaryCode texts a six-digit code to the voter's mobile. The limits of
// the online station's codes apply (public.go): one a minute, five a day
// per entry, ten minutes' validity, five attempts.
func (db *DB) SendDiaryCode(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "SendDiaryCode(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	key, err := db.hashKey(ctx)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		e, err := requireOwnDraft(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !mobileOnly.MatchString(e.Voter.Phone) {
			return lianluo.FieldError("voter_phone", "短信确认需要选民的11位手机号码，请先填写；也可以请选民当面签名。")
		}
		if err := sendCode(ctx, tx, key, e.Voter.Phone, diaryPhoneHash(key, id, e.Voter.Phone), keyedHash(key, "diary-user", fmt.Sprint(a.User.ID)),
			false, "今天获取验证码的次数已达上限，请明天再试，或请选民当面签名。"); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDiary, id, lianluo.AuditSendCode, "向选民手机"+lianluo.MaskPhone(e.Voter.Phone)+"发送确认验证码")
	})
}

var diaryCodeRe = regexp.MustCompile(`^[0-9]{6}$`)

// ConfirmDiaryByCode confirms an entry with the code the voter read back.
// A wrong code counts against the code's attempts (and nothing else changes).
func (db *DB) ConfirmDiaryByCode(ctx context.Context, id int64, code string) (_ *lianluo.DiaryEntry, err error) {
	defer wrap(&err, "ConfirmDiaryByCode(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	code = strings.TrimSpace(code)
	if !diaryCodeRe.MatchString(code) {
		return nil, lianluo.FieldError("code", "请填写短信中的6位数字验证码。")
	}
	key, err := db.hashKey(ctx)
	if err != nil {
		return nil, err
	}
	wrong := false
	err = db.transact(ctx, func(tx *Tx) error {
		e, err := requireOwnDraft(ctx, tx, a, id)
		if err != nil {
			return err
		}
		phoneHash := diaryPhoneHash(key, id, e.Voter.Phone)
		var cid int64
		var hash string
		var attempts int
		var expires time.Time
		err = tx.QueryRow(ctx, `SELECT id, code_hash, attempts, expires_at FROM phone_codes
			WHERE phone_hash = $1 AND used = FALSE ORDER BY id DESC LIMIT 1`, phoneHash).Scan(&cid, &hash, &attempts, &expires)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return lianluo.FieldError("code", "请先获取短信验证码。")
		case err != nil:
			return err
		case !expires.After(tx.now):
			return lianluo.FieldError("code", "验证码已过期（10分钟内有效），请重新获取。")
		case attempts >= codeAttempts:
			return lianluo.Errorf(lianluo.ETOOMANY, "验证码输错次数过多，请重新获取。")
		}
		if !hmac.Equal([]byte(hash), []byte(keyedHash(key, "code", phoneHash, code))) {
			wrong = true
			_, err := tx.Exec(ctx, `UPDATE phone_codes SET attempts = attempts + 1 WHERE id = $1`, cid)
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE phone_codes SET used = TRUE WHERE id = $1`, cid); err != nil {
			return err
		}
		return confirmDiary(ctx, tx, e, lianluo.ConfirmSMS, nil)
	})
	if err != nil {
		return nil, err
	}
	if wrong {
		return nil, lianluo.FieldError("code", "验证码不正确，请核对短信中的6位数字。")
	}
	return db.FindDiaryEntryByID(ctx, id)
}

func confirmDiary(ctx context.Context, tx *Tx, e *lianluo.DiaryEntry, by string, signature []byte) error {
	res, err := tx.Exec(ctx, `UPDATE diary_entries SET status = 'confirmed', confirmed_by = $1, confirmed_at = $2, signature = $3,
		version = version + 1, updated_at = $2 WHERE id = $4 AND status = 'draft'`, by, tx.now, signature, e.ID)
	if err != nil {
		return err
	}
	if err := checkOne(res); err != nil {
		return lianluo.Errorf(lianluo.ESTATE, "这篇民情日记已经选民确认。")
	}
	return tx.event(ctx, lianluo.EntityDiary, e.ID, lianluo.AuditConfirm, "选民确认："+lianluo.DiaryConfirmNames[by])
}

// ConfirmDiaryBySignature keeps the voter's signature and confirms the entry.
func (db *DB) ConfirmDiaryBySignature(ctx context.Context, id int64, signature []byte) (_ *lianluo.DiaryEntry, err error) {
	defer wrap(&err, "ConfirmDiaryBySignature(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := lianluo.CheckSignature("signature", signature); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		e, err := requireOwnDraft(ctx, tx, a, id)
		if err != nil {
			return err
		}
		return confirmDiary(ctx, tx, e, lianluo.ConfirmSignature, signature)
	})
	if err != nil {
		return nil, err
	}
	return db.FindDiaryEntryByID(ctx, id)
}

// DiarySignature returns the voter's signature of an entry in scope.
func (db *DB) DiarySignature(ctx context.Context, id int64) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "DiarySignature(%d)", id)
	if _, err := findDiary(ctx, db.reader(), id); err != nil {
		return nil, err
	}
	p := lianluo.Photo{ContentType: "image/png"}
	var at *time.Time
	err = db.reader().QueryRow(ctx, `SELECT signature, confirmed_at FROM diary_entries WHERE id = $1`, id).Scan(&p.Data, &at)
	if err != nil {
		return nil, err
	}
	if len(p.Data) == 0 || at == nil {
		return nil, lianluo.NotFound("签名")
	}
	p.UpdatedAt = *at
	return &p, nil
}

// RevealDiaryVoter shows the voter's details to the office or the
// deputy's station staff, with a reason, recorded in the audit trail.
// Never to the system administrator (三员分立, lianluo.MayRevealPersonalData):
// managing the registry everywhere is not working the deputy's diary.
func (db *DB) RevealDiaryVoter(ctx context.Context, id int64, reason lianluo.RevealReason) (_ *lianluo.Submitter, err error) {
	defer wrap(&err, "RevealDiaryVoter(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.MayRevealPersonalData(a) {
		return nil, lianluo.Forbidden()
	}
	why, err := reason.Check()
	if err != nil {
		return nil, err
	}
	policy, err := db.SecurityPolicy(ctx)
	if err != nil {
		return nil, err
	}
	var out lianluo.Submitter
	var limited error
	err = db.transact(ctx, func(tx *Tx) error {
		e, err := findDiary(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		ok, err := staffsDeputy(ctx, tx.conn, a, e)
		if err != nil {
			return err
		}
		if !ok && !lianluo.OwnsDiary(a, e) {
			return lianluo.Forbidden()
		}
		if limited, err = checkRevealRate(ctx, tx, a, policy); err != nil || limited != nil {
			return err
		}
		out = e.Voter
		return tx.event(ctx, lianluo.EntityDiary, id, lianluo.AuditReveal, "查看选民联系方式，"+why)
	})
	if err == nil && limited != nil {
		return nil, limited
	}
	return &out, err
}
