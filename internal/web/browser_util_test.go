package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Driving Chromium in tests: the launch, the steps, screenshots, and the
// console watch shared by the browser tests.

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

// browsers bounds the Chromiums running at once: the browser tests run
// beside the others (t.Parallel), and more than two browsers on a small
// machine only slow each other past their step limits.
var browsers = make(chan struct{}, 2)

// One Chromium serves every browser test of the process: starting one
// costs about two seconds of a small machine's CPU, and each test gets a
// browser context of its own instead. stopChromium (from TestMain) ends it.
var (
	chromiumOnce   sync.Once
	chromiumCtx    context.Context
	chromiumErr    error
	chromiumCancel = func() {}
)

func sharedChromium(exe string) (context.Context, error) {
	chromiumOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lianluo-chromium-")
		if err != nil {
			chromiumErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe),
			chromedp.UserDataDir(dir),
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
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		chromiumCancel = func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
		if err := chromedp.Do(ctx); err != nil { // start the browser
			chromiumErr = err
			return
		}
		chromiumCtx = ctx
	})
	return chromiumCtx, chromiumErr
}

// stopChromium ends the shared Chromium, if one was started.
func stopChromium() { chromiumCancel() }

// browser is a headless Chromium tab driven by one test.
type browser struct {
	t       *testing.T
	ctx     context.Context
	shotDir string // $LIANLUO_SCREENSHOTS, or "" for none

	mu       sync.Mutex
	problems []string // uncaught exceptions and CSP violations
	stop     func()   // ends the console watch and waits for it
}

// startBrowser launches Chromium for the test, with a safety net of limit
// for the whole test. Without Chromium the test is skipped, except under
// CI, where it fails: CI must run the browser tests.
func startBrowser(t *testing.T, limit time.Duration) *browser {
	t.Helper()
	exe := findChromium()
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium not found: CI must run the browser test (install Debian's chromium or set LIANLUO_CHROMIUM)")
		}
		t.Skip("Chromium not found; set LIANLUO_CHROMIUM to run the browser test")
	}
	browsers <- struct{}{}
	t.Cleanup(func() { <-browsers })
	b := &browser{t: t, shotDir: os.Getenv("LIANLUO_SCREENSHOTS")}
	if b.shotDir != "" {
		if err := os.MkdirAll(b.shotDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	parent, err := sharedChromium(exe)
	if err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	// A tab in a browser context of its own (like a fresh incognito
	// window): no cookies or storage shared with the other tests.
	tab, cancelTab := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(tab, limit)
	t.Cleanup(func() { cancel(); cancelTab() })
	if err := chromedp.Do(ctx); err != nil { // open the tab
		t.Fatalf("open a tab in %s: %v", exe, err)
	}
	b.ctx = ctx

	// Collect uncaught exceptions and CSP violations from every page.
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
				b.mu.Lock()
				b.problems = append(b.problems, m.String())
				b.mu.Unlock()
			}
		}
	}()
	b.stop = func() { stopConsole(); <-done }
	return b
}

// finish stops watching the console and fails the test for what it saw.
func (b *browser) finish() {
	b.t.Helper()
	b.stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser console: %s", p)
	}
}

// step runs actions, failing the test on an error or after 15 seconds.
func (b *browser) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	sctx, scancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer scancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// submit clicks a button that posts a form and waits for the next page;
// it returns that page's status.
func (b *browser) submit(what, sel string) int64 {
	b.t.Helper()
	sctx, scancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer scancel()
	res, err := chromedp.RunResponse(sctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return res.Status
}

// text returns the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	sctx, scancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer scancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval evaluates a JavaScript expression.
func evalIn[T any](b *browser, expr string) T {
	b.t.Helper()
	sctx, scancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer scancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// choose sets a select's value and fires change, as a user's choice does.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
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

var (
	desktop = viewport{"desktop", 1280, 900, false}
	phone   = viewport{"phone", 360, 740, true}
)

func use(v viewport) chromedp.Action[chromedp.Void] {
	if v.mobile {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// look checks the page fits the viewport's width and saves a screenshot.
func (b *browser) look(name string, v viewport) {
	b.t.Helper()
	sctx, scancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer scancel()
	overflow, err := chromedp.Run(sctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	if overflow > 0 {
		b.t.Errorf("%s at %dpx: the page is %dpx wider than the screen", name, v.width, overflow)
	}
	if b.shotDir == "" {
		return
	}
	buf, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shotDir, name+"-"+v.name+".png"), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// login opens the console's login page at base in viewport v, signs in as
// user with pass and fails the test unless the next page answers 200.
func (b *browser) login(base string, v viewport, user, pass string) {
	b.t.Helper()
	b.step("log in "+user, use(v), chromedp.Navigate(base+"/console/login"), chromedp.WaitVisible(chromedp.CSS("#f-username")),
		chromedp.SendKeys(chromedp.CSS("#f-username"), user), chromedp.SendKeys(chromedp.CSS("#f-password"), pass))
	if got := b.submit("log in "+user, `form[action="/console/login"] button[type=submit]`); got != http.StatusOK {
		b.t.Fatalf("log in %s: status %d", user, got)
	}
}
