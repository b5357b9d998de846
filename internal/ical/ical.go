// Package ical writes iCalendar feeds (RFC 5545) that phone calendars
// subscribe to: a deputy's turns at stations, a station's published
// receptions. Only what subscriptions need: VCALENDAR with VEVENTs, UTC
// times, escaping, and line folding that never splits a UTF-8 character
// (Chinese text is three octets a character, so naive folding at 75 bytes
// would corrupt it).
package ical

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is one feed.
type Calendar struct {
	Name     string        // X-WR-CALNAME: the name calendar apps show
	TimeZone string        // X-WR-TIMEZONE, e.g. "Asia/Shanghai"; times are still written in UTC
	Refresh  time.Duration // REFRESH-INTERVAL: how often clients should fetch; 0 for none
	Events   []Event
}

// Event is one VEVENT.
type Event struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	Updated     time.Time // LAST-MODIFIED and SEQUENCE; zero for none
	Cancelled   bool      // STATUS:CANCELLED, so subscribed calendars strike it out
}

// maxLine is the longest content line RFC 5545 (3.1) allows, in octets,
// without the CRLF.
const maxLine = 75

// Marshal renders the calendar. stamp is the DTSTAMP of every event (the
// time the feed was made).
func (c *Calendar) Marshal(stamp time.Time) []byte {
	var b bytes.Buffer
	w := func(name, value string) { writeLine(&b, name+":"+value) }
	w("BEGIN", "VCALENDAR")
	w("VERSION", "2.0")
	w("PRODID", "-//Lianluo//人大代表联络站工作平台//ZH")
	w("CALSCALE", "GREGORIAN")
	w("METHOD", "PUBLISH")
	if c.Name != "" {
		w("X-WR-CALNAME", Escape(c.Name))
	}
	if c.TimeZone != "" {
		w("X-WR-TIMEZONE", Escape(c.TimeZone))
	}
	if c.Refresh > 0 {
		writeLine(&b, "REFRESH-INTERVAL;VALUE=DURATION:"+duration(c.Refresh))
		w("X-PUBLISHED-TTL", duration(c.Refresh))
	}
	for _, e := range c.Events {
		w("BEGIN", "VEVENT")
		w("UID", Escape(e.UID))
		w("DTSTAMP", utc(stamp))
		w("DTSTART", utc(e.Start))
		w("DTEND", utc(e.End))
		w("SUMMARY", Escape(e.Summary))
		if e.Location != "" {
			w("LOCATION", Escape(e.Location))
		}
		if e.Description != "" {
			w("DESCRIPTION", Escape(e.Description))
		}
		if !e.Updated.IsZero() {
			w("LAST-MODIFIED", utc(e.Updated))
			// Clients keep the highest SEQUENCE of an event; seconds since
			// 2020 grow with every change and fit in an int32 for decades.
			w("SEQUENCE", itoa(max(0, e.Updated.Unix()-1577836800)))
		}
		if e.Cancelled {
			w("STATUS", "CANCELLED")
		} else {
			w("STATUS", "CONFIRMED")
		}
		w("END", "VEVENT")
	}
	w("END", "VCALENDAR")
	return b.Bytes()
}

// utc formats a time as a UTC DATE-TIME ("20260315T010000Z").
func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// duration formats a positive duration as an RFC 5545 DURATION ("PT6H").
func duration(d time.Duration) string {
	s := int64(d / time.Second)
	var b strings.Builder
	b.WriteString("P")
	if days := s / 86400; days > 0 {
		b.WriteString(itoa(days) + "D")
		s %= 86400
	}
	if s > 0 {
		b.WriteString("T")
		if h := s / 3600; h > 0 {
			b.WriteString(itoa(h) + "H")
		}
		if m := s % 3600 / 60; m > 0 {
			b.WriteString(itoa(m) + "M")
		}
		if sec := s % 60; sec > 0 {
			b.WriteString(itoa(sec) + "S")
		}
	}
	if b.Len() == 1 {
		return "PT0S"
	}
	return b.String()
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

// Escape escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon,
// comma and newlines. Carriage returns are dropped (a CRLF becomes one \n),
// and other control characters, which TEXT does not allow, become spaces.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeLine writes a content line folded at 75 octets: each continuation
// line starts with one space (which counts toward its 75), and a break
// falls only between UTF-8 characters.
func writeLine(b *bytes.Buffer, line string) {
	limit := maxLine
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLine - 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
