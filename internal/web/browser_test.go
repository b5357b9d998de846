package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowser drives Chromium through the pages as an administrator would:
// log in, add a deputy (first with a missing name, then complete, choosing
// a village in the second region select that app.js fills from the JSON
// API), and see the
// deputy's page. It checks that no page overflows a 360px phone screen or
// trips the content security policy, and saves screenshots to
// $LIANLUO_SCREENSHOTS when set.
func TestBrowser(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	// The real JSON API: app.js fills the village select from it.
	f := newFixtureAPI(t, db, func(svc lianluo.Services) http.Handler {
		return api.New(api.Config{Services: svc, Logger: slog.New(slog.DiscardHandler)})
	})
	step, submit, text, look := b.step, b.submit, b.text, b.look
	ctx := b.ctx

	// The login page, before logging in.
	for _, v := range []viewport{desktop, phone} {
		step("open home", use(v), chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".hero")))
		look("home", v)
		step("open login", chromedp.Navigate(f.srv.URL+"/console/login"), chromedp.WaitVisible(chromedp.CSS("#f-username")))
		look("login", v)
	}

	// Log in through the form.
	step("fill login", use(desktop),
		chromedp.SendKeys(chromedp.CSS("#f-username"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password))
	if got := submit("log in", `form[action="/console/login"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("login landed on status %d", got)
	}
	step("dashboard", chromedp.WaitVisible(chromedp.CSS("ul.counts")))
	if got := text("main h1"); !strings.Contains(got, "系统管理员张") {
		t.Errorf("dashboard h1 = %q", got)
	}

	// Add a deputy: first without a name, which the form refuses next to the field.
	step("deputy form", chromedp.Navigate(f.srv.URL+"/console/deputies/new"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		choose("#f-gender", "female"),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "13566667777"),
		choose("#f-seat-level-0", "county"),
		chromedp.SendKeys(chromedp.CSS("#f-seat-term-0"), "18"),
		chromedp.SendKeys(chromedp.CSS("#f-seat-constituency-0"), "第7选区"))
	// app.js fills the village select from the regions API.
	step("choose town", choose("#f-region_code", "330206004"),
		chromedp.WaitReady(chromedp.CSS(`#f-region_code_sub option[value="330206004002"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-region_code_sub")))
	step("choose village", choose("#f-region_code_sub", "330206004002"))
	step("choose station", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=station_ids][value="%d"]`, f.dqStation.ID))))
	if got := submit("submit without name", "form.form button[type=submit]"); got != http.StatusBadRequest {
		t.Errorf("deputy form without a name: status %d; want 400", got)
	}
	step("form error", chromedp.WaitVisible(chromedp.CSS("#name-error")))
	if got := text("#name-error"); !strings.Contains(got, "请填写姓名") {
		t.Errorf("name error = %q", got)
	}
	// What was typed and chosen is still there.
	for sel, want := range map[string]string{"#f-phone": "13566667777", "#f-seat-term-0": "18", "#f-region_code_sub": "330206004002", "#f-region_code": "330206004"} {
		got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil || got != want {
			t.Errorf("after the error, %s = %q (%v); want %q", sel, got, err, want)
		}
	}
	look("deputy-form-errors", desktop)

	step("fill name", chromedp.SendKeys(chromedp.CSS("#f-name"), "孙晓梅"))
	if got := submit("submit deputy", "form.form button[type=submit]"); got != http.StatusOK {
		t.Fatalf("creating the deputy landed on status %d", got)
	}
	step("deputy page", chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if got := text("main h1"); !strings.Contains(got, "孙晓梅") {
		t.Errorf("deputy page h1 = %q; want the new deputy", got)
	}
	props := text("dl.props")
	for _, want := range []string{"女", "135****7777", "坝头社区", "330206004002"} {
		if !strings.Contains(props, want) {
			t.Errorf("deputy page lacks %q:\n%s", want, props)
		}
	}
	if strings.Contains(props, "13566667777") {
		t.Errorf("deputy page shows the full phone number")
	}
	if got := text("main"); !strings.Contains(got, "第十八届") || !strings.Contains(got, "大碶街道人大代表联络站") {
		t.Errorf("deputy page lacks the seat or the station:\n%s", got)
	}
	deputyURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	deputyURL, _, _ = strings.Cut(deputyURL, "?")

	// Look at the main pages at both widths.
	pages := []struct{ name, path, ready string }{
		{"dashboard", "/console/", "ul.counts"},
		{"stations", "/console/stations", "table.list"},
		{"station", fmt.Sprintf("/console/stations/%d", f.dqStation.ID), "dl.props"},
		{"station-form", fmt.Sprintf("/console/stations/%d/edit", f.dqStation.ID), "form.form"},
		{"deputies", "/console/deputies", "table.list"},
		{"deputy", strings.TrimPrefix(deputyURL, f.srv.URL), "dl.props"},
		{"deputy-form", "/console/deputies/new", "form.form"},
		{"orgs", "/console/orgs", "table.list"},
		{"org-form", "/console/orgs/new", "form.form"},
		{"groups", "/console/groups", "table.list"},
		{"users", "/console/users", "table.list"},
		{"user-form", "/console/users/new", "form.form"},
		{"regions", "/console/regions", "table.list"},
		{"sheets", "/console/sheets", ".sheet-grid"},
		{"password", "/console/password", "form.form"},
		{"not-found", "/console/stations/999999", ".error-page"},
	}
	for _, v := range []viewport{desktop, phone} {
		step("viewport", use(v))
		for _, p := range pages {
			step("open "+p.name, chromedp.Navigate(f.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			look(p.name, v)
		}
		if v.mobile {
			// The phone menu opens and shows the sections.
			step("phone menu", chromedp.Navigate(f.srv.URL+"/console/"), chromedp.Click(chromedp.CSS("details.mnav summary")),
				chromedp.WaitVisible(chromedp.CSS(`details.mnav a[href="/console/deputies"]`)))
			look("menu", v)
			step("phone form errors", chromedp.Navigate(f.srv.URL+"/console/deputies/new"), chromedp.WaitVisible(chromedp.CSS("#f-name")))
			submit("phone: submit empty deputy form", "form.form button[type=submit]")
			step("phone form errors shown", chromedp.WaitVisible(chromedp.CSS(".alert")))
			look("deputy-form-errors", v)
		}
	}

	b.finish()
}
