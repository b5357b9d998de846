package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// The to-do lists in SQL. A case is on one of the caller's lists exactly
// when lianluo.TodoKeys says so; the clauses below mirror
// lianluo.RolesOn, lianluo.AllowedActions and lianluo.TodoKeys one for one,
// so that a list, its count and the case page always agree.

// caseRolesSQL gives, for one actor, a condition on the case aliased c for
// each field of lianluo.CaseRoles. A condition's arguments are bound the
// first time it is used: PostgreSQL refuses a parameter the query never uses.
type caseRolesSQL struct {
	w        *where
	a        *lianluo.Actor
	statuses []lianluo.CaseStatus // the list's: a deputy's or a unit's part is looked for among its cases in them
	whole    bool                 // the whole list is read (a count), not a page
	memo     map[string]string
}

const (
	sqlTrue  = "1 = 1"
	sqlFalse = "1 = 0"
)

// rolesSQL gives the conditions of the actor's roles on a case of a list
// whose cases are in statuses, to be read whole or by the page.
func rolesSQL(w *where, a *lianluo.Actor, statuses []lianluo.CaseStatus, whole bool) *caseRolesSQL {
	return &caseRolesSQL{w: w, a: a, statuses: statuses, whole: whole, memo: map[string]string{}}
}

func (r *caseRolesSQL) office() string  { return r.get("office") }
func (r *caseRolesSQL) queue() string   { return r.get("queue") }
func (r *caseRolesSQL) leader() string  { return r.get("leader") }
func (r *caseRolesSQL) station() string { return r.get("station") }
func (r *caseRolesSQL) deputy() string  { return r.get("deputy") }
func (r *caseRolesSQL) handler() string { return r.get("handler") }

func (r *caseRolesSQL) get(role string) string {
	if c, ok := r.memo[role]; ok {
		return c
	}
	w, a := r.w, r.a
	c := sqlFalse
	npc := a.HasAny(lianluo.RoleNPCOffice, lianluo.RoleNPCLeader)
	switch role {
	case "office":
		if a.IsSystemAdmin() {
			c = sqlTrue
		} else if npc {
			var or []string
			for _, p := range a.Scope.Regions {
				or = append(or, caseRegion(w, "c.region_code", p))
			}
			if len(a.Scope.Orgs) > 0 {
				or = append(or, r.queue())
			}
			if len(or) > 0 {
				c = "(" + strings.Join(or, " OR ") + ")"
			}
		}
	case "queue":
		if a.IsSystemAdmin() {
			c = sqlTrue
		} else if npc && len(a.Scope.Orgs) > 0 {
			c = "c.org_id IN " + w.in(a.Scope.Orgs)
		}
	case "leader":
		if a.IsSystemAdmin() {
			c = sqlTrue
		} else if orgs := a.LeaderOrgs(); len(orgs) > 0 {
			c = "c.org_id IN " + w.in(orgs)
		}
	case "station":
		if ss := a.StaffStations(); len(ss) > 0 {
			c = "c.station_id IN " + w.in(ss)
		}
	case "deputy":
		// The deputy's received cases in the list's statuses, from the
		// copy of each case's status beside its deputies (migration
		// 0036): an index range of the deputy's own cases waiting, rather
		// than every case it ever received (13,000 at a million cases,
		// checked against the statuses' 8,000–10,000).
		if ds := a.Scope.Deputies; len(ds) > 0 && len(r.statuses) > 0 {
			c = "c.id IN (SELECT case_id FROM case_deputies WHERE deputy_id IN " + w.in(ds) +
				" AND case_status IN (" + quoteList(r.statuses) + "))"
		}
	case "lead":
		// The lead deputy of a suggestion or bill (lianluo.CaseRoles.Lead).
		if ds := a.Scope.Deputies; len(ds) > 0 {
			c = "c.id IN (SELECT case_id FROM suggestion_signers WHERE lead = TRUE AND deputy_id IN " + w.in(ds) + ")"
		}
	case "handler":
		us := a.Scope.Units
		switch {
		case len(us) == 0 || len(r.statuses) == 0:
		case r.whole:
			// A count: the department's cases in the list's statuses, from
			// the copy of each case's status beside its units (migration
			// 0036), where a small department's assignment was probed on
			// each of the district's cases in handling (20,000 at a million
			// cases, 17 ms to find its few).
			c = "c.id IN (SELECT case_id FROM case_units WHERE org_id IN " + w.in(us) + " AND case_status IN (" + quoteList(r.statuses) +
				") AND active = TRUE AND lead = TRUE)"
		default:
			// A page stops at its twenty-first case: probed per case, the
			// walk is short for a large department and bounded for a small
			// one, where building the list first cost a large one 1.1 ms a
			// page (4,877 cases in handling) against 0.45. Every column of
			// case_units_org_status given, the probe is one look-up in it.
			c = "EXISTS (SELECT 1 FROM case_units hu WHERE hu.org_id IN " + w.in(us) +
				" AND hu.case_status = c.status AND hu.case_id = c.id AND hu.active = TRUE AND hu.lead = TRUE)"
		}
	}
	r.memo[role] = c
	return c
}

// only reports whether every role whose condition was built, other than
// those the actor lacks, is among roles.
func (r *caseRolesSQL) only(roles ...string) bool {
	for role, c := range r.memo {
		if c != sqlFalse && !slices.Contains(roles, role) {
			return false
		}
	}
	return true
}

// anyOf is the conditions ORed, leaving out those that are sqlFalse (a
// role the actor does not have): sqlFalse when none is left, so that a
// to-do list the actor has no part in is known empty before any row is
// read (todoClause).
func anyOf(cs ...string) string {
	cs = slices.DeleteFunc(slices.Clone(cs), func(c string) bool { return c == sqlFalse })
	if len(cs) == 0 {
		return sqlFalse
	}
	return "(" + strings.Join(cs, " OR ") + ")"
}

// allOf is the conditions ANDed: sqlFalse when any of them is.
func allOf(cs ...string) string {
	if slices.Contains(cs, sqlFalse) {
		return sqlFalse
	}
	return "(" + strings.Join(cs, " AND ") + ")"
}

// notRated is the condition that the evaluator has not rated the case in its round.
func notRated(by string) string {
	return "NOT EXISTS (SELECT 1 FROM case_ratings cr WHERE cr.case_id = c.id AND cr.round = c.round AND cr.by_kind = '" + by + "')"
}

// actionStatuses are the statuses an action may start from.
func actionStatuses(action lianluo.WorkflowAction) []lianluo.CaseStatus {
	var out []lianluo.CaseStatus
	for _, s := range lianluo.Statuses {
		if lianluo.ActionAllowedIn(action, s) {
			out = append(out, s)
		}
	}
	return out
}

// statusIn is "c.status IN ('a', 'b')"; statuses are constants, not input.
func statusIn(ss []lianluo.CaseStatus) string {
	if len(ss) == 0 {
		return sqlFalse
	}
	return "c.status IN (" + quoteList(ss) + ")"
}

// actionSQL is the condition that the action is among the caller's
// allowed actions on the case (lianluo.AllowedActions), for a case in one
// of the statuses within (nil: any status), in two parts ANDed: the role
// that may take it, and the rest (statuses and the like). role is sqlFalse
// when the caller has no such role or the action cannot be taken in those
// statuses.
func actionSQL(r *caseRolesSQL, action lianluo.WorkflowAction, pol lianluo.Policy, within []lianluo.CaseStatus) (role, rest string) {
	statuses := actionStatuses(action)
	if within != nil {
		statuses = slices.DeleteFunc(statuses, func(s lianluo.CaseStatus) bool { return !slices.Contains(within, s) })
	}
	if len(statuses) == 0 {
		return sqlFalse, "" // before any role binds an argument the query would not use
	}
	switch action {
	case lianluo.ActTriage, lianluo.ActUrge:
		role = anyOf(r.office(), r.station())
	case lianluo.ActApprove:
		role = r.leader()
	case lianluo.ActEscalate, lianluo.ActSendBack, lianluo.ActDecideExtension:
		role = r.queue()
	case lianluo.ActSign, lianluo.ActReturn, lianluo.ActRequestExtension, lianluo.ActReply:
		role = r.handler()
	case lianluo.ActFeedback:
		role = anyOf(r.office(), r.station(), r.deputy())
	case lianluo.ActEvaluate:
		// lianluo.Evaluators: a rating the caller may record and nobody has given yet.
		role = anyOf(allOf(anyOf(r.deputy(), r.get("lead"), r.office()), notRated(lianluo.ByDeputy)),
			allOf(anyOf(r.office(), r.station()), notRated(lianluo.ByVoter)))
	case lianluo.ActSupervise, lianluo.ActClose, lianluo.ActArchive, lianluo.ActLink:
		role = r.office()
	default:
		return sqlFalse, ""
	}
	if role == sqlFalse {
		return sqlFalse, ""
	}
	cs := []string{statusIn(statuses)}
	switch action {
	case lianluo.ActRequestExtension:
		cs = append(cs, "c.ext_until IS NULL")
	case lianluo.ActDecideExtension:
		cs = append(cs, extensionPending("c"))
	case lianluo.ActClose:
		cs = append(cs, "NOT (c.status = 'supervising' AND c.round < "+strconv.Itoa(pol.MaxRounds)+")")
	}
	return role, "(" + strings.Join(cs, " AND ") + ")"
}

// extensionPending is the condition that the case aliased alias has an
// extension request awaiting a decision: the WHERE of the partial index
// cases_extension_pending, word for word, so that the planner uses it.
func extensionPending(alias string) string {
	return alias + ".ext_until IS NOT NULL AND " + alias + ".ext_decided = FALSE"
}

// todoClause restricts a list to one of the caller's to-do lists. It
// reports whether the list's conditions lie inside the caller's scope by
// themselves: when the caller's only part in the list is as a deputy who
// received the case or leads the suggestion, or as a department handling
// it, which the scope's deputy and unit arms hold (scopeArms) whatever
// else is true of the case, the list need not check the scope again (the
// deputy's or the department's part would be probed a second time per
// case).
func todoClause(w *where, a *lianluo.Actor, key string, pol lianluo.Policy, now time.Time, whole bool) (inScope bool, err error) {
	if a == nil || a.User == nil {
		return false, lianluo.Errorf(lianluo.EUNAUTHORIZED, "请先登录。")
	}
	known := false
	for _, l := range lianluo.TodoLists {
		known = known || l.Key == key
	}
	if !known {
		return false, lianluo.FieldError("todo", "待办类别“%s”不存在。", lianluo.Truncate(key, 20))
	}
	// A linked case (并案) is acted on through its master.
	w.add("c.master_id IS NULL")
	acts := lianluo.TodoActions(key)
	if key == "extension" {
		// The few requests pending, from cases_extension_pending (migration
		// 0021), rather than every case in handling of the queue.
		w.add("c.id IN (SELECT id FROM cases WHERE " + extensionPending("cases") + ")")
	}
	var within []lianluo.CaseStatus // nil: whatever the actions start from
	if key == "overdue" {
		w.add(statusIn(lianluo.OverdueStatuses) + " AND c.due_at < " + w.arg(now))
		acts, within = lianluo.Actions, lianluo.OverdueStatuses
	}
	var statuses []lianluo.CaseStatus
	for _, act := range acts {
		for _, s := range actionStatuses(act) {
			if !slices.Contains(statuses, s) && (within == nil || slices.Contains(within, s)) {
				statuses = append(statuses, s)
			}
		}
	}
	r := rolesSQL(w, a, statuses, whole)
	// The actions' conditions grouped by role, each role once: a
	// department's overdue list has four actions of the handler's, and
	// the probe of its assignment was tried once per action on a case in
	// handling that was not the department's.
	var roles []string
	rests := map[string][]string{}
	for _, act := range acts {
		role, rest := actionSQL(r, act, pol, within)
		if role == sqlFalse {
			continue
		}
		if _, ok := rests[role]; !ok {
			roles = append(roles, role)
		}
		rests[role] = append(rests[role], rest)
	}
	var conds []string
	for _, role := range roles {
		// The statuses first: cheap, and they pass over most cases
		// before the role's probe is tried.
		conds = append(conds, "("+anyOf(rests[role]...)+" AND "+role+")")
	}
	// The statuses first, on their own: the index on status narrows the
	// search before the per-action conditions are tried.
	w.add(statusIn(statuses))
	// None of the list's actions the caller's (a deputy's 待签收, a unit's
	// 待测评): anyOf gives a constant false term, which both databases
	// evaluate once before the first row, instead of walking the
	// statuses' cases (25–60 ms at a million cases) to find nothing.
	w.add(anyOf(conds...))
	return len(conds) > 0 && r.only("deputy", "lead", "handler"), nil
}

// TodoCounts counts each of the caller's to-do lists, up to
// lianluo.TodoCountCap+1.
func (db *DB) TodoCounts(ctx context.Context) (map[string]int, error) {
	return db.todoCounts(ctx, lianluo.TodoCountCap)
}

func (db *DB) todoCounts(ctx context.Context, most int) (_ map[string]int, err error) {
	defer wrap(&err, "TodoCounts")
	a := lianluo.ActorFromContext(ctx)
	out := map[string]int{}
	for _, l := range lianluo.TodoLists {
		cq, err := db.caseListQuery(ctx, a, lianluo.CaseFilter{Todo: l.Key}, true)
		if err != nil {
			return nil, err
		}
		if out[l.Key], err = db.countCases(ctx, cq, most); err != nil {
			return nil, err
		}
	}
	return out, nil
}
