package lianluo

import (
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// The text measure of hot topics (docs/statistics.md, "Hot topics"): each
// case is a weighted set of its words (Han bigrams and Latin/digit words,
// from the tokenizer the caller passes), and two cases' similarity is the
// weighted Jaccard of their sets, Σ min / Σ max of the weights.
//
// A word's weight in a case is its titleness in the window times
// titleWeight if it is in the case's title (else 1). Titleness is
// (titles with the word + 0.5) / (cases with the word + 2): the share of
// the window's cases with the word that name it in their title. Titles name
// the matter (路灯, 积水, 油烟), content tells the story around it (places,
// times, neighbours), so words of the matter count and words of stories —
// a road, 晚上, 老人 — that many cases share across matters count little.

// titleWeight: a word in the title names the matter more than a word in the
// story around it.
const titleWeight = 4

// The smoothing of titleness: a word seen once, in a content, weighs
// 0.5/3; in a title, 1.5/3.
const (
	titlenessPrior = 0.5
	titlenessBase  = 2.0
)

// hotStopChars are function characters: a Han bigram containing one says
// little about the matter (的路, 了一, 我们).
const hotStopChars = "的了吗呢吧啊呀们我你您他她它这那很也都就还又把被给请"

// hotStopBigrams are bigrams voters write in complaints on any matter: the
// request (希望, 尽快, 解决), its frame (反映, 问题, 情况), places every case
// has (社区, 小区, 附近) and judgements of any matter (不够, 太多, 扰民 —
// noise and cooking fumes both 扰民, a car park and chargers both 不够).
// Sharing them does not make two cases one topic.
var hotStopBigrams = setOf(strings.Fields(`
	希望 建议 要求 反映 问题 情况 尽快 及时 解决 处理 相关 有关 部门 能够 可以 一下 一个 已经
	目前 现在 大家 居民 群众 百姓 附近 周边 严重 影响 非常 比较 经常 社区 小区 村里 街道 领导
	帮忙 帮助 政府 代表 关注 重视 落实 不便 方便 存在 一直 多次 没人 至今 好久 时间 一些 什么
	怎么 为什么 如何 是否 还是 或者 因为 所以 但是 而且 如果 这样 那样 不能 不是 没有 一定
	管一 一管 查一 一查 看看 出行 生活 安全 隐患 造成 导致 进行 开展 加强 改善 提高 增加
	不够 不足 太多 太少 太大 太小 太差 不好 不了 扰民`))

func setOf(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// hotDropped reports whether token i of ts is left out: a stop bigram, a
// bigram with a stop character, a lone character, or a bigram straddling a
// stop bigram ("小区路灯" gives 小区, 区路, 路灯: 区路 is half of 小区 and no
// word).
func hotDropped(ts []string, i int) bool {
	t := ts[i]
	if hotStopBigrams[t] || utf8.RuneCountInString(t) == 1 || strings.ContainsAny(t, hotStopChars) {
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

// hotText is a case's weighted word set, as parallel slices sorted by word
// ID so that two sets intersect by merging.
type hotText struct {
	ids   []int32
	w     []float64
	title []bool // the word is in the title
	sum   float64
}

// hotTexts returns the weighted sets of the items and the number of items
// each word is in.
func hotTexts(items []HotTopicItem, tokens func(string) []string) ([]hotText, map[int32]int) {
	tok := map[string]int32{}
	texts := make([]hotText, len(items))
	df := map[int32]int{}
	titleDF := map[int32]int{}
	for i, it := range items {
		texts[i] = words(it.Title, it.Content, tokens, tok)
		for k, id := range texts[i].ids {
			df[id]++
			if texts[i].title[k] {
				titleDF[id]++
			}
		}
	}
	for i := range texts {
		t := &texts[i]
		for k, id := range t.ids {
			t.w[k] = (float64(titleDF[id]) + titlenessPrior) / (float64(df[id]) + titlenessBase)
			if t.title[k] {
				t.w[k] *= titleWeight
			}
			t.sum += t.w[k]
		}
	}
	return texts, df
}

// words returns the distinct words of a title and content, each marked as
// in the title or not, weights unset. tok maps each word to a small ID.
func words(title, content string, tokens func(string) []string, tok map[string]int32) hotText {
	inTitle := map[int32]bool{}
	add := func(s string, title bool) {
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
			inTitle[id] = inTitle[id] || title
		}
	}
	add(title, true)
	add(content, false)
	h := hotText{ids: slices.Sorted(maps.Keys(inTitle))}
	h.w = make([]float64, len(h.ids))
	h.title = make([]bool, len(h.ids))
	for i, id := range h.ids {
		h.title[i] = inTitle[id]
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
	// Σ max = Σa + Σb − Σ min over the common words.
	union := a.sum + b.sum - minSum
	if union == 0 {
		return 0
	}
	return minSum / union
}
