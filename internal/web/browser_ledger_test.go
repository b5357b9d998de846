package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserLedgerPrint prints a book (人大代表建议批评意见登记簿) as a
// clerk would: with print media, on A4 landscape. The title page and the
// table are on pages of their own, the pages are landscape, the print bar
// is not printed and the table's header is a header group (repeated on
// every page). With LIANLUO_SCREENSHOTS the print view and the PDF are kept.
func TestBrowserLedgerPrint(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	ctx := storetest.SystemContext()
	// Enough entries to run over a page.
	for i := range 30 {
		if _, err := db.CreateCase(ctx, lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID,
			Title: fmt.Sprintf("第%d件：小区路灯不亮", i+1), Content: "门前路灯坏了一个月，晚上老人出门不安全，请尽快修复。", RegionCode: "330206004",
			Submitter: lianluo.Submitter{Name: "张三丰", Phone: "13912340000"}, ReceivedBy: []int64{f.dep1.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	base := f.srv.URL
	b.login(base, desktop, "dqclerk", password)
	year := strconv.Itoa(storetest.Now.In(lianluo.Beijing).Year())
	path := fmt.Sprintf("/console/ledgers/opinions?station_id=%d&year=%s", f.dqStation.ID, year)

	// The clerk's form, on a desk and on a phone; choosing leads to the book.
	for _, v := range []viewport{desktop, phone} {
		b.step("the form", use(v), chromedp.Navigate(base+"/console/ledgers"), chromedp.WaitVisible(chromedp.CSS("#l-book")))
		b.look("ledgers-form", v)
	}
	b.step("choose", use(desktop), choose("#l-book", "opinions"), choose("#l-scope", fmt.Sprintf("station:%d", f.dqStation.ID)),
		choose("#l-year", year))
	if got := b.submit("generate", `form.ledger-form button[type=submit]`); got != 200 {
		t.Fatalf("generate: status %d", got)
	}
	if got := evalIn[string](b, `location.pathname + location.search`); got != path {
		t.Errorf("the form led to %s; want %s", got, path)
	}

	// The printable area of A4 landscape at 96 dpi: 273 × 180 mm.
	a4 := viewport{"a4-landscape", 1032, 680, false}
	b.step("open the book", use(a4), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(".ledger-table")), media("print"))
	if got := evalIn[string](b, `getComputedStyle(document.querySelector(".ledger-table thead")).display`); got != "table-header-group" {
		t.Errorf("thead display in print = %q; want table-header-group", got)
	}
	if got := evalIn[string](b, `getComputedStyle(document.querySelector(".print-bar")).display`); got != "none" {
		t.Errorf("the print bar in print: display %q; want none", got)
	}
	if got := evalIn[int](b, `document.querySelectorAll(".ledger-table tbody tr").length`); got != 30 {
		t.Errorf("%d rows; want 30", got)
	}
	b.look("ledger-print", a4)
	pdf, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true), PrintBackground: new(true)})
		return res.Data, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); n < 3 {
		t.Errorf("the book prints on %d pages; want the title page and at least two of the table", n)
	}
	// A4 landscape is 842 × 595 points.
	if m := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)`).FindSubmatch(pdf); m == nil {
		t.Error("no MediaBox in the PDF")
	} else if w, _ := strconv.ParseFloat(string(m[1]), 64); w < 830 || w > 850 {
		t.Errorf("page width %s × %s pt; want A4 landscape (842 × 595)", m[1], m[2])
	}
	if b.shotDir != "" {
		os.WriteFile(filepath.Join(b.shotDir, "ledger-opinions.pdf"), pdf, 0o644)
	}
	b.step("screen media", media(""))

	// The handbook of the deputy who received the cases, on paper too.
	b.step("the handbook", use(a4), chromedp.Navigate(base+fmt.Sprintf("/console/ledgers/handbook?deputy_id=%d&year=%s", f.dep1.ID, year)),
		chromedp.WaitVisible(chromedp.CSS(".ledger-table")), media("print"))
	if got := evalIn[int](b, `document.querySelectorAll(".ledger-table tbody tr").length`); got != 30 {
		t.Errorf("handbook: %d rows; want the 30 opinions received", got)
	}
	b.look("ledger-handbook-print", a4)
	b.step("screen media", media(""))
	b.finish()
}
