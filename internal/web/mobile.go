package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"lianluo"
)

// The phone layout. Deputies and unit handlers mostly work from a phone and
// use a handful of pages: they get a home made for it and a bottom tab bar
// laid out like the WeChat mini-programs they know, instead of the staff
// console's menu of every section. Every console page they open keeps the
// tab bar; the rest of what their roles may use is listed under 我的.

// Phone layouts.
const (
	phoneDeputy  = "deputy"
	phoneHandler = "handler"
)

// phoneKind is the phone layout an account gets: a deputy or a unit handler
// with no other role. Anyone with a staff role keeps the console.
func phoneKind(ac *lianluo.Actor) string {
	if ac == nil || ac.User == nil || len(ac.User.Roles) == 0 {
		return ""
	}
	only := func(role string) bool {
		for _, g := range ac.User.Roles {
			if g.Role != role {
				return false
			}
		}
		return true
	}
	switch {
	case only(lianluo.RoleDeputy):
		return phoneDeputy
	case only(lianluo.RoleUnitHandler):
		return phoneHandler
	}
	return ""
}

// tabSections maps a page's section to the tab it belongs under.
var tabSections = map[string]map[string]string{
	phoneDeputy: {
		"home": "home", "receptions": "home", "suggestions": "home",
		"todo": "todo", "cases": "todo",
		"record": "record", "diary": "record", "duty": "record",
		"inbox": "inbox",
		"me":    "me", "notify_prefs": "me", "password": "me",
	},
	phoneHandler: {
		"home": "home", "sign": "sign", "reply": "reply", "rectify": "me", "appraisals": "me",
		"inbox": "inbox",
		"me":    "me", "notify_prefs": "me", "password": "me",
	},
}

// tabsFor is the tab bar of the layout kind, with section's tab current.
func tabsFor(kind, section string, unread int) []navItem {
	var tabs []navItem
	switch kind {
	case phoneDeputy:
		tabs = []navItem{
			{Key: "home", Label: "首页", URL: "/console/"},
			{Key: "todo", Label: "待办", URL: "/console/todo"},
			{Key: "record", Label: "记一笔", URL: "/console/record"},
			{Key: "inbox", Label: "消息", URL: "/console/inbox", Badge: unread},
			{Key: "me", Label: "我的", URL: "/console/me"},
		}
	case phoneHandler:
		tabs = []navItem{
			{Key: "home", Label: "首页", URL: "/console/"},
			{Key: "sign", Label: "待签收", URL: "/console/tasks/sign"},
			{Key: "reply", Label: "待答复", URL: "/console/tasks/reply"},
			{Key: "inbox", Label: "消息", URL: "/console/inbox", Badge: unread},
			{Key: "me", Label: "我的", URL: "/console/me"},
		}
	default:
		return nil
	}
	cur := tabSections[kind][section]
	for i := range tabs {
		tabs[i].Current = tabs[i].Key == cur
	}
	return tabs
}

// homeUnread is how many unread messages a phone home lists.
const homeUnread = 3

// unreadBlock fills the page's unread messages and the header's count.
func (a *app) unreadBlock(r *http.Request, b *basePage) ([]inboxRow, error) {
	items, n, err := a.svc.Inbox.Inbox(r.Context(), true, lianluo.Page{PerPage: homeUnread})
	if err != nil {
		return nil, err
	}
	b.setUnread(n)
	return inboxRows(items), nil
}

type deputyHomePage struct {
	basePage
	Name     string
	Today    string
	Next     *myTurn // the next session (or the one under way); nil when none
	EarlyMin int     // sign-in opens this many minutes before a session
	Evaluate []caseRow
	EvalN    int
	Feedback []caseRow // answers of the cases they received, to tell the voter
	FeedN    int
	Messages []inboxRow
	Record   *lianluo.DeputyRecord // 我的履职: this year so far
	Month    int                   // this month, 0-based, for the diary's norm
	// 我的建议: invitations to co-sign first, and the counts.
	Suggestions *suggestionSummary
	// Plans are this year's published plans of their stations and group (年初计划).
	Plans []*lianluo.YearPlan
}

// DiaryMonth is this month's confirmed diary entries.
func (p *deputyHomePage) DiaryMonth() int { return p.Record.DiaryMonths[p.Month] }

// SixOnesMissing names the 六个一 items not yet met this year.
func (p *deputyHomePage) SixOnesMissing() []string {
	var out []string
	if p.Record != nil && p.Record.SixOnes != nil {
		for _, it := range p.Record.SixOnes.Items {
			if !it.Met {
				out = append(out, it.Name)
			}
		}
	}
	return out
}

// DiaryMissing is how many more entries this month needs (0 when met).
func (p *deputyHomePage) DiaryMissing() int { return max(lianluo.DiaryPerMonth-p.DiaryMonth(), 0) }

// recordSummarizer is a deputies service that builds 我的履职 without the
// lists only the full 履职档案 shows (sqlstore's DeputyRecordSummary): the
// home is loaded on every visit, the record opened now and then.
type recordSummarizer interface {
	DeputyRecordSummary(ctx context.Context, id int64, year int) (*lianluo.DeputyRecord, error)
}

// myRecord is the deputy's record of the year as the home card shows it.
func (a *app) myRecord(ctx context.Context, id int64, year int) (*lianluo.DeputyRecord, error) {
	if s, ok := a.svc.Deputies.(recordSummarizer); ok {
		return s.DeputyRecordSummary(ctx, id, year)
	}
	return a.svc.Deputies.DeputyRecord(ctx, id, year)
}

// nextTurnWindow is how far back the search for the next session starts, so
// that a session under way (started this morning) is still the next one.
const nextTurnWindow = 12 * time.Hour

// deputyHome is the deputy's 首页: the next turn at a station with 签到
// when it is time, one tap to a diary entry or an opinion, 我的履职 (this
// year's counts and score, and this month's diary against its norm), the
// opinions waiting for their evaluation, and the unread messages.
func (a *app) deputyHome(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	now := a.now()
	p := &deputyHomePage{basePage: basePage{Title: "首页", Section: "home"}, Name: ac.User.DisplayName,
		Today: fmt.Sprintf("%d年%s", now.In(lianluo.Beijing).Year(), dayText(now)), EarlyMin: int(lianluo.SignInEarly.Minutes())}
	if id, err := myDeputyID(ac); err == nil {
		from := now.Add(-nextTurnWindow)
		list, _, err := a.svc.Receptions.FindReceptions(ctx, lianluo.ReceptionFilter{DeputyID: id, From: &from, Page: lianluo.Page{PerPage: 20}})
		if err != nil {
			return err
		}
		for _, rc := range list {
			if rc.Status != lianluo.ReceptionPublished || rc.EndsAt.Before(now) {
				continue // a draft is not decided yet; a cancelled one is no turn
			}
			t := turnOf(rc, id, now)
			p.Next = &t
			break
		}
		bj := now.In(lianluo.Beijing)
		if p.Record, err = a.myRecord(ctx, id, bj.Year()); err != nil {
			return err
		}
		p.Name = p.Record.Deputy.Name // the record has the deputy
		p.Month = int(bj.Month()) - 1
		if p.Suggestions, err = a.suggestionSummary(ctx, id); err != nil {
			return err
		}
		if p.Plans, _, err = a.svc.YearPlans.FindYearPlans(ctx, lianluo.YearPlanFilter{Year: bj.Year(), Page: lianluo.Page{PerPage: 5}}); err != nil {
			return err
		}
	}
	if s, ok := suggestionFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	cs, n, err := a.svc.Cases.FindCases(ctx, lianluo.CaseFilter{Todo: "evaluate", Count: true, Page: lianluo.Page{PerPage: todoFirst}})
	if err != nil {
		return err
	}
	p.Evaluate, p.EvalN = a.caseRows(cs), n
	cs, n, err = a.svc.Cases.FindCases(ctx, lianluo.CaseFilter{Todo: "feedback", Count: true, Page: lianluo.Page{PerPage: todoFirst}})
	if err != nil {
		return err
	}
	p.Feedback, p.FeedN = a.caseRows(cs), n
	if p.Messages, err = a.unreadBlock(r, &p.basePage); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "mobile_deputy_home", p)
}

type handlerHomePage struct {
	basePage
	Name     string
	Units    []string
	Today    string
	Counts   []todoList // 已超期, 待签收, 待答复 with their first cases
	Idle     bool       // nothing waits for the unit
	Messages []inboxRow
	// The unit's rectification items still at work (工作评议 整改), and
	// how many of them are overdue.
	RectOpen, RectLate int
}

// handlerLists are the to-do lists a unit handler's home shows.
var handlerLists = []string{"overdue", "sign", "reply"}

// handlerHome is the unit handler's 首页: what waits for signing and for an
// answer, what is overdue, and the unread messages.
func (a *app) handlerHome(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	now := a.now()
	p := &handlerHomePage{basePage: basePage{Title: "首页", Section: "home"}, Name: ac.User.DisplayName,
		Today: fmt.Sprintf("%d年%s", now.In(lianluo.Beijing).Year(), dayText(now))}
	for _, g := range ac.User.Roles {
		if g.Label != "" {
			p.Units = append(p.Units, g.Label)
		}
	}
	lists, err := a.todoLists(ctx, ac, true)
	if err != nil {
		return err
	}
	p.Idle = true
	for _, key := range handlerLists {
		for _, l := range lists {
			if l.Key == key {
				l.URL = "/console/tasks/" + key
				p.Counts = append(p.Counts, l)
				p.Idle = p.Idle && l.N == 0
			}
		}
	}
	if items, err := a.svc.Appraisals.UnitRectifications(ctx); err == nil {
		for _, x := range items {
			if x.Status != lianluo.RectAccepted {
				p.RectOpen++
			}
			if x.Overdue {
				p.RectLate++
			}
		}
	} else if !lianluo.Is(err, lianluo.EFORBIDDEN) {
		return err
	}
	if p.Messages, err = a.unreadBlock(r, &p.basePage); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "mobile_handler_home", p)
}

type tasksPage struct {
	basePage
	Name, Hint string
	Items      []caseRow
	Pager      pager
}

// tasks is one to-do list as cards (待签收, 待答复 of the handler's tab bar).
func (a *app) tasks(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	name, ok := todoName(key)
	if !ok || !slices.Contains(lianluo.TodoListsFor(actor(r)), key) {
		return lianluo.Errorf(lianluo.ENOTFOUND, "您要访问的页面不存在。")
	}
	pg := pageOf(r)
	cs, n, err := a.svc.Cases.FindCases(r.Context(), lianluo.CaseFilter{Todo: key, Page: pg})
	if err != nil {
		return err
	}
	p := &tasksPage{basePage: basePage{Title: name, Section: key}, Name: name, Hint: todoHints[key], Items: a.caseRows(cs), Pager: newPager(r, n, pg)}
	return a.render(w, r, http.StatusOK, "mobile_tasks", p)
}

type recordPage struct{ basePage }

// record is 记一笔: a diary entry or an opinion, one tap each.
func (a *app) record(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, "mobile_record", &recordPage{basePage{Title: "记一笔", Section: "record"}})
}

type mePage struct {
	basePage
	Name        string
	Roles       string
	Stations    []lianluo.StationRef
	DeputyID    int64
	CalendarURL string
	More        []navItem // the console's other sections the roles may use
}

// me is 我的: the deputy's stations and calendar link, settings, password,
// logout, and every other section of the console their roles may use.
func (a *app) me(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	p := &mePage{basePage: basePage{Title: "我的", Section: "me"}, Name: ac.User.DisplayName, Roles: lianluo.RolesText(ac.User.Roles)}
	if id, err := myDeputyID(ac); err == nil {
		d, err := a.svc.Deputies.FindDeputyByID(ctx, id)
		if err != nil {
			return err
		}
		p.DeputyID, p.Stations = id, d.Stations
		if lv := d.LevelsText(); lv != "" {
			p.Roles = lv // 市人大代表、区县人大代表: more than "人大代表（王秀英）"
		}
		token, err := a.svc.Receptions.FeedToken(ctx, "deputy", id)
		if err != nil {
			return err
		}
		p.CalendarURL = a.baseURL(r) + "/ical/" + token + ".ics"
	}
	// Everything else stays one tap away: the sections not in the tab bar
	// nor on this page.
	skip := map[string]bool{"home": true, "todo": true, "inbox": true, "notify_prefs": true, "password": true, "regions": true,
		"receptions": p.DeputyID != 0, // a deputy's 接待安排 is 我的接待安排 above
		// A unit handler's 整改事项 is a card on the home.
		"rectify": phoneKind(ac) == phoneHandler, "appraisals": phoneKind(ac) == phoneHandler}
	for _, n := range navFor(ac, "") {
		if !skip[n.Key] {
			p.More = append(p.More, n)
		}
	}
	return a.render(w, r, http.StatusOK, "mobile_me", p)
}
