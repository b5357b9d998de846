package holidays

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"lianluo"
)

// TestParseNotices reads the State Council's notices as published
// (testdata/notice_<year>.txt) and checks that they give exactly the days
// cn.tsv lists for the year: the parser an administrator pastes next year's
// notice into reads the real text, and cn.tsv agrees with the notices.
func TestParseNotices(t *testing.T) {
	for _, year := range []int{2024, 2025, 2026} {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			text, err := os.ReadFile(fmt.Sprintf("testdata/notice_%d.txt", year))
			if err != nil {
				t.Fatal(err)
			}
			got, err := lianluo.ParseCalendarText(year, string(text))
			if err != nil {
				t.Fatalf("ParseCalendarText(%d, notice) = %v", year, err)
			}
			var want []lianluo.CalendarDay
			for _, d := range Days() {
				if strings.HasPrefix(d.Date, fmt.Sprint(year)) {
					want = append(want, d)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("ParseCalendarText(%d, notice) =\n%s\nwant (cn.tsv)\n%s", year, lianluo.CalendarText(got), lianluo.CalendarText(want))
			}
			// What the page shows for editing reads back the same.
			again, err := lianluo.ParseCalendarText(year, lianluo.CalendarText(got))
			if err != nil || !slices.Equal(again, got) {
				t.Errorf("ParseCalendarText(CalendarText(days)) = %v, %v; want the days back", again, err)
			}
		})
	}
}
