package lianluo

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Hot topics (热点问题): cases about the same matter raised by different
// voters, at different stations, in different words. ClusterHotTopics groups
// the cases of a window by the similarity of their text (hot_topics_text.go);
// docs/statistics.md ("Hot topics") says how the measure and its threshold
// were chosen.

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
// Label is a short phrase for it: the title whose words the group shares
// most.
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
// registered in the last Days days (0: HotTopicsDefaultDays), or in Period
// when it is set (a report's period, at most HotTopicsMaxDays long).
type HotTopicsFilter struct {
	Region string
	Days   int
	Period *Period
}

// Limits of hot topics.
const (
	HotTopicsDefaultDays = 30
	HotTopicsMaxDays     = 366
	// HotTopicMinCases: one case is a complaint, not yet a topic.
	HotTopicMinCases = 2
	// HotTopicsLimit is the most topics a query returns (the largest).
	HotTopicsLimit = 50
	// HotTopicThreshold is the least similarity of two cases that links
	// them, tuned on realistic complaints (docs/statistics.md, "Hot topics").
	HotTopicThreshold = 0.12
)

// Validate checks the filter and fills in the default window.
func (f *HotTopicsFilter) Validate() error {
	if f.Days == 0 {
		f.Days = HotTopicsDefaultDays
	}
	if f.Days < 1 || f.Days > HotTopicsMaxDays {
		return FieldError("days", "统计天数应为 1 到 %d 之间的整数。", HotTopicsMaxDays)
	}
	if p := f.Period; p != nil && (!p.From.Before(p.To) || p.To.Sub(p.From) > HotTopicsMaxDays*24*time.Hour) {
		return FieldError("period", "热点问题的统计期间应在 %d 天以内。", HotTopicsMaxDays)
	}
	var v Validator
	v.MaxLen("region", "地区", f.Region, 20)
	return v.Err
}

// ClusterHotTopics groups items about the same matter into hot topics
// (docs/statistics.md, "Hot topics"). Two items are linked when a word of
// one's title is in the other's title or content (the title names the
// matter; content alone shares places and everyday remarks across matters)
// and their similarity is at least HotTopicThreshold. Items are taken in ID
// order: an item joins the group it has most links to (counting at most
// hotMaxLinks per group), and two groups merge when the links between them
// come from a quarter of the smaller one (hotGroups). Groups of fewer than HotTopicMinCases are not topics. Topics
// come largest first, then the one with the latest case first; the output
// depends only on the items, not on their order. tokens splits a text into
// words (textsearch.Tokens).
//
// Pairs are found through inverted indexes from word to items, so the work
// grows with the pairs that share a title word, not with all n² pairs. A
// word in more than a fifth of the items (and more than hotCommonFloor) is
// too common to find pairs by, though it still counts in the similarity of
// pairs found through other words.
func ClusterHotTopics(items []HotTopicItem, tokens func(string) []string) []HotTopic {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b HotTopicItem) int { return cmp.Compare(a.ID, b.ID) })
	n := len(items)
	texts, df := hotTexts(items, tokens)
	common := max(hotCommonFloor, n/5)

	g := newHotGroups(n)
	inTitle := map[int32][]int{}  // word → the items with it in their title
	anywhere := map[int32][]int{} // word → the items with it anywhere
	seen := make([]int, n)        // seen[j] == i+1: j was measured against i
	links := map[int]int{}        // group → its items linked to i
	best := map[int]float64{}     // group → the similarity of its nearest item to i
	for i := range items {
		t := texts[i]
		clear(links)
		clear(best)
		for k, id := range t.ids {
			if df[id] > common {
				continue
			}
			// A title word of i meets j anywhere; a content word of i
			// meets j's title.
			post := inTitle[id]
			if t.title[k] {
				post = anywhere[id]
			}
			for _, j := range post {
				if seen[j] == i+1 {
					continue
				}
				seen[j] = i + 1
				r := g.find(j)
				if links[r] == hotMaxLinks {
					continue
				}
				if s := similarity(t, texts[j]); s >= HotTopicThreshold {
					links[r]++
					best[r] = max(best[r], s)
				}
			}
		}
		for k, id := range t.ids {
			anywhere[id] = append(anywhere[id], i)
			if t.title[k] {
				inTitle[id] = append(inTitle[id], i)
			}
		}
		if len(links) == 0 {
			continue
		}
		// i joins the group it has most links to (the nearest on a tie);
		// its links to other groups count towards merging them with it.
		near := slices.Sorted(maps.Keys(links))
		join := near[0]
		for _, r := range near[1:] {
			if links[r] > links[join] || links[r] == links[join] && best[r] > best[join] {
				join = r
			}
		}
		g.union(i, join)
		for _, r := range near {
			if r != join {
				g.link(g.find(i), g.find(r), links[r])
			}
		}
	}

	groups := map[int][]int{}
	var roots []int
	for i := range items {
		r := g.find(i)
		if groups[r] == nil {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	topics := []HotTopic{}
	for _, r := range roots {
		if m := groups[r]; len(m) >= HotTopicMinCases {
			topics = append(topics, hotTopic(items, texts, m))
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

// hotMaxLinks is the most links an item counts to one group: enough to
// choose between groups and to merge them, and it spares measuring an item
// against every case of a large topic.
const hotMaxLinks = 8

// hotCommonFloor is the least number of items a word must be in to be too
// common to find pairs by: in a small window every shared word is used.
const hotCommonFloor = 200

// hotGroups are the groups the items have joined so far (a union-find),
// with the links seen between groups: pairs of items, one in each, at or
// above the threshold. An item joins a group on one link, but two groups
// merge only on links from a quarter of the smaller one (at least one):
// with thousands of cases, two matters that share a word always have some
// pair above the threshold, and single link would chain them into one
// topic.
type hotGroups struct {
	parent, size []int
	links        map[int]map[int]int // root → other root → links
}

func newHotGroups(n int) *hotGroups {
	g := &hotGroups{parent: make([]int, n), size: make([]int, n), links: map[int]map[int]int{}}
	for i := range g.parent {
		g.parent[i], g.size[i] = i, 1
	}
	return g
}

func (g *hotGroups) find(i int) int {
	for g.parent[i] != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = g.parent[i]
	}
	return i
}

// union merges the groups of a and b; the lower root stays root and takes
// over the other's links.
func (g *hotGroups) union(a, b int) {
	a, b = g.find(a), g.find(b)
	if a == b {
		return
	}
	a, b = min(a, b), max(a, b)
	g.parent[b] = a
	g.size[a] += g.size[b]
	for x, n := range g.links[b] {
		delete(g.links[x], b)
		if x != a {
			g.addLinks(a, x, n)
		}
	}
	delete(g.links, b)
}

func (g *hotGroups) addLinks(a, b, n int) {
	for _, p := range [][2]int{{a, b}, {b, a}} {
		if g.links[p[0]] == nil {
			g.links[p[0]] = map[int]int{}
		}
		g.links[p[0]][p[1]] += n
	}
}

// link adds n links between the groups of roots a and b and merges them
// when the links come from a quarter of the smaller group.
func (g *hotGroups) link(a, b, n int) {
	if a == b {
		return
	}
	g.addLinks(a, b, n)
	if g.links[a][b] >= max(1, min(g.size[a], g.size[b])/4) {
		g.union(a, b)
	}
}

// hotTopic builds the topic of the items m (indexes in ID order). Its label
// is the title whose words the group shares most: the title maximising the
// sum, over its words, of the number of the group's items that have the
// word; the lowest ID on a tie.
func hotTopic(items []HotTopicItem, texts []hotText, m []int) HotTopic {
	t := HotTopic{Count: len(m), StationIDs: []int64{}, Categories: []string{}}
	cats := map[string]int{}
	stations := map[int64]bool{}
	has := map[int32]int{}
	for _, i := range m {
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
	best, bestScore := m[0], -1
	for _, i := range m {
		score := 0
		for k, id := range texts[i].ids {
			if texts[i].title[k] {
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
