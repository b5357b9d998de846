package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The feedback form starts from the unit's answer and says plainly that
// its text reaches the voter word for word.
func TestCaseFeedbackForm(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison, leader, unit := f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqleader"), f.loggedIn(t, "dqunit")
		id := f.register(t, liaison, "小区路灯不亮")
		mustAct(t, liaison, id, "triage", url.Values{"outcome": {"forward"}})
		mustAct(t, leader, id, "approve", url.Values{"lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}})
		mustAct(t, unit, id, "sign", nil)
		mustAct(t, unit, id, "reply", url.Values{"result": {"B"}, "content": {"已列入本月维修计划。"}})

		res := liaison.get("/console/cases/" + strconv.FormatInt(id, 10))
		wantStatus(t, "case page", res, http.StatusOK)
		i := strings.Index(res.Body, `id="act-feedback"`)
		if i < 0 {
			t.Fatalf("no feedback form\n%s", clip(res.Body))
		}
		form := res.Body[i:]
		form = form[:strings.Index(form, "</details>")]
		for _, want := range []string{"以下内容将原文发送/展示给反映人", "反馈内容（原文发给反映人）",
			`name="content" rows="3" maxlength="2000" aria-required="true"`, ">已列入本月维修计划。</textarea>"} {
			if !strings.Contains(form, want) {
				t.Errorf("feedback form lacks %q:\n%s", want, form)
			}
		}
	})
}
