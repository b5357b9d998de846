package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// A deputy group's 述职 plan for a year (docs/reports.md), linked from the
// group's page: the form that makes it (the warnings shown with a box for
// the reason), then each planned deputy's 述职 — the activity and voters
// present, the ballot with its QR poster, tally, paper counts and closing —
// and the written reports of the others; a print form for filing.

type reportPlanPage struct {
	basePage
	G          *lianluo.DeputyGroup
	Year       int
	Years      []option
	Plan       *lianluo.ReportPlan
	CanManage  bool
	Candidates []option // the group's deputies, those chosen checked
	Warnings   []lianluo.Warning
	Reason     string
	Share      string
	Form       formState
	Editing    bool // the plan's edit form is open (it came back with an error)
}

// Back is the page's own address, where the ballot forms return.
func (p *reportPlanPage) Back() string {
	return fmt.Sprintf("/console/groups/%d/reports?year=%d", p.G.ID, p.Year)
}

// ActivityOptions are the 述职 activities a planned deputy may be linked
// to, the linked one chosen.
func (p *reportPlanPage) ActivityOptions(r lianluo.PlannedReport) []option {
	out := []option{{Value: "", Label: "请选择述职活动"}}
	for _, x := range p.Plan.Activities {
		out = append(out, option{Value: strconv.FormatInt(x.ID, 10), Label: x.StartsAt.Format("1月2日") + " " + x.Title,
			Selected: r.ActivityID != nil && *r.ActivityID == x.ID})
	}
	return out
}

// MinVoters is the norm of voters at a 述职.
func (p *reportPlanPage) MinVoters() int { return lianluo.MinReportVoters }

func (a *app) loadReportPlanPage(r *http.Request, groupID int64, year int) (*reportPlanPage, error) {
	ctx := r.Context()
	g, err := a.svc.Groups.FindGroupByID(ctx, groupID)
	if err != nil {
		return nil, err
	}
	p := &reportPlanPage{basePage: basePage{Title: fmt.Sprintf("%s %d年代表述职", g.Name, year), Section: "groups"}, G: g, Year: year,
		Years: yearOptions(lianluo.TermStartYear, a.thisYear()+1, year), CanManage: lianluo.CanManageReportPlan(actor(r), g)}
	plans, _, err := a.svc.ReportPlans.FindReportPlans(ctx, lianluo.ReportPlanFilter{GroupID: g.ID, Year: year})
	if err != nil {
		return nil, err
	}
	planned := map[int64]bool{}
	if len(plans) > 0 {
		p.Plan = plans[0]
		p.Reason = p.Plan.Reason
		for _, d := range p.Plan.Deputies {
			planned[d.DeputyID] = true
		}
	}
	lo, hi := lianluo.ReportShare(len(g.Members))
	p.Share = fmt.Sprintf("本组代表%d名，每年安排%d至%d名当面向选民述职（20%%至30%%）。", len(g.Members), lo, hi)
	for _, m := range g.Members {
		p.Candidates = append(p.Candidates, option{Value: strconv.FormatInt(m.ID, 10), Label: m.Name, Selected: planned[m.ID]})
	}
	return p, nil
}

func (a *app) reportPlanView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.loadReportPlanPage(r, id, a.yearParam(r))
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "report_plan", p)
}

func (a *app) reportPlanCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	in := lianluo.ReportPlanInput{GroupID: id, Year: year, Reason: formStr(r, "reason")}
	in.DeputyIDs, err = formIDs(r, "deputy_ids", "述职代表")
	if err == nil {
		_, err = a.svc.ReportPlans.CreateReportPlan(ctx, in)
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/console/groups/%d/reports?year=%d&ok=created", id, year))
	}
	p, perr := a.loadReportPlanPage(r, id, a.clampYear(year))
	if perr != nil {
		return perr
	}
	return a.reportPlanFormError(w, r, p, in, err)
}

// postedPlan is the plan a form posts to, and the version it was read at.
func (a *app) postedPlan(r *http.Request) (*lianluo.ReportPlan, int, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, 0, err
	}
	plan, err := a.svc.ReportPlans.FindReportPlanByID(r.Context(), id)
	if err != nil {
		return nil, 0, err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	return plan, version, nil
}

// planPage is the group's 述职 page of the plan's year, with the flash ok.
func planPage(p *lianluo.ReportPlan, ok string) string {
	return fmt.Sprintf("/console/groups/%d/reports?year=%d&ok=%s", p.GroupID, p.Year, ok)
}

// reportPlanEdit saves a changed list of the plan's deputies.
func (a *app) reportPlanEdit(w http.ResponseWriter, r *http.Request) error {
	plan, version, err := a.postedPlan(r)
	if err != nil {
		return err
	}
	u := lianluo.ReportPlanUpdate{Reason: formStr(r, "reason"), Version: version}
	u.DeputyIDs, err = formIDs(r, "deputy_ids", "述职代表")
	if err == nil {
		_, err = a.svc.ReportPlans.UpdateReportPlan(r.Context(), plan.ID, u)
	}
	if err == nil {
		return redirect(w, r, planPage(plan, "updated"))
	}
	p, perr := a.loadReportPlanPage(r, plan.GroupID, plan.Year)
	if perr != nil {
		return perr
	}
	p.Editing = true
	in := lianluo.ReportPlanInput{GroupID: plan.GroupID, Year: plan.Year, DeputyIDs: u.DeputyIDs, Reason: u.Reason}
	return a.reportPlanFormError(w, r, p, in, err)
}

// reportPlanDelete withdraws a plan none of whose 述职 is linked.
func (a *app) reportPlanDelete(w http.ResponseWriter, r *http.Request) error {
	plan, version, err := a.postedPlan(r)
	if err != nil {
		return err
	}
	if err := a.svc.ReportPlans.DeleteReportPlan(r.Context(), plan.ID, version); err != nil {
		return err
	}
	return redirect(w, r, planPage(plan, "deleted"))
}

// Deletable says whether the plan may still be withdrawn: none of its
// 述职 is linked to an activity (DeleteReportPlan's rule).
func (p *reportPlanPage) Deletable() bool {
	if p.Plan == nil || !p.Plan.CanManage {
		return false
	}
	for _, d := range p.Plan.Deputies {
		if d.ActivityID != nil {
			return false
		}
	}
	return true
}

// reportPlanFormError shows the plan form (new or edit) again with err at
// its field, the warnings listed when the reason is wanting, and what was
// posted.
func (a *app) reportPlanFormError(w http.ResponseWriter, r *http.Request, p *reportPlanPage, in lianluo.ReportPlanInput, err error) error {
	ctx := r.Context()
	var perr error
	if !p.Form.take(err, "deputy_ids", "reason", "year", "version") {
		return err
	}
	if lianluo.ErrorField(err) == "reason" {
		// The plan has warnings: list them, and ask for the reason.
		if p.Warnings, perr = a.svc.ReportPlans.ReportPlanWarnings(ctx, in); perr != nil {
			return perr
		}
		p.Form.Message = "这份述职计划有下列问题。如确需这样安排，请在“理由”中说明后再保存。"
		p.Form.Errors["reason"] = "请填写这样安排的理由。"
		p.Form.First = p.Form.Errors["reason"]
	}
	p.Reason = in.Reason
	for i := range p.Candidates {
		id, _ := strconv.ParseInt(p.Candidates[i].Value, 10, 64)
		p.Candidates[i].Selected = slices.Contains(in.DeputyIDs, id)
	}
	return a.render(w, r, p.Form.status(err), "report_plan", p)
}

// clampYear keeps a posted year within the page's years.
func (a *app) clampYear(y int) int {
	if y < 2000 || y > 2100 {
		return a.thisYear()
	}
	return y
}

func (a *app) reportLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	deputyID, _ := strconv.ParseInt(r.PathValue("deputy_id"), 10, 64)
	l := lianluo.ReportLink{}
	l.ActivityID, _ = strconv.ParseInt(r.PostFormValue("activity_id"), 10, 64)
	voters := strings.TrimSpace(r.PostFormValue("voters_present"))
	if l.VotersPresent, err = strconv.Atoi(voters); err != nil && voters != "" {
		err = lianluo.FieldError("voters_present", "到会选民人数请填写数字。")
	} else {
		err = nil
	}
	if err == nil {
		l.Version, err = formVersion(r)
	}
	var plan *lianluo.ReportPlan
	if err == nil {
		plan, err = a.svc.ReportPlans.LinkReport(ctx, id, deputyID, l)
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/console/groups/%d/reports?year=%d&ok=saved#report-%d", plan.GroupID, plan.Year, deputyID))
	}
	cur, perr := a.svc.ReportPlans.FindReportPlanByID(ctx, id)
	if perr != nil {
		return perr
	}
	p, perr := a.loadReportPlanPage(r, cur.GroupID, cur.Year)
	if perr != nil {
		return perr
	}
	if !p.Form.take(err) {
		return err
	}
	p.Form.ReloadURL = p.Back()
	return a.render(w, r, p.Form.status(err), "report_plan", p)
}

// ballotBack is where a ballot form returns: the page it was posted from.
func ballotBack(r *http.Request, b *lianluo.Ballot) string {
	if back := r.PostFormValue("back"); back != "" && safeBack(back) == back {
		return back
	}
	return fmt.Sprintf("/console/activities/%d", b.ActivityID)
}

func (a *app) ballotCloseForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := formVersion(r)
	if err != nil {
		return err
	}
	b, err := a.svc.Ballots.CloseBallot(r.Context(), id, v)
	if err != nil {
		return err
	}
	return redirect(w, r, withOK(ballotBack(r, b), "saved"))
}

func (a *app) ballotPaperForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	b, err := a.svc.Ballots.FindBallotByID(ctx, id)
	if err != nil {
		return err
	}
	p := lianluo.BallotPaper{}
	if p.Version, err = formVersion(r); err != nil {
		return err
	}
	count := func(name string) int {
		n, cerr := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if cerr != nil && strings.TrimSpace(r.PostFormValue(name)) != "" && err == nil {
			err = lianluo.FieldError("items", "纸质票数请填写数字。")
		}
		return n
	}
	for _, it := range b.Items {
		p.Items = append(p.Items, lianluo.PaperCount{Key: it.Key, ChoiceCounts: lianluo.ChoiceCounts{
			Satisfied: count("s_" + it.Key), Basic: count("b_" + it.Key), Dissatisfied: count("d_" + it.Key)}})
	}
	if err != nil {
		return err
	}
	if b, err = a.svc.Ballots.SetBallotPaper(ctx, id, p); err != nil {
		return err
	}
	return redirect(w, r, withOK(ballotBack(r, b), "saved"))
}

// withOK adds ?ok= (the flash) to a local address, before its fragment.
func withOK(to, ok string) string {
	frag := ""
	if i := strings.IndexByte(to, '#'); i >= 0 {
		to, frag = to[:i], to[i:]
	}
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	return to + sep + "ok=" + ok + frag
}

// The print form for filing (003 述职制度 八: 述职报告和汇总后的选民评议意见
// 报县人大常委会和乡镇人大主席团备案).

type reportPlanPrint struct {
	Title string
	P     *lianluo.ReportPlan
	Back  string
	Today string
}

// Num is a row's number from 1.
func (p *reportPlanPrint) Num(i int) int { return i + 1 }

// MinVoters is the norm of voters at a 述职.
func (p *reportPlanPrint) MinVoters() int { return lianluo.MinReportVoters }

func (a *app) reportPlanPrint(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.svc.ReportPlans.FindReportPlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.renderPrint(w, "report_plan_print", &reportPlanPrint{Title: fmt.Sprintf("%s%d年代表向选民述职情况汇总表", p.GroupName, p.Year), P: p,
		Back: fmt.Sprintf("/console/groups/%d/reports?year=%d", p.GroupID, p.Year), Today: a.now().In(lianluo.Beijing).Format("2006年1月2日")})
}
