package lianluo_test

import (
	"testing"
	"time"

	"lianluo"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseDateRange(t *testing.T) {
	tests := []struct {
		from, to       string
		wantFrom, want string // the half-open interval, UTC
		name           string
	}{
		{"2026-10-01", "2026-12-31", "2026-09-30T16:00:00Z", "2026-12-31T16:00:00Z", "2026年10月1日至2026年12月31日"},
		{"2026-11-05", "2026-11-05", "2026-11-04T16:00:00Z", "2026-11-05T16:00:00Z", "2026年11月5日至2026年11月5日"},
		{"2024-02-29", "2024-03-01", "2024-02-28T16:00:00Z", "2024-03-01T16:00:00Z", "2024年2月29日至2024年3月1日"},
	}
	for _, tc := range tests {
		p, err := lianluo.ParseDateRange(tc.from, tc.to)
		if err != nil {
			t.Errorf("ParseDateRange(%q, %q) error %v", tc.from, tc.to, err)
			continue
		}
		if !p.From.Equal(utc(tc.wantFrom)) || !p.To.Equal(utc(tc.want)) || p.Name != tc.name {
			t.Errorf("ParseDateRange(%q, %q) = [%v, %v) %q; want [%s, %s) %q", tc.from, tc.to, p.From, p.To, p.Name, tc.wantFrom, tc.want, tc.name)
		}
		if p.FromDate() != tc.from || p.ToDate() != tc.to {
			t.Errorf("ParseDateRange(%q, %q) dates = %s, %s; want them back", tc.from, tc.to, p.FromDate(), p.ToDate())
		}
	}

	bad := []struct{ from, to, field string }{
		{"", "2026-12-31", "from"},
		{"2026-10-01", "", "to"},
		{"2026/10/01", "2026-12-31", "from"},
		{"2026-10-1", "2026-12-31", "from"},
		{"2026-10-01", "2026-02-30", "to"},
		{"2026-10-01", "2026-13-01", "to"},
		{"2026-12-31", "2026-10-01", "to"},
		{"1999-12-31", "2026-10-01", "from"},
		{"2026-10-01", "2101-01-01", "to"},
	}
	for _, tc := range bad {
		_, err := lianluo.ParseDateRange(tc.from, tc.to)
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != tc.field || lianluo.ErrorMessage(err) == "" {
			t.Errorf("ParseDateRange(%q, %q) error = %v; want invalid on %s", tc.from, tc.to, err, tc.field)
		}
	}
}

func TestPeriodContains(t *testing.T) {
	p, err := lianluo.ParseDateRange("2026-10-01", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 9, 30, 23, 59, 59, 0, lianluo.Beijing), false},
		{time.Date(2026, 10, 1, 0, 0, 0, 0, lianluo.Beijing), true},
		{utc("2026-10-01T00:00:00Z"), true}, // 08:00 Beijing
		{time.Date(2026, 12, 31, 23, 59, 59, 0, lianluo.Beijing), true},
		{utc("2026-12-31T16:00:00Z"), false}, // 2027-01-01 00:00 Beijing
	}
	for _, tc := range tests {
		if got := p.Contains(tc.at); got != tc.want {
			t.Errorf("Contains(%v) = %v; want %v", tc.at, got, tc.want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in, from, to, name string
	}{
		{"2026", "2025-12-31T16:00:00Z", "2026-12-31T16:00:00Z", "2026年"},
		{"2026Q4", "2026-09-30T16:00:00Z", "2026-12-31T16:00:00Z", "2026年第四季度"},
		{"2026q1", "2025-12-31T16:00:00Z", "2026-03-31T16:00:00Z", "2026年第一季度"},
		{"2026Q2", "2026-03-31T16:00:00Z", "2026-06-30T16:00:00Z", "2026年第二季度"},
		{"2026-11", "2026-10-31T16:00:00Z", "2026-11-30T16:00:00Z", "2026年11月"},
		{"2026-12", "2026-11-30T16:00:00Z", "2026-12-31T16:00:00Z", "2026年12月"},
		{"2024-02", "2024-01-31T16:00:00Z", "2024-02-29T16:00:00Z", "2024年2月"},
	}
	for _, tc := range tests {
		p, err := lianluo.ParsePeriod(tc.in)
		if err != nil {
			t.Errorf("ParsePeriod(%q) error %v", tc.in, err)
			continue
		}
		if !p.From.Equal(utc(tc.from)) || !p.To.Equal(utc(tc.to)) || p.Name != tc.name {
			t.Errorf("ParsePeriod(%q) = [%v, %v) %q; want [%s, %s) %q", tc.in, p.From, p.To, p.Name, tc.from, tc.to, tc.name)
		}
	}

	for _, in := range []string{"", "2026Q5", "2026Q0", "2026-13", "2026-00", "2026-1", "26Q4", "1999", "2101Q1",
		"2026 ", "Q4 2026", "2026-11-01", "二〇二六年", "2026H1"} {
		_, err := lianluo.ParsePeriod(in)
		if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "period" || lianluo.ErrorMessage(err) == "" {
			t.Errorf("ParsePeriod(%q) error = %v; want invalid on period", in, err)
		}
	}
}

func TestPresetPeriod(t *testing.T) {
	newYear := utc("2026-12-31T17:00:00Z") // already 2027-01-01 01:00 in Beijing
	may := time.Date(2026, 5, 15, 9, 0, 0, 0, lianluo.Beijing)
	tests := []struct {
		preset   string
		now      time.Time
		from, to string
	}{
		{lianluo.PresetMonth, newYear, "2026-12-31T16:00:00Z", "2027-01-31T16:00:00Z"},
		{lianluo.PresetQuarter, newYear, "2026-12-31T16:00:00Z", "2027-03-31T16:00:00Z"},
		{lianluo.PresetYear, newYear, "2026-12-31T16:00:00Z", "2027-12-31T16:00:00Z"},
		{lianluo.PresetMonth, may, "2026-04-30T16:00:00Z", "2026-05-31T16:00:00Z"},
		{lianluo.PresetQuarter, may, "2026-03-31T16:00:00Z", "2026-06-30T16:00:00Z"},
		{lianluo.PresetYear, may, "2025-12-31T16:00:00Z", "2026-12-31T16:00:00Z"},
	}
	for _, tc := range tests {
		p, err := lianluo.PresetPeriod(tc.preset, tc.now)
		if err != nil {
			t.Errorf("PresetPeriod(%s, %v) error %v", tc.preset, tc.now, err)
			continue
		}
		if !p.From.Equal(utc(tc.from)) || !p.To.Equal(utc(tc.to)) {
			t.Errorf("PresetPeriod(%s, %v) = [%v, %v); want [%s, %s)", tc.preset, tc.now, p.From, p.To, tc.from, tc.to)
		}
	}
	if _, err := lianluo.PresetPeriod("week", may); lianluo.ErrorField(err) != "preset" {
		t.Errorf("PresetPeriod(week) error = %v; want invalid on preset", err)
	}
}
