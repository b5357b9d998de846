package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// 我的建议 on the deputy's phone (docs/suggestions.md, "On the deputy's
// phone"): the suggestions and bills the deputy leads or is invited to
// sign, a form to write one as a draft with co-signers chosen by name, and
// a page for each with the deputy's own steps — 确认附议/谢绝, 提出 and the
// lead deputy's evaluation. The office's and the units' steps are on the
// console's case page.

const mySuggestionsURL = "/console/my-suggestions"

func mySuggestionURL(id int64) string { return mySuggestionsURL + "/" + strconv.FormatInt(id, 10) }

// mySuggestionLimit bounds the suggestions and bills listed: a deputy
// raises or signs a handful a year.
const mySuggestionLimit = 50

// mySuggestionFields are the draft form's inputs (the store's field names).
// The session, the body and the lead deputy are not inputs of the form:
// their errors show above it.
var mySuggestionFields = []string{"kind", "title", "content", "reasons", "proposals", "category", "cosigner_ids", "evidence_case_ids"}

// deputyActions are the steps the phone offers, with their form's fields.
var deputyActions = map[lianluo.WorkflowAction][]string{
	lianluo.ActCosign:   {"approve"},
	lianluo.ActSubmit:   {},
	lianluo.ActEvaluate: {"by", "rating", "comment"},
	lianluo.ActEdit:     {"title", "content", "reasons", "proposals", "category"},
}

var suggestionFlashes = map[string]string{
	"draft":    "草稿已保存。您邀请的代表会在手机上收到附议邀请，确认后即可提出。",
	"submit":   "已提出。",
	"edit":     "草稿已修改。",
	"cosign":   "您已确认附议。",
	"declined": "您已谢绝附议。",
	"evaluate": "评价已提交，谢谢。",
}

// ownDeputyOnly is the deputy signed in; the pages are theirs alone.
func ownDeputyOnly(ac *lianluo.Actor) (int64, error) {
	if id, ok := ac.OwnDeputy(); ok {
		return id, nil
	}
	return 0, lianluo.Errorf(lianluo.EFORBIDDEN, "“我的建议”只对人大代表本人开放。")
}

// suggestionRow is a suggestion or bill as the deputy's lists show it.
type suggestionRow struct {
	C       *lianluo.Case
	Noun    string // 建议, 议案
	Status  string
	Number  string
	Lead    string // the lead deputy's name, or 主席团
	Mine    bool   // the deputy leads it
	Waits   string // what waits on the deputy, "" when nothing
	Invited bool   // an invitation to co-sign waits for their answer
	Due     dueInfo
}

func (a *app) suggestionRow(c *lianluo.Case, me int64) suggestionRow {
	row := suggestionRow{C: c, Noun: lianluo.KindNoun(c.Kind), Status: lianluo.StatusNames[c.Status], Number: c.NumberText(),
		Lead: "主席团", Due: a.dueOf(c)}
	pending := 0
	for _, s := range c.Signers {
		switch {
		case s.Lead:
			row.Lead = s.Name
			row.Mine = s.DeputyID == me
		case s.ConfirmedAt == nil && s.DeclinedAt == nil:
			pending++
		}
	}
	switch {
	case slices.Contains(c.Allowed, lianluo.ActCosign):
		row.Invited, row.Waits = true, "等您确认附议"
		if c.Kind == lianluo.KindBill {
			row.Waits = "等您确认联名"
		}
	case slices.Contains(c.Allowed, lianluo.ActEvaluate):
		row.Waits = "等您评价办理结果"
	case slices.Contains(c.Allowed, lianluo.ActSubmit) && pending > 0:
		row.Waits = fmt.Sprintf("草稿：还有%d位代表未答复附议邀请", pending)
	case slices.Contains(c.Allowed, lianluo.ActSubmit):
		row.Waits = "草稿：等您提出"
	}
	return row
}

// mySuggestions lists the suggestions and bills the deputy leads or is
// invited to sign, newest first, with what each waits for.
func (a *app) mySuggestions(ctx context.Context, me int64) ([]suggestionRow, error) {
	var all []*lianluo.Case
	for _, kind := range []string{lianluo.KindSuggestion, lianluo.KindBill} {
		cs, _, err := a.svc.Cases.FindCases(ctx, lianluo.CaseFilter{Kind: kind, Page: lianluo.Page{PerPage: mySuggestionLimit}})
		if err != nil {
			return nil, err
		}
		all = append(all, cs...)
	}
	slices.SortFunc(all, func(x, y *lianluo.Case) int { return cmp.Compare(y.ID, x.ID) })
	if len(all) > mySuggestionLimit {
		all = all[:mySuggestionLimit]
	}
	pol, err := a.svc.Settings.Policy(ctx)
	if err != nil {
		return nil, err
	}
	ac := lianluo.ActorFromContext(ctx)
	out := make([]suggestionRow, 0, len(all))
	for _, c := range all {
		// The list carries the signers, units, 面商 and ratings: the
		// deputy's steps are decided as on the suggestion's page.
		if !slices.ContainsFunc(c.Signers, func(s lianluo.Signer) bool { return s.DeputyID == me }) {
			continue // one the deputy sees otherwise (none today)
		}
		c.Allowed = lianluo.AllowedActions(ac, c, pol)
		out = append(out, a.suggestionRow(c, me))
	}
	return out, nil
}

// suggestionSummary is what the deputy's home shows of 我的建议.
type suggestionSummary struct {
	Invites  []suggestionRow // invitations waiting for their answer
	Drafts   int             // their drafts not yet put forward
	Evaluate int             // answers waiting for their evaluation
	Total    int
}

// Waiting is what waits for the deputy's answer: invitations and
// evaluations.
func (s *suggestionSummary) Waiting() int { return len(s.Invites) + s.Evaluate }

func (a *app) suggestionSummary(ctx context.Context, me int64) (*suggestionSummary, error) {
	rows, err := a.mySuggestions(ctx, me)
	if err != nil {
		return nil, err
	}
	s := &suggestionSummary{Total: len(rows)}
	for _, row := range rows {
		switch {
		case row.Invited:
			s.Invites = append(s.Invites, row)
		case slices.Contains(row.C.Allowed, lianluo.ActEvaluate):
			s.Evaluate++
		case row.Mine && row.C.Status == lianluo.StatusDraft:
			s.Drafts++
		}
	}
	return s, nil
}

type mySuggestionListPage struct {
	basePage
	Rows []suggestionRow
}

// mySuggestionList is 我的建议: every suggestion and bill of the deputy.
func (a *app) mySuggestionList(w http.ResponseWriter, r *http.Request) error {
	me, err := ownDeputyOnly(actor(r))
	if err != nil {
		return err
	}
	rows, err := a.mySuggestions(r.Context(), me)
	if err != nil {
		return err
	}
	p := &mySuggestionListPage{basePage: basePage{Title: "我的建议和议案", Section: "suggestions"}, Rows: rows}
	return a.render(w, r, http.StatusOK, "mobile_suggestions", p)
}

// Writing a suggestion: first where it goes (a session, or an NPC body
// between sessions), then the form.

type suggestionTarget struct {
	URL, Label, Hint string
}

type mySuggestionFormPage struct {
	basePage
	Choose    []suggestionTarget // where it may go, when none is chosen yet
	In        lianluo.CaseInput
	Form      formState
	Where     string // the session or the body chosen
	SessionID int64
	OrgID     int64
	Bills     bool // a bill may be raised here (during a session)
	BillNeed  int  // deputies who must sign a bill, the lead counted
	Cats      []optGroup
	Signers   []signerOption
	Evidence  []evidenceLine // the opinions it is raised from (据此提出)
	EvQuery   string         // &evidence=… carried from the choice of place to the form
}

// evidenceLine is an opinion a suggestion is raised from.
type evidenceLine struct {
	ID    int64
	Title string
}

type signerOption struct {
	ID             int64
	Name, Region   string
	Checked, Label bool
}

// suggestionPlace finds the session or body the query names: where the
// suggestion goes, the body, and its level.
func (a *app) suggestionPlace(ctx context.Context, sessionID, orgID int64) (where string, body *lianluo.SuggestionBody, session *lianluo.CongressSession, err error) {
	bodies, err := a.svc.Congress.SuggestionBodies(ctx)
	if err != nil {
		return "", nil, nil, err
	}
	if sessionID != 0 {
		s, err := a.svc.Congress.FindSessionByID(ctx, sessionID)
		if err != nil {
			return "", nil, nil, err
		}
		session, orgID = s, s.OrgID
	}
	for i := range bodies {
		if bodies[i].OrgID == orgID {
			body = &bodies[i]
		}
	}
	if body == nil {
		return "", nil, nil, lianluo.NotFound("人大机构")
	}
	where = "闭会期间向" + body.Name + "书面提出"
	if session != nil {
		where = session.OrgName + " " + session.Name
	}
	return where, body, session, nil
}

func (a *app) showMySuggestionForm(w http.ResponseWriter, r *http.Request, status int, in lianluo.CaseInput, form formState) error {
	ctx := r.Context()
	me, err := ownDeputyOnly(actor(r))
	if err != nil {
		return err
	}
	p := &mySuggestionFormPage{basePage: basePage{Title: "写建议", Section: "suggestions"}, In: in, Form: form}
	for _, id := range in.EvidenceCaseIDs {
		op, err := a.svc.Cases.FindCaseByID(ctx, id)
		if err != nil || op.Kind != lianluo.KindOpinion {
			return lianluo.NotFound("群众意见")
		}
		p.Evidence = append(p.Evidence, evidenceLine{ID: op.ID, Title: op.Title})
		p.EvQuery += fmt.Sprintf("&evidence=%d", op.ID)
	}
	var sid, oid int64
	if in.SessionID != nil {
		sid = *in.SessionID
	}
	if in.OrgID != nil {
		oid = *in.OrgID
	}
	if sid == 0 && oid == 0 {
		return a.chooseSuggestionPlace(w, r, p)
	}
	where, body, session, err := a.suggestionPlace(ctx, sid, oid)
	if err != nil {
		return err
	}
	p.Where, p.OrgID, p.Bills = where, body.OrgID, session != nil
	if session != nil {
		p.SessionID = session.ID
	}
	pol, err := a.svc.Settings.Policy(ctx)
	if err != nil {
		return err
	}
	p.BillNeed = lianluo.BillMinSigners(pol, body.Level)
	if p.Cats, err = a.categoryGroups(ctx, in.Category); err != nil {
		return err
	}
	choices, err := a.svc.Congress.SignerChoices(ctx, body.OrgID)
	if err != nil {
		return err
	}
	for _, c := range choices {
		if c.ID != me {
			p.Signers = append(p.Signers, signerOption{ID: c.ID, Name: c.Name, Region: c.Region, Checked: slices.Contains(in.CosignerIDs, c.ID)})
		}
	}
	return a.render(w, r, status, "mobile_suggestion_form", p)
}

// chooseSuggestionPlace offers the sessions and, between sessions, the
// bodies a suggestion may go to.
func (a *app) chooseSuggestionPlace(w http.ResponseWriter, r *http.Request, p *mySuggestionFormPage) error {
	ctx := r.Context()
	sessions, err := a.svc.Congress.FindSessions(ctx)
	if err != nil {
		return err
	}
	today := a.now().In(lianluo.Beijing).Format("2006-01-02")
	for _, s := range sessions {
		hint := fmt.Sprintf("%s 至 %s", s.StartsOn, s.EndsOn)
		switch {
		case s.EndsOn < today:
			continue // a past session takes no more suggestions
		case s.StartsOn <= today:
			hint += "，正在举行"
		}
		p.Choose = append(p.Choose, suggestionTarget{URL: fmt.Sprintf("%s/new?session_id=%d%s", mySuggestionsURL, s.ID, p.EvQuery),
			Label: "在" + s.OrgName + s.Name + "上提出", Hint: hint + "；可以提建议或议案"})
	}
	bodies, err := a.svc.Congress.SuggestionBodies(ctx)
	if err != nil {
		return err
	}
	for _, b := range bodies {
		p.Choose = append(p.Choose, suggestionTarget{URL: fmt.Sprintf("%s/new?org_id=%d%s", mySuggestionsURL, b.OrgID, p.EvQuery),
			Label: "闭会期间向" + b.Name + "提出", Hint: "书面提出建议、批评和意见，与大会期间提出的同样办理"})
	}
	return a.render(w, r, http.StatusOK, "mobile_suggestion_form", p)
}

func (a *app) mySuggestionNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	in := lianluo.CaseInput{Kind: lianluo.KindSuggestion}
	if id, err := strconv.ParseInt(q.Get("session_id"), 10, 64); err == nil && id > 0 {
		in.SessionID = &id
	} else if id, err := strconv.ParseInt(q.Get("org_id"), 10, 64); err == nil && id > 0 {
		in.OrgID = &id
	}
	if q.Get("kind") == lianluo.KindBill && in.SessionID != nil {
		in.Kind = lianluo.KindBill
	}
	// Raised from opinions the deputy received (据此提出): linked, and
	// their text to start from.
	for _, v := range q["evidence"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 || len(in.EvidenceCaseIDs) >= 50 {
			return lianluo.NotFound("群众意见")
		}
		in.EvidenceCaseIDs = append(in.EvidenceCaseIDs, id)
		if op, err := a.svc.Cases.FindCaseByID(r.Context(), id); err == nil {
			in.Content = strings.TrimSpace(in.Content + "\n群众反映：" + op.Title + "。" + op.Content)
		}
	}
	return a.showMySuggestionForm(w, r, http.StatusOK, in, formState{})
}

// suggestionInput reads the draft form: the deputy is the lead deputy.
func suggestionInput(r *http.Request, me int64) (lianluo.CaseInput, error) {
	in := lianluo.CaseInput{Kind: formStr(r, "kind"), Title: formStr(r, "title"), Content: formStr(r, "content"),
		Reasons: formStr(r, "reasons"), Proposals: formStr(r, "proposals"), Category: formStr(r, "category"), LeadDeputyID: &me}
	var errs [4]error
	in.SessionID, errs[0] = formID(r, "session_id", "会议")
	in.OrgID, errs[1] = formID(r, "org_id", "人大机构")
	in.CosignerIDs, errs[2] = formIDs(r, "cosigner_ids", "附议代表")
	in.EvidenceCaseIDs, errs[3] = formIDs(r, "evidence_case_ids", "所附群众意见")
	if in.SessionID != nil {
		in.OrgID = nil
	}
	return in, firstErr(errs[:]...)
}

// mySuggestionCreate saves the draft and invites the co-signers.
func (a *app) mySuggestionCreate(w http.ResponseWriter, r *http.Request) error {
	me, err := ownDeputyOnly(actor(r))
	if err != nil {
		return err
	}
	in, err := suggestionInput(r, me)
	var c *lianluo.Case
	if err == nil {
		if in.Kind != lianluo.KindSuggestion && in.Kind != lianluo.KindBill {
			err = lianluo.FieldError("kind", "请选择提建议还是提议案。")
		} else {
			c, err = a.svc.Cases.CreateCase(r.Context(), in)
		}
	}
	if err != nil {
		if in.SessionID == nil && in.OrgID == nil {
			return err // the form names its place; without one it was not ours
		}
		var f formState
		if !f.take(err, mySuggestionFields...) {
			return err
		}
		return a.showMySuggestionForm(w, r, f.status(err), in, f)
	}
	return redirect(w, r, mySuggestionURL(c.ID)+"?ok=draft")
}

// The suggestion's page on the phone.

type suggestionPage struct {
	basePage
	suggestionRow
	Where    string
	Signers  []signerLine
	Units    string
	Cosign   bool
	Submit   bool
	Evaluate bool
	Missing  string // what keeps 提出 from succeeding, or what it leaves behind
	Form     formState
	Action   string // the refused action, whose form shows Form
	Rating   string // the refused evaluation's values
	Comment  string
	Ratings  []option
	Reply    *lianluo.Reply
	Result   string
	Consults []consultLine
	Evals    []lianluo.Rating // the lead deputy's evaluations, every round
	Edit     bool             // the draft's text may be corrected
	In       draftText        // the edit form's values
}

// draftText is a draft's text as the edit form shows it.
type draftText struct {
	Title, Content, Reasons, Proposals, Category string
}

type signerLine struct {
	Name, State string
	Lead, Done  bool
}

type consultLine struct {
	Round              int
	Day, Form, Who, To string
	Waived             bool
}

func (a *app) suggestionPage(r *http.Request, id int64) (*suggestionPage, error) {
	ctx := r.Context()
	me, err := ownDeputyOnly(actor(r))
	if err != nil {
		return nil, err
	}
	c, err := a.svc.Cases.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !lianluo.IsSuggestionKind(c.Kind) || !slices.ContainsFunc(c.Signers, func(s lianluo.Signer) bool { return s.DeputyID == me }) {
		return nil, lianluo.NotFound(lianluo.KindNoun(lianluo.KindSuggestion))
	}
	p := &suggestionPage{suggestionRow: a.suggestionRow(c, me),
		Cosign: slices.Contains(c.Allowed, lianluo.ActCosign), Submit: slices.Contains(c.Allowed, lianluo.ActSubmit),
		Evaluate: slices.Contains(c.Allowed, lianluo.ActEvaluate), Reply: c.Reply,
		Edit: slices.Contains(c.Allowed, lianluo.ActEdit),
		In:   draftText{Title: c.Title, Content: c.Content, Reasons: c.Reasons, Proposals: c.Proposals, Category: c.Category}}
	p.basePage = basePage{Title: p.Noun, Section: "suggestions"}
	p.Where = "闭会期间书面提出（" + c.OrgName + "）"
	if c.SessionID != nil {
		p.Where = c.SessionName + "（" + c.OrgName + "）"
	}
	pending := 0
	for _, s := range c.Signers {
		l := signerLine{Name: s.Name, Lead: s.Lead}
		switch {
		case s.Lead:
			l.State, l.Done = "领衔代表", true
		case s.ConfirmedAt != nil:
			l.State, l.Done = "已确认 "+bjTime(*s.ConfirmedAt), true
		case s.DeclinedAt != nil:
			l.State = "已谢绝"
		default:
			l.State = "待确认"
			pending++
		}
		p.Signers = append(p.Signers, l)
	}
	for _, u := range c.Units {
		if u.Round != c.Round {
			continue
		}
		if p.Units != "" {
			p.Units += "、"
		}
		p.Units += u.Name
		if u.Lead {
			p.Units += "（主办）"
		}
	}
	if c.Reply != nil {
		p.Result = c.Reply.Result + " " + lianluo.SuggestionResults[c.Reply.Result]
	}
	for _, x := range c.Consultations {
		l := consultLine{Round: x.Round, Day: x.HeldOn, Form: lianluo.ConsultForms[x.Form], Who: x.Deputies, To: x.Notes, Waived: x.Waived}
		p.Consults = append(p.Consults, l)
	}
	for _, rt := range c.Ratings {
		if rt.By == lianluo.ByDeputy {
			p.Evals = append(p.Evals, rt)
		}
	}
	if p.Submit {
		p.Missing, err = a.submitMissing(ctx, c, pending)
		if err != nil {
			return nil, err
		}
	}
	p.Ratings = namedOptions([]string{"satisfied", "basically_satisfied", "unsatisfied"}, lianluo.RatingNames, "")
	if s, ok := suggestionFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	return p, nil
}

// submitMissing says what 提出 still needs: a bill's joint signers (the
// lead counted), or the co-signers who have not answered yet.
func (a *app) submitMissing(ctx context.Context, c *lianluo.Case, pending int) (string, error) {
	confirmed := c.ConfirmedSigners()
	if c.Kind == lianluo.KindBill && !c.Presidium {
		pol, err := a.svc.Settings.Policy(ctx)
		if err != nil {
			return "", err
		}
		level := lianluo.LevelTown
		bodies, err := a.svc.Congress.SuggestionBodies(ctx)
		if err != nil {
			return "", err
		}
		for _, b := range bodies {
			if b.OrgID == c.OrgID {
				level = b.Level
			}
		}
		need := lianluo.BillMinSigners(pol, level)
		if confirmed < need {
			return fmt.Sprintf("议案须由代表%d人以上联名提出。目前已确认联名%d人（含领衔代表），还差%d人。", need, confirmed, need-confirmed), nil
		}
		msg := fmt.Sprintf("已确认联名%d人（含领衔代表），达到%d人，可以提出。", confirmed, need)
		if pending > 0 {
			msg += fmt.Sprintf("还有%d位代表未答复，提出后不再计入联名。", pending)
		}
		return msg, nil
	}
	if pending > 0 {
		return fmt.Sprintf("已确认附议%d人（含领衔代表），还有%d位代表未答复；提出后他们仍可确认附议。", confirmed, pending), nil
	}
	return "", nil
}

func (a *app) suggestionDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.suggestionPage(r, id)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "mobile_suggestion", p)
}

// suggestionAct takes one of the deputy's steps: 303 to the suggestion's
// page (or the home, for an invitation answered there), or the page again
// with the error.
func (a *app) suggestionAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := ownDeputyOnly(actor(r)); err != nil {
		return err
	}
	action := lianluo.WorkflowAction(r.PathValue("action"))
	fields, ok := deputyActions[action]
	if !ok {
		return lianluo.Errorf(lianluo.ENOTFOUND, "没有这个操作。")
	}
	in := lianluo.CaseAction{Rating: formStr(r, "rating"), Comment: formStr(r, "comment"), By: formStr(r, "by")}
	if action == lianluo.ActEdit {
		in.Title, in.Content, in.Reasons = formStr(r, "title"), formStr(r, "content"), formStr(r, "reasons")
		in.Proposals, in.Category = formStr(r, "proposals"), formStr(r, "category")
	}
	ok2 := string(action)
	if action == lianluo.ActCosign {
		confirm := formStr(r, "approve") != "no"
		in.Approve = &confirm
		if !confirm {
			ok2 = "declined"
		}
	}
	in.Version, err = formVersion(r)
	if err == nil {
		_, err = a.svc.Cases.Act(r.Context(), id, action, in)
	}
	if err != nil {
		p, perr := a.suggestionPage(r, id)
		if perr != nil {
			return perr
		}
		if !p.Form.take(err, fields...) {
			return err
		}
		p.Action, p.Rating, p.Comment = string(action), in.Rating, in.Comment
		if action == lianluo.ActEdit {
			p.In = draftText{Title: in.Title, Content: in.Content, Reasons: in.Reasons, Proposals: in.Proposals, Category: in.Category}
		}
		p.Ratings = namedOptions([]string{"satisfied", "basically_satisfied", "unsatisfied"}, lianluo.RatingNames, in.Rating)
		p.Form.ReloadURL = mySuggestionURL(id)
		return a.render(w, r, p.Form.status(err), "mobile_suggestion", p)
	}
	if formStr(r, "back") == "home" {
		return redirect(w, r, "/console/?ok="+ok2)
	}
	return redirect(w, r, mySuggestionURL(id)+"?ok="+ok2)
}
