package sqlstore

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// statsCase is one case as the direct count reads it: its facts and the
// values it may be grouped on.
type statsCase struct {
	facts     lianluo.CaseFacts
	round     int
	origDue   *time.Time
	extUntil  *time.Time
	extOK     bool
	extAt     *time.Time
	region    string
	stationID *int64
	category  string
	channel   string
	leadUnit  *int64
	replyRnd  int
	approveAt []approveNote // approve events, oldest first
}

type approveNote struct {
	at      time.Time
	comment string
}

// statsCheck checks that the caller may see statistics, the filter
// (validate), and that its region exists and lies in the caller's scope.
func (db *DB) statsCheck(ctx context.Context, region string, validate func() error) (*lianluo.Actor, error) {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanSeeStats(a) {
		return nil, lianluo.Forbidden()
	}
	if err := validate(); err != nil {
		return nil, err
	}
	if err := checkStatsRegion(ctx, db.reader(), a, region); err != nil {
		return nil, err
	}
	return a, nil
}

// scopeStats limits statistics to the caller's territory: the regions of
// office staff and leaders (their NPC bodies' regions, which hold every
// case in those bodies' queues: a case escalated goes up to a body whose
// region contains it), the stations of station staff. A deputy's or unit's
// own cases are their work lists, not a territory, so a station head who is
// also a deputy counts their stations.
func scopeStats(w *where, a *lianluo.Actor, regionCol, stationCol string) {
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, regionCol, s.Regions)
	if len(s.Stations) > 0 {
		or = append(or, stationCol+" IN "+w.in(s.Stations))
	}
	if len(or) == 0 {
		or = []string{"1 = 0"}
	}
	addOr(w, or)
}

// loadStatsCases reads the facts of the cases c chosen by w: the case row,
// its history, replies, ratings and lead unit.
func loadStatsCases(ctx context.Context, cn conn, w *where) (map[int64]*statsCase, []int64, error) {
	chosen := "(SELECT c.id FROM cases c" + w.String() + ")"
	cases := map[int64]*statsCase{}
	var order []int64
	rows, err := cn.Query(ctx, `SELECT c.id, c.created_at, c.status, c.master_id, c.round, c.due_at, c.original_due_at,
		c.ext_until, c.ext_approved, c.ext_decided_at, c.region_code, c.station_id, c.category, c.channel,
		EXISTS (SELECT 1 FROM case_deputies cd WHERE cd.case_id = c.id), c.kind
		FROM cases c`+w.String()+` ORDER BY c.id`, w.args...)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id int64
		s := &statsCase{}
		if err := rows.Scan(&id, &s.facts.RegisteredAt, &s.facts.Status, &s.facts.MasterID, &s.round, &s.facts.DueDate, &s.origDue,
			&s.extUntil, &s.extOK, &s.extAt, &s.region, &s.stationID, &s.category, &s.channel, &s.facts.ReceivedByDeputy, &s.facts.Kind); err != nil {
			rows.Close()
			return nil, nil, err
		}
		cases[id] = s
		order = append(order, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(order) == 0 {
		return cases, order, nil
	}
	// The history: the latest triage, whether the case was ever assigned or
	// awaiting evaluation, and the approvals (with the deadline they set).
	if err := scanEach(ctx, cn, `SELECT case_id, at, action, to_status, comment FROM case_events
		WHERE case_id IN `+chosen+` AND (action IN ('triage', 'approve') OR to_status IN ('assigned', 'awaiting_evaluation')) ORDER BY id`,
		w.args, func(sc func(...any) error) error {
			var id int64
			var at time.Time
			var comment string
			var action lianluo.WorkflowAction
			var to lianluo.CaseStatus
			if err := sc(&id, &at, &action, &to, &comment); err != nil {
				return err
			}
			s := cases[id]
			if s == nil {
				return nil
			}
			if action == lianluo.ActTriage {
				s.facts.Triage = triageOutcome(to)
			}
			if action == lianluo.ActApprove {
				s.approveAt = append(s.approveAt, approveNote{at, comment})
			}
			switch to {
			case lianluo.StatusAssigned:
				s.facts.EverAssigned = true
			case lianluo.StatusAwaitingEvaluation:
				s.facts.EverAwaitingEvaluation = true
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	// The first reply (replies are one per round, the first round first).
	if err := scanEach(ctx, cn, `SELECT case_id, round, at FROM case_replies WHERE case_id IN `+chosen+` ORDER BY round`,
		w.args, func(sc func(...any) error) error {
			var id int64
			var round int
			var at time.Time
			if err := sc(&id, &round, &at); err != nil {
				return err
			}
			if s := cases[id]; s != nil && s.facts.FirstReplyAt == nil {
				s.facts.FirstReplyAt, s.replyRnd = &at, round
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	// The latest rating of each evaluator.
	if err := scanEach(ctx, cn, `SELECT case_id, by_kind, rating FROM case_ratings WHERE case_id IN `+chosen+` ORDER BY round, id`,
		w.args, func(sc func(...any) error) error {
			var id int64
			var by, rating string
			if err := sc(&id, &by, &rating); err != nil {
				return err
			}
			if s := cases[id]; s != nil {
				if by == lianluo.ByDeputy {
					s.facts.DeputyRating = rating
				} else {
					s.facts.VoterRating = rating
				}
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	// The lead unit: of the latest round that has one.
	if err := scanEach(ctx, cn, `SELECT case_id, org_id FROM case_units WHERE lead = TRUE AND case_id IN `+chosen+` ORDER BY round, active`,
		w.args, func(sc func(...any) error) error {
			var id, org int64
			if err := sc(&id, &org); err != nil {
				return err
			}
			if s := cases[id]; s != nil {
				s.leadUnit = &org
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	for _, s := range cases {
		s.facts.DueAtFirstReply = s.dueAtFirstReply()
	}
	return cases, order, nil
}

// CaseStatsDirect counts the cases of the caller's scope registered in the
// period (docs/statistics.md): the facts of every case are read, each case
// counted with lianluo.CountCase, and the counts summed per group. This is
// the reference the rollups (CaseStats) are tested against, and the way
// periods that do not start and end at a Beijing midnight are counted.
func (db *DB) CaseStatsDirect(ctx context.Context, f lianluo.StatsFilter) (_ *lianluo.CaseStatsResult, err error) {
	defer wrap(&err, "CaseStatsDirect")
	a, err := db.statsCheck(ctx, f.Region, f.Validate)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	cn := db.reader()

	// The chosen cases, as a WHERE on cases c.
	var w where
	scopeStats(&w, a, "c.region_code", "COALESCE(c.station_id, 0)")
	w.add("c.created_at >= " + w.arg(f.Period.From))
	w.add("c.created_at < " + w.arg(f.Period.To))
	if f.Region != "" {
		w.add(regionRange(&w, "c.region_code", f.Region))
	}
	if f.StationID > 0 {
		w.add("c.station_id = " + w.arg(f.StationID))
	}
	if f.Category != "" {
		w.add("c.category = " + w.arg(f.Category))
	}
	cases, order, err := loadStatsCases(ctx, cn, &w)
	if err != nil {
		return nil, err
	}

	g, err := db.statsGrouper(ctx, a, f)
	if err != nil {
		return nil, err
	}
	var totals lianluo.CaseCounts
	groups := map[string]*lianluo.CaseCounts{}
	for _, id := range order {
		s := cases[id]
		if f.UnitID > 0 && (s.leadUnit == nil || *s.leadUnit != f.UnitID) {
			continue
		}
		c := lianluo.CountCase(s.facts, now)
		totals = totals.Plus(c)
		if f.GroupBy == "" || !s.facts.Counted() {
			continue
		}
		g.add(groups, g.key(s.dims()), c)
	}
	return g.result(ctx, totals, groups)
}

// add adds c to the group key.
func (g *statsGrouper) add(groups map[string]*lianluo.CaseCounts, key string, c lianluo.CaseCounts) {
	r := groups[key]
	if r == nil {
		r = &lianluo.CaseCounts{}
		groups[key] = r
	}
	*r = r.Plus(c)
}

// result names and sorts the groups, and computes every rate.
func (g *statsGrouper) result(ctx context.Context, totals lianluo.CaseCounts, groups map[string]*lianluo.CaseCounts) (*lianluo.CaseStatsResult, error) {
	res := &lianluo.CaseStatsResult{Totals: totals.WithRates(), Rows: []lianluo.StatsRow{}}
	keys := make([]string, 0, len(groups))
	for key := range groups {
		keys = append(keys, key)
	}
	names, err := g.names(ctx, keys)
	if err != nil {
		return nil, err
	}
	for key, c := range groups {
		res.Rows = append(res.Rows, lianluo.StatsRow{Key: key, Name: names[key], CaseCounts: c.WithRates()})
	}
	lianluo.SortStatsRows(g.groupBy, res.Rows)
	return res, nil
}

// scanEach runs q and hands each row's Scan to fn.
func scanEach(ctx context.Context, cn conn, q string, args []any, fn func(sc func(...any) error) error) error {
	rows, err := cn.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// triageOutcome maps the status a triage led to onto its outcome.
func triageOutcome(to lianluo.CaseStatus) string {
	switch to {
	case lianluo.StatusAnswered:
		return lianluo.TriageAnswered
	case lianluo.StatusExplained:
		return lianluo.TriageExplained
	case lianluo.StatusNotAccepted:
		return lianluo.TriageNotAccepted
	}
	return lianluo.TriageForward
}

// approveDue reads the deadline an approval set from its history note
// ("交办：主办 …，期限 2026-03-31").
var approveDue = regexp.MustCompile(`期限 ([0-9]{4})-([0-9]{2})-([0-9]{2})`)

// dueAtFirstReply is the deadline in force at the first reply
// (docs/statistics.md): an extension approved before the reply; else, while
// the case is still in the round of its first reply, the deadline that
// round started with; else (supervised since, which reset the deadline)
// the end of the day the latest approval before the reply named.
func (s *statsCase) dueAtFirstReply() *time.Time {
	r := s.facts.FirstReplyAt
	if r == nil {
		return nil
	}
	if s.extOK && s.extUntil != nil && s.extAt != nil && !s.extAt.After(*r) {
		return s.extUntil
	}
	if s.round == s.replyRnd {
		return s.origDue
	}
	var due *time.Time
	for _, n := range s.approveAt {
		if n.at.After(*r) {
			break
		}
		if m := approveDue.FindStringSubmatch(n.comment); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			t := time.Date(y, time.Month(mo), d, 23, 59, 59, 0, lianluo.Beijing).UTC()
			due = &t
		}
	}
	return due
}

// statsGrouper gives a case its group key and a key its Chinese name.
type statsGrouper struct {
	db       *DB
	groupBy  string
	children []string // GroupByRegion: the direct sub-regions, longest first
	base     string
}

func (db *DB) statsGrouper(ctx context.Context, a *lianluo.Actor, f lianluo.StatsFilter) (*statsGrouper, error) {
	g := &statsGrouper{db: db, groupBy: f.GroupBy}
	if f.GroupBy != lianluo.GroupByRegion {
		return g, nil
	}
	g.base = f.Region
	if g.base == "" && len(a.Scope.Regions) == 1 {
		g.base = a.Scope.Regions[0]
	}
	rows, err := db.reader().Query(ctx, `SELECT code FROM regions WHERE parent_code = $1 ORDER BY code`, g.base)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		g.children = append(g.children, code)
	}
	return g, rows.Err()
}

// statsDims are the values a case is grouped and filtered on.
type statsDims struct {
	region   string
	station  int64 // 0: none
	category string
	channel  string
	unit     int64 // 0: none
	month    int   // yyyymm, Beijing
	status   string
}

func (s *statsCase) dims() statsDims {
	d := statsDims{region: s.region, category: s.category, channel: s.channel, status: string(s.facts.Status)}
	if s.stationID != nil {
		d.station = *s.stationID
	}
	if s.leadUnit != nil {
		d.unit = *s.leadUnit
	}
	d.month, _ = beijingMonthDay(s.facts.RegisteredAt)
	return d
}

// beijingMonthDay gives the Beijing month (yyyymm) and date (yyyymmdd) of t.
func beijingMonthDay(t time.Time) (month, day int) {
	y, m, d := t.In(lianluo.Beijing).Date()
	month = y*100 + int(m)
	return month, month*100 + d
}

func idKey(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func (g *statsGrouper) key(d statsDims) string {
	switch g.groupBy {
	case lianluo.GroupByRegion:
		for _, c := range g.children {
			if strings.HasPrefix(d.region, c) {
				return c
			}
		}
		if g.base != "" && strings.HasPrefix(d.region, g.base) {
			return g.base
		}
		return d.region
	case lianluo.GroupByStation:
		return idKey(d.station)
	case lianluo.GroupByCategory:
		return d.category
	case lianluo.GroupByChannel:
		return d.channel
	case lianluo.GroupByUnit:
		return idKey(d.unit)
	case lianluo.GroupByMonth:
		return fmt.Sprintf("%04d-%02d", d.month/100, d.month%100)
	case lianluo.GroupByStatus:
		return d.status
	}
	return ""
}

// names gives the Chinese name of each group key, looking names up a few
// hundred at a time (a province has thousands of stations).
func (g *statsGrouper) names(ctx context.Context, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	lookup := func(q string, empty string, key func(string) (any, bool)) error {
		var args []any
		for _, k := range keys {
			out[k] = k // a key not in its table keeps the key
			if k == "" {
				out[k] = empty
			} else if v, ok := key(k); ok {
				args = append(args, v)
			}
		}
		for len(args) > 0 {
			n := min(len(args), 500)
			var w where
			var ph []string
			for _, a := range args[:n] {
				ph = append(ph, w.arg(a))
			}
			err := scanEach(ctx, g.db.reader(), strings.Replace(q, "(?)", "("+strings.Join(ph, ", ")+")", 1), w.args,
				func(sc func(...any) error) error {
					var k, name string
					if err := sc(&k, &name); err != nil {
						return err
					}
					out[k] = name
					return nil
				})
			if err != nil {
				return err
			}
			args = args[n:]
		}
		return nil
	}
	id := func(k string) (any, bool) {
		v, err := strconv.ParseInt(k, 10, 64)
		return v, err == nil
	}
	switch g.groupBy {
	case lianluo.GroupByRegion:
		if err := lookup(`SELECT code, name FROM regions WHERE code IN (?)`, "", func(k string) (any, bool) { return k, true }); err != nil {
			return nil, err
		}
		if n, ok := out[g.base]; ok {
			out[g.base] = n + "（本级）"
		}
		return out, nil
	case lianluo.GroupByStation:
		return out, lookup(`SELECT CAST(id AS TEXT), name FROM stations WHERE id IN (?)`, "未经联络站", id)
	case lianluo.GroupByUnit:
		return out, lookup(`SELECT CAST(id AS TEXT), name FROM orgs WHERE id IN (?)`, "未交办", id)
	}
	for _, key := range keys {
		out[key] = key
		switch g.groupBy {
		case lianluo.GroupByCategory:
			if key == "" {
				out[key] = "未分类"
			}
		case lianluo.GroupByChannel:
			if n, ok := lianluo.ChannelNames[key]; ok {
				out[key] = n
			}
		case lianluo.GroupByMonth:
			if t, err := time.Parse("2006-01", key); err == nil {
				out[key] = fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
			}
		case lianluo.GroupByStatus:
			if n, ok := lianluo.StatusNames[lianluo.CaseStatus(key)]; ok {
				out[key] = n
			}
		}
	}
	return out, nil
}
