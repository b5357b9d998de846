package lianluo

import (
	"fmt"
	"strings"
	"testing"
)

func TestReportShare(t *testing.T) {
	for _, tc := range []struct{ n, lo, hi int }{{0, 0, 0}, {3, 1, 1}, {5, 1, 2}, {7, 1, 3}, {10, 2, 3}, {20, 4, 6}, {23, 4, 7}} {
		if lo, hi := ReportShare(tc.n); lo != tc.lo || hi != tc.hi {
			t.Errorf("ReportShare(%d) = %d, %d; want %d, %d", tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
	for _, tc := range []struct{ year, start int }{{2022, 2022}, {2026, 2022}, {2027, 2027}, {2021, 2017}, {2017, 2017}} {
		if got := TermStart(tc.year); got != tc.start {
			t.Errorf("TermStart(%d) = %d; want %d", tc.year, got, tc.start)
		}
	}
}

func TestCheckReportPlan(t *testing.T) {
	members := make([]DeputyRef, 10)
	for i := range members {
		members[i] = DeputyRef{ID: int64(i + 1), Name: fmt.Sprintf("代表%d", i+1)}
	}
	for _, tc := range []struct {
		name    string
		year    int
		planned []int64
		earlier map[int64][]int
		want    []string // fields of the warnings, in order
		words   string
	}{
		{"20 %", 2026, []int64{1, 2}, nil, nil, ""},
		{"30 %", 2026, []int64{1, 2, 3}, nil, nil, ""},
		{"below 20 %", 2026, []int64{1}, nil, []string{"deputy_ids"}, "少于每年20%至30%（2至3名）"},
		{"above 30 %", 2026, []int64{1, 2, 3, 4}, nil, []string{"deputy_ids"}, "多于"},
		{"none", 2026, nil, nil, []string{"deputy_ids"}, "安排述职0名"},
		{"first year", 2022, []int64{1, 2}, nil, []string{"year"}, "第一年"},
		{"first year of the next term", 2027, []int64{1, 2}, map[int64][]int{1: {2023}}, []string{"year"}, ""},
		{"again while others wait", 2026, []int64{1, 2}, map[int64][]int{1: {2023, 2024}}, []string{"deputy_ids"}, "代表1代表本届已于2023年、2024年安排过述职，本组还有8名代表"},
		{"again when all have", 2026, []int64{1, 2}, map[int64][]int{1: {2023}, 3: {2023}, 4: {2023}, 5: {2024}, 6: {2024}, 7: {2025}, 8: {2025}, 9: {2025}, 10: {2024}}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			earlier := tc.earlier
			if tc.year == 2027 {
				earlier = nil // a new term: nothing earlier in it
			}
			ws := CheckReportPlan(ReportPlanFacts{Year: tc.year, Members: members, Planned: tc.planned, Earlier: earlier})
			var fields, words []string
			for _, w := range ws {
				fields, words = append(fields, w.Field), append(words, w.Message)
			}
			if fmt.Sprint(fields) != fmt.Sprint(tc.want) || !strings.Contains(strings.Join(words, "|"), tc.words) {
				t.Errorf("CheckReportPlan = %v; want fields %v with %q", ws, tc.want, tc.words)
			}
		})
	}
	err := WarningsError([]Warning{{"year", "甲。"}, {"deputy_ids", "乙。"}})
	if ErrorField(err) != "reason" || !strings.Contains(ErrorMessage(err), "1. 甲。 2. 乙。") {
		t.Errorf("WarningsError = %v", err)
	}
}
