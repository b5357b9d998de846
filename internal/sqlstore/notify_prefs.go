package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"lianluo"
)

// availableChannels are the channels a user may choose here: SMS always,
// and the others the deployment delivers (DB.Channels).
func (db *DB) availableChannels() []string {
	var out []string
	for _, c := range lianluo.ExternalChannels {
		if c == lianluo.ChannelSMS || slices.Contains(db.Channels, c) {
			out = append(out, c)
		}
	}
	return out
}

// NotificationPrefs returns the caller's 通知设置: the default (text
// messages) until they choose.
func (db *DB) NotificationPrefs(ctx context.Context) (_ *lianluo.NotificationPrefs, err error) {
	defer wrap(&err, "NotificationPrefs")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	return db.notificationPrefs(ctx, db.reader(), a.User.ID)
}

func (db *DB) notificationPrefs(ctx context.Context, c conn, userID int64) (*lianluo.NotificationPrefs, error) {
	var (
		phone                      string
		sms, mail, wecom, dingtalk *bool
		email                      string
		updated                    *time.Time
	)
	err := c.QueryRow(ctx, `
		SELECT u.phone, p.sms, p.email, p.wecom, p.dingtalk, COALESCE(p.email_address, ''), p.updated_at
		FROM users u
		LEFT JOIN notification_prefs p ON p.user_id = u.id
		WHERE u.id = $1`, userID).Scan(&phone, &sms, &mail, &wecom, &dingtalk, &email, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("用户")
	} else if err != nil {
		return nil, err
	}
	p := &lianluo.NotificationPrefs{Email: email, CanText: lianluo.CanText(phone), Available: db.availableChannels(), UpdatedAt: updated}
	if phone != "" {
		p.Phone = lianluo.MaskPhone(phone)
	}
	if sms == nil {
		p.Channels = slices.Clone(lianluo.DefaultChannels)
	} else {
		for i, on := range []bool{*sms, *mail, *wecom, *dingtalk} {
			if on {
				p.Channels = append(p.Channels, lianluo.ExternalChannels[i])
			}
		}
	}
	if p.Channels == nil {
		p.Channels = []string{}
	}
	return p, nil
}

// UpdateNotificationPrefs sets the caller's own channels and e-mail address.
// A channel the deployment does not deliver cannot be chosen; SMS can,
// without a mobile number on the account, and then waits for one (the
// in-app item reaches the user meanwhile).
func (db *DB) UpdateNotificationPrefs(ctx context.Context, p lianluo.NotificationPrefs) (_ *lianluo.NotificationPrefs, err error) {
	defer wrap(&err, "UpdateNotificationPrefs")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	avail := db.availableChannels()
	for _, c := range p.Channels {
		if !slices.Contains(avail, c) {
			return nil, lianluo.FieldError("channels", "本系统未开通%s通知，请选择其他方式或联系系统管理员。", lianluo.NotificationChannelNames[c])
		}
	}
	on := func(c string) bool { return slices.Contains(p.Channels, c) }
	var out *lianluo.NotificationPrefs
	err = db.transact(ctx, func(tx *Tx) error {
		uid := a.User.ID
		if _, err := tx.Exec(ctx, `
			INSERT INTO notification_prefs (
				user_id,
				sms,
				email,
				wecom,
				dingtalk,
				email_address,
				updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (user_id) DO UPDATE SET
				sms = excluded.sms,
				email = excluded.email,
				wecom = excluded.wecom,
				dingtalk = excluded.dingtalk,
				email_address = excluded.email_address,
				updated_at = excluded.updated_at`,
			uid, on(lianluo.ChannelSMS), on(lianluo.ChannelEmail), on(lianluo.ChannelWeCom), on(lianluo.ChannelDingTalk),
			p.Email, tx.now); err != nil {
			return err
		}
		names := []string{lianluo.NotificationChannelNames[lianluo.ChannelInApp]}
		for _, c := range p.Channels {
			names = append(names, lianluo.NotificationChannelNames[c])
		}
		// The address is personal data: the trail says only that there is one.
		summary := "通知渠道：" + strings.Join(names, "、")
		if p.Email != "" {
			summary += "；已填写邮箱"
		}
		if err := tx.event(ctx, lianluo.EntityUser, uid, lianluo.AuditNotifyPrefs, summary); err != nil {
			return err
		}
		var err error
		out, err = db.notificationPrefs(ctx, tx.conn, uid)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
