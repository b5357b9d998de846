package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// The desks of deputies' suggestions and bills (docs/suggestions.md, "The
// office's session desk and the unit's desk"): the NPC office's congress
// sessions, a session's desk with the transfer of several suggestions at
// once, the handling unit's list of its suggestions, and the office's form
// for a paper suggestion typed in for a deputy.

// managesSessions reports whether the menu offers 会议与建议: the NPC
// bodies' staff and the system administrator (lianluo.CanManageSessions
// for some body).
func managesSessions(a *lianluo.Actor) bool { return lianluo.RunsSessions(a) }

// sessionURL is the address of a session's desk.
func sessionURL(id int64) string { return "/console/sessions/" + strconv.FormatInt(id, 10) }

type sessionsPage struct {
	basePage
	Items     []lianluo.CongressSession
	CanCreate bool
	Form      formState
	In        lianluo.SessionInput
	Orgs      []option // the NPC bodies the caller may add sessions to
	OneOrg    string   // the only one, named instead of a select box
	CanDraft  bool     // may type in a paper suggestion
}

func (a *app) sessions(w http.ResponseWriter, r *http.Request) error {
	return a.showSessions(w, r, http.StatusOK, lianluo.SessionInput{}, formState{})
}

func (a *app) showSessions(w http.ResponseWriter, r *http.Request, status int, in lianluo.SessionInput, f formState) error {
	ctx, ac := r.Context(), actor(r)
	if !lianluo.CanSeeSessions(ac) {
		return lianluo.Forbidden()
	}
	items, err := a.svc.Congress.FindSessions(ctx)
	if err != nil {
		return err
	}
	p := &sessionsPage{basePage: basePage{Title: "代表大会会议", Section: "sessions"}, Items: items, Form: f, In: in,
		CanDraft: lianluo.CanRaiseSuggestions(ac) && managesSessions(ac)}
	orgs, err := a.sessionOrgs(ctx, ac, in.OrgID)
	if err != nil {
		return err
	}
	p.CanCreate = len(orgs) > 0
	if len(orgs) == 1 {
		p.OneOrg = orgs[0].Label
		p.In.OrgID, _ = strconv.ParseInt(orgs[0].Value, 10, 64)
	} else {
		p.Orgs = withBlank("请选择", orgs)
	}
	return a.render(w, r, status, "sessions", p)
}

// sessionOrgs lists the NPC bodies the caller may add sessions to.
func (a *app) sessionOrgs(ctx context.Context, ac *lianluo.Actor, selected int64) ([]option, error) {
	if !managesSessions(ac) {
		return nil, nil
	}
	orgs, err := collect(choiceLimit, func(p lianluo.Page) ([]*lianluo.Org, int, error) {
		return a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Kind: lianluo.OrgNPC, Active: new(true), Page: p})
	})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, o := range orgs {
		if lianluo.CanManageSessions(ac, o.ID) {
			out = append(out, option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: o.ID == selected})
		}
	}
	return out, nil
}

var sessionFields = []string{"org_id", "name", "starts_on", "ends_on"}

func (a *app) sessionCreate(w http.ResponseWriter, r *http.Request) error {
	in := lianluo.SessionInput{Name: formStr(r, "name"), StartsOn: formStr(r, "starts_on"), EndsOn: formStr(r, "ends_on")}
	id, err := formID(r, "org_id", "人大机构")
	if id != nil {
		in.OrgID = *id
	}
	var s *lianluo.CongressSession
	if err == nil {
		s, err = a.svc.Congress.CreateSession(r.Context(), in)
	}
	if err != nil {
		var f formState
		if !f.take(err, sessionFields...) {
			return err
		}
		return a.showSessions(w, r, f.status(err), in, f)
	}
	return redirect(w, r, sessionURL(s.ID)+"?ok=created")
}

// The session desk.

// deskRow is a suggestion or bill on a desk.
type deskRow struct {
	*lianluo.Case
	Due        dueInfo
	Lead       string // the lead deputy, or 主席团
	Cosigners  int    // confirmed co-signers
	Invited    int    // co-signers invited
	LeadUnit   string
	Consulted  bool
	Transfer   bool // the caller may transfer it now: a checkbox
	Agenda     bool // the caller may record the 主席团's decision
	Convert    bool
	Checked    bool // ticked in the refused batch
	ReturnPath string
}

type sessionDeskPage struct {
	basePage
	S             *lianluo.CongressSession
	Status        string
	StatusOptions []option
	Rows          []deskRow
	Pager         pager
	Transfer      *actionForm // the batch transfer's unit fields
	Results       []batchResult
	Msg           formState
	CanDraft      bool
}

// batchResult is what happened to one ticked suggestion.
type batchResult struct {
	ID      int64
	Label   string // 第3号 关于…
	OK      bool
	Message string
}

// deskPerPage: a session's suggestions on one page as far as possible.
const deskPerPage = 50

// suggestionDue is a suggestion's deadline as the desks show it: the
// fifteen days to transfer a submitted one run too (lianluo.TransferDue).
func (a *app) suggestionDue(c *lianluo.Case) dueInfo {
	if c.Status != lianluo.StatusSubmitted || c.DueDate == nil {
		return a.dueOf(c)
	}
	cp := *c
	cp.Status = lianluo.StatusAssigned // a running clock
	return a.dueOf(&cp)
}

// deskRows are the list's suggestions as the desks show them: the list
// carries their signers, units, 面商 and ratings, so what the caller may do
// is decided here by the same rule as on the case page.
func (a *app) deskRows(ctx context.Context, cs []*lianluo.Case, back string) ([]deskRow, error) {
	pol, err := a.svc.Settings.Policy(ctx)
	if err != nil {
		return nil, err
	}
	ac := lianluo.ActorFromContext(ctx)
	out := make([]deskRow, 0, len(cs))
	for _, c := range cs {
		c.Allowed = lianluo.AllowedActions(ac, c, pol)
		row := deskRow{Case: c, Due: a.suggestionDue(c), Lead: "主席团", Consulted: c.Consulted(), ReturnPath: back,
			Transfer: slices.Contains(c.Allowed, lianluo.ActTransfer),
			Agenda:   slices.Contains(c.Allowed, lianluo.ActListOnAgenda),
			Convert:  slices.Contains(c.Allowed, lianluo.ActConvertToSuggestion)}
		for _, s := range c.Signers {
			switch {
			case s.Lead:
				row.Lead = s.Name
			case s.ConfirmedAt != nil:
				row.Cosigners++
				row.Invited++
			default:
				row.Invited++
			}
		}
		for _, u := range c.Units {
			if u.Lead {
				row.LeadUnit = u.Name
			}
		}
		out = append(out, row)
	}
	return out, nil
}

func (a *app) sessionDesk(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.showSessionDesk(w, r, http.StatusOK, id, nil, nil)
}

// showSessionDesk renders the desk; results are a batch transfer's, sub
// its refused form.
func (a *app) showSessionDesk(w http.ResponseWriter, r *http.Request, status int, id int64, results []batchResult, sub *submission) error {
	ctx, ac := r.Context(), actor(r)
	if !lianluo.CanSeeSessions(ac) {
		return lianluo.Forbidden()
	}
	s, err := a.svc.Congress.FindSessionByID(ctx, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &sessionDeskPage{basePage: basePage{Title: s.Name, Section: "sessions"}, S: s, Status: q.Get("status"), Results: results,
		CanDraft: managesSessions(ac) && lianluo.CanRaiseSuggestions(ac)}
	f := lianluo.CaseFilter{SessionID: id, Page: lianluo.Page{Page: pageOf(r).Page, PerPage: deskPerPage}}
	if _, ok := lianluo.StatusNames[lianluo.CaseStatus(p.Status)]; ok && slices.Contains(lianluo.SuggestionStatuses, lianluo.CaseStatus(p.Status)) {
		f.Status = []lianluo.CaseStatus{lianluo.CaseStatus(p.Status)}
	} else if p.Status != "" {
		p.Msg.Message, p.Status, status = fmt.Sprintf("没有“%s”这个办理状态，请从列表中选择。", lianluo.Truncate(p.Status, 20)), "", http.StatusBadRequest
	}
	p.StatusOptions = withBlank("全部状态", namedOptions(lianluo.SuggestionStatuses, lianluo.StatusNames, p.Status))
	items, total, err := a.svc.Cases.FindCases(ctx, f)
	if err != nil {
		return err
	}
	back := sessionURL(id)
	if p.Status != "" {
		back += "?status=" + url.QueryEscape(p.Status)
	}
	if p.Rows, err = a.deskRows(ctx, items, back); err != nil {
		return err
	}
	// Number order: 第1号 first; drafts (no number) last.
	slices.SortStableFunc(p.Rows, func(x, y deskRow) int {
		switch {
		case x.Kind != y.Kind:
			return strings.Compare(y.Kind, x.Kind) // suggestions, then bills
		case x.Number == 0 || y.Number == 0:
			return y.Number - x.Number
		}
		return x.Number - y.Number
	})
	p.Pager = newPager(r, total, f.Page)
	if slices.ContainsFunc(p.Rows, func(x deskRow) bool { return x.Transfer }) {
		if p.Transfer, err = a.transferForm(ctx, nil, sub); err != nil {
			return err
		}
		p.Transfer.URL = back
		if sub != nil {
			for i := range p.Rows {
				p.Rows[i].Checked = slices.Contains(sub.values["case_id"], strconv.FormatInt(p.Rows[i].ID, 10))
			}
		}
	}
	if sub != nil {
		p.Msg = sub.form
	}
	return a.render(w, r, status, "session_desk", p)
}

// transferForm is the form of a suggestion's transfer (交办): the lead
// unit and co-units in the office's scope, as the opinion approve form
// offers them; c is nil for the desk's batch form.
func (a *app) transferForm(ctx context.Context, c *lianluo.Case, sub *submission) (*actionForm, error) {
	f := &actionForm{Action: string(lianluo.ActTransfer), Name: lianluo.ActionNamesCase[lianluo.ActTransfer], Submit: "交办", Open: true}
	if c != nil {
		f.URL, f.Version = fmt.Sprintf("%s/actions/%s", caseURL(c.ID), lianluo.ActTransfer), c.Version
	}
	if sub != nil && sub.action == string(lianluo.ActTransfer) {
		f.sub = sub
	}
	units, err := a.unitChoices(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := a.svc.Settings.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	f.Intro = fmt.Sprintf("主席团会后十五日内交办有关机关、组织研究办理，三个月内书面答复代表（交办后期限至 %s）。", bjDate(lianluo.SuggestionReplyDue(cal, a.now())))
	f.add(actField{Name: "lead_unit_id", Label: "主办单位", Type: "select", Required: true, Options: withBlank("请选择", units)})
	f.add(actField{Name: "co_unit_ids", Label: "协办单位（可多选，可不选）", Type: "checks", Options: units})
	f.add(actField{Name: "comment", Label: "交办意见", Type: "textarea", Max: 2000, Hint: "可不填；将印在交办单上。"})
	return f, nil
}

// sessionTransfer transfers every ticked suggestion to the units chosen:
// one transfer action per suggestion with the version the desk was read
// at; a stale or refused one is reported and does not stop the others.
func (a *app) sessionTransfer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := a.svc.Congress.FindSessionByID(ctx, id); err != nil {
		return err
	}
	sub := &submission{action: string(lianluo.ActTransfer), values: r.PostForm}
	// The desk shown again links its pages and filter to the desk, not to
	// this POST's address.
	r.URL.Path, r.URL.RawQuery = sessionURL(id), ""
	if st := r.PostFormValue("status"); st != "" {
		r.URL.RawQuery = url.Values{"status": {st}}.Encode()
	}
	in := lianluo.CaseAction{Comment: formStr(r, "comment")}
	var errs [3]error
	var ids []int64
	in.LeadUnitID, errs[0] = formID(r, "lead_unit_id", "主办单位")
	in.CoUnitIDs, errs[1] = formIDs(r, "co_unit_ids", "协办单位")
	ids, errs[2] = formIDs(r, "case_id", "建议")
	if len(in.CoUnitIDs) == 0 {
		in.CoUnitIDs = nil
	}
	err = firstErr(errs[:]...)
	switch {
	case err != nil:
	case len(ids) == 0:
		err = lianluo.FieldError("case_id", "请勾选要交办的建议。")
	case in.LeadUnitID == nil:
		err = lianluo.FieldError("lead_unit_id", "请选择主办单位。")
	}
	if err != nil {
		if !sub.take(err, "lead_unit_id", "co_unit_ids", "comment", "case_id") {
			return err
		}
		return a.showSessionDesk(w, r, sub.form.status(err), id, nil, sub)
	}
	var results []batchResult
	failed := 0
	for _, cid := range ids {
		res := batchResult{ID: cid, Label: fmt.Sprintf("#%d", cid)}
		v, verr := strconv.Atoi(r.PostFormValue("version_" + strconv.FormatInt(cid, 10)))
		if verr != nil || v <= 0 {
			res.Message = "缺少版本号，请刷新页面后重试。"
			failed++
			results = append(results, res)
			continue
		}
		step := in
		step.Version = v
		c, err := a.svc.Cases.Act(ctx, cid, lianluo.ActTransfer, step)
		if c == nil {
			if cur, ferr := a.svc.Cases.FindCaseByID(ctx, cid); ferr == nil {
				c = cur
			}
		}
		if c != nil {
			res.Label = c.NumberText() + " " + lianluo.Truncate(c.Title, 30)
		}
		switch {
		case err == nil:
			res.OK, res.Message = true, "交办成功，答复期限 "+a.dueOf(c).Date+"。"
		case lianluo.ErrorCode(err) == lianluo.ESTALE:
			res.Message = "交办前已被他人修改（" + lianluo.ErrorMessage(err) + "），未交办；请查看后重新勾选。"
		case lianluo.ErrorCode(err) == lianluo.EINTERNAL || lianluo.ErrorCode(err) == "":
			return err
		default:
			res.Message = "未交办：" + lianluo.ErrorMessage(err)
		}
		if !res.OK {
			failed++
		}
		results = append(results, res)
	}
	status := http.StatusOK
	if failed == len(results) {
		status = http.StatusConflict
	}
	// The desk as it is now, with what happened to each on top.
	return a.showSessionDesk(w, r, status, id, results, nil)
}
