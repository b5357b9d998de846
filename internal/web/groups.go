package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"lianluo"
)

// Deputy groups (代表小组) with leader, deputy leader and recorder (003).

var groupFields = []string{"name", "org_id", "region_code", "station_id", "leader_id", "deputy_leader_id", "recorder_id"}

type groupRow struct {
	*lianluo.DeputyGroup
	RegionName string
}

type groupListPage struct {
	basePage
	Q, Region, Org string
	OrgOptions     []option
	RegionGroups   []optGroup
	Items          []groupRow
	Pager          pager
	CanCreate      bool
}

func (a *app) groupList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac, q := r.Context(), actor(r), r.URL.Query()
	p := &groupListPage{
		basePage:  basePage{Title: "代表小组", Section: "groups"},
		Q:         strings.TrimSpace(q.Get("q")),
		Region:    q.Get("region"),
		Org:       q.Get("org"),
		CanCreate: ac.CanManageRegistry(),
	}
	var orgID int64
	if id, err := parseID(p.Org, "org", "机构"); err == nil && id != nil {
		orgID = *id
	}
	var err error
	if p.RegionGroups, err = a.regionFilterOptions(ctx, ac, p.Region); err != nil {
		return err
	}
	if lianluo.AreasOf(ac).Orgs { // the NPC bodies' people filter by body
		if p.OrgOptions, err = a.orgChoices(ctx, lianluo.OrgNPC, map[int64]bool{orgID: true}); err != nil {
			return err
		}
		p.OrgOptions = withBlank("全部机构", p.OrgOptions)
	}
	pg := pageOf(r)
	items, total, err := a.svc.Groups.FindGroups(ctx, lianluo.GroupFilter{Region: p.Region, OrgID: orgID, Q: p.Q, Page: pg})
	if err != nil {
		return err
	}
	names := regionNames{}
	for _, g := range items {
		p.Items = append(p.Items, groupRow{DeputyGroup: g, RegionName: names.get(ctx, a, g.RegionCode)})
	}
	p.Pager = newPager(r, total, pg)
	return a.render(w, r, http.StatusOK, "groups", p)
}

// regionNames caches region names for a page of records that carry only codes.
type regionNames map[string]string

func (m regionNames) get(ctx context.Context, a *app, code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	n := code
	if r, err := a.svc.Regions.FindRegion(ctx, code); err == nil {
		n = r.Name
	}
	m[code] = n
	return n
}

type groupDetailPage struct {
	basePage
	G                                    *lianluo.DeputyGroup
	RegionName, StationName              string
	Leader, DeputyLeader, Recorder       string
	LeaderID, DeputyLeaderID, RecorderID string
	CanEdit                              bool
}

func (a *app) groupDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	g, err := a.svc.Groups.FindGroupByID(ctx, id)
	if err != nil {
		return err
	}
	p := &groupDetailPage{basePage: basePage{Title: g.Name, Section: "groups"}, G: g, CanEdit: actor(r).CanManageRegion(g.RegionCode)}
	p.RegionName = regionNames{}.get(ctx, a, g.RegionCode)
	if g.StationID != nil {
		if s, err := a.svc.Stations.FindStationByID(ctx, *g.StationID); err == nil {
			p.StationName = s.Name
		} else if !lianluo.Is(err, lianluo.ENOTFOUND) {
			return err
		}
	}
	name := func(id *int64) string {
		if id == nil {
			return ""
		}
		for _, m := range g.Members {
			if m.ID == *id {
				return m.Name
			}
		}
		if d, err := a.svc.Deputies.FindDeputyByID(ctx, *id); err == nil {
			return d.Name
		}
		return "（编号" + strconv.FormatInt(*id, 10) + "）"
	}
	p.Leader, p.DeputyLeader, p.Recorder = name(g.LeaderID), name(g.DeputyLeaderID), name(g.RecorderID)
	p.LeaderID, p.DeputyLeaderID, p.RecorderID = idStr(g.LeaderID), idStr(g.DeputyLeaderID), idStr(g.RecorderID)
	return a.render(w, r, http.StatusOK, "group", p)
}

type groupFormPage struct {
	basePage
	Edit                              bool
	Action, Cancel                    string
	G                                 *lianluo.DeputyGroup
	Form                              formState
	Orgs, Stations                    []option
	Leaders, DeputyLeaders, Recorders []option
	Region                            regionField
}

func (a *app) showGroupForm(w http.ResponseWriter, r *http.Request, status int, g *lianluo.DeputyGroup, f formState) error {
	ctx, ac := r.Context(), actor(r)
	p := &groupFormPage{basePage: basePage{Title: "新建代表小组", Section: "groups"}, G: g, Form: f,
		Action: "/console/groups/new", Cancel: "/console/groups"}
	if g.ID != 0 {
		p.Edit, p.Title = true, "修改代表小组："+g.Name
		p.Action = fmt.Sprintf("/console/groups/%d/edit", g.ID)
		p.Cancel = fmt.Sprintf("/console/groups/%d", g.ID)
		p.Form.ReloadURL = p.Action
	}
	var err error
	if p.Orgs, err = a.orgChoices(ctx, lianluo.OrgNPC, selectedSet(&g.OrgID)); err != nil {
		return err
	}
	p.Orgs = withBlank("请选择", p.Orgs)
	if p.Stations, err = a.stationChoices(ctx, selectedSet(g.StationID)); err != nil {
		return err
	}
	p.Stations = withBlank("（不对应联络站）", p.Stations)
	for _, x := range []struct {
		dst *[]option
		id  *int64
	}{{&p.Leaders, g.LeaderID}, {&p.DeputyLeaders, g.DeputyLeaderID}, {&p.Recorders, g.RecorderID}} {
		opts, err := a.deputyChoices(ctx, selectedSet(x.id))
		if err != nil {
			return err
		}
		*x.dst = withBlank("（暂不指定）", opts)
	}
	if p.Region, err = a.regionField(ctx, ac, f, "region_code", "所属行政区划", g.RegionCode); err != nil {
		return err
	}
	return a.render(w, r, status, "group_form", p)
}

func groupFromForm(r *http.Request) (*lianluo.DeputyGroup, error) {
	g := &lianluo.DeputyGroup{Name: formStr(r, "name")}
	var errs [6]error
	g.RegionCode, errs[0] = regionFromForm(r, "region_code")
	org, err := formID(r, "org_id", "所属人大机构")
	if org != nil {
		g.OrgID = *org
	}
	errs[1] = err
	g.StationID, errs[2] = formID(r, "station_id", "联络站")
	g.LeaderID, errs[3] = formID(r, "leader_id", "组长")
	g.DeputyLeaderID, errs[4] = formID(r, "deputy_leader_id", "副组长")
	g.RecorderID, errs[5] = formID(r, "recorder_id", "记录员")
	return g, firstErr(errs[:]...)
}

func (a *app) groupNew(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	return a.showGroupForm(w, r, http.StatusOK, &lianluo.DeputyGroup{}, formState{})
}

func (a *app) groupCreate(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	g, err := groupFromForm(r)
	typed := g.RegionCode // the store rewrites it; a re-shown form keeps what was typed
	if err == nil {
		err = a.svc.Groups.CreateGroup(r.Context(), g)
	}
	return saved(w, r, err, groupFields, func(status int, f formState) error {
		g.ID, g.RegionCode = 0, typed
		return a.showGroupForm(w, r, status, g, f)
	}, fmt.Sprintf("/console/groups/%d?ok=created", g.ID))
}

func (a *app) groupEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := a.svc.Groups.FindGroupByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !actor(r).CanManageRegion(g.RegionCode) {
		return lianluo.Forbidden()
	}
	return a.showGroupForm(w, r, http.StatusOK, g, formState{})
}

func (a *app) groupUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := a.svc.Groups.FindGroupByID(r.Context(), id)
	if err != nil {
		return err
	}
	g, err := groupFromForm(r)
	g.ID, g.Active, g.Members = id, old.Active, old.Members
	var verr error
	g.Version, verr = formVersion(r)
	if err = firstErr(err, verr); err == nil {
		_, err = a.svc.Groups.UpdateGroup(r.Context(), id, lianluo.GroupUpdate{
			Name:           &g.Name,
			OrgID:          &g.OrgID,
			RegionCode:     &g.RegionCode,
			StationID:      ptrOr0(g.StationID),
			LeaderID:       ptrOr0(g.LeaderID),
			DeputyLeaderID: ptrOr0(g.DeputyLeaderID),
			RecorderID:     ptrOr0(g.RecorderID),
			Version:        g.Version,
		})
	}
	return saved(w, r, err, groupFields, func(status int, f formState) error {
		return a.showGroupForm(w, r, status, g, f)
	}, fmt.Sprintf("/console/groups/%d?ok=saved", id))
}

func (a *app) groupSetActive(w http.ResponseWriter, r *http.Request) error {
	return setActive(w, r, "/console/groups", func(ctx context.Context, id int64, active bool, v int) error {
		_, err := a.svc.Groups.UpdateGroup(ctx, id, lianluo.GroupUpdate{Active: &active, Version: v})
		return err
	})
}
