package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	previewCardRe = regexp.MustCompile(`(?s)<div class="card result">(.*?</div>)`)
	resultCardRe  = regexp.MustCompile(`(?s)<li class="card result">(.*?</div>)`)
	spaceRe       = regexp.MustCompile(`\s+`)
)

// card returns the first result card a pattern finds, its spacing evened out.
func card(t *testing.T, re *regexp.Regexp, what, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no result card\n%s", what, clip(body))
	}
	return strings.TrimSpace(spaceRe.ReplaceAllString(m[1], " "))
}

// 在网上公开办理结果 on the case page starts from the unit's answer, never
// the feedback note written to the voter; it refuses a text with the
// voter's name, phone or address next to the field, publishing nothing;
// and its preview is exactly the card /results then shows.
func TestCasePublishPreview(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		voter := w.client(t)
		code := submitOK(t, voter, w.opinion("庐山西路路灯不亮"))
		// The liaison's feedback names the voter (张三); the unit's answer does not.
		cs := w.feedBack(t, code, "已电话告知张三，路灯已修好。")
		office := w.staff(t, "officea")
		path := fmt.Sprintf("/console/cases/%d", cs.ID)

		res := office.get(path)
		wantStatus(t, "case page", res, http.StatusOK)
		wantBody(t, "case page", res, `<textarea id="f-publish-answer" name="answer" rows="3" maxlength="5000"`,
			`>已更换灯具。</textarea>`, "预览：群众在“办理结果公开”中看到的内容", `name="preview" value="1"`)
		preview := card(t, previewCardRe, "preview", res.Body)
		for _, want := range []string{"庐山西路路灯不亮", "反映人：张*", "已更换灯具。", "已解决或基本解决"} {
			if !strings.Contains(preview, want) {
				t.Errorf("preview lacks %q: %s", want, preview)
			}
		}
		if strings.Contains(preview, "张三") || strings.Contains(preview, "已电话告知") {
			t.Errorf("preview shows the feedback note or the name: %s", preview)
		}

		version := regexp.MustCompile(`action="/console/cases/\d+/publish"[^>]*>\s*<input type="hidden" name="version" value="(\d+)">`).FindStringSubmatch(res.Body)
		if version == nil {
			t.Fatalf("no publish form with a version\n%s", clip(res.Body))
		}
		form := func(answer string, extra ...string) url.Values {
			v := url.Values{"version": {version[1]}, "published": {"true"}, "answer": {answer}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		// 更新预览 shows the typed text as it would be published (numbers masked), storing nothing.
		res = office.post(path+"/publish", form("路灯已修复。维修电话13800138000。", "preview", "1"))
		wantStatus(t, "preview", res, http.StatusOK)
		if got := card(t, previewCardRe, "preview", res.Body); !strings.Contains(got, "路灯已修复。维修电话138****8000。") {
			t.Errorf("updated preview: %s", got)
		}
		// The voter's details are refused next to the field; nothing is published.
		for _, tc := range []struct{ answer, want string }{
			{"已电话告知张三，路灯已修好。", "公开内容中含有反映人的姓名“张三”，请删除后再公开。"},
			{"请拨打 139 1234 0000 了解。", "公开内容中含有反映人的电话号码，请删除后再公开。"},
		} {
			res = office.post(path+"/publish", form(tc.answer))
			wantStatus(t, tc.answer, res, http.StatusBadRequest)
			if got := fieldErrors(res.Body)["publish_answer"]; got != tc.want {
				t.Errorf("publish %q: error next to the text = %q; want %q (%v)", tc.answer, got, tc.want, fieldErrors(res.Body))
			}
			wantBody(t, tc.answer, res, tc.answer)
			if got := w.caseOf(t, code); got.PublishedAt != nil {
				t.Fatalf("published %q", tc.answer)
			}
		}
		res = voter.get("/results")
		wantBody(t, "results before", res, "共 0 条办理结果")

		// Published as offered: /results shows the card of the preview.
		res = office.post(path+"/publish", form("已更换灯具。"))
		wantStatus(t, "publish", res, http.StatusSeeOther)
		res = voter.get("/results")
		wantStatus(t, "results", res, http.StatusOK)
		if got := card(t, resultCardRe, "results", res.Body); got != preview {
			t.Errorf("/results shows\n%s\nthe preview showed\n%s", got, preview)
		}
	})
}
