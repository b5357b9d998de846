package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/sheets"
)

// 工作评议 (docs/appraisals.md): the list by year with a form to plan one,
// an appraisal's page (steps, units, tally, opinions, rectification table
// and the form of the next step), and the unit's own items on a phone
// (appraisal_unit.go). Who may do what is the root's: CanListAppraisals,
// Appraisal.CanManage, Rectification.CanReport and CanDecide.

var appraisalFlashes = map[string]string{
	"created":   "已新建工作评议。",
	"step":      "已记录评议步骤。",
	"item":      "已列出整改事项，并通知了该单位。",
	"reported":  "已报告整改情况，等待人大验收。",
	"accepted":  "已验收。",
	"returned":  "已退回，并通知了该单位。",
	"unchanged": "",
}

type appraisalsPage struct {
	basePage
	Year    int
	Years   []option
	List    []*lianluo.Appraisal
	CanPlan bool
	Bodies  []option
	Units   []*lianluo.Org
	In      lianluo.AppraisalInput
	Form    formState
}

// StepName is a step's Chinese name.
func (p *appraisalsPage) StepName(s lianluo.AppraisalStep) string { return s.Name() }

// Checked reports whether the unit is ticked in the form.
func (p *appraisalsPage) Checked(id int64) bool {
	for _, u := range p.In.UnitIDs {
		if u == id {
			return true
		}
	}
	return false
}

func (a *app) appraisalList(w http.ResponseWriter, r *http.Request) error {
	return a.renderAppraisals(w, r, http.StatusOK, lianluo.AppraisalInput{}, formState{})
}

func (a *app) renderAppraisals(w http.ResponseWriter, r *http.Request, status int, in lianluo.AppraisalInput, form formState) error {
	ctx, ac := r.Context(), actor(r)
	if !lianluo.CanListAppraisals(ac) {
		return lianluo.Forbidden()
	}
	year := a.yearParam(r)
	if in.Year != 0 {
		year = in.Year
	}
	p := &appraisalsPage{basePage: basePage{Title: "工作评议", Section: "appraisals"}, Year: year,
		Years: yearOptions(a.thisYear()-4, a.thisYear()+1, year), In: in, Form: form}
	var err error
	if p.List, _, err = a.svc.Appraisals.FindAppraisals(ctx, lianluo.AppraisalFilter{Year: year, Page: lianluo.Page{PerPage: 100}}); err != nil {
		return err
	}
	if ac.CanManageRegistry() {
		bodies, _, err := a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Kind: lianluo.OrgNPC, Page: lianluo.Page{PerPage: 100}})
		if err != nil {
			return err
		}
		for _, b := range bodies {
			if lianluo.CanManageAppraisals(ac, b.RegionCode) {
				p.Bodies = append(p.Bodies, option{Value: strconv.FormatInt(b.ID, 10), Label: b.Name, Selected: b.ID == in.OrgID})
			}
		}
		active := true
		if p.Units, _, err = a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Kind: lianluo.OrgUnit, Active: &active, Page: lianluo.Page{PerPage: 100}}); err != nil {
			return err
		}
		p.CanPlan = len(p.Bodies) > 0
		p.Bodies = withBlank("请选择", p.Bodies)
	}
	if s, ok := appraisalFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	return a.render(w, r, status, "appraisals", p)
}

func (a *app) appraisalCreate(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(formStr(r, "year"))
	in := lianluo.AppraisalInput{Year: year, Title: formStr(r, "title"), ScheduledOn: formStr(r, "scheduled_on"),
		ScheduleReason: formStr(r, "schedule_reason")}
	var err error
	if org, e := formID(r, "org_id", "组织评议的人大机构"); e != nil {
		err = e
	} else if org != nil {
		in.OrgID = *org
	}
	if err == nil {
		in.UnitIDs, err = formIDs(r, "unit_ids", "被评议单位")
	}
	var p *lianluo.Appraisal
	if err == nil {
		p, err = a.svc.Appraisals.CreateAppraisal(r.Context(), in)
	}
	if err != nil {
		var f formState
		if !f.take(err, "org_id", "year", "title", "unit_ids", "scheduled_on", "schedule_reason") {
			return err
		}
		return a.renderAppraisals(w, r, f.status(err), in, f)
	}
	return redirect(w, r, fmt.Sprintf("/console/appraisals/%d?ok=created", p.ID))
}

type appraisalPage struct {
	basePage
	A          *lianluo.Appraisal
	Activities []option
	Step       lianluo.AppraisalStepInput // what was typed, shown again with its error
	Item       lianluo.RectificationInput
	StepForm   formState
	ItemForm   formState
	RectForm   formState
	RectID     int64 // the item RectForm is about
	Today      string
}

// StepName is a step's Chinese name.
func (p *appraisalPage) StepName(s lianluo.AppraisalStep) string { return s.Name() }

// AllSteps are the steps in order, each with its record when recorded.
func (p *appraisalPage) AllSteps() []appraisalStepRow {
	var out []appraisalStepRow
	for _, s := range lianluo.AppraisalSteps {
		row := appraisalStepRow{Step: s, Name: s.Name(), Next: s == lianluo.NextStep(p.A.Steps)}
		for i := range p.A.Steps {
			if p.A.Steps[i].Step == s {
				row.Rec = &p.A.Steps[i]
			}
		}
		out = append(out, row)
	}
	return out
}

type appraisalStepRow struct {
	Step lianluo.AppraisalStep
	Name string
	Rec  *lianluo.AppraisalStepRecord
	Next bool
}

// UnitValue is what was typed for a unit in the step form.
func (p *appraisalPage) UnitValue(id int64, key string) string {
	for _, u := range p.Step.Units {
		if u.UnitID != id {
			continue
		}
		switch key {
		case "report":
			return u.Report
		case "findings":
			return u.Findings
		}
		if u.Tally == nil {
			return ""
		}
		switch key {
		case "satisfied":
			return strconv.Itoa(u.Tally.Satisfied)
		case "basic":
			return strconv.Itoa(u.Tally.Basic)
		case "unsatisfied":
			return strconv.Itoa(u.Tally.Unsatisfied)
		}
	}
	return ""
}

// OpenItems is how many rectification items the caller sees not yet
// accepted: 督办 lasts until there are none.
func (p *appraisalPage) OpenItems() int {
	n := 0
	for _, u := range p.A.Units {
		n += u.Progress.Total - u.Progress.Done
	}
	return n
}

// BallotID is the appraisal's 民主测评 ballot (0 before the meeting).
func (p *appraisalPage) BallotID() int64 {
	if len(p.A.Units) > 0 && p.A.Units[0].BallotID != nil {
		return *p.A.Units[0].BallotID
	}
	return 0
}

// UnitOptions are the appraisal's units for the item form.
func (p *appraisalPage) UnitOptions() []option {
	var out []option
	for _, u := range p.A.Units {
		out = append(out, option{Value: strconv.FormatInt(u.UnitID, 10), Label: u.Name, Selected: u.UnitID == p.Item.UnitID})
	}
	return out
}

// CanAddItems reports whether items may be set now: after the opinions,
// until 督办 ends the appraisal.
func (p *appraisalPage) CanAddItems() bool {
	if !p.A.CanManage || p.A.Status == lianluo.AppraisalClosed {
		return false
	}
	for _, s := range p.A.Steps {
		if s.Step == lianluo.StepFindings {
			return true
		}
	}
	return false
}

// CaseList is the collected opinions' ids as text.
func (p *appraisalPage) CaseList() string {
	var s []string
	for _, id := range p.A.CaseIDs {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return strings.Join(s, ",")
}

func (a *app) appraisalPageFor(r *http.Request, id int64) (*appraisalPage, error) {
	ctx := r.Context()
	x, err := a.svc.Appraisals.FindAppraisalByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &appraisalPage{basePage: basePage{Title: x.Title, Section: "appraisals"}, A: x,
		Today: a.now().In(lianluo.Beijing).Format(time.DateOnly)}
	p.Step.On = p.Today
	if x.Next == lianluo.StepMeeting {
		from := time.Date(x.Year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
		to := from.AddDate(1, 0, 0)
		acts, _, err := a.svc.Activities.FindActivities(ctx, lianluo.ActivityFilter{Kind: lianluo.ActivityAppraisal, From: &from, To: &to, Page: lianluo.Page{PerPage: 100}})
		if err != nil {
			return nil, err
		}
		p.Activities = withBlank("请选择", nil)
		for _, ac := range acts {
			p.Activities = append(p.Activities, option{Value: strconv.FormatInt(ac.ID, 10),
				Label: ac.StartsAt.In(lianluo.Beijing).Format("2006-01-02") + " " + ac.Title + "（" + ac.Organiser() + "）"})
		}
	}
	if s, ok := appraisalFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	return p, nil
}

func (a *app) appraisalDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.appraisalPageFor(r, id)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "appraisal", p)
}

// readStepForm reads the step form: per unit fields are named
// report_{unit}, findings_{unit}, satisfied_{unit}, basic_{unit},
// unsatisfied_{unit}; opinions collected are case numbers separated by
// commas or spaces.
func readStepForm(r *http.Request, units []lianluo.AppraisalUnit) (lianluo.AppraisalStepInput, error) {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	in := lianluo.AppraisalStepInput{Step: lianluo.AppraisalStep(formStr(r, "step")), On: formStr(r, "on"), Note: formStr(r, "note"), Version: v}
	var err error
	for _, f := range strings.FieldsFunc(formStr(r, "case_ids"), func(c rune) bool { return c == ',' || c == '，' || c == ' ' || c == '、' }) {
		id, e := strconv.ParseInt(f, 10, 64)
		if e != nil || id <= 0 {
			err = lianluo.FieldError("case_ids", "意见编号应为数字，多个用逗号分开。")
		}
		in.CaseIDs = append(in.CaseIDs, id)
	}
	if in.ActivityID, err = orErr(err, func() (*int64, error) { return formID(r, "activity_id", "评议会议") }); err != nil {
		return in, err
	}
	for _, u := range units {
		key := strconv.FormatInt(u.UnitID, 10)
		su := lianluo.AppraisalStepUnit{UnitID: u.UnitID, Report: formStr(r, "report_"+key), Findings: formStr(r, "findings_"+key)}
		blank := formStr(r, "satisfied_"+key) == "" && formStr(r, "basic_"+key) == "" && formStr(r, "unsatisfied_"+key) == ""
		if in.Step == lianluo.StepBallot && !(blank && u.BallotID != nil) {
			n := func(name string) int {
				x, e := strconv.Atoi(formStr(r, name+"_"+key))
				if e != nil && err == nil {
					err = lianluo.FieldError("units", "%s的测评票数应为整数。", u.Name)
				}
				return x
			}
			su.Tally = &lianluo.AppraisalTally{Satisfied: n("satisfied"), Basic: n("basic"), Unsatisfied: n("unsatisfied")}
		}
		in.Units = append(in.Units, su)
	}
	return in, err
}

// orErr runs f unless err is set already.
func orErr[T any](err error, f func() (T, error)) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	return f()
}

func (a *app) appraisalStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.appraisalPageFor(r, id)
	if err != nil {
		return err
	}
	in, err := readStepForm(r, p.A.Units)
	if err == nil {
		_, err = a.svc.Appraisals.RecordStep(r.Context(), id, in)
	}
	if err != nil {
		if !p.StepForm.take(err, "on", "note", "case_ids", "activity_id") {
			return err
		}
		p.Step = in
		p.StepForm.ReloadURL = fmt.Sprintf("/console/appraisals/%d", id)
		return a.render(w, r, p.StepForm.status(err), "appraisal", p)
	}
	return redirect(w, r, fmt.Sprintf("/console/appraisals/%d?ok=step#steps", id))
}

func (a *app) appraisalItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := lianluo.RectificationInput{Text: formStr(r, "text"), DueOn: formStr(r, "due_on")}
	unit, err := formID(r, "unit_id", "被评议单位")
	if unit != nil {
		in.UnitID = *unit
	}
	if err == nil {
		_, err = a.svc.Appraisals.AddRectification(r.Context(), id, in)
	}
	if err != nil {
		p, perr := a.appraisalPageFor(r, id)
		if perr != nil {
			return perr
		}
		if !p.ItemForm.take(err, "unit_id", "text", "due_on") {
			return err
		}
		p.Item = in
		return a.render(w, r, p.ItemForm.status(err), "appraisal", p)
	}
	return redirect(w, r, fmt.Sprintf("/console/appraisals/%d?ok=item#items", id))
}

// rectAct answers the report, accept and return buttons of an item, from
// the appraisal's page or the unit's list (back= says which).
func (a *app) rectAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	act := lianluo.RectAction(r.PathValue("action"))
	if _, ok := lianluo.RectActionNames[act]; !ok {
		return lianluo.NotFound("操作")
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	d := lianluo.RectDecision{Report: formStr(r, "report"), Reason: formStr(r, "reason"), Version: v}
	x, err := a.svc.Appraisals.ActOnRectification(r.Context(), id, act, d)
	ok := map[lianluo.RectAction]string{lianluo.RectReport: "reported", lianluo.RectAccept: "accepted", lianluo.RectReturn: "returned"}[act]
	unitView := r.PostFormValue("back") == "unit"
	if err != nil {
		var f formState
		if !f.take(err, "report", "reason") {
			return err
		}
		if unitView {
			return a.renderUnitItems(w, r, f.status(err), id, d.Report, f)
		}
		item, perr := rectAppraisalID(r)
		if perr != nil {
			return perr
		}
		p, perr := a.appraisalPageFor(r, item)
		if perr != nil {
			return perr
		}
		p.RectForm, p.RectID = f, id
		p.RectForm.ReloadURL = fmt.Sprintf("/console/appraisals/%d", item)
		return a.render(w, r, f.status(err), "appraisal", p)
	}
	if unitView {
		return redirect(w, r, "/console/rectifications?ok="+ok+fmt.Sprintf("#item-%d", id))
	}
	return redirect(w, r, fmt.Sprintf("/console/appraisals/%d?ok=%s#item-%d", x.AppraisalID, ok, id))
}

// rectAppraisalID is the appraisal whose page posted an item's form (the
// store finds the item itself, in scope, by its id).
func rectAppraisalID(r *http.Request) (int64, error) {
	v, err := strconv.ParseInt(r.PostFormValue("appraisal_id"), 10, 64)
	if err != nil || v <= 0 {
		return 0, lianluo.NotFound("整改事项")
	}
	return v, nil
}

// appraisalExcel downloads the appraisal's workbook (sheets.Appraisal).
func (a *app) appraisalExcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportAppraisal(r.Context(), a.svc, id)
	if err != nil {
		return err
	}
	return sendXLSX(w, name, b)
}
