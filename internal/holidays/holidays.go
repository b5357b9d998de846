// Package holidays embeds the official arrangement of public holidays and
// make-up working days (调休) of mainland China for the years already
// published (cn.tsv), to seed the calendar of a new installation.
//
// Later years are not added here: the State Council publishes each year's
// arrangement in November or December and an administrator enters it through
// the app. See the header of cn.tsv for the source and format.
package holidays

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"lianluo"
)

//go:embed cn.tsv
var cnTSV string

var load = sync.OnceValue(func() []lianluo.CalendarDay {
	days, err := parse(cnTSV)
	if err != nil {
		// The file is embedded and checked by the tests: an error is a bug.
		panic(err)
	}
	return days
})

// Days returns every calendar entry of the embedded years, in file order
// (by year of notice, then date). The slice is the caller's to keep.
func Days() []lianluo.CalendarDay {
	return slices.Clone(load())
}

// Years returns the years the embedded data covers, in order.
func Years() []int {
	var years []int
	for _, d := range load() {
		y, _ := strconv.Atoi(d.Date[:4]) // Validate has parsed the date
		if !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	return years
}

// parse reads date<TAB>kind<TAB>name lines, skipping blank lines and
// #-comments, and validates each entry.
func parse(text string) ([]lianluo.CalendarDay, error) {
	var days []lianluo.CalendarDay
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("holidays: cn.tsv line %d: want 3 tab-separated fields, got %d", i+1, len(f))
		}
		d := lianluo.CalendarDay{Date: f[0], Kind: f[1], Name: f[2]}
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("holidays: cn.tsv line %d: %w", i+1, err)
		}
		days = append(days, d)
	}
	return days, nil
}
