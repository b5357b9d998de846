package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lianluo"
)

// caseSpec is one demo opinion and how far the workflow takes it.
type caseSpec struct {
	title, content, category, channel string
	until                             lianluo.CaseStatus // the status to drive it to
	urgent                            bool
	daysAgo                           int  // received this many days before the load
	town                              bool // assigned by the town to its street office, else escalated to the district
	reply                             string
	result                            string // 办理结果 A/B/C of the reply
	feedback                          string // what the station tells the voter
}

// demoCases are opinions as a 大碶 station hears them over the past eight
// months, each driven through the real workflow to a different point so
// every list, statistic and ledger has content. Each answer is its own.
var demoCases = []caseSpec{
	{title: "小区路灯不亮", content: "灵岩社区庐山西路12号楼前两盏路灯坏了一个多月，晚上老人出行不便，请尽快修复。", category: "道路照明", channel: "visit",
		until: lianluo.StatusRegistered, daysAgo: 2},
	{title: "菜场门口占道经营", content: "大碶菜场东门早上摊贩占道，电动车和行人挤在一起，存在安全隐患。", category: "市场监管", channel: "phone",
		until: lianluo.StatusRegistered, daysAgo: 4},
	{title: "河道垃圾漂浮", content: "璎珞河靠近横杨路段有大量生活垃圾漂浮，天热有异味。", category: "水体污染", channel: "home_visit",
		until: lianluo.StatusRegistered, urgent: true, daysAgo: 1},
	{title: "希望增加社区老年食堂供餐", content: "社区老年食堂只供应午餐，独居老人希望增加晚餐供应。", category: "养老服务", channel: "forum",
		until: lianluo.StatusAnswered, daysAgo: 75},
	{title: "邻里房屋买卖纠纷", content: "与邻居的房屋买卖合同纠纷已在法院起诉，希望代表帮忙催一下。", category: "其他", channel: "visit",
		until: lianluo.StatusNotAccepted, daysAgo: 110},
	{title: "要求拓宽村道", content: "希望把村口道路拓宽到双车道。该路段已列入明年改造计划。", category: "道路维修", channel: "visit",
		until: lianluo.StatusExplained, daysAgo: 160},
	{title: "公交站台缺少遮雨棚", content: "新大路公交站没有遮雨棚，下雨天候车很不方便。", category: "公交线路", channel: "letter",
		until: lianluo.StatusPendingApproval, daysAgo: 6},
	{title: "学校门口接送拥堵", content: "大碶小学放学时段校门口车辆拥堵，建议设置临时停车区。", category: "停车管理", channel: "mailbox",
		until: "escalated", daysAgo: 9},
	{title: "老旧小区加装电梯", content: "灵岩小区多栋六层住宅老人居多，希望推进加装电梯。", category: "小区物业", channel: "visit",
		until: lianluo.StatusAssigned, daysAgo: 14},
	{title: "工地夜间施工噪声扰民", content: "庐山东路工地晚上十点后仍在施工，噪声影响休息。", category: "噪声扰民", channel: "hotline",
		until: lianluo.StatusHandling, urgent: true, daysAgo: 12},
	{title: "雨后路面积水严重", content: "长江路与太河路交叉口每逢大雨积水没过脚踝。", category: "道路维修", channel: "visit",
		until: lianluo.StatusReplied, daysAgo: 26, result: "B",
		reply: "经现场踏勘，积水原因是交叉口雨水井口径偏小、连接管淤堵。已完成管道疏通，扩容改造列入明年一季度市政排水项目，汛期前完工。"},
	{title: "小区垃圾分类点设置不合理", content: "垃圾分类投放点紧挨住户窗户，夏天气味大。", category: "垃圾分类", channel: "opinion_box",
		until: lianluo.StatusAwaitingEvaluation, daysAgo: 40, town: true, result: "A",
		reply:    "街道城管科会同社区、物业现场协商，已将投放点向东移至小区停车场入口旁，距最近住户窗户20米以上，并加装了除臭喷淋。",
		feedback: "您反映的垃圾分类投放点问题，街道已会同社区和物业把投放点移到停车场入口旁，离住户20米以上，还加装了除臭喷淋。"},
	{title: "农贸市场排水沟堵塞", content: "农贸市场排水沟长期堵塞，污水外溢。", category: "市场监管", channel: "visit",
		until: lianluo.StatusSupervising, daysAgo: 70, town: true, result: "B",
		reply:    "已督促市场开办方清掏排水沟一次；彻底解决需更换排水管道，开办方承诺结合市场提升改造一并实施。",
		feedback: "排水沟已清掏一次，更换排水管道要等市场提升改造时一并实施，街道会继续督促。"},
	{title: "社区卫生服务站延长服务时间", content: "希望社区卫生服务站周末上午也能开诊。", category: "医疗卫生", channel: "forum",
		until: lianluo.StatusClosed, daysAgo: 130, town: true, result: "A",
		reply:    "街道与大碶社区卫生服务中心协调，灵岩社区卫生服务站自下月起周六上午8:00—11:30开诊，提供常见病诊疗和慢病配药。",
		feedback: "灵岩社区卫生服务站从下个月起周六上午8:00到11:30开诊，可以看常见病、配慢病药。"},
	{title: "人行道地砖破损", content: "太河路人行道多处地砖松动，老人容易绊倒。", category: "道路维修", channel: "visit",
		until: lianluo.StatusArchived, daysAgo: 230, result: "A",
		reply:    "已对太河路（长江路至庐山东路段）人行道松动地砖全部翻修，共更换透水砖约320平方米，并对沿线窨井盖进行了加固。",
		feedback: "太河路人行道松动的地砖已经全部翻修好了，沿线窨井盖也做了加固，欢迎您继续监督。"},
}

// cases registers the demo opinions at the 大碶 center station and drives
// each one through the workflow as the demo accounts would: the town's own
// opinions are assigned by townleader to the street office (townunit); the
// others go up to the district, where leader assigns them to the housing
// bureau (unit).
func (l *loader) cases() error {
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	st := l.sts[center]
	deps := l.ordinary(center)
	ctxs := map[string]*loginCtx{}
	for _, u := range []string{"unit", "townunit", "leader", "townleader"} {
		c, err := l.login(u)
		if err != nil {
			return err
		}
		ctxs[u] = c
	}
	cal, err := l.svc.Settings.Calendar(l.ctx)
	if err != nil {
		return err
	}
	realNow := time.Now()
	var at time.Time // the demo's clock while a case is worked
	if l.clock != nil {
		old := l.clock.Set(func() time.Time { return at })
		defer l.clock.Set(old)
		realNow = old()
	}
	// advance moves the clock n working days on, to 9:30 plus a little on
	// that day, never past the real time.
	advance := func(n int, minutes int) {
		d := cal.AddWorkdays(at, n).In(lianluo.Beijing)
		t := time.Date(d.Year(), d.Month(), d.Day(), 9, 30+minutes, 0, 0, lianluo.Beijing)
		if t.After(realNow) {
			t = realNow
		}
		if t.Before(at) {
			t = at
		}
		at = t
	}
	for i, sp := range demoCases {
		at = realNow.AddDate(0, 0, -sp.daysAgo)
		advance(0, 7*i)
		in := lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: sp.channel, StationID: &st.ID, Title: sp.title,
			Content: sp.content, Category: sp.category, RegionCode: st.RegionCode, Location: "大碶街道",
			Submitter:  lianluo.Submitter{Name: l.g.name(l.g.female(0.5)), Phone: l.g.mobile()},
			ReceivedBy: []int64{deps[i%len(deps)].ID}, Urgent: sp.urgent}
		c, err := l.svc.Cases.CreateCase(l.ctx, in)
		if err != nil {
			return fmt.Errorf("demo case %q: %w", sp.title, err)
		}
		act := func(who string, days int, action lianluo.WorkflowAction, a lianluo.CaseAction) error {
			advance(days, 10+7*i)
			ctx := l.ctx
			if who != "" {
				ctx = ctxs[who].ctx
			}
			a.Version = c.Version
			c, err = l.svc.Cases.Act(ctx, c.ID, action, a)
			if err != nil {
				return fmt.Errorf("demo case %q %s: %w", sp.title, action, err)
			}
			return nil
		}
		type step struct {
			who    string // the demo account acting; "" the administrator
			days   int    // working days after the previous step
			action lianluo.WorkflowAction
			in     lianluo.CaseAction
			stop   lianluo.CaseStatus // stop after this step when driving to this status
		}
		var steps []step
		if sp.town {
			steps = []step{
				{"", 1, "triage", lianluo.CaseAction{Outcome: "forward", Comment: "属街道职责，报街道人大工委主任审核交办"}, lianluo.StatusPendingApproval},
				{"townleader", 1, "approve", lianluo.CaseAction{LeadUnitID: &ctxs["townunit"].org, Comment: "请街道办事处按期办理并答复代表"}, lianluo.StatusAssigned},
			}
		} else {
			steps = []step{
				{"", 1, "triage", lianluo.CaseAction{Outcome: "forward", Comment: "属区级部门职责，报送审核"}, lianluo.StatusPendingApproval},
				{"", 1, "escalate", lianluo.CaseAction{Comment: "涉及区住建部门，报区人大常委会交办"}, "escalated"},
				{"leader", 2, "approve", lianluo.CaseAction{LeadUnitID: &ctxs["unit"].org, Comment: "请按期办理并与代表面商"}, lianluo.StatusAssigned},
			}
		}
		handler := "unit"
		if sp.town {
			handler = "townunit"
		}
		feedback := sp.feedback
		if feedback == "" {
			feedback = "承办单位答复：" + sp.reply
		}
		steps = append(steps,
			step{handler, 1, "sign", lianluo.CaseAction{}, lianluo.StatusHandling},
			step{handler, 8, "reply", lianluo.CaseAction{Result: sp.result, Content: sp.reply, MetDeputy: true}, lianluo.StatusReplied},
			step{"", 2, "feedback", lianluo.CaseAction{Content: feedback}, lianluo.StatusAwaitingEvaluation},
		)
		switch sp.until {
		case lianluo.StatusRegistered:
			l.res.Cases++
			continue
		case lianluo.StatusAnswered:
			err = act("", 1, "triage", lianluo.CaseAction{Outcome: "answered", Answer: "已与社区对接，下月起试行晚餐供应。"})
		case lianluo.StatusNotAccepted:
			err = act("", 1, "triage", lianluo.CaseAction{Outcome: "not_accepted", ReasonCode: "litigation"})
		case lianluo.StatusExplained:
			err = act("", 1, "triage", lianluo.CaseAction{Outcome: "explained", Explanation: "该路段已列入明年道路改造计划，届时一并拓宽。"})
		default:
			for _, s := range steps {
				if err = act(s.who, s.days, s.action, s.in); err != nil || s.stop == sp.until {
					break
				}
			}
			if err == nil && slices.Contains([]lianluo.CaseStatus{lianluo.StatusSupervising, lianluo.StatusClosed, lianluo.StatusArchived}, sp.until) {
				rating, comment := "satisfied", "回访选民，对办理结果表示满意。"
				if sp.until == lianluo.StatusSupervising {
					rating, comment = "unsatisfied", "清掏后一周又堵，选民不满意，请继续督办。"
				}
				err = act("", 5, "evaluate", lianluo.CaseAction{By: "deputy", Rating: rating, Comment: comment})
				if err == nil && sp.until == lianluo.StatusArchived {
					err = act("", 10, "archive", lianluo.CaseAction{})
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

// loginCtx is a demo account signed in: its context and its org.
type loginCtx struct {
	ctx context.Context
	org int64
}

// login signs a demo account in, as the workflow steps are taken by the
// people who would take them.
func (l *loader) login(username string) (*loginCtx, error) {
	sess, err := l.svc.Auth.Login(l.ctx, username, Password, "")
	if err != nil {
		return nil, fmt.Errorf("log in the %s account: %w", username, err)
	}
	a, err := l.svc.Auth.Authenticate(l.ctx, sess.Token, "")
	if err != nil {
		return nil, err
	}
	lc := &loginCtx{ctx: lianluo.NewContextWithActor(l.ctx, a)}
	for _, g := range a.User.Roles {
		if g.OrgID != nil {
			lc.org = *g.OrgID
		}
	}
	return lc, nil
}
