package web

import (
	"fmt"
	"net/http"
	"strings"

	"lianluo"
)

// The activity norm of each station (003 三: 每季度组织一至二次，全年不少于
// 六次，代表参与率不低于90%), measured from the activities held.

type activityNormsPage struct {
	basePage
	Year  int
	Years []option
	Rows  []activityNormRow
	Ended int // quarters of the year that have ended
	Met   int // stations meeting the norm so far
	Norm  string
}

type activityNormRow struct {
	lianluo.StationActivityYear
	Bar       int    // participation, 0–100, for the bar
	RateText  string // "87%" or "—"
	Shortfall string // what falls short so far, or ""
}

func (a *app) activityNorms(w http.ResponseWriter, r *http.Request) error {
	year := a.formYear(r)
	list, err := a.svc.Activities.ActivityYear(r.Context(), year, "")
	if err != nil {
		return err
	}
	now := a.now().In(lianluo.Beijing)
	ended := 4
	if year == now.Year() {
		ended = (int(now.Month()) - 1) / 3
	} else if year > now.Year() {
		ended = 0
	}
	p := &activityNormsPage{basePage: basePage{Title: "活动达标情况", Section: "activities"}, Year: year, Ended: ended,
		Years: yearOptions(a.thisYear()-4, a.thisYear(), year),
		Norm:  fmt.Sprintf("每季度至少%d次、全年不少于%d次，代表参与率不低于%d%%", lianluo.MinActivitiesQuarter, lianluo.MinActivitiesYear, lianluo.MinParticipation)}
	for _, y := range list {
		row := activityNormRow{StationActivityYear: y, RateText: "—"}
		if y.Invitations > 0 {
			row.Bar, row.RateText = y.Rate(), fmt.Sprintf("%d%%", y.Rate())
		}
		row.Shortfall = strings.Join(y.Shortfalls(ended), "；")
		if row.Shortfall == "" {
			p.Met++
		}
		p.Rows = append(p.Rows, row)
	}
	return a.render(w, r, http.StatusOK, "activity_norms", p)
}
