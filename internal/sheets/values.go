package sheets

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"lianluo"
)

// choices maps what users write in a column to codes.
type choices struct {
	names []string          // the Chinese names, in display order, for messages and drop-downs
	codes map[string]string // normalised accepted text → code
}

// newChoices builds choices from code → name pairs in display order, plus
// other accepted spellings (alias → code). Codes themselves are accepted
// too, so a sheet written by a script works.
func newChoices(pairs [][2]string, aliases map[string]string) choices {
	c := choices{codes: map[string]string{}}
	for _, p := range pairs {
		c.names = append(c.names, p[1])
		c.codes[choiceKey(p[1])] = p[0]
		c.codes[choiceKey(p[0])] = p[0]
	}
	for a, code := range aliases {
		c.codes[choiceKey(a)] = code
	}
	return c
}

// name returns the Chinese name of a code.
func (c choices) name(code string) string {
	for _, n := range c.names {
		if c.codes[choiceKey(n)] == code {
			return n
		}
	}
	return code
}

func choiceKey(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "").Replace(s)
	return strings.ToLower(s)
}

// choice reads a column of choices. A blank cell gives def, or a problem
// when def is "" (the column is required).
func (p *problems) choice(r record, title string, c choices, def string) string {
	v := r.get(title)
	if v == "" {
		if def == "" {
			p.add(r, title, "请填写%s，可填：%s。", title, strings.Join(c.names, "、"))
		}
		return def
	}
	code, ok := c.codes[choiceKey(v)]
	if !ok {
		p.add(r, title, "%s“%s”无法识别，可填：%s。", title, lianluo.Truncate(v, 20), strings.Join(c.names, "、"))
	}
	return code
}

var yesNo = newChoices([][2]string{{"1", "是"}, {"0", "否"}},
	map[string]string{"y": "1", "yes": "1", "true": "1", "√": "1", "n": "0", "no": "0", "false": "0", "×": "0"})

// yesName is the 是/否 of b.
func yesName(b bool) string {
	if b {
		return yesNo.name("1")
	}
	return yesNo.name("0")
}

// yes reads a 是/否 column; blank is 否.
func (p *problems) yes(r record, title string) bool {
	return p.choice(r, title, yesNo, "0") == "1"
}

// listSeps separate the items of a list cell: 、，,；; and line breaks.
func isListSep(r rune) bool {
	switch r {
	case '、', '，', ',', '；', ';', '\n', '\r':
		return true
	}
	return false
}

// splitList splits a list cell into trimmed items, dropping empty ones.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, isListSep) {
		if part = clean(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// splitAligned splits a list whose items line up with another list
// (届次, 选区): empty items are kept, so "、第3选区" is two items.
func splitAligned(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	start := 0
	for i, r := range s {
		if isListSep(r) {
			out = append(out, clean(s[start:i]))
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, clean(s[start:]))
}

// parseTerm reads a 届次: "18", "第18届", "第十八届".
func parseTerm(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "第"), "届")
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return n, true
	}
	return chineseNumber(s)
}

var chineseDigits = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads 一 … 九十九.
func chineseNumber(s string) (int, bool) {
	rs := []rune(s)
	d := func(i int) (int, bool) { n, ok := chineseDigits[rs[i]]; return n, ok }
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10, true
	case len(rs) == 1:
		return d(0)
	case len(rs) == 2 && rs[0] == '十':
		n, ok := d(1)
		return 10 + n, ok
	case len(rs) == 2 && rs[1] == '十':
		n, ok := d(0)
		return n * 10, ok
	case len(rs) == 3 && rs[1] == '十':
		t, ok1 := d(0)
		n, ok2 := d(2)
		return t*10 + n, ok1 && ok2
	}
	return 0, false
}

// phoneAtEnd finds a phone number at the end of "王五 13800001111",
// "王五：0574-86881234" or "王五（13800001111）".
var phoneAtEnd = regexp.MustCompile(`^(.*?)[\s:：(（]*(\+?[0-9][0-9\- ]*[0-9])[)）]?$`)

// splitNamePhone splits one liaison entry into name and phone.
func splitNamePhone(s string) (name, phone string) {
	m := phoneAtEnd.FindStringSubmatch(s)
	if m == nil {
		return s, ""
	}
	return clean(m[1]), strings.ReplaceAll(m[2], " ", "")
}
