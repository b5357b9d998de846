package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// The case list (群众意见): every case in the caller's scope, with filters,
// or one of the caller's to-do lists (?todo=approve).

type caseListPage struct {
	basePage
	Q, Status, Station, Category, Region, From, To string
	Overdue                                        bool
	Todo, TodoName                                 string
	StatusOptions                                  []option
	StationOptions                                 []option
	CategoryGroups                                 []optGroup
	RegionGroups                                   []optGroup
	Items                                          []caseRow
	Pager                                          pager
	CanCreate                                      bool
	Filtered                                       bool
	FilterError                                    string
	ExcelURL                                       string // 导出 Excel: this list's filters, every page
	CanExport                                      bool
}

// caseRow is a case in a list with its deadline worked out.
type caseRow struct {
	*lianluo.Case
	Due dueInfo
}

// dueInfo is a deadline as the pages show it: the Beijing date, and while
// the case waits on someone, the days left or overdue.
type dueInfo struct {
	Date    string // 2026-03-23, or ""
	Text    string // 剩5天, 今天到期, 已超期2天; "" when the clock is not running
	Overdue bool
	Soon    bool // three days or less
}

func (a *app) dueOf(c *lianluo.Case) dueInfo {
	if c.DueDate == nil {
		return dueInfo{}
	}
	d := dueInfo{Date: bjDate(*c.DueDate)}
	// A due date is a running clock only while the case awaits assignment
	// or the unit's reply (lianluo.OverdueStatuses).
	if !slices.Contains(lianluo.OverdueStatuses, c.Status) {
		return d
	}
	now := a.now()
	days := dayNumber(*c.DueDate) - dayNumber(now)
	switch {
	case c.DueDate.Before(now):
		d.Overdue = true
		d.Text = fmt.Sprintf("已超期%d天", max(-days, 1))
		if days == 0 {
			d.Text = "已超期"
		}
	case days == 0:
		d.Text, d.Soon = "今天到期", true
	default:
		d.Text, d.Soon = fmt.Sprintf("剩%d天", days), days <= 3
	}
	return d
}

// dayNumber counts Beijing calendar days.
func dayNumber(t time.Time) int {
	y, m, d := t.In(lianluo.Beijing).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func bjDate(t time.Time) string { return t.In(lianluo.Beijing).Format("2006-01-02") }

// bjDateCN writes a date the way forms are dated: 2026年3月2日.
func bjDateCN(t time.Time) string {
	b := t.In(lianluo.Beijing)
	return fmt.Sprintf("%d年%d月%d日", b.Year(), b.Month(), b.Day())
}

func (a *app) caseRows(cs []*lianluo.Case) []caseRow {
	out := make([]caseRow, 0, len(cs))
	for _, c := range cs {
		out = append(out, caseRow{Case: c, Due: a.dueOf(c)})
	}
	return out
}

func todoName(key string) (string, bool) {
	for _, l := range lianluo.TodoLists {
		if l.Key == key {
			return l.Name, true
		}
	}
	return "", false
}

// caseListQuery reads the case list's query into the page's fields and the
// filter; a filter that cannot be read (region, dates) is a field error,
// and the list shows the rest. The list and its export (cases.xlsx) share it.
func caseListQuery(r *http.Request) (p *caseListPage, f lianluo.CaseFilter, ferr error) {
	ac, q := actor(r), r.URL.Query()
	p = &caseListPage{
		basePage:  basePage{Title: "群众意见", Section: "cases"},
		Q:         strings.TrimSpace(q.Get("q")),
		Status:    q.Get("status"),
		Station:   q.Get("station"),
		Category:  q.Get("category"),
		Region:    q.Get("region"),
		From:      q.Get("from"),
		To:        q.Get("to"),
		Overdue:   q.Get("overdue") == "1",
		Todo:      q.Get("todo"),
		CanCreate: lianluo.CanRegisterCases(ac),
	}
	f = lianluo.CaseFilter{Q: p.Q, Category: p.Category, Region: p.Region, Overdue: p.Overdue, Page: pageOf(r)}
	if p.Todo != "" {
		name, ok := todoName(p.Todo)
		if !ok {
			return p, f, lianluo.Errorf(lianluo.ENOTFOUND, "没有这个待办类别。")
		}
		p.TodoName, p.Title, p.Section = name, "我的待办："+name, "todo"
		f.Todo = p.Todo
	}
	// A filter that names nothing is said, not dropped: a mistyped link
	// would list (and export) every case instead.
	if _, ok := lianluo.StatusNames[lianluo.CaseStatus(p.Status)]; ok {
		f.Status = []lianluo.CaseStatus{lianluo.CaseStatus(p.Status)}
	} else if p.Status != "" {
		ferr, p.Status = lianluo.FieldError("status", "没有“%s”这个办理状态，请从列表中选择。", lianluo.Truncate(p.Status, 20)), ""
	}
	if id, err := parseID(p.Station, "station", "联络站"); err != nil {
		ferr, p.Station = err, ""
	} else if id != nil {
		f.StationID = *id
	}
	if p.Region != "" && lianluo.NormalizeRegionCode(p.Region) == "" {
		ferr, p.Region, f.Region = lianluo.FieldError("region", "地区代码格式不正确。"), "", ""
	}
	// Dates are Beijing days: "to" includes the whole day.
	if p.From != "" {
		if t, err := time.ParseInLocation("2006-01-02", p.From, lianluo.Beijing); err == nil {
			f.From = &t
		} else {
			ferr = lianluo.FieldError("from", "起始日期格式应为 2026-03-01。")
		}
	}
	if p.To != "" {
		if t, err := time.ParseInLocation("2006-01-02", p.To, lianluo.Beijing); err == nil {
			end := t.AddDate(0, 0, 1)
			f.To = &end
		} else {
			ferr = lianluo.FieldError("to", "截止日期格式应为 2026-03-31。")
		}
	}
	p.Filtered = p.Q != "" || p.Status != "" || p.Station != "" || p.Category != "" || p.Region != "" || p.Overdue || p.From != "" || p.To != ""
	eq := r.URL.Query()
	eq.Del("page") // every page
	p.ExcelURL = "/console/cases.xlsx"
	if len(eq) > 0 {
		p.ExcelURL += "?" + eq.Encode()
	}
	p.CanExport = lianluo.CanExportCases(ac)
	return p, f, ferr
}

func (a *app) caseList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	p, f, err := caseListQuery(r)
	status := http.StatusOK
	if lianluo.ErrorCode(err) == lianluo.EINVALID {
		p.FilterError, status = lianluo.ErrorMessage(err), http.StatusBadRequest
	} else if err != nil {
		return err
	}
	p.StatusOptions = withBlank("全部状态", namedOptions(lianluo.Statuses, lianluo.StatusNames, p.Status))
	sel := map[int64]bool{}
	if f.StationID != 0 {
		sel[f.StationID] = true
	}
	if p.StationOptions, err = a.stationChoices(ctx, sel); err != nil {
		return err
	}
	p.StationOptions = withBlank("全部联络站", p.StationOptions)
	if p.CategoryGroups, err = a.categoryGroups(ctx, p.Category); err != nil {
		return err
	}
	if p.RegionGroups, err = a.regionFilterOptions(ctx, ac, p.Region); err != nil {
		return err
	}
	items, total, err := a.svc.Cases.FindCases(ctx, f)
	if err != nil {
		return err
	}
	p.Items, p.Pager = a.caseRows(items), newPager(r, total, f.Page)
	return a.render(w, r, status, "cases", p)
}

// categoryGroups lists the category tree for a staff form's select box,
// named as on the voter's form (categoryOptions). A category no longer in
// the tree but chosen (an old case) is kept.
func (a *app) categoryGroups(ctx context.Context, selected string) ([]optGroup, error) {
	cats, err := a.svc.Settings.Categories(ctx)
	if err != nil {
		return nil, err
	}
	groups := categoryOptions(cats, selected)
	found := selected == ""
	for _, c := range cats {
		found = found || c.Name == selected
	}
	if !found {
		groups = append(groups, optGroup{Label: "当前", Options: []option{{Value: selected, Label: selected, Selected: true}}})
	}
	return groups, nil
}

// caseURL is the address of a case page.
func caseURL(id int64) string { return "/console/cases/" + strconv.FormatInt(id, 10) }

// caseFuncs are the template functions of the case pages.
func caseFuncs() template.FuncMap {
	return template.FuncMap{
		"statusName":  func(k lianluo.CaseStatus) string { return lianluo.StatusNames[k] },
		"channelName": func(k string) string { return lianluo.ChannelNames[k] },
		"ratingName":  func(k string) string { return lianluo.RatingNames[k] },
		"resultName":  func(k string) string { return lianluo.ReplyResults[k] },
		"byName":      func(k string) string { return map[string]string{"deputy": "代表", "voter": "群众"}[k] },
		"bjdate":      bjDate,
		"join":        strings.Join,
		"bjdatep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return bjDate(*t)
		},
	}
}
