package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// findChromium returns the browser to drive: $LIANLUO_CHROMIUM, or Debian's
// chromium, or a Chrome on the PATH.
func findChromium() string {
	if p := os.Getenv("LIANLUO_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowser drives Chromium through the pages as an administrator would:
// log in, add a deputy (first with a missing name, then complete, choosing
// a village in the second region select that app.js fills from the JSON
// API), and see the
// deputy's page. It checks that no page overflows a 360px phone screen or
// trips the content security policy, and saves screenshots to
// $LIANLUO_SCREENSHOTS when set.
func TestBrowser(t *testing.T) {
	exe := findChromium()
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium not found: CI must run the browser test (install Debian's chromium or set LIANLUO_CHROMIUM)")
		}
		t.Skip("Chromium not found; set LIANLUO_CHROMIUM to run the browser test")
	}
	shotDir := os.Getenv("LIANLUO_SCREENSHOTS")
	if shotDir != "" {
		if err := os.MkdirAll(shotDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	db := storetest.MustOpen(t, sqlstore.SQLite)
	// The real JSON API: app.js fills the village select from it.
	f := newFixtureAPI(t, db, func(svc lianluo.Services) http.Handler {
		return api.New(api.Config{Services: svc, Logger: slog.New(slog.DiscardHandler)})
	})

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
	)
	// A safety net for the whole test; each step also has its own limit.
	root, cancelRoot := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancelRoot()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start %s: %v", exe, err)
	}

	// Collect uncaught exceptions and CSP violations from every page.
	var mu sync.Mutex
	var problems []string
	consoleCtx, stopConsole := context.WithCancel(ctx)
	messages := chromedp.Console(consoleCtx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 15*time.Second)
		defer scancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// submit clicks a button that posts a form and waits for the next page.
	submit := func(what, sel string) int64 {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 15*time.Second)
		defer scancel()
		res, err := chromedp.RunResponse(sctx, chromedp.Click(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return res.Status
	}
	text := func(sel string) string {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
		defer scancel()
		s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	choose := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.SetValue(chromedp.CSS(sel), value),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event("change", {bubbles: true}))`, sel)),
		)
	}
	type viewport struct {
		name          string
		width, height int64
		mobile        bool
	}
	desktop, phone := viewport{"desktop", 1280, 900, false}, viewport{"phone", 360, 740, true}
	use := func(v viewport) chromedp.Action[chromedp.Void] {
		if v.mobile {
			return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		return chromedp.EmulateViewport(v.width, v.height)
	}
	// look checks the page fits the viewport's width and saves a screenshot.
	look := func(name string, v viewport) {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
		defer scancel()
		overflow, err := chromedp.Run(sctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if overflow > 0 {
			t.Errorf("%s at %dpx: the page is %dpx wider than the screen", name, v.width, overflow)
		}
		if shotDir == "" {
			return
		}
		buf, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shotDir, name+"-"+v.name+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}

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
		{"audit", "/console/audit", "table.list"},
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

	stopConsole()
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}
