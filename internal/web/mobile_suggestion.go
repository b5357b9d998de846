package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

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
