package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/textsearch"
)

const caseColumns = `c.id, c.tracking_code, c.kind, c.channel, c.station_id, COALESCE(s.name, ''), c.org_id, COALESCE(o.name, ''),
	c.title, c.content, c.category, c.region_code, COALESCE(r.name, ''), c.location,
	c.submitter_name, c.submitter_phone, c.submitter_address, c.submitter_id_number,
	c.urgent, c.confidential, c.status, c.round, c.master_id, c.due_at, c.original_due_at,
	c.ext_until, c.ext_reason, c.ext_decided, c.ext_approved, c.ext_decided_at, c.outcome,
	c.closed_at, c.archived_year,
	(SELECT MIN(oc.occasion_id) FROM occasion_cases oc WHERE oc.kind = 'reception' AND oc.case_id = c.id), c.published_at, c.public_answer, c.version, c.created_at, c.updated_at`

const caseFrom = ` FROM cases c
	LEFT JOIN stations s ON s.id = c.station_id
	LEFT JOIN orgs o ON o.id = c.org_id
	LEFT JOIN regions r ON r.code = c.region_code`

// scanCase reads a row of caseColumns and opens the sealed submitter fields
// (fieldcrypt.go); the callers mask them for the actor (MaskSubmitterFor).
func scanCase(kr *keyring, sc interface{ Scan(...any) error }, c *lianluo.Case, extra ...any) error {
	var extUntil *time.Time
	var extReason string
	var extDecided, extApproved bool
	var extDecidedAt *time.Time
	err := sc.Scan(append([]any{&c.ID, &c.TrackingCode, &c.Kind, &c.Channel, &c.StationID, &c.StationName, &c.OrgID, &c.OrgName,
		&c.Title, &c.Content, &c.Category, &c.RegionCode, &c.RegionName, &c.Location,
		&c.Submitter.Name, &c.Submitter.Phone, &c.Submitter.Address, &c.Submitter.IDNumber,
		&c.Urgent, &c.Confidential, &c.Status, &c.Round, &c.MasterID, &c.DueDate, &c.OriginalDue,
		&extUntil, &extReason, &extDecided, &extApproved, &extDecidedAt, &c.Outcome,
		&c.ClosedAt, &c.ArchivedYear, &c.ReceptionID, &c.PublishedAt, &c.PublicAnswer, &c.Version, &c.CreatedAt, &c.UpdatedAt}, extra...)...)
	if err == nil && extUntil != nil {
		c.Extension = &lianluo.Extension{Until: *extUntil, Reason: extReason, Decided: extDecided, Approved: extApproved, DecidedAt: extDecidedAt}
	}
	if err == nil {
		err = kr.openSubmitter(&c.Submitter)
	}
	return err
}

// scopeCases: NPC staff see cases in their region subtree and in their
// bodies' queues; station staff their stations' cases; a deputy what they
// received and what their stations hold; a unit what was assigned to it.
func scopeCases(w *where, a *lianluo.Actor, alias string) {
	arms := scopeCaseArmsAs(w, a, alias)
	if arms == nil {
		return
	}
	or := make([]string, len(arms))
	for i, arm := range arms {
		or[i] = arm.cond
	}
	addOr(w, or)
}

// scopeCaseArms is scopeCases as the ways into the cases aliased c, one
// per part of the scope, each with the index it walks in id order
// (migration 0020): a town's or district's subtree cases_town_id or
// cases_district_id, a body's queue cases_org_id, a station's
// cases_station_id, a deputy's received cases case_deputies_deputy_case, a
// unit's case_units_org_case. nil means every case; an empty scope is one
// arm matching nothing.
func scopeCaseArms(w *where, a *lianluo.Actor) []caseArm { return scopeCaseArmsAs(w, a, "c") }

func scopeCaseArmsAs(w *where, a *lianluo.Actor, alias string) []caseArm {
	none := []caseArm{{from: "cases " + alias, id: alias + ".id", cond: "1 = 0"}}
	if a == nil {
		return none
	}
	s := a.Scope
	if s.All {
		return nil
	}
	var arms []caseArm
	plain := func(cond string) { arms = append(arms, caseArm{from: "cases " + alias, id: alias + ".id", cond: cond}) }
	for _, p := range s.Regions {
		plain(caseRegion(w, alias+".region_code", p))
	}
	if len(s.Orgs) > 0 {
		plain(alias + ".org_id IN " + w.in(s.Orgs))
	}
	if len(s.Stations) > 0 {
		plain(alias + ".station_id IN " + w.in(s.Stations))
	}
	if len(s.Deputies) > 0 {
		ids := w.in(s.Deputies)
		arm := caseArm{from: "cases " + alias, id: alias + ".id",
			cond: alias + ".id IN (SELECT case_id FROM case_deputies WHERE deputy_id IN " + ids + ")"}
		if len(s.Deputies) == 1 {
			// Walk the deputy's received cases in case order.
			arm.from = "case_deputies sd JOIN cases " + alias + " ON " + alias + ".id = sd.case_id"
			arm.id, arm.on = "sd.case_id", "sd.deputy_id = "+ids[1:len(ids)-1]
		}
		arms = append(arms, arm)
	}
	if len(s.Units) > 0 {
		ids := w.in(s.Units)
		arm := caseArm{from: "cases " + alias, id: alias + ".id",
			cond: alias + ".id IN (SELECT case_id FROM case_units WHERE org_id IN " + ids + ")"}
		if len(s.Units) == 1 {
			// The unit's assignments in case order, each case once: its
			// latest round with the unit.
			arm.from = "case_units su JOIN cases " + alias + " ON " + alias + ".id = su.case_id"
			arm.id = "su.case_id"
			arm.on = "su.org_id = " + ids[1:len(ids)-1] +
				" AND NOT EXISTS (SELECT 1 FROM case_units su2 WHERE su2.case_id = su.case_id AND su2.org_id = su.org_id AND su2.round > su.round)"
		}
		arms = append(arms, arm)
	}
	if len(arms) == 0 {
		return none
	}
	return arms
}

// caseRegion is the condition that the case column col lies in the
// subtree of region code p, in the form migration 0020 indexes: a village
// (12 digits, a leaf) by equality, a town (9) or district (6) by the
// prefix expression of cases_town_id / cases_district_id; anything wider
// (a province or city: every case of a deployment) as a range.
func caseRegion(w *where, col, p string) string {
	switch len(p) {
	case 12:
		return col + " = " + w.arg(p)
	case 9, 6:
		return "substr(" + col + ", 1, " + strconv.Itoa(len(p)) + ") = " + w.arg(p)
	}
	return regionRange(w, col, p)
}

// FindCaseByID returns a case inside the caller's scope with its units,
// reply, ratings, history and the actions the caller may take now.
func (db *DB) FindCaseByID(ctx context.Context, id int64) (_ *lianluo.Case, err error) {
	defer wrap(&err, "FindCaseByID(%d)", id)
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCaseRow(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	if err := loadCaseDetails(ctx, db.reader(), c, true); err != nil {
		return nil, err
	}
	a := lianluo.ActorFromContext(ctx)
	c.Allowed = lianluo.AllowedActions(a, c, pol)
	lianluo.MaskSubmitterFor(a, c)
	return c, nil
}

// findCase loads the case (unmasked) inside the caller's scope, with the
// details the workflow's rules read (no history).
func findCase(ctx context.Context, cn conn, id int64) (*lianluo.Case, error) {
	c, err := findCaseRow(ctx, cn, id)
	if err != nil {
		return nil, err
	}
	return c, loadCaseDetails(ctx, cn, c, false)
}

// findCaseRow loads the case row alone (unmasked) inside the caller's scope.
func findCaseRow(ctx context.Context, cn conn, id int64) (*lianluo.Case, error) {
	var w where
	w.add("c.id = " + w.arg(id))
	scopeCases(&w, lianluo.ActorFromContext(ctx), "c")
	var c lianluo.Case
	err := scanCase(cn.db.keys, cn.QueryRow(ctx, `SELECT `+caseColumns+caseFrom+w.String(), w.args...), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("意见")
	} else if err != nil {
		return nil, err
	}
	return &c, nil
}

// loadCaseDetails fills the receiving deputies, the current units, the
// latest reply and the ratings; with history, the events too.
func loadCaseDetails(ctx context.Context, cn conn, c *lianluo.Case, history bool) error {
	c.ReceivedBy, c.ReceivedByNames, c.Units, c.Ratings = []int64{}, []string{}, []lianluo.CaseUnit{}, []lianluo.Rating{}
	rows, err := cn.Query(ctx, `SELECT d.id, d.name FROM case_deputies cd JOIN deputies d ON d.id = cd.deputy_id WHERE cd.case_id = $1 ORDER BY d.id`, c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		c.ReceivedBy, c.ReceivedByNames = append(c.ReceivedBy, id), append(c.ReceivedByNames, name)
	}
	rows.Close()
	rows, err = cn.Query(ctx, `SELECT cu.org_id, o.name, cu.lead, cu.round, cu.signed_at FROM case_units cu JOIN orgs o ON o.id = cu.org_id
		WHERE cu.case_id = $1 AND cu.active = TRUE ORDER BY cu.lead DESC, o.id`, c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var u lianluo.CaseUnit
		if err := rows.Scan(&u.OrgID, &u.Name, &u.Lead, &u.Round, &u.SignedAt); err != nil {
			rows.Close()
			return err
		}
		c.Units = append(c.Units, u)
	}
	rows.Close()
	var rp lianluo.Reply
	err = cn.QueryRow(ctx, `SELECT result, content, met_deputy, round, at FROM case_replies WHERE case_id = $1 ORDER BY round DESC LIMIT 1`, c.ID).
		Scan(&rp.Result, &rp.Content, &rp.MetDeputy, &rp.Round, &rp.At)
	if err == nil {
		c.Reply = &rp
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	rows, err = cn.Query(ctx, `SELECT by_kind, rating, comment, round, at FROM case_ratings WHERE case_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r lianluo.Rating
		if err := rows.Scan(&r.By, &r.Rating, &r.Comment, &r.Round, &r.At); err != nil {
			rows.Close()
			return err
		}
		c.Ratings = append(c.Ratings, r)
	}
	rows.Close()
	if !history {
		return rows.Err()
	}
	c.Events = []lianluo.CaseEvent{}
	rows, err = cn.Query(ctx, `SELECT id, at, actor_name, action, from_status, to_status, comment FROM case_events WHERE case_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e lianluo.CaseEvent
		if err := rows.Scan(&e.ID, &e.At, &e.ActorName, &e.Action, &e.From, &e.To, &e.Comment); err != nil {
			return err
		}
		c.Events = append(c.Events, e)
	}
	return rows.Err()
}

// isOffice reports whether the actor works in an NPC body responsible for the case.
func isOffice(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Office }

// isStationStaff reports whether the actor runs the case's station.
func isStationStaff(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Station }

// isReceivingDeputy reports whether the actor is a deputy who received the case.
func isReceivingDeputy(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Deputy }

// isLeadHandler reports whether the actor handles for the lead unit.
func isLeadHandler(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Handler }

// RevealSubmitter returns the submitter unmasked to the office or the
// station's staff, with a reason, and records the reveal in the audit trail.
func (db *DB) RevealSubmitter(ctx context.Context, id int64, reason lianluo.RevealReason) (_ *lianluo.Submitter, err error) {
	defer wrap(&err, "RevealSubmitter(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	why, err := reason.Check()
	if err != nil {
		return nil, err
	}
	policy, err := db.SecurityPolicy(ctx)
	if err != nil {
		return nil, err
	}
	var out lianluo.Submitter
	var limited error
	err = db.transact(ctx, func(tx *Tx) error {
		c, err := findCase(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !lianluo.CanRevealSubmitter(a, c) {
			return lianluo.Forbidden()
		}
		if limited, err = checkRevealRate(ctx, tx, a, policy); err != nil || limited != nil {
			return err
		}
		out = c.Submitter
		return tx.event(ctx, lianluo.EntityCase, id, lianluo.AuditReveal, "查看反映人联系方式，"+why)
	})
	if err == nil && limited != nil {
		return nil, limited
	}
	return &out, err
}

// FindCases lists cases inside the caller's scope, newest first. Shaped for
// a million cases (BENCHMARKS.md, docs/storage.md "Case lists"): the page's
// ids are found first, walking an index in id order (caseListQuery), and the
// columns joined for those rows only. It counts nothing unless f.Count asks:
// one row past the page tells whether more follow, and the total is exact
// when the page reaches the end of the matches, lianluo.TotalUnknown when
// more follow. With f.Count the matches are counted up to
// lianluo.MaxListTotal+1, as the to-do counts need.
func (db *DB) FindCases(ctx context.Context, f lianluo.CaseFilter) (_ []*lianluo.Case, _ int, err error) {
	defer wrap(&err, "FindCases")
	a := lianluo.ActorFromContext(ctx)
	cq, err := db.caseListQuery(ctx, a, f)
	if err != nil {
		return nil, 0, err
	}
	limit := f.Page.Limit()
	windows, err := db.searchWindows(ctx, cq, f.Page)
	if err != nil {
		return nil, 0, err
	}
	var out []*lianluo.Case
	for _, lo := range windows {
		page := *cq
		page.w = where{clauses: slices.Clone(cq.w.clauses), args: slices.Clone(cq.w.args)}
		if lo > 0 {
			page.w.add("c.id > " + page.w.arg(lo))
		}
		ids := page.pageIDs(&page.w, f.Page, limit+1)
		q := `SELECT ` + caseColumns + strings.Replace(caseFrom, " FROM cases c", " FROM ("+ids+") p JOIN cases c ON c.id = p.id", 1) +
			` ORDER BY c.id DESC`
		out, _, err = queryList(ctx, db.reader(), q, page.w.args,
			func(sc interface{ Scan(...any) error }, c *lianluo.Case, _ *int) error {
				return scanCase(db.keys, sc, c)
			})
		if err != nil {
			return nil, 0, err
		}
		if len(out) > limit {
			break // the window holds the page and one more: the newest matches
		}
	}
	more := !f.Page.Unlimited() && len(out) > limit
	if more {
		out = out[:limit]
	}
	for _, c := range out {
		c.Units, c.Ratings, c.ReceivedBy = []lianluo.CaseUnit{}, []lianluo.Rating{}, []int64{}
		lianluo.MaskSubmitterFor(a, c)
	}
	total := f.Page.Offset() + len(out)
	switch {
	case f.Page.Unlimited():
		total = len(out)
	case f.Count || (len(out) == 0 && f.Page.Offset() > 0):
		// Asked for, or a page past the end: count, up to the cap.
		w := cq.combined()
		err = db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+cq.from+w.String()+` LIMIT `+w.arg(lianluo.MaxListTotal+1)+`) t`, w.args...).Scan(&total)
		if err != nil {
			return nil, 0, err
		}
	case more:
		total = lianluo.TotalUnknown
	}
	return out, total, nil
}

// searchWindows are the lower id bounds a search's page is tried within,
// newest cases first, ending with 0 (no bound). On PostgreSQL a search's
// GIN bitmap holds every match (93,768 for 路灯 over a million cases), and
// the page would visit and sort them all: tried first among the newest
// 20,000 cases, then 8 times as many, and so on, a frequent term's page
// is found among a few thousand rows, and a rare term costs a few GIN
// look-ups more. A window serves when it yields the page and one row more:
// those are then the newest matches. SQLite walks the FTS5 index in rowid
// order and needs none.
func (db *DB) searchWindows(ctx context.Context, q *caseQuery, p lianluo.Page) ([]int64, error) {
	if !q.postgres || !q.search || p.Unlimited() {
		return []int64{0}, nil
	}
	var top int64
	if err := db.reader().QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&top); err != nil {
		return nil, err
	}
	var out []int64
	for w := int64(20000); w < top; w *= 8 {
		out = append(out, top-w)
	}
	return append(out, 0), nil
}

// caseQuery is a case list's conditions, kept apart so that the page can
// be found along an index in id order (pageIDs) and the rest — exports,
// counts — can use them as one WHERE (combined).
type caseQuery struct {
	w     where     // the filters (not the scope); holds every argument
	arms  []caseArm // the scope's ways in, ORed; nil: every case
	split []string  // disjoint alternatives of the filters (statuses), ORed; nil: none
	// from and order: the FROM and the id column when the list is one
	// query (a search walking the full-text index on SQLite).
	from, order string
	single      bool // page as one query, the scope and split as conditions
	postgres    bool
	search      bool // a full-text or LIKE search
}

// caseArm is one way into the cases of a scope: a FROM, the id column its
// index delivers in order, the condition that goes with it, and that
// condition on the case alone (cond) — what later arms exclude.
type caseArm struct {
	from, id, on, cond string
}

// combined is the WHERE of the whole list, the scope and the split as ORs.
func (q *caseQuery) combined() where {
	w := where{clauses: slices.Clone(q.w.clauses), args: slices.Clone(q.w.args)}
	if q.arms != nil {
		or := make([]string, len(q.arms))
		for i, a := range q.arms {
			or[i] = a.cond
		}
		addOr(&w, or)
	}
	if len(q.split) > 0 {
		w.add("(" + strings.Join(q.split, " OR ") + ")")
	}
	return w
}

// pageIDs returns the query of the page's ids (column id), newest first,
// binding its paging arguments in w. With one way in it is one query; with
// several (a town office sees its region and its body's queue; a list of
// several statuses), it is a UNION of one query per way, each walking its
// own index in id order: SQLite merges them in order, dropping an id two
// ways share as they meet (MERGE (UNION)), and stops at the page. The ways
// overlap (most of a town body's queue lies in the town): excluding from
// one way what another finds would make it walk the whole overlap to find
// nothing.
func (q *caseQuery) pageIDs(w *where, p lianluo.Page, limit int) string {
	paging := ""
	if !p.Unlimited() {
		paging = " LIMIT " + w.arg(limit) + " OFFSET " + w.arg(p.Offset())
	}
	arms := q.arms
	if q.single || max(len(arms), 1)*max(len(q.split), 1) <= 1 {
		c := q.combined()
		c.args = nil
		from, order := q.from, q.order
		if !q.single && len(arms) == 1 && arms[0].on != "" {
			from, order = arms[0].from, arms[0].id
			c = where{clauses: append([]string{arms[0].on}, q.w.clauses...)}
			if len(q.split) == 1 {
				c.add(q.split[0])
			}
		}
		return `SELECT ` + order + ` AS id FROM ` + from + c.String() + ` ORDER BY ` + order + ` DESC` + paging
	}
	if len(arms) == 0 {
		arms = []caseArm{{from: "cases c", id: "c.id"}}
	}
	splits := q.split
	if len(splits) == 0 {
		splits = []string{""}
	}
	// PostgreSQL (15) does not merge the arms in order: each arm stops at
	// the rows the page could need (the page's rows of the union are among
	// each arm's first offset+limit), and those few are sorted.
	inner := ""
	if q.postgres && !p.Unlimited() {
		inner = " ORDER BY id DESC LIMIT " + w.arg(p.Offset()+limit)
	}
	var parts []string
	for _, a := range arms {
		for _, s := range splits {
			var c where
			if a.on != "" {
				c.add(a.on)
			} else if a.cond != "" {
				c.add(a.cond)
			}
			if s != "" {
				c.add(s)
			}
			c.clauses = append(c.clauses, q.w.clauses...)
			part := `SELECT ` + a.id + ` AS id FROM ` + a.from + c.String()
			if inner != "" {
				part = "(" + part + inner + ")"
			}
			parts = append(parts, part)
		}
	}
	// The compound itself ordered (not a subquery of it): SQLite merges a
	// compound SELECT in its ORDER BY, and a UNION in a subquery in
	// ascending id order only.
	return strings.Join(parts, " UNION ") + ` ORDER BY id DESC` + paging
}

// noIndex is col in a form the planner does not look up in an index: a
// condition kept as a filter on rows found along another index, in id
// order. SQLite's unary + does that; PostgreSQL costs its choices from
// statistics and needs no hint.
func (db *DB) noIndex(col string) string {
	if db.Dialect == SQLite {
		return "+" + col
	}
	return col
}

// caseListWhere is the WHERE of a case list for the filter, inside the
// actor's scope, with the FROM and the id column to order by (the full-text
// index's rowid when searching on SQLite). FindCases and EachCaseForExport
// share it (through caseListQuery), so an export holds exactly what the
// list shows.
func (db *DB) caseListWhere(ctx context.Context, a *lianluo.Actor, f lianluo.CaseFilter) (w where, from, order string, err error) {
	q, err := db.caseListQuery(ctx, a, f)
	if err != nil {
		return w, "", "", err
	}
	return q.combined(), q.from, q.order, nil
}

// caseListQuery is the case list for the filter inside the actor's scope.
func (db *DB) caseListQuery(ctx context.Context, a *lianluo.Actor, f lianluo.CaseFilter) (_ *caseQuery, err error) {
	q := &caseQuery{from: "cases c", order: "c.id", postgres: db.Dialect == Postgres}
	w := &q.w
	region := ""
	if f.Region != "" {
		if region = lianluo.NormalizeRegionCode(f.Region); region == "" {
			return nil, lianluo.FieldError("region", "行政区划代码格式不正确。")
		}
	}
	if a != nil && region != "" && slices.ContainsFunc(a.Scope.Regions, func(p string) bool { return strings.HasPrefix(region, p) }) {
		// A region inside the caller's subtree: the scope adds nothing to
		// the filter, and the region's own index serves the list.
	} else {
		q.arms = scopeCaseArms(w, a)
	}
	// The statuses: several (or the overdue ones) page as one query each,
	// along cases_status_id.
	var statuses []lianluo.CaseStatus
	for _, s := range f.Status {
		if _, ok := lianluo.StatusNames[s]; !ok {
			return nil, lianluo.FieldError("status", "状态“%s”不存在。", lianluo.Truncate(string(s), 30))
		}
		if !slices.Contains(statuses, s) {
			statuses = append(statuses, s)
		}
	}
	now := db.Now().UTC()
	if f.Overdue {
		if len(f.Status) == 0 {
			statuses = slices.Clone(lianluo.OverdueStatuses)
		} else {
			statuses = slices.DeleteFunc(statuses, func(s lianluo.CaseStatus) bool { return !slices.Contains(lianluo.OverdueStatuses, s) })
			if len(statuses) == 0 {
				w.add("1 = 0")
			}
		}
		// Not along cases_status (status, due_at): that would sort.
		w.add(db.noIndex("c.due_at") + " < " + w.arg(now))
	}
	for _, s := range statuses {
		q.split = append(q.split, "c.status = "+w.arg(s))
	}
	if f.StationID != 0 {
		w.add("c.station_id = " + w.arg(f.StationID))
	}
	if f.OrgID != 0 {
		w.add("c.org_id = " + w.arg(f.OrgID))
	}
	if f.Category != "" {
		w.add("c.category = " + w.arg(f.Category))
	}
	if f.Tracking != "" {
		w.add("c.tracking_code = " + w.arg(lianluo.NormalizeTrackingCode(f.Tracking)))
	}
	if region != "" {
		w.add(caseRegion(w, "c.region_code", region))
	}
	if f.From != nil {
		w.add("c.created_at >= " + w.arg(*f.From))
	}
	if f.To != nil {
		w.add("c.created_at < " + w.arg(*f.To))
	}
	if f.Todo != "" {
		pol, err := db.Policy(ctx)
		if err != nil {
			return nil, err
		}
		if err := todoClause(w, a, f.Todo, pol, now); err != nil {
			return nil, err
		}
		// A to-do list is a few statuses of the scope, most of them with
		// few cases: found along the status index and sorted, rather than
		// by walking the whole scope in id order to find them.
		q.single = true
	}
	if s := strings.TrimSpace(f.Q); s != "" {
		// A search pages along the full-text index (SQLite) or its matches
		// (PostgreSQL), the scope checked per match.
		q.single, q.search = true, true
		if searchJoin(db, w, "cases", "c", []string{"title", "content"}, s) {
			q.from, q.order = "cases_fts JOIN cases c ON c.id = cases_fts.rowid", "cases_fts.rowid"
		}
	}
	switch {
	case f.UnitID != 0 && (q.search || f.Todo != ""):
		// Paged along the search or the statuses: the unit per case.
		w.add("c.id IN (SELECT case_id FROM case_units WHERE active = TRUE AND org_id = " + w.arg(f.UnitID) + ")")
	case f.UnitID != 0:
		// A unit's cases page along its assignments in case order
		// (case_units_org_case), the scope and the other filters checked
		// per case: a big unit's cases are many, its page a few.
		w.add("cu.org_id = " + w.arg(f.UnitID) + " AND cu.active = TRUE")
		q.single, q.from, q.order = true, "case_units cu JOIN cases c ON c.id = cu.case_id", "cu.case_id"
	}
	return q, nil
}

// trackingAlphabet leaves out 0/O and 1/I/L, which voters confuse.
const trackingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newTrackingCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	for i := range b {
		b[i] = trackingAlphabet[int(b[i])%len(trackingAlphabet)]
	}
	return string(b)
}

// CreateCase registers a case (接访登记). It enters the queue of the NPC
// body managing its station, or of the body whose region holds it.
func (db *DB) CreateCase(ctx context.Context, in lianluo.CaseInput) (_ *lianluo.Case, err error) {
	defer wrap(&err, "CreateCase")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanRegisterCases(a) {
		return nil, lianluo.Forbidden()
	}
	in.Title, in.Content = strings.TrimSpace(in.Title), strings.TrimSpace(in.Content)
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		var err error
		id, err = createCase(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.FindCaseByID(ctx, id)
}

func createCase(ctx context.Context, tx *Tx, a *lianluo.Actor, in lianluo.CaseInput) (int64, error) {
	region, err := requireRegion(ctx, tx.conn, "region_code", in.RegionCode)
	if err != nil {
		return 0, err
	}
	var orgID int64
	var within string // the region of the body the station reports to
	if in.StationID != nil {
		// The station in scope, its body and the body's region, in one query.
		var w where
		w.add("s.id = " + w.arg(*in.StationID))
		scopeStations(&w, a, "s")
		err := tx.QueryRow(ctx, `SELECT s.org_id, o.region_code FROM stations s JOIN orgs o ON o.id = s.org_id`+w.String(), w.args...).Scan(&orgID, &within)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, lianluo.FieldError("station_id", "联络站不存在或不在您的范围内。")
		} else if err != nil {
			return 0, err
		}
	} else {
		// The deepest NPC body whose region contains the case's region.
		err := tx.QueryRow(ctx, `SELECT id FROM orgs WHERE kind = 'npc' AND active = TRUE AND $1 LIKE region_code || '%'
			ORDER BY LENGTH(region_code) DESC, id LIMIT 1`, region).Scan(&orgID)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, lianluo.FieldError("station_id", "找不到负责该地区的人大机构，请选择联络站。")
		} else if err != nil {
			return 0, err
		}
	}
	// The region decides which office sees the case: inside the caller's
	// subtrees, or inside the area of the station's body (station staff and
	// deputies), never another town's.
	if err := a.CheckRegionInScope("region_code", region, within); err != nil {
		return 0, err
	}
	if in.ReceptionID != nil {
		// Registered during a reception: at that station, in the caller's scope.
		rc, err := findReception(ctx, tx.conn, *in.ReceptionID)
		if err != nil {
			return 0, lianluo.FieldError("reception_id", "接待活动不存在或不在您的范围内。")
		}
		if rc.Status != lianluo.ReceptionPublished || in.StationID == nil || *in.StationID != rc.StationID {
			return 0, lianluo.FieldError("reception_id", "只能关联本联络站已发布的接待活动。")
		}
	}
	slices.Sort(in.ReceivedBy)
	in.ReceivedBy = slices.Compact(in.ReceivedBy)
	for _, d := range in.ReceivedBy {
		if _, err := findDeputyByID(ctx, tx.conn, d); err != nil {
			return 0, lianluo.FieldError("received_by", "接待代表（编号%d）不存在或不在您的范围内。", d)
		}
	}
	// A deputy registering on their own is the receiving deputy.
	if d, ok := a.OwnDeputy(); ok && len(in.ReceivedBy) == 0 {
		in.ReceivedBy = []int64{d}
	}
	var creator *int64
	if a.User != nil && a.User.ID != 0 {
		creator = &a.User.ID
	}
	var id int64
	for attempt := 0; ; attempt++ {
		code := newTrackingCode()
		err = tx.QueryRow(ctx, `
			INSERT INTO cases (tracking_code, kind, channel, station_id, org_id, title, content, category, region_code,
				location, submitter_name, submitter_phone, submitter_address, submitter_id_number, urgent, confidential,
				status, round, created_by, version, created_at, updated_at, submitter_phone_last4, submitter_phone_hmac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'registered', 1, $17, 1, $18, $19, $20, $21)
			RETURNING id`,
			code, in.Kind, in.Channel, in.StationID, orgID, in.Title, in.Content, in.Category, region,
			in.Location, strings.TrimSpace(in.Submitter.Name), tx.db.keys.seal(in.Submitter.Phone), tx.db.keys.seal(in.Submitter.Address), tx.db.keys.seal(in.Submitter.IDNumber),
			in.Urgent, in.Confidential, creator, tx.now, tx.now, lianluo.PhoneTail(in.Submitter.Phone), tx.db.keys.phoneHash(in.Submitter.Phone)).Scan(&id)
		if isUniqueViolation(err) && attempt < 5 {
			continue
		}
		if err != nil {
			return 0, err
		}
		break
	}
	if in.ReceptionID != nil {
		if err := receptionOccasions.linkCase(ctx, tx, *in.ReceptionID, id); err != nil {
			return 0, err
		}
	}
	for _, d := range in.ReceivedBy {
		if _, err := tx.Exec(ctx, `INSERT INTO case_deputies (case_id, deputy_id) VALUES ($1, $2)`, id, d); err != nil {
			return 0, err
		}
	}
	if err := indexSearch(ctx, tx, "cases", id, textsearch.Document(in.Title, in.Content)); err != nil {
		return 0, err
	}
	comment := "渠道：" + lianluo.ChannelNames[in.Channel]
	if in.Urgent {
		comment += "；情况紧急"
	}
	if err := caseEvent(ctx, tx, id, lianluo.StepRegister, "", lianluo.StatusRegistered, comment); err != nil {
		return 0, err
	}
	if in.Urgent {
		// 000: urgent matters go to the town and district NPC offices at once.
		if err := notifyUrgent(ctx, tx, id, orgID, in.Title); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// notifyUrgent tells the office staff of the case's body and of its parent.
func notifyUrgent(ctx context.Context, tx *Tx, caseID, orgID int64, title string) error {
	orgs := []int64{orgID}
	var parent *int64
	if err := tx.QueryRow(ctx, `SELECT parent_id FROM orgs WHERE id = $1`, orgID).Scan(&parent); err != nil {
		return err
	}
	if parent != nil {
		orgs = append(orgs, *parent)
	}
	users, err := usersWithRole(ctx, tx, lianluo.RoleNPCOffice, orgs)
	if err != nil {
		return err
	}
	for _, u := range users {
		uid := u
		subject, body := lianluo.Message(lianluo.MsgCaseUrgent, lianluo.Truncate(title, 30))
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgCaseUrgent, Urgent: true, CaseID: &caseID,
			Subject: subject, Body: body,
			DedupeKey: fmt.Sprintf("urgent:%d:%d", caseID, uid)}); err != nil {
			return err
		}
	}
	return nil
}

// userRef is the actor's user ID for an actor_id column: NULL for the
// system and for the anonymous voter.
func userRef(a *lianluo.Actor) *int64 {
	if a == nil || a.User == nil || a.User.ID == 0 {
		return nil
	}
	return &a.User.ID
}

// caseEvent appends a step to the case's history, and to the audit trail.
func caseEvent(ctx context.Context, tx *Tx, caseID int64, action lianluo.WorkflowAction, from, to lianluo.CaseStatus, comment string) error {
	var actorID *int64
	name := "系统"
	if a := tx.actor; a != nil && a.User != nil {
		actorID = userRef(a)
		if a.User.DisplayName != "" {
			name = a.User.DisplayName
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO case_events (case_id, at, actor_id, actor_name, action, from_status, to_status, comment)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, caseID, tx.now, actorID, name, action, from, to, comment); err != nil {
		return err
	}
	summary := lianluo.ActionNamesCase[action]
	switch {
	case action == lianluo.StepRegister:
		summary = "登记"
	case summary == "":
		summary = comment
	}
	if to != "" && to != from {
		summary += "：" + lianluo.StatusNames[from] + " → " + lianluo.StatusNames[to]
	}
	return tx.event(ctx, lianluo.EntityCase, caseID, lianluo.AuditAction(action), strings.TrimPrefix(summary, "："))
}
