package demo

import (
	"fmt"
	"slices"

	"lianluo"
)

// caseSpec is one demo opinion and how far the workflow takes it.
type caseSpec struct {
	title, content, category, channel string
	until                             string // the status to drive it to
	urgent                            bool
}

// demoCases are opinions as a 大碶 station hears them, each driven through
// the real workflow to a different point so every list and page has content.
var demoCases = []caseSpec{
	{"小区路灯不亮", "灵岩社区庐山西路12号楼前两盏路灯坏了一个多月，晚上老人出行不便，请尽快修复。", "道路照明", "visit", lianluo.StatusRegistered, false},
	{"菜场门口占道经营", "大碶菜场东门早上摊贩占道，电动车和行人挤在一起，存在安全隐患。", "市场监管", "phone", lianluo.StatusRegistered, false},
	{"河道垃圾漂浮", "璎珞河靠近横杨路段有大量生活垃圾漂浮，天热有异味。", "水体污染", "home_visit", lianluo.StatusRegistered, true},
	{"希望增加社区老年食堂供餐", "社区老年食堂只供应午餐，独居老人希望增加晚餐供应。", "养老服务", "forum", lianluo.StatusAnswered, false},
	{"邻里房屋买卖纠纷", "与邻居的房屋买卖合同纠纷已在法院起诉，希望代表帮忙催一下。", "其他", "visit", lianluo.StatusNotAccepted, false},
	{"要求拓宽村道", "希望把村口道路拓宽到双车道。该路段已列入明年改造计划。", "道路维修", "visit", lianluo.StatusExplained, false},
	{"公交站台缺少遮雨棚", "新大路公交站没有遮雨棚，下雨天候车很不方便。", "公交线路", "letter", lianluo.StatusPendingApproval, false},
	{"学校门口接送拥堵", "大碶小学放学时段校门口车辆拥堵，建议设置临时停车区。", "停车管理", "mailbox", "escalated", false},
	{"老旧小区加装电梯", "灵岩小区多栋六层住宅老人居多，希望推进加装电梯。", "小区物业", "visit", lianluo.StatusAssigned, false},
	{"工地夜间施工噪声扰民", "庐山东路工地晚上十点后仍在施工，噪声影响休息。", "噪声扰民", "hotline", lianluo.StatusHandling, true},
	{"雨后路面积水严重", "长江路与太河路交叉口每逢大雨积水没过脚踝。", "道路维修", "visit", lianluo.StatusReplied, false},
	{"小区垃圾分类点设置不合理", "垃圾分类投放点紧挨住户窗户，夏天气味大。", "垃圾分类", "opinion_box", lianluo.StatusAwaitingEvaluation, false},
	{"农贸市场排水沟堵塞", "农贸市场排水沟长期堵塞，污水外溢。", "市场监管", "visit", lianluo.StatusSupervising, false},
	{"社区卫生服务站延长服务时间", "希望社区卫生服务站周末上午也能开诊。", "医疗卫生", "forum", lianluo.StatusClosed, false},
	{"人行道地砖破损", "太河路人行道多处地砖松动，老人容易绊倒。", "道路维修", "visit", lianluo.StatusArchived, false},
}

// cases registers the demo opinions at the 大碶 center station and drives
// each one through the workflow as the demo accounts would.
func (l *loader) cases() error {
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	st := l.sts[center]
	deps := l.ordinary(center)
	// The district housing bureau handles what reaches the district; its
	// handler acts through a real login.
	unitSess, err := l.svc.Auth.Login(l.ctx, "unit", Password, "")
	if err != nil {
		return fmt.Errorf("log in the unit account: %w", err)
	}
	unitActor, err := l.svc.Auth.Authenticate(l.ctx, unitSess.Token, "")
	if err != nil {
		return err
	}
	unitCtx := lianluo.NewContextWithActor(l.ctx, unitActor)
	unit := l.unitOrgs[0]
	for i, sp := range demoCases {
		in := lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: sp.channel, StationID: &st.ID, Title: sp.title,
			Content: sp.content, Category: sp.category, RegionCode: st.RegionCode, Location: "大碶街道",
			Submitter:  lianluo.Submitter{Name: l.g.name(l.g.female(0.5)), Phone: l.g.mobile()},
			ReceivedBy: []int64{deps[i%len(deps)].ID}, Urgent: sp.urgent}
		c, err := l.svc.Cases.CreateCase(l.ctx, in)
		if err != nil {
			return fmt.Errorf("demo case %q: %w", sp.title, err)
		}
		act := func(ctx2 bool, action string, a lianluo.CaseAction) error {
			ctx := l.ctx
			if ctx2 {
				ctx = unitCtx
			}
			a.Version = c.Version
			c, err = l.svc.Cases.Act(ctx, c.ID, action, a)
			if err != nil {
				return fmt.Errorf("demo case %q %s: %w", sp.title, action, err)
			}
			return nil
		}
		steps := []struct {
			unit   bool
			action string
			in     lianluo.CaseAction
			stop   string // stop after this step when driving to this status
		}{
			{false, "triage", lianluo.CaseAction{Outcome: "forward", Comment: "属区级部门职责，报送审核"}, lianluo.StatusPendingApproval},
			{false, "escalate", lianluo.CaseAction{Comment: "涉及区住建部门，报区人大常委会交办"}, "escalated"},
			{false, "approve", lianluo.CaseAction{LeadUnitID: &unit.ID, Comment: "请按期办理并与代表面商"}, lianluo.StatusAssigned},
			{true, "sign", lianluo.CaseAction{}, lianluo.StatusHandling},
			{true, "reply", lianluo.CaseAction{Result: "B", Content: "已现场查看，列入本季度维修计划，预计月底前完成。", MetDeputy: true}, lianluo.StatusReplied},
			{false, "feedback", lianluo.CaseAction{Content: "承办单位答复：已列入本季度维修计划，月底前完成。"}, lianluo.StatusAwaitingEvaluation},
		}
		switch sp.until {
		case lianluo.StatusRegistered:
			continue
		case lianluo.StatusAnswered:
			err = act(false, "triage", lianluo.CaseAction{Outcome: "answered", Answer: "已与社区对接，下月起试行晚餐供应。"})
		case lianluo.StatusNotAccepted:
			err = act(false, "triage", lianluo.CaseAction{Outcome: "not_accepted", ReasonCode: "litigation"})
		case lianluo.StatusExplained:
			err = act(false, "triage", lianluo.CaseAction{Outcome: "explained", Explanation: "该路段已列入明年道路改造计划，届时一并拓宽。"})
		default:
			for _, s := range steps {
				if err = act(s.unit, s.action, s.in); err != nil || s.stop == sp.until {
					break
				}
			}
			if err == nil && slices.Contains([]string{lianluo.StatusSupervising, lianluo.StatusClosed, lianluo.StatusArchived}, sp.until) {
				rating := "satisfied"
				if sp.until == lianluo.StatusSupervising {
					rating = "unsatisfied"
				}
				err = act(false, "evaluate", lianluo.CaseAction{By: "deputy", Rating: rating, Comment: "代表回访意见"})
				if err == nil && sp.until == lianluo.StatusArchived {
					err = act(false, "archive", lianluo.CaseAction{})
				}
			}
		}
		if err != nil {
			return err
		}
		l.res.Cases++
	}
	return nil
}
