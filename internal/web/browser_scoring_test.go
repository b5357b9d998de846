package web_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserDeputyStats opens the deputies' ranking and the scoring table
// at 1280 and 360 pixels: the bars are drawn (a <meter> per deputy), the
// ranking's table scrolls inside its box on a phone, and nothing is wider
// than the screen; the 履职档案 fits a phone and prints on A4 without its
// bar. Screenshots go to $LIANLUO_SCREENSHOTS.
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
		b.step("record", chromedp.Navigate(base+"/console/deputies/"+strconv.FormatInt(f.dep1.ID, 10)+"/record"),
			chromedp.WaitVisible(chromedp.CSS("article.record")))
		b.look("deputy-record", v)
	}
	// The record on paper: the A4 printable area at 96 dpi, without the bar.
	a4 := viewport{"a4", 703, 1032, false}
	b.step("record in print", use(a4), media("print"))
	if d := evalIn[string](b, `getComputedStyle(document.querySelector(".print-bar")).display`); d != "none" {
		t.Errorf("the bar above the record prints (display %q)", d)
	}
	b.look("deputy-record-print", a4)
}
