package lianluo

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Hot topics (热点问题): cases about the same matter raised by different
// voters, at different stations, in different words. ClusterHotTopics groups
// the cases of a window by the similarity of their text; docs/statistics.md
// ("Hot topics") says how the measure and its threshold were chosen.

// HotTopicItem is one case as hot topics see it. Linked duplicates are not
// items: their master stands for them.
type HotTopicItem struct {
	ID           int64
	StationID    *int64 // nil: not taken at a station
	Category     string
	Title        string
	Content      string
	RegisteredAt time.Time
}

// HotTopic is a group of at least HotTopicMinCases cases about one matter.
// Label is a short phrase for it: the title of its most central case.
type HotTopic struct {
	Label      string   `json:"label"`
	Count      int      `json:"count"`
	CaseIDs    []int64  `json:"case_ids"`    // ascending
	StationIDs []int64  `json:"station_ids"` // distinct, ascending; cases without a station add none
	Categories []string `json:"categories"`  // distinct, most frequent first; "" is left out
	// LatestAt is when the latest of the cases was registered.
	LatestAt time.Time `json:"latest_at"`
}

// HotTopicsFilter chooses the cases of a hot-topics query: those of the
// caller's scope in the region subtree (empty: the caller's own scope)
// registered in the last Days days (0: HotTopicsDefaultDays).
type HotTopicsFilter struct {
	Region string
	Days   int
}

// Limits of hot topics.
const (
	HotTopicsDefaultDays = 30
	HotTopicsMaxDays     = 366
	// HotTopicMinCases: one case is a complaint, not yet a topic.
	HotTopicMinCases = 2
	// HotTopicsLimit is the most topics a query returns (the largest).
	HotTopicsLimit = 50
	// HotTopicThreshold is the least similarity (HotTopicSimilarity) of two
	// cases that joins them, tuned on realistic complaints
	// (docs/statistics.md, "Hot topics").
	HotTopicThreshold = 0.08
)

// Validate checks the filter and fills in the default window.
func (f *HotTopicsFilter) Validate() error {
	if f.Days == 0 {
		f.Days = HotTopicsDefaultDays
	}
	if f.Days < 1 || f.Days > HotTopicsMaxDays {
		return FieldError("days", "统计天数应为 1 到 %d 之间的整数。", HotTopicsMaxDays)
	}
	var v Validator
	v.MaxLen("region", "地区", f.Region, 20)
	return v.Err
}

// Weighing the tokens of a case. A title names the matter in a few words,
// the content tells the story around it, so a token of the title counts
// titleWeight times.
const titleWeight = 4

// hotStopChars are function characters: a Han bigram containing one says
// little about the matter (的路, 了一, 我们).
const hotStopChars = "的了吗呢吧啊呀们我你您他她它这那很也都就还又把被给请"

// hotStopBigrams are bigrams voters write in complaints on any matter: the
// request (希望, 尽快, 解决), its frame (反映, 问题, 情况) and places
// every case has (社区, 小区, 附近). Sharing them does not make two cases
// one topic.
var hotStopBigrams = setOf(strings.Fields(`
	希望 建议 要求 反映 问题 情况 尽快 及时 解决 处理 相关 有关 部门 能够 可以 一下 一个 已经
	目前 现在 大家 居民 群众 百姓 附近 周边 严重 影响 非常 比较 经常 社区 小区 村里 街道 领导
	帮忙 帮助 政府 代表 关注 重视 落实 不便 方便 存在 一直 多次 没人 至今 好久 时间 一些 什么
	怎么 为什么 如何 是否 还是 或者 因为 所以 但是 而且 如果 这样 那样 不能 不是 没有 一定
	管一 一管 查一 一查 看看 出行 生活 安全 隐患 造成 导致 进行 开展 加强 改善 提高 增加`))

func setOf(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// hotStopToken reports whether a token is left out of the measure.
func hotStopToken(t string) bool {
	if hotStopBigrams[t] {
		return true
	}
	if utf8.RuneCountInString(t) == 1 {
		return true // a lone Han character or a one-letter word
	}
	for _, r := range t {
		if strings.ContainsRune(hotStopChars, r) {
			return true
		}
	}
	return false
}

// hotDropped reports whether token i of ts is left out of the measure: a
// stop token, or a bigram straddling a stop bigram ("小区路灯" gives 小区,
// 区路, 路灯: 区路 is half of 小区 and no word).
func hotDropped(ts []string, i int) bool {
	t := ts[i]
	if hotStopToken(t) {
		return true
	}
	first, _ := utf8.DecodeRuneInString(t)
	last, _ := utf8.DecodeLastRuneInString(t)
	if i > 0 && hotStopBigrams[ts[i-1]] {
		if r, _ := utf8.DecodeLastRuneInString(ts[i-1]); r == first {
			return true
		}
	}
	if i+1 < len(ts) && hotStopBigrams[ts[i+1]] {
		if r, _ := utf8.DecodeRuneInString(ts[i+1]); r == last {
			return true
		}
	}
	return false
}

// hotText is a case's weighted token set: token → weight, as parallel
// slices sorted by token ID so that two sets intersect by merging.
type hotText struct {
	ids []int32
	w   []float64
	sum float64
}

// weigh turns a title and content into the weighted set. tok maps each
// distinct token to a small ID.
func weigh(title, content string, tokens func(string) []string, tok map[string]int32) hotText {
	m := map[int32]float64{}
	add := func(s string, w float64) {
		ts := tokens(s)
		for i, t := range ts {
			if hotDropped(ts, i) {
				continue
			}
			id, ok := tok[t]
			if !ok {
				id = int32(len(tok))
				tok[t] = id
			}
			m[id] = max(m[id], w)
		}
	}
	add(title, titleWeight)
	add(content, 1)
	var h hotText
	for id := range m {
		h.ids = append(h.ids, id)
	}
	slices.Sort(h.ids)
	h.w = make([]float64, len(h.ids))
	for i, id := range h.ids {
		h.w[i] = m[id]
		h.sum += m[id]
	}
	return h
}

// similarity is the weighted Jaccard of two sets: Σ min / Σ max of the
// weights, 0 for two empty sets.
func similarity(a, b hotText) float64 {
	minSum := 0.0
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			minSum += min(a.w[i], b.w[j])
			i++
			j++
		}
	}
	// Σ max = Σa + Σb − Σ min over the common tokens.
	union := a.sum + b.sum - minSum
	if union == 0 {
		return 0
	}
	return minSum / union
}

// HotTopicSimilarity is the similarity of two cases' title and content as
// hot topics measure it, from 0 (nothing in common) to 1; tokens splits a
// text into words (textsearch.Tokens).
func HotTopicSimilarity(titleA, contentA, titleB, contentB string, tokens func(string) []string) float64 {
	tok := map[string]int32{}
	return similarity(weigh(titleA, contentA, tokens, tok), weigh(titleB, contentB, tokens, tok))
}

// ClusterHotTopics groups items about the same matter into hot topics
// (docs/statistics.md, "Hot topics"): two items are joined when a word of
// one's title is in the other's title or content (the title names the
// matter; content alone shares places and everyday words across matters)
// and their similarity is at least HotTopicThreshold; everything joined to
// either is joined too (single link). Groups of fewer than HotTopicMinCases
// are not topics. Topics come largest first, then the one with the latest
// case first; the output depends only on the items, not on their order.
// tokens splits a text into words (textsearch.Tokens).
//
// Pairs are found through inverted indexes from word to items, and a pair
// whose items are already joined is not measured, so the work grows with
// the items and the other groups that share a title word, not with all n²
// pairs. A word in more than a fifth of the items (and more than
// hotCommonFloor) is too common to find pairs by, though it still counts in
// the similarity of pairs found through other words.
func ClusterHotTopics(items []HotTopicItem, tokens func(string) []string) []HotTopic {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b HotTopicItem) int { return cmp.Compare(a.ID, b.ID) })
	n := len(items)
	tok := map[string]int32{}
	texts := make([]hotText, n)
	df := map[int32]int{}
	for i, it := range items {
		texts[i] = weigh(it.Title, it.Content, tokens, tok)
		for _, id := range texts[i].ids {
			df[id]++
		}
	}
	common := max(hotCommonFloor, n/5)

	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	inTitle := map[int32][]int{}  // word → the items with it in their title
	anywhere := map[int32][]int{} // word → the items with it anywhere
	for i := range items {
		t := texts[i]
		for k, id := range t.ids {
			if df[id] > common {
				continue
			}
			// A title word of i meets j anywhere; a content word of i
			// meets j's title.
			post := inTitle[id]
			if t.w[k] == titleWeight {
				post = anywhere[id]
			}
			for _, j := range post {
				ri, rj := find(i), find(j)
				if ri != rj && similarity(t, texts[j]) >= HotTopicThreshold {
					parent[max(ri, rj)] = min(ri, rj)
				}
			}
		}
		for k, id := range t.ids {
			anywhere[id] = append(anywhere[id], i)
			if t.w[k] == titleWeight {
				inTitle[id] = append(inTitle[id], i)
			}
		}
	}

	groups := map[int][]int{}
	var roots []int
	for i := range items {
		r := find(i)
		if groups[r] == nil {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	topics := []HotTopic{}
	for _, r := range roots {
		if g := groups[r]; len(g) >= HotTopicMinCases {
			topics = append(topics, hotTopic(items, texts, g))
		}
	}
	slices.SortStableFunc(topics, func(a, b HotTopic) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if c := b.LatestAt.Compare(a.LatestAt); c != 0 {
			return c
		}
		return cmp.Compare(a.CaseIDs[0], b.CaseIDs[0])
	})
	return topics
}

// hotCommonFloor is the least number of items a word must be in to be too
// common to find pairs by: in a small window every shared word is used.
const hotCommonFloor = 200

// hotTopic builds the topic of the items g (indexes in ID order). Its label
// is the title whose words the group shares most: the title maximising the
// sum, over its words, of the share of the group's items that have the
// word; the lowest ID on a tie.
func hotTopic(items []HotTopicItem, texts []hotText, g []int) HotTopic {
	t := HotTopic{Count: len(g), StationIDs: []int64{}, Categories: []string{}}
	cats := map[string]int{}
	stations := map[int64]bool{}
	has := map[int32]int{}
	for _, i := range g {
		it := items[i]
		t.CaseIDs = append(t.CaseIDs, it.ID)
		if it.RegisteredAt.After(t.LatestAt) {
			t.LatestAt = it.RegisteredAt
		}
		if it.StationID != nil && !stations[*it.StationID] {
			stations[*it.StationID] = true
			t.StationIDs = append(t.StationIDs, *it.StationID)
		}
		if it.Category != "" {
			if cats[it.Category] == 0 {
				t.Categories = append(t.Categories, it.Category)
			}
			cats[it.Category]++
		}
		for _, id := range texts[i].ids {
			has[id]++
		}
	}
	best, bestScore := g[0], -1
	for _, i := range g {
		score := 0
		for k, id := range texts[i].ids {
			if texts[i].w[k] == titleWeight {
				score += has[id]
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	slices.Sort(t.StationIDs)
	slices.SortStableFunc(t.Categories, func(a, b string) int {
		if cats[a] != cats[b] {
			return cats[b] - cats[a]
		}
		return strings.Compare(a, b)
	})
	t.Label = hotLabel(items[best].Title)
	return t
}

// hotLabel shortens a title to a label of at most 30 characters.
func hotLabel(title string) string {
	title = strings.TrimSpace(title)
	if utf8.RuneCountInString(title) <= 30 {
		return title
	}
	return string([]rune(title)[:29]) + "…"
}
