package schedule

import (
	"fmt"
	"slices"
	"time"

	"lianluo"
)

// MinPerSession is the fewest deputies a reception may have (001 二(一):
// 至少要有2名以上（含2名）代表). A smaller PerSession is raised to it.
const MinPerSession = 2

// DateRange is a span of Beijing dates, both ends included; a zero To means
// the single day From. Only the dates of From and To matter.
type DateRange struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// contains reports whether the Beijing date day (a midnight) lies in r.
func (r DateRange) contains(day time.Time) bool {
	to := r.To
	if to.IsZero() {
		to = r.From
	}
	return !day.Before(beijingDate(r.From)) && !day.After(beijingDate(to))
}

// TimeRange is a span of time, Starts included and Ends excluded, so a
// booking ending at 11:00 does not clash with one starting at 11:00.
type TimeRange struct {
	Starts time.Time `json:"starts"`
	Ends   time.Time `json:"ends"`
}

func (r TimeRange) overlaps(o TimeRange) bool {
	return r.Starts.Before(o.Ends) && o.Starts.Before(r.Ends)
}

// RotaDeputy is what the rota needs to know of one of the station's deputies.
type RotaDeputy struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Leader bool   `json:"leader"` // 领导干部代表: takes part at least once (001 二(二))
	New    bool   `json:"new"`    // first term or newly elected: paired with an experienced deputy (001 四(一))

	// Unavailable are the days the deputy has declared they cannot come.
	Unavailable []DateRange `json:"unavailable,omitempty"`

	// Busy are the deputy's bookings elsewhere — at another station where
	// they hold a seat at another level, or any other engagement that rules
	// out a reception at the same time. Not this station's own sessions
	// being planned: those are what the rota decides.
	Busy []TimeRange `json:"busy,omitempty"`
}

// RotaSession is one session and the deputies on duty, in the order of the
// deputies given to Generate.
type RotaSession struct {
	Session   Session `json:"session"`
	DeputyIDs []int64 `json:"deputy_ids"`
}

// Rota (轮值表) is a station's sessions with the deputies on duty, and every
// rule the assignment does not meet.
type Rota struct {
	Sessions []RotaSession `json:"sessions"`
	Problems []Problem     `json:"problems"`
}

// Problem codes: one per rule a rota can break.
const (
	ProblemNoSessions       = "no_sessions"          // nothing to assign
	ProblemStationTooSmall  = "station_too_small"    // fewer deputies than PerSession (001 二(一))
	ProblemDuplicateDeputy  = "duplicate_deputy"     // a deputy listed twice in the input
	ProblemInvalidSession   = "invalid_session"      // a session that does not end after it starts
	ProblemUnknownDeputy    = "unknown_deputy"       // an assigned ID not among the station's deputies
	ProblemDuplicate        = "duplicate_assignment" // a deputy twice in one session
	ProblemUnavailable      = "unavailable"          // assigned on a day declared unavailable
	ProblemDoubleBooked     = "double_booked"        // assigned at a time already booked
	ProblemUnderstaffed     = "understaffed"         // fewer than PerSession deputies (001 二(一))
	ProblemNewUnpaired      = "new_unpaired"         // a new deputy with no experienced one (001 四(一))
	ProblemNoAvailableDate  = "no_available_date"    // a deputy who can come to no session (001 二(二))
	ProblemUnassigned       = "unassigned"           // a deputy with no session (001 二(二))
	ProblemLeaderUnassigned = "leader_unassigned"    // a leader deputy with no session (001 二(二))
	ProblemUnbalanced       = "unbalanced"           // loads further apart than the dates require
	ProblemTooFewSessions   = "too_few_sessions"     // fewer seats in the year than deputies (001 二(二))
	ProblemSparse           = "sparse"               // two calendar months without a session (001 二(二))
	ProblemRuleEmpty        = "rule_empty"           // a rule that gives no session in the year
)

// Problem is one rule a rota does not meet, worded for the station's office.
type Problem struct {
	Code     string    `json:"code"`
	Message  string    `json:"message"`             // plain Chinese: which rule, for whom, when
	DeputyID int64     `json:"deputy_id,omitempty"` // the deputy concerned, if one
	Starts   time.Time `json:"starts,omitzero"`     // the start of the session concerned, if one
}

// Generate assigns the station's deputies to the sessions (from one or
// several Rules; they are put in order of Starts) and lists every rule it
// could not meet. It never fails: with too few deputies, or deputies who
// cannot come, it does the best it can and says what is missing.
//
// The rules, most important first — a lower one gives way to a higher:
//
//  1. every session has at least perSession deputies (at least 2);
//  2. every leader deputy takes part at least once;
//  3. every deputy takes part at least once a year;
//  4. every session with a new deputy has an experienced one;
//  5. the loads are as even as the dates allow (within one when possible).
//
// No session gets more than perSession deputies: when the year has fewer
// seats than deputies, rule 3 gives way (leaders first, then the order
// given) and the rota reports ProblemTooFewSessions, so the office chooses
// between adding sessions and accepting — never a silently crowded session.
//  6. deputies take turns in the order given.
//
// Hard limits are never broken: nobody is put on a day they declared
// unavailable, at a time they are busy elsewhere, or in two overlapping
// sessions. The result depends only on the input: the same sessions and
// deputies in the same order give the same rota. A deputy ID listed twice
// counts once, with a problem.
//
// The rota is meant for a year's sessions, and its messages say 全年.
func Generate(sessions []Session, deputies []RotaDeputy, perSession int) Rota {
	ss := slices.Clone(sessions)
	slices.SortStableFunc(ss, func(a, b Session) int { return a.Starts.Compare(b.Starts) })
	p := newPlan(ss, deputies, perSession)
	assigned := p.solve()
	rota := Rota{Sessions: make([]RotaSession, len(ss))}
	for j, s := range ss {
		rota.Sessions[j] = RotaSession{Session: s, DeputyIDs: []int64{}}
		for i, d := range p.deputies {
			if assigned[i][j] {
				rota.Sessions[j].DeputyIDs = append(rota.Sessions[j].DeputyIDs, d.ID)
			}
		}
	}
	rota.Problems = p.check(rota, p.spread(assigned))
	return rota
}

// Check re-validates a rota the office has edited — deputies swapped, added
// or removed, sessions added — against the same rules as Generate, and
// returns every problem in session order, then deputy order. rota.Problems
// is ignored. Loads count as uneven (ProblemUnbalanced) only when Generate
// would spread them more evenly over the same sessions, so Check of a
// generated rota returns exactly the rota's Problems.
func Check(rota Rota, deputies []RotaDeputy, perSession int) []Problem {
	ss := make([]Session, len(rota.Sessions))
	for j, rs := range rota.Sessions {
		ss[j] = rs.Session
	}
	p := newPlan(ss, deputies, perSession)
	return p.check(rota, p.spread(p.solve()))
}

// plan is the prepared input of Generate and Check.
type plan struct {
	sessions []Session
	deputies []RotaDeputy  // IDs unique, in the order given
	index    map[int64]int // deputy ID → index in deputies
	per      int           // deputies per session, ≥ MinPerSession
	can      [][]bool      // can[i][j]: deputy i is free for session j
	problems []Problem     // found while preparing (duplicate deputies)
}

func newPlan(sessions []Session, deputies []RotaDeputy, per int) *plan {
	p := &plan{sessions: sessions, index: make(map[int64]int, len(deputies)), per: max(per, MinPerSession)}
	for _, d := range deputies {
		if _, dup := p.index[d.ID]; dup {
			p.problems = append(p.problems, Problem{
				Code:     ProblemDuplicateDeputy,
				Message:  fmt.Sprintf("代表名单中%s（编号%d）出现了不止一次，只按第一次计算。", name(d), d.ID),
				DeputyID: d.ID,
			})
			continue
		}
		p.index[d.ID] = len(p.deputies)
		p.deputies = append(p.deputies, d)
	}
	p.can = make([][]bool, len(p.deputies))
	for i, d := range p.deputies {
		p.can[i] = make([]bool, len(sessions))
		for j, s := range sessions {
			p.can[i][j] = validSession(s) && free(d, s)
		}
	}
	return p
}

func validSession(s Session) bool { return s.Ends.After(s.Starts) }

// free reports whether d has declared nothing that rules out session s.
func free(d RotaDeputy, s Session) bool {
	day := beijingDate(s.Starts)
	if slices.ContainsFunc(d.Unavailable, func(r DateRange) bool { return r.contains(day) }) {
		return false
	}
	span := TimeRange{s.Starts, s.Ends}
	return !slices.ContainsFunc(d.Busy, span.overlaps)
}

func name(d RotaDeputy) string {
	if d.Name == "" {
		return fmt.Sprintf("编号%d的代表", d.ID)
	}
	return d.Name
}

// solve finds the assignment that best meets the rules of Generate, as a
// min-cost flow: source → deputy → [deputy's slot in a group of overlapping
// sessions] → session (experienced deputies through the session's
// "experienced" node) → sink. The costs on the source and sink arcs encode
// the rules; see the cost components in flow.go.
func (p *plan) solve() [][]bool {
	n, m := len(p.deputies), len(p.sessions)
	assigned := make([][]bool, n)
	for i := range assigned {
		assigned[i] = make([]bool, m)
	}
	var g network
	src, sink := g.node(), g.node()
	sess := make([]int, m)
	exp := make([]int, m)
	for j, s := range p.sessions {
		if !validSession(s) {
			continue
		}
		sess[j], exp[j] = g.node(), g.node()
		g.edge(exp[j], sess[j], 1, costOf(costPair, -1))
		g.edge(exp[j], sess[j], n, cost{})
		// No seats beyond perSession: a year with too few sessions for
		// every deputy is reported (ProblemTooFewSessions), not overfilled.
		g.edge(sess[j], sink, p.per, costOf(costStaff, -1))
	}
	group, size := p.overlapGroups()
	type use struct{ u, arc, i, j int }
	var uses []use
	for i, d := range p.deputies {
		nfree := 0
		for j := range p.sessions {
			if p.can[i][j] {
				nfree++
			}
		}
		if nfree == 0 {
			continue
		}
		dn := g.node()
		// The k-th session of a deputy costs k: the sum grows with the
		// square of the load, so the cheapest rota is the most even one.
		for k := 1; k <= nfree; k++ {
			c := costOf(costBalance, int64(k))
			if k == 1 && d.Leader {
				c[costLeader] = -1
			} else if k == 1 {
				c[costCover] = -1
			}
			g.edge(src, dn, 1, c)
		}
		slot := map[int]int{} // overlap group → the deputy's node for it
		for j := range p.sessions {
			if !p.can[i][j] {
				continue
			}
			target := exp[j]
			if d.New {
				target = sess[j]
			}
			from := dn
			if size[group[j]] > 1 {
				node, ok := slot[group[j]]
				if !ok {
					node = g.node()
					g.edge(dn, node, 1, cost{})
					slot[group[j]] = node
				}
				from = node
			}
			arc := g.edge(from, target, 1, costOf(costRotation, int64(p.rotation(i, j))))
			uses = append(uses, use{from, arc, i, j})
		}
	}
	g.minCost(src, sink)
	for _, u := range uses {
		if g.flow(u.u, u.arc, 1) == 1 {
			assigned[u.i][u.j] = true
		}
	}
	return assigned
}

// rotation is how far session j is from deputy i's turn if the seats
// (perSession per session, in order) were dealt round-robin to the
// deputies in the order given: 0 on the deputy's turn.
func (p *plan) rotation(i, j int) int {
	n := len(p.deputies)
	best := n
	for q := j * p.per; q < (j+1)*p.per; q++ {
		best = min(best, ((q-i)%n+n)%n)
	}
	return best
}

// overlapGroups puts sessions whose times overlap, directly or through
// others, in one group; a deputy takes at most one session of a group.
// Generous for chains (A overlaps B overlaps C, A and C apart), which only
// happen in hand-made rotas.
func (p *plan) overlapGroups() (group []int, size map[int]int) {
	order := make([]int, 0, len(p.sessions))
	for j, s := range p.sessions {
		if validSession(s) {
			order = append(order, j)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return p.sessions[a].Starts.Compare(p.sessions[b].Starts)
	})
	group = make([]int, len(p.sessions))
	size = map[int]int{}
	g := -1
	var end time.Time
	for _, j := range order {
		s := p.sessions[j]
		if g < 0 || !s.Starts.Before(end) {
			g++
			end = s.Ends
		} else if s.Ends.After(end) {
			end = s.Ends
		}
		group[j] = g
		size[g]++
	}
	return group, size
}

// spread is the difference between the most and the fewest sessions of the
// deputies who are free for any session.
func (p *plan) spread(assigned [][]bool) int {
	lo, hi := -1, -1
	for i := range p.deputies {
		if !slices.Contains(p.can[i], true) {
			continue
		}
		load := 0
		for _, a := range assigned[i] {
			if a {
				load++
			}
		}
		if lo < 0 || load < lo {
			lo = load
		}
		hi = max(hi, load)
	}
	return hi - lo
}

// check lists the problems of rota, whose sessions are p.sessions. Loads
// more than one apart are reported only when they are further apart than
// best, the spread Generate reaches.
func (p *plan) check(rota Rota, best int) []Problem {
	problems := slices.Clone(p.problems)
	add := func(code string, deputyID int64, starts time.Time, format string, args ...any) {
		problems = append(problems, Problem{Code: code, Message: fmt.Sprintf(format, args...), DeputyID: deputyID, Starts: starts})
	}
	n := len(p.deputies)
	switch {
	case len(rota.Sessions) == 0:
		add(ProblemNoSessions, 0, time.Time{}, "没有可以安排代表的接待日期。")
	case n == 0:
		add(ProblemStationTooSmall, 0, time.Time{}, "站内还没有代表，每次接待至少需要%d名。", p.per)
	case n < p.per:
		add(ProblemStationTooSmall, 0, time.Time{}, "站内只有%d名代表，每次接待至少需要%d名。", n, p.per)
	}

	// 001 二(二): every deputy at least once a year — impossible when the
	// year's seats are fewer than the deputies who could come.
	if seats, want := p.per*p.validSessions(), p.reachable(); n >= p.per && want > seats {
		add(ProblemTooFewSessions, 0, time.Time{},
			"本年度只有%d场接待，每场%d名代表，无法让全部%d名代表每年至少进站一次（还差%d名）。可增加接待场次，或接受本年度部分代表不轮值。",
			p.validSessions(), p.per, want, want-seats)
	}

	labels := p.labels()
	loads := make([]int, n)
	on := make([][]int, len(rota.Sessions)) // session → distinct known deputies on duty
	for j, rs := range rota.Sessions {
		s, at := rs.Session, labels[j]
		if !validSession(s) {
			add(ProblemInvalidSession, 0, s.Starts, "%s 的接待结束时间不晚于开始时间，请修改。", at)
			continue
		}
		for _, id := range rs.DeputyIDs {
			i, ok := p.index[id]
			if !ok {
				add(ProblemUnknownDeputy, id, s.Starts, "%s 的接待安排了不在本站代表名单中的代表（编号%d）。", at, id)
				continue
			}
			d := p.deputies[i]
			if slices.Contains(on[j], i) {
				add(ProblemDuplicate, id, s.Starts, "%s在%s的接待中重复出现。", name(d), at)
				continue
			}
			// A deputy who cannot come still counts towards the session's
			// size: the office sees why they cannot come, and once they
			// remove them, that the session is short.
			on[j] = append(on[j], i)
			loads[i]++
			day := beijingDate(s.Starts)
			span := TimeRange{s.Starts, s.Ends}
			switch {
			case slices.ContainsFunc(d.Unavailable, func(r DateRange) bool { return r.contains(day) }):
				add(ProblemUnavailable, id, s.Starts, "%s已申报%s不能参加，却被安排了接待。", name(d), day.Format(time.DateOnly))
			case slices.ContainsFunc(d.Busy, span.overlaps):
				add(ProblemDoubleBooked, id, s.Starts, "%s在%s %s–%s已有其他接待安排，不能重复安排。",
					name(d), day.Format(time.DateOnly), s.Starts.In(lianluo.Beijing).Format("15:04"), s.Ends.In(lianluo.Beijing).Format("15:04"))
			}
			for k := range j {
				o := rota.Sessions[k].Session
				if validSession(o) && slices.Contains(on[k], i) && span.overlaps(TimeRange{o.Starts, o.Ends}) {
					add(ProblemDoubleBooked, id, s.Starts, "%s同时被安排了%s和%s两场时间重叠的接待。", name(d), labels[k], at)
				}
			}
		}

		if len(on[j]) < p.per {
			nfree := 0
			for i := range p.deputies {
				if p.can[i][j] {
					nfree++
				}
			}
			switch {
			case nfree == 0:
				add(ProblemUnderstaffed, 0, s.Starts, "%s 的接待没有代表可以参加（至少需要%d名）。", at, p.per)
			case nfree < p.per:
				add(ProblemUnderstaffed, 0, s.Starts, "%s 的接待只有%d名代表可以参加（至少需要%d名）。", at, nfree, p.per)
			case len(on[j]) == 0:
				add(ProblemUnderstaffed, 0, s.Starts, "%s 的接待还没有安排代表（至少需要%d名）。", at, p.per)
			default:
				add(ProblemUnderstaffed, 0, s.Starts, "%s 的接待只安排了%d名代表（至少需要%d名）。", at, len(on[j]), p.per)
			}
		}
		if !slices.ContainsFunc(on[j], func(i int) bool { return !p.deputies[i].New }) {
			for _, i := range on[j] {
				d := p.deputies[i]
				add(ProblemNewUnpaired, d.ID, s.Starts, "新任代表%s在%s没有有经验的代表同场。", name(d), at)
			}
		}
	}

	for i, d := range p.deputies {
		if loads[i] > 0 {
			continue
		}
		who := name(d)
		if d.Leader {
			who = "领导干部代表" + who
		}
		switch {
		case len(rota.Sessions) == 0:
		case !slices.Contains(p.can[i], true):
			add(ProblemNoAvailableDate, d.ID, time.Time{}, "%s全年没有可以参加的接待日期。", who)
		case d.Leader:
			add(ProblemLeaderUnassigned, d.ID, time.Time{}, "%s全年没有安排接待。", who)
		default:
			add(ProblemUnassigned, d.ID, time.Time{}, "%s全年没有安排接待。", who)
		}
	}

	hi, lo := -1, -1
	for i := range p.deputies {
		if !slices.Contains(p.can[i], true) {
			continue
		}
		if hi < 0 || loads[i] > loads[hi] {
			hi = i
		}
		if lo < 0 || loads[i] < loads[lo] {
			lo = i
		}
	}
	if hi >= 0 {
		if spread := loads[hi] - loads[lo]; spread > 1 && spread > best {
			fewest := fmt.Sprintf("%s只有%d次", name(p.deputies[lo]), loads[lo])
			if loads[lo] == 0 {
				fewest = name(p.deputies[lo]) + "没有安排"
			}
			add(ProblemUnbalanced, p.deputies[hi].ID, time.Time{},
				"接待次数不均衡：%s安排了%d次，%s；按各位代表可以参加的日期，可以安排得更均衡。",
				name(p.deputies[hi]), loads[hi], fewest)
		}
	}
	return problems
}

// validSessions counts the sessions that end after they start.
func (p *plan) validSessions() int {
	n := 0
	for _, s := range p.sessions {
		if validSession(s) {
			n++
		}
	}
	return n
}

// reachable counts the deputies free for at least one session.
func (p *plan) reachable() int {
	n := 0
	for i := range p.deputies {
		if slices.Contains(p.can[i], true) {
			n++
		}
	}
	return n
}

// SessionsNeeded is how many sessions a year needs so that each of
// deputies takes part at least once with perSession per session (001 二(二)).
func SessionsNeeded(deputies, perSession int) int {
	per := max(perSession, MinPerSession)
	return (deputies + per - 1) / per
}

// labels names each session by its Beijing date, with the time when two
// sessions share a date.
func (p *plan) labels() []string {
	labels := make([]string, len(p.sessions))
	count := map[string]int{}
	for j, s := range p.sessions {
		labels[j] = beijingDate(s.Starts).Format(time.DateOnly)
		count[labels[j]]++
	}
	for j, s := range p.sessions {
		if count[labels[j]] > 1 {
			labels[j] += " " + s.Starts.In(lianluo.Beijing).Format("15:04")
		}
	}
	return labels
}
