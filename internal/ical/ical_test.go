package ical

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var beijing = time.FixedZone("CST", 8*3600)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"代表接待选民", "代表接待选民"},
		{`a,b;c\d`, `a\,b\;c\\d`},
		{"第一行\n第二行", `第一行\n第二行`},
		{"第一行\r\n第二行", `第一行\n第二行`},
		{"tab\there", "tab here"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// unfold undoes RFC 5545 folding: a CRLF followed by one space is removed.
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func TestFoldingChinese(t *testing.T) {
	long := strings.Repeat("大碶街道人大代表中心联络站，", 12) // 3-octet characters and commas
	for shift := range 3 {                       // the break falls at every offset within a character
		summary := strings.Repeat("x", shift) + long
		c := &Calendar{Name: "测试", Events: []Event{{UID: "a@b", Start: time.Unix(0, 0), End: time.Unix(3600, 0), Summary: summary}}}
		out := string(c.Marshal(time.Unix(0, 0)))
		if !strings.HasSuffix(out, "\r\n") {
			t.Fatalf("output does not end with CRLF")
		}
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		folded := 0
		for _, l := range lines {
			if len(l) > maxLine {
				t.Errorf("line of %d octets: %q", len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Errorf("line splits a character: %q", l)
			}
			if strings.Contains(l, "\n") || strings.Contains(l, "\r") {
				t.Errorf("bare line break in %q", l)
			}
			if strings.HasPrefix(l, " ") {
				folded++
			}
		}
		if folded < 4 {
			t.Errorf("shift %d: %d continuation lines; want the long summary folded", shift, folded)
		}
		if want := "SUMMARY:" + Escape(summary) + "\r\n"; !strings.Contains(unfold(out), want) {
			t.Errorf("shift %d: unfolded output lacks the summary", shift)
		}
	}
}

func TestMarshal(t *testing.T) {
	start := time.Date(2026, 3, 16, 9, 0, 0, 0, beijing)
	c := &Calendar{Name: "王建国的代表活动", TimeZone: "Asia/Shanghai", Refresh: 6 * time.Hour, Events: []Event{
		{UID: "reception-1@lianluo", Start: start, End: start.Add(2 * time.Hour), Summary: "代表接待选民（大碶站）",
			Location: "庐山西路1号, 大碶", Description: "接待代表：王建国、李秀英。", Updated: start},
		{UID: "reception-2@lianluo", Start: start.AddDate(0, 2, 0), End: start.AddDate(0, 2, 0).Add(time.Hour), Summary: "取消的接待", Cancelled: true},
	}}
	out := unfold(string(c.Marshal(time.Date(2026, 3, 2, 9, 30, 0, 0, beijing))))
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
		"X-WR-CALNAME:王建国的代表活动\r\n",
		"X-WR-TIMEZONE:Asia/Shanghai\r\n",
		"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n",
		"DTSTAMP:20260302T013000Z\r\n",
		"DTSTART:20260316T010000Z\r\n",
		"DTEND:20260316T030000Z\r\n",
		"UID:reception-1@lianluo\r\n",
		`LOCATION:庐山西路1号\, 大碶` + "\r\n",
		"STATUS:CONFIRMED\r\n",
		"SUMMARY:取消的接待\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n",
		"END:VCALENDAR\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("feed lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "BEGIN:VEVENT"); n != 2 {
		t.Errorf("%d events; want 2", n)
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("a line ends with a bare LF")
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{6 * time.Hour: "PT6H", 90 * time.Minute: "PT1H30M", 24 * time.Hour: "P1D", 0: "PT0S"} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %s; want %s", d, got, want)
		}
	}
}
