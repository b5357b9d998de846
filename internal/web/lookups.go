package web

import (
	"context"
	"strconv"

	"lianluo"
)

// Select boxes offer the records in the caller's scope; the store checks
// every submitted ID again.

func selectedSet(ids ...*int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		if id != nil {
			m[*id] = true
		}
	}
	return m
}

func idSet(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (a *app) orgChoices(ctx context.Context, kind string, selected map[int64]bool) ([]option, error) {
	orgs, err := collect(choiceLimit, func(p lianluo.Page) ([]*lianluo.Org, int, error) {
		return a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Kind: kind, Page: p})
	})
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(orgs))
	for _, o := range orgs {
		label := o.Name
		if kind == "" {
			label += "（" + lianluo.OrgKindNames[o.Kind] + "）"
		}
		if !o.Active {
			label += "（已停用）"
		}
		out = append(out, option{Value: strconv.FormatInt(o.ID, 10), Label: label, Selected: selected[o.ID]})
	}
	return out, nil
}

func (a *app) stationChoices(ctx context.Context, selected map[int64]bool) ([]option, error) {
	ss, err := collect(choiceLimit, func(p lianluo.Page) ([]*lianluo.Station, int, error) {
		return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Page: p})
	})
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(ss))
	for _, s := range ss {
		label := s.Name
		if s.RegionName != "" {
			label += "（" + s.RegionName + "）"
		}
		if !s.Active {
			label += "（已停用）"
		}
		out = append(out, option{Value: strconv.FormatInt(s.ID, 10), Label: label, Selected: selected[s.ID]})
	}
	return out, nil
}

// deputyChoices lists deputies in office, plus any already chosen who have
// since left office (so that saving a form does not silently drop them).
func (a *app) deputyChoices(ctx context.Context, selected map[int64]bool) ([]option, error) {
	ds, err := collect(choiceLimit, func(p lianluo.Page) ([]*lianluo.Deputy, int, error) {
		return a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Page: p})
	})
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(ds))
	for _, d := range ds {
		if d.Status != lianluo.DeputyInOffice && !selected[d.ID] {
			continue
		}
		label := d.Name
		if d.RegionName != "" {
			label += "（" + d.RegionName + "）"
		}
		if d.Status != lianluo.DeputyInOffice {
			label += "（" + lianluo.DeputyStatusNames[d.Status] + "）"
		}
		out = append(out, option{Value: strconv.FormatInt(d.ID, 10), Label: label, Selected: selected[d.ID]})
	}
	return out, nil
}

func (a *app) groupChoices(ctx context.Context, selected map[int64]bool) ([]option, error) {
	gs, err := collect(choiceLimit, func(p lianluo.Page) ([]*lianluo.DeputyGroup, int, error) {
		return a.svc.Groups.FindGroups(ctx, lianluo.GroupFilter{Page: p})
	})
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(gs))
	for _, g := range gs {
		label := g.Name
		if !g.Active {
			label += "（已停用）"
		}
		out = append(out, option{Value: strconv.FormatInt(g.ID, 10), Label: label, Selected: selected[g.ID]})
	}
	return out, nil
}
