package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"lianluo"
)

// The online station. Every method here runs for an anonymous
// voter, whoever is logged in: the public actor may read what the public
// may read and register opinions; each method decides what leaves.

// Public limits. All are counted in the database, so they hold across
// instances and restarts (failed look-ups of a tracking code: public_lookup.go;
// a guess needs ~10^14 tries, that limit only keeps the noise down).
const (
	submitsPerAddrHour = 10               // opinions from one client address an hour
	submitsPerPhoneDay = 5                // opinions from one phone a day
	duplicateWindow    = 10 * time.Minute // the same opinion again in this window gives the first code
	lookupFailures     = 20               // wrong codes from one address …
	lookupWindow       = 15 * time.Minute // … in this window before 429
	codesPerPhoneDay   = 5                // SMS verification codes per phone a day
	codesPerAddrDay    = 20               // … and per client address
	codeEvery          = time.Minute      // at most one code a minute per phone
	codeValid          = 10 * time.Minute
	codeAttempts       = 5
)

// publicActor is the anonymous voter; history shows 群众（网上）.
func publicActor(ctx context.Context) context.Context {
	return lianluo.NewContextWithActor(ctx, &lianluo.Actor{
		User:       &lianluo.User{DisplayName: "群众（网上）"},
		Scope:      lianluo.Scope{All: true},
		ClientAddr: lianluo.ClientAddrFromContext(ctx),
	})
}

func keyedHash(key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// findPublicCase finds the case of a tracking code, checking the phone's
// last four digits when the voter gave a phone. Call it only within
// withCodeLookup, which limits and counts the misses (public_lookup.go).
func (db *DB) findPublicCase(ctx context.Context, c conn, code, phoneTail string) (*lianluo.Case, error) {
	code = lianluo.NormalizeTrackingCode(code)
	var id int64
	var sealedPhone, tail string
	// The phone is sealed (fieldcrypt.go): its stored last four digits are compared.
	err := c.QueryRow(ctx, `SELECT id, submitter_phone, submitter_phone_last4 FROM cases WHERE tracking_code = $1`, code).Scan(&id, &sealedPhone, &tail)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && sealedPhone != "" && strings.TrimSpace(phoneTail) != tail) {
		return nil, notFoundOpinion
	} else if err != nil {
		return nil, err
	}
	return findCase(publicActor(ctx), c, id)
}

// PublicSettings returns how the online station is configured.
func (db *DB) PublicSettings(ctx context.Context) (_ lianluo.PublicSettings, err error) {
	defer wrap(&err, "PublicSettings")
	var p lianluo.PublicSettings
	var raw string
	err = db.reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'public'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	} else if err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(raw), &p)
}

// UpdatePublicSettings changes the online station's settings (the system administrator only).
func (db *DB) UpdatePublicSettings(ctx context.Context, p lianluo.PublicSettings) (err error) {
	defer wrap(&err, "UpdatePublicSettings")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	b, _ := json.Marshal(p)
	return db.transact(ctx, func(tx *Tx) error {
		if err := putSetting(ctx, tx, "public", string(b)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntitySettings, 0, lianluo.AuditUpdate, "修改网上联络站设置："+string(b))
	})
}

// SubmitOpinion registers an opinion from the online station.
func (db *DB) SubmitOpinion(ctx context.Context, o lianluo.Opinion) (_ *lianluo.Receipt, err error) {
	defer wrap(&err, "SubmitOpinion")
	if err := o.Validate(); err != nil {
		return nil, err
	}
	set, err := db.PublicSettings(ctx)
	if err != nil {
		return nil, err
	}
	key, err := db.hashKey(ctx)
	if err != nil {
		return nil, err
	}
	addr := lianluo.ClientAddrFromContext(ctx)
	addrHash := keyedHash(key, "addr", addr)
	phoneHash := ""
	if o.Phone != "" {
		phoneHash = keyedHash(key, "phone", o.Phone)
	}
	target := ""
	if o.StationID != nil {
		target = fmt.Sprintf("s%d", *o.StationID)
	} else {
		target = fmt.Sprintf("d%d", *o.DeputyID)
	}
	who := o.Phone
	if who == "" {
		who = addr
	}
	contentHash := keyedHash(key, "content", target, o.Title, o.Content, who)
	ctx = publicActor(ctx)
	var r *lianluo.Receipt
	err = db.transact(ctx, func(tx *Tx) error {
		// A second tap on 提交, or the same text sent again: the first code.
		var first int64
		err := tx.QueryRow(ctx, `SELECT case_id FROM public_submissions WHERE content_hash = $1 AND created_at > $2
			ORDER BY created_at LIMIT 1`, contentHash, tx.now.Add(-duplicateWindow)).Scan(&first)
		if err == nil {
			c, err := findCase(ctx, tx.conn, first)
			if err != nil {
				return err
			}
			r = receiptOf(c, true)
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM public_submissions WHERE addr_hash = $1 AND created_at > $2`,
			addrHash, tx.now.Add(-time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= submitsPerAddrHour {
			return lianluo.Errorf(lianluo.ETOOMANY, "提交太频繁了，请一小时后再试。如有急事，请直接拨打联络站电话。")
		}
		if phoneHash != "" {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM public_submissions WHERE phone_hash = $1 AND created_at > $2`,
				phoneHash, tx.now.Add(-24*time.Hour)).Scan(&n); err != nil {
				return err
			}
			if n >= submitsPerPhoneDay {
				return lianluo.Errorf(lianluo.ETOOMANY, "这个手机号今天已经提交了%d条意见，请明天再提交。", submitsPerPhoneDay)
			}
			if set.VerifyPhone {
				if err := checkCode(ctx, tx, key, phoneHash, o.VerifyCode); err != nil {
					return err
				}
			}
		}
		if o.Category != "" {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM categories WHERE name = $1 AND active = TRUE`, o.Category).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return lianluo.FieldError("category", "请从列表中选择问题类别。")
			}
		}
		in := lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: "online", Title: o.Title, Content: o.Content,
			Category: o.Category, Location: o.Location, Confidential: o.Confidential,
			Submitter: lianluo.Submitter{Name: o.Name, Phone: o.Phone}, ReceivedBy: []int64{}}
		if o.StationID != nil {
			var region string
			err := tx.QueryRow(ctx, `SELECT region_code FROM stations WHERE id = $1 AND active = TRUE`, *o.StationID).Scan(&region)
			if errors.Is(err, sql.ErrNoRows) {
				return lianluo.FieldError("station_id", "这个联络站不存在或已停用，请重新选择。")
			} else if err != nil {
				return err
			}
			in.StationID, in.RegionCode = o.StationID, region
		} else {
			// To a deputy: the case goes to the deputy's station (the first
			// one, if several), received by the deputy (000: 代表接待).
			var region string
			err := tx.QueryRow(ctx, `SELECT region_code FROM deputies WHERE id = $1 AND status = 'in_office'`, *o.DeputyID).Scan(&region)
			if errors.Is(err, sql.ErrNoRows) {
				return lianluo.FieldError("deputy_id", "没有找到这位代表，请重新选择。")
			} else if err != nil {
				return err
			}
			var sid int64
			err = tx.QueryRow(ctx, `SELECT s.id, s.region_code FROM station_deputies sd JOIN stations s ON s.id = sd.station_id
				WHERE sd.deputy_id = $1 AND s.active = TRUE ORDER BY s.id LIMIT 1`, *o.DeputyID).Scan(&sid, &region)
			if err == nil {
				in.StationID = &sid
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			in.RegionCode = region
			in.ReceivedBy = []int64{*o.DeputyID}
		}
		if err := in.Validate(); err != nil {
			return err
		}
		a := lianluo.ActorFromContext(ctx)
		id, err := createCase(ctx, tx, a, in)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO public_submissions (case_id, addr_hash, phone_hash, content_hash, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, addrHash, phoneHash, contentHash, tx.now); err != nil {
			return err
		}
		if o.DeputyID != nil {
			if err := notifyDeputy(ctx, tx, *o.DeputyID, id, o.Title); err != nil {
				return err
			}
		}
		c, err := findCase(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		r = receiptOf(c, false)
		return nil
	})
	if errors.Is(err, errWrongCode) {
		db.transact(ctx, func(tx *Tx) error {
			_, err := tx.Exec(ctx, `UPDATE phone_codes SET attempts = attempts + 1 WHERE id = (SELECT MAX(id) FROM phone_codes
				WHERE phone_hash = $1 AND used = FALSE)`, phoneHash)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func receiptOf(c *lianluo.Case, dup bool) *lianluo.Receipt {
	r := &lianluo.Receipt{TrackingCode: c.TrackingCode, Duplicate: dup, StationName: c.StationName,
		PhoneGiven: c.Submitter.Phone != "", CreatedAt: c.CreatedAt}
	if len(c.ReceivedByNames) > 0 {
		r.DeputyName = c.ReceivedByNames[0]
	}
	return r
}

// notifyDeputy tells a deputy's accounts that a voter wrote to them.
func notifyDeputy(ctx context.Context, tx *Tx, deputyID, caseID int64, title string) error {
	users, err := queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = $1 AND ur.deputy_id = $2 ORDER BY u.id`, lianluo.RoleDeputy, deputyID)
	if err != nil {
		return err
	}
	_, body := lianluo.Message(lianluo.MsgCaseOnline, lianluo.Truncate(title, 30))
	for _, u := range users {
		uid := u
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgCaseOnline, CaseID: &caseID,
			Body: body}); err != nil {
			return err
		}
	}
	return nil
}

// AddOpinionPhoto attaches a voter's photo to their new opinion.
func (db *DB) AddOpinionPhoto(ctx context.Context, code, phoneTail string, data []byte) (err error) {
	defer wrap(&err, "AddOpinionPhoto")
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return err
	}
	ctx = publicActor(ctx)
	attach := func(tx *Tx) error {
		c, err := db.findPublicCase(ctx, tx.conn, code, phoneTail)
		if err != nil {
			return err
		}
		if c.Channel != "online" || c.Status != lianluo.StatusRegistered || tx.now.Sub(c.CreatedAt) > lianluo.PhotoWindow {
			return lianluo.Errorf(lianluo.ESTATE, "意见已经在办理中，不能再补充照片。如需补充材料，请联系联络站。")
		}
		var n int
		// The voter's own photos (created_by NULL), not what staff attached.
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_attachments WHERE case_id = $1 AND created_by IS NULL`, c.ID).Scan(&n); err != nil {
			return err
		}
		if n >= lianluo.MaxPublicPhotos {
			// A full set is a state of the opinion (409), not a too-large request.
			return lianluo.Errorf(lianluo.ESTATE, "每条意见最多上传%d张照片。", lianluo.MaxPublicPhotos)
		}
		fileName := fmt.Sprintf("群众照片%d%s", n+1, lianluo.PhotoTypes[ct])
		if _, err := tx.Exec(ctx, `INSERT INTO case_attachments (case_id, name, content_type, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, NULL, $6)`, c.ID, fileName, ct, len(data), data, tx.now); err != nil {
			return err
		}
		return caseEvent(ctx, tx, c.ID, lianluo.StepAttach, "", "", "群众上传照片："+fileName)
	}
	return db.withCodeLookup(ctx, func() error { return db.transact(ctx, attach) })
}

var _ lianluo.PublicService = (*DB)(nil)
