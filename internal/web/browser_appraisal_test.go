package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserAppraisals opens 工作评议's list and an appraisal's page as
// the office at 1280 and 360 pixels, and the unit's 整改事项 on a phone:
// the steps, the overdue mark, the report form usable, nothing wider than
// the screen. Screenshots go to $LIANLUO_SCREENSHOTS.
func TestBrowserAppraisals(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	p, items := f.appraisalOf(t)
	base := f.srv.URL
	b.login(base, desktop, "dqclerk", password)
	for _, v := range []viewport{desktop, phone} {
		b.step("list", use(v), chromedp.Navigate(base+"/console/appraisals?year=2026"), chromedp.WaitVisible(chromedp.CSS("table.appraisal-list")))
		b.look("appraisals", v)
		b.step("appraisal", chromedp.Navigate(fmt.Sprintf("%s/console/appraisals/%d", base, p.ID)), chromedp.WaitVisible(chromedp.CSS("ol.steps")))
		if n := evalIn[int](b, `document.querySelectorAll("ol.steps li.done").length`); n != 4 {
			t.Errorf("appraisal at %dpx: %d steps done; want 4", v.width, n)
		}
		if got := b.text(fmt.Sprintf("#item-%d", items[0].ID)); !strings.Contains(got, "已超期") {
			t.Errorf("appraisal at %dpx: the overdue item reads %q", v.width, got)
		}
		b.look("appraisal", v)
	}
	b.step("log out", chromedp.Click(chromedp.CSS(`form[action="/console/logout"] button`)), chromedp.WaitVisible(chromedp.CSS("#f-username")))
	b.login(base, phone, "dqunit", password)
	b.step("unit items", chromedp.Navigate(base+"/console/rectifications"), chromedp.WaitVisible(chromedp.CSS("ul.rect-cards")))
	sel := fmt.Sprintf("#item-%d button", items[0].ID)
	if w := evalIn[int64](b, `Math.round(document.querySelector("`+sel+`").getBoundingClientRect().right)`); w > phone.width {
		t.Errorf("unit items: the report button ends at %dpx", w)
	}
	b.look("rectifications", phone)
	b.step("home", chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.CSS("#home-rectify")))
	b.look("handler-home-rectify", phone)
}
