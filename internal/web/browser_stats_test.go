package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// chartsDrawn reports, for each chart of the statistics page, its kind, the
// width of its canvas, how many of its pixels are painted, and how many
// series ECharts holds: "trend:1232:5120:2,…".
const chartsDrawn = `Array.from(document.querySelectorAll("[data-chart]")).map(function (el) {
  var kind = el.getAttribute("data-chart");
  if (el.hidden) { return kind + ":hidden:0:0"; }
  var c = el.querySelector("canvas");
  if (!c) { return kind + ":none:0:0"; }
  var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, n = 0;
  for (var i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } }
  var inst = window.echarts && echarts.getInstanceByDom(el);
  return kind + ":" + c.width + ":" + n + ":" + (inst ? inst.getOption().series.length : 0);
}).join(",")`

// TestBrowserStats opens the statistics page at 1366 and 360 pixels: every
// chart is drawn on its canvas from the page's JSON, the page is no wider
// than the screen (the tables scroll inside their box), clicking a town's
// bar drills down to its stations; the report and the dashboard fit too.
// Screenshots go to $LIANLUO_SCREENSHOTS.
func TestBrowserStats(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 150*time.Second)
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	f.statsCases(t)
	base := f.srv.URL
	step, look := b.step, b.look
	wide := viewport{"desktop1366", 1366, 768, false}

	b.login(base, wide, "admin", password)
	for _, v := range []viewport{wide, phone} {
		step("stats page", use(v), chromedp.Navigate(base+"/console/stats?preset=year"),
			chromedp.WaitVisible(chromedp.CSS(".stat-cards")),
			chromedp.Poll[chromedp.Void](`document.querySelectorAll("[data-drawn]").length === 3`, chromedp.WithPollingTimeout(10*time.Second)))
		// Let the renderer paint its first frame.
		step("paint", chromedp.Sleep(300*time.Millisecond))
		got := evalIn[string](b, chartsDrawn)
		charts := strings.Split(got, ",")
		if len(charts) != 3 {
			t.Fatalf("charts at %dpx: %q; want trend, places and categories", v.width, got)
		}
		for _, c := range charts {
			parts := strings.Split(c, ":")
			width, _ := strconv.Atoi(parts[1])
			painted, _ := strconv.Atoi(parts[2])
			series, _ := strconv.Atoi(parts[3])
			if width <= 0 || painted < 200 || series < 1 {
				t.Errorf("chart %s at %dpx: canvas width %s, %s pixels painted, %s series; want a drawn chart", parts[0], v.width, parts[1], parts[2], parts[3])
			}
		}
		// A chart fits its column: as wide as its box, never wider than the screen.
		if w := evalIn[int](b, `Math.round(document.querySelector("[data-chart=trend]").getBoundingClientRect().right)`); w > int(v.width) {
			t.Errorf("trend chart at %dpx ends at %dpx", v.width, w)
		}
		if v.mobile {
			// The table keeps its columns and scrolls inside its box.
			if n := evalIn[int](b, `(function () { var s = document.querySelector(".table-scroll"); return s.scrollWidth - s.clientWidth; })()`); n <= 0 {
				t.Errorf("the first table at %dpx does not scroll sideways (overflow %d)", v.width, n)
			}
		}
		look("stats", v)

		step("report", chromedp.Navigate(base+"/console/stats/report?period=2026"), chromedp.WaitVisible(chromedp.CSS("#report-lead")))
		look("stats-report", v)
		step("dashboard", chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.CSS("#dash-received")))
		look("stats-dashboard", v)
	}

	// A chart follows its box when the window changes size.
	step("phone page", use(phone), chromedp.Navigate(base+"/console/stats?preset=year"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("[data-drawn]").length === 3`, chromedp.WithPollingTimeout(10*time.Second)))
	canvasWidth := `Math.round(document.querySelector("[data-chart=trend] canvas").getBoundingClientRect().width)`
	narrow := evalIn[int](b, canvasWidth)
	step("widen", use(wide), chromedp.Poll[chromedp.Void](canvasWidth+` > 800`, chromedp.WithPollingTimeout(5*time.Second)))
	if wideW := evalIn[int](b, canvasWidth); narrow > 360 || wideW <= narrow {
		t.Errorf("trend canvas %dpx wide at 360px, %dpx at 1366px; want it to follow the window", narrow, wideW)
	}

	// The report in print: the A4 printable area at 96 dpi, without the bar above the page.
	a4 := viewport{"a4", 703, 1032, false}
	step("report in print", use(a4), chromedp.Navigate(base+"/console/stats/report?period=2026"),
		chromedp.WaitVisible(chromedp.CSS("#report-lead")), media("print"))
	if d := evalIn[string](b, `getComputedStyle(document.querySelector(".print-bar")).display`); d != "none" {
		t.Errorf("the bar above the report prints (display %q)", d)
	}
	look("stats-report-print", a4)
	step("screen media", media(""))

	// Drill down by clicking the bar of the town with most cases (大碶).
	step("stats page again", use(wide), chromedp.Navigate(base+"/console/stats?preset=year"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("[data-drawn]").length === 3`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Sleep(300*time.Millisecond))
	// The first bar's middle: ECharts tells where it drew it.
	pt := evalIn[[]float64](b, `(function () {
	  var el = document.querySelector("[data-chart=places]");
	  el.scrollIntoView({block: "center"});
	  var r = el.getBoundingClientRect();
	  var bar = echarts.getInstanceByDom(el).getModel().getSeriesByIndex(0).getData().getItemLayout(0);
	  return [r.left + bar.x + bar.width / 2, r.top + bar.y + bar.height / 2];
	})()`)
	step("click the bar", chromedp.MouseClickXY(pt[0], pt[1]))
	step("the town's page", chromedp.WaitVisible(chromedp.CSS("#by-station")))
	if got := evalIn[string](b, `location.search`); !strings.Contains(got, "region=330206004") {
		t.Errorf("the bar led to %q; want 大碶街道's page", got)
	}
	if got := b.text("#by-station"); !strings.Contains(got, f.dqStation.Name) || strings.Contains(got, f.xgStation.Name) {
		t.Errorf("大碶's stations:\n%s", got)
	}
	look("stats-town", wide)
	b.finish()
}
