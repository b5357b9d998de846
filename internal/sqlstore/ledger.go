package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// The ledgers (五簿, lianluo.LedgerBooks): each book is one query for its
// entries, in date order, and a few batch queries for what an entry has
// many of (attendance, cases, deputies, replies), each selecting by the same
// WHERE as the entries, so a book costs the same few round trips whatever
// its length. Who may read a scope is lianluo.CanReadLedger. The handbook
// (ledger_handbook.go) is one deputy's.

// Ledger generates a book for a scope the caller may read.
func (db *DB) Ledger(ctx context.Context, q lianluo.LedgerQuery) (_ *lianluo.Ledger, err error) {
	defer wrap(&err, "Ledger(%s, station %d, group %d, %d)", q.Book, q.StationID, q.GroupID, q.Year)
	info, err := lianluo.FindLedgerBook(string(q.Book))
	if err != nil {
		return nil, err
	}
	c := db.reader()
	scope, err := ledgerScope(ctx, c, q)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanReadLedger(lianluo.ActorFromContext(ctx), scope) {
		return nil, lianluo.NotFound(lianluo.LedgerScopeNames[scope.Kind])
	}
	l := &lianluo.Ledger{Book: info.Book, Title: info.Title, Scope: *scope, Year: q.Year, Landscape: info.Landscape,
		Columns: info.Columns, Rows: []lianluo.LedgerRow{}}
	lb := ledgerBuilder{c: c, q: q, now: db.now()}
	switch q.Book {
	case lianluo.LedgerGroupMeetings:
		l.Rows, err = lb.activities(ctx, true)
	case lianluo.LedgerGroupActivities:
		l.Rows, err = lb.activities(ctx, false)
	case lianluo.LedgerReceptions:
		l.Rows, err = lb.receptions(ctx)
	case lianluo.LedgerOpinions:
		l.Rows, err = lb.opinions(ctx)
	case lianluo.LedgerVisits:
		l.Rows, err = lb.visits(ctx)
	case lianluo.LedgerHandbook:
		l.Rows, err = lb.handbook(ctx)
	}
	if err != nil {
		return nil, err
	}
	for i, r := range l.Rows {
		r["number"] = strconv.Itoa(i + 1)
	}
	return l, nil
}

// ledgerScope loads the station or group a book is asked for, with what
// CanReadLedger needs. A scope that does not exist is not found, as one the
// caller may not read.
func ledgerScope(ctx context.Context, c conn, q lianluo.LedgerQuery) (*lianluo.LedgerScope, error) {
	if q.StationID != 0 {
		s := &lianluo.LedgerScope{Kind: lianluo.LedgerStation, ID: q.StationID}
		err := c.QueryRow(ctx, `SELECT name, region_code FROM stations WHERE id = $1`, q.StationID).Scan(&s.Name, &s.RegionCode)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, lianluo.NotFound("联络站")
		}
		s.StationID = &s.ID
		return s, err
	}
	if q.DeputyID != 0 {
		s := &lianluo.LedgerScope{Kind: lianluo.LedgerDeputy, ID: q.DeputyID}
		err := c.QueryRow(ctx, `SELECT name, region_code FROM deputies WHERE id = $1`, q.DeputyID).Scan(&s.Name, &s.RegionCode)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, lianluo.NotFound("代表")
		} else if err != nil {
			return nil, err
		}
		s.Stations, err = queryIDs(ctx, c, `SELECT station_id FROM station_deputies WHERE deputy_id = $1 ORDER BY station_id`, q.DeputyID)
		return s, err
	}
	s := &lianluo.LedgerScope{Kind: lianluo.LedgerGroup, ID: q.GroupID}
	var leader, deputyLeader sql.NullInt64
	err := c.QueryRow(ctx, `SELECT name, region_code, station_id, leader_id, deputy_leader_id FROM deputy_groups WHERE id = $1`,
		q.GroupID).Scan(&s.Name, &s.RegionCode, &s.StationID, &leader, &deputyLeader)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("代表小组")
	} else if err != nil {
		return nil, err
	}
	for _, l := range []sql.NullInt64{leader, deputyLeader} {
		if l.Valid {
			s.Leaders = append(s.Leaders, l.Int64)
		}
	}
	s.Members, err = queryIDs(ctx, c, `SELECT id FROM deputies WHERE group_id = $1 ORDER BY id`, q.GroupID)
	return s, err
}

type ledgerBuilder struct {
	c   conn
	q   lianluo.LedgerQuery
	now time.Time
}

// inYear adds the year's range on a timestamp column.
func (b ledgerBuilder) inYear(w *where, col string) {
	from, to := b.q.Range()
	w.add(col + " >= " + w.arg(from.UTC()))
	w.add(col + " < " + w.arg(to.UTC()))
}

// groupMembers is the subquery of the group's deputies.
func groupMembers(w *where, groupID int64) string {
	return "(SELECT id FROM deputies WHERE group_id = " + w.arg(groupID) + ")"
}

// activities is the group meetings' book (meetings) or the other
// activities' book: those that have begun, not drafts nor cancelled, of
// the group, or of the station and the groups meeting there. The texts are
// staff's, but a voter's number may be written into them: masked.
func (b ledgerBuilder) activities(ctx context.Context, meetings bool) ([]lianluo.LedgerRow, error) {
	var w where
	if b.q.GroupID != 0 && !meetings {
		// The group's book holds its 述职 too, wherever they were held
		// (a station organises most): those linked to its plans.
		g := w.arg(b.q.GroupID)
		w.add("(a.group_id = " + g + " OR a.id IN (SELECT e.activity_id FROM report_plan_deputies e JOIN report_plans p ON p.id = e.plan_id WHERE p.group_id = " + g + "))")
	} else if b.q.GroupID != 0 {
		w.add("a.group_id = " + w.arg(b.q.GroupID))
	} else {
		st := w.arg(b.q.StationID)
		w.add("(a.station_id = " + st + " OR a.group_id IN (SELECT id FROM deputy_groups WHERE station_id = " + st + "))")
	}
	if meetings {
		w.add("a.kind = " + w.arg(lianluo.ActivityGroupMeeting))
	} else {
		w.add("a.kind <> " + w.arg(lianluo.ActivityGroupMeeting))
	}
	w.add("a.status IN (" + w.arg(lianluo.ActivityPublished) + ", " + w.arg(lianluo.ActivityDone) + ")")
	w.add("a.starts_at <= " + w.arg(b.now.UTC())) // a book lists what took place
	b.inYear(&w, "a.starts_at")
	invitees, err := b.invitees(ctx, lianluo.KindActivity, `SELECT a.id FROM activities a`+w.String(), w.args)
	if err != nil {
		return nil, err
	}
	rows, err := b.c.Query(ctx, `SELECT a.id, a.kind, a.title, a.content, a.place, a.starts_at, a.minutes, a.outcomes,
		COALESCE(g.name, s.name, ''), COALESCE(l.name, '')
	FROM activities a
	LEFT JOIN stations s ON s.id = a.station_id
	LEFT JOIN deputy_groups g ON g.id = a.group_id
	LEFT JOIN deputies l ON l.id = g.leader_id`+w.String()+`
	ORDER BY a.starts_at, a.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.LedgerRow{}
	byID := map[int64]lianluo.LedgerRow{}
	for rows.Next() {
		var id int64
		var kind, title, content, place, minutes, outcomes, organiser, convenor string
		var at time.Time
		if err := rows.Scan(&id, &kind, &title, &content, &place, &at, &minutes, &outcomes, &organiser, &convenor); err != nil {
			return nil, err
		}
		att := invitees[id]
		r := lianluo.LedgerRow{"date": lianluo.LedgerDate(at), "place": place, "link": "/console/activities/" + strconv.FormatInt(id, 10)}
		title, content = lianluo.MaskPhonesIn(title), lianluo.MaskPhonesIn(content)
		record := lianluo.MaskPhonesIn(joinNonEmpty("\n", minutes, prefixed("提出的意见建议：", outcomes)))
		if meetings {
			r["convenor"] = convenor
			r["topics"] = joinNonEmpty("：", title, content)
			r["present"] = strings.Join(att[lianluo.AttendPresent], "、")
			r["leave"] = strings.Join(att[lianluo.AttendLeave], "、")
			r["absent"] = strings.Join(att[lianluo.AttendAbsent], "、")
			if len(att[lianluo.AttendScheduled]) > 0 {
				r["absent"] = joinNonEmpty("；", r["absent"], "未登记考勤："+strings.Join(att[lianluo.AttendScheduled], "、"))
			}
			r["decisions"] = record
		} else {
			r["kind"] = lianluo.ActivityKindNames[kind]
			r["title"] = joinNonEmpty("：", title, content)
			r["organiser"] = organiser
			r["participants"] = joinNonEmpty("；", strings.Join(att[lianluo.AttendPresent], "、"),
				prefixed("请假：", strings.Join(att[lianluo.AttendLeave], "、")))
			r["outcomes"] = record
			byID[id] = r
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, b.evaluations(ctx, byID)
}

// evaluations add the closed 民主测评 of the activities (a 述职's tally,
// 003 述职制度 八: filed with the report) to their outcomes.
func (b ledgerBuilder) evaluations(ctx context.Context, rows map[int64]lianluo.LedgerRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	var w where
	q := `SELECT activity_id, title, summary FROM ballots WHERE status = ` + w.arg(string(lianluo.BallotClosed)) +
		` AND activity_id IN ` + w.in(ids) + ` ORDER BY id`
	return scanEach(ctx, b.c, q, w.args, func(sc func(...any) error) error {
		var id int64
		var title, summary string
		if err := sc(&id, &title, &summary); err != nil {
			return err
		}
		r := rows[id]
		r["outcomes"] = joinNonEmpty("\n", r["outcomes"], "民主测评（"+title+"）："+summary)
		return nil
	})
}

// invitees are the names of the deputies invited to the occasions the
// subquery selects, by occasion and attendance, in the invitation's order.
func (b ledgerBuilder) invitees(ctx context.Context, kind lianluo.OccasionKind, ids string, args []any) (map[int64]map[string][]string, error) {
	rows, err := b.c.Query(ctx, `SELECT i.occasion_id, i.attendance, d.name
	FROM occasion_invitees i JOIN deputies d ON d.id = i.deputy_id
	WHERE i.kind = '`+string(kind)+`' AND i.occasion_id IN (`+ids+`)
	ORDER BY i.occasion_id, i.position, d.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string][]string{}
	for rows.Next() {
		var id int64
		var att, name string
		if err := rows.Scan(&id, &att, &name); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string][]string{}
		}
		out[id][att] = append(out[id][att], name)
	}
	return out, rows.Err()
}

// receptions is the receptions' book: the station's published sessions
// that have begun (a group's: those its deputies were on), with the
// deputies present, the visitors and every case registered there.
func (b ledgerBuilder) receptions(ctx context.Context) ([]lianluo.LedgerRow, error) {
	var w where
	if b.q.GroupID != 0 {
		w.add("r.id IN (SELECT occasion_id FROM occasion_invitees WHERE kind = 'reception' AND deputy_id IN " + groupMembers(&w, b.q.GroupID) + ")")
	} else {
		w.add("r.station_id = " + w.arg(b.q.StationID))
	}
	w.add("r.status = " + w.arg(lianluo.ReceptionPublished))
	w.add("r.starts_at <= " + w.arg(b.now.UTC()))
	b.inYear(&w, "r.starts_at")
	ids := `SELECT r.id FROM receptions r` + w.String()
	invitees, err := b.invitees(ctx, lianluo.KindReception, ids, w.args)
	if err != nil {
		return nil, err
	}
	cases, err := b.occasionCases(ctx, ids, w.args)
	if err != nil {
		return nil, err
	}
	rows, err := b.c.Query(ctx, `SELECT r.id, r.starts_at, r.ends_at, r.visitors, r.recorded_at, s.name
	FROM receptions r JOIN stations s ON s.id = r.station_id`+w.String()+`
	ORDER BY r.starts_at, r.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.LedgerRow{}
	for rows.Next() {
		var id int64
		var starts, ends time.Time
		var visitors int
		var recorded *time.Time
		var station string
		if err := rows.Scan(&id, &starts, &ends, &visitors, &recorded, &station); err != nil {
			return nil, err
		}
		r := lianluo.LedgerRow{"link": "/console/receptions/" + strconv.FormatInt(id, 10),
			"date":     lianluo.LedgerDate(starts) + " " + starts.In(lianluo.Beijing).Format("15:04") + "–" + ends.In(lianluo.Beijing).Format("15:04"),
			"deputies": strings.Join(invitees[id][lianluo.AttendPresent], "、")}
		if b.q.GroupID != 0 {
			r["date"] += "\n" + station
		}
		if recorded != nil {
			r["visitors"] = strconv.Itoa(visitors)
		}
		var opinions, handling []string
		for i, x := range cases[id] {
			n := strconv.Itoa(i+1) + "．"
			opinions = append(opinions, n+x.title+"（反映人："+x.voter+"）")
			handling = append(handling, n+x.handling())
		}
		r["opinions"], r["handling"] = strings.Join(opinions, "\n"), strings.Join(handling, "\n")
		out = append(out, r)
	}
	return out, rows.Err()
}

// ledgerCase is what the books show of a case.
type ledgerCase struct {
	id       int64
	code     string
	title    string
	voter    string
	status   lianluo.CaseStatus
	outcome  string
	at       time.Time
	location string
	content  string
	channel  string
}

func (x ledgerCase) handling() string {
	return joinNonEmpty("：", "【"+x.code+"】"+lianluo.StatusNames[x.status], x.outcome)
}

const ledgerCaseColumns = `c.id, c.tracking_code, c.title, c.content, c.location, c.channel, c.submitter_name, c.submitter_phone_last4,
	c.confidential, c.status, c.outcome, c.created_at`

func scanLedgerCase(sc interface{ Scan(...any) error }, x *ledgerCase, extra ...any) error {
	var name, last4 string
	var confidential bool
	err := sc.Scan(append([]any{&x.id, &x.code, &x.title, &x.content, &x.location, &x.channel, &name, &last4,
		&confidential, &x.status, &x.outcome, &x.at}, extra...)...)
	x.voter = lianluo.LedgerVoter(name, last4, confidential)
	// A number typed into the text is the voter's as much as the masked one.
	x.title, x.content, x.outcome = lianluo.MaskPhonesIn(x.title), lianluo.MaskPhonesIn(x.content), lianluo.MaskPhonesIn(x.outcome)
	x.location = lianluo.MaskPhonesIn(x.location)
	return err
}

// occasionCases are the cases registered at the receptions the subquery selects.
func (b ledgerBuilder) occasionCases(ctx context.Context, ids string, args []any) (map[int64][]ledgerCase, error) {
	rows, err := b.c.Query(ctx, `SELECT `+ledgerCaseColumns+`, oc.occasion_id
	FROM occasion_cases oc JOIN cases c ON c.id = oc.case_id
	WHERE oc.kind = 'reception' AND oc.occasion_id IN (`+ids+`)
	ORDER BY oc.occasion_id, c.created_at, c.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]ledgerCase{}
	for rows.Next() {
		var x ledgerCase
		var occasion int64
		if err := scanLedgerCase(rows, &x, &occasion); err != nil {
			return nil, err
		}
		out[occasion] = append(out[occasion], x)
	}
	return out, rows.Err()
}

// caseScope restricts cases aliased c to the book's scope and year: raised
// at the station, or received by one of the group's deputies (their ranges
// of case_deputies_deputy_created, which holds the registration date
// beside the deputy, instead of every case they ever received).
func (b ledgerBuilder) caseScope(w *where) {
	if b.q.GroupID != 0 {
		from, to := b.q.Range()
		w.add("c.id IN (SELECT case_id FROM case_deputies WHERE deputy_id IN " + groupMembers(w, b.q.GroupID) +
			" AND created_at >= " + w.arg(from.UTC()) + " AND created_at < " + w.arg(to.UTC()) + ")")
	} else {
		w.add("c.station_id = " + w.arg(b.q.StationID))
	}
	b.inYear(w, "c.created_at")
}

// caseDeputies is the SQL of the names of the deputies who received the
// case aliased c, joined by 、 in their order: a look-up inside the row's
// query, so the case rows are found once (a batch selecting by the same
// condition read the station's cases twice). Each name is its own primary
// key look-up: joined, PostgreSQL hashes the whole deputies table per case.
func (b ledgerBuilder) caseDeputies() string {
	if b.c.db.Dialect == Postgres {
		return `COALESCE((SELECT STRING_AGG((SELECT d.name FROM deputies d WHERE d.id = cd.deputy_id), '、' ORDER BY cd.deputy_id)
			FROM case_deputies cd WHERE cd.case_id = c.id), '')`
	}
	return `COALESCE((SELECT GROUP_CONCAT(name, '、') FROM (SELECT (SELECT d.name FROM deputies d WHERE d.id = cd.deputy_id) AS name
			FROM case_deputies cd WHERE cd.case_id = c.id ORDER BY cd.deputy_id)), '')`
}

// opinionsSQL is the query of the opinions' book and its arguments: the
// scope's cases of the year in date order (caseScope), what each has read
// by primary-key look-ups inside the one query.
func (b ledgerBuilder) opinionsSQL() (string, []any) {
	var w where
	b.caseScope(&w)
	return `SELECT ` + ledgerCaseColumns + `, ` + b.caseDeputies() + `,
		COALESCE((SELECT (SELECT o.name FROM orgs o WHERE o.id = cu.org_id) FROM case_units cu
			WHERE cu.case_id = c.id AND cu.lead AND cu.active ORDER BY cu.round DESC LIMIT 1), ''),
		COALESCE((SELECT result FROM case_replies WHERE case_id = c.id ORDER BY round DESC LIMIT 1), ''),
		COALESCE((SELECT content FROM case_replies WHERE case_id = c.id ORDER BY round DESC LIMIT 1), ''),
		COALESCE((SELECT rating FROM case_ratings WHERE case_id = c.id AND by_kind = 'deputy' ORDER BY round DESC LIMIT 1), ''),
		COALESCE((SELECT rating FROM case_ratings WHERE case_id = c.id AND by_kind = 'voter' ORDER BY round DESC LIMIT 1), '')
	FROM cases c` + w.String() + `
	ORDER BY c.created_at, c.id`, w.args
}

// opinions is the opinions' book: every case raised through the station
// (or received by the group's deputies) in the year, with who received
// it, the lead unit, the reply of its last round, its result class and the
// latest ratings. What a case has is read with it, by primary-key
// look-ups inside the one query (a join with the replies made PostgreSQL
// hash the whole table for every book).
func (b ledgerBuilder) opinions(ctx context.Context) ([]lianluo.LedgerRow, error) {
	q, args := b.opinionsSQL()
	rows, err := b.c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.LedgerRow{}
	for rows.Next() {
		var x ledgerCase
		var deputies, lead, result, reply, byDeputy, byVoter string
		if err := scanLedgerCase(rows, &x, &deputies, &lead, &result, &reply, &byDeputy, &byVoter); err != nil {
			return nil, err
		}
		r := lianluo.LedgerRow{"link": "/console/cases/" + strconv.FormatInt(x.id, 10), "date": lianluo.LedgerDate(x.at),
			"code": x.code, "deputies": deputies, "submitter": x.voter,
			"content": joinNonEmpty("：", x.title, x.content), "lead_unit": lead, "result": lianluo.StatusNames[x.status]}
		if result != "" {
			r["reply"] = lianluo.MaskPhonesIn(reply)
			r["result"] += "；" + result + "类（" + lianluo.ReplyResults[result] + "）"
		} else {
			r["reply"] = x.outcome
		}
		var rs []string
		if byDeputy != "" {
			rs = append(rs, "代表"+lianluo.RatingNames[byDeputy])
		}
		if byVoter != "" {
			rs = append(rs, "群众"+lianluo.RatingNames[byVoter])
		}
		r["ratings"] = strings.Join(rs, "；")
		out = append(out, r)
	}
	return out, rows.Err()
}

// visits is the visits' book: the diary entries (民情日记) of the
// station's (or group's) deputies and the cases registered from a home
// visit (走访) that no diary entry stands for, merged in date order.
func (b ledgerBuilder) visits(ctx context.Context) ([]lianluo.LedgerRow, error) {
	var w where
	if b.q.GroupID != 0 {
		w.add("e.deputy_id IN " + groupMembers(&w, b.q.GroupID))
	} else {
		w.add("e.deputy_id IN (SELECT deputy_id FROM station_deputies WHERE station_id = " + w.arg(b.q.StationID) + ")")
	}
	b.inYear(&w, "e.visited_at")
	type entry struct {
		at  time.Time
		row lianluo.LedgerRow
	}
	var entries []entry
	err := eachRow(ctx, b.c, `SELECT e.id, e.visited_at, d.name, e.voter_name, e.voter_phone_last4, e.place, e.content, e.handling,
		e.status, COALESCE(c.tracking_code, ''), COALESCE(c.status, '')
	FROM diary_entries e JOIN deputies d ON d.id = e.deputy_id LEFT JOIN cases c ON c.id = e.case_id`+w.String()+`
	ORDER BY e.visited_at, e.id`, w.args, func(sc scanner) error {
		var id int64
		var at time.Time
		var deputy, voter, last4, place, content, handling, status, code, caseStatus string
		if err := sc.Scan(&id, &at, &deputy, &voter, &last4, &place, &content, &handling, &status, &code, &caseStatus); err != nil {
			return err
		}
		if code != "" {
			handling = joinNonEmpty("\n", handling, "已转为群众意见【"+code+"】，"+lianluo.StatusNames[lianluo.CaseStatus(caseStatus)])
		}
		source := "民情日记"
		if status != lianluo.DiaryConfirmed {
			source += "（选民未确认）"
		}
		entries = append(entries, entry{at, lianluo.LedgerRow{"link": "/console/diary/" + strconv.FormatInt(id, 10),
			"date": lianluo.LedgerDate(at), "deputy": deputy, "voter": lianluo.LedgerVoter(voter, last4, false),
			"place": lianluo.MaskPhonesIn(place), "raised": lianluo.MaskPhonesIn(content), "handling": lianluo.MaskPhonesIn(handling),
			"source": source}})
		return nil
	})
	if err != nil {
		return nil, err
	}

	var cw where
	b.caseScope(&cw)
	cw.add("c.channel = 'home_visit'")
	cw.add("NOT EXISTS (SELECT 1 FROM diary_entries de WHERE de.case_id = c.id)")
	err = eachRow(ctx, b.c, `SELECT `+ledgerCaseColumns+`, `+b.caseDeputies()+` FROM cases c`+cw.String()+` ORDER BY c.created_at, c.id`, cw.args, func(sc scanner) error {
		var x ledgerCase
		var deputies string
		if err := scanLedgerCase(sc, &x, &deputies); err != nil {
			return err
		}
		entries = append(entries, entry{x.at, lianluo.LedgerRow{"link": "/console/cases/" + strconv.FormatInt(x.id, 10),
			"date": lianluo.LedgerDate(x.at), "deputy": deputies, "voter": x.voter, "place": x.location,
			"raised": joinNonEmpty("：", x.title, x.content), "handling": x.handling(), "source": "走访登记"}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].at.Before(entries[j].at) })
	out := make([]lianluo.LedgerRow, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.row)
	}
	return out, nil
}

type scanner interface{ Scan(...any) error }

// eachRow runs a query and calls fn for each row.
func eachRow(ctx context.Context, c conn, q string, args []any, fn func(scanner) error) error {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// joinNonEmpty joins the parts that are not empty.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// prefixed is prefix+s, or "" when s is.
func prefixed(prefix, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return prefix + s
}
