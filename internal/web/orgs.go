package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"lianluo"
)

// Organisations: NPC bodies (人大机构) and handling units (承办单位).

var orgKinds = []string{lianluo.OrgNPC, lianluo.OrgUnit}

var orgFields = []string{"kind", "name", "region_code", "parent_id", "contact", "phone", "address"}

type orgListPage struct {
	basePage
	Q, Kind, Region, Active string
	KindOptions             []option
	ActiveOptions           []option
	RegionGroups            []optGroup
	Items                   []*lianluo.Org
	Pager                   pager
	CanCreate               bool
}

func (a *app) orgList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac, q := r.Context(), actor(r), r.URL.Query()
	p := &orgListPage{
		basePage:  basePage{Title: "机构", Section: "orgs"},
		Q:         strings.TrimSpace(q.Get("q")),
		Kind:      q.Get("kind"),
		Region:    q.Get("region"),
		Active:    q.Get("active"),
		CanCreate: ac.CanManageRegistry(),
	}
	p.KindOptions = withBlank("全部类型", namedOptions(orgKinds, lianluo.OrgKindNames, p.Kind))
	p.ActiveOptions = withBlank("全部状态", namedOptions(activeOptionsKeys, activeNames, p.Active))
	var err error
	if p.RegionGroups, err = a.regionFilterOptions(ctx, ac, p.Region); err != nil {
		return err
	}
	pg := pageOf(r)
	items, total, err := a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Kind: p.Kind, Region: p.Region, Q: p.Q, Active: activeFilter(p.Active), Page: pg})
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, newPager(r, total, pg)
	return a.render(w, r, http.StatusOK, "orgs", p)
}

type orgDetailPage struct {
	basePage
	Org      *lianluo.Org
	Stations int
	CanEdit  bool
}

func (a *app) orgDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	o, err := a.svc.Orgs.FindOrgByID(ctx, id)
	if err != nil {
		return err
	}
	p := &orgDetailPage{basePage: basePage{Title: o.Name, Section: "orgs"}, Org: o, CanEdit: actor(r).CanManageRegion(o.RegionCode)}
	if o.Kind == lianluo.OrgNPC {
		if _, p.Stations, err = a.svc.Stations.FindStations(ctx, lianluo.StationFilter{OrgID: id, Page: lianluo.Page{PerPage: 1}}); err != nil {
			return err
		}
	}
	return a.render(w, r, http.StatusOK, "org", p)
}

type orgFormPage struct {
	basePage
	Edit    bool
	Action  string
	Cancel  string
	Org     *lianluo.Org
	Form    formState
	Kinds   []option
	Parents []option
	Region  regionField
}

func (a *app) showOrgForm(w http.ResponseWriter, r *http.Request, status int, o *lianluo.Org, f formState) error {
	ctx, ac := r.Context(), actor(r)
	p := &orgFormPage{basePage: basePage{Title: "新建机构", Section: "orgs"}, Org: o, Form: f, Action: "/console/orgs/new", Cancel: "/console/orgs"}
	if o.ID != 0 {
		p.Edit, p.Title = true, "修改机构："+o.Name
		p.Action = fmt.Sprintf("/console/orgs/%d/edit", o.ID)
		p.Cancel = fmt.Sprintf("/console/orgs/%d", o.ID)
		p.Form.ReloadURL = p.Action
	}
	p.Kinds = namedOptions(orgKinds, lianluo.OrgKindNames, o.Kind)
	parents, err := a.orgChoices(ctx, lianluo.OrgNPC, selectedSet(o.ParentID))
	if err != nil {
		return err
	}
	for _, op := range parents {
		if op.Value != idStr(&o.ID) { // not its own parent
			p.Parents = append(p.Parents, op)
		}
	}
	p.Parents = withBlank("（无上级）", p.Parents)
	if p.Region, err = a.regionField(ctx, ac, f, "region_code", "所属行政区划", o.RegionCode); err != nil {
		return err
	}
	return a.render(w, r, status, "org_form", p)
}

// orgFromForm reads the form; the first unreadable field is the error, and
// the org carries everything typed so the form can be shown again.
func orgFromForm(r *http.Request) (*lianluo.Org, error) {
	o := &lianluo.Org{
		Kind:    formStr(r, "kind"),
		Name:    formStr(r, "name"),
		Contact: formStr(r, "contact"),
		Phone:   formStr(r, "phone"),
		Address: formStr(r, "address"),
	}
	var err1, err2 error
	o.RegionCode, err1 = regionFromForm(r, "region_code")
	o.ParentID, err2 = formID(r, "parent_id", "上级机构")
	return o, firstErr(err1, err2)
}

func (a *app) orgNew(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	return a.showOrgForm(w, r, http.StatusOK, &lianluo.Org{Kind: lianluo.OrgNPC}, formState{})
}

func (a *app) orgCreate(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	o, err := orgFromForm(r)
	typed := o.RegionCode // the store rewrites it; a re-shown form keeps what was typed
	if err == nil {
		err = a.svc.Orgs.CreateOrg(r.Context(), o)
	}
	return saved(w, r, err, orgFields, func(status int, f formState) error {
		o.ID, o.RegionCode = 0, typed
		return a.showOrgForm(w, r, status, o, f)
	}, fmt.Sprintf("/console/orgs/%d?ok=created", o.ID))
}

func (a *app) orgEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := a.svc.Orgs.FindOrgByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !actor(r).CanManageRegion(o.RegionCode) {
		return lianluo.Forbidden()
	}
	return a.showOrgForm(w, r, http.StatusOK, o, formState{})
}

func (a *app) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	old, err := a.svc.Orgs.FindOrgByID(ctx, id)
	if err != nil {
		return err
	}
	o, err := orgFromForm(r)
	o.ID, o.Kind, o.Active = id, old.Kind, old.Active
	var verr error
	o.Version, verr = formVersion(r)
	if err = firstErr(err, verr); err == nil {
		_, err = a.svc.Orgs.UpdateOrg(ctx, id, lianluo.OrgUpdate{
			Name:       &o.Name,
			RegionCode: &o.RegionCode,
			ParentID:   ptrOr0(o.ParentID),
			Contact:    &o.Contact,
			Phone:      &o.Phone,
			Address:    &o.Address,
			Version:    o.Version,
		})
	}
	return saved(w, r, err, orgFields, func(status int, f formState) error {
		return a.showOrgForm(w, r, status, o, f)
	}, fmt.Sprintf("/console/orgs/%d?ok=saved", id))
}

// orgSetActive deactivates (active=false) or reactivates an organisation.
func (a *app) orgSetActive(w http.ResponseWriter, r *http.Request) error {
	return setActive(w, r, "/console/orgs", func(ctx context.Context, id int64, active bool, v int) error {
		_, err := a.svc.Orgs.UpdateOrg(ctx, id, lianluo.OrgUpdate{Active: &active, Version: v})
		return err
	})
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
