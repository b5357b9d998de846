package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"lianluo"
)

// 年初计划 pages (docs/year-plans.md): a station's or a group's plan for a
// year, month by month with each item's state against the activities
// held; the office's form (rows added and removed without script: blank
// rows are left out, ticked rows removed, 再加几行 shows more); publishing.

// yearPlanOwner is whose plan a page is about, from the query or the plan.
type yearPlanOwner struct {
	Kind lianluo.PlanOwnerKind
	ID   int64
	Name string
}

// URL is the owner's own page.
func (o yearPlanOwner) URL() string {
	if o.Kind == lianluo.PlanOwnerGroup {
		return fmt.Sprintf("/console/groups/%d", o.ID)
	}
	return fmt.Sprintf("/console/stations/%d", o.ID)
}

// Param is the query naming the owner.
func (o yearPlanOwner) Param() string {
	if o.Kind == lianluo.PlanOwnerGroup {
		return fmt.Sprintf("group_id=%d", o.ID)
	}
	return fmt.Sprintf("station_id=%d", o.ID)
}

func (o yearPlanOwner) section() string {
	if o.Kind == lianluo.PlanOwnerGroup {
		return "groups"
	}
	return "stations"
}

// planMonth is one month of the plan's table.
type planMonth struct {
	Month int
	Items []lianluo.YearPlanItem
}

type yearPlanPage struct {
	basePage
	Owner  yearPlanOwner
	Year   int
	Prev   int
	Next   int
	P      *lianluo.YearPlan // nil: none for the year (or none published yet)
	Months []planMonth
	Form   formState
}

// StateName is an item state's Chinese name.
func (p *yearPlanPage) StateName(s lianluo.PlanItemState) string { return s.Name() }

// KindName is an activity kind's Chinese name.
func (p *yearPlanPage) KindName(k string) string { return lianluo.ActivityKindNames[k] }

// Day writes an activity's date as 4月20日.
func (p *yearPlanPage) Day(a *lianluo.PlanActivity) string {
	return a.Date.In(lianluo.Beijing).Format("1月2日")
}

// yearPlanRow is a row of the form: an item as typed.
type yearPlanRow struct {
	Month int
	Kind  string
	Title string
	Note  string
}

type yearPlanFormPage struct {
	basePage
	Owner   yearPlanOwner
	Year    int
	Years   []option
	PlanID  int64 // 0 for a new plan
	Version int
	Status  lianluo.YearPlanStatus
	Rows    []yearPlanRow
	Kinds   []option
	Form    formState
}

// Months are the options of a row's month.
func (p *yearPlanFormPage) Months() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// Err is the error of a row's field (items[i].name).
func (p *yearPlanFormPage) Err(i int, name string) string {
	return p.Form.Errors[fmt.Sprintf("items[%d].%s", i, name)]
}

// Action is where the form posts.
func (p *yearPlanFormPage) Action() string {
	if p.PlanID == 0 {
		return "/console/year-plans"
	}
	return fmt.Sprintf("/console/year-plans/%d/edit", p.PlanID)
}

// kindOptions are the activity kinds a plan of the owner may hold.
func kindOptions(owner lianluo.PlanOwnerKind) []option {
	var out []option
	for _, k := range lianluo.ActivityKinds {
		if owner == lianluo.PlanOwnerStation && k == lianluo.ActivityGroupMeeting {
			continue
		}
		out = append(out, option{Value: k, Label: lianluo.ActivityKindNames[k]})
	}
	return out
}

// planOwnerFromQuery reads ?station_id= or ?group_id= and the owner's name
// (not found outside the caller's scope).
func (a *app) planOwnerFromQuery(r *http.Request, get func(string) string) (yearPlanOwner, error) {
	ctx := r.Context()
	if id, _ := strconv.ParseInt(get("group_id"), 10, 64); id > 0 {
		g, err := a.svc.Groups.FindGroupByID(ctx, id)
		if err != nil {
			return yearPlanOwner{}, err
		}
		return yearPlanOwner{Kind: lianluo.PlanOwnerGroup, ID: id, Name: g.Name}, nil
	}
	if id, _ := strconv.ParseInt(get("station_id"), 10, 64); id > 0 {
		s, err := a.svc.Stations.FindStationByID(ctx, id)
		if err != nil {
			return yearPlanOwner{}, err
		}
		return yearPlanOwner{Kind: lianluo.PlanOwnerStation, ID: id, Name: s.Name}, nil
	}
	return yearPlanOwner{}, lianluo.NotFound("联络站或代表小组")
}

// yearPlanFind answers /console/year-plans?station_id=|group_id=&year=: the
// plan of the year, the form for a new one (the office), or word that
// there is none yet.
func (a *app) yearPlanFind(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	o, err := a.planOwnerFromQuery(r, r.URL.Query().Get)
	if err != nil {
		return err
	}
	year := a.yearParam(r)
	f := lianluo.YearPlanFilter{Year: year}
	if o.Kind == lianluo.PlanOwnerGroup {
		f.GroupID = o.ID
	} else {
		f.StationID = o.ID
	}
	list, _, err := a.svc.YearPlans.FindYearPlans(ctx, f)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		return redirect(w, r, fmt.Sprintf("/console/year-plans/%d", list[0].ID))
	}
	write, err := a.svc.YearPlans.YearPlanWriter(ctx, o.Kind, o.ID)
	if err != nil {
		return err
	}
	if write && lianluo.PlanYearOK(year, a.now()) {
		return a.renderPlanForm(w, r, http.StatusOK, &yearPlanFormPage{Owner: o, Year: year, Rows: blankRows(nil, 6)})
	}
	return a.render(w, r, http.StatusOK, "year_plan", &yearPlanPage{basePage: basePage{Title: fmt.Sprintf("%s%d年度活动计划", o.Name, year),
		Section: o.section()}, Owner: o, Year: year, Prev: year - 1, Next: year + 1})
}

// blankRows adds n empty rows after the rows typed.
func blankRows(rows []yearPlanRow, n int) []yearPlanRow {
	for range n {
		rows = append(rows, yearPlanRow{})
	}
	return rows
}

func (a *app) renderPlanForm(w http.ResponseWriter, r *http.Request, status int, p *yearPlanFormPage) error {
	title := fmt.Sprintf("制定%s%d年度活动计划", p.Owner.Name, p.Year)
	if p.PlanID != 0 {
		title = fmt.Sprintf("修改%s%d年度活动计划", p.Owner.Name, p.Year)
	}
	p.basePage = basePage{Title: title, Section: p.Owner.section()}
	p.Kinds = kindOptions(p.Owner.Kind)
	if p.PlanID == 0 {
		y := a.thisYear()
		p.Years = yearOptions(y-1, y+1, p.Year)
	}
	return a.render(w, r, status, "year_plan_form", p)
}

// readPlanRows reads the rows of the form: blank rows are left out, rows
// ticked 删除 removed. The items are the rows kept, in order, so that an
// item's error (items[i]…) is shown at row i when the form is shown again.
func readPlanRows(r *http.Request) ([]lianluo.YearPlanItem, []yearPlanRow) {
	f := r.PostForm
	months, kinds, titles, notes := f["month"], f["kind"], f["title"], f["note"]
	removed := map[string]bool{}
	for _, v := range f["remove"] {
		removed[v] = true
	}
	at := func(s []string, i int) string {
		if i < len(s) {
			return strings.TrimSpace(s[i])
		}
		return ""
	}
	var items []lianluo.YearPlanItem
	var rows []yearPlanRow
	for i := range titles {
		title, note := at(titles, i), at(notes, i)
		if removed[strconv.Itoa(i)] || (title == "" && note == "") {
			continue
		}
		m, _ := strconv.Atoi(at(months, i))
		row := yearPlanRow{Month: m, Kind: at(kinds, i), Title: title, Note: note}
		rows = append(rows, row)
		items = append(items, lianluo.YearPlanItem{Month: m, Kind: row.Kind, Title: title, Note: note})
	}
	return items, rows
}

// planFields are the form's fields an error may name, for n items.
func planFields(n int) []string {
	out := []string{"year", "items", "version"}
	for i := range n {
		for _, f := range []string{"month", "kind", "title", "note"} {
			out = append(out, fmt.Sprintf("items[%d].%s", i, f))
		}
	}
	return out
}

// yearPlanCreate answers the new plan's form.
func (a *app) yearPlanCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return lianluo.Errorf(lianluo.EINVALID, "表单无法读取。")
	}
	o, err := a.planOwnerFromQuery(r, r.PostFormValue)
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	items, rows := readPlanRows(r)
	p := &yearPlanFormPage{Owner: o, Year: year}
	if r.PostFormValue("more") != "" {
		p.Rows = blankRows(rows, 4)
		return a.renderPlanForm(w, r, http.StatusOK, p)
	}
	pl, err := a.svc.YearPlans.CreateYearPlan(r.Context(), lianluo.YearPlanInput{OwnerKind: o.Kind, OwnerID: o.ID, Year: year, Items: items})
	if err != nil {
		p.Rows = blankRows(rows, 2)
		if !p.Form.take(err, planFields(len(items))...) {
			return err
		}
		return a.renderPlanForm(w, r, p.Form.status(err), p)
	}
	return redirect(w, r, fmt.Sprintf("/console/year-plans/%d?ok=created", pl.ID))
}

// planOwnerOf is the owner of a plan read.
func planOwnerOf(p *lianluo.YearPlan) yearPlanOwner {
	return yearPlanOwner{Kind: p.OwnerKind, ID: p.OwnerID, Name: p.OwnerName}
}

// yearPlanView is the plan month by month, with its progress and warnings.
func (a *app) yearPlanView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.svc.YearPlans.FindYearPlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.renderPlan(w, r, http.StatusOK, p, formState{})
}

func (a *app) renderPlan(w http.ResponseWriter, r *http.Request, status int, p *lianluo.YearPlan, f formState) error {
	o := planOwnerOf(p)
	pg := &yearPlanPage{basePage: basePage{Title: fmt.Sprintf("%s%d年度活动计划", o.Name, p.Year), Section: o.section()},
		Owner: o, Year: p.Year, Prev: p.Year - 1, Next: p.Year + 1, P: p, Form: f}
	for m := 1; m <= 12; m++ {
		pm := planMonth{Month: m}
		for _, it := range p.Items {
			if it.Month == m {
				pm.Items = append(pm.Items, it)
			}
		}
		pg.Months = append(pg.Months, pm)
	}
	return a.render(w, r, status, "year_plan", pg)
}

// yearPlanEdit shows the office's form for a plan.
func (a *app) yearPlanEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.svc.YearPlans.FindYearPlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !p.CanWrite {
		return lianluo.Forbidden()
	}
	var rows []yearPlanRow
	for _, it := range p.Items {
		rows = append(rows, yearPlanRow{Month: it.Month, Kind: it.Kind, Title: it.Title, Note: it.Note})
	}
	return a.renderPlanForm(w, r, http.StatusOK, &yearPlanFormPage{Owner: planOwnerOf(p), Year: p.Year, PlanID: p.ID, Version: p.Version,
		Status: p.Status, Rows: blankRows(rows, 3)})
}

// yearPlanUpdate saves the form.
func (a *app) yearPlanUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return lianluo.Errorf(lianluo.EINVALID, "表单无法读取。")
	}
	p, err := a.svc.YearPlans.FindYearPlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	items, rows := readPlanRows(r)
	version, verr := formVersion(r)
	pg := &yearPlanFormPage{Owner: planOwnerOf(p), Year: p.Year, PlanID: p.ID, Version: version, Status: p.Status}
	if r.PostFormValue("more") != "" {
		pg.Rows = blankRows(rows, 4)
		return a.renderPlanForm(w, r, http.StatusOK, pg)
	}
	err = verr
	if err == nil {
		_, err = a.svc.YearPlans.UpdateYearPlan(r.Context(), id, lianluo.YearPlanUpdate{Items: items, Version: version})
	}
	if err != nil {
		pg.Rows = blankRows(rows, 2)
		if !pg.Form.take(err, planFields(len(items))...) {
			return err
		}
		pg.Form.ReloadURL = fmt.Sprintf("/console/year-plans/%d/edit", id)
		return a.renderPlanForm(w, r, pg.Form.status(err), pg)
	}
	return redirect(w, r, fmt.Sprintf("/console/year-plans/%d?ok=saved", id))
}

// yearPlanPublish publishes the plan and tells the deputies.
func (a *app) yearPlanPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err == nil {
		_, err = a.svc.YearPlans.PublishYearPlan(r.Context(), id, version)
	}
	if err != nil {
		var f formState
		if !f.take(err, "items") {
			return err
		}
		f.ReloadURL = fmt.Sprintf("/console/year-plans/%d", id)
		p, perr := a.svc.YearPlans.FindYearPlanByID(r.Context(), id)
		if perr != nil {
			return perr
		}
		return a.renderPlan(w, r, f.status(err), p, f)
	}
	return redirect(w, r, fmt.Sprintf("/console/year-plans/%d?ok=plan_published", id))
}

// N is a row's number from 1, for the labels.
func (p *yearPlanFormPage) N(i int) int { return i + 1 }
