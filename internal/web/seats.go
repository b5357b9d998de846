package web

import (
	"context"

	"lianluo"
)

// seatNamer names deputies' seats after the regions they were elected in
// (lianluo.SeatsText: 北仑区人大代表, not 区县人大代表), reading each
// region's path once per page.
type seatNamer struct {
	ctx   context.Context
	svc   lianluo.Services
	paths map[string][]*lianluo.Region
	codes map[int64]string // station → region
}

func (a *app) seatNamer(ctx context.Context) *seatNamer {
	return &seatNamer{ctx: ctx, svc: a.svc, paths: map[string][]*lianluo.Region{}, codes: map[int64]string{}}
}

// text names seats of a deputy of region code. A region that cannot be read
// leaves the general names: the page still shows the levels.
func (n *seatNamer) text(seats []lianluo.Seat, code string) string {
	path, ok := n.paths[code]
	if !ok && code != "" {
		path, _ = n.svc.Regions.RegionPath(n.ctx, code)
		n.paths[code] = path
	}
	return lianluo.SeatsText(seats, path)
}

// public names a public deputy's seats by the region of their first
// station: the public record carries no region of its own.
func (n *seatNamer) public(d *lianluo.PublicDeputy) string {
	code := ""
	if len(d.Stations) > 0 {
		id := d.Stations[0].ID
		c, ok := n.codes[id]
		if !ok {
			if s, err := n.svc.Public.PublicStation(n.ctx, id); err == nil {
				c = s.RegionCode
			}
			n.codes[id] = c
		}
		code = c
	}
	return n.text(d.Seats, code)
}
