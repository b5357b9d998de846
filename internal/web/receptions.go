package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/schedule"
)

// Receptions (接待活动): a station's rules and the year's rota
// (this file), a session's page (reception_session.go), the deputy's own
// page and sign-in (reception_deputy.go), attendance and its yearly notice
// (reception_attendance.go), the sign-in code and the calendar feed
// (reception_qr.go).

// receptionFlashes are the confirmations of these pages (?ok=…).
var receptionFlashes = map[string]string{
	"rule":               "接待规则已保存。",
	"rule_off":           "接待规则已停用，已生成的接待不受影响。",
	"rule_on":            "接待规则已重新启用。",
	"published":          "轮值表已发布，已通知相关代表。",
	"generated":          "轮值表已生成。请检查下面的安排，调整后点击“发布”。",
	"sessions_added":     "已增加接待场次并重新安排了代表，请检查后发布。",
	"published_accepted": "轮值表已发布（已确认接受本年度部分代表不轮值），已通知相关代表。",
	"rule_warn":          "接待规则已保存，但按现有接待规则本年度的安排有问题（如不满足“每两个月至少开展一次接待”），见上方提示。",
	"updated":            "接待安排已调整。",
	"cancelled":          "该次接待已取消，已通知相关代表。",
	"leave":              "请假申请已提交，等待站长审批。",
	"recorded":           "接待记录已保存。",
	"unavailable":        "已登记，生成轮值表时这段时间不会安排您。",
	"deleted":            "已删除。",
	"sent":               "出勤情况通报已发送给代表（站内消息和短信）。",
}

// flashOf sets the page's confirmation from ?ok=.
func flashOf(r *http.Request, b *basePage) {
	if s := receptionKind.flash(r); s != "" {
		b.Flash = s
	}
}

var weekdayNames = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// dayText is "3月16日（周一）".
func dayText(t time.Time) string {
	t = t.In(lianluo.Beijing)
	return fmt.Sprintf("%d月%d日（周%s）", t.Month(), t.Day(), weekdayNames[t.Weekday()])
}

// whenText is "2026年3月16日（周一）09:00–11:00".
func whenText(r *lianluo.Reception) string {
	return fmt.Sprintf("%d年%s %s", r.StartsAt.In(lianluo.Beijing).Year(), dayText(r.StartsAt), timeSpan(r))
}

func timeSpan(r *lianluo.Reception) string {
	return r.StartsAt.In(lianluo.Beijing).Format("15:04") + "–" + r.EndsAt.In(lianluo.Beijing).Format("15:04")
}

// formText is "主题接待：老旧小区改造".
func formText(form, theme string) string {
	s := schedule.FormNames[form]
	if theme != "" {
		s += "：" + theme
	}
	return s
}

func movedText(r *lianluo.Reception) string {
	if r.MovedFrom == "" {
		return ""
	}
	d, err := time.ParseInLocation("2006-01-02", r.MovedFrom, lianluo.Beijing)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("原定%d月%d日，遇节假日顺延", d.Month(), d.Day())
}

func deputyNames(r *lianluo.Reception) string {
	var names []string
	for _, d := range r.Deputies {
		names = append(names, d.Name)
	}
	if len(names) == 0 {
		return "（未安排）"
	}
	return strings.Join(names, "、")
}

// thisYear is the current year in Beijing by the pages' clock.
func (a *app) thisYear() int { return a.now().In(lianluo.Beijing).Year() }

// yearParam reads ?year= (this year when absent or out of range).
func (a *app) yearParam(r *http.Request) int {
	y, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || y < 2000 || y > 2100 {
		return a.thisYear()
	}
	return y
}

func yearOptions(from, to, selected int) []option {
	var out []option
	for y := to; y >= from; y-- {
		out = append(out, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y) + "年", Selected: y == selected})
	}
	return out
}

// The rule form: the office never types an RRULE. A pattern, a day and
// times are turned into one (ruleInput.rrule) and back (ruleInputOf).

const (
	patMonthly   = "monthly"
	patOdd       = "odd"
	patEven      = "even"
	patBimonthly = "bimonthly"
	patWeekly    = "weekly"
	patNth       = "nth"
)

// sessionRow is one session of the rota table.
type sessionRow struct {
	R         *lianluo.Reception
	Day, Time string
	FormText  string
	Deputies  string
	Status    string
	Moved     string
	Short     bool // fewer deputies than a session needs
	Past      bool
	Extra     bool // added by 增加场次, not made by a rule
}

func sessionRows(list []*lianluo.Reception, now time.Time) []sessionRow {
	out := make([]sessionRow, 0, len(list))
	for _, r := range list {
		out = append(out, sessionRow{R: r, Day: dayText(r.StartsAt), Time: timeSpan(r), FormText: formText(r.Form, r.Theme),
			Deputies: deputyNames(r), Status: lianluo.ReceptionStatusNames[r.Status], Moved: movedText(r),
			Short: r.Status != lianluo.ReceptionCancelled && len(r.DeputyIDs) < schedule.MinPerSession, Past: r.EndsAt.Before(now),
			Extra: r.RuleID == nil})
	}
	return out
}

type rotaPage struct {
	basePage
	S         *lianluo.Station
	Year      int
	Years     []option
	CanManage bool
	Rules     []ruleView
	NewRule   ruleView
	Sessions  []sessionRow
	Problems  []lianluo.RotaProblem
	Short     string // the year has too few sessions for every deputy: the office adds sessions or accepts
	Drafts    int
	Message   string // a refused generate or publish, in the store's words
	SignInURL string
}

// rotaState is what a POST hands back to the rota page when re-showing it.
type rotaState struct {
	status   int
	newRule  *ruleView
	editRule *ruleView
	message  string
	flash    string
}

func (a *app) showRota(w http.ResponseWriter, r *http.Request, stationID int64, year int, st rotaState) error {
	ctx, ac := r.Context(), actor(r)
	s, err := a.svc.Stations.FindStationByID(ctx, stationID)
	if err != nil {
		return err
	}
	manage, _ := lianluo.StationPowers(ac, s.ID, s.RegionCode)
	p := &rotaPage{basePage: basePage{Title: s.Name + " · 接待规则与轮值表", Section: "receptions"}, S: s, Year: year,
		Years: yearOptions(a.thisYear()-2, a.thisYear()+1, year), CanManage: manage, Message: st.message,
		SignInURL: a.signInURL(r, s.ID)}
	flashOf(r, &p.basePage)
	if st.flash != "" {
		p.Flash = st.flash
	}
	rules, err := a.svc.Receptions.FindReceptionRules(ctx, stationID)
	if err != nil {
		return err
	}
	for _, rule := range rules {
		if st.editRule != nil && st.editRule.R != nil && st.editRule.R.ID == rule.ID {
			v := *st.editRule
			v.R, v.FormName = rule, formText(rule.Form, rule.Theme)
			p.Rules = append(p.Rules, v)
			continue
		}
		in, ok := ruleInputOf(rule)
		v := newRuleView(rule, in, formState{})
		v.Custom = !ok
		p.Rules = append(p.Rules, v)
	}
	if st.newRule != nil {
		p.NewRule = *st.newRule
	} else {
		p.NewRule = newRuleView(nil, defaultRuleInput, formState{})
	}
	p.NewRule.Action = fmt.Sprintf("/console/stations/%d/reception-rules", stationID)
	p.NewRule.Year = year
	for i := range p.Rules {
		p.Rules[i].Year = year
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	to := from.AddDate(1, 0, 0)
	list, _, err := a.svc.Receptions.FindReceptions(ctx, lianluo.ReceptionFilter{StationID: stationID, From: &from, To: &to, Page: lianluo.Page{Page: 1, PerPage: lianluo.MaxPerPage}})
	if err != nil {
		return err
	}
	p.Sessions = sessionRows(list, a.now())
	for _, x := range list {
		if x.Status == lianluo.ReceptionDraft {
			p.Drafts++
		}
	}
	if len(list) > 0 || len(rules) > 0 {
		problems, err := a.svc.Receptions.CheckRota(ctx, stationID, year)
		if err != nil {
			return err
		}
		for _, x := range problems {
			// Before a rota exists only the rules' own problems count.
			if len(list) == 0 && x.Code != schedule.ProblemSparse && x.Code != schedule.ProblemRuleEmpty {
				continue
			}
			if x.Code == schedule.ProblemTooFewSessions {
				p.Short = x.Message
			}
			p.Problems = append(p.Problems, x)
		}
	}
	status := st.status
	if status == 0 {
		status = http.StatusOK
	}
	return a.render(w, r, status, "reception_rota", p)
}

func rotaURL(stationID int64, year int, ok string) string {
	u := fmt.Sprintf("/console/stations/%d/receptions?year=%d", stationID, year)
	if ok != "" {
		u += "&ok=" + ok
	}
	return u
}

func (a *app) rotaPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.showRota(w, r, id, a.yearParam(r), rotaState{})
}

// formYear reads the posted year.
func (a *app) formYear(r *http.Request) int {
	y, err := strconv.Atoi(formStr(r, "year"))
	if err != nil || y < 2000 || y > 2100 {
		return a.thisYear()
	}
	return y
}

func (a *app) ruleCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := readRuleInput(r)
	year := a.formYear(r)
	rule := &lianluo.ReceptionRule{StationID: id, Start: in.Start, End: in.End, OnHoliday: in.OnHoliday, Form: in.Form, Theme: in.Theme}
	rule.RRule, err = in.rrule()
	if err == nil {
		rule.PerSession, err = in.perSession()
	}
	if err == nil {
		err = a.svc.Receptions.CreateReceptionRule(r.Context(), rule)
	}
	if err != nil {
		err = ruleErr(err)
		var f formState
		if !f.take(err, ruleFields...) {
			return err
		}
		v := newRuleView(nil, in, f)
		v.Open = true
		return a.showRota(w, r, id, year, rotaState{status: f.status(err), newRule: &v})
	}
	return redirect(w, r, rotaURL(id, year, ruleSaved(rule)))
}

// ruleSaved is the confirmation of a saved rule: plain, or with a warning.
func ruleSaved(rule *lianluo.ReceptionRule) string {
	if len(rule.Warnings) > 0 {
		return "rule_warn"
	}
	return "rule"
}

func (a *app) ruleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	stationID, err := strconv.ParseInt(formStr(r, "station_id"), 10, 64)
	if err != nil {
		return lianluo.Errorf(lianluo.EINVALID, "表单缺少联络站，请刷新页面后重试。")
	}
	in := readRuleInput(r)
	year := a.formYear(r)
	version, err := formVersion(r)
	u := lianluo.ReceptionRuleUpdate{Version: version, Start: &in.Start, End: &in.End, OnHoliday: &in.OnHoliday, Form: &in.Form, Theme: &in.Theme}
	var rrule string
	var per int
	if err == nil {
		rrule, err = in.rrule()
	}
	if err == nil {
		per, err = in.perSession()
	}
	var rule *lianluo.ReceptionRule
	if err == nil {
		u.RRule, u.PerSession = &rrule, &per
		rule, err = a.svc.Receptions.UpdateReceptionRule(r.Context(), id, u)
	}
	if err != nil {
		err = ruleErr(err)
		f := formState{ReloadURL: rotaURL(stationID, year, "")}
		if !f.take(err, ruleFields...) {
			return err
		}
		v := newRuleView(&lianluo.ReceptionRule{ID: id}, in, f)
		v.Open = true
		return a.showRota(w, r, stationID, year, rotaState{status: f.status(err), editRule: &v})
	}
	return redirect(w, r, rotaURL(rule.StationID, year, ruleSaved(rule))+"#rule-"+strconv.FormatInt(id, 10))
}

func (a *app) ruleSetActive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	active := formBool(r, "active")
	rule, err := a.svc.Receptions.UpdateReceptionRule(r.Context(), id, lianluo.ReceptionRuleUpdate{Active: &active, Version: version})
	if err != nil {
		return err
	}
	ok := "rule_off"
	if active {
		ok = "rule_on"
	}
	return redirect(w, r, rotaURL(rule.StationID, a.formYear(r), ok))
}

func (a *app) rotaGenerate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year := a.formYear(r)
	if _, err := a.svc.Receptions.GenerateRota(r.Context(), id, year); err != nil {
		return a.rotaRefused(w, r, id, year, err)
	}
	// The rota page lists the problems again (CheckRota), so a reload of
	// the result does not generate twice.
	return redirect(w, r, rotaURL(id, year, "generated"))
}

// rotaRefused shows the rota page with the store's reason for a refused
// generate, publish or added sessions; other errors go to the error page.
func (a *app) rotaRefused(w http.ResponseWriter, r *http.Request, id int64, year int, err error) error {
	if c := lianluo.ErrorCode(err); c == lianluo.EINVALID || c == lianluo.ESTATE {
		return a.showRota(w, r, id, year, rotaState{status: errorStatus(c), message: lianluo.ErrorMessage(err)})
	}
	return err
}

// rotaPublish publishes the year's drafts; with accept=1 the office has
// accepted a year with too few sessions for every deputy to take a turn.
func (a *app) rotaPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year := a.formYear(r)
	publish, ok := a.svc.Receptions.PublishRota, "published"
	if formBool(r, "accept") {
		publish, ok = a.svc.Receptions.PublishRotaAccepting, "published_accepted"
	}
	if _, err := publish(r.Context(), id, year); err != nil {
		return a.rotaRefused(w, r, id, year, err)
	}
	return redirect(w, r, rotaURL(id, year, ok))
}

// rotaAddSessions adds the sessions a short year needs (增加场次).
func (a *app) rotaAddSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year := a.formYear(r)
	if _, err := a.svc.Receptions.AddRotaSessions(r.Context(), id, year); err != nil {
		return a.rotaRefused(w, r, id, year, err)
	}
	return redirect(w, r, rotaURL(id, year, "sessions_added"))
}
