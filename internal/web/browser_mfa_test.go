package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserSecondFactor: 双因素认证 and its enrolment with the QR code fit
// a desktop and a phone ($LIANLUO_SCREENSHOTS: mfa-off-*, mfa-enrol-*).
func TestBrowserSecondFactor(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 60*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f, _ := clockedFixture(t, db)
	b.login(f.srv.URL, desktop, "dqclerk", password)
	b.step("the page", chromedp.Navigate(f.srv.URL+"/console/mfa"), chromedp.WaitVisible(chromedp.CSS(`form[action="/console/mfa/enrol"]`)))
	both := func(name string) {
		t.Helper()
		for _, v := range []viewport{desktop, phone} {
			b.step(name+" at "+v.name, use(v))
			b.look(name, v)
		}
		b.step("back to the desktop", use(desktop))
	}
	both("mfa-off")
	b.submit("enrol", `form[action="/console/mfa/enrol"] button[type=submit]`)
	b.step("the QR code", chromedp.WaitVisible(chromedp.CSS(`img.qr`)), chromedp.WaitVisible(chromedp.CSS(`#f-code`)))
	both("mfa-enrol")
	b.finish()
}
