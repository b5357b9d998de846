// Calendar feeds: a secret iCalendar link per deputy and per station.

package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"lianluo"
	"strings"
)

// FeedToken returns the secret token of a calendar feed, creating it.
func (db *DB) FeedToken(ctx context.Context, kind string, id int64) (_ string, err error) {
	defer wrap(&err, "FeedToken(%s, %d)", kind, id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return "", err
	}
	switch kind {
	case "deputy":
		d, err := findDeputyByID(ctx, db.reader(), id)
		if err != nil {
			return "", err
		}
		if !a.CanManageRegion(d.RegionCode) && !a.IsDeputy(id) {
			return "", lianluo.Forbidden()
		}
	case "station":
		if _, err := findStationByID(ctx, db.reader(), id); err != nil {
			return "", err
		}
	default:
		return "", lianluo.NotFound("日历")
	}
	var token string
	err = db.transact(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `SELECT token FROM calendar_feeds WHERE kind = $1 AND owner_id = $2`, kind, id).Scan(&token)
		if err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		b := make([]byte, 20)
		rand.Read(b)
		token = hex.EncodeToString(b)
		sum := sha256.Sum256([]byte(token))
		_, err = tx.Exec(ctx, `INSERT INTO calendar_feeds (token_hash, kind, owner_id, token, created_at) VALUES ($1, $2, $3, $4, $5)`,
			hex.EncodeToString(sum[:]), kind, id, token, tx.now)
		return err
	})
	return token, err
}

// Feed returns a feed's events: a deputy's turns, or a station's published
// sessions, from a year back on.
func (db *DB) Feed(ctx context.Context, token string) (_ *lianluo.Feed, err error) {
	defer wrap(&err, "Feed")
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	var kind string
	var id int64
	err = db.reader().QueryRow(ctx, `SELECT kind, owner_id FROM calendar_feeds WHERE token_hash = $1`, hex.EncodeToString(sum[:])).Scan(&kind, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("日历")
	} else if err != nil {
		return nil, err
	}
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	from := db.Now().AddDate(-1, 0, 0)
	f := lianluo.ReceptionFilter{From: &from, Page: lianluo.AllRows()}
	feed := &lianluo.Feed{Events: []lianluo.FeedEvent{}}
	if kind == "deputy" {
		d, err := findDeputyByID(ctx, db.reader(), id)
		if err != nil {
			return nil, err
		}
		f.DeputyID, feed.Name = id, d.Name+"的代表活动"
	} else {
		st, err := findStationByID(ctx, db.reader(), id)
		if err != nil {
			return nil, err
		}
		f.StationID, feed.Name = id, st.Name+"接待安排"
	}
	list, _, err := db.findReceptions(ctx, db.reader(), f)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if r.Status == lianluo.ReceptionDraft {
			continue
		}
		var names []string
		for _, d := range r.Deputies {
			names = append(names, d.Name)
		}
		summary := "代表接待选民（" + r.StationName + "）"
		if r.Theme != "" {
			summary = "主题接待：" + r.Theme + "（" + r.StationName + "）"
		}
		feed.Events = append(feed.Events, lianluo.FeedEvent{
			UID: fmt.Sprintf("reception-%d@lianluo", r.ID), Start: r.StartsAt, End: r.EndsAt, Summary: summary,
			Location: r.StationName, Description: "接待代表：" + strings.Join(names, "、") + "。到站后请扫码签到。",
			Updated: r.UpdatedAt, Cancelled: r.Status == lianluo.ReceptionCancelled,
		})
	}
	// The activities a deputy is invited to, or a station organises (activity.go).
	events, err := db.activityFeed(ctx, kind, id, from)
	if err != nil {
		return nil, err
	}
	feed.Events = append(feed.Events, events...)
	return feed, nil
}
