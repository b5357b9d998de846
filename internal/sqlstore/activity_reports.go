// Activities as others see them: the public station page, the day-before
// reminders, attendance counts, calendar feeds, and the yearly norms (活动达标情况).

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"time"
)

// PublicActivities lists a station's published activities from a time
// (003: 向社会公布 — the public station page).
func (db *DB) PublicActivities(ctx context.Context, stationID int64, from time.Time, limit int) (_ []*lianluo.Activity, err error) {
	defer wrap(&err, "PublicActivities(%d)", stationID)
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	ctx = publicActor(ctx)
	list, _, err := findActivities(ctx, db.reader(), lianluo.ActivityFilter{StationID: stationID, Status: lianluo.ActivityPublished,
		From: &from, Page: lianluo.Page{Page: 1, PerPage: limit}})
	return list, err
}

// activityFeed lists the feed events of a deputy's invitations or a
// station's activities from a time (drafts are not shown).
func (db *DB) activityFeed(ctx context.Context, kind string, id int64, from time.Time) ([]lianluo.FeedEvent, error) {
	f := lianluo.ActivityFilter{From: &from, Page: lianluo.AllRows()}
	if kind == "deputy" {
		f.DeputyID = id
	} else {
		f.StationID = id
	}
	list, _, err := findActivities(ctx, db.reader(), f)
	if err != nil {
		return nil, err
	}
	var out []lianluo.FeedEvent
	for _, x := range list {
		if x.Status == lianluo.ActivityDraft {
			continue
		}
		desc := x.Organiser() + "组织。"
		if x.Content != "" {
			desc = x.Content + "\n" + desc
		}
		out = append(out, lianluo.FeedEvent{
			UID: fmt.Sprintf("activity-%d@lianluo", x.ID), Start: x.StartsAt, End: x.EndsAt,
			Summary:  lianluo.ActivityKindNames[x.Kind] + "：" + x.Title,
			Location: x.Place, Description: desc, Updated: x.UpdatedAt, Cancelled: x.Status == lianluo.ActivityCancelled,
		})
	}
	return out, nil
}

// ActivityYear counts, for every active station in scope, the activities
// it organised and held in a year (published or done, ended by now) by
// quarter, with the deputies invited to and present at them.
func (db *DB) ActivityYear(ctx context.Context, year int, region string) (_ []lianluo.StationActivityYear, err error) {
	defer wrap(&err, "ActivityYear(%d)", year)
	if year < 2000 || year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	var w where
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	w.add("s.active = TRUE")
	if region != "" {
		code := lianluo.NormalizeRegionCode(region)
		if code == "" {
			return nil, lianluo.FieldError("region", "地区代码格式不对。")
		}
		w.add(regionRange(&w, "s.region_code", code))
	}
	rows, err := db.reader().Query(ctx, `SELECT s.id, s.name FROM stations s`+w.String()+` ORDER BY s.region_code, s.name, s.id`, w.args...)
	if err != nil {
		return nil, err
	}
	out := []lianluo.StationActivityYear{}
	idx := map[int64]int{}
	for rows.Next() {
		var y lianluo.StationActivityYear
		if err := rows.Scan(&y.StationID, &y.StationName); err != nil {
			rows.Close()
			return nil, err
		}
		idx[y.StationID] = len(out)
		out = append(out, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, y := range out {
		ids[i] = y.StationID
	}
	var aw where
	in := aw.in(ids)
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	rows, err = db.reader().Query(ctx, `SELECT a.station_id, a.starts_at,
		(SELECT COUNT(*) FROM occasion_invitees ad WHERE ad.kind = 'activity' AND ad.occasion_id = a.id),
		(SELECT COUNT(*) FROM occasion_invitees ad WHERE ad.kind = 'activity' AND ad.occasion_id = a.id AND ad.attendance = 'present')
		FROM activities a WHERE a.station_id IN `+in+` AND a.group_id IS NULL AND a.status IN ('published', 'done')
		AND a.starts_at >= `+aw.arg(from)+` AND a.starts_at < `+aw.arg(to)+` AND a.ends_at < `+aw.arg(db.Now().UTC()), aw.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var station int64
		var starts time.Time
		var invited, present int
		if err := rows.Scan(&station, &starts, &invited, &present); err != nil {
			return nil, err
		}
		y := &out[idx[station]]
		y.Quarters[(starts.In(lianluo.Beijing).Month()-1)/3]++
		y.Held++
		y.Invitations += invited
		y.Present += present
	}
	return out, rows.Err()
}
