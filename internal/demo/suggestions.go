package demo

import (
	"fmt"
	"slices"
	"time"

	"lianluo"
)

// suggestions adds the district congress session held in January and its
// deputies' suggestions (docs/suggestions.md), each taken as far as its
// people would have by now: one answered and closed, one redone after an
// unsatisfied evaluation and under key supervision, a bill the 主席团 did
// not put on the agenda and turned into a suggestion, one written between
// sessions waiting to be transferred, and two drafts — the demo deputy's own
// and one they are invited to co-sign, so the phone shows an invitation.
func (l *loader) suggestions() error {
	if l.clock == nil || l.svc.Congress == nil {
		return nil
	}
	now := l.clock.Now().In(lianluo.Beijing)
	year := now.Year()
	if now.Month() < time.June {
		year-- // the session's handling has had its months
	}
	office, err := l.login("office")
	if err != nil {
		return err
	}
	leader, err := l.login("leader")
	if err != nil {
		return err
	}
	unit, err := l.login("unit")
	if err != nil {
		return err
	}
	me, err := l.login("deputy")
	if err != nil {
		return err
	}
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	mine := l.deps[center][2] // the deputy account's
	// Colleagues: in-office county deputies of other stations, in a fixed order.
	var colleagues []*lianluo.Deputy
	for i, ds := range l.deps {
		for _, d := range ds {
			if i != center && d != nil && d.ID != mine.ID && len(colleagues) < 12 && !slices.ContainsFunc(colleagues, func(x *lianluo.Deputy) bool { return x.ID == d.ID }) {
				colleagues = append(colleagues, d)
			}
		}
	}
	if len(colleagues) < 12 {
		return fmt.Errorf("demo suggestions: %d colleagues; want 12", len(colleagues))
	}
	as := func(d *lianluo.Deputy) *loginCtx {
		return &loginCtx{ctx: lianluo.NewContextWithActor(l.ctx, &lianluo.Actor{
			User:  &lianluo.User{DisplayName: d.Name, Roles: []lianluo.Grant{{Role: lianluo.RoleDeputy, DeputyID: &d.ID}}},
			Scope: lianluo.Scope{Deputies: []int64{d.ID}}})}
	}
	at := func(t time.Time) { l.clock.SetTime(t) }
	day := func(m time.Month, d, h int) time.Time { return time.Date(year, m, d, h, 0, 0, 0, lianluo.Beijing) }
	defer l.clock.Set(func() time.Time { return now })

	at(day(time.January, 3, 10))
	s, err := l.svc.Congress.CreateSession(office.ctx, lianluo.SessionInput{OrgID: l.district.ID,
		Name: "北仑区第十八届人民代表大会第" + []string{"一", "二", "三", "四", "五", "六", "七", "八", "九"}[min(max(year-2022, 0), 8)] + "次会议", StartsOn: day(time.January, 8, 0).Format(time.DateOnly),
		EndsOn: day(time.January, 10, 0).Format(time.DateOnly)})
	if err != nil {
		return fmt.Errorf("demo session: %w", err)
	}
	act := func(who *loginCtx, id int64, action lianluo.WorkflowAction, in lianluo.CaseAction) error {
		c, err := l.svc.Cases.FindCaseByID(who.ctx, id)
		if err != nil {
			return fmt.Errorf("demo suggestion %d before %s: %w", id, action, err)
		}
		in.Version = c.Version
		if _, err := l.svc.Cases.Act(who.ctx, id, action, in); err != nil {
			return fmt.Errorf("demo suggestion %d %s: %w", id, action, err)
		}
		return nil
	}
	type step struct {
		at     time.Time
		who    *loginCtx
		action lianluo.WorkflowAction
		in     lianluo.CaseAction
	}
	raise := func(who *loginCtx, in lianluo.CaseInput, cosign []*lianluo.Deputy, steps []step) (int64, error) {
		c, err := l.svc.Cases.CreateCase(who.ctx, in)
		if err != nil {
			return 0, fmt.Errorf("demo suggestion %q: %w", in.Title, err)
		}
		for _, d := range cosign {
			if err := act(as(d), c.ID, lianluo.ActCosign, lianluo.CaseAction{}); err != nil {
				return 0, err
			}
		}
		for _, st := range steps {
			if !st.at.IsZero() {
				at(st.at)
			}
			if err := act(st.who, c.ID, st.action, st.in); err != nil {
				return 0, err
			}
		}
		return c.ID, nil
	}
	lead := func(id int64) *int64 { return &id }
	unitID := l.unitOrgs[0].ID

	// Raised at the session, answered A after a meeting on site, satisfied.
	at(day(time.January, 9, 15))
	if _, err := raise(me, lianluo.CaseInput{Kind: lianluo.KindSuggestion, SessionID: &s.ID, LeadDeputyID: lead(mine.ID),
		CosignerIDs: []int64{colleagues[0].ID, colleagues[1].ID}, Category: "交通出行",
		Title:     "关于在新碶菜场东门增设公交停靠站的建议",
		Content:   "新碶菜场周边居住着大量老年居民，附近没有公交停靠站，买菜出行不便。",
		Reasons:   "菜场东门距最近的公交站约1.2公里，老人步行需二十多分钟，雨天尤其困难；群众在代表接待日多次反映。",
		Proposals: "一、在菜场东门增设公交停靠站；二、优化途经线路的发车间隔；三、站台设置遮雨棚和座椅。"},
		[]*lianluo.Deputy{colleagues[0], colleagues[1]},
		[]step{
			{time.Time{}, me, lianluo.ActSubmit, lianluo.CaseAction{}},
			{day(time.January, 20, 10), office, lianluo.ActTransfer, lianluo.CaseAction{LeadUnitID: &unitID}},
			{day(time.January, 21, 9), unit, lianluo.ActSign, lianluo.CaseAction{}},
			{day(time.March, 10, 15), unit, lianluo.ActConsult, lianluo.CaseAction{HeldOn: day(time.March, 10, 0).Format(time.DateOnly),
				Form: "in_person", Deputies: mine.Name + "、" + colleagues[0].Name, Notes: "与代表到菜场东门现场查看，商定站点设在东门北侧绿化带。"}},
			{day(time.March, 20, 10), unit, lianluo.ActReply, lianluo.CaseAction{Result: "A",
				Content: "经与公交公司研究，已在新碶菜场东门北侧增设公交停靠站，途经2条线路，站台设遮雨棚和座椅，已于3月18日启用。"}},
			{day(time.March, 25, 16), me, lianluo.ActEvaluate, lianluo.CaseAction{By: lianluo.ByDeputy, Rating: "satisfied", Comment: "站点已启用，群众反映很好。"}},
		}); err != nil {
		return err
	}

	// Answered B, judged not enough: redone under key supervision.
	at(day(time.January, 9, 16))
	other := as(colleagues[2])
	if _, err := raise(other, lianluo.CaseInput{Kind: lianluo.KindSuggestion, SessionID: &s.ID, LeadDeputyID: lead(colleagues[2].ID),
		CosignerIDs: []int64{mine.ID}, Category: "城乡建设",
		Title:     "关于加快老旧小区加装电梯的建议",
		Content:   "大碶、新碶一带上世纪九十年代建成的老旧小区多为六层无电梯住宅，老人上下楼困难。",
		Reasons:   "加装电梯意愿强烈，但审批环节多、补助申请慢，低层住户协调难。",
		Proposals: "简化审批，推行一站式受理；提高补助并缩短拨付时间；由街道和社区牵头协调。"},
		[]*lianluo.Deputy{mine},
		[]step{
			{time.Time{}, other, lianluo.ActSubmit, lianluo.CaseAction{}},
			{day(time.January, 20, 11), office, lianluo.ActTransfer, lianluo.CaseAction{LeadUnitID: &unitID}},
			{day(time.January, 22, 9), unit, lianluo.ActSign, lianluo.CaseAction{}},
			{day(time.February, 5, 10), leader, lianluo.ActMarkKey, lianluo.CaseAction{Supervisor: "区人大常委会代表工委主任"}},
			{day(time.April, 2, 15), unit, lianluo.ActConsult, lianluo.CaseAction{HeldOn: day(time.April, 2, 0).Format(time.DateOnly),
				Form: "forum", Deputies: colleagues[2].Name + "、" + mine.Name, Notes: "召开座谈会，听取代表对审批流程和补助标准的意见。"}},
			{day(time.April, 15, 10), unit, lianluo.ActReply, lianluo.CaseAction{Result: "B",
				Content: "已将老旧小区加装电梯列入年度民生实事，审批流程正在梳理，补助标准拟于下半年调整。"}},
			{day(time.April, 20, 10), other, lianluo.ActEvaluate, lianluo.CaseAction{By: lianluo.ByDeputy, Rating: "unsatisfied", Comment: "审批时限和补助标准没有明确时间表。"}},
			{now.AddDate(0, 0, -10), office, lianluo.ActRedo, lianluo.CaseAction{Comment: "请明确审批时限和补助调整的时间表，重新答复代表。"}},
		}); err != nil {
		return err
	}

	// A bill of ten deputies the 主席团 handled as a suggestion.
	at(day(time.January, 8, 17))
	var signers []int64
	for _, d := range colleagues[3:12] {
		signers = append(signers, d.ID)
	}
	billLead := as(colleagues[3])
	if _, err := raise(billLead, lianluo.CaseInput{Kind: lianluo.KindBill, SessionID: &s.ID, LeadDeputyID: lead(colleagues[3].ID),
		CosignerIDs: append(signers[1:], mine.ID), Category: "生态环境",
		Title:     "关于制定北仑区河道保洁长效管理办法的议案",
		Content:   "全区河道保洁责任分散，部分河段垃圾漂浮、长期无人清理。",
		Reasons:   "河道保洁涉及水利、环卫和街道多个部门，职责交叉，缺乏统一考核。",
		Proposals: "制定河道保洁长效管理办法，明确责任主体、经费保障和考核办法。"},
		append(colleagues[4:12], mine),
		[]step{
			{time.Time{}, billLead, lianluo.ActSubmit, lianluo.CaseAction{}},
			{day(time.January, 10, 9), office, lianluo.ActConvertToSuggestion, lianluo.CaseAction{Comment: "经主席团审议，所提事项属区人民政府职权范围，转为建议交区人民政府办理。"}},
			{day(time.January, 20, 14), office, lianluo.ActTransfer, lianluo.CaseAction{LeadUnitID: &unitID}},
		}); err != nil {
		return err
	}

	// Written between sessions, waiting for the office to transfer it.
	at(now.AddDate(0, 0, -5))
	if _, err := raise(me, lianluo.CaseInput{Kind: lianluo.KindSuggestion, OrgID: &l.district.ID, LeadDeputyID: lead(mine.ID),
		Category: "市政设施", Title: "关于整治庐山西路积水点的建议",
		Content: "庐山西路与明州路交叉口一带每逢大雨积水严重，行人和非机动车通行困难。",
		Reasons: "排水管网老化，雨水口堵塞，群众多次在代表信箱中反映。", Proposals: "排查疏通雨水管网，增设雨水口，汛期前完成改造。"},
		nil, []step{{time.Time{}, me, lianluo.ActSubmit, lianluo.CaseAction{}}}); err != nil {
		return err
	}

	// Drafts: the demo deputy's own, and a colleague's inviting them.
	at(now.AddDate(0, 0, -2))
	if _, err := raise(me, lianluo.CaseInput{Kind: lianluo.KindSuggestion, OrgID: &l.district.ID, LeadDeputyID: lead(mine.ID),
		CosignerIDs: []int64{colleagues[0].ID}, Category: "教育",
		Title:   "关于增加小学放学后托管服务的建议",
		Content: "双职工家庭接送孩子困难，部分学校课后托管名额不足。"}, nil, nil); err != nil {
		return err
	}
	at(now.AddDate(0, 0, -1))
	if _, err := raise(as(colleagues[1]), lianluo.CaseInput{Kind: lianluo.KindSuggestion, OrgID: &l.district.ID, LeadDeputyID: lead(colleagues[1].ID),
		CosignerIDs: []int64{mine.ID}, Category: "养老服务",
		Title:   "关于在各街道建设老年食堂的建议",
		Content: "独居和高龄老人就餐难，建议每个街道至少建设一处老年食堂，提供助餐配送。"}, nil, nil); err != nil {
		return err
	}
	return nil
}
