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

// TestHotTopicSimilarity pins the figures docs/statistics.md gives.
func TestHotTopicSimilarity(t *testing.T) {
	t.Parallel()
	sim := func(i, j int) float64 {
		a, b := hotCorpus[i], hotCorpus[j]
		return lianluo.HotTopicSimilarity(a.title, a.content, b.title, b.content, textsearch.Tokens)
	}
	if s := sim(0, 0); s != 1 {
		t.Errorf("a case with itself: %.3f; want 1", s)
	}
	if s := sim(0, 1); s < lianluo.HotTopicThreshold {
		t.Errorf("两条路灯投诉: %.3f; want ≥ %.2f", s, lianluo.HotTopicThreshold)
	}
	// Function words and request phrases do not join cases.
	if s := lianluo.HotTopicSimilarity("希望尽快解决", "我们小区的问题希望有关部门尽快处理。", "希望尽快解决问题", "社区反映的问题希望尽快解决。", textsearch.Tokens); s != 0 {
		t.Errorf("two texts of only request phrases: %.3f; want 0", s)
	}
	maxDiff := 0.0
	for i := range hotCorpus {
		for j := i + 1; j < len(hotCorpus); j++ {
			if hotCorpus[i].topic == "" || hotCorpus[i].topic != hotCorpus[j].topic {
				maxDiff = max(maxDiff, sim(i, j))
			}
		}
	}
	if maxDiff >= lianluo.HotTopicThreshold {
		t.Errorf("cases on different matters score up to %.3f; want < %.2f", maxDiff, lianluo.HotTopicThreshold)
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
// each written many ways, in a hundred places, with everyday filler.
func BenchmarkClusterHotTopics(b *testing.B) {
	items := benchHotItems(10000)
	b.ResetTimer()
	for b.Loop() {
		lianluo.ClusterHotTopics(items, textsearch.Tokens)
	}
}

func benchHotItems(n int) []lianluo.HotTopicItem {
	r := rand.New(rand.NewPCG(7, 11))
	matters := [][]string{
		{"路灯不亮", "路灯坏了", "晚上没有灯", "路灯损坏"},
		{"垃圾清运不及时", "垃圾没人清运", "垃圾堆放路边"},
		{"停车难", "停车位不够", "车辆乱停乱放"},
		{"噪音扰民", "夜间施工噪声", "广场舞音响太响"},
		{"道路积水", "下雨路面积水", "排水不畅"},
		{"学校乱收费", "学校收资料费"},
		{"加装电梯", "老旧小区电梯"},
		{"公交站台没有遮雨棚", "公交班次太少"},
		{"人行道地砖破损", "路面坑洼不平"},
		{"占道经营", "摊贩占道"},
		{"河道垃圾漂浮", "河水发臭"},
		{"老年食堂供餐", "独居老人吃饭难"},
		{"自来水水压低", "停水没有通知"},
		{"充电桩不够", "电动车充电难"},
		{"违章搭建", "楼顶违建"},
		{"物业费上涨", "物业服务差"},
		{"油烟扰民", "饭店油烟太大"},
		{"流浪狗伤人", "养狗不拴绳"},
		{"医保报销慢", "看病报销难"},
		{"拖欠工资", "农民工工资被拖欠"},
	}
	places := []string{"庐山西路", "太河路", "明州路", "长江路", "横杨路", "新大路", "灵岩社区", "坝头社区", "璎珞河", "大碶菜场"}
	fillers := []string{"晚上老人出门很不方便", "已经反映过好几次了", "希望有关部门尽快处理", "孩子上学要经过这里",
		"天热以后情况更严重", "周边居民意见很大", "请代表帮忙督促一下", "影响大家正常生活"}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	items := make([]lianluo.HotTopicItem, n)
	for i := range items {
		m := matters[r.IntN(len(matters))]
		place := fmt.Sprintf("%s%d号", places[r.IntN(len(places))], 1+r.IntN(100))
		title := m[r.IntN(len(m))]
		content := fmt.Sprintf("%s附近%s，%s，%s。", place, m[r.IntN(len(m))], fillers[r.IntN(len(fillers))], fillers[r.IntN(len(fillers))])
		st := int64(1 + r.IntN(40))
		items[i] = lianluo.HotTopicItem{ID: int64(i + 1), StationID: &st, Title: title, Content: content,
			RegisteredAt: at.Add(time.Duration(i) * time.Minute)}
	}
	return items
}
