package textsearch

import (
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ，。！", nil},
		{"小区路灯不亮", []string{"小区", "区路", "路灯", "灯不", "不亮"}},
		{"灯", []string{"灯"}},
		{"路灯", []string{"路灯"}},
		// Punctuation ends a run: no bigram 区路 across the comma.
		{"小区，路灯", []string{"小区", "路灯"}},
		{"小区 路灯", []string{"小区", "路灯"}},
		// A digit run and a Han run are separate runs.
		{"3号楼", []string{"3", "号楼"}},
		{"3号楼路灯", []string{"3", "号楼", "楼路", "路灯"}},
		{"3号", []string{"3", "号"}},
		{"G104国道", []string{"g104", "国道"}},
		{"WiFi信号差", []string{"wifi", "信号", "号差"}},
		{"wifi信号差", []string{"wifi", "信号", "号差"}},
		// Full-width letters, digits and punctuation fold to half-width.
		{"ＡＢＣ１２３", []string{"abc123"}},
		{"ＷｉＦｉ，３号楼", []string{"wifi", "3", "号楼"}},
		// Emoji and symbols separate runs and are dropped.
		{"路灯👍不亮😡", []string{"路灯", "不亮"}},
		{"👍", nil},
		{"路灯★★坏了", []string{"路灯", "坏了"}},
		// CJK punctuation and the ideographic space are not Han.
		{"「路灯」、积水。", []string{"路灯", "积水"}},
		{"路灯\u3000积水", []string{"路灯", "积水"}},
		// 〇 is a Han numeral.
		{"二〇二六年", []string{"二〇", "〇二", "二六", "六年"}},
		// A zero-width space or a variation selector does not split a run.
		{"路\u200b灯", []string{"路灯"}},
		{"路\ufe00灯", []string{"路灯"}},
		// Duplicates are kept, in order.
		{"哈哈哈", []string{"哈哈", "哈哈"}},
		{"a a", []string{"a", "a"}},
		{"Email: li.ming@example.com", []string{"email", "li", "ming", "example", "com"}},
		{"CAFÉ", []string{"café"}},
		{"3.5米", []string{"3", "5", "米"}},
	} {
		if got := Tokens(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestDocument(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"", ""}, ""},
		{[]string{"小区路灯不亮"}, "小区 区路 路灯 灯不 不亮"},
		// No bigram 亮晚 across the field boundary.
		{[]string{"路灯不亮", "晚上出行不便"}, "路灯 灯不 不亮 晚上 上出 出行 行不 不便"},
		{[]string{"", "WiFi信号差"}, "wifi 信号 号差"},
		{[]string{"👍", "灯"}, "灯"},
	} {
		if got := Document(tc.in...); got != tc.want {
			t.Errorf("Document(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestQuery(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Term
	}{
		{"", nil},
		{"  ", nil},
		{"*", nil},
		{"👍", nil},
		{"路灯", []Term{{"路灯", []string{"路灯"}}}},
		{"路灯不亮", []Term{{"路灯不亮", []string{"路灯", "灯不", "不亮"}}}},
		// Each chunk is a phrase of its own: "小区 路灯" finds 小区路灯不亮.
		{"小区 路灯", []Term{{"小区", []string{"小区"}}, {"路灯", []string{"路灯"}}}},
		{" 小区，路灯 ", []Term{{"小区", []string{"小区"}}, {"路灯", []string{"路灯"}}}},
		{"3号楼", []Term{{"3号楼", []string{"3", "号楼"}}}},
		// A lone Han character has no token the index can find: LIKE.
		{"灯", []Term{{"灯", nil}}},
		{"３号", []Term{{"3号", nil}}},
		{"路灯 坏", []Term{{"路灯", []string{"路灯"}}, {"坏", nil}}},
		{"WiFi", []Term{{"wifi", []string{"wifi"}}}},
		{"ＷＩＦＩ", []Term{{"wifi", []string{"wifi"}}}},
		// Query syntax is punctuation or a plain word.
		{`路灯" OR "x`, []Term{{"路灯", []string{"路灯"}}, {"or", []string{"or"}}, {"x", []string{"x"}}}},
		{"NEAR(", []Term{{"near", []string{"near"}}}},
		{"路灯*", []Term{{"路灯", []string{"路灯"}}}},
	} {
		if got := Query(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Query(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// Every phrase of a query that matches a text occurs in the text's tokens.
func TestQueryPhrasesOccurInDocument(t *testing.T) {
	text := "请问3号楼前面的小区路灯什么时候修？WiFi也不稳定"
	doc := Tokens(text)
	for _, q := range []string{"3号楼", "小区路灯", "路灯什么时候修", "wifi", "ＷｉＦｉ也不稳定", "小区 修"} {
		for _, term := range Query(q) {
			if term.Phrase == nil {
				continue
			}
			if !containsRun(doc, term.Phrase) {
				t.Errorf("Query(%q) phrase %q is not in Tokens(%q) = %q", q, term.Phrase, text, doc)
			}
		}
	}
}

func containsRun(toks, run []string) bool {
	for i := 0; i+len(run) <= len(toks); i++ {
		if reflect.DeepEqual(toks[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

func TestJaccard(t *testing.T) {
	same1 := "我们小区的路灯坏了好几天，晚上出行很不方便"
	same2 := "小区路灯不亮，晚上出行不方便，请尽快维修"
	other := "道路积水严重，下雨天孩子上学要绕路"
	if got := Jaccard(same1, same1); got != 1 {
		t.Errorf("Jaccard(a, a) = %v; want 1", got)
	}
	if got := Jaccard("", ""); got != 0 {
		t.Errorf(`Jaccard("", "") = %v; want 0`, got)
	}
	if got := Jaccard(same1, ""); got != 0 {
		t.Errorf(`Jaccard(a, "") = %v; want 0`, got)
	}
	if a, b := Jaccard(same1, same2), Jaccard(same2, same1); a != b {
		t.Errorf("Jaccard is not symmetric: %v, %v", a, b)
	}
	// Sets, not multisets: repeating a text changes nothing.
	if a, b := Jaccard(same1, same2), Jaccard(same1+"。"+same1, same2); a != b {
		t.Errorf("Jaccard(a+a, b) = %v; want Jaccard(a, b) = %v", b, a)
	}
	// {路灯 灯坏} ∩ {路灯 灯不 不亮} = {路灯}: 1 of 4.
	if got, want := Jaccard("路灯坏", "路灯不亮"), 0.25; got != want {
		t.Errorf("Jaccard(路灯坏, 路灯不亮) = %v; want %v", got, want)
	}
	s, o := Jaccard(same1, same2), Jaccard(same1, other)
	if s < 0.17 || o > 0.05 {
		t.Errorf("same issue %.3f (want ≥ 0.17), unrelated %.3f (want ≤ 0.05)", s, o)
	}
}
