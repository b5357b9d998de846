package web

import (
	"net/http"
	"strconv"
	"strings"

	"lianluo"
)

// The unit's desk: the suggestions assigned to the caller's units (the
// store scopes FindCases), with the reply deadline and whether 面商 is
// recorded in the current round. NPC staff see their bodies' suggestions.

type suggestionListPage struct {
	basePage
	Status        string
	StatusOptions []option
	Rows          []deskRow
	Pager         pager
	FilterError   string
	Unit          bool // the caller handles suggestions (the unit's wording)
	CanDraft      bool
}

func (a *app) suggestionList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	if !lianluo.CanSeeSessions(ac) {
		return lianluo.Forbidden()
	}
	p := &suggestionListPage{basePage: basePage{Title: "代表建议", Section: "suggestions"}, Status: r.URL.Query().Get("status"),
		Unit: ac.Has(lianluo.RoleUnitHandler), CanDraft: managesSessions(ac) && lianluo.CanRaiseSuggestions(ac)}
	p.Section = suggestionSection(ac)
	status := http.StatusOK
	f := lianluo.CaseFilter{Kind: lianluo.KindSuggestion, Page: pageOf(r)}
	if st := lianluo.CaseStatus(p.Status); p.Status != "" {
		if _, ok := lianluo.StatusNames[st]; ok {
			f.Status = []lianluo.CaseStatus{st}
		} else {
			p.FilterError, p.Status, status = "没有“"+lianluo.Truncate(p.Status, 20)+"”这个办理状态，请从列表中选择。", "", http.StatusBadRequest
		}
	}
	p.StatusOptions = withBlank("全部状态", namedOptions(lianluo.SuggestionStatuses, lianluo.StatusNames, p.Status))
	items, total, err := a.svc.Cases.FindCases(ctx, f)
	if err != nil {
		return err
	}
	if p.Rows, err = a.deskRows(ctx, items, ""); err != nil {
		return err
	}
	p.Pager = newPager(r, total, f.Page)
	return a.render(w, r, status, "suggestions", p)
}

// The office types in a paper suggestion for a deputy.

type suggestionFormPage struct {
	basePage
	In        lianluo.CaseInput
	Form      formState
	Sessions  []option
	Orgs      []option
	Deputies  []option
	Cosigners []option
	Cats      []optGroup
}

var suggestionFields = []string{"session_id", "org_id", "lead_deputy_id", "cosigner_ids", "title", "content", "reasons", "proposals", "category", "channel", "kind"}

func (a *app) showSuggestionForm(w http.ResponseWriter, r *http.Request, status int, in lianluo.CaseInput, f formState) error {
	ctx, ac := r.Context(), actor(r)
	p := &suggestionFormPage{basePage: basePage{Title: "录入代表建议", Section: "sessions"}, In: in, Form: f}
	ss, err := a.svc.Congress.FindSessions(ctx)
	if err != nil {
		return err
	}
	for _, s := range ss {
		if lianluo.CanManageSessions(ac, s.OrgID) {
			p.Sessions = append(p.Sessions, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name + "（" + s.StartsOn + " 至 " + s.EndsOn + "）",
				Selected: in.SessionID != nil && *in.SessionID == s.ID})
		}
	}
	p.Sessions = withBlank("闭会期间书面提出（不属于某次会议）", p.Sessions)
	var sel int64
	if in.OrgID != nil {
		sel = *in.OrgID
	}
	if p.Orgs, err = a.sessionOrgs(ctx, ac, sel); err != nil {
		return err
	}
	if len(p.Orgs) != 1 {
		p.Orgs = withBlank("请选择", p.Orgs)
	} else {
		p.Orgs[0].Selected = true
	}
	deps, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.Deputy, int, error) {
		return a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Status: lianluo.DeputyInOffice, Page: pg})
	})
	if err != nil {
		return err
	}
	chosen := idSet(in.CosignerIDs)
	for _, d := range deps {
		v := strconv.FormatInt(d.ID, 10)
		p.Deputies = append(p.Deputies, option{Value: v, Label: d.Name, Selected: in.LeadDeputyID != nil && *in.LeadDeputyID == d.ID})
		p.Cosigners = append(p.Cosigners, option{Value: v, Label: d.Name, Selected: chosen[d.ID]})
	}
	p.Deputies = withBlank("请选择", p.Deputies)
	if p.Cats, err = a.categoryGroups(ctx, in.Category); err != nil {
		return err
	}
	return a.render(w, r, status, "suggestion_form", p)
}

func (a *app) suggestionNew(w http.ResponseWriter, r *http.Request) error {
	ac := actor(r)
	if !managesSessions(ac) || !lianluo.CanRaiseSuggestions(ac) {
		return lianluo.Forbidden()
	}
	in := lianluo.CaseInput{Kind: lianluo.KindSuggestion}
	if id, err := strconv.ParseInt(r.URL.Query().Get("session_id"), 10, 64); err == nil && id > 0 {
		in.SessionID = &id
	}
	return a.showSuggestionForm(w, r, http.StatusOK, in, formState{})
}

func (a *app) suggestionCreate(w http.ResponseWriter, r *http.Request) error {
	ac := actor(r)
	if !managesSessions(ac) || !lianluo.CanRaiseSuggestions(ac) {
		return lianluo.Forbidden()
	}
	in := lianluo.CaseInput{Kind: lianluo.KindSuggestion, Title: formStr(r, "title"), Content: formStr(r, "content"),
		Reasons: formStr(r, "reasons"), Proposals: formStr(r, "proposals"), Category: formStr(r, "category")}
	var errs [4]error
	in.SessionID, errs[0] = formID(r, "session_id", "会议")
	in.OrgID, errs[1] = formID(r, "org_id", "人大机构")
	in.LeadDeputyID, errs[2] = formID(r, "lead_deputy_id", "领衔代表")
	in.CosignerIDs, errs[3] = formIDs(r, "cosigner_ids", "附议代表")
	if in.SessionID != nil {
		in.OrgID = nil // the session's body
	}
	var c *lianluo.Case
	err := firstErr(errs[:]...)
	if err == nil {
		c, err = a.svc.Cases.CreateCase(r.Context(), in)
	}
	if err != nil {
		var f formState
		if !f.take(err, suggestionFields...) {
			return err
		}
		return a.showSuggestionForm(w, r, f.status(err), in, f)
	}
	return redirect(w, r, caseURL(c.ID)+"?ok=drafted")
}

// signerState is a co-signer's answer as the case page shows it.
func signerState(s lianluo.Signer) string {
	switch {
	case s.Lead:
		return "领衔"
	case s.ConfirmedAt != nil:
		return "已确认 " + bjTime(*s.ConfirmedAt)
	case s.DeclinedAt != nil:
		return "已谢绝"
	}
	return "待确认"
}

// consultText describes one 面商 record.
func consultText(x lianluo.Consultation) string {
	if x.Waived {
		return x.HeldOn + " 代表书面表示无需面商"
	}
	return strings.TrimSpace(x.HeldOn + " " + lianluo.ConsultForms[x.Form] + "面商")
}

// suggestionSection is the menu entry of the suggestion pages: 会议与代表建议
// for NPC staff, 代表建议 for the others, the 待答复 tab on a handler's phone.
func suggestionSection(ac *lianluo.Actor) string {
	switch {
	case phoneKind(ac) == phoneHandler:
		return "reply"
	case phoneKind(ac) == phoneDeputy:
		return "todo"
	case managesSessions(ac):
		return "sessions"
	}
	return "suggestions"
}
