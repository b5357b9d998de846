package sheets_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sheets"
)

func TestCaseStatsFilename(t *testing.T) {
	t.Parallel()
	tests := []struct {
		period, from, to string
		want             string
	}{
		{period: "2026", want: "意见办理统计_2026.xlsx"},
		{period: "2026Q4", want: "意见办理统计_2026Q4.xlsx"},
		{period: "2026-11", want: "意见办理统计_2026-11.xlsx"},
		{from: "2026-10-01", to: "2026-12-31", want: "意见办理统计_2026Q4.xlsx"},
		{from: "2026-10-01", to: "2026-12-30", want: "意见办理统计_2026-10-01至2026-12-30.xlsx"},
		{from: "2026-02-01", to: "2026-04-30", want: "意见办理统计_2026-02-01至2026-04-30.xlsx"},
	}
	for _, tt := range tests {
		var p lianluo.Period
		var err error
		if tt.period != "" {
			p, err = lianluo.ParsePeriod(tt.period)
		} else {
			p, err = lianluo.ParseDateRange(tt.from, tt.to)
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := sheets.CaseStatsFilename(p); got != tt.want {
			t.Errorf("CaseStatsFilename(%s%s–%s) = %q; want %q", tt.period, tt.from, tt.to, got, tt.want)
		}
	}
}
