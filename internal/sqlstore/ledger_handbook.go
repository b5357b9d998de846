package sqlstore

import (
	"context"
	"sort"
	"strconv"
	"time"

	"lianluo"
)

// handbook is one deputy's 人大代表履职手册 for the year: everything the
// records hold of their duties, in date order — the receptions and the
// activities they were on (and how they took part), the diary entries the
// voters confirmed, their confirmed duty records, and the opinions they
// received. One query per kind of record; voters masked as in every book.
func (b ledgerBuilder) handbook(ctx context.Context) ([]lianluo.LedgerRow, error) {
	type entry struct {
		at    time.Time
		order int // the kinds' order on one day
		row   lianluo.LedgerRow
	}
	var entries []entry
	add := func(at time.Time, order int, row lianluo.LedgerRow) {
		row["date"] = lianluo.LedgerDate(at)
		entries = append(entries, entry{at, order, row})
	}
	id := b.q.DeputyID
	from, to := b.q.Range()
	now := b.now.UTC()
	link := func(path string, id int64) string { return path + strconv.FormatInt(id, 10) }

	// Receptions held at the deputy's stations that they were on.
	err := eachRow(ctx, b.c, `SELECT r.id, r.starts_at, r.ends_at, s.name, s.address, i.attendance
	FROM occasion_invitees i JOIN receptions r ON i.kind = 'reception' AND r.id = i.occasion_id JOIN stations s ON s.id = r.station_id
	WHERE i.deputy_id = $1 AND r.status = $2 AND r.starts_at >= $3 AND r.starts_at < $4 AND r.starts_at <= $5`,
		[]any{id, lianluo.ReceptionPublished, from.UTC(), to.UTC(), now}, func(sc scanner) error {
			var rid int64
			var starts, ends time.Time
			var station, address, att string
			if err := sc.Scan(&rid, &starts, &ends, &station, &address, &att); err != nil {
				return err
			}
			add(starts, 0, lianluo.LedgerRow{"link": link("/console/receptions/", rid), "kind": "进站接待选民",
				"content": station + " " + starts.In(lianluo.Beijing).Format("15:04") + "–" + ends.In(lianluo.Beijing).Format("15:04"),
				"place":   address, "result": lianluo.AttendanceName(att, ends.Before(now))})
			return nil
		})
	if err != nil {
		return nil, err
	}

	// Activities (of every kind) held that they were invited to.
	err = eachRow(ctx, b.c, `SELECT a.id, a.kind, a.title, a.place, a.starts_at, a.ends_at, i.attendance
	FROM occasion_invitees i JOIN activities a ON i.kind = 'activity' AND a.id = i.occasion_id
	WHERE i.deputy_id = $1 AND a.status IN ($2, $3) AND a.starts_at >= $4 AND a.starts_at < $5 AND a.starts_at <= $6`,
		[]any{id, lianluo.ActivityPublished, lianluo.ActivityDone, from.UTC(), to.UTC(), now}, func(sc scanner) error {
			var aid int64
			var kind, title, place, att string
			var starts, ends time.Time
			if err := sc.Scan(&aid, &kind, &title, &place, &starts, &ends, &att); err != nil {
				return err
			}
			add(starts, 1, lianluo.LedgerRow{"link": link("/console/activities/", aid), "kind": "代表活动·" + lianluo.ActivityKindNames[kind],
				"content": lianluo.MaskPhonesIn(title), "place": lianluo.MaskPhonesIn(place), "result": lianluo.AttendanceName(att, ends.Before(now))})
			return nil
		})
	if err != nil {
		return nil, err
	}

	// Diary entries the voter confirmed.
	err = eachRow(ctx, b.c, `SELECT e.id, e.visited_at, e.voter_name, e.voter_phone_last4, e.place, e.content, e.handling
	FROM diary_entries e WHERE e.deputy_id = $1 AND e.status = $2 AND e.visited_at >= $3 AND e.visited_at < $4`,
		[]any{id, lianluo.DiaryConfirmed, from.UTC(), to.UTC()}, func(sc scanner) error {
			var eid int64
			var at time.Time
			var voter, last4, place, content, handling string
			if err := sc.Scan(&eid, &at, &voter, &last4, &place, &content, &handling); err != nil {
				return err
			}
			add(at, 2, lianluo.LedgerRow{"link": link("/console/diary/", eid), "kind": "民情日记",
				"content": "走访" + lianluo.LedgerVoter(voter, last4, false) + "：" + lianluo.MaskPhonesIn(content),
				"place":   lianluo.MaskPhonesIn(place), "result": lianluo.MaskPhonesIn(handling)})
			return nil
		})
	if err != nil {
		return nil, err
	}

	// Confirmed duty records, on the day of the deed.
	duties, err := confirmedDuties(ctx, b.c, id, b.q.Year)
	if err != nil {
		return nil, err
	}
	for _, d := range duties {
		at, err := time.ParseInLocation(time.DateOnly, d.Date, lianluo.Beijing)
		if err != nil {
			return nil, err
		}
		add(at, 3, lianluo.LedgerRow{"link": link("/console/duty-records/", d.ID), "kind": "履职登记·" + d.Kind,
			"content": d.Description, "result": lianluo.DutyConfirmed.Name()})
	}

	// The opinions they received, and where each stands.
	err = eachRow(ctx, b.c, handbookCasesSQL, []any{id, from.UTC(), to.UTC()}, func(sc scanner) error {
		var x ledgerCase
		if err := scanLedgerCase(sc, &x); err != nil {
			return err
		}
		add(x.at, 4, lianluo.LedgerRow{"link": link("/console/cases/", x.id), "kind": "收集群众意见",
			"content": x.voter + "反映：" + x.title, "place": x.location, "result": x.handling()})
		return nil
	})
	if err != nil {
		return nil, err
	}

	sort.SliceStable(entries, func(i, j int) bool {
		di, dj := entries[i].row["date"], entries[j].row["date"]
		if di != dj {
			return di < dj
		}
		if entries[i].order != entries[j].order {
			return entries[i].order < entries[j].order
		}
		return entries[i].at.Before(entries[j].at)
	})
	out := make([]lianluo.LedgerRow, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.row)
	}
	return out, nil
}

// handbookCasesSQL selects the cases deputy $1 received registered in
// [$2, $3): a range of case_deputies_deputy_created, then each case by its
// primary key.
const handbookCasesSQL = `SELECT ` + ledgerCaseColumns + ` FROM cases c
	WHERE c.id IN (SELECT case_id FROM case_deputies WHERE deputy_id = $1 AND created_at >= $2 AND created_at < $3)`
