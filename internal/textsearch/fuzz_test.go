package textsearch_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"lianluo/internal/textsearch"
)

// FuzzQuery: what is stored (Document) splits back into its tokens — no
// token is empty or holds a space, which would break the stored column —
// and a text matches a query made of itself: every term's phrase occurs in
// the text's tokens, in order. Similarity is within 0…1 and symmetric.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"3号楼路灯不亮", "小区 路灯", "ＷｉＦｉ，３号楼", "G104国道", "\"路灯\" OR 小区*", "灯", "e\u0301te\u0301", "İstanbul", "\u200b路\u200b灯", "\xff路灯"} {
		f.Add(s, "路灯坏了")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		toks := textsearch.Tokens(a)
		for _, tok := range toks {
			if tok == "" || strings.ContainsFunc(tok, func(r rune) bool { return r == ' ' }) || !utf8.ValidString(tok) {
				t.Fatalf("Tokens(%q) has token %q", a, tok)
			}
		}
		doc := textsearch.Document(a)
		if got := strings.Split(doc, " "); doc != "" && !slices.Equal(got, toks) || doc == "" && len(toks) > 0 {
			t.Fatalf("Document(%q) = %q; tokens %q", a, doc, toks)
		}
		for _, term := range textsearch.Query(a) {
			if term.Text == "" {
				t.Fatalf("Query(%q) has an empty term", a)
			}
			if term.Phrase != nil && !containsRun(toks, term.Phrase) {
				t.Fatalf("Query(%q) term %+v is not in the text's own tokens %q", a, term, toks)
			}
		}
		j, k := textsearch.Jaccard(a, b), textsearch.Jaccard(b, a)
		if j < 0 || j > 1 || j != k {
			t.Fatalf("Jaccard(%q, %q) = %v, reversed %v", a, b, j, k)
		}
		if self := textsearch.Jaccard(a, a); len(toks) > 0 && self != 1 {
			t.Fatalf("Jaccard(%q, itself) = %v", a, self)
		}
	})
}

// containsRun reports whether run occurs in toks consecutively.
func containsRun(toks, run []string) bool {
	for i := 0; i+len(run) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(run)], run) {
			return true
		}
	}
	return false
}
