package demo

import (
	"fmt"
	"slices"

	"lianluo"
)

// dutyRecords adds the demo deputy's 履职登记 (docs/duty-records.md): a
// good deed the station confirmed, a survey returned for more detail, and
// a visit to a family in difficulty still waiting for the station.
func (l *loader) dutyRecords() error {
	if l.svc.DutyRecords == nil {
		return nil
	}
	// The demo deputy account's (users): slot 2 of the town's center station.
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	if center < 0 || center >= len(l.sts) || len(l.deps[center]) < 3 {
		return nil
	}
	s, d := l.sts[center], l.deps[center][2]
	now := s.CreatedAt.In(lianluo.Beijing)
	day := func(days int) string { return now.AddDate(0, 0, -days).Format("2006-01-02") }
	ctx := lianluo.NewContextWithActor(l.ctx, &lianluo.Actor{
		User:  &lianluo.User{DisplayName: d.Name, Roles: []lianluo.Grant{{Role: lianluo.RoleDeputy, DeputyID: &d.ID}}},
		Scope: lianluo.Scope{Deputies: []int64{d.ID}, Stations: []int64{s.ID}}})
	for _, x := range []struct {
		in       lianluo.DutyRecordInput
		decision lianluo.DutyDecision
	}{
		{lianluo.DutyRecordInput{Kind: lianluo.DutyGoodDeed, Date: day(9),
			Description: "协调社区和物业为灵峰社区3号楼更换楼道灯12盏，并约定每月巡查一次。"},
			lianluo.DutyDecision{Decision: lianluo.DutyDecideConfirm}},
		{lianluo.DutyRecordInput{Kind: lianluo.DutySurvey, Date: day(5),
			Description: "在新碶菜场周边走访摊主和居民，了解早市占道情况。"},
			lianluo.DutyDecision{Decision: lianluo.DutyDecideReturn, Reason: "请补充走访人数和调查结论。"}},
		{lianluo.DutyRecordInput{Kind: lianluo.DutyAid, Date: day(2),
			Description: "看望结对帮扶的困难户陈阿婆，帮助申请临时救助。"}, lianluo.DutyDecision{}},
	} {
		r, err := l.svc.DutyRecords.CreateDutyRecord(ctx, x.in)
		if err != nil {
			return fmt.Errorf("demo duty record: %w", err)
		}
		if x.decision.Decision == "" {
			continue // waits for the station
		}
		x.decision.Version = r.Version
		if _, err := l.svc.DutyRecords.DecideDutyRecord(l.ctx, r.ID, x.decision); err != nil {
			return fmt.Errorf("decide demo duty record: %w", err)
		}
	}
	return nil
}
