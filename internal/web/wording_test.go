package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The words users meet: one name per category on the voter's and the
// staff's forms, the triage option naming the body's leaders by their
// title, seats named after the region, and 意见 rather than the court's 案件.
func TestWording(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	clerk := f.loggedIn(t, "dqclerk")
	public := f.client(t)

	t.Run("one name per category", func(t *testing.T) {
		staff, voter := clerk.get("/console/cases/new"), public.get("/submit")
		for _, res := range []response{staff, voter} {
			wantBody(t, "category", res, `<optgroup label="城乡建设">`, `<option value="城乡建设">其他城乡建设问题</option>`)
			wantNoBody(t, "category", res, "（综合）")
		}
		// Every choice has the same label on both forms.
		opt := regexp.MustCompile(`<option value="([^"]*)"[^>]*>([^<]*)</option>`)
		labels := func(body string) map[string]string {
			m := map[string]string{}
			for _, o := range opt.FindAllStringSubmatch(body, -1) {
				m[o[1]] = o[2]
			}
			return m
		}
		sl, vl := labels(staff.Body), labels(voter.Body)
		for v, l := range vl {
			if s, ok := sl[v]; ok && s != l && v != "" {
				t.Errorf("category %q is %q on /submit but %q on the staff form", v, l, s)
			}
		}
	})

	id := f.register(t, clerk, "路灯不亮")
	t.Run("triage names the leaders by the body's kind", func(t *testing.T) {
		res := clerk.get(fmt.Sprintf("/console/cases/%d", id))
		wantBody(t, "triage", res, "报送审核交办（报大碶街道人大工委主任或副主任）")
		wantNoBody(t, "triage", res, "主席")
	})

	t.Run("seats named after the region", func(t *testing.T) {
		wantBody(t, "deputies", clerk.get("/console/deputies"), `<td data-label="代表层级">北仑区人大代表</td>`)
		wantBody(t, "deputy", clerk.get(fmt.Sprintf("/console/deputies/%d", f.dep1.ID)), `<td data-label="层级">北仑区人大代表</td>`)
		wantBody(t, "case form", clerk.get("/console/cases/new"), "王秀英（北仑区人大代表）")
	})

	t.Run("意见, not 案件", func(t *testing.T) {
		for _, path := range []string{
			fmt.Sprintf("/console/cases/%d", id),
			fmt.Sprintf("/console/cases/%d/print/register", id),
			"/console/cases",
			"/console/cases/new",
			"/console/",
		} {
			res := clerk.get(path)
			wantStatus(t, path, res, http.StatusOK)
			if strings.Contains(res.Body, "案件") {
				i := strings.Index(res.Body, "案件")
				t.Errorf("%s says 案件: …%s…", path, res.Body[max(0, i-60):min(len(res.Body), i+30)])
			}
		}
		wantBody(t, "crumbs", clerk.get(fmt.Sprintf("/console/cases/%d", id)), fmt.Sprintf("意见 #%d</nav>", id))
	})
}
