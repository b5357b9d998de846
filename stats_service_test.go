package lianluo_test

import (
	"testing"
	"time"

	"lianluo"
)

func TestStatsFilterValidate(t *testing.T) {
	t.Parallel()
	year, err := lianluo.PresetPeriod(lianluo.PresetYear, time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f     lianluo.StatsFilter
		field string // "" when valid
	}{
		{lianluo.StatsFilter{Period: year}, ""},
		{lianluo.StatsFilter{Period: year, GroupBy: lianluo.GroupByMonth, StationID: 3, UnitID: 4, Category: "教育"}, ""},
		{lianluo.StatsFilter{Period: year, GroupBy: "week"}, "group_by"},
		{lianluo.StatsFilter{}, "from"},
		{lianluo.StatsFilter{Period: lianluo.Period{From: year.To, To: year.From}}, "from"},
		{lianluo.StatsFilter{Period: year, StationID: -1}, "station_id"},
		{lianluo.StatsFilter{Period: year, UnitID: -1}, "unit_id"},
	}
	for _, tt := range tests {
		err := tt.f.Validate()
		if got := lianluo.ErrorField(err); got != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%+v: error %v (field %q), want field %q", tt.f, err, got, tt.field)
		}
	}
	for g := range lianluo.GroupByNames {
		if err := (lianluo.StatsFilter{Period: year, GroupBy: g}).Validate(); err != nil {
			t.Errorf("group_by %s: %v", g, err)
		}
	}
}

func TestSortStatsRows(t *testing.T) {
	t.Parallel()
	row := func(key string, n int) lianluo.StatsRow {
		return lianluo.StatsRow{Key: key, CaseCounts: lianluo.CaseCounts{Received: n}}
	}
	keys := func(rows []lianluo.StatsRow) string {
		s := ""
		for _, r := range rows {
			s += r.Key + " "
		}
		return s
	}
	rows := []lianluo.StatsRow{row("2026-03", 1), row("2026-01", 5), row("2026-02", 5)}
	lianluo.SortStatsRows(lianluo.GroupByStation, rows)
	if got := keys(rows); got != "2026-01 2026-02 2026-03 " {
		t.Errorf("by received: %s", got)
	}
	rows = []lianluo.StatsRow{row("2026-03", 9), row("2026-01", 1), row("2026-02", 5)}
	lianluo.SortStatsRows(lianluo.GroupByMonth, rows)
	if got := keys(rows); got != "2026-01 2026-02 2026-03 " {
		t.Errorf("months: %s", got)
	}
}
