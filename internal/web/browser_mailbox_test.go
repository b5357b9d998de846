package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserMailboxSummaryPicker: a town office's quarterly mailbox
// summary opens on the quarter holding today, where this quarter's letter
// is; after picking a station, the picker's 全街道 entry brings back the
// whole town.
func TestBrowserMailboxSummaryPicker(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 60*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	if _, err := db.RecordOpening(storetest.SystemContext(), f.dqStation.ID, lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00",
		OpenedBy: []string{"王秀英", "周敏"}, Letters: []lianluo.Letter{{WriterName: "赵大海", Content: "夜间货车噪声大。", Category: "噪声扰民"}}}); err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL
	step, text, look := b.step, b.text, b.look
	b.login(base, desktop, "dqclerk", password)
	line := func() string { return strings.Join(strings.Fields(text("main h1")+" "+text("main h1 + p")), " ") }

	for _, v := range []viewport{phone, desktop} {
		step("summary", use(v), chromedp.Navigate(base+"/console/mailbox/summary"), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if got := line(); !strings.HasPrefix(got, "大碶街道代表信箱来信汇总 2026年第一季度 · 开箱1次 · 来信1封") {
			t.Errorf("default summary at %dpx = %q; want the whole town in 2026年第一季度 with its letter", v.width, got)
		}
		look("mailbox-summary", v)
	}
	pick := func(value, wantH1 string) {
		t.Helper()
		step("pick "+value, choose("#q-station", value))
		if got := b.submit("view", `form.summary-picker button[type=submit]`); got != http.StatusOK {
			t.Fatalf("view %s: status %d", value, got)
		}
		step("summary", chromedp.WaitVisible(chromedp.CSS("main h1")))
		if got := text("main h1"); got != wantH1 {
			t.Errorf("after picking %s: h1 = %q; want %q", value, got, wantH1)
		}
	}
	pick(strconv.FormatInt(f.dqStation.ID, 10), f.dqStation.Name+"代表信箱来信汇总")
	if got := evalIn[string](b, `document.querySelector('#q-station option[value="region-330206004"]').textContent`); got != "全街道（大碶街道）" {
		t.Errorf("whole-town entry = %q; want 全街道（大碶街道）", got)
	}
	pick("region-330206004", "大碶街道代表信箱来信汇总")
}

// TestBrowserMailboxNeverOpened: a box never opened in the week since its
// station was set up is overdue on the mailbox list and on its own page.
func TestBrowserMailboxNeverOpened(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 60*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	later := storetest.Now.AddDate(0, 0, 8)
	storetest.ClockOf(db).Set(func() time.Time { return later })
	base := f.srv.URL
	step, text, look := b.step, b.text, b.look
	b.login(base, desktop, "dqclerk", password)
	for _, v := range []viewport{phone, desktop} {
		step("mailbox list", use(v), chromedp.Navigate(base+"/console/mailbox"), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if got := strings.Join(strings.Fields(text("main")), " "); !strings.Contains(got, "有 1 个联络站的代表信箱超过7天未开启") ||
			!strings.Contains(got, "从未开启（设立8天）") || !strings.Contains(got, "超期未开启") {
			t.Errorf("mailbox list at %dpx:\n%s\nwant the never-opened box flagged overdue", v.width, got)
		}
		look("mailbox-never-opened", v)
	}
	step("box page", chromedp.Navigate(base+"/console/stations/"+strconv.FormatInt(f.dqStation.ID, 10)+"/mailbox"),
		chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := strings.Join(strings.Fields(text("main")), " "); !strings.Contains(got, "信箱设立已 8 天，从未开启") {
		t.Errorf("box page:\n%s\nwant the never-opened warning", got)
	}
}
