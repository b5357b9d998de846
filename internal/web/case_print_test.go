package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// The 交办单 carries who signed for the lead unit online and when, once the
// unit has signed; before that the lines stay blank for a pen.
func TestCasePrintAssignSigner(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison, leader, unit, clerk := f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqleader"), f.loggedIn(t, "dqunit"), f.loggedIn(t, "dqclerk")
		id := f.register(t, liaison, "小区路灯不亮")
		sheet := fmt.Sprintf("/console/cases/%d/print/assign", id)
		mustAct(t, liaison, id, "triage", url.Values{"outcome": {"forward"}})
		mustAct(t, leader, id, "approve", url.Values{"lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}})

		res := clerk.get(sheet)
		wantStatus(t, "sheet before signing", res, http.StatusOK)
		wantBody(t, "sheet before signing", res, `签收人：<span class="doc-line"></span>`, `签收时间：<span class="doc-line"></span>`)

		mustAct(t, unit, id, "sign", nil)
		res = clerk.get(sheet)
		wantStatus(t, "sheet after signing", res, http.StatusOK)
		wantBody(t, "sheet after signing", res,
			`签收人：<span class="doc-line">街道办经办人（大碶街道办事处）</span>`,
			`签收时间：<span class="doc-line">2026年3月2日 09:30</span>`)
	})
}
