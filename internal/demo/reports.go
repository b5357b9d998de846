package demo

import (
	"fmt"
	"time"

	"lianluo"
)

// reportPlans adds this year's 述职 plan of the demo town's group
// (docs/reports.md): the share of its deputies 004 asks for, the first of
// them reporting to the voters today at the group's station, with the
// written report recorded, 62 voters present, votes from the voters'
// phones and the paper ballots counted. The ballot stays open (until a day
// after the meeting) so that a visitor can vote, and close it.
func (l *loader) reportPlans() error {
	if l.svc.ReportPlans == nil || l.svc.Ballots == nil {
		return nil
	}
	g := l.groupsBy[demoTown]
	if g == nil || g.StationID == nil {
		return nil
	}
	full, err := l.svc.Groups.FindGroupByID(l.ctx, g.ID)
	if err != nil {
		return err
	}
	lo, _ := lianluo.ReportShare(len(full.Members))
	if lo == 0 {
		return nil
	}
	var ids []int64
	for _, m := range full.Members[:lo] {
		ids = append(ids, m.ID)
	}
	reporter := full.Members[0]

	// The store's clock when the group was made (a test's may be fixed):
	// the demo's dates count from it.
	now := full.CreatedAt.In(lianluo.Beijing)
	starts := now.Add(-150 * time.Minute).Truncate(30 * time.Minute)
	x, err := l.svc.Activities.CreateActivity(l.ctx, lianluo.ActivityInput{Kind: lianluo.ActivityReport, Title: reporter.Name + "代表向选民述职",
		Content: "向原选区选民报告履职情况，回答选民提问，听取选民评议意见。", Place: "联络站会议室", StationID: g.StationID,
		StartsAt: starts.Format("2006-01-02T15:04"), EndsAt: starts.Add(2 * time.Hour).Format("2006-01-02T15:04"), DeputyIDs: []int64{reporter.ID}})
	if err != nil {
		return fmt.Errorf("demo 述职: %w", err)
	}
	if x, err = l.svc.Activities.RecordActivity(l.ctx, x.ID, x.Version, lianluo.ActivityRecord{
		Minutes: "述职报告：本人当选以来，出席区人代会，提出建议5件；参加视察、调研活动8次；每月进站接待选民，收集意见建议23条，" +
			"推动解决了灵峰社区路灯、菜场周边停车等问题。下一步将继续密切联系选民，认真履职。会上回答了选民关于老旧小区改造的提问。",
		Outcomes: "选民建议加快老旧小区加装电梯进度。"}); err != nil {
		return fmt.Errorf("record demo 述职: %w", err)
	}
	if err := l.svc.Attendance.MarkAttendance(l.ctx, lianluo.KindActivity, x.ID, reporter.ID, lianluo.AttendPresent); err != nil {
		return fmt.Errorf("attendance at demo 述职: %w", err)
	}

	in := lianluo.ReportPlanInput{GroupID: g.ID, Year: now.Year(), DeputyIDs: ids}
	ws, err := l.svc.ReportPlans.ReportPlanWarnings(l.ctx, in)
	if err != nil {
		return err
	}
	if len(ws) > 0 {
		in.Reason = "按本届述职安排，本年度由以上代表述职。" // the demo's year may be a term's first
	}
	p, err := l.svc.ReportPlans.CreateReportPlan(l.ctx, in)
	if err != nil {
		return fmt.Errorf("demo 述职 plan: %w", err)
	}
	if p, err = l.svc.ReportPlans.LinkReport(l.ctx, p.ID, reporter.ID, lianluo.ReportLink{ActivityID: x.ID, VotersPresent: 62, Version: p.Deputies[0].Version}); err != nil {
		return fmt.Errorf("link demo 述职: %w", err)
	}
	b := p.Deputies[0].Ballot
	if b == nil || b.Token == "" {
		return nil
	}
	key := lianluo.DeputyItemKey(reporter.ID)
	comments := map[int]string{0: "代表经常到社区走访，办实事，点赞！", 3: "希望加装电梯的事情抓紧推进。", 13: "联系群众还不够多，希望多来小区听听意见。"}
	for i := range 14 {
		c := lianluo.ChoiceSatisfied
		switch {
		case i >= 13:
			c = lianluo.ChoiceDissatisfied
		case i >= 10:
			c = lianluo.ChoiceBasic
		}
		ctx := lianluo.NewContextWithClientAddr(l.ctx, fmt.Sprintf("192.0.2.%d", i+1))
		if err := l.svc.Ballots.CastVote(ctx, b.Token, lianluo.BallotVote{Choices: map[string]lianluo.BallotChoice{key: c},
			Phone: fmt.Sprintf("1370574%04d", 1000+i*37), Comment: comments[i]}); err != nil {
			return fmt.Errorf("demo vote: %w", err)
		}
	}
	if _, err := l.svc.Ballots.SetBallotPaper(l.ctx, b.ID, lianluo.BallotPaper{Version: b.PaperVersion,
		Items: []lianluo.PaperCount{{Key: key, ChoiceCounts: lianluo.ChoiceCounts{Satisfied: 40, Basic: 6, Dissatisfied: 1}}}}); err != nil {
		return fmt.Errorf("demo paper ballots: %w", err)
	}
	return nil
}
