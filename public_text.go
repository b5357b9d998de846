package lianluo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// What may be published (办理结果公开, docs/design.md): the
// public text of a result is worded by staff, often from notes written for
// the voter ("已电话告知王秀英…"). Before it goes on the public site it is
// checked for the submitter's own details; publishing is refused until
// they are taken out. MaskText then masks any other number in it.

// DefaultPublicAnswer is where the public text of a result starts: the
// unit's answer (units write to the deputy and the station, not to the
// voter by name), or, for a case closed without a unit (answered on the
// spot, explained), the closing text. Never the feedback note, which is
// written to the voter.
func DefaultPublicAnswer(c *Case) string {
	if c.Reply != nil {
		return c.Reply.Content
	}
	return c.Outcome
}

// ResultPreview is what publishing a case would put on /results, with the
// refusal publishing would meet (nil when the text may go).
type ResultPreview struct {
	Result  *PublishedResult
	Refusal error
}

// compoundSurnames are the two-character surnames common enough to matter
// when the given name is looked for on its own.
var compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
	"宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "独孤", "南宫", "西门", "端木", "申屠", "澹台", "万俟", "闻人"}

// GivenName is a Chinese name without its surname: 秀英 of 王秀英, 晓明 of
// 欧阳晓明. A four-character name is read as a two-character surname, as
// MaskName does.
func GivenName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) < 2 {
		return ""
	}
	n := 1
	if len(r) == 4 {
		n = 2
	}
	for _, s := range compoundSurnames {
		if strings.HasPrefix(string(r), s) && len(r) > 2 {
			n = 2
		}
	}
	return string(r[n:])
}

// CheckPublicText refuses a text meant for the public that carries the
// submitter's name (the full name, or the given name when it has two
// characters or more), phone number (in full, or any run of seven digits
// or more out of it) or address (in full, or its house-number part). The
// error is a field error on field naming what was found: the name in
// quotes, since staff wrote it and must find it; the phone and address
// only by kind, so that the message does not repeat them.
func CheckPublicText(field, text string, s Submitter) error {
	var found []string
	if name := strings.TrimSpace(s.Name); utf8.RuneCountInString(name) >= 2 && strings.Contains(text, name) {
		found = append(found, "姓名“"+name+"”")
	} else if given := GivenName(name); utf8.RuneCountInString(given) >= 2 && strings.Contains(text, given) {
		found = append(found, "名字“"+given+"”")
	}
	if phoneInside(text, s.Phone) {
		found = append(found, "电话号码")
	}
	if addressInside(text, s.Address) {
		found = append(found, "住址")
	}
	if len(found) == 0 {
		return nil
	}
	return FieldError(field, "公开内容中含有反映人的%s，请删除后再公开。", strings.Join(found, "、"))
}

// minPhoneRun is the shortest run of a phone's digits that counts as the
// phone: seven digits name a landline or most of a mobile number.
const minPhoneRun = 7

// phoneInside reports whether text carries seven or more consecutive digits
// of phone. Digits are read as a reader would: full-width digits count, and
// spaces and dashes between digits do not break a run (138 1234 5678).
func phoneInside(text, phone string) bool {
	p := digitsOf(phone)
	if len(p) < minPhoneRun {
		return false
	}
	for _, run := range digitRuns(text) {
		if len(run) < minPhoneRun {
			continue
		}
		// The run is part of the phone, or the phone is part of the run
		// (a number written with a prefix such as 86).
		if strings.Contains(run, p) {
			return true
		}
		for i := 0; i+minPhoneRun <= len(run); i++ {
			if strings.Contains(p, run[i:i+minPhoneRun]) {
				return true
			}
		}
	}
	return false
}

// digitsOf keeps the digits of s, full-width ones as ASCII.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if d, ok := asciiDigit(r); ok {
			b.WriteByte(d)
		}
	}
	return b.String()
}

func asciiDigit(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '０' && r <= '９':
		return byte('0' + r - '０'), true
	}
	return 0, false
}

// digitRuns are the runs of digits in text, joined across the spaces and
// dashes people put inside numbers.
func digitRuns(text string) []string {
	var runs []string
	var cur strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		if d, ok := asciiDigit(rs[i]); ok {
			cur.WriteByte(d)
			continue
		}
		if cur.Len() > 0 && strings.ContainsRune(" -－—　", rs[i]) && i+1 < len(rs) {
			if _, ok := asciiDigit(rs[i+1]); ok {
				continue
			}
		}
		if cur.Len() > 0 {
			runs = append(runs, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		runs = append(runs, cur.String())
	}
	return runs
}

// addressInside reports whether text carries the address: in full, or its
// house-number part (from the first digit on: 5幢301室), which names a
// home even when the street is left out. A bare number ("5号") is too
// common in answers to count: the part must have four characters or more.
func addressInside(text, address string) bool {
	a := strings.Join(strings.Fields(address), "")
	if utf8.RuneCountInString(a) < 4 {
		return false
	}
	t := strings.Join(strings.Fields(text), "")
	if strings.Contains(t, a) {
		return true
	}
	i := strings.IndexFunc(a, unicode.IsDigit)
	if i < 0 {
		return false
	}
	house := a[i:]
	return utf8.RuneCountInString(house) >= 4 && strings.Contains(t, house)
}

// MaskSubmitterIn masks the submitter's own name, given name and address
// where they wrote them into text meant for the public (a voter's 反映内容
// may say "我是王秀英，住XX路12号"): the office can refuse its own answer text
// (CheckPublicText) but cannot edit what the voter wrote, so /results
// masks it instead, as it masks numbers (MaskText).
func MaskSubmitterIn(text string, s Submitter) string {
	name := strings.TrimSpace(s.Name)
	if utf8.RuneCountInString(name) >= 2 {
		text = strings.ReplaceAll(text, name, MaskName(name))
	}
	if given := GivenName(name); utf8.RuneCountInString(given) >= 2 {
		text = strings.ReplaceAll(text, given, strings.Repeat("*", utf8.RuneCountInString(given)))
	}
	if addr := strings.TrimSpace(s.Address); utf8.RuneCountInString(addr) >= 4 {
		text = strings.ReplaceAll(text, addr, "（地址已隐去）")
	}
	return text
}
