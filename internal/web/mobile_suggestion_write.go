package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// Writing a suggestion or bill on the deputy's phone (docs/suggestions.md,
// "On the deputy's phone"): where it goes, the draft form with co-signers
// chosen by name, and saving it.

// mySuggestionFields are the draft form's inputs (the store's field names).
// The session, the body and the lead deputy are not inputs of the form:
// their errors show above it.
var mySuggestionFields = []string{"kind", "title", "content", "reasons", "proposals", "category", "cosigner_ids", "evidence_case_ids"}

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
