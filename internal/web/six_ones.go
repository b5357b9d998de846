package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"lianluo"
	"lianluo/internal/sheets"
)

// 六个一 pages: one deputy's or group's items with their evidence, and the
// region view — every deputy and group in the caller's scope, met or not
// per item.

// sixOneYear reads ?year= (this year when absent or wrong).
func (a *app) sixOneYear(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return a.now().In(lianluo.Beijing).Year()
}

// evidenceLink is a record that counts, linked to its page.
type evidenceLink struct {
	Date, Label, URL string
}

var evidenceNames = map[string]string{
	lianluo.EvidenceActivity: "代表活动", lianluo.EvidenceReception: "接待选民", lianluo.EvidenceDiary: "民情日记",
	lianluo.EvidenceCase: "群众意见", lianluo.EvidenceDutyRecord: "履职登记", lianluo.EvidenceSuggestion: "代表建议",
}

var evidenceURLs = map[string]string{
	lianluo.EvidenceActivity: "/console/activities/%d", lianluo.EvidenceReception: "/console/receptions/%d",
	lianluo.EvidenceDiary: "/console/diary/%d", lianluo.EvidenceCase: "/console/cases/%d", lianluo.EvidenceDutyRecord: "/console/duty-records/%d",
	lianluo.EvidenceSuggestion: "/console/cases/%d",
}

type sixOneRow struct {
	lianluo.SixOneItem
	Links []evidenceLink
}

type sixOnesPage struct {
	basePage
	S        *lianluo.SixOnes
	Who      string // 代表 or 代表小组
	Rows     []sixOneRow
	Year     int
	Prev     int
	Next     int
	Path     string
	AddDuty  bool // the caller may add a duty record for the deputy
	DeputyID int64
	Staff    bool // the caller reads the region view
}

func (a *app) renderSixOnes(w http.ResponseWriter, r *http.Request, s *lianluo.SixOnes, path string) error {
	p := &sixOnesPage{basePage: basePage{Title: s.Name + " “六个一”", Section: "duty"}, S: s, Year: s.Year, Prev: s.Year - 1,
		Next: s.Year + 1, Path: path, Who: "代表", Staff: isDiaryStaff(actor(r))}
	if s.Whose == lianluo.SixOnesGroup {
		p.Who = "代表小组"
	} else {
		record, _, err := a.svc.DutyRecords.DutyRecordPowers(r.Context(), s.ID)
		if err != nil {
			return err
		}
		p.AddDuty, p.DeputyID = record, s.ID
	}
	for _, it := range s.Items {
		row := sixOneRow{SixOneItem: it}
		for _, e := range it.Evidence {
			row.Links = append(row.Links, evidenceLink{Date: e.Date, Label: evidenceNames[e.Kind], URL: fmt.Sprintf(evidenceURLs[e.Kind], e.ID)})
		}
		p.Rows = append(p.Rows, row)
	}
	return a.render(w, r, http.StatusOK, "six_ones", p)
}

func (a *app) deputySixOnes(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := a.svc.SixOnes.DeputySixOnes(r.Context(), id, a.sixOneYear(r))
	if err != nil {
		return err
	}
	return a.renderSixOnes(w, r, s, fmt.Sprintf("/console/deputies/%d/six-ones", id))
}

func (a *app) groupSixOnes(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := a.svc.SixOnes.GroupSixOnes(r.Context(), id, a.sixOneYear(r))
	if err != nil {
		return err
	}
	return a.renderSixOnes(w, r, s, fmt.Sprintf("/console/groups/%d/six-ones", id))
}

type sixOnesRegionRow struct {
	S    *lianluo.SixOnes
	URL  string
	Met  int
	Cols []bool
}

type sixOnesRegionPage struct {
	basePage
	Year         int
	DeputyItems  []string
	GroupItems   []string
	Deputies     []sixOnesRegionRow
	Groups       []sixOnesRegionRow
	DeputiesMore bool
	ByMet        bool // sorted by the items met, fewest first
}

// sixOnesRegionLimit bounds the deputies measured on one page: each is a
// handful of queries.
const sixOnesRegionLimit = 300

// regionSixOnes measures every deputy in office and every active group in
// the caller's scope; more reports deputies left out past the limit.
func (a *app) regionSixOnes(ctx context.Context, year int) (deputies, groups []*lianluo.SixOnes, more bool, err error) {
	ds, err := collect(sixOnesRegionLimit+1, func(pg lianluo.Page) ([]*lianluo.Deputy, int, error) {
		return a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Page: pg})
	})
	if err != nil {
		return nil, nil, false, err
	}
	if len(ds) > sixOnesRegionLimit {
		ds, more = ds[:sixOnesRegionLimit], true
	}
	for _, d := range ds {
		if d.Status != lianluo.DeputyInOffice {
			continue
		}
		s, err := a.svc.SixOnes.DeputySixOnes(ctx, d.ID, year)
		if err != nil {
			return nil, nil, false, err
		}
		deputies = append(deputies, s)
	}
	gs, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.DeputyGroup, int, error) {
		return a.svc.Groups.FindGroups(ctx, lianluo.GroupFilter{Page: pg})
	})
	if err != nil {
		return nil, nil, false, err
	}
	for _, g := range gs {
		if !g.Active {
			continue
		}
		s, err := a.svc.SixOnes.GroupSixOnes(ctx, g.ID, year)
		if err != nil {
			return nil, nil, false, err
		}
		groups = append(groups, s)
	}
	return deputies, groups, more, nil
}

// sixOnesRegion is the region view: every deputy in office and every
// active group in scope, each item met or not; ?sort=met puts those with
// the fewest items met first.
func (a *app) sixOnesRegion(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	if !isDiaryStaff(ac) {
		return lianluo.Forbidden()
	}
	p := &sixOnesRegionPage{basePage: basePage{Title: "“六个一”完成情况", Section: "duty"}, Year: a.sixOneYear(r),
		ByMet: r.URL.Query().Get("sort") == "met"}
	for _, rule := range lianluo.SixOneRules[lianluo.SixOnesDeputy] {
		p.DeputyItems = append(p.DeputyItems, rule.Name)
	}
	for _, rule := range lianluo.SixOneRules[lianluo.SixOnesGroup] {
		p.GroupItems = append(p.GroupItems, rule.Name)
	}
	deputies, groups, more, err := a.regionSixOnes(ctx, p.Year)
	if err != nil {
		return err
	}
	p.DeputiesMore = more
	rows := func(list []*lianluo.SixOnes, base string) []sixOnesRegionRow {
		var out []sixOnesRegionRow
		for _, s := range list {
			x := sixOnesRegionRow{S: s, URL: fmt.Sprintf(base+"?year=%d", s.ID, p.Year), Met: s.Met()}
			for _, it := range s.Items {
				x.Cols = append(x.Cols, it.Met)
			}
			out = append(out, x)
		}
		if p.ByMet {
			slices.SortStableFunc(out, func(a, b sixOnesRegionRow) int { return a.Met - b.Met })
		}
		return out
	}
	p.Deputies = rows(deputies, "/console/deputies/%d/six-ones")
	p.Groups = rows(groups, "/console/groups/%d/six-ones")
	return a.render(w, r, http.StatusOK, "six_ones_region", p)
}

// sixOnesExcel is the region view as a workbook (one sheet of deputies, one of groups).
func (a *app) sixOnesExcel(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	if !isDiaryStaff(ac) {
		return lianluo.Forbidden()
	}
	year := a.sixOneYear(r)
	deputies, groups, _, err := a.regionSixOnes(ctx, year)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%d年“六个一”完成情况", year)
	b, err := sheets.SixOnes(title, deputies, groups)
	if err != nil {
		return err
	}
	if err := a.svc.Events.RecordEvent(ctx, lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return err
	}
	return sendXLSX(w, title+".xlsx", b)
}
