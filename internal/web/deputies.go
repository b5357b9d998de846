package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"lianluo"
)

// Deputies (人大代表).

var deputyStatuses = []string{lianluo.DeputyInOffice, lianluo.DeputyTerminated, lianluo.DeputyTransferred}

var genders = []string{"male", "female"}

var deputyFields = []string{"name", "gender", "phone", "ethnicity", "party", "occupation", "work_unit",
	"region_code", "group_id", "seats", "station_ids", "leader", "status", "bio"}

type deputyListPage struct {
	basePage
	Q, Level, Status, Region string
	LevelOptions             []option
	StatusOptions            []option
	RegionGroups             []optGroup
	Items                    []*lianluo.Deputy
	Seats                    map[int64]string // deputy → seats named after the region
	Pager                    pager
	CanCreate                bool
}

func (a *app) deputyList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac, q := r.Context(), actor(r), r.URL.Query()
	p := &deputyListPage{
		basePage:  basePage{Title: "人大代表", Section: "deputies"},
		Q:         strings.TrimSpace(q.Get("q")),
		Level:     q.Get("level"),
		Status:    q.Get("status"),
		Region:    q.Get("region"),
		CanCreate: ac.CanManageRegistry(),
	}
	p.LevelOptions = withBlank("全部层级", namedOptions(lianluo.DeputyLevels, lianluo.DeputyLevelNames, p.Level))
	p.StatusOptions = withBlank("全部状态", namedOptions(deputyStatuses, lianluo.DeputyStatusNames, p.Status))
	var err error
	if p.RegionGroups, err = a.regionFilterOptions(ctx, ac, p.Region); err != nil {
		return err
	}
	pg := pageOf(r)
	items, total, err := a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Level: p.Level, Status: p.Status, Region: p.Region, Q: p.Q, Page: pg})
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, newPager(r, total, pg)
	names := a.seatNamer(ctx)
	p.Seats = map[int64]string{}
	for _, d := range items {
		p.Seats[d.ID] = names.text(d.Seats, d.RegionCode)
	}
	return a.render(w, r, http.StatusOK, "deputies", p)
}

type deputyDetailPage struct {
	basePage
	D        *lianluo.Deputy
	Levels   map[string]string // seat level → its name after the region: 北仑区人大代表
	CanEdit  bool
	CanPhoto bool   // may set the portrait
	Record   bool   // may read the 履职档案
	PhotoErr string // why the last upload was refused
	MaxPhoto int    // MB
}

func (a *app) deputyDetail(w http.ResponseWriter, r *http.Request) error {
	return a.showDeputy(w, r, http.StatusOK, "")
}

func (a *app) showDeputy(w http.ResponseWriter, r *http.Request, status int, photoErr string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := a.svc.Deputies.FindDeputyByID(r.Context(), id)
	if err != nil {
		return err
	}
	ac := actor(r)
	names, levels := a.seatNamer(r.Context()), map[string]string{}
	for _, s := range d.Seats {
		levels[s.Level] = names.text([]lianluo.Seat{s}, d.RegionCode)
	}
	return a.render(w, r, status, "deputy", &deputyDetailPage{
		basePage: basePage{Title: d.Name, Section: "deputies"},
		D:        d,
		Levels:   levels,
		CanEdit:  ac.CanManageRegion(d.RegionCode),
		CanPhoto: lianluo.CanSetDeputyPhoto(ac, d),
		Record:   lianluo.CanReadDeputyRecord(ac, d.ID),
		PhotoErr: photoErr,
		MaxPhoto: lianluo.MaxPhotoBytes >> 20,
	})
}

// seatRow is one row of the seats table: level, term (届次), constituency (选区).
type seatRow struct {
	N            int // 1-based: errors name the row ("第2行")
	Levels       []option
	Term         string
	Constituency string
}

type deputyFormPage struct {
	basePage
	Edit     bool
	Action   string
	Cancel   string
	D        *lianluo.Deputy
	Form     formState
	Genders  []option
	Statuses []option
	Groups   []option
	Stations []option
	Seats    []seatRow
	Region   regionField
}

func (a *app) showDeputyForm(w http.ResponseWriter, r *http.Request, status int, d *lianluo.Deputy, terms []string, f formState) error {
	ctx, ac := r.Context(), actor(r)
	p := &deputyFormPage{basePage: basePage{Title: "新增代表", Section: "deputies"}, D: d, Form: f,
		Action: "/console/deputies/new", Cancel: "/console/deputies"}
	if d.ID != 0 {
		p.Edit, p.Title = true, "修改代表信息："+d.Name
		p.Action = fmt.Sprintf("/console/deputies/%d/edit", d.ID)
		p.Cancel = fmt.Sprintf("/console/deputies/%d", d.ID)
		p.Form.ReloadURL = p.Action
	}
	p.Genders = withBlank("请选择", namedOptions(genders, lianluo.GenderNames, d.Gender))
	p.Statuses = namedOptions(deputyStatuses, lianluo.DeputyStatusNames, d.Status)
	var err error
	if p.Groups, err = a.groupChoices(ctx, selectedSet(d.GroupID)); err != nil {
		return err
	}
	p.Groups = withBlank("（不属于代表小组）", p.Groups)
	if p.Stations, err = a.stationChoices(ctx, idSet(d.StationIDs)); err != nil {
		return err
	}
	// Seats: the ones held, then blank rows, at least three and at most one
	// per level.
	rows := min(max(len(d.Seats)+1, 3), len(lianluo.DeputyLevels))
	if len(terms) > 0 { // a re-shown form: exactly the rows that were sent
		rows = len(d.Seats)
	}
	for i := range max(rows, len(d.Seats)) {
		var s lianluo.Seat
		if i < len(d.Seats) {
			s = d.Seats[i]
		}
		row := seatRow{N: i + 1, Levels: withBlank("（不填）", namedOptions(lianluo.DeputyLevels, lianluo.DeputyLevelNames, s.Level)), Constituency: s.Constituency}
		switch {
		case i < len(terms):
			row.Term = terms[i]
		case s.Term > 0:
			row.Term = strconv.Itoa(s.Term)
		}
		p.Seats = append(p.Seats, row)
	}
	if p.Region, err = a.regionField(ctx, ac, f, "region_code", "所属行政区划", d.RegionCode); err != nil {
		return err
	}
	return a.render(w, r, status, "deputy_form", p)
}

// deputyFromForm reads the form. terms are the typed 届次 values, kept as
// typed so a wrong one is shown again.
func deputyFromForm(r *http.Request) (d *lianluo.Deputy, terms []string, err error) {
	d = &lianluo.Deputy{
		Name:       formStr(r, "name"),
		Gender:     formStr(r, "gender"),
		Phone:      formStr(r, "phone"),
		Ethnicity:  formStr(r, "ethnicity"),
		Party:      formStr(r, "party"),
		Occupation: formStr(r, "occupation"),
		WorkUnit:   formStr(r, "work_unit"),
		Leader:     formBool(r, "leader"),
		FirstTerm:  formBool(r, "first_term"),
		Status:     formStr(r, "status"),
		Bio:        strings.TrimSpace(r.PostFormValue("bio")),
		Seats:      []lianluo.Seat{},
	}
	var errs [4]error
	d.RegionCode, errs[0] = regionFromForm(r, "region_code")
	d.GroupID, errs[1] = formID(r, "group_id", "代表小组")
	d.StationIDs, errs[2] = formIDs(r, "station_ids", "联络站")
	if d.StationIDs == nil {
		d.StationIDs = []int64{}
	}
	levels, consts := r.PostForm["seat_level"], r.PostForm["seat_constituency"]
	terms = r.PostForm["seat_term"]
	for i, level := range levels {
		s := lianluo.Seat{Level: strings.TrimSpace(level)}
		term := ""
		if i < len(terms) {
			term = strings.TrimSpace(terms[i])
		}
		if i < len(consts) {
			s.Constituency = strings.TrimSpace(consts[i])
		}
		if s.Level == "" {
			if term != "" || s.Constituency != "" {
				errs[3] = firstErr(errs[3], lianluo.FieldError("seats", "第%d行填写了届次或选区，请同时选择代表层级。", i+1))
			}
			continue
		}
		if term != "" {
			n, err := strconv.Atoi(term)
			if err != nil {
				errs[3] = firstErr(errs[3], lianluo.FieldError("seats", "第%d行的届次应填写数字，例如 18。", i+1))
			}
			s.Term = n
		}
		d.Seats = append(d.Seats, s)
	}
	// Keep every typed row, blanks too, so that a re-shown form numbers the
	// rows as the error message does.
	kept := make([]lianluo.Seat, 0, len(levels))
	keptTerms := make([]string, 0, len(levels))
	for i, level := range levels {
		s := lianluo.Seat{Level: strings.TrimSpace(level)}
		if i < len(consts) {
			s.Constituency = strings.TrimSpace(consts[i])
		}
		t := ""
		if i < len(terms) {
			t = strings.TrimSpace(terms[i])
		}
		kept = append(kept, s)
		keptTerms = append(keptTerms, t)
	}
	if err := firstErr(errs[:]...); err != nil {
		d.Seats = kept
		return d, keptTerms, err
	}
	return d, nil, nil
}

func (a *app) deputyNew(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	return a.showDeputyForm(w, r, http.StatusOK, &lianluo.Deputy{Status: lianluo.DeputyInOffice}, nil, formState{})
}

func (a *app) deputyCreate(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	d, terms, err := deputyFromForm(r)
	typed := d.RegionCode // the store rewrites it; a re-shown form keeps what was typed
	if err == nil {
		err = a.svc.Deputies.CreateDeputy(r.Context(), d)
	}
	return saved(w, r, err, deputyFields, func(status int, f formState) error {
		d.ID, d.RegionCode = 0, typed
		return a.showDeputyForm(w, r, status, d, terms, f)
	}, fmt.Sprintf("/console/deputies/%d?ok=created", d.ID))
}

func (a *app) deputyEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := a.svc.Deputies.FindDeputyByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !actor(r).CanManageRegion(d.RegionCode) {
		return lianluo.Forbidden()
	}
	return a.showDeputyForm(w, r, http.StatusOK, d, nil, formState{})
}

func (a *app) deputyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.Deputies.FindDeputyByID(r.Context(), id); err != nil {
		return err
	}
	d, terms, err := deputyFromForm(r)
	d.ID = id
	var verr error
	d.Version, verr = formVersion(r)
	if err = firstErr(err, verr); err == nil {
		_, err = a.svc.Deputies.UpdateDeputy(r.Context(), id, lianluo.DeputyUpdate{
			Name:       &d.Name,
			Gender:     &d.Gender,
			Phone:      &d.Phone,
			Ethnicity:  &d.Ethnicity,
			Party:      &d.Party,
			Occupation: &d.Occupation,
			WorkUnit:   &d.WorkUnit,
			RegionCode: &d.RegionCode,
			GroupID:    ptrOr0(d.GroupID),
			Seats:      &d.Seats,
			StationIDs: &d.StationIDs,
			Leader:     &d.Leader,
			FirstTerm:  &d.FirstTerm,
			Status:     &d.Status,
			Bio:        &d.Bio,
			Version:    d.Version,
		})
	}
	return saved(w, r, err, deputyFields, func(status int, f formState) error {
		return a.showDeputyForm(w, r, status, d, terms, f)
	}, fmt.Sprintf("/console/deputies/%d?ok=saved", id))
}

// deputySetStatus ends (status=terminated or transferred) or restores a
// deputy's term of office. Deputies are never deleted: history refers to them.
func (a *app) deputySetStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := formVersion(r)
	if err != nil {
		return err
	}
	status := formStr(r, "status")
	if _, err := a.svc.Deputies.UpdateDeputy(r.Context(), id, lianluo.DeputyUpdate{Status: &status, Version: v}); err != nil {
		return err
	}
	ok := "saved"
	if status != lianluo.DeputyInOffice {
		ok = "deactivated"
	}
	return redirect(w, r, fmt.Sprintf("/console/deputies/%d?ok=%s", id, ok))
}
