package web

import (
	"fmt"
	"net/http"
	"strconv"

	"lianluo"
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
	lianluo.EvidenceCase: "群众意见", lianluo.EvidenceDutyRecord: "履职登记",
}

var evidenceURLs = map[string]string{
	lianluo.EvidenceActivity: "/console/activities/%d", lianluo.EvidenceReception: "/console/receptions/%d",
	lianluo.EvidenceDiary: "/console/diary/%d", lianluo.EvidenceCase: "/console/cases/%d", lianluo.EvidenceDutyRecord: "/console/duty-records/%d",
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
}

func (a *app) renderSixOnes(w http.ResponseWriter, r *http.Request, s *lianluo.SixOnes, path string) error {
	p := &sixOnesPage{basePage: basePage{Title: s.Name + " “六个一”", Section: "duty"}, S: s, Year: s.Year, Prev: s.Year - 1,
		Next: s.Year + 1, Path: path, Who: "代表"}
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
}

// sixOnesRegionLimit bounds the deputies measured on one page: each is a
// handful of queries.
const sixOnesRegionLimit = 300

// sixOnesRegion is the region view: every deputy in office and every
// active group in scope, each item met or not.
func (a *app) sixOnesRegion(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	if !isDiaryStaff(ac) {
		return lianluo.Forbidden()
	}
	p := &sixOnesRegionPage{basePage: basePage{Title: "“六个一”完成情况", Section: "duty"}, Year: a.sixOneYear(r)}
	for _, rule := range lianluo.SixOneRules[lianluo.SixOnesDeputy] {
		p.DeputyItems = append(p.DeputyItems, rule.Name)
	}
	for _, rule := range lianluo.SixOneRules[lianluo.SixOnesGroup] {
		p.GroupItems = append(p.GroupItems, rule.Name)
	}
	row := func(s *lianluo.SixOnes, url string) sixOnesRegionRow {
		x := sixOnesRegionRow{S: s, URL: fmt.Sprintf("%s?year=%d", url, p.Year), Met: s.Met()}
		for _, it := range s.Items {
			x.Cols = append(x.Cols, it.Met)
		}
		return x
	}
	ds, err := collect(sixOnesRegionLimit+1, func(pg lianluo.Page) ([]*lianluo.Deputy, int, error) {
		return a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Page: pg})
	})
	if err != nil {
		return err
	}
	if len(ds) > sixOnesRegionLimit {
		ds, p.DeputiesMore = ds[:sixOnesRegionLimit], true
	}
	for _, d := range ds {
		if d.Status != lianluo.DeputyInOffice {
			continue
		}
		s, err := a.svc.SixOnes.DeputySixOnes(ctx, d.ID, p.Year)
		if err != nil {
			return err
		}
		p.Deputies = append(p.Deputies, row(s, fmt.Sprintf("/console/deputies/%d/six-ones", d.ID)))
	}
	gs, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.DeputyGroup, int, error) {
		return a.svc.Groups.FindGroups(ctx, lianluo.GroupFilter{Page: pg})
	})
	if err != nil {
		return err
	}
	for _, g := range gs {
		if !g.Active {
			continue
		}
		s, err := a.svc.SixOnes.GroupSixOnes(ctx, g.ID, p.Year)
		if err != nil {
			return err
		}
		p.Groups = append(p.Groups, row(s, fmt.Sprintf("/console/groups/%d/six-ones", g.ID)))
	}
	return a.render(w, r, http.StatusOK, "six_ones_region", p)
}
