package web_test

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserAdministratorDuties: the security administrator's review of
// accounts and a locked account with its 解除锁定, and the auditor's home,
// and the audit trail fit a desktop and a phone ($LIANLUO_SCREENSHOTS:
// duty-users-*, duty-locked-*, duty-auditor-home-*, audit-*).
func TestBrowserAdministratorDuties(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f, _ := clockedFixture(t, db)
	for range 5 {
		f.client(t).post("/console/login", url.Values{"username": {"zjhandler"}, "password": {"nope-Nope-1"}})
	}
	both := func(name string) {
		t.Helper()
		for _, v := range []viewport{desktop, phone} {
			b.step(name+" at "+v.name, use(v))
			b.look(name, v)
		}
		b.step("back to the desktop", use(desktop))
	}
	b.login(f.srv.URL, desktop, "security", password)
	b.step("the review", chromedp.Navigate(f.srv.URL+"/console/users"), chromedp.WaitVisible(chromedp.CSS("table.list")))
	both("duty-users")
	b.step("the locked account", chromedp.Navigate(fmt.Sprintf("%s/console/users/%d", f.srv.URL, f.handler.ID)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/unlock"]`)))
	both("duty-locked")
	b.submit("unlock", `form[action$="/unlock"] button[type=submit]`)
	if got := b.text(".flash"); got != "已解除锁定。" {
		t.Errorf("flash after the unlock = %q", got)
	}
	b.submit("log out", `form[action="/console/logout"] button[type=submit]`)
	b.login(f.srv.URL, desktop, "auditor", password)
	b.step("the auditor's home", chromedp.Navigate(f.srv.URL+"/console/"), chromedp.WaitVisible(chromedp.CSS(`nav.side a[href="/console/audit"]`)))
	both("duty-auditor-home")
	b.step("the audit trail", chromedp.Navigate(f.srv.URL+"/console/audit"), chromedp.WaitVisible(chromedp.CSS("table.list")))
	both("audit")
	b.finish()
}
