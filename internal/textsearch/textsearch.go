// Package textsearch turns Chinese text into search tokens that an ordinary
// word index can match: overlapping bigrams of each run of Han characters and
// lowercased Latin/digit words. Neither SQLite FTS5 nor PostgreSQL's default
// parser splits Chinese into words (docs/storage.md, "Chinese full-text search"),
// so we store these tokens, space-separated, in a search column and let the
// database index them as plain words (FTS5 unicode61, to_tsvector('simple')).
//
// A 2-character query "路灯" is one bigram and becomes one index lookup; a
// longer query is the phrase of its bigrams. A lone Han character cannot be
// looked up, because it only occurs inside bigrams: Query marks it for LIKE.
//
// Changing how text is tokenized changes every stored document: all search
// columns must then be rebuilt.
package textsearch

import (
	"strings"
	"unicode"
)

// Rune classes.
const (
	sep    = iota // separates runs: spaces, punctuation, symbols, emoji
	han           // a Han character (not CJK punctuation, which is not Han script)
	word          // a letter or digit of any other script
	ignore        // combining marks and format characters: dropped without ending a run
)

// fold maps full-width ASCII (ＡＢＣ１２３！) to half-width, the part of NFKC
// that matters for what Chinese input methods produce.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFEE0
	}
	return r
}

// class classifies a folded rune.
func class(r rune) int {
	switch {
	case r < 0x80:
		// Fast path for ASCII.
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return word
		}
		return sep
	case unicode.Is(unicode.Han, r):
		// Han script holds letters (汉), 々 and the numerals 〇〡…; CJK
		// punctuation (、。「」) is Common script and falls to sep below.
		// Radicals (⺀, ⼀) are Han symbols: not text.
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return han
		}
		return sep
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return word
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf):
		// Accents written as combining marks, variation selectors after Han
		// characters, zero-width spaces pasted from web pages.
		return ignore
	}
	return sep
}

// scan calls emit for each run of Han characters or of word characters, in
// order, and end after each chunk — a maximal stretch of text without
// separators, which can hold several runs ("3号楼" is "3" then "号楼").
// Runs are folded; word runs are lowercased.
func scan(s string, emit func(kind int, run []rune), end func()) {
	var run []rune
	kind := sep
	inChunk := false
	flush := func() {
		if len(run) > 0 {
			emit(kind, run)
			run = run[:0]
		}
	}
	for _, r := range s {
		r = fold(r)
		c := class(r)
		switch c {
		case ignore:
			continue
		case sep:
			flush()
			if inChunk && end != nil {
				end()
			}
			inChunk = false
			continue
		}
		if c != kind {
			flush()
			kind = c
		}
		if c == word {
			r = unicode.ToLower(r)
		}
		run = append(run, r)
		inChunk = true
	}
	flush()
	if inChunk && end != nil {
		end()
	}
}

// appendRunTokens appends the tokens of one run.
func appendRunTokens(toks []string, kind int, run []rune) []string {
	if kind == word || len(run) == 1 {
		return append(toks, string(run))
	}
	for i := 0; i+1 < len(run); i++ {
		toks = append(toks, string(run[i:i+2]))
	}
	return toks
}

// Tokens returns the search tokens of a text: overlapping bigrams of each run
// of Han characters (a lone Han character as a unigram), Latin and digit words
// lowercased, full-width ASCII folded to half-width, punctuation, symbols and
// spaces dropped. Tokens("3号楼路灯不亮") is [3 号楼 楼路 路灯 灯不 不亮].
// Duplicates are kept and the order is the text's: phrase queries need the
// positions.
func Tokens(s string) []string {
	var toks []string
	scan(s, func(kind int, run []rune) { toks = appendRunTokens(toks, kind, run) }, nil)
	return toks
}

// Document returns the tokens of the fields joined by single spaces: what is
// stored in a search column. Each field is tokenized on its own, so no bigram
// joins the end of a title to the start of the content.
func Document(fields ...string) string {
	var b strings.Builder
	for _, f := range fields {
		for _, t := range Tokens(f) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// A Term is one part of a user query that a matching text must contain.
type Term struct {
	// Text is the query chunk, full-width folded and lowercased: what to
	// match with LIKE when Phrase is nil.
	Text string
	// Phrase is the chunk's tokens, which must occur consecutively in a
	// matching document. It is nil when the chunk holds a lone Han character
	// ("灯", "3号"): the index stores that character only inside bigrams
	// (路灯, 号楼), so only LIKE can find it.
	Phrase []string
}

// Query splits a user query into terms, one per chunk of text between spaces
// and punctuation, all of which a matching text must contain. Each chunk is
// a phrase rather than the whole query: the user's "小区 路灯" must find
// "小区路灯不亮", whose tokens 小区 and 路灯 are not adjacent (区路 lies
// between). Query syntax (quotes, OR, *, NEAR) is punctuation or a plain
// word here. A query of only punctuation or emoji has no terms.
func Query(q string) []Term {
	var terms []Term
	var text []rune
	var phrase []string
	lone := false
	scan(q, func(kind int, run []rune) {
		text = append(text, run...)
		phrase = appendRunTokens(phrase, kind, run)
		if kind == han && len(run) == 1 {
			lone = true
		}
	}, func() {
		t := Term{Text: string(text), Phrase: phrase}
		if lone {
			t.Phrase = nil
		}
		terms = append(terms, t)
		text, phrase, lone = nil, nil, false
	})
	return terms
}

// Jaccard returns the Jaccard similarity of the token sets of a and b: the
// share of distinct bigrams and words the two texts have in common. Two
// near-identical reports of one issue score about 0.17 or more, unrelated
// ones 0.02–0.05; differently worded complaints about one matter may score
// no higher than unrelated ones (docs/storage.md). Two texts without tokens
// score 0.
func Jaccard(a, b string) float64 {
	sa := make(map[string]bool)
	for _, t := range Tokens(a) {
		sa[t] = true
	}
	sb := make(map[string]bool)
	for _, t := range Tokens(b) {
		sb[t] = true
	}
	common := 0
	for t := range sb {
		if sa[t] {
			common++
		}
	}
	union := len(sa) + len(sb) - common
	if union == 0 {
		return 0
	}
	return float64(common) / float64(union)
}
