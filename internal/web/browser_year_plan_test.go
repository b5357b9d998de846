package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserYearPlan opens a station's year plan and its form at 1280 and
// 360 pixels: the months' table with each state coloured, the form's rows
// usable, nothing wider than the screen. Screenshots go to
// $LIANLUO_SCREENSHOTS.
func TestBrowserYearPlan(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	ctx := lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
	items := []lianluo.YearPlanItem{
		{Month: 1, Kind: lianluo.ActivityStudy, Title: "学习新修订的代表法"},
		{Month: 2, Kind: lianluo.ActivityInspection, Title: "视察老旧小区改造和加装电梯", Note: "会同街道城建办"},
		{Month: 6, Kind: lianluo.ActivityForum, Title: "民生实事项目征求意见座谈会"},
		{Month: 10, Kind: lianluo.ActivityAppraisal, Title: "评议街道城管中队"},
	}
	p, err := f.db.CreateYearPlan(ctx, lianluo.YearPlanInput{OwnerKind: lianluo.PlanOwnerStation, OwnerID: f.dqStation.ID, Year: 2026, Items: items})
	if err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL
	path := fmt.Sprintf("%s/console/year-plans/%d", base, p.ID)
	b.login(base, desktop, "dqclerk", password)
	for _, v := range []viewport{desktop, phone} {
		b.step("plan", use(v), chromedp.Navigate(path), chromedp.WaitVisible(chromedp.CSS("table.plan-table")))
		if n := evalIn[int](b, `document.querySelectorAll("table.plan-table tr.plan-row").length`); n != 12 {
			t.Errorf("plan at %dpx: %d rows; want 12 (four items, eight empty months)", v.width, n)
		}
		if bg := evalIn[string](b, `getComputedStyle(document.querySelector(".plan-table .plan-late")).backgroundColor`); bg == "rgba(0, 0, 0, 0)" {
			t.Errorf("plan at %dpx: a late item has no colour", v.width)
		}
		b.look("year-plan", v)
		b.step("form", chromedp.Navigate(path+"/edit"), chromedp.WaitVisible(chromedp.CSS("table.plan-edit")))
		if w := evalIn[int64](b, `Math.round(document.querySelector("#plan-more").getBoundingClientRect().right)`); w > v.width {
			t.Errorf("form at %dpx: 再加几行 ends at %dpx", v.width, w)
		}
		b.look("year-plan-form", v)
	}
}
