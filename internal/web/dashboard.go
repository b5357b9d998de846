package web

import (
	"net/http"

	"lianluo"
)

type dashboardPage struct {
	basePage
	Name      string
	Roles     []string
	Counts    []countCard
	Short     []*lianluo.Station // stations below the floor of deputies
	MinDeps   int
	Sections  []section
	ShowShort bool
	Todos     []todoList // the caller's non-empty to-do lists
	ShowTodos bool
}

type section struct{ Label, Hint, URL string }

type countCard struct {
	Label string
	N     int
	URL   string
}

var sectionHints = map[string]string{
	"todo":     "待梳理、待交办、待答复、待测评等需要您办理的意见",
	"cases":    "接访登记、查询和办理群众意见",
	"orgs":     "人大机构与承办单位",
	"stations": "联络站、站长、联络员与进站代表",
	"deputies": "代表信息、层级届次与所在联络站",
	"groups":   "代表小组及组长、副组长、记录员",
	"users":    "账号、角色与管辖范围",
	"regions":  "行政区划代码查询",
	"audit":    "所有修改和登录的记录",
	"inbox":    "通知、提醒和办理进展",
	"password": "修改本人登录密码",
}

func (a *app) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ac := actor(r)
	switch phoneKind(ac) {
	case phoneDeputy:
		return a.deputyHome(w, r)
	case phoneHandler:
		return a.handlerHome(w, r)
	}
	p := &dashboardPage{basePage: basePage{Title: "工作台", Section: "home"}, Name: ac.User.DisplayName, MinDeps: lianluo.MinStationDeputies}
	for _, g := range ac.User.Roles {
		s := lianluo.RoleNames[g.Role]
		if g.Label != "" {
			s += "（" + g.Label + "）"
		}
		p.Roles = append(p.Roles, s)
	}
	nav := navFor(ac, "")
	has := func(key string) bool {
		for _, n := range nav {
			if n.Key == key {
				return true
			}
		}
		return false
	}
	// Services without the case workflow (a partial wiring, as in some
	// tests) leave the block out rather than fail the landing page.
	if has("todo") && a.svc.Cases != nil {
		lists, err := a.todoLists(ctx, ac, false)
		if err != nil {
			return err
		}
		for _, l := range lists {
			if l.N > 0 {
				p.Todos = append(p.Todos, l)
			}
		}
		p.ShowTodos = true
	}
	one := lianluo.Page{PerPage: 1}
	if has("stations") {
		_, n, err := a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Active: new(true), Page: one})
		if err != nil {
			return err
		}
		p.Counts = append(p.Counts, countCard{Label: "联络站", N: n, URL: "/console/stations?active=1"})
		_, n, err = a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Status: lianluo.DeputyInOffice, Page: one})
		if err != nil {
			return err
		}
		p.Counts = append(p.Counts, countCard{Label: "在任代表", N: n, URL: "/console/deputies?status=in_office"})
	}
	if has("orgs") {
		_, n, err := a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Active: new(true), Page: one})
		if err != nil {
			return err
		}
		p.Counts = append(p.Counts, countCard{Label: "机构", N: n, URL: "/console/orgs?active=1"})
	}
	if has("stations") && ac.HasAny(lianluo.RoleAdmin, lianluo.RoleNPCOffice, lianluo.RoleNPCLeader, lianluo.RoleStationHead) {
		// 001: every station has at least two deputies assigned.
		all, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
			return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Active: new(true), Page: pg})
		})
		if err != nil {
			return err
		}
		for _, s := range all {
			if len(s.Deputies) < lianluo.MinStationDeputies {
				p.Short = append(p.Short, s)
			}
		}
		p.ShowShort = true
	}
	for _, n := range nav {
		if n.Key == "home" {
			continue
		}
		p.Sections = append(p.Sections, section{Label: n.Label, Hint: sectionHints[n.Key], URL: n.URL})
	}
	return a.render(w, r, http.StatusOK, "dashboard", p)
}
