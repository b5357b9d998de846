package web_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserStationRating opens the stations' ranking, the rating table
// and a station's standards at 1280 and 360 pixels: a score meter per
// station, the ranking's table scrolling inside its box on a phone, the
// tick forms usable, nothing wider than the screen. Screenshots go to
// $LIANLUO_SCREENSHOTS.
func TestBrowserStationRating(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	f.statsCases(t)
	base := f.srv.URL
	b.login(base, desktop, "admin", password)
	checklist := base + "/console/stations/" + strconv.FormatInt(f.dqStation.ID, 10) + "/checklist"
	for _, v := range []viewport{desktop, phone} {
		b.step("ranking", use(v), chromedp.Navigate(base+"/console/stats/stations"), chromedp.WaitVisible(chromedp.CSS("table.station-table")))
		if n := evalIn[int](b, `document.querySelectorAll("meter.score-bar").length`); n != 2 {
			t.Errorf("ranking at %dpx: %d score meters; want one per station (2)", v.width, n)
		}
		if w := evalIn[int](b, `Math.round(document.querySelector("meter.score-bar").getBoundingClientRect().width)`); w < 40 {
			t.Errorf("ranking at %dpx: the meter is %dpx wide", v.width, w)
		}
		b.look("station-stats", v)
		b.step("rating table", chromedp.Navigate(base+"/console/settings/station-rating"), chromedp.WaitVisible(chromedp.CSS("#weight_mailbox")))
		b.look("station-rating", v)
		b.step("checklist", chromedp.Navigate(checklist), chromedp.WaitVisible(chromedp.CSS("#date-sign")))
		if w := evalIn[int64](b, `Math.round(document.querySelector("#item-sign button").getBoundingClientRect().right)`); w > v.width {
			t.Errorf("checklist at %dpx: the tick button ends at %dpx", v.width, w)
		}
		b.look("station-checklist", v)
	}
}
