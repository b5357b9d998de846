package web_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserCalendar is the administrator entering next year's holidays:
// they paste the State Council's notice, see the year as a calendar before
// anything is saved, and save it. The page fits a phone (360 px) and a
// laptop (1366 px) ($LIANLUO_SCREENSHOTS).
func TestBrowserCalendar(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 150*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	base := f.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look
	laptop := viewport{"laptop", 1366, 900, false}

	b.login(base, laptop, "admin", password)
	step("menu link", chromedp.Navigate(base+"/console/"), chromedp.WaitReady(chromedp.CSS(`nav a[href="/console/settings/calendar"]`)))
	step("open 2027", chromedp.Navigate(base+"/console/settings/calendar?year=2027"), chromedp.WaitVisible(chromedp.CSS("#f-text")))
	notice, err := os.ReadFile("../holidays/testdata/notice_2026.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The 2026 notice pasted for 2027 would put make-up days on weekdays:
	// refused, naming the line.
	step("paste the wrong year's notice", chromedp.SetValue(chromedp.CSS("#f-text"), string(notice)))
	if got := submit("preview", `form[action="/console/settings/calendar/preview"] button[type=submit]`); got != http.StatusBadRequest {
		t.Fatalf("preview of 2026's notice as 2027: status %d; want 400", got)
	}
	if got := text("#text-error"); !strings.Contains(got, "第6行") || !strings.Contains(got, "调休上班日应为星期六或星期日") {
		t.Errorf("error shown: %q", got)
	}
	next := "国务院办公厅关于2027年部分节假日安排的通知\n" +
		"一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月9日（周六）上班。\n" +
		"二、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。\n" +
		"三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"
	step("paste", chromedp.SetValue(chromedp.CSS("#f-text"), next))
	if got := submit("preview", `form[action="/console/settings/calendar/preview"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("preview: status %d", got)
	}
	if got := text(".alert"); !strings.Contains(got, "预览，尚未保存") {
		t.Errorf("preview says %q", got)
	}
	if n := evalIn[int](b, `document.querySelectorAll(".cal-month td.holiday").length`); n != 15 {
		t.Errorf("preview marks %d holidays; want 15", n)
	}
	if n := evalIn[int](b, `document.querySelectorAll(".cal-month td.workday").length`); n != 5 {
		t.Errorf("preview marks %d make-up days; want 5", n)
	}
	for _, v := range []viewport{laptop, phone} {
		step("viewport", use(v))
		look("calendar-preview", v)
	}
	if got := submit("save", `button[formaction="/console/settings/calendar"]`); got != http.StatusOK {
		t.Fatalf("save: status %d", got)
	}
	if got := evalIn[string](b, `location.pathname + location.search`); got != "/console/settings/calendar?year=2027&ok=saved" {
		t.Errorf("after save at %s", got)
	}
	if got := text(".flash"); !strings.Contains(got, "2027年的节假日安排已保存，共20天") {
		t.Errorf("after save: %q", got)
	}
	for _, v := range []viewport{laptop, phone} {
		step("viewport", use(v))
		look("calendar-saved", v)
	}
	b.finish()
}
