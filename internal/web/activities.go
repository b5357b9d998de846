package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"lianluo"
)

// Activities (代表活动): the list with filters, the new form, and
// an activity's page — notice, invitees with attendance and leave, the
// record, photos and linked cases. Forms work without JavaScript.

// activityFlashes are the confirmations of these pages (?ok=…).
var activityFlashes = map[string]string{
	"created":   "活动已创建（未发布）。确认时间、地点和邀请代表后请发布通知。",
	"updated":   "活动已修改。",
	"published": "活动通知已发布，已通知受邀代表，并在联络站网页上公布。",
	"cancelled": "活动已取消。",
	"leave":     "请假申请已提交，等待审批。",
	"recorded":  "活动记录已保存，活动已完成。",
}

// activityRow is an activity as lists show it.
type activityRow struct {
	X        *lianluo.Activity
	Kind     string
	Status   string
	When     string
	Invitees int
}

func activityWhenText(x *lianluo.Activity) string {
	s, e := x.StartsAt.In(lianluo.Beijing), x.EndsAt.In(lianluo.Beijing)
	out := fmt.Sprintf("%d年%s %s", s.Year(), dayText(s), s.Format("15:04"))
	if s.Format("2006-01-02") == e.Format("2006-01-02") {
		return out + "–" + e.Format("15:04")
	}
	return out + " 至 " + dayText(e) + " " + e.Format("15:04")
}

func activityRows(list []*lianluo.Activity) []activityRow {
	out := make([]activityRow, 0, len(list))
	for _, x := range list {
		out = append(out, activityRow{X: x, Kind: lianluo.ActivityKindNames[x.Kind], Status: lianluo.ActivityStatusNames[x.Status],
			When: activityWhenText(x), Invitees: len(x.DeputyIDs)})
	}
	return out
}

type activityListPage struct {
	basePage
	Items      []activityRow
	Pager      pager
	Kinds      []option
	Statuses   []option
	Stations   []option
	From, To   string
	CanCreate  bool
	CanNorms   bool // NPC and station staff: the 活动达标情况 link
	FilterErr  string
	StationSel string
}

func (a *app) activityList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac, q := r.Context(), actor(r), r.URL.Query()
	p := &activityListPage{basePage: basePage{Title: "代表活动", Section: "activities"}, From: q.Get("from"), To: q.Get("to"),
		CanCreate: lianluo.AreasOf(ac).OrganiseActivities, StationSel: q.Get("station_id"), CanNorms: lianluo.AreasOf(ac).Staff}
	p.Flash = activityKind.flash(r)
	f := lianluo.ActivityFilter{Kind: q.Get("kind"), Status: q.Get("status"), Page: pageOf(r)}
	if _, ok := lianluo.ActivityKindNames[f.Kind]; !ok {
		f.Kind = ""
	}
	if _, ok := lianluo.ActivityStatusNames[f.Status]; !ok {
		f.Status = ""
	}
	if id, err := strconv.ParseInt(p.StationSel, 10, 64); err == nil && id > 0 {
		f.StationID = id
	}
	day := func(name, s string, end bool) *time.Time {
		if s == "" {
			return nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, lianluo.Beijing)
		if err != nil {
			p.FilterErr = name + "应为日期，例如 2026-05-01。"
			return nil
		}
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return &t
	}
	f.From, f.To = day("开始日期", p.From, false), day("结束日期", p.To, true)
	p.Kinds = withBlank("全部类型", namedOptions(lianluo.ActivityKinds, lianluo.ActivityKindNames, f.Kind))
	p.Statuses = withBlank("全部状态", namedOptions([]string{lianluo.ActivityDraft, lianluo.ActivityPublished, lianluo.ActivityDone, lianluo.ActivityCancelled},
		lianluo.ActivityStatusNames, f.Status))
	if lianluo.AreasOf(ac).Staff {
		stations, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
			return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Page: pg})
		})
		if err != nil {
			return err
		}
		for _, s := range stations {
			p.Stations = append(p.Stations, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name, Selected: s.ID == f.StationID})
		}
		p.Stations = withBlank("全部联络站", p.Stations)
	}
	list, total, err := a.svc.Activities.FindActivities(ctx, f)
	if err != nil {
		return err
	}
	p.Items, p.Pager = activityRows(list), newPager(r, total, f.Page)
	return a.render(w, r, http.StatusOK, "activities", p)
}

// activityFormPage is the new-activity form.
type activityFormPage struct {
	basePage
	Form     formState
	In       activityFormInput
	Kinds    []option
	Stations []option
	Groups   []option
}

type activityFormInput struct {
	Kind, Title, Content, Place string
	StationID, GroupID          string
	StartsAt, EndsAt            string // datetime-local: 2026-05-15T09:00
}

var activityFormFields = []string{"kind", "title", "content", "place", "station_id", "group_id", "starts_at", "ends_at", "deputy_ids"}

func (a *app) showActivityForm(w http.ResponseWriter, r *http.Request, status int, f formState, in activityFormInput) error {
	ctx := r.Context()
	p := &activityFormPage{basePage: basePage{Title: "新建代表活动", Section: "activities"}, Form: f, In: in}
	p.Kinds = withBlank("请选择", namedOptions(lianluo.ActivityKinds, lianluo.ActivityKindNames, in.Kind))
	stations, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
		return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Active: new(true), Page: pg})
	})
	if err != nil {
		return err
	}
	for _, s := range stations {
		v := strconv.FormatInt(s.ID, 10)
		p.Stations = append(p.Stations, option{Value: v, Label: s.Name, Selected: v == in.StationID})
	}
	p.Stations = withBlank("请选择", p.Stations)
	groups, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.DeputyGroup, int, error) {
		return a.svc.Groups.FindGroups(ctx, lianluo.GroupFilter{Page: pg})
	})
	if err != nil {
		return err
	}
	for _, g := range groups {
		v := strconv.FormatInt(g.ID, 10)
		p.Groups = append(p.Groups, option{Value: v, Label: g.Name, Selected: v == in.GroupID})
	}
	p.Groups = withBlank("（非代表小组活动不选）", p.Groups)
	return a.render(w, r, status, "activity_form", p)
}

func (a *app) activityNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return a.showActivityForm(w, r, http.StatusOK, formState{}, activityFormInput{Kind: q.Get("kind"), StationID: q.Get("station_id"), GroupID: q.Get("group_id")})
}

func (a *app) activityCreate(w http.ResponseWriter, r *http.Request) error {
	in := activityFormInput{Kind: formStr(r, "kind"), Title: formStr(r, "title"), Content: formStr(r, "content"), Place: formStr(r, "place"),
		StationID: formStr(r, "station_id"), GroupID: formStr(r, "group_id"), StartsAt: formStr(r, "starts_at"), EndsAt: formStr(r, "ends_at")}
	x := lianluo.ActivityInput{Kind: in.Kind, Title: in.Title, Content: in.Content, Place: in.Place, StartsAt: in.StartsAt, EndsAt: in.EndsAt}
	var err error
	x.StationID, err = parseID(in.StationID, "station_id", "联络站")
	if err == nil {
		x.GroupID, err = parseID(in.GroupID, "group_id", "代表小组")
	}
	var created *lianluo.Activity
	if err == nil {
		created, err = a.svc.Activities.CreateActivity(r.Context(), x)
	}
	if err != nil {
		var f formState
		if !f.take(err, activityFormFields...) {
			return err
		}
		return a.showActivityForm(w, r, f.status(err), f, in)
	}
	return redirect(w, r, activityKind.url(created.ID, "created", ""))
}

// activityPage is an activity's page around the shared view.
type activityPage struct {
	basePage
	occasionView
	X           *lianluo.Activity
	Kind        string
	Status      string
	When        string
	Notice      string // the notice rule and the last day to publish
	PublishedAt string
	NoticeLate  bool
	Organiser   string
	Editable    bool
	Recordable  bool

	Edit     formState
	EditIn   activityEditInput
	Choices  []option
	RecF     formState
	Minutes  string
	Outcomes string
	// Ballots are the 民主测评 held at the meeting (a 述职's, an appraisal's).
	Ballots []*lianluo.Ballot
}

type activityEditInput struct {
	Title, Content, Place, StartsAt, EndsAt string
	DeputyIDs                               []int64
}

// activityRecordInput is the record form as posted.
type activityRecordInput struct{ Minutes, Outcomes string }

const localMinute = "2006-01-02T15:04"

func (a *app) activityDetailPage(r *http.Request, o *occasion, v occasionView, st occasionState) (string, page, error) {
	ctx, x, now := r.Context(), o.X.(*lianluo.Activity), a.now()
	p := &activityPage{basePage: basePage{Title: x.Title, Section: "activities", Flash: v.flash}, occasionView: v, X: x,
		Kind: lianluo.ActivityKindNames[x.Kind], Status: lianluo.ActivityStatusNames[x.Status], When: activityWhenText(x), Organiser: x.Organiser()}
	days := lianluo.NoticeDays(x.Kind)
	last := x.StartsAt.Add(-time.Duration(days) * 24 * time.Hour)
	p.Notice = fmt.Sprintf("须提前%d天通知代表并向社会公布：最迟%s %s前发布。", days, dayText(last), last.In(lianluo.Beijing).Format("15:04"))
	p.NoticeLate = x.Status == lianluo.ActivityDraft && now.After(last)
	if x.PublishedAt != nil {
		p.PublishedAt = bjTime(*x.PublishedAt)
	}
	if x.Kind == lianluo.ActivityReport || x.Kind == lianluo.ActivityAppraisal {
		b, err := a.svc.Ballots.FindActivityBallots(ctx, x.ID)
		if err != nil {
			return "", nil, err
		}
		p.Ballots = b
	}
	open := x.Status == lianluo.ActivityDraft || x.Status == lianluo.ActivityPublished
	p.Editable = p.CanManage && open && !p.Ended
	p.Recordable = p.CanWork && ((x.Status == lianluo.ActivityPublished || x.Status == lianluo.ActivityDone) && p.Started ||
		x.Status == lianluo.ActivityDraft && p.Ended) // 补录

	in := activityEditInput{Title: x.Title, Content: x.Content, Place: x.Place, StartsAt: x.StartsAt.In(lianluo.Beijing).Format(localMinute),
		EndsAt: x.EndsAt.In(lianluo.Beijing).Format(localMinute), DeputyIDs: x.DeputyIDs}
	if e, ok := st.editIn.(*activityEditInput); ok {
		in = *e
	}
	p.EditIn = in
	if st.edit != nil {
		p.Edit = *st.edit
	}
	if p.Editable {
		seen := map[int64]bool{}
		add := func(id int64, name string) {
			if !seen[id] {
				seen[id] = true
				p.Choices = append(p.Choices, option{Value: strconv.FormatInt(id, 10), Label: name, Selected: slices.Contains(in.DeputyIDs, id)})
			}
		}
		for _, d := range x.Deputies {
			add(d.DeputyID, d.Name)
		}
		if x.GroupID != nil {
			if g, err := a.svc.Groups.FindGroupByID(ctx, *x.GroupID); err == nil {
				for _, d := range g.Members {
					add(d.ID, d.Name)
				}
			}
		}
		if x.StationID != nil {
			if s, err := a.svc.Stations.FindStationByID(ctx, *x.StationID); err == nil {
				for _, d := range s.Deputies {
					add(d.ID, d.Name)
				}
			}
		}
	}
	if st.rec != nil {
		p.RecF = *st.rec
	}
	if in, ok := st.recIn.(*activityRecordInput); ok {
		p.Minutes, p.Outcomes = in.Minutes, in.Outcomes
	} else if x.Record != nil {
		p.Minutes, p.Outcomes = x.Record.Minutes, x.Record.Outcomes
	}
	return "activity", p, nil
}

// myActivityRow is one of the calling deputy's coming activities (我的接待).
type myActivityRow struct {
	activityRow
	Attendance string
	Leave      string
}

// myActivities lists a deputy's published activities not yet ended.
func (a *app) myActivities(ctx context.Context, deputyID int64) ([]myActivityRow, error) {
	from := a.now().AddDate(0, 0, -7)
	list, _, err := a.svc.Activities.FindActivities(ctx, lianluo.ActivityFilter{DeputyID: deputyID, From: &from, Page: lianluo.Page{Page: 1, PerPage: 20}})
	if err != nil {
		return nil, err
	}
	var out []myActivityRow
	now := a.now()
	for i, row := range activityRows(list) {
		x := list[i]
		if x.Status != lianluo.ActivityPublished || x.EndsAt.Before(now) {
			continue
		}
		m := myActivityRow{activityRow: row}
		for _, d := range x.Deputies {
			if d.DeputyID == deputyID {
				m.Attendance = lianluo.AttendanceNames[d.Attendance]
				if d.LeaveStatus != "" {
					m.Leave = "请假" + lianluo.LeaveStatusNames[d.LeaveStatus]
				}
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// publicActivity is a published activity as voters read it.
type publicActivity struct {
	Day, Time, Kind, Title, Place string
}

// publicActivities lists a station's next published activities for its
// public page (003: 活动时间、地点、内容事先向社会公布).
func (a *app) publicActivities(r *http.Request, stationID int64) ([]publicActivity, error) {
	list, err := a.svc.Activities.PublicActivities(r.Context(), stationID, a.now(), publicSessionsShown)
	if err != nil {
		return nil, err
	}
	out := make([]publicActivity, len(list))
	for i, x := range list {
		s := x.StartsAt.In(lianluo.Beijing)
		out[i] = publicActivity{Day: fmt.Sprintf("%d年%s", s.Year(), dayText(s)),
			Time: s.Format("15:04") + "–" + x.EndsAt.In(lianluo.Beijing).Format("15:04"),
			Kind: lianluo.ActivityKindNames[x.Kind], Title: x.Title, Place: x.Place}
	}
	return out, nil
}
