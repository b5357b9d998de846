package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lianluo"
)

// appraisals adds one 工作评议 (docs/appraisals.md): the district body
// appraises 北仑区住房和城乡建设局 (the unit account's) in the fourth quarter
// of the last year whose November has passed, every step up to 整改
// recorded on its day; of the two rectification items one is past its due
// date and not reported (the chase job tells the unit once), the other
// reported and waiting for the office's acceptance.
func (l *loader) appraisals() error {
	if l.clock == nil || l.svc.Appraisals == nil {
		return nil
	}
	now := l.clock.Now().In(lianluo.Beijing)
	year := now.Year()
	if now.Month() < time.December {
		year--
	}
	unitOrg, found, err := findOrg(l.ctx, l.svc, lianluo.OrgUnit, "北仑区住房和城乡建设局")
	if err != nil || !found {
		return err
	}
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	office, err := l.login("office")
	if err != nil {
		return err
	}
	unit, err := l.login("unit")
	if err != nil {
		return err
	}
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 10, 0, 0, 0, lianluo.Beijing) }
	date := func(t time.Time) string { return t.Format(time.DateOnly) }
	old := l.clock.Set(func() time.Time { return day(time.October, 20) })
	defer l.clock.Set(old)
	at := func(t time.Time) { l.clock.SetTime(t) }

	p, err := l.svc.Appraisals.CreateAppraisal(office.ctx, lianluo.AppraisalInput{OrgID: l.district.ID, Year: year,
		Title: fmt.Sprintf("%d年度部门工作评议", year), UnitIDs: []int64{unitOrg.ID}, ScheduledOn: date(day(time.November, 20))})
	if err != nil {
		return fmt.Errorf("demo appraisal: %w", err)
	}
	meeting, err := l.svc.Activities.CreateActivity(office.ctx, lianluo.ActivityInput{Kind: lianluo.ActivityAppraisal,
		Title: "评议区住房和城乡建设局工作", Content: "听取区住建局工作情况汇报，代表评议并进行民意测评。",
		Place: "区人大常委会第一会议室", StationID: &l.sts[center].ID,
		StartsAt: date(day(time.November, 20)) + "T09:00", EndsAt: date(day(time.November, 20)) + "T11:30"})
	if err != nil {
		return fmt.Errorf("demo appraisal meeting: %w", err)
	}
	steps := []struct {
		on time.Time
		in lianluo.AppraisalStepInput
	}{
		{day(time.November, 6), lianluo.AppraisalStepInput{Step: lianluo.StepCollect, Note: "向代表和选民征求对区住建局工作的意见，收到意见18条。"}},
		{day(time.November, 20), lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, ActivityID: &meeting.ID,
			Units: []lianluo.AppraisalStepUnit{{UnitID: unitOrg.ID, Report: "本年度完成老旧小区改造12个，新增公共停车泊位860个；群众反映较多的小区加装电梯、物业管理问题正在推进。"}}}},
		{day(time.November, 20), lianluo.AppraisalStepInput{Step: lianluo.StepBallot, Note: "到会代表42人：手机投票3人，纸质测评票39张。",
			Units: []lianluo.AppraisalStepUnit{{UnitID: unitOrg.ID, Tally: &lianluo.AppraisalTally{Satisfied: 25, Basic: 11, Unsatisfied: 3}}}}},
		{day(time.November, 24), lianluo.AppraisalStepInput{Step: lianluo.StepFindings,
			Units: []lianluo.AppraisalStepUnit{{UnitID: unitOrg.ID, Findings: "一、老旧小区改造中施工扰民问题群众反映较多，应加强文明施工管理；二、加装电梯协调机制不健全，进展偏慢；三、对代表和群众意见的答复不够及时。"}}}},
	}
	for _, s := range steps {
		at(s.on)
		if s.in.Step == lianluo.StepBallot && l.svc.Ballots != nil && p.Units[0].BallotID != nil {
			// A few of those present voted on their phones; the rest on paper (the step's counts).
			b, err := l.svc.Ballots.FindBallotByID(office.ctx, *p.Units[0].BallotID)
			if err != nil {
				return err
			}
			voter := lianluo.NewContextWithClientAddr(context.Background(), "10.0.0.20")
			for i, c := range []lianluo.BallotChoice{lianluo.ChoiceSatisfied, lianluo.ChoiceSatisfied, lianluo.ChoiceBasic} {
				if err := l.svc.Ballots.CastVote(voter, b.Token, lianluo.BallotVote{Phone: fmt.Sprintf("1395740%04d", 1201+i),
					Choices: map[string]lianluo.BallotChoice{lianluo.UnitBallotKey(unitOrg.ID): c}}); err != nil {
					return fmt.Errorf("demo appraisal vote: %w", err)
				}
			}
		}
		s.in.On, s.in.Version = date(s.on), p.Version
		if p, err = l.svc.Appraisals.RecordStep(office.ctx, p.ID, s.in); err != nil {
			return fmt.Errorf("demo appraisal step %s: %w", s.in.Step, err)
		}
	}
	at(day(time.November, 25))
	late, err := l.svc.Appraisals.AddRectification(office.ctx, p.ID, lianluo.RectificationInput{UnitID: unitOrg.ID,
		Text: "制定老旧小区改造文明施工管理办法，公布投诉电话", DueOn: date(day(time.November, 30))})
	if err != nil {
		return fmt.Errorf("demo rectification: %w", err)
	}
	_ = late // past due and not reported: the chase job's
	lift, err := l.svc.Appraisals.AddRectification(office.ctx, p.ID, lianluo.RectificationInput{UnitID: unitOrg.ID,
		Text: "建立加装电梯联席协调机制，每月通报进展", DueOn: date(day(time.December, 31))})
	if err != nil {
		return fmt.Errorf("demo rectification: %w", err)
	}
	if p, err = l.svc.Appraisals.RecordStep(office.ctx, p.ID, lianluo.AppraisalStepInput{Step: lianluo.StepRectify, On: date(day(time.November, 25)),
		Note: "评议意见和整改事项已书面送达区住建局。", Version: p.Version}); err != nil {
		return fmt.Errorf("demo appraisal step rectification: %w", err)
	}
	at(day(time.December, 3))
	if _, err := l.svc.Appraisals.ActOnRectification(unit.ctx, lift.ID, lianluo.RectReport, lianluo.RectDecision{
		Report: "已建立由住建、街道、社区和电梯企业参加的联席会议制度，首次会议于12月2日召开，进展每月在局网站通报。", Version: lift.Version}); err != nil {
		return fmt.Errorf("demo rectification report: %w", err)
	}
	return nil
}
