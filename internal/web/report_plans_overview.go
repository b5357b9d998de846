package web

import (
	"fmt"
	"net/http"

	"lianluo"
)

// 代表述职 across the groups in scope (/console/report-plans?year=): for
// the office or the district supervisor, which groups have planned their
// year's 述职, how far each has got, and who has not planned.

type reportOverviewPage struct {
	basePage
	Year  int
	Years []option
	Rows  []reportOverviewRow
	Pager pager
}

// reportOverviewRow is one group and its plan of the year (nil: none).
type reportOverviewRow struct {
	G        *lianluo.DeputyGroup
	Plan     *lianluo.ReportPlan
	Members  int
	Lo, Hi   int // the share of the group's deputies the norm asks (ReportShare)
	Held     int // 述职 linked to their activity
	Closed   int // ballots closed (the tally sent to the deputy)
	Few      int // held with fewer voters than the norm
	Written  int // deputies not planned who wrote their report
	Reviewed int // … and had it reviewed
}

// ShareOK says whether the plan names 20–30 % of the group.
func (r reportOverviewRow) ShareOK() bool {
	return r.Plan != nil && len(r.Plan.Deputies) >= r.Lo && len(r.Plan.Deputies) <= r.Hi
}

func (a *app) reportPlansOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	year := a.yearParam(r)
	p := &reportOverviewPage{basePage: basePage{Title: fmt.Sprintf("%d年代表述职", year), Section: "groups"}, Year: year,
		Years: yearOptions(lianluo.TermStartYear, a.thisYear()+1, year)}
	pg := pageOf(r)
	groups, total, err := a.svc.Groups.FindGroups(ctx, lianluo.GroupFilter{Page: pg})
	if err != nil {
		return err
	}
	// The year's plans in scope, read once (one a group and year).
	plans, _, err := a.svc.ReportPlans.FindReportPlans(ctx, lianluo.ReportPlanFilter{Year: year, Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	planOf := map[int64]*lianluo.ReportPlan{}
	for _, pl := range plans {
		planOf[pl.GroupID] = pl
	}
	for _, g := range groups {
		// The list leaves the members out; a group's own read has them.
		if g, err = a.svc.Groups.FindGroupByID(ctx, g.ID); err != nil {
			return err
		}
		row := reportOverviewRow{G: g, Members: len(g.Members)}
		if pl := planOf[g.ID]; pl != nil {
			row.Plan = pl
			row.Members = row.Plan.Members // in office, as the plan counts them
			for _, d := range row.Plan.Deputies {
				if d.ActivityID != nil {
					row.Held++
				}
				if d.FewVoters {
					row.Few++
				}
				if d.Ballot != nil && d.Ballot.Status == lianluo.BallotClosed {
					row.Closed++
				}
			}
			for _, n := range row.Plan.NotPlanned {
				if n.DutyRecordID != nil {
					row.Written++
				}
				if n.Reviewed() {
					row.Reviewed++
				}
			}
		}
		row.Lo, row.Hi = lianluo.ReportShare(row.Members)
		p.Rows = append(p.Rows, row)
	}
	p.Pager = newPager(r, total, pg)
	return a.render(w, r, http.StatusOK, "report_plans_overview", p)
}
