package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserPublic is a voter on a 360px phone: they open the station's
// "我要反映" page (as from its QR code), fill it in, attach a photo from the
// phone, submit, and read the tracking code off the receipt. Staff work
// the case through the store up to the feedback. The voter then follows the
// code with the phone's last four digits, reads the answer, rates it 满意,
// and sees the thanks and 已办结. Along the way it switches 大字 and 高对比度,
// checks no page is wider than the screen or trips the content security
// policy, that the A4 poster prints on one page, and saves screenshots of
// every public page at 360px and 1280px to $LIANLUO_SCREENSHOTS when set.
func TestBrowserPublic(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 180*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	w := newPublicWorld(t, db)
	base := w.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	keys := func(sel, s string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(chromedp.CSS(sel), s) }
	open := func(path, ready string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
	}
	if err := db.SetDeputyPhoto(w.As(t, "admin"), w.DeputyA2.ID, photoPNG(t)); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "现场.png")
	if err := os.WriteFile(photo, photoPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}

	// 1. The voter, on a phone, writes to station A with a photo.
	step("submit form", chromedp.EmulateViewport(phone.width, phone.height, chromedp.EmulateMobile, chromedp.EmulateTouch),
		open(fmt.Sprintf("/submit?station=%d", w.StationA.ID), "#f-title"))
	look("public-submit", phone)
	step("fill the form",
		keys("#f-title", "庐山西路路灯不亮"),
		keys("#f-content", "庐山西路与长江路路口的两盏路灯坏了一个多月，晚上老人出门不安全，希望尽快修好。"),
		choose("#f-category", "道路照明"),
		keys("#f-location", "庐山西路与长江路路口"),
		keys("#f-name", "张三"),
		keys("#f-phone", "13912340000"),
		chromedp.SetUploadFiles(chromedp.CSS("#f-photos"), []string{photo}),
		click("#f-consent"))
	if got := submit("submit", "form.form .actions button[type=submit]"); got != http.StatusOK {
		t.Fatalf("submit: status %d; want 200 after the redirect\n%s", got, text("main"))
	}
	step("receipt", chromedp.WaitVisible(chromedp.CSS("#receipt-code")))
	code := text("#receipt-code")
	if !regexp.MustCompile(`^[A-Z0-9]{10}$`).MatchString(code) {
		t.Fatalf("receipt code = %q", code)
	}
	// Post/Redirect/Get: the receipt is a GET address without the code;
	// reloading it shows the same receipt and submits nothing again.
	wantURL := func(what, want string) {
		t.Helper()
		if got := evalIn[string](b, `location.pathname + location.search`); got != want {
			t.Errorf("%s: address %q; want %q", what, got, want)
		}
	}
	wantURL("receipt", "/submit/done")
	step("reload the receipt", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#receipt-code")))
	if got := text("#receipt-code"); got != code {
		t.Errorf("receipt after reload: code %q; want %q", got, code)
	}
	if n := len(w.onlineCases(t)); n != 1 {
		t.Errorf("after reloading the receipt: %d opinions; want 1", n)
	}
	if got := text("main"); !strings.Contains(got, "已上传 1 张照片") || !strings.Contains(got, "139****0000") {
		t.Errorf("receipt:\n%s", got)
	}
	look("public-receipt", phone)
	c := w.caseOf(t, code)
	if atts, err := db.FindAttachments(w.As(t, "admin"), c.ID); err != nil || len(atts) != 1 {
		t.Errorf("the photo from the phone: %v, %v", atts, err)
	}

	// 2. Staff triage, approve, sign, reply and feed back.
	w.feedBack(t, code, "两盏路灯已更换，晚上已正常照明。感谢您的反映！")

	// 3. The voter follows the code with the phone's last four digits.
	step("track form", open("/track", "#f-code"), keys("#f-code", strings.ToLower(code)), keys("#f-tail", "0000"))
	if got := submit("track", `form[action="/track"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("track: status %d\n%s", got, text("main"))
	}
	step("answer", chromedp.WaitVisible(chromedp.CSS("#op-answer")))
	wantURL("track", "/track/"+code)
	// The unit's answer with its result, and the feedback, apart.
	if got := text("#op-reply"); got != "已更换灯具。" {
		t.Errorf("the unit's answer = %q", got)
	}
	if got := text("#op-result"); got != "已解决或基本解决" {
		t.Errorf("the result = %q", got)
	}
	if got := text("#op-answer"); !strings.Contains(got, "两盏路灯已更换") {
		t.Errorf("feedback = %q", got)
	}
	if got := text("#op-status"); got != "已答复，请您评价办理结果" {
		t.Errorf("status before rating = %q", got)
	}
	look("public-track-answered", phone)
	step("rate 满意", click(`input[name=rating][value=satisfied]`), keys("#f-comment", "修得很快，谢谢！"))
	if got := submit("rate", `form[action$="/rating"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("rate: status %d\n%s", got, text("main"))
	}
	step("thanks", chromedp.WaitVisible(chromedp.CSS("#thanks")))
	wantURL("rated", "/track/"+code+"?ok=rated")
	step("reload after rating", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#thanks")))
	if c := w.caseOf(t, code); len(c.Ratings) != 1 {
		t.Errorf("after reloading: %d ratings; want 1", len(c.Ratings))
	}
	if got := text("#op-status"); got != "已办结" {
		t.Errorf("status after rating = %q; want 已办结", got)
	}
	if got := text(".rated"); !strings.Contains(got, "满意") || !strings.Contains(got, "修得很快") {
		t.Errorf("the rating shown:\n%s", got)
	}
	if got := text("#thanks"); !strings.Contains(got, "谢谢您的评价") {
		t.Errorf("thanks = %q", got)
	}
	look("public-track-rated", phone)
	if c := w.caseOf(t, code); c.Status != lianluo.StatusClosed {
		t.Errorf("case status = %s; want closed", c.Status)
	}

	// 4. 大字 and 高对比度: plain forms, back to the same page.
	toggle := func(what, ready string) {
		t.Helper()
		if got := submit(what, fmt.Sprintf("button[name=toggle][value=%s]", what)); got != http.StatusOK {
			t.Fatalf("switch %s: status %d", what, got)
		}
		step("after switching "+what, chromedp.WaitVisible(chromedp.CSS(ready)))
	}
	step("home", open("/", ".hero"))
	toggle("large", ".hero")
	if !evalIn[bool](b, `document.documentElement.classList.contains("t-large")`) {
		t.Errorf("大字 did not switch large text on")
	}
	if px := evalIn[string](b, `getComputedStyle(document.body).fontSize`); px != "21px" {
		t.Errorf("large text: body font %s; want 21px", px)
	}
	look("public-home-large", phone)
	step("station, large", open(fmt.Sprintf("/stations/%d", w.StationA.ID), ".deputies"))
	look("public-station-large", phone)
	step("submit, large", open(fmt.Sprintf("/submit?station=%d", w.StationA.ID), "#f-title"))
	look("public-submit-large", phone)
	toggle("contrast", "#f-title")
	if got := evalIn[string](b, `document.documentElement.className`); got != "pub t-large t-contrast" {
		t.Errorf("after both switches: <html class=%q>", got)
	}
	look("public-submit-large-contrast", phone)
	toggle("large", "#f-title")
	step("home, contrast", open("/", ".hero"))
	look("public-home-contrast", phone)
	// This browser gave the tail minutes ago: the opinion shows at its address.
	step("track, contrast", open("/track/"+code, "#op-status"))
	look("public-track-contrast", phone)
	toggle("contrast", "#op-status")
	if px := evalIn[string](b, `getComputedStyle(document.body).fontSize`); px != "17px" {
		t.Errorf("normal text: body font %s; want 17px", px)
	}

	// 5. Every public page at both widths. Opinions given without a phone
	// show at /track/{code} directly: one new, one answered, and one rated;
	// two answered cases are published.
	voter := w.client(t)
	noPhone := func(title string) string {
		f := w.opinion(title)
		f.Del("phone")
		return submitOK(t, voter, f)
	}
	fresh := noPhone("小区门口垃圾桶不够用")
	answered := noPhone("公交站台没有遮雨棚")
	w.feedBack(t, answered, "已列入今年公交站台改造计划，预计下半年完工。")
	pub := w.feedBack(t, noPhone("菜场门口积水严重，雨天无法通行"), "街道已疏通排水管道，并加装一处雨水井。")
	if _, err := db.RateOpinion(w.As(t, "admin"), pub.TrackingCode, "", lianluo.PublicRating{Rating: "basically_satisfied"}); err != nil {
		t.Fatal(err)
	}
	pub = w.caseOf(t, pub.TrackingCode)
	if _, err := db.PublishCase(w.As(t, "officea"), pub.ID, lianluo.PublishInput{Version: pub.Version, Published: true}); err != nil {
		t.Fatal(err)
	}
	c = w.caseOf(t, code)
	if _, err := db.PublishCase(w.As(t, "officea"), c.ID, lianluo.PublishInput{Version: c.Version, Published: true}); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path, ready string }{
		{"public-home", "/", ".hero"},
		{"public-home-town", "/?region=330206004", ".cards"},
		{"public-home-search", "/?q=" + "港", ".cards"},
		{"public-station", fmt.Sprintf("/stations/%d", w.StationA.ID), ".deputies"},
		{"public-poster", fmt.Sprintf("/stations/%d/poster", w.StationA.ID), ".poster"},
		{"public-deputy", fmt.Sprintf("/deputies/%d", w.DeputyA1.ID), ".profile-head"},
		{"public-deputy-photo", fmt.Sprintf("/deputies/%d", w.DeputyA2.ID), ".portrait"},
		{"public-submit", fmt.Sprintf("/submit?station=%d", w.StationA.ID), "#f-title"},
		{"public-submit-deputy", fmt.Sprintf("/submit?deputy=%d", w.DeputyA1.ID), "#f-title"},
		{"public-submit-choose", "/submit", "#f-station_id"},
		{"public-track", "/track", "#f-code"},
		{"public-track-new", "/track/" + fresh, "#op-status"},
		{"public-track-rate", "/track/" + answered, "input[name=rating]"},
		{"public-track-closed", "/track/" + pub.TrackingCode, ".rated"},
		{"public-results", "/results", ".results"},
		{"public-not-found", "/stations/999999", ".error-box"},
	}
	for _, v := range []viewport{phone, desktop} {
		step("viewport", use(v))
		for _, p := range pages {
			step("open "+p.name, open(p.path, p.ready))
			look(p.name, v)
		}
		// A refused submission, with the summary and the messages.
		step("empty submit", open(fmt.Sprintf("/submit?station=%d", w.StationA.ID), "#f-title"))
		if got := submit("empty submit", "form.form .actions button[type=submit]"); got != http.StatusBadRequest {
			t.Errorf("empty submission: status %d; want 400", got)
		}
		step("errors shown", chromedp.WaitVisible(chromedp.CSS(".alert")))
		look("public-submit-errors", v)
		// A wrong code.
		step("wrong code", open("/track", "#f-code"), keys("#f-code", "ABCDEFGHJK"))
		if got := submit("wrong code", `form[action="/track"] button[type=submit]`); got != http.StatusNotFound {
			t.Errorf("wrong code: status %d; want 404", got)
		}
		look("public-track-not-found", v)
		// A receipt at this width (without a phone: the warning shows).
		step("choose a station", open("/submit", "#f-station_id"), choose("#f-station_id", fmt.Sprint(w.StationB.ID)),
			keys("#f-title", "渡头董村村口路面破损"+v.name), keys("#f-content", "村口的水泥路面坏了好几处，电动车经过容易摔倒。"),
			click("#f-consent"))
		if got := submit("submit "+v.name, "form.form .actions button[type=submit]"); got != http.StatusOK {
			t.Errorf("submit at %s: status %d", v.name, got)
		}
		step("receipt "+v.name, chromedp.WaitVisible(chromedp.CSS("#receipt-code")))
		look("public-receipt-no-phone", v)
	}

	// 6. The poster prints on one A4 page; a look at it in print.
	// The viewport is the printable area of A4 at 96 dpi: 186 × 273 mm.
	a4 := viewport{"a4", 703, 1032, false}
	step("poster", use(a4), open(fmt.Sprintf("/stations/%d/poster", w.StationA.ID), ".poster"), media("print"))
	look("public-poster-print", a4)
	pdf, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true), PrintBackground: new(true)})
		return res.Data, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); n != 1 {
		t.Errorf("the poster prints on %d pages; want 1", n)
	}
	if b.shotDir != "" {
		os.WriteFile(filepath.Join(b.shotDir, "public-poster.pdf"), pdf, 0o644)
	}
	step("screen media", media(""))
	b.finish()
}

// media emulates a CSS media type ("print"), or the screen again ("").
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}
