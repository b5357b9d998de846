package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestBrowserCasePublish is the office publishing a result from the case
// page: the text starts from the unit's answer (not the feedback note that
// names the voter), a text with the voter's name is refused next to the
// field, 更新预览 shows the text as voters will see it, and /results then
// shows exactly the previewed card.
func TestBrowserCasePublish(t *testing.T) {
	t.Parallel()
	b := startBrowser(t, 90*time.Second)
	db := storetest.MustOpen(t, sqlstore.SQLite)
	w := newPublicWorld(t, db)
	base := w.srv.URL
	step, submit, text, look := b.step, b.submit, b.text, b.look
	code := submitOK(t, w.client(t), w.opinion("庐山西路路灯不亮"))
	cs := w.feedBack(t, code, "已电话告知张三，路灯已修好。")

	wide := viewport{"desktop", 1366, 900, false}
	b.login(base, wide, "officea", storetest.Password)
	page := fmt.Sprintf("%s/console/cases/%d", base, cs.ID)
	step("case page", chromedp.Navigate(page+"#publish"), chromedp.WaitVisible(chromedp.CSS("#act-publish summary")),
		chromedp.Click(chromedp.CSS("#act-publish summary")), chromedp.WaitVisible(chromedp.CSS("#f-publish-answer")))
	if got := evalIn[string](b, `document.querySelector("#f-publish-answer").value`); got != "已更换灯具。" {
		t.Errorf("the public text starts as %q; want the unit's answer", got)
	}
	if got := text("#act-publish .result-preview"); !strings.Contains(got, "反映人：张*") || !strings.Contains(got, "已更换灯具。") || strings.Contains(got, "张三") {
		t.Errorf("preview:\n%s", got)
	}
	for _, v := range []viewport{phone, wide} {
		step("viewport", use(v), chromedp.ScrollIntoView(chromedp.CSS("#act-publish")))
		look("case-publish", v)
	}

	typeText := func(s string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-publish-answer").value = ""`),
			chromedp.SendKeys(chromedp.CSS("#f-publish-answer"), s))
	}
	// The voter's name: refused, next to the field, nothing published.
	step("type the name", typeText("已电话告知张三，路灯已修好。"))
	if got := submit("publish with the name", "#act-publish button.btn-primary"); got != http.StatusBadRequest {
		t.Fatalf("publish with the name: status %d; want 400", got)
	}
	if got := text("#publish_answer-error"); got != "公开内容中含有反映人的姓名“张三”，请删除后再公开。" {
		t.Errorf("error next to the text = %q", got)
	}
	look("case-publish-refused", wide)
	// 更新预览, then 公开.
	step("rewrite", typeText("已更换两盏路灯，恢复夜间照明。如有问题请拨打13800138000。"))
	if got := submit("preview", `#act-publish button[name=preview]`); got != http.StatusOK {
		t.Fatalf("preview: status %d", got)
	}
	preview := text("#act-publish .result-preview .card")
	if !strings.Contains(preview, "已更换两盏路灯，恢复夜间照明。如有问题请拨打138****8000。") {
		t.Errorf("updated preview:\n%s", preview)
	}
	if got := submit("publish", "#act-publish button.btn-primary"); got != http.StatusOK {
		t.Fatalf("publish: status %d", got)
	}
	if got := evalIn[string](b, `location.search`); got != "?ok=publish" {
		t.Errorf("after publishing: %q; want the case page's GET address", got)
	}
	step("results", chromedp.Navigate(base+"/results"), chromedp.WaitVisible(chromedp.CSS(".results .card")))
	if got := text(".results .card"); got != preview {
		t.Errorf("/results shows\n%s\nthe preview showed\n%s", got, preview)
	}
	b.finish()
}
