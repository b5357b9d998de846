package lianluo

// HotSimilarities returns the similarity of items i and j as ClusterHotTopics
// measures it in the window of the items (indexes in the items' order).
func HotSimilarities(items []HotTopicItem, tokens func(string) []string) func(i, j int) float64 {
	texts, _ := hotTexts(items, tokens)
	return func(i, j int) float64 { return similarity(texts[i], texts[j]) }
}
