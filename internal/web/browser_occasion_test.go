package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserOccasionPages looks at a reception's and an activity's page,
// which share their parts (templates/occasion.html), as the station's staff
// and as an invited deputy, at 1366 and 360 pixels: neither is wider than
// the screen ($LIANLUO_SCREENSHOTS keeps the pictures).
func TestBrowserOccasionPages(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f, clk := clockedFixture(t, db) // 2026-03-02 09:30
	base := f.srv.URL

	office, deputy := f.as(t, "dqclerk"), f.as(t, "wangxy")
	// Every Monday morning: the first is 2026-03-09; an inspection that afternoon.
	rc := weeklyRota(t, f, func(r *lianluo.ReceptionRule) { r.Form, r.Theme = "theme", "老旧小区加装电梯" })[0]
	x, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: lianluo.ActivityInspection, Title: "视察老旧小区雨污分流改造", Content: "察看三个小区的施工进度，听取居民意见。",
		Place: "大碶街道灵峰社区", StationID: &f.dqStation.ID, StartsAt: "2026-03-09T14:00", EndsAt: "2026-03-09T16:30"})
	if err != nil {
		t.Fatal(err)
	}
	if x, err = db.PublishActivity(office, x.ID, x.Version); err != nil {
		t.Fatal(err)
	}
	if err := db.Services().Attendance.RequestLeave(deputy, lianluo.KindActivity, x.ID, "当天在外地参加培训"); err != nil {
		t.Fatal(err)
	}
	clk.set("2026-03-09 08:45")
	if err := db.Services().Attendance.MarkAttendance(office, lianluo.KindReception, rc.ID, f.dep2.ID, lianluo.AttendPresent); err != nil {
		t.Fatal(err)
	}
	if err := db.Services().Attendance.AddPhoto(office, lianluo.KindReception, rc.ID, tinyPNG(t)); err != nil {
		t.Fatal(err)
	}

	wide := viewport{"wide", 1366, 900, false}
	pages := []struct{ name, path, ready string }{
		{"reception", fmt.Sprintf("%s/console/receptions/%d", base, rc.ID), "#reception-status"},
		{"activity", fmt.Sprintf("%s/console/activities/%d", base, x.ID), "#activity-status"},
	}
	for _, user := range []string{"dqclerk", "wangxy"} {
		b.login(base, wide, user, password)
		for _, p := range pages {
			for _, v := range []viewport{wide, phone} {
				b.step(p.name, use(v), chromedp.Navigate(p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
				b.look("occasion-"+p.name+"-"+user, v)
			}
		}
		b.step("open the console", chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.CSS(".who")))
		b.submit("log out", `form[action="/console/logout"] button`)
	}
	b.finish()
}
