package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/regiondata"
)

// CaseGenerator makes realistic opinions of the demo district with their
// whole history, for bulk loads (lianluo demo --cases N): varied titles and
// contents from about fifty matters, categories, channels, the demo's
// stations, villages, deputies and units, registered over the three years
// before now and worked through the workflow as far as their age makes
// likely — most old ones closed or archived, recent ones still open, some
// past their deadline. Each case is a complete lianluo.Case for
// sqlstore.BulkCreateCases: the row, ReceivedBy, Units, Reply, Ratings and
// Events, the history as the workflow (lianluo.DecideStep) would have
// written it.
type CaseGenerator struct {
	r        *rand.Rand
	now      time.Time
	district *lianluo.Org
	stations []*bulkStation
	weights  int
	units    map[string]*lianluo.Org // by name
}

type bulkStation struct {
	st       *lianluo.Station
	weight   int
	town     string   // the town's name
	villages []string // region codes of the town's villages, for a town's station
	body     *lianluo.Org
	townUnit *lianluo.Org // the town's own handling unit, if it has one
	leader   string       // the name on the town body's approvals
}

// NewCaseGenerator reads the demo district (loaded by Load) through the
// services. ctx must carry an administrator. now is the end of the three
// years the cases are registered in; seed chooses the cases.
func NewCaseGenerator(ctx context.Context, svc lianluo.Services, now time.Time, seed uint64) (*CaseGenerator, error) {
	district, found, err := findOrg(ctx, svc, lianluo.OrgNPC, districtBody)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("demo cases: the demo district is not loaded")
	}
	g := &CaseGenerator{r: rand.New(rand.NewPCG(seed, 20260302)), now: now, district: district, units: map[string]*lianluo.Org{}}
	orgs, _, err := svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Page: lianluo.AllRows()})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*lianluo.Org{}
	for _, o := range orgs {
		byID[o.ID] = o
		if o.Kind == lianluo.OrgUnit {
			g.units[o.Name] = o
		}
	}
	villages := map[string][]string{}
	names := map[string]string{}
	if err := regiondata.Walk(district.RegionCode, func(r regiondata.Record) error {
		names[r.Code] = r.Name
		if r.Level == regiondata.LevelVillage {
			villages[r.ParentCode] = append(villages[r.ParentCode], r.Code)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	sts, _, err := svc.Stations.FindStations(ctx, lianluo.StationFilter{Page: lianluo.AllRows()})
	if err != nil {
		return nil, err
	}
	for _, st := range sts {
		body := byID[st.OrgID]
		if body == nil || !strings.HasPrefix(st.RegionCode, district.RegionCode) || len(st.DeputyIDs) == 0 {
			continue // not the demo's
		}
		town := st.RegionCode[:min(len(st.RegionCode), 9)]
		bs := &bulkStation{st: st, town: names[town], body: body, leader: body.Contact}
		// Center stations hear most; a village station its own village.
		switch st.Kind {
		case lianluo.StationCenter:
			bs.weight, bs.villages = 5, villages[town]
		case lianluo.StationHome:
			bs.weight, bs.villages = 3, villages[town]
		default:
			bs.weight = 2
		}
		for _, u := range units {
			if u.region == town {
				bs.townUnit = g.units[u.name]
			}
		}
		g.stations = append(g.stations, bs)
		g.weights += bs.weight
	}
	if len(g.stations) == 0 {
		return nil, fmt.Errorf("demo cases: the demo district has no stations with deputies")
	}
	return g, nil
}

// Cases returns cases start … start+n-1 of total: case i is registered at
// i/total of the way through the three years before now, so a load's
// cases come oldest first.
func (g *CaseGenerator) Cases(start, n, total int) []*lianluo.Case {
	out := make([]*lianluo.Case, 0, n)
	for i := start; i < start+n; i++ {
		out = append(out, g.one(i, total))
	}
	return out
}

const bulkSpan = 3 * 365 * 24 * time.Hour

// Status by age, as in the case-list benchmark: what a case registered
// that long ago has most likely become.
var (
	bulkNew = Weighted[lianluo.CaseStatus]{{lianluo.StatusRegistered, 60}, {lianluo.StatusAnswered, 15}, {lianluo.StatusExplained, 5},
		{lianluo.StatusPendingApproval, 15}, {lianluo.StatusNotAccepted, 5}}
	bulkMonth = Weighted[lianluo.CaseStatus]{{lianluo.StatusRegistered, 3}, {lianluo.StatusAnswered, 15}, {lianluo.StatusExplained, 8},
		{lianluo.StatusNotAccepted, 3}, {lianluo.StatusPendingApproval, 6}, {lianluo.StatusAssigned, 8}, {lianluo.StatusHandling, 45},
		{lianluo.StatusReplied, 8}, {lianluo.StatusAwaitingEvaluation, 4}}
	bulkYear = Weighted[lianluo.CaseStatus]{{lianluo.StatusAnswered, 150}, {lianluo.StatusExplained, 80}, {lianluo.StatusNotAccepted, 30},
		{lianluo.StatusPendingApproval, 3}, {lianluo.StatusAssigned, 3}, {lianluo.StatusHandling, 30}, {lianluo.StatusReplied, 20},
		{lianluo.StatusAwaitingEvaluation, 30}, {lianluo.StatusSupervising, 15}, {lianluo.StatusClosed, 619}, {lianluo.StatusArchived, 20}}
	bulkOld = Weighted[lianluo.CaseStatus]{{lianluo.StatusAnswered, 80}, {lianluo.StatusExplained, 50}, {lianluo.StatusNotAccepted, 20},
		{lianluo.StatusClosed, 100}, {lianluo.StatusArchived, 750}}
	// Channels are how opinions reach a station, by share (the store's
	// benchmarks use them too).
	Channels = Weighted[string]{{"visit", 35}, {"phone", 15}, {"online", 15}, {"home_visit", 10}, {"letter", 5},
		{"mailbox", 5}, {"diary", 5}, {"opinion_box", 3}, {"forum", 4}, {"hotline", 3}}
)

// Weighted is a choice among values by weight (Pick), for the generated
// opinions and the store's benchmarks.
type Weighted[T any] []struct {
	V T
	W int
}

// Pick chooses one value, each as likely as its weight.
func (ws Weighted[T]) Pick(r *rand.Rand) T {
	total := 0
	for _, x := range ws {
		total += x.W
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.W {
			return x.V
		}
		n -= x.W
	}
	return ws[len(ws)-1].V
}

var bulkTopicTotal = func() int {
	n := 0
	for _, t := range bulkTopics {
		n += t.weight
	}
	return n
}()

func (g *CaseGenerator) topic() *bulkTopic {
	n := g.r.IntN(bulkTopicTotal)
	for i := range bulkTopics {
		if n < bulkTopics[i].weight {
			return &bulkTopics[i]
		}
		n -= bulkTopics[i].weight
	}
	return &bulkTopics[0]
}

// The district department answering each category.
var bulkUnitOf = map[string]string{
	"道路照明": "北仑区住房和城乡建设局", "小区物业": "北仑区住房和城乡建设局", "城乡建设": "北仑区住房和城乡建设局",
	"违章建筑": "北仑区综合行政执法局", "垃圾分类": "北仑区综合行政执法局",
	"公交线路": "北仑区交通运输局", "道路维修": "北仑区交通运输局", "交通出行": "北仑区交通运输局",
	"停车管理": "宁波市公安局北仑分局", "社会治安": "宁波市公安局北仑分局",
	"养老服务": "北仑区民政局", "民政服务": "北仑区民政局",
	"教育": "北仑区教育局", "医疗卫生": "北仑区卫生健康局",
	"就业创业": "北仑区人力资源和社会保障局", "医保社保": "北仑区人力资源和社会保障局", "社会保障": "北仑区人力资源和社会保障局",
	"市场监管": "北仑区市场监督管理局",
	"环境保护": "宁波市生态环境局北仑分局", "水体污染": "宁波市生态环境局北仑分局", "噪声扰民": "宁波市生态环境局北仑分局",
	"农业农村": "北仑区农业农村局",
}

var (
	bulkAnswers = []string{"已当场向反映人说明相关政策和办理渠道，反映人表示理解。", "已联系社区当场协调处理，问题已解决。",
		"经电话联系相关部门，已明确处理时间并告知反映人。", "已将有关规定和办事流程当面解释清楚，反映人表示满意。"}
	bulkExplanations = []string{"该事项已列入明年民生实事项目，届时统一实施，已向反映人说明。", "相关工程正在招投标，开工时间已告知反映人。",
		"该问题涉及规划调整，需按程序报批，已向反映人解释说明。", "现行政策有明确规定，已向反映人解读政策并说明原因。"}
	bulkReasons = []string{"litigation", "not_public_matter", "petition_in_progress", "arbitration"}
	bulkFixes   = map[string][]string{
		"A": {"已完成现场整改，问题已解决", "已安排专人处理完毕，并建立长效管理机制", "已督促责任单位落实整改，经回访群众认可"},
		"B": {"已制定整改方案，正在分步实施，预计三个月内完成", "已列入年度计划，资金已落实，正在组织施工", "已完成前期排查，正在协调相关单位推进"},
		"C": {"受用地和资金条件限制，近期难以解决，已纳入中长期规划", "涉及多方产权，暂不具备实施条件，将持续跟踪", "按现行政策暂无法满足，已向代表当面说明"},
	}
	bulkSupervise = []string{"问题仍未解决，选民不满意，请继续督办。", "整改不到位，群众意见较大，请加大力度。"}
)

// one generates case i of total.
func (g *CaseGenerator) one(i, total int) *lianluo.Case {
	r := g.r
	created := g.now.Add(-bulkSpan + time.Duration(float64(bulkSpan)*(float64(i)+r.Float64())/float64(total))).UTC().Truncate(time.Second)
	age := g.now.Sub(created)
	// The station by weight; the case's village or town.
	k := r.IntN(g.weights)
	var s *bulkStation
	for _, s = range g.stations {
		if k < s.weight {
			break
		}
		k -= s.weight
	}
	region := s.st.RegionCode
	if len(s.villages) > 0 && r.IntN(5) > 0 {
		region = s.villages[r.IntN(len(s.villages))]
	}
	t := g.topic()
	var place string
	switch r.IntN(3) {
	case 0:
		place = bulkEstates[r.IntN(len(bulkEstates))]
	case 1:
		place = bulkRoads[r.IntN(len(bulkRoads))]
	default:
		place = string(surnames[r.IntN(len(surnames))]) + "家" + bulkVillageWords[r.IntN(2)]
	}
	title := strings.ReplaceAll(t.titles[r.IntN(len(t.titles))], "{p}", place)
	location := bulkRoads[r.IntN(len(bulkRoads))] + strconv.Itoa(1+r.IntN(300)) + "号"
	var sb strings.Builder
	sb.WriteString(s.town + place + bulkIntro[r.IntN(len(bulkIntro))])
	first := r.IntN(len(t.lines))
	for j, n := 0, 3+r.IntN(2); j < n; j++ {
		sb.WriteString(t.lines[(first+j)%len(t.lines)])
		sb.WriteString("，")
	}
	if r.IntN(2) == 0 {
		sb.WriteString("问题已持续" + strconv.Itoa(1+r.IntN(24)) + "个月，")
	}
	sb.WriteString("具体位置在" + location + "附近。")
	for j, n := 0, 1+r.IntN(3); j < n; j++ {
		sb.WriteString(bulkGeneric[r.IntN(len(bulkGeneric))])
	}
	female := r.IntN(2) == 0
	given := maleGiven
	if female {
		given = femaleGiven
	}
	c := &lianluo.Case{
		Kind: lianluo.KindOpinion, Channel: Channels.Pick(r), StationID: &s.st.ID, OrgID: s.body.ID,
		Title: title, Content: sb.String(), Category: t.category, RegionCode: region, Location: location,
		Submitter: lianluo.Submitter{
			Name:    string(surnames[r.IntN(len(surnames))]) + given[r.IntN(len(given))],
			Phone:   mobilePrefixes[r.IntN(len(mobilePrefixes))] + fmt.Sprintf("%08d", r.IntN(100_000_000)),
			Address: "北仑区" + s.town + bulkEstates[r.IntN(len(bulkEstates))] + strconv.Itoa(1+r.IntN(40)) + "幢" + strconv.Itoa(101+r.IntN(18)*100+r.IntN(4)) + "室",
		},
		Urgent: r.IntN(100) == 0, Confidential: r.IntN(50) == 0,
		Round: 1, CreatedAt: created,
	}
	if r.IntN(100) < 85 {
		d := s.st.DeputyIDs[r.IntN(len(s.st.DeputyIDs))]
		c.ReceivedBy = []int64{d}
	}
	var status lianluo.CaseStatus
	switch days := age.Hours() / 24; {
	case days < 3:
		status = bulkNew.Pick(r)
	case days < 30:
		status = bulkMonth.Pick(r)
	case days < 365:
		status = bulkYear.Pick(r)
	default:
		status = bulkOld.Pick(r)
	}
	g.work(c, s, status)
	return c
}

// bulkPath is the order of the statuses a forwarded case passes.
var bulkPath = []lianluo.CaseStatus{lianluo.StatusPendingApproval, lianluo.StatusAssigned, lianluo.StatusHandling,
	lianluo.StatusReplied, lianluo.StatusAwaitingEvaluation, lianluo.StatusClosed, lianluo.StatusArchived}

// work writes the history that brings c to status: the steps, their
// times (spaced as the work goes, squeezed into the case's age), and what
// each step leaves on the case.
func (g *CaseGenerator) work(c *lianluo.Case, s *bulkStation, status lianluo.CaseStatus) {
	r := g.r
	liaison := "联络员"
	if len(s.st.Liaisons) > 0 {
		liaison = s.st.Liaisons[r.IntN(len(s.st.Liaisons))].Name
	}
	type step struct {
		who     string
		gap     time.Duration // after the previous step
		action  lianluo.WorkflowAction
		from    lianluo.CaseStatus
		to      lianluo.CaseStatus
		comment string
		apply   func(at time.Time) string // fills the case; returns the comment when it depends on the time
	}
	hours := func(lo, hi int) time.Duration { return time.Duration(lo*60+r.IntN((hi-lo)*60+1)) * time.Minute }
	days := func(lo, hi int) time.Duration { return hours(24*lo, 24*hi) }
	comment := "渠道：" + lianluo.ChannelNames[c.Channel]
	if c.Urgent {
		comment += "；情况紧急"
	}
	steps := []step{{who: liaison, action: lianluo.StepRegister, to: lianluo.StatusRegistered, comment: comment}}
	switch status {
	case lianluo.StatusRegistered:
	case lianluo.StatusAnswered:
		a := bulkAnswers[r.IntN(len(bulkAnswers))]
		c.Outcome = a
		steps = append(steps, step{who: liaison, gap: hours(0, 6), action: lianluo.ActTriage, from: lianluo.StatusRegistered, to: status, comment: "当场答复：" + a})
	case lianluo.StatusExplained:
		e := bulkExplanations[r.IntN(len(bulkExplanations))]
		c.Outcome = e
		steps = append(steps, step{who: liaison, gap: hours(1, 48), action: lianluo.ActTriage, from: lianluo.StatusRegistered, to: status, comment: "解释说明：" + e})
	case lianluo.StatusNotAccepted:
		reason := lianluo.NotAcceptedReasons[bulkReasons[r.IntN(len(bulkReasons))]]
		c.Outcome = reason.Signpost
		steps = append(steps, step{who: liaison, gap: hours(1, 48), action: lianluo.ActTriage, from: lianluo.StatusRegistered, to: status, comment: "不予受理（" + reason.Name + "）"})
	default:
		// Forwarded: to the town's own unit, or up to the district's department.
		town := s.townUnit != nil && r.IntN(10) < 6
		unit := s.townUnit
		approver := s.leader
		if !town {
			unit = g.units[bulkUnitOf[c.Category]]
			if unit == nil {
				unit = g.units[units[0].name]
			}
			approver = g.district.Contact
		}
		var fix string // what the reply says was done
		reached := func(st lianluo.CaseStatus) bool {
			for _, p := range bulkPath {
				if p == st {
					return true
				}
				if p == status {
					return false
				}
			}
			return false
		}
		note := "属街道职责，报送审核交办"
		if !town {
			note = "属区级部门职责，报送审核"
		}
		steps = append(steps, step{who: liaison, gap: hours(1, 48), action: lianluo.ActTriage, from: lianluo.StatusRegistered,
			to: lianluo.StatusPendingApproval, comment: note, apply: func(at time.Time) string {
				due := endOfDay(at.Add(14 * 24 * time.Hour))
				c.DueDate = &due
				return ""
			}})
		if !town {
			steps = append(steps, step{who: s.leader, gap: days(1, 3), action: lianluo.ActEscalate, from: lianluo.StatusPendingApproval,
				to: lianluo.StatusPendingApproval, comment: "报上级人大机构", apply: func(at time.Time) string {
					c.OrgID = g.district.ID
					due := endOfDay(at.Add(14 * 24 * time.Hour))
					c.DueDate = &due
					return ""
				}})
		}
		if reached(lianluo.StatusAssigned) {
			steps = append(steps, step{who: approver, gap: days(1, 6), action: lianluo.ActApprove, from: lianluo.StatusPendingApproval,
				to: lianluo.StatusAssigned, apply: func(at time.Time) string {
					due := endOfDay(at.Add(21 * 24 * time.Hour))
					c.DueDate, c.OriginalDue = &due, &due
					c.Units = []lianluo.CaseUnit{{OrgID: unit.ID, Name: unit.Name, Lead: true, Round: 1}}
					return fmt.Sprintf("交办：主办 %s，期限 %s", unit.Name, lianluo.DueText(&due))
				}})
		}
		if reached(lianluo.StatusHandling) {
			steps = append(steps, step{who: unit.Contact, gap: days(0, 3), action: lianluo.ActSign, from: lianluo.StatusAssigned,
				to: lianluo.StatusHandling, apply: func(at time.Time) string {
					c.Units[0].SignedAt = &at
					return ""
				}})
		}
		if reached(lianluo.StatusReplied) {
			result := Weighted[string]{{"A", 70}, {"B", 22}, {"C", 8}}.Pick(r)
			fix = bulkFixes[result][r.IntN(len(bulkFixes[result]))]
			gap := days(4, 17)
			if r.IntN(10) == 0 {
				gap = days(18, 35) // late
			}
			steps = append(steps, step{who: unit.Contact, gap: gap, action: lianluo.ActReply, from: lianluo.StatusHandling,
				to: lianluo.StatusReplied, comment: fmt.Sprintf("答复（%s %s）", result, lianluo.ReplyResults[result]),
				apply: func(at time.Time) string {
					c.Reply = &lianluo.Reply{Result: result, MetDeputy: r.IntN(10) < 7, Round: 1, At: at,
						Content: "经派员到" + c.Location + "现场核实，" + fix + "。欢迎代表和群众继续监督。"}
					return ""
				}})
		}
		if reached(lianluo.StatusAwaitingEvaluation) {
			steps = append(steps, step{who: liaison, gap: days(1, 4), action: lianluo.ActFeedback, from: lianluo.StatusReplied,
				to: lianluo.StatusAwaitingEvaluation, apply: func(time.Time) string {
					fb := "您反映的问题，" + unit.Name + "答复：" + fix + "。"
					c.Outcome = fb
					return "反馈：" + fb
				}})
		}
		if reached(lianluo.StatusClosed) || status == lianluo.StatusSupervising {
			by, who := lianluo.ByVoter, "群众"
			if len(c.ReceivedBy) > 0 {
				by, who = lianluo.ByDeputy, "接待代表"
			}
			rating := Weighted[string]{{"satisfied", 80}, {"basically_satisfied", 20}}.Pick(r)
			to, note := lianluo.StatusClosed, ""
			if status == lianluo.StatusSupervising {
				rating, to, note = "unsatisfied", lianluo.StatusSupervising, bulkSupervise[r.IntN(len(bulkSupervise))]
			}
			if by == lianluo.ByDeputy && r.IntN(5) == 0 {
				// The voter's own rating, kept and counted beside the deputy's.
				vr := Weighted[string]{{"satisfied", 75}, {"basically_satisfied", 20}, {"unsatisfied", 5}}.Pick(r)
				steps = append(steps, step{who: "群众", gap: days(1, 5), action: lianluo.ActEvaluate, from: lianluo.StatusAwaitingEvaluation, to: lianluo.StatusAwaitingEvaluation,
					apply: func(at time.Time) string {
						c.Ratings = append(c.Ratings, lianluo.Rating{By: lianluo.ByVoter, Rating: vr, Round: 1, At: at})
						return lianluo.EvaluatorNames[lianluo.ByVoter] + "测评：" + lianluo.RatingNames[vr]
					}})
			}
			steps = append(steps, step{who: who, gap: days(2, 10), action: lianluo.ActEvaluate, from: lianluo.StatusAwaitingEvaluation,
				to: to, apply: func(at time.Time) string {
					c.Ratings = append(c.Ratings, lianluo.Rating{By: by, Rating: rating, Comment: note, Round: 1, At: at})
					if to == lianluo.StatusClosed {
						c.ClosedAt = &at
					}
					text := lianluo.EvaluatorNames[by] + "测评：" + lianluo.RatingNames[rating]
					if note != "" {
						text += "；" + note
					}
					return text
				}})
		}
		if status == lianluo.StatusArchived {
			steps = append(steps, step{who: s.body.Contact, gap: days(10, 60), action: lianluo.ActArchive, from: lianluo.StatusClosed,
				to: lianluo.StatusArchived, apply: func(time.Time) string {
					c.ArchivedYear = c.ClosedAt.In(lianluo.Beijing).Year()
					return fmt.Sprintf("归入%d年度档案", c.ArchivedYear)
				}})
		}
	}
	// Squeeze the steps into the case's age, keeping their order.
	var need time.Duration
	for _, st := range steps {
		need += st.gap
	}
	room := g.now.Sub(c.CreatedAt) - time.Minute
	scale := 1.0
	if need > room && need > 0 {
		scale = float64(max(room, 0)) / float64(need)
	}
	at := c.CreatedAt
	for k, st := range steps {
		if k > 0 {
			at = at.Add(time.Duration(float64(st.gap)*scale) + time.Second).Truncate(time.Second)
		}
		note := st.comment
		if st.apply != nil {
			if n := st.apply(at); n != "" {
				note = n
			}
		}
		c.Events = append(c.Events, lianluo.CaseEvent{At: at, ActorName: st.who, Action: st.action, From: st.from, To: st.to, Comment: note})
	}
	c.Status = status
	c.UpdatedAt = at
	c.Version = len(c.Events)
}

// endOfDay is 23:59:59 Beijing time of t's day, as deadlines are.
func endOfDay(t time.Time) time.Time {
	y, m, d := t.In(lianluo.Beijing).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, lianluo.Beijing).UTC()
}
