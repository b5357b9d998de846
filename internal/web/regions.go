package web

import (
	"net/http"
	"strings"

	"lianluo"
)

type regionsPage struct {
	basePage
	Parent  string
	Q       string
	Path    []*lianluo.Region // breadcrumb, root first
	Current *lianluo.Region
	Items   []*lianluo.Region
	Pager   pager
	Search  bool
}

// regions browses the region tree (?parent=CODE) or searches it by name
// (?q=, inside the current parent's subtree when one is chosen).
func (a *app) regions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := &regionsPage{basePage: basePage{Title: "行政区划", Section: "regions"}, Q: strings.TrimSpace(q.Get("q"))}
	parent, explicit := q.Get("parent"), q.Has("parent")
	if !explicit {
		// Start where the user works: their office's region, or for an
		// administrator where the loaded tree first branches.
		anchors, err := a.regionAnchors(ctx, actor(r))
		if err != nil {
			return err
		}
		if len(anchors) == 1 {
			parent = anchors[0].Code
		}
	}
	if parent != "" {
		norm := lianluo.NormalizeRegionCode(parent)
		if norm == "" {
			return lianluo.Errorf(lianluo.ENOTFOUND, "行政区划“%s”不存在。", lianluo.Truncate(parent, 20))
		}
		path, err := a.svc.Regions.RegionPath(ctx, norm)
		if err != nil {
			return err
		}
		p.Path, p.Parent = path, norm
		if len(path) > 0 {
			p.Current = path[len(path)-1]
		}
	}
	pg := pageOf(r)
	f := lianluo.RegionFilter{Page: pg}
	if p.Q != "" {
		p.Search = true
		f.Q = p.Q
		if p.Parent != "" {
			f.Under = &p.Parent
		}
	} else {
		f.Parent = &p.Parent
	}
	items, total, err := a.svc.Regions.FindRegions(ctx, f)
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, newPager(r, total, pg)
	return a.render(w, r, http.StatusOK, "regions", p)
}
