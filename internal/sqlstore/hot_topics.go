package sqlstore

import (
	"context"
	"time"

	"lianluo"
	"lianluo/internal/textsearch"
)

// HotTopics groups the cases of the caller's scope registered in the last
// f.Days days about the same matter (docs/statistics.md, "Hot topics"):
// the same permission and scope as CaseStats. A linked duplicate is not an
// item of its own: its master stands for it.
func (db *DB) HotTopics(ctx context.Context, f lianluo.HotTopicsFilter) (_ []lianluo.HotTopic, err error) {
	defer wrap(&err, "HotTopics")
	a, err := db.statsCheck(ctx, f.Region, f.Validate)
	if err != nil {
		return nil, err
	}
	cn := db.reader()
	var w where
	scopeStats(&w, a, "c.region_code", "COALESCE(c.station_id, 0)")
	if f.Period != nil {
		w.add("c.created_at >= " + w.arg(f.Period.From))
		w.add("c.created_at < " + w.arg(f.Period.To))
	} else {
		w.add("c.created_at >= " + w.arg(db.Now().Add(-time.Duration(f.Days)*24*time.Hour)))
	}
	w.add("c.master_id IS NULL")
	w.add("c.kind = 'opinion'") // deputies' suggestions are not voters' topics
	if f.Region != "" {
		w.add(regionRange(&w, "c.region_code", f.Region))
	}
	var items []lianluo.HotTopicItem
	if err := scanEach(ctx, cn, `SELECT c.id, c.station_id, c.category, c.title, c.content, c.created_at
		FROM cases c`+w.String()+` ORDER BY c.id`, w.args, func(sc func(...any) error) error {
		var it lianluo.HotTopicItem
		if err := sc(&it.ID, &it.StationID, &it.Category, &it.Title, &it.Content, &it.RegisteredAt); err != nil {
			return err
		}
		items = append(items, it)
		return nil
	}); err != nil {
		return nil, err
	}
	topics := lianluo.ClusterHotTopics(items, textsearch.Tokens)
	if len(topics) > lianluo.HotTopicsLimit {
		topics = topics[:lianluo.HotTopicsLimit]
	}
	return topics, nil
}

// checkStatsRegion checks the region of a statistics query: it must exist
// and lie in the caller's regions ("" is the caller's own scope). Every
// statistics query makes it.
func checkStatsRegion(ctx context.Context, cn conn, a *lianluo.Actor, region string) error {
	if region == "" {
		return nil
	}
	var n int
	if err := cn.QueryRow(ctx, `SELECT COUNT(*) FROM regions WHERE code = $1`, region).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return lianluo.FieldError("region", "没有编码为“%s”的地区。", lianluo.Truncate(region, 20))
	}
	if !a.Scope.InRegion(region) {
		return lianluo.Errorf(lianluo.EFORBIDDEN, "您没有查看该地区统计的权限。")
	}
	return nil
}
