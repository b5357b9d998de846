package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserDeputyStats opens the deputies' ranking and the scoring table
// at 1280 and 360 pixels: the bars are drawn (a <meter> per deputy), the
// ranking's table scrolls inside its box on a phone, and nothing is wider
// than the screen. Screenshots go to $LIANLUO_SCREENSHOTS.
func TestBrowserDeputyStats(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	f.statsCases(t)
	base := f.srv.URL
	b.login(base, desktop, "admin", password)
	for _, v := range []viewport{desktop, phone} {
		b.step("ranking", use(v), chromedp.Navigate(base+"/console/stats/deputies"), chromedp.WaitVisible(chromedp.CSS("table.score-table")))
		if n := evalIn[int](b, `document.querySelectorAll("meter.score-bar").length`); n != 3 {
			t.Errorf("ranking at %dpx: %d score bars; want one per deputy (3)", v.width, n)
		}
		if w := evalIn[int](b, `Math.round(document.querySelector("meter.score-bar").getBoundingClientRect().width)`); w < 40 {
			t.Errorf("ranking at %dpx: the bar is %dpx wide", v.width, w)
		}
		b.look("deputy-stats", v)
		b.step("scoring", chromedp.Navigate(base+"/console/settings/scoring"), chromedp.WaitVisible(chromedp.CSS("#points_report")))
		b.look("scoring", v)
	}
}
