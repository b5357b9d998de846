package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"lianluo"
)

// Liaison stations (人大代表联络站).

var stationKinds = []string{lianluo.StationCenter, lianluo.StationVillage, lianluo.StationHome, lianluo.StationRoom}

var stationFields = []string{"kind", "name", "region_code", "org_id", "address", "opening_hours", "phone",
	"head_deputy_id", "liaisons", "deputy_ids", "board.intro", "board.schedule", "board.duties", "board.rules", "board.workflow"}

// maxLiaisons matches the store's limit (lianluo.Station.Validate).
const maxLiaisons = 20

type stationListPage struct {
	basePage
	Q, Kind, Region, Active string
	Org                     string // only the stations this NPC body manages
	KindOptions             []option
	ActiveOptions           []option
	RegionGroups            []optGroup
	Items                   []*lianluo.Station
	Pager                   pager
	CanCreate               bool
	MinDeps                 int
}

func (a *app) stationList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac, q := r.Context(), actor(r), r.URL.Query()
	p := &stationListPage{
		basePage:  basePage{Title: "联络站", Section: "stations"},
		Q:         strings.TrimSpace(q.Get("q")),
		Kind:      q.Get("kind"),
		Region:    q.Get("region"),
		Active:    q.Get("active"),
		Org:       q.Get("org"),
		CanCreate: ac.CanManageRegistry(),
		MinDeps:   lianluo.MinStationDeputies,
	}
	var orgID int64
	if id, err := parseID(p.Org, "org", "机构"); err == nil && id != nil {
		orgID = *id
	} else {
		p.Org = ""
	}
	p.KindOptions = withBlank("全部类型", namedOptions(stationKinds, lianluo.StationKindNames, p.Kind))
	p.ActiveOptions = withBlank("全部状态", namedOptions(activeOptionsKeys, activeNames, p.Active))
	var err error
	if p.RegionGroups, err = a.regionFilterOptions(ctx, ac, p.Region); err != nil {
		return err
	}
	pg := pageOf(r)
	items, total, err := a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Kind: p.Kind, Region: p.Region, OrgID: orgID, Q: p.Q, Active: activeFilter(p.Active), Page: pg})
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, newPager(r, total, pg)
	return a.render(w, r, http.StatusOK, "stations", p)
}

type stationDetailPage struct {
	basePage
	S         *lianluo.Station
	CanEdit   bool // manager or the station's head
	CanManage bool // may (de)activate
	Short     bool
	MinDeps   int
	// Mailbox is the station's 代表信箱 when the caller may see it (nil otherwise).
	Mailbox *lianluo.MailboxStatus

	DefaultWorkflow string
}

func (a *app) stationDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := a.svc.Stations.FindStationByID(r.Context(), id)
	if err != nil {
		return err
	}
	ac := actor(r)
	manage := ac.CanManageRegion(s.RegionCode)
	p := &stationDetailPage{
		basePage:  basePage{Title: s.Name, Section: "stations"},
		S:         s,
		CanManage: manage,
		CanEdit:   manage || ac.HeadsStation(id),
		Short:     len(s.Deputies) < lianluo.MinStationDeputies,
		MinDeps:   lianluo.MinStationDeputies,

		DefaultWorkflow: lianluo.DefaultWorkflow,
	}
	// The mailbox's state (004: opened weekly), where the caller's role reaches it.
	if boxes, err := a.svc.Mailbox.MailboxStatuses(r.Context(), id); err == nil && len(boxes) == 1 {
		p.Mailbox = &boxes[0]
	} else if err != nil && !isAccessError(err) {
		return err
	}
	return a.render(w, r, http.StatusOK, "station", p)
}

type stationFormPage struct {
	basePage
	Edit       bool
	Restricted bool // a station head: where the station belongs is not theirs to change
	Action     string
	Cancel     string
	S          *lianluo.Station
	Form       formState
	Kinds      []option
	Orgs       []option
	Heads      []option
	Deputies   []option
	Liaisons   []lianluo.Liaison
	Region     regionField
}

func (a *app) showStationForm(w http.ResponseWriter, r *http.Request, status int, s *lianluo.Station, restricted bool, f formState) error {
	ctx, ac := r.Context(), actor(r)
	p := &stationFormPage{basePage: basePage{Title: "新建联络站", Section: "stations"}, S: s, Form: f, Restricted: restricted,
		Action: "/console/stations/new", Cancel: "/console/stations"}
	if s.ID != 0 {
		p.Edit, p.Title = true, "修改联络站："+s.Name
		p.Action = fmt.Sprintf("/console/stations/%d/edit", s.ID)
		p.Cancel = fmt.Sprintf("/console/stations/%d", s.ID)
		p.Form.ReloadURL = p.Action
	}
	var err error
	p.Kinds = withBlank("请选择", namedOptions(stationKinds, lianluo.StationKindNames, s.Kind))
	if p.Orgs, err = a.orgChoices(ctx, lianluo.OrgNPC, selectedSet(&s.OrgID)); err != nil {
		return err
	}
	p.Orgs = withBlank("请选择", p.Orgs)
	if p.Heads, err = a.deputyChoices(ctx, selectedSet(s.HeadDeputyID)); err != nil {
		return err
	}
	p.Heads = withBlank("（暂不指定）", p.Heads)
	if p.Deputies, err = a.deputyChoices(ctx, idSet(s.DeputyIDs)); err != nil {
		return err
	}
	p.Liaisons = slices.Clone(s.Liaisons)
	for len(p.Liaisons) < maxLiaisons && (len(p.Liaisons) < 3 || len(p.Liaisons) < len(s.Liaisons)+2) {
		p.Liaisons = append(p.Liaisons, lianluo.Liaison{})
	}
	if !restricted {
		if p.Region, err = a.regionField(ctx, ac, f, "region_code", "所在行政区划", s.RegionCode); err != nil {
			return err
		}
	}
	return a.render(w, r, status, "station_form", p)
}

func stationFromForm(r *http.Request) (*lianluo.Station, error) {
	s := &lianluo.Station{
		Kind:         formStr(r, "kind"),
		Name:         formStr(r, "name"),
		Address:      formStr(r, "address"),
		OpeningHours: formStr(r, "opening_hours"),
		Phone:        formStr(r, "phone"),
		Liaisons:     []lianluo.Liaison{},
		Board: lianluo.StationBoard{
			Intro:    formStr(r, "board.intro"),
			Duties:   formStr(r, "board.duties"),
			Rules:    formStr(r, "board.rules"),
			Workflow: formStr(r, "board.workflow"),
			Schedule: formStr(r, "board.schedule"),
		},
	}
	var errs [4]error
	s.RegionCode, errs[0] = regionFromForm(r, "region_code")
	org, err := formID(r, "org_id", "主管人大机构")
	if org != nil {
		s.OrgID = *org
	}
	errs[1] = err
	s.HeadDeputyID, errs[2] = formID(r, "head_deputy_id", "站长")
	s.DeputyIDs, errs[3] = formIDs(r, "deputy_ids", "进站代表")
	if s.DeputyIDs == nil {
		s.DeputyIDs = []int64{}
	}
	names, phones := r.PostForm["liaison_name"], r.PostForm["liaison_phone"]
	for i := range names {
		l := lianluo.Liaison{Name: strings.TrimSpace(names[i])}
		if i < len(phones) {
			l.Phone = strings.TrimSpace(phones[i])
		}
		if l.Name != "" || l.Phone != "" {
			s.Liaisons = append(s.Liaisons, l)
		}
	}
	return s, firstErr(errs[:]...)
}

func (a *app) stationNew(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	return a.showStationForm(w, r, http.StatusOK, &lianluo.Station{Kind: lianluo.StationVillage}, false, formState{})
}

func (a *app) stationCreate(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	s, err := stationFromForm(r)
	typed := s.RegionCode // the store rewrites it; a re-shown form keeps what was typed
	if err == nil {
		err = a.svc.Stations.CreateStation(r.Context(), s)
	}
	return saved(w, r, err, stationFields, func(status int, f formState) error {
		s.ID, s.RegionCode = 0, typed
		return a.showStationForm(w, r, status, s, false, f)
	}, fmt.Sprintf("/console/stations/%d?ok=created", s.ID))
}

// stationEditor loads a station the actor may edit and says whether only
// its contact details are theirs to change.
func (a *app) stationEditor(r *http.Request) (s *lianluo.Station, restricted bool, err error) {
	id, err := pathID(r)
	if err != nil {
		return nil, false, err
	}
	if s, err = a.svc.Stations.FindStationByID(r.Context(), id); err != nil {
		return nil, false, err
	}
	ac := actor(r)
	switch {
	case ac.CanManageRegion(s.RegionCode):
		return s, false, nil
	case ac.HeadsStation(id):
		return s, true, nil
	}
	return nil, false, lianluo.Forbidden()
}

func (a *app) stationEdit(w http.ResponseWriter, r *http.Request) error {
	s, restricted, err := a.stationEditor(r)
	if err != nil {
		return err
	}
	return a.showStationForm(w, r, http.StatusOK, s, restricted, formState{})
}

func (a *app) stationUpdate(w http.ResponseWriter, r *http.Request) error {
	old, restricted, err := a.stationEditor(r)
	if err != nil {
		return err
	}
	s, err := stationFromForm(r)
	s.ID, s.Active = old.ID, old.Active
	var verr error
	s.Version, verr = formVersion(r)
	u := lianluo.StationUpdate{
		Address:      &s.Address,
		OpeningHours: &s.OpeningHours,
		Phone:        &s.Phone,
		HeadDeputyID: ptrOr0(s.HeadDeputyID),
		Liaisons:     &s.Liaisons,
		DeputyIDs:    &s.DeputyIDs,
		Board:        &s.Board,
		Version:      s.Version,
	}
	if restricted {
		s.Kind, s.Name, s.RegionCode, s.OrgID = old.Kind, old.Name, old.RegionCode, old.OrgID
	} else {
		u.Kind, u.Name, u.RegionCode, u.OrgID = &s.Kind, &s.Name, &s.RegionCode, &s.OrgID
	}
	if err = firstErr(err, verr); err == nil {
		_, err = a.svc.Stations.UpdateStation(r.Context(), old.ID, u)
	}
	return saved(w, r, err, stationFields, func(status int, f formState) error {
		return a.showStationForm(w, r, status, s, restricted, f)
	}, fmt.Sprintf("/console/stations/%d?ok=saved", old.ID))
}

func (a *app) stationSetActive(w http.ResponseWriter, r *http.Request) error {
	return setActive(w, r, "/console/stations", func(ctx context.Context, id int64, active bool, v int) error {
		_, err := a.svc.Stations.UpdateStation(ctx, id, lianluo.StationUpdate{Active: &active, Version: v})
		return err
	})
}

// isAccessError reports a refusal or a not-found: a part of a page the
// caller's role does not reach is left out, not an error page.
func isAccessError(err error) bool {
	c := lianluo.ErrorCode(err)
	return c == lianluo.EFORBIDDEN || c == lianluo.ENOTFOUND || c == lianluo.EUNAUTHORIZED
}
