package lianluo_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/textsearch"
)

// hotItems turns hotCorpus into items with IDs from 1, registered an hour
// apart, and the case IDs of each topic.
func hotItems() ([]lianluo.HotTopicItem, map[string][]int64) {
	var items []lianluo.HotTopicItem
	want := map[string][]int64{}
	start := time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC)
	for i, c := range hotCorpus {
		id := int64(i + 1)
		st := c.station
		items = append(items, lianluo.HotTopicItem{ID: id, StationID: &st, Category: c.category, Title: c.title, Content: c.content,
			RegisteredAt: start.Add(time.Duration(i) * time.Hour)})
		if c.topic != "" {
			want[c.topic] = append(want[c.topic], id)
		}
	}
	return items, want
}

func TestClusterHotTopics(t *testing.T) {
	t.Parallel()
	items, want := hotItems()
	got := lianluo.ClusterHotTopics(items, textsearch.Tokens)
	byCases := map[string]lianluo.HotTopic{}
	for _, tp := range got {
		byCases[fmt.Sprint(tp.CaseIDs)] = tp
	}
	for topic, ids := range want {
		tp, ok := byCases[fmt.Sprint(ids)]
		if !ok {
			t.Errorf("topic %s: no hot topic of exactly cases %v; got %+v", topic, ids, got)
			continue
		}
		if tp.Count != len(ids) {
			t.Errorf("topic %s: count %d; want %d", topic, tp.Count, len(ids))
		}
	}
	if len(got) != len(want) {
		t.Errorf("ClusterHotTopics gave %d topics; want %d: %+v", len(got), len(want), got)
	}

	// The street lamps: five cases from three stations, labelled with a
	// lamp title, largest first; the school fees case (6) joins nothing.
	lamps := got[0]
	if fmt.Sprint(lamps.CaseIDs) != "[1 2 3 4 5]" || fmt.Sprint(lamps.StationIDs) != "[1 2 3]" ||
		!strings.Contains(lamps.Label, "灯") || fmt.Sprint(lamps.Categories) != "[道路照明 市政设施]" {
		t.Errorf("first topic = %+v; want the five street lamps from stations 1–3", lamps)
	}
	for _, tp := range got {
		if slices.Contains(tp.CaseIDs, 6) {
			t.Errorf("the school fees case is in topic %+v", tp)
		}
	}
	// Equal counts: the topic with the latest case first.
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if a.Count < b.Count || a.Count == b.Count && a.LatestAt.Before(b.LatestAt) {
			t.Errorf("topic %d (%d cases, latest %v) before topic %d (%d cases, latest %v)", i-1, a.Count, a.LatestAt, i, b.Count, b.LatestAt)
		}
	}

	// The output depends on the items, not on their order.
	shuffled := slices.Clone(items)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if again := lianluo.ClusterHotTopics(shuffled, textsearch.Tokens); fmt.Sprint(again) != fmt.Sprint(got) {
		t.Errorf("shuffled items gave\n%+v\nwant\n%+v", again, got)
	}
}

func TestClusterHotTopicsSmall(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC)
	lamp := lianluo.HotTopicItem{ID: 7, Title: "路灯不亮", Content: "楼前路灯坏了。", RegisteredAt: at}
	same := lianluo.HotTopicItem{ID: 3, Title: "路灯坏了", Content: "晚上路灯不亮，黑乎乎的。", RegisteredAt: at}
	fees := lianluo.HotTopicItem{ID: 5, Title: "学校收费", Content: "学校乱收资料费。", RegisteredAt: at}
	for _, tc := range []struct {
		name  string
		items []lianluo.HotTopicItem
		want  string
	}{
		{"none", nil, "[]"},
		{"one case is no topic", []lianluo.HotTopicItem{lamp}, "[]"},
		{"the same text twice", []lianluo.HotTopicItem{lamp, {ID: 8, Title: lamp.Title, Content: lamp.Content}}, "[[7 8]]"},
		{"two lamps", []lianluo.HotTopicItem{lamp, fees, same}, "[[3 7]]"},
		{"unrelated", []lianluo.HotTopicItem{lamp, fees}, "[]"},
		{"no text", []lianluo.HotTopicItem{{ID: 1}, {ID: 2}}, "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := lianluo.ClusterHotTopics(tc.items, textsearch.Tokens)
			ids := [][]int64{}
			for _, tp := range got {
				ids = append(ids, tp.CaseIDs)
				if tp.StationIDs == nil || tp.Categories == nil {
					t.Errorf("topic %+v: nil lists (JSON null)", tp)
				}
			}
			if got == nil || fmt.Sprint(ids) != tc.want {
				t.Errorf("ClusterHotTopics = %v (%+v); want %s", ids, got, tc.want)
			}
		})
	}
}

// corpusItems is hotCorpus as items, in order.
func corpusItems() []lianluo.HotTopicItem {
	items, _ := hotItems()
	return items
}

// TestHotTopicSimilarity pins what docs/statistics.md says of the measure
// on hotCorpus: every topic is connected by pairs at or above the
// threshold, and no pair of different matters reaches it.
func TestHotTopicSimilarity(t *testing.T) {
	t.Parallel()
	sim := lianluo.HotSimilarities(corpusItems(), textsearch.Tokens)
	if s := sim(0, 0); s < 0.999 || s > 1.001 {
		t.Errorf("a case with itself: %.3f; want 1", s)
	}
	maxDiff, diffPair := 0.0, ""
	topics := map[string][]int{}
	for i, a := range hotCorpus {
		if a.topic != "" {
			topics[a.topic] = append(topics[a.topic], i)
		}
		for j := i + 1; j < len(hotCorpus); j++ {
			if b := hotCorpus[j]; (a.topic == "" || a.topic != b.topic) && sim(i, j) > maxDiff {
				maxDiff, diffPair = sim(i, j), a.title+"｜"+b.title
			}
		}
	}
	if maxDiff >= lianluo.HotTopicThreshold {
		t.Errorf("different matters score up to %.3f (%s); want < %.2f", maxDiff, diffPair, lianluo.HotTopicThreshold)
	}
	for topic, ids := range topics {
		// The weakest pair of the strongest chain through the topic (the
		// least edge of its maximum spanning tree).
		in := map[int]bool{ids[0]: true}
		weakest := 1.0
		for len(in) < len(ids) {
			best, next := -1.0, -1
			for i := range in {
				for _, j := range ids {
					if !in[j] && sim(i, j) > best {
						best, next = sim(i, j), j
					}
				}
			}
			in[next] = true
			weakest = min(weakest, best)
		}
		if weakest < lianluo.HotTopicThreshold {
			t.Errorf("topic %s is held together by a pair of %.3f; want ≥ %.2f", topic, weakest, lianluo.HotTopicThreshold)
		}
	}
	// Request phrases and function words alone do not join cases.
	sim = lianluo.HotSimilarities([]lianluo.HotTopicItem{
		{Title: "希望尽快解决", Content: "我们小区的问题希望有关部门尽快处理。"},
		{Title: "希望尽快解决问题", Content: "社区反映的问题希望尽快解决。"},
	}, textsearch.Tokens)
	if s := sim(0, 1); s != 0 {
		t.Errorf("two texts of only request phrases: %.3f; want 0", s)
	}
}

// TestClusterHotTopicsHeldOut clusters hotCorpus with complaints written
// after the threshold was chosen: no topic mixes matters, apart from the
// one known bridge (a restaurant's noise and a restaurant's fumes).
func TestClusterHotTopicsHeldOut(t *testing.T) {
	t.Parallel()
	items, _ := hotItems()
	topic := map[int64]string{}
	for i, c := range hotCorpus {
		topic[int64(i+1)] = c.topic
		if c.title == "老旧小区加装电梯" {
			topic[int64(i+1)] = "lift" // a single in the corpus, a matter here
		}
	}
	for i, c := range hotHeldOut {
		id := int64(1000 + i)
		items = append(items, lianluo.HotTopicItem{ID: id, Title: c.title, Content: c.content})
		topic[id] = c.topic
	}
	found := map[string]int{}
	for _, tp := range lianluo.ClusterHotTopics(items, textsearch.Tokens) {
		ms := map[string]int{}
		for _, id := range tp.CaseIDs {
			ms[topic[id]]++
		}
		if len(ms) > 1 && !(len(ms) == 2 && ms["noise"] > 0 && ms["fume"] > 0) || ms[""] > 0 && tp.Count > 1 {
			t.Errorf("topic %q mixes matters: %v", tp.Label, ms)
		}
		for m, n := range ms {
			found[m] = max(found[m], n)
		}
	}
	// Found: the lifts (with the corpus's own 加装电梯 case), the buses,
	// the fumes, two of the tap water cases. Missed: 停水 against 水压,
	// and the dogs, who share only the one character 狗.
	for m, want := range map[string]int{"lift": 3, "bus": 3, "fume": 2, "tap": 2} {
		if found[m] < want {
			t.Errorf("matter %s: %d cases in its largest topic; want ≥ %d", m, found[m], want)
		}
	}
}

func TestHotTopicsFilterValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f     lianluo.HotTopicsFilter
		days  int
		field string
	}{
		{lianluo.HotTopicsFilter{}, 30, ""},
		{lianluo.HotTopicsFilter{Days: 1}, 1, ""},
		{lianluo.HotTopicsFilter{Days: 366, Region: "330206"}, 366, ""},
		{lianluo.HotTopicsFilter{Days: 367}, 367, "days"},
		{lianluo.HotTopicsFilter{Days: -1}, -1, "days"},
		{lianluo.HotTopicsFilter{Region: strings.Repeat("3", 21)}, 30, "region"},
	} {
		f := tc.f
		err := f.Validate()
		if lianluo.ErrorField(err) != tc.field || f.Days != tc.days {
			t.Errorf("%+v.Validate() = %v, days %d; want field %q, days %d", tc.f, err, f.Days, tc.field, tc.days)
		}
		if err != nil && !strings.Contains(lianluo.ErrorMessage(err), "天数") && tc.field == "days" {
			t.Errorf("%+v.Validate() = %v; want a message about 天数", tc.f, err)
		}
	}
}

// BenchmarkClusterHotTopics clusters 10,000 complaints: twenty matters,
// each with its own titles and details, in a hundred places, with
// everyday remarks.
func BenchmarkClusterHotTopics(b *testing.B) {
	items, _ := benchHotItems(10000)
	b.ResetTimer()
	for b.Loop() {
		lianluo.ClusterHotTopics(items, textsearch.Tokens)
	}
}

// TestClusterHotTopicsAtScale: at ten thousand cases, no topic mixes
// matters, and most cases of each matter are found in one of its topics.
func TestClusterHotTopicsAtScale(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("10,000 cases")
	}
	items, matter := benchHotItems(10000)
	got := lianluo.ClusterHotTopics(items, textsearch.Tokens)
	inTopics := 0
	for _, tp := range got {
		ms := map[int]int{}
		for _, id := range tp.CaseIDs {
			ms[matter[id]]++
		}
		if len(ms) > 1 {
			t.Errorf("topic %q (%d cases) mixes matters: %v", tp.Label, tp.Count, ms)
		}
		inTopics += tp.Count
	}
	if inTopics < len(items)*9/10 {
		t.Errorf("%d of %d cases in topics; want at least 90%%", inTopics, len(items))
	}
}

// benchHotItems makes n complaints, and the matter of each by case ID.
func benchHotItems(n int) ([]lianluo.HotTopicItem, map[int64]int) {
	r := rand.New(rand.NewPCG(7, 11))
	matters := []struct{ titles, details []string }{
		{[]string{"路灯不亮", "路灯坏了", "晚上没有路灯"}, []string{"两盏路灯坏了一个多月", "路灯一到晚上就不亮", "路灯灯泡坏了没人换"}},
		{[]string{"垃圾清运不及时", "垃圾没人清运", "垃圾堆放路边"}, []string{"垃圾桶满了好几天没人运走", "生活垃圾两三天才清运一次", "垃圾堆成小山环卫车不来"}},
		{[]string{"停车难", "停车位不够", "车辆乱停乱放"}, []string{"晚上回来找不到停车位", "车位太少只能停在消防通道", "停车位规划不足车辆乱停"}},
		{[]string{"噪音扰民", "夜间施工噪声大", "广场舞音响太响"}, []string{"工地晚上十一点还在打桩", "广场舞音响开得很响", "噪音太大根本睡不着"}},
		{[]string{"道路积水", "下雨路面积水", "雨后积水严重"}, []string{"每逢大雨积水没过脚踝", "暴雨后积水排不出去", "下水道堵塞路面积水"}},
		{[]string{"学校乱收费", "学校收资料费", "开学收费不合理"}, []string{"开学要求每人交三百元资料费", "学校收费项目没有公示", "家长对学校收费意见很大"}},
		{[]string{"加装电梯", "老旧小区加装电梯", "想装电梯"}, []string{"六层住宅老人爬楼吃力", "加装电梯邻居意见不统一", "加装电梯补贴怎么申请"}},
		{[]string{"公交站台没有遮雨棚", "候车亭没有顶棚", "公交站台简陋"}, []string{"下雨天候车淋雨", "站台只有一根站牌没有雨棚", "夏天候车暴晒"}},
		{[]string{"人行道地砖破损", "人行道地砖松动", "地砖坏了"}, []string{"地砖松动老人容易绊倒", "人行道地砖翘起来", "下雨踩到松动地砖溅一身泥"}},
		{[]string{"占道经营", "摊贩占道", "流动摊贩堵路"}, []string{"早上摊贩占道电动车和行人挤在一起", "摊贩把路占了一半", "占道经营没人管"}},
		{[]string{"河面漂浮物多", "河水发臭", "河道污染"}, []string{"河面漂着塑料瓶和泡沫", "天热河水发臭", "有人往河里倒污水"}},
		{[]string{"老年食堂供餐", "老年食堂只供午餐", "独居老人吃饭难"}, []string{"老年食堂只供应午餐", "独居老人希望增加晚餐", "老年食堂饭菜太贵"}},
		{[]string{"自来水水压低", "水压不足", "高层用水难"}, []string{"六楼水龙头出水像细线", "早上自来水水压很低", "热水器都打不着火"}},
		{[]string{"充电桩不够", "电动车充电难", "充电设施不足"}, []string{"电动车没地方充电只能飞线", "小区充电桩太少要排队", "楼道里拉线充电很危险"}},
		{[]string{"违章搭建", "楼顶违建", "私搭乱建"}, []string{"邻居在楼顶违章搭建阳光房", "违建挡住采光", "一楼住户私自扩建院子"}},
		{[]string{"物业费上涨", "物业服务差", "物业不作为"}, []string{"物业费涨了却没有改善服务", "物业保洁不到位", "物业对报修不理不睬"}},
		{[]string{"油烟扰民", "饭店油烟太大", "烧烤油烟"}, []string{"饭店油烟直排居民楼", "烧烤摊油烟熏得不敢开窗", "油烟机对着窗户排"}},
		{[]string{"养狗不拴绳", "遛狗不拴绳", "狗粪没人清理"}, []string{"大狗不拴绳追着小孩跑", "遛狗不清理狗粪", "养狗扰民夜里乱叫"}},
		{[]string{"医保报销慢", "看病报销难", "医保报销手续繁琐"}, []string{"医保报销要跑好几趟", "异地看病报销手续麻烦", "报销款两个月还没到账"}},
		{[]string{"拖欠工资", "农民工工资被拖欠", "工地欠薪"}, []string{"包工头拖欠工资半年", "工地干完活拿不到工钱", "春节前工资还没结清"}},
	}
	places := []string{"庐山西路", "太河路", "明州路", "长江路", "横杨路", "新大路", "灵岩社区", "坝头社区", "璎珞河", "大碶菜场"}
	remarks := []string{"晚上老人出门很不方便", "已经反映过好几次了", "孩子上学要经过这里", "天热以后情况更严重",
		"周边居民意见很大", "请代表帮忙督促一下", "影响大家正常生活", "打了热线也没有结果", "住在这里十几年了",
		"上个月也说过", "这事拖了很久", "大家都在群里说", "物业说不归他们管", "找过社区没下文", "家里有老人孩子",
		"节假日更严重", "外地来的租户也受影响", "希望这次能解决"}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	items := make([]lianluo.HotTopicItem, n)
	matter := map[int64]int{}
	for i := range items {
		k := r.IntN(len(matters))
		m := matters[k]
		place := fmt.Sprintf("%s%d号", places[r.IntN(len(places))], 1+r.IntN(100))
		content := fmt.Sprintf("%s附近%s，%s。", place, m.details[r.IntN(len(m.details))], remarks[r.IntN(len(remarks))])
		st := int64(1 + r.IntN(40))
		id := int64(i + 1)
		items[i] = lianluo.HotTopicItem{ID: id, StationID: &st, Title: m.titles[r.IntN(len(m.titles))], Content: content,
			RegisteredAt: at.Add(time.Duration(i) * time.Minute)}
		matter[id] = k
	}
	return items, matter
}
