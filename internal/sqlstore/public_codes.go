// SMS verification codes for voters' phones: sent with limits, stored hashed.

package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"lianluo"
	"math/big"
	"strings"
	"time"
)

// SendVerifyCode texts a six-digit code to a voter's phone.
func (db *DB) SendVerifyCode(ctx context.Context, phone string) (err error) {
	defer wrap(&err, "SendVerifyCode")
	phone = strings.TrimSpace(phone)
	if !lianluo.ValidPhone(phone) {
		return lianluo.FieldError("phone", "请填写正确的11位手机号码。")
	}
	set, err := db.PublicSettings(ctx)
	if err != nil {
		return err
	}
	if !set.VerifyPhone {
		return lianluo.FieldError("phone", "本站不需要短信验证，直接提交即可。")
	}
	key, err := db.hashKey(ctx)
	if err != nil {
		return err
	}
	phoneHash := keyedHash(key, "phone", phone)
	addrHash := keyedHash(key, "addr", lianluo.ClientAddrFromContext(ctx))
	return db.transact(publicActor(ctx), func(tx *Tx) error {
		return sendCode(ctx, tx, key, phone, phoneHash, addrHash, true, "今天获取验证码的次数已达上限，请明天再试。")
	})
}

// sendCode texts a fresh six-digit code to phone within the limits: one a
// minute and codesPerPhoneDay a day for the phone hash, and, with perAddr,
// codesPerAddrDay a day from the address hash; dayFull says a day's limit
// is reached. Only the code's keyed hash is stored.
func sendCode(ctx context.Context, tx *Tx, key []byte, phone, phoneHash, addrHash string, perAddr bool, dayFull string) error {
	var perPhone, fromAddr int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM phone_codes WHERE phone_hash = $1 AND created_at > $2`,
		phoneHash, tx.now.Add(-24*time.Hour)).Scan(&perPhone); err != nil {
		return err
	}
	var last time.Time
	err := tx.QueryRow(ctx, `SELECT created_at FROM phone_codes WHERE phone_hash = $1 ORDER BY created_at DESC LIMIT 1`, phoneHash).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	recent := err == nil && tx.now.Sub(last) < codeEvery
	if perAddr {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM phone_codes WHERE addr_hash = $1 AND created_at > $2`,
			addrHash, tx.now.Add(-24*time.Hour)).Scan(&fromAddr); err != nil {
			return err
		}
	}
	switch {
	case recent:
		return lianluo.Errorf(lianluo.ETOOMANY, "验证码已发送，请1分钟后再重新获取。")
	case perPhone >= codesPerPhoneDay || perAddr && fromAddr >= codesPerAddrDay:
		return lianluo.Errorf(lianluo.ETOOMANY, "%s", dayFull)
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	if _, err := tx.Exec(ctx, `INSERT INTO phone_codes (phone_hash, addr_hash, code_hash, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5)`, phoneHash, addrHash, keyedHash(key, "code", phoneHash, code), tx.now.Add(codeValid), tx.now); err != nil {
		return err
	}
	// Urgent: a code must not wait for the end of quiet hours.
	_, body := lianluo.Message(lianluo.MsgVerifyCode, code)
	return enqueue(ctx, tx, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: phone, Template: lianluo.MsgVerifyCode, Urgent: true, Body: body})
}

// errWrongCode marks a wrong verification code: the attempt is counted
// after the submission's transaction has rolled back.
var errWrongCode = lianluo.FieldError("verify_code", "验证码不正确，请核对短信中的6位数字。")

// checkCode consumes the voter's latest valid code.
func checkCode(ctx context.Context, tx *Tx, key []byte, phoneHash, code string) error {
	code = strings.TrimSpace(code)
	if code == "" {
		return lianluo.FieldError("verify_code", "请填写短信验证码。")
	}
	var id int64
	var hash string
	var attempts int
	err := tx.QueryRow(ctx, `SELECT id, code_hash, attempts FROM phone_codes
		WHERE phone_hash = $1 AND used = FALSE AND expires_at > $2 ORDER BY id DESC LIMIT 1`, phoneHash, tx.now).Scan(&id, &hash, &attempts)
	if errors.Is(err, sql.ErrNoRows) || attempts >= codeAttempts {
		return lianluo.FieldError("verify_code", "验证码已失效，请重新获取。")
	} else if err != nil {
		return err
	}
	if !hmac.Equal([]byte(hash), []byte(keyedHash(key, "code", phoneHash, code))) {
		return errWrongCode
	}
	_, err = tx.Exec(ctx, `UPDATE phone_codes SET used = TRUE WHERE id = $1`, id)
	return err
}
