package web

import (
	"net/http"
	"strings"

	"lianluo"
)

// homePage is the front page of the online station (网上代表联络站): what
// it is, the three things a voter comes for, and the stations by region.
type homePage struct {
	publicBase
	Picker   *lianluo.RegionPicker
	TopCode  string // the picker's top region: its link is "/"
	Q        string
	Stations []*lianluo.PublicStation
	Pager    pager
}

// home shows the region picker at ?region= (the deployment's top when
// absent) and the active stations under it, searched by ?q=.
func (a *app) home(w http.ResponseWriter, r *http.Request) error {
	return a.pub(a.homePage)(w, r)
}

func (a *app) homePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	picker, err := a.svc.Public.PublicRegions(ctx, q.Get("region"))
	if err != nil {
		return err
	}
	p := &homePage{publicBase: publicBase{Title: "首页", Section: "home"}, Picker: picker,
		Q: strings.TrimSpace(q.Get("q"))}
	if len(picker.Path) > 0 {
		p.TopCode = picker.Path[0].Code
	}
	pg := pageOf(r)
	stations, total, err := a.svc.Public.PublicStations(ctx, lianluo.PublicStationFilter{Region: picker.Current.Code, Q: p.Q, Page: pg})
	if err != nil {
		return err
	}
	p.Stations, p.Pager = stations, newPager(r, total, pg)
	return a.renderPublic(w, r, http.StatusOK, "home", p)
}
