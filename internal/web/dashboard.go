package web

import (
	"net/http"
	"net/url"
	"strconv"

	"lianluo"
)

type dashboardPage struct {
	basePage
	Name      string
	Roles     []string
	Counts    []countCard
	StatsYear bool               // Counts are this year's headline figures (统计分析)
	Short     []*lianluo.Station // stations below the floor of deputies
	MinDeps   int
	Sections  []section
	ShowShort bool
	Todos     []todoList // the caller's non-empty to-do lists
	ShowTodos bool
}

type section struct{ Label, Hint, URL string }

// countCard is a figure on the dashboard: a count of the registry, or for
// those who may see statistics, a headline figure of this year.
type countCard struct {
	Key   string
	Label string
	Value string // the count, or a rate as a percentage
	Note  string
	URL   string
	Alert bool
}

var sectionHints = map[string]string{
	"todo":         "待梳理、待交办、待答复、待测评等需要您办理的意见",
	"cases":        "接访登记、查询和办理群众意见",
	"stats":        "受理、办结、按时答复和满意率统计，打印办理情况报告",
	"orgs":         "人大机构与承办单位",
	"stations":     "联络站、站长、联络员与进站代表",
	"deputies":     "代表信息、层级届次与所在联络站",
	"groups":       "代表小组及组长、副组长、记录员",
	"users":        "账号、角色与管辖范围",
	"regions":      "行政区划代码查询",
	"audit":        "所有修改、登录、导出和越权访问的记录，哈希链校验",
	"security":     "密码规则、双因素认证要求和查看联系方式上限",
	"inbox":        "通知、提醒和办理进展",
	"password":     "修改本人登录密码",
	"mfa":          "登录时再输入验证器上的验证码，保护账号",
	"notify_prefs": "短信、邮件等接收消息的方式",
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
	if lianluo.CanSeeStats(ac) && a.svc.Stats != nil {
		cards, err := a.statsHeadline(r, ac)
		if err != nil {
			return err
		}
		p.Counts, p.StatsYear = cards, true
	}
	if has("stations") && !p.StatsYear {
		_, n, err := a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Active: new(true), Page: one})
		if err != nil {
			return err
		}
		p.Counts = append(p.Counts, countCard{Label: "联络站", Value: strconv.Itoa(n), URL: "/console/stations?active=1"})
		_, n, err = a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Status: lianluo.DeputyInOffice, Page: one})
		if err != nil {
			return err
		}
		p.Counts = append(p.Counts, countCard{Label: "在任代表", Value: strconv.Itoa(n), URL: "/console/deputies?status=in_office"})
	}
	if has("orgs") && !p.StatsYear {
		_, n, err := a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Active: new(true), Page: one})
		if err != nil {
			return err
		}
		p.Counts = append(p.Counts, countCard{Label: "机构", Value: strconv.Itoa(n), URL: "/console/orgs?active=1"})
	}
	if has("stations") && lianluo.AreasOf(ac).Staff {
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

// statsHeadline is this year's headline figures of the caller's scope (the
// statistics page's default region), each linking to the statistics page,
// the overdue ones to the list of those cases.
func (a *app) statsHeadline(r *http.Request, ac *lianluo.Actor) ([]countCard, error) {
	ctx := r.Context()
	region, err := a.statsRegion(ctx, ac, "")
	if err != nil {
		return nil, err
	}
	s := statsScope{Region: region, Preset: lianluo.PresetYear}
	if s.Period, err = lianluo.PresetPeriod(lianluo.PresetYear, a.now()); err != nil {
		return nil, err
	}
	res, err := a.svc.Stats.CaseStats(ctx, lianluo.StatsFilter{Region: s.code(), Period: s.Period})
	if err != nil {
		return nil, err
	}
	stats := "/console/stats?" + url.Values{"preset": {lianluo.PresetYear}}.Encode()
	var out []countCard
	for _, c := range statsCards(s, res.Totals) {
		switch c.Key {
		case "closing":
			continue
		case "overdue":
			c.Note = "今年受理、已超期"
		default:
			c.URL = stats
		}
		out = append(out, countCard{Key: c.Key, Label: c.Label, Value: c.Value, Note: c.Note, URL: c.URL, Alert: c.Alert})
	}
	return out, nil
}
