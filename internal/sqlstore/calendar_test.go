package sqlstore_test

import (
	"context"
	"testing"

	"lianluo"
	"lianluo/internal/holidays"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestSetCalendarYearVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		old, err := db.CalendarDays(ctx, 2026)
		if err != nil || len(old) == 0 {
			t.Fatalf("CalendarDays(2026) = %d days, %v; want the shipped year", len(old), err)
		}
		seen := lianluo.CalendarVersion(old)
		first := []lianluo.CalendarDay{{Date: "2026-01-01", Kind: lianluo.DayHoliday, Name: "元旦"}}
		if err := db.SetCalendarYear(ctx, 2026, first, seen); err != nil {
			t.Fatalf("SetCalendarYear with the version read = %v", err)
		}
		// A second administrator saving from the same page is refused.
		if err := db.SetCalendarYear(ctx, 2026, old, seen); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("SetCalendarYear with an old version = %v; want %s", err, lianluo.ESTALE)
		}
		if got, _ := db.CalendarDays(ctx, 2026); len(got) != 1 {
			t.Errorf("after the refused save, 2026 has %d days; want 1", len(got))
		}
		if err := db.SetCalendarYear(ctx, 2026, old, lianluo.CalendarVersion(first)); err != nil {
			t.Errorf("SetCalendarYear with the current version = %v", err)
		}
		// The API's PUT sends no version and replaces the year.
		if err := db.SetCalendarYear(ctx, 2026, old, ""); err != nil {
			t.Errorf("SetCalendarYear without version = %v", err)
		}
	})
}

// Every published year is shipped: a store opened on a database missing a
// year gets that year back, and a year an administrator set is kept.
func TestCalendarSeedsMissingYears(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.SystemContext()
		cal, err := db.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for y := 2015; y <= 2026; y++ {
			if !cal.HasYear(y) {
				t.Errorf("a new database has no calendar for %d", y)
			}
		}
		mine := []lianluo.CalendarDay{{Date: "2025-10-01", Kind: lianluo.DayHoliday, Name: "国庆节"}}
		if err := db.SetCalendarYear(ctx, 2025, mine, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.SetCalendarYear(ctx, 2024, nil, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.SeedCalendar(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.CalendarDays(ctx, 2025); len(got) != 1 {
			t.Errorf("2025 after seeding has %d days; want the administrator's 1", len(got))
		}
		want := 0
		for _, d := range holidays.Days() {
			if d.Date[:4] == "2024" {
				want++
			}
		}
		if got, _ := db.CalendarDays(ctx, 2024); len(got) != want {
			t.Errorf("2024 after seeding has %d days; want the published %d", len(got), want)
		}
	})
}
