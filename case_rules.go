package lianluo

import (
	"slices"
	"time"
)

// Who may do what on a case. These functions are the one definition of the
// case workflow's permissions: the store checks an action with CanAct, the
// case page offers AllowedActions, and the to-do lists hold exactly the
// cases TodoKeys puts on them (the store's SQL for the lists mirrors these
// functions clause by clause; a test compares the two over the demo).

// CaseRoles is what an actor is to one case.
type CaseRoles struct {
	Office  bool // works in an NPC body responsible for the case (its region or its queue), or an administrator
	Queue   bool // works in the NPC body whose queue holds the case
	Leader  bool // leads that body (主席/副主席/工委主任): approves and assigns
	Station bool // head or liaison of the case's station
	Deputy  bool // a deputy who received the case
	Handler bool // a handler of the case's current lead unit
	// Suggestions and bills:
	Lead     bool // the lead deputy (领衔代表)
	Cosigner bool // a deputy invited to co-sign (附议/联名)
}

// RolesOn says what the actor is to the case. The case must carry its
// receiving deputies and current units (as FindCaseByID returns it).
func RolesOn(a *Actor, c *Case) CaseRoles {
	var r CaseRoles
	if a == nil || a.User == nil || c == nil {
		return r
	}
	admin := a.IsSystemAdmin()
	npc := a.HasAny(RoleNPCOffice, RoleNPCLeader)
	r.Office = admin || (npc && (a.Scope.InRegion(c.RegionCode) || slices.Contains(a.Scope.Orgs, c.OrgID)))
	r.Queue = admin || (npc && slices.Contains(a.Scope.Orgs, c.OrgID))
	r.Leader = admin || slices.Contains(a.LeaderOrgs(), c.OrgID)
	r.Station = c.StationID != nil && slices.Contains(a.StaffStations(), *c.StationID)
	r.Deputy = slices.ContainsFunc(a.Scope.Deputies, func(id int64) bool { return slices.Contains(c.ReceivedBy, id) })
	if lead := c.LeadUnit(); lead != 0 {
		r.Handler = slices.Contains(a.Scope.Units, lead)
	}
	for _, s := range c.Signers {
		if slices.Contains(a.Scope.Deputies, s.DeputyID) {
			r.Lead = r.Lead || s.Lead
			r.Cosigner = r.Cosigner || !s.Lead
		}
	}
	return r
}

// LeaderOrgs are the active NPC bodies the actor leads (npc_leader grants).
func (a *Actor) LeaderOrgs() []int64 {
	var out []int64
	if a == nil || a.User == nil {
		return out
	}
	for _, g := range a.User.Roles {
		if g.Role == RoleNPCLeader && g.OrgID != nil && slices.Contains(a.Scope.Orgs, *g.OrgID) {
			out = append(out, *g.OrgID)
		}
	}
	return out
}

// StaffStations are the stations the actor runs as head or liaison (a
// deputy's stations are in the scope too, but a deputy does not run them).
func (a *Actor) StaffStations() []int64 {
	var out []int64
	if a == nil || a.User == nil {
		return out
	}
	for _, g := range a.User.Roles {
		if (g.Role == RoleStationHead || g.Role == RoleLiaison) && g.StationID != nil {
			out = append(out, *g.StationID)
		}
	}
	return out
}

// LeadUnit returns the current lead unit (主办单位), or 0.
func (c *Case) LeadUnit() int64 {
	for _, u := range c.Units {
		if u.Lead {
			return u.OrgID
		}
	}
	return 0
}

// Evaluators are who rates a case (满意度测评).
const (
	ByDeputy = "deputy"
	ByVoter  = "voter"
)

// EvaluatorNames are the Chinese names of the evaluators.
var EvaluatorNames = map[string]string{ByDeputy: "代表", ByVoter: "群众"}

// mayRecord reports whether the actor may record the rating of evaluator by:
// the receiving deputy or the office records the deputy's; the office or
// the station's staff the voter's (often taken by phone).
func (r CaseRoles) mayRecord(by string) bool {
	if r.Lead {
		return by == ByDeputy
	}
	switch by {
	case ByDeputy:
		return r.Deputy || r.Office
	case ByVoter:
		return r.Office || r.Station
	}
	return false
}

// roleAllows reports whether the actor's part in the case lets them take
// the action at all (whatever the case's state).
func (r CaseRoles) roleAllows(action WorkflowAction) bool {
	switch action {
	case ActTriage, ActUrge:
		return r.Office || r.Station
	case ActApprove:
		return r.Leader // 000: 报镇人大主席或副主席 — the leader assigns
	case ActEscalate, ActSendBack, ActDecideExtension:
		return r.Queue
	case ActSign, ActReturn, ActRequestExtension, ActReply:
		return r.Handler
	case ActFeedback:
		// Deputies do not handle matters (000, 003) but feed the answer back
		// to the voters they received; other deputies of the station do not.
		return r.Office || r.Station || r.Deputy
	case ActEvaluate:
		return r.mayRecord(ByDeputy) || r.mayRecord(ByVoter)
	case ActSupervise, ActClose, ActArchive, ActLink:
		return r.Office
	}
	return false
}

// CanAct checks the caller's part in the case for the action; by is the
// evaluator of an evaluate action. It does not check the state (see
// ActionAllowedIn) or the action's own input.
func CanAct(a *Actor, c *Case, action WorkflowAction, by string) error {
	return RolesOn(a, c).check(c.Kind, action, by)
}

// allows reports whether the actor's part in a case of the kind lets them
// take the action at all.
func (r CaseRoles) allows(kind string, action WorkflowAction) bool {
	if IsSuggestionKind(kind) {
		return r.suggestionAllows(action)
	}
	return r.roleAllows(action)
}

// check is CanAct for the actor's roles on a case of the kind.
func (r CaseRoles) check(kind string, action WorkflowAction, by string) error {
	if IsSuggestionKind(kind) {
		if !r.suggestionAllows(action) {
			return Forbidden()
		}
		return nil
	}
	if action == ActEvaluate {
		if by != ByDeputy && by != ByVoter {
			return FieldError("by", "请说明是代表（deputy）还是群众（voter）的测评。")
		}
		if !r.mayRecord(by) {
			return Forbidden()
		}
		return nil
	}
	if !r.roleAllows(action) {
		return Forbidden()
	}
	return nil
}

// Evaluators lists whose rating the actor may record on the case now: the
// ones they may record that are not yet given in the current round.
func Evaluators(a *Actor, c *Case) []string {
	r := RolesOn(a, c)
	var out []string
	bys := []string{ByDeputy, ByVoter}
	if IsSuggestionKind(c.Kind) {
		bys = bys[:1] // the lead deputy evaluates a suggestion's answer
	}
	for _, by := range bys {
		if r.mayRecord(by) && !c.rated(by) {
			out = append(out, by)
		}
	}
	return out
}

// rated reports whether the evaluator has rated the case in its current round.
func (c *Case) rated(by string) bool {
	return slices.ContainsFunc(c.Ratings, func(x Rating) bool { return x.By == by && x.Round == c.Round })
}

// AllowedActions lists what the actor may do on the case now: the forms the
// case page shows, and (through TodoKeys) the to-do lists the case is on.
// The case must carry its receiving deputies, units and ratings.
func AllowedActions(a *Actor, c *Case, pol Policy) []WorkflowAction {
	out := []WorkflowAction{}
	if a == nil || a.User == nil || c == nil || c.MasterID != nil {
		return out // a linked case (并案) is acted on through its master
	}
	r := RolesOn(a, c)
	for _, act := range Actions {
		if !KindAllows(c.Kind, act, c.Status) || !r.allows(c.Kind, act) {
			continue
		}
		switch act {
		case ActRequestExtension:
			if c.Extension != nil {
				continue // 003: one extension per case
			}
		case ActDecideExtension:
			if c.Extension == nil || c.Extension.Decided {
				continue
			}
		case ActEvaluate:
			if len(Evaluators(a, c)) == 0 {
				continue
			}
		case ActClose:
			if !IsSuggestionKind(c.Kind) && c.Status == StatusSupervising && c.Round < pol.MaxRounds {
				continue
			}
		case ActProgress:
			if c.KeySupervisor == "" {
				continue
			}
		case ActCosign:
			if !slices.ContainsFunc(c.Signers, func(s Signer) bool {
				return !s.Lead && s.ConfirmedAt == nil && s.DeclinedAt == nil && slices.Contains(a.Scope.Deputies, s.DeputyID)
			}) {
				continue
			}
		}
		out = append(out, act)
	}
	return out
}

// TodoLists are the to-do lists of 我的待办.
var TodoLists = []struct{ Key, Name string }{
	{"triage", "待梳理"}, {"approve", "待审核交办"}, {"sign", "待签收"}, {"reply", "待答复"},
	{"overdue", "已超期"}, {"extension", "待审批延期"}, {"feedback", "待反馈"}, {"evaluate", "待测评"},
	{"supervise", "待督办"},
}

// todoKeyOf puts the actions that move a case on to its next step on a
// to-do list. The others (urge, return, request an extension, close,
// archive, link) are offered on the case page but wait on nobody.
var todoKeyOf = map[WorkflowAction]string{
	ActTriage:          "triage",
	ActApprove:         "approve",
	ActEscalate:        "approve", // the body's staff may send a submission back or up
	ActSendBack:        "approve",
	ActSign:            "sign",
	ActReply:           "reply",
	ActDecideExtension: "extension",
	ActFeedback:        "feedback",
	ActEvaluate:        "evaluate",
	ActSupervise:       "supervise",
	ActRedo:            "supervise", // a suggestion's 重新办理
}

// TodoKeyOf returns the to-do list an action belongs to, or "".
func TodoKeyOf(action WorkflowAction) string { return todoKeyOf[action] }

// TodoActions returns the actions that put a case on the to-do list key
// (none for overdue, which is not one step).
func TodoActions(key string) []WorkflowAction {
	var out []WorkflowAction
	for _, act := range Actions {
		if todoKeyOf[act] == key {
			out = append(out, act)
		}
	}
	return out
}

// IsOverdue reports whether the case is past its running deadline at now
// (the rule of OverdueAt, which statistics count with too).
func (c *Case) IsOverdue(now time.Time) bool {
	return OverdueAt(c.Status, c.DueDate, now)
}

// TodoKeys lists the to-do lists the case is on for the actor, in the order
// of TodoLists. "overdue" holds the cases past their deadline on which the
// actor can act now — the leader or the queue's staff on an overdue
// approval, the lead unit on its own late case, the office and the
// station's staff who may urge it — so every entry of every list is work
// its reader can do.
func TodoKeys(a *Actor, c *Case, pol Policy, now time.Time) []string {
	allowed := AllowedActions(a, c, pol)
	on := map[string]bool{}
	for _, act := range allowed {
		if k := todoKeyOf[act]; k != "" {
			on[k] = true
		}
	}
	if len(allowed) > 0 && c.IsOverdue(now) {
		on["overdue"] = true
	}
	var out []string
	for _, l := range TodoLists {
		if on[l.Key] {
			out = append(out, l.Key)
		}
	}
	return out
}

// partsOf is what a role can be to a case at most: the parts RolesOn can
// give a holder of that role.
func partsOf(role string) CaseRoles {
	switch role {
	case RoleSystemAdmin, RoleNPCLeader:
		return CaseRoles{Office: true, Queue: true, Leader: true}
	case RoleNPCOffice:
		return CaseRoles{Office: true, Queue: true}
	case RoleStationHead, RoleLiaison:
		return CaseRoles{Station: true}
	case RoleDeputy:
		return CaseRoles{Deputy: true}
	case RoleUnitHandler:
		return CaseRoles{Handler: true}
	}
	return CaseRoles{}
}

// TodoListsFor lists the to-do lists the actor's roles work, in the order
// of TodoLists: those holding an action one of their roles may take, and
// 已超期 for the roles that may act on a case while its deadline runs. The
// lists of 我的待办 and the phone's task tabs are these.
func TodoListsFor(a *Actor) []string {
	var out []string
	if a == nil || a.User == nil {
		return out
	}
	works := func(act WorkflowAction) bool {
		for _, g := range a.User.Roles {
			if partsOf(g.Role).roleAllows(act) {
				return true
			}
		}
		return false
	}
	for _, l := range TodoLists {
		acts := TodoActions(l.Key)
		if l.Key == "overdue" {
			acts = nil
			for _, act := range Actions {
				if slices.ContainsFunc(OverdueStatuses, func(s CaseStatus) bool { return ActionAllowedIn(act, s) }) {
					acts = append(acts, act)
				}
			}
		}
		if slices.ContainsFunc(acts, works) {
			out = append(out, l.Key)
		}
	}
	return out
}
