package web

import (
	"context"
	"net/http"
	"strings"

	"lianluo"
)

// Choosing a region. A clerk picks from a select box listing the regions of
// their office (for administrators, the top of the tree where it first
// branches — usually the county of the deployment) and the regions directly
// below; a second select offers the villages of the chosen town. The page
// fills it on the server, and app.js refills it from GET /api/v1/regions
// when the first choice changes. Without JavaScript a typed code in the
// "_text" input works too.

// regionField is rendered by the "regionfield" partial.
type regionField struct {
	Name, Label, Error, Hint string
	Required                 bool
	Groups                   []optGroup
	Sub                      []option // children of the selected region
	ShowSub                  bool
	Text                     string // a typed code that is in none of the lists
}

// regionAnchors returns the regions whose subtrees the actor manages or
// sees: their offices' regions, or for administrators the top of the tree.
func (a *app) regionAnchors(ctx context.Context, ac *lianluo.Actor) ([]*lianluo.Region, error) {
	if ac.Scope.All {
		top := ""
		rs, err := a.regionChildren(ctx, top)
		if err != nil {
			return nil, err
		}
		// Descend while the tree is a single chain (33 → 3302 → 330206):
		// a deployment loads one county with its ancestors.
		var parent *lianluo.Region
		for depth := 0; len(rs) == 1 && rs[0].Level != lianluo.LevelVillage && depth < 5; depth++ {
			parent = rs[0]
			if rs, err = a.regionChildren(ctx, parent.Code); err != nil {
				return nil, err
			}
		}
		if parent != nil {
			return []*lianluo.Region{parent}, nil
		}
		return rs, nil
	}
	var out []*lianluo.Region
	seen := map[string]bool{}
	for _, code := range ac.Scope.Regions {
		if seen[code] {
			continue
		}
		seen[code] = true
		r, err := a.svc.Regions.FindRegion(ctx, code)
		if lianluo.Is(err, lianluo.ENOTFOUND) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (a *app) regionChildren(ctx context.Context, code string) ([]*lianluo.Region, error) {
	return collect(choiceLimit, func(p lianluo.Page) ([]*lianluo.Region, int, error) {
		return a.svc.Regions.FindRegions(ctx, lianluo.RegionFilter{Parent: &code, Page: p})
	})
}

// regionGroups lists each of the caller's regions (labelled by
// anchorLabel) followed by its children, marking selected; found says
// whether selected was among them.
func (a *app) regionGroups(ctx context.Context, ac *lianluo.Actor, anchorLabel func(*lianluo.Region) string, selected string) (groups []optGroup, found bool, err error) {
	anchors, err := a.regionAnchors(ctx, ac)
	if err != nil {
		return nil, false, err
	}
	for _, an := range anchors {
		groups = append(groups, optGroup{Options: []option{{Value: an.Code, Label: anchorLabel(an), Selected: an.Code == selected}}})
		found = found || an.Code == selected
		kids, err := a.regionChildren(ctx, an.Code)
		if err != nil {
			return nil, false, err
		}
		if len(kids) == 0 {
			continue
		}
		g := optGroup{Label: an.Name + "下辖" + lianluo.LevelNames[kids[0].Level]}
		for _, k := range kids {
			g.Options = append(g.Options, option{Value: k.Code, Label: k.Name, HasSub: k.Level != lianluo.LevelVillage, Selected: k.Code == selected})
			found = found || k.Code == selected
		}
		groups = append(groups, g)
	}
	return groups, found, nil
}

// regionField builds the region chooser with current selected.
func (a *app) regionField(ctx context.Context, ac *lianluo.Actor, f formState, name, label, current string) (regionField, error) {
	rf := regionField{Name: name, Label: label, Required: true, Error: errOf(f, name)}
	groups, _, err := a.regionGroups(ctx, ac, ownLevelLabel, "")
	if err != nil {
		return rf, err
	}
	rf.Groups = groups
	current = strings.TrimSpace(current)
	if current == "" {
		return rf, nil
	}
	norm := lianluo.NormalizeRegionCode(current)
	if norm == "" {
		rf.Text = current
		return rf, nil
	}
	if sel := selectOption(groups, norm); sel != nil {
		if sel.HasSub {
			return a.withSub(ctx, rf, norm, "")
		}
		return rf, nil
	}
	r, err := a.svc.Regions.FindRegion(ctx, norm)
	if lianluo.Is(err, lianluo.ENOTFOUND) {
		rf.Text = current
		return rf, nil
	} else if err != nil {
		return rf, err
	}
	// A village under a listed town: select the town and the village.
	if parent := selectOption(groups, r.ParentCode); parent != nil && parent.HasSub {
		return a.withSub(ctx, rf, r.ParentCode, norm)
	}
	// Elsewhere (an administrator's record in another county): offer it as is.
	rf.Groups = append(rf.Groups, optGroup{Label: "当前", Options: []option{{Value: r.Code, Label: r.Name, Selected: true}}})
	return rf, nil
}

func (a *app) withSub(ctx context.Context, rf regionField, parent, selected string) (regionField, error) {
	kids, err := a.regionChildren(ctx, parent)
	if err != nil {
		return rf, err
	}
	if len(kids) == 0 {
		return rf, nil
	}
	rf.ShowSub = true
	rf.Sub = []option{{Value: "", Label: "（不选，即本级）"}}
	for _, k := range kids {
		rf.Sub = append(rf.Sub, option{Value: k.Code, Label: k.Name, Selected: k.Code == selected})
	}
	return rf, nil
}

// selectOption marks the option with the code selected and returns it.
func selectOption(groups []optGroup, code string) *option {
	for i := range groups {
		for j := range groups[i].Options {
			if o := &groups[i].Options[j]; o.Value == code {
				o.Selected = true
				return o
			}
		}
	}
	return nil
}

// regionFromForm reads the chosen region: a typed code wins, then the
// village, then the first select. A village from another town than the one
// chosen (the first select changed without JavaScript) is refused, so the
// form comes back with the right villages to choose from.
func regionFromForm(r *http.Request, name string) (string, error) {
	if t := formStr(r, name+"_text"); t != "" {
		return t, nil
	}
	main, sub := formStr(r, name), formStr(r, name+"_sub")
	if sub == "" {
		return main, nil
	}
	if main != "" && !isChildCode(sub, main) {
		return main, lianluo.FieldError(name, "所选村/社区不属于所选的乡镇（街道），请重新选择村/社区。")
	}
	return sub, nil
}

// regionFilterOptions lists the regions for a list's filter select, each
// of the caller's own labelled as that level itself (本级).
func (a *app) regionFilterOptions(ctx context.Context, ac *lianluo.Actor, selected string) ([]optGroup, error) {
	return a.regionChoices(ctx, ac, selected, ownLevelLabel)
}

// ownLevelLabel names one of the caller's regions as that level itself
// (北仑区（县级本级）), apart from the regions below it.
func ownLevelLabel(an *lianluo.Region) string {
	return an.Name + "（" + lianluo.LevelNames[an.Level] + "本级）"
}

// regionChoices lists the caller's regions (labelled by anchorLabel) and
// those directly below, and the selected one under 当前 when it is deeper
// (reached by drilling down or typed into the address).
func (a *app) regionChoices(ctx context.Context, ac *lianluo.Actor, selected string, anchorLabel func(*lianluo.Region) string) ([]optGroup, error) {
	selected = lianluo.NormalizeRegionCode(selected)
	groups, found, err := a.regionGroups(ctx, ac, anchorLabel, selected)
	if err != nil {
		return nil, err
	}
	if selected != "" && !found {
		if r, err := a.svc.Regions.FindRegion(ctx, selected); err == nil {
			groups = append(groups, optGroup{Label: "当前", Options: []option{{Value: r.Code, Label: r.Name, Selected: true}}})
		}
	}
	return groups, nil
}

// isChildCode reports whether child is one level directly below parent
// (division codes are 2, 4, 6, 9 and 12 digits by level).
func isChildCode(child, parent string) bool {
	next := map[int]int{2: 4, 4: 6, 6: 9, 9: 12}[len(parent)]
	return next != 0 && len(child) == next && strings.HasPrefix(child, parent)
}
