package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lianluo"
)

// The rollups (docs/statistics.md, "Rollups"). Triggers mark every changed
// case in stats_dirty within the transaction of the change; SyncStats then
// recounts those cases with the same loader and rules as the direct count,
// stores each one's figures in case_facts, and moves the difference between
// its old and new figures into the monthly sums of case_rollups. Because a
// case's contribution is always recomputed from scratch and replaces the
// one stored, the rollups equal a direct count whatever the order or
// repetition of the changes.

// factCols are the figures stored per case and summed per rollup, in
// CaseCounts order; overdue_open depends on the moment and is counted when
// asked.
var factCols = []string{"received", "answered_directly", "not_accepted", "assigned", "replied", "replied_on_time",
	"responded", "closed", "rated", "satisfied", "voter_rated", "voter_satisfied"}

type figures [12]int

func figuresOf(c lianluo.CaseCounts) figures {
	return figures{c.Received, c.AnsweredDirectly, c.NotAccepted, c.Assigned, c.Replied, c.RepliedOnTime,
		c.Responded, c.Closed, c.Rated, c.Satisfied, c.VoterRated, c.VoterSatisfied}
}

func (f figures) counts() lianluo.CaseCounts {
	return lianluo.CaseCounts{Received: f[0], AnsweredDirectly: f[1], NotAccepted: f[2], Assigned: f[3], Replied: f[4],
		RepliedOnTime: f[5], Responded: f[6], Closed: f[7], Rated: f[8], Satisfied: f[9], VoterRated: f[10], VoterSatisfied: f[11]}
}

func (f figures) isZero() bool { return f == figures{} }

// Grouping sets of case_rollups: which dimensions a set keeps besides the
// month and the region. Sets 0–4 keep the region down to the town (a
// village's cases add to their town: statistics below a town are counted
// from case_facts, a town's few thousand cases a year); the same sets plus
// districtSets keep it down to the district, without the station, for
// questions about a city or a province. The station is kept only by the
// town set without other dimensions, so that a province's breakdown by
// category sums districts, not stations. A question about two dimensions
// at once (a station's cases by category, a unit's by status) is summed
// from case_facts: a set of every combination would hold about a row per
// case, no fewer rows than case_facts and four times its bytes.
const (
	gsetNone     = iota // + station (town level only)
	gsetCategory        // + category
	gsetChannel         // + channel
	gsetUnit            // + lead unit
	gsetStatus          // + status
	gsetCount
)

// districtSets is added to a set's number for its district-level rows, and
// yearSets for its rows of whole years (month yyyy00), so that a year is
// summed from one row where there would be twelve.
const (
	districtSets = 10
	yearSets     = 20
)

// rollupSets are the sets every case adds to.
var rollupSets = func() []int {
	var out []int
	for g := range gsetCount {
		out = append(out, g, g+districtSets, g+yearSets, g+yearSets+districtSets)
	}
	return out
}()

// Region code lengths the rollups keep: a town's, a district's.
const (
	townCodeLen     = 9
	districtCodeLen = 6
)

// rollupKey is the primary key of a case_rollups row.
type rollupKey struct {
	gset     int
	month    int
	region   string
	station  int64
	category string
	channel  string
	unit     int64
	status   string
}

// factRow is a case_facts row.
type factRow struct {
	caseID int64
	day    int
	statsDims
	due  *time.Time
	figs figures
}

// key is the rollup row of grouping set g that the case adds to.
func (r *factRow) key(g int) rollupKey {
	k := rollupKey{gset: g, month: r.month, region: r.region[:min(len(r.region), townCodeLen)]}
	if g >= yearSets {
		g -= yearSets
		k.month = r.month / 100 * 100
	}
	if g >= districtSets {
		g -= districtSets
		k.region = r.region[:min(len(r.region), districtCodeLen)]
	} else if g == gsetNone {
		k.station = r.station
	}
	if g == gsetCategory {
		k.category = r.category
	}
	if g == gsetChannel {
		k.channel = r.channel
	}
	if g == gsetUnit {
		k.unit = r.unit
	}
	if g == gsetStatus {
		k.status = r.status
	}
	return k
}

// same reports whether two rows of one case are equal.
func (r *factRow) same(o *factRow) bool {
	a, b := *r, *o
	a.due, b.due = nil, nil
	if a != b || (r.due == nil) != (o.due == nil) {
		return false
	}
	return r.due == nil || r.due.Equal(*o.due)
}

// factRowOf is the stored row of a loaded case; nil for a case that is not
// counted (a linked duplicate).
func factRowOf(id int64, s *statsCase) *factRow {
	if !s.facts.Counted() {
		return nil
	}
	r := &factRow{caseID: id, statsDims: s.dims(), due: s.facts.DueDate}
	_, r.day = beijingMonthDay(s.facts.RegisteredAt)
	// The zero time: overdue_open is not stored.
	r.figs = figuresOf(lianluo.CountCase(s.facts, time.Time{}))
	return r
}

// statsLock serializes the writers of the rollups on PostgreSQL (on SQLite
// the single writer connection does).
func (tx *Tx) statsLock(ctx context.Context) error {
	if tx.db.Dialect != "postgres" {
		return nil
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7316211)`)
	return err
}

// syncBatch is how many marks one catch-up transaction takes. On SQLite a
// batch is one group-commit unit, whose savepoint journals the pages it
// changes in memory: 2,000 marks took a server catching up at a million
// cases to 167–169 MB, 500 to 134–136 MB (docs/statistics.md).
const syncBatch = 500

// SyncStats brings the rollups up to date with every change committed
// before it was called. Statistics call it before answering, and a job
// calls it every minute so that there is seldom anything left to do.
func (db *DB) SyncStats(ctx context.Context) (err error) {
	defer wrap(&err, "SyncStats")
	var last int64
	if err := db.reader().QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM stats_dirty`).Scan(&last); err != nil || last == 0 {
		return err
	}
	for {
		n, err := db.syncStatsBatch(ctx, last)
		if err != nil || n == 0 {
			return err
		}
	}
}

// StatsBacklog is how many changes the rollups have still to take in.
func (db *DB) StatsBacklog(ctx context.Context) (n int, err error) {
	defer wrap(&err, "StatsBacklog")
	err = db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM stats_dirty`).Scan(&n)
	return n, err
}

// syncStatsBatch recounts the cases of the oldest marks up to seq last and
// removes those marks; it returns how many marks it took.
func (db *DB) syncStatsBatch(ctx context.Context, last int64) (int, error) {
	n := 0
	err := db.transact(ctx, func(tx *Tx) error {
		if err := tx.statsLock(ctx); err != nil {
			return err
		}
		var seqs, ids []int64
		seen := map[int64]bool{}
		err := scanEach(ctx, tx.conn, `SELECT seq, case_id FROM stats_dirty WHERE seq <= $1 ORDER BY seq LIMIT `+fmt.Sprint(syncBatch),
			[]any{last}, func(sc func(...any) error) error {
				var seq, id int64
				if err := sc(&seq, &id); err != nil {
					return err
				}
				seqs = append(seqs, seq)
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
				return nil
			})
		if err != nil || len(seqs) == 0 {
			return err
		}
		n = len(seqs)
		if err := tx.recountCases(ctx, ids); err != nil {
			return err
		}
		var w where
		_, err = tx.Exec(ctx, `DELETE FROM stats_dirty WHERE seq IN `+w.in(seqs), w.args...)
		return err
	})
	return n, err
}

// recountCases recounts the cases ids: their new facts replace the stored
// ones, and the rollups get the difference.
func (tx *Tx) recountCases(ctx context.Context, ids []int64) error {
	var w where
	w.add("c.id IN " + w.in(ids))
	cases, _, err := loadStatsCases(ctx, tx.conn, &w)
	if err != nil {
		return err
	}
	old, err := tx.loadFactRows(ctx, ids)
	if err != nil {
		return err
	}
	delta := map[rollupKey]*figures{}
	var fresh []*factRow
	for _, id := range ids {
		var nr *factRow
		if s := cases[id]; s != nil {
			nr = factRowOf(id, s)
		}
		or := old[id]
		if or != nil && nr != nil && or.same(nr) {
			fresh = append(fresh, nr) // deleted below like the others
			continue
		}
		addToRollups(delta, or, -1)
		addToRollups(delta, nr, +1)
		if nr != nil {
			fresh = append(fresh, nr)
		}
	}
	var dw where
	if _, err := tx.Exec(ctx, `DELETE FROM case_facts WHERE case_id IN `+dw.in(ids), dw.args...); err != nil {
		return err
	}
	if err := tx.insertFactRows(ctx, fresh); err != nil {
		return err
	}
	return tx.applyRollupDelta(ctx, delta)
}

// addToRollups adds sign times the figures of r (nil: none) to each of its
// rollup rows in delta.
func addToRollups(delta map[rollupKey]*figures, r *factRow, sign int) {
	if r == nil {
		return
	}
	for _, g := range rollupSets {
		k := r.key(g)
		d := delta[k]
		if d == nil {
			d = &figures{}
			delta[k] = d
		}
		for i, v := range r.figs {
			d[i] += sign * v
		}
	}
}

// loadFactRows reads the stored facts of the cases ids.
func (tx *Tx) loadFactRows(ctx context.Context, ids []int64) (map[int64]*factRow, error) {
	out := map[int64]*factRow{}
	var w where
	err := scanEach(ctx, tx.conn, `SELECT case_id, day, month, region_code, station_id, category, channel, unit_id, status, due_at, `+
		strings.Join(factCols, ", ")+` FROM case_facts WHERE case_id IN `+w.in(ids), w.args, func(sc func(...any) error) error {
		r := &factRow{}
		dest := []any{&r.caseID, &r.day, &r.month, &r.region, &r.station, &r.category, &r.channel, &r.unit, &r.status, &r.due}
		for i := range r.figs {
			dest = append(dest, &r.figs[i])
		}
		if err := sc(dest...); err != nil {
			return err
		}
		if r.due != nil {
			t := r.due.UTC()
			r.due = &t
		}
		out[r.caseID] = r
		return nil
	})
	return out, err
}

// insertFactRows writes rows to case_facts, many to a statement.
func (tx *Tx) insertFactRows(ctx context.Context, rows []*factRow) error {
	per := 200
	if tx.db.Dialect == SQLite {
		per = 20 // modernc binds parameters by a linear search: a statement costs the square of its parameters
	}
	return tx.insertFactRowsBy(ctx, rows, per)
}

// insertFactRowsBy writes rows to case_facts, per rows to a statement.
func (tx *Tx) insertFactRowsBy(ctx context.Context, rows []*factRow, per int) error {
	for len(rows) > 0 {
		n := min(per, len(rows))
		var w where
		var vals []string
		for _, r := range rows[:n] {
			v := []string{w.arg(r.caseID), w.arg(r.day), w.arg(r.month), w.arg(r.region), w.arg(r.station),
				w.arg(r.category), w.arg(r.channel), w.arg(r.unit), w.arg(r.status), w.arg(r.due)}
			for _, f := range r.figs {
				v = append(v, w.arg(f))
			}
			vals = append(vals, "("+strings.Join(v, ", ")+")")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_facts (case_id, day, month, region_code, station_id, category, channel,
			unit_id, status, due_at, `+strings.Join(factCols, ", ")+`) VALUES `+strings.Join(vals, ",\n"), w.args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// applyRollupDelta adds the differences to case_rollups and removes the
// rows left with no case.
func (tx *Tx) applyRollupDelta(ctx context.Context, delta map[rollupKey]*figures) error {
	set := make([]string, len(factCols))
	for i, c := range factCols {
		set[i] = c + " = case_rollups." + c + " + excluded." + c
	}
	upsert := `INSERT INTO case_rollups (gset, month, region_code, station_id, category, channel, unit_id, status, ` +
		strings.Join(factCols, ", ") + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8` +
		strings.Repeat(", $?", len(factCols)) + `)
		ON CONFLICT (gset, month, region_code, station_id, category, channel, unit_id, status) DO UPDATE SET ` +
		strings.Join(set, ", ")
	for i := range factCols {
		upsert = strings.Replace(upsert, "$?", fmt.Sprintf("$%d", 9+i), 1)
	}
	for k, d := range delta {
		if d.isZero() {
			continue
		}
		args := []any{k.gset, k.month, k.region, k.station, k.category, k.channel, k.unit, k.status}
		for _, v := range d {
			args = append(args, v)
		}
		if _, err := tx.Exec(ctx, upsert, args...); err != nil {
			return err
		}
		if d[0] < 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM case_rollups WHERE gset = $1 AND month = $2 AND region_code = $3
				AND station_id = $4 AND category = $5 AND channel = $6 AND unit_id = $7 AND status = $8 AND received = 0`, args[:8]...); err != nil {
				return err
			}
		}
	}
	return nil
}

// RebuildStats recounts every case from scratch: the facts of each case,
// then the rollups as their sums. One transaction, so statistics read
// before it commits see the old rollups whole; progress is told the cases
// done so far and the total.
func (db *DB) RebuildStats(ctx context.Context, progress func(done, total int)) (err error) {
	defer wrap(&err, "RebuildStats")
	return db.transact(ctx, func(tx *Tx) error {
		if err := tx.statsLock(ctx); err != nil {
			return err
		}
		var last int64
		var total int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM stats_dirty`).Scan(&last); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM cases`).Scan(&total); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM case_facts`, `DELETE FROM case_rollups`} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM stats_dirty WHERE seq <= $1`, last); err != nil {
			return err
		}
		const batch = 5000
		var after int64
		done := 0
		for {
			ids, err := queryIDs(ctx, tx.conn, `SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT `+fmt.Sprint(batch), after)
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				break
			}
			var w where
			w.add("c.id >= " + w.arg(ids[0]))
			w.add("c.id <= " + w.arg(ids[len(ids)-1]))
			cases, order, err := loadStatsCases(ctx, tx.conn, &w)
			if err != nil {
				return err
			}
			var rows []*factRow
			for _, id := range order {
				if r := factRowOf(id, cases[id]); r != nil {
					rows = append(rows, r)
				}
			}
			if err := tx.insertFactRows(ctx, rows); err != nil {
				return err
			}
			after = ids[len(ids)-1]
			done += len(ids)
			if progress != nil {
				progress(done, total)
			}
		}
		return tx.sumRollups(ctx)
	})
}

// sumRollups fills case_rollups from case_facts, one grouping set at a time.
func (tx *Tx) sumRollups(ctx context.Context) error {
	sums := make([]string, len(factCols))
	for i, c := range factCols {
		sums[i] = "SUM(" + c + ")"
	}
	for _, set := range rollupSets {
		g, codeLen, month := set, townCodeLen, "month"
		if g >= yearSets {
			g, month = g-yearSets, "(month / 100) * 100"
		}
		if g >= districtSets {
			g, codeLen = g-districtSets, districtCodeLen
		}
		// Each dimension: the column where the set keeps it, else its zero.
		dim := func(col, zero string, keep bool) (sel, group string) {
			if keep {
				return col, ", " + col
			}
			return zero, ""
		}
		region := fmt.Sprintf("SUBSTR(region_code, 1, %d)", codeLen)
		station, gStation := dim("station_id", "0", codeLen == townCodeLen && g == gsetNone)
		category, gCategory := dim("category", "''", g == gsetCategory)
		channel, gChannel := dim("channel", "''", g == gsetChannel)
		unit, gUnit := dim("unit_id", "0", g == gsetUnit)
		status, gStatus := dim("status", "''", g == gsetStatus)
		// Only columns in GROUP BY: PostgreSQL reads a number there as a position.
		if _, err := tx.Exec(ctx, `INSERT INTO case_rollups (gset, month, region_code, station_id, category, channel, unit_id, status, `+
			strings.Join(factCols, ", ")+`) SELECT `+fmt.Sprintf("%d, %s, %s, %s, %s, %s, %s, %s, ", set, month, region, station, category, channel, unit, status)+
			strings.Join(sums, ", ")+` FROM case_facts GROUP BY `+month+`, `+region+gStation+gCategory+gChannel+gUnit+gStatus); err != nil {
			return err
		}
	}
	return nil
}
