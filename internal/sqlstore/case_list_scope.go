package sqlstore

import (
	"strconv"
	"strings"

	"lianluo"
)

// A case list's scope as its ways in: one per part of what the actor may
// see, each walking its own index in id order (docs/storage.md, "Case
// lists"). case_list.go pages along them.

// scopeCaseArms is scopeCases as the ways into the cases aliased c, one
// per part of the scope, each with the index it walks in id order
// (migration 0020): a town's or district's subtree cases_town_id or
// cases_district_id, a body's queue cases_org_id, a station's
// cases_station_id, a deputy's received cases case_deputies_deputy_case, a
// unit's case_units_org_case. nil means every case; an empty scope is one
// arm matching nothing.
func scopeCaseArms(w *where, a *lianluo.Actor) []caseArm { return scopeCaseArmsAs(w, a, "c") }

func scopeCaseArmsAs(w *where, a *lianluo.Actor, alias string) []caseArm {
	return scopeArms(w, a, alias, caseRegion)
}

func scopeArms(w *where, a *lianluo.Actor, alias string, region func(w *where, col, p string) string) []caseArm {
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
		plain(region(w, alias+".region_code", p))
	}
	// A body's queue and a station's cases, one arm each: an IN of several
	// walks each key's cases in id order but then sorts them all (a
	// deputy of two stations: 200,000 cases sorted for a first page, 32 ms
	// at a million cases), where the arms are merged in order.
	for _, org := range s.Orgs {
		p := w.arg(org)
		plain(alias + ".org_id = " + p)
		arm := &arms[len(arms)-1]
		arm.pgCond = alias + ".org_id >= " + p + " AND " + alias + ".org_id <= " + p
		arm.pgOrder = alias + ".org_id DESC, " + alias + ".id DESC"
	}
	for _, st := range s.Stations {
		plain(alias + ".station_id = " + w.arg(st))
	}
	if len(s.Deputies) > 0 {
		// The condition probes the deputy per case, on case_deputies' key:
		// as an IN list, the deputy's received cases (19,050 at a million
		// cases) were read whole for every page of a filter the arms share
		// (a category, the overdue list, a search): 4.4–6 ms, where the
		// walk finds its page among the deputy's stations' cases first
		// (0.14–0.37 ms).
		ids := w.in(s.Deputies)
		probe := ownerProbe("case_deputies sdp", "sdp.deputy_id", ids)
		arm := caseArm{from: "cases " + alias, id: alias + ".id", cond: probe(alias + ".id"), idCond: probe}
		if len(s.Deputies) == 1 {
			// Walk the deputy's received cases in case order.
			arm.from = "case_deputies sd JOIN cases " + alias + " ON " + alias + ".id = sd.case_id"
			arm.id, arm.on = "sd.case_id", "sd.deputy_id = "+ids[1:len(ids)-1]
		}
		arms = append(arms, arm)
		// The suggestions and bills they lead or are invited to sign.
		plain(alias + ".id IN (SELECT case_id FROM suggestion_signers WHERE deputy_id IN " + w.in(s.Deputies) + ")")
	}
	if len(s.Units) > 0 {
		// The condition probes the unit per case: SQLite builds an IN list
		// whole before the first row, and a large department holds a fifth
		// of a district's cases (docs/storage.md, "Case lists").
		ids := w.in(s.Units)
		probe := ownerProbe("case_units su0", "su0.org_id", ids)
		arm := caseArm{from: "cases " + alias, id: alias + ".id", cond: probe(alias + ".id"), idCond: probe}
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

// ownerProbe is the condition, on a case id, that the case has a row in
// table (with its alias) whose owner column is among ids: one look-up on
// the table's (case_id, owner) key per case.
func ownerProbe(table, owner, ids string) func(id string) string {
	alias := table[strings.LastIndexByte(table, ' ')+1:]
	return func(id string) string {
		return "EXISTS (SELECT 1 FROM " + table + " WHERE " + alias + ".case_id = " + id + " AND " + owner + " IN " + ids + ")"
	}
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

// statusRegion is caseRegion in a list of one or more statuses, which
// pages along cases_status_id (status, id, due_at) in id order: a town's
// or district's subtree is then checked per case (SQLite's unary + keeps
// it off cases_town_id and cases_district_id). Walking the region instead
// finds a status in flight — a few thousand cases where a district holds a
// million — only after passing over every case of the region in another
// status, and all of them when the region has none in that status. A
// village, a few thousand cases, keeps its own index.
func (db *DB) statusRegion(w *where, col, p string) string {
	c := caseRegion(w, col, p)
	if (len(p) == 9 || len(p) == 6) && db.Dialect == SQLite {
		return "+" + c
	}
	return c
}

// caseArm is one way into the cases of a scope: a FROM, the id column its
// index delivers in order, the condition that goes with it, and that
// condition on the case alone (cond) — what later arms exclude.
type caseArm struct {
	from, id, on, cond string
	// pgCond and pgOrder, when set, are the arm's condition and the order
	// of its first rows on PostgreSQL (pageIDs): a body's queue as a range
	// on org_id ordered by (org_id, id), which only cases_org_id delivers.
	// With org_id = $n the planner folds that order back to id alone and,
	// expecting a match every other row, walks the primary key backwards,
	// through every newer case of other bodies (55 ms after a burst of
	// 11,000 of them at a million cases, BENCHMARKS.md).
	pgCond, pgOrder string
	// idCond, when set, is cond on a case id given by another table: a
	// search on SQLite checks it on the full-text index's rowid, before
	// the case's row is read (caseListQuery).
	idCond func(id string) string
}
