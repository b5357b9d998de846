package demo

import (
	"fmt"
	"slices"
	"time"

	"lianluo"
)

// yearPlan gives the demo town's center station a published 年初计划 for
// the current year (docs/year-plans.md) and records the activities held so
// far, so that the plan page shows items done, one done a month late, items
// late, items to come and an activity nobody planned. Only activities dated
// before now are recorded (补录, as the group meeting in online.go).
func (l *loader) yearPlan() error {
	if l.svc.YearPlans == nil || l.svc.Activities == nil {
		return nil
	}
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	if center < 0 || center >= len(l.sts) {
		return nil
	}
	s := l.sts[center]
	now := time.Now()
	if l.clock != nil {
		now = l.clock.Now()
	}
	now = now.In(lianluo.Beijing)
	year := now.Year()
	items := []lianluo.YearPlanItem{
		{Month: 1, Kind: lianluo.ActivityStudy, Title: "学习新修订的代表法"},
		{Month: 3, Kind: lianluo.ActivityInspection, Title: "视察老旧小区改造和加装电梯", Note: "会同街道城建办"},
		{Month: 4, Kind: lianluo.ActivityResearch, Title: "调研垃圾分类推进情况"},
		{Month: 6, Kind: lianluo.ActivityForum, Title: "民生实事项目征求意见座谈会"},
		{Month: 8, Kind: lianluo.ActivityLawCheck, Title: "食品安全法执法检查"},
		{Month: 9, Kind: lianluo.ActivityReport, Title: "代表向选民述职", Note: "本站20%–30%的代表"},
		{Month: 10, Kind: lianluo.ActivityAppraisal, Title: "评议街道城管中队"},
		{Month: 12, Kind: lianluo.ActivityTraining, Title: "代表履职培训"},
	}
	p, err := l.svc.YearPlans.CreateYearPlan(l.ctx, lianluo.YearPlanInput{OwnerKind: lianluo.PlanOwnerStation, OwnerID: s.ID, Year: year, Items: items})
	if err != nil {
		return fmt.Errorf("demo year plan: %w", err)
	}
	if _, err := l.svc.YearPlans.PublishYearPlan(l.ctx, p.ID, p.Version); err != nil {
		return fmt.Errorf("publish demo year plan: %w", err)
	}
	// Held: January's study, March's inspection in April (a month late),
	// June's forum, and an unplanned forum in May.
	held := []struct {
		kind, title string
		month, day  int
	}{
		{lianluo.ActivityStudy, "学习新修订的代表法", 1, 20},
		{lianluo.ActivityInspection, "视察老旧小区改造和加装电梯", 4, 16},
		{lianluo.ActivityForum, "背街小巷整治听取群众意见", 5, 21},
		{lianluo.ActivityForum, "民生实事项目征求意见座谈会", 6, 18},
	}
	for _, h := range held {
		day := time.Date(year, time.Month(h.month), h.day, 9, 0, 0, 0, lianluo.Beijing)
		if !day.Add(3 * time.Hour).Before(now) {
			continue
		}
		d := day.Format("2006-01-02")
		x, err := l.svc.Activities.CreateActivity(l.ctx, lianluo.ActivityInput{Kind: h.kind, Title: h.title, StationID: &s.ID,
			Content: "按年度活动计划组织。", StartsAt: d + "T09:00", EndsAt: d + "T11:30"})
		if err != nil {
			return fmt.Errorf("demo planned activity: %w", err)
		}
		if _, err := l.svc.Activities.RecordActivity(l.ctx, x.ID, x.Version, lianluo.ActivityRecord{
			Minutes: "站长主持，驻站代表参加，活动按计划完成。", Outcomes: "形成意见建议两条，已报街道人大工委。"}); err != nil {
			return fmt.Errorf("record demo planned activity: %w", err)
		}
	}
	return nil
}
