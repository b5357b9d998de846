package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// 年初计划 pages: the town office writes a station's plan (a bad row shown
// at its field, blank rows left out), publishes it; the liaison reads the
// draft, the station's deputy only the published plan (and on the phone
// home); a stale edit is refused; another town's station is not found.
func TestYearPlanPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		clerk := f.loggedIn(t, "dqclerk")
		find := fmt.Sprintf("/console/year-plans?station_id=%d&year=2026", f.dqStation.ID)
		wantBody(t, "station page", clerk.get(fmt.Sprintf("/console/stations/%d", f.dqStation.ID)), `id="station-year-plan"`)
		res := clerk.get(find)
		wantStatus(t, "new form", res, http.StatusOK)
		wantBody(t, "new form", res, "制定"+f.dqStation.Name+"2026年度活动计划", `name="month"`, `<option value="inspection">视察</option>`)
		wantNoBody(t, "new form", res, `value="group_meeting"`)

		form := url.Values{"station_id": {fmt.Sprint(f.dqStation.ID)}, "year": {"2026"},
			"month": {"1", "3", "", "5"}, "kind": {"study", "inspection", "", "forum"},
			"title": {"学习代表法", "", "", "民生座谈"}, "note": {"", "会同城建办", "", ""}}
		res = clerk.post("/console/year-plans", form)
		wantStatus(t, "a row without title", res, http.StatusBadRequest)
		wantBody(t, "a row without title", res, `id="items[1].title-error"`, "第2项的活动名称", `value="民生座谈"`)
		form.Set("title", "") // reset
		form["title"] = []string{"学习代表法", "视察老旧小区", "", "民生座谈"}
		res = clerk.post("/console/year-plans", form)
		wantStatus(t, "create", res, http.StatusSeeOther)
		id := idFromLocation(t, res, "/console/year-plans/")
		path := fmt.Sprintf("/console/year-plans/%d", id)
		res = clerk.get(path)
		wantBody(t, "plan", res, "未发布", "plan-state plan-late", "逾期未办", "plan-state plan-upcoming", "全年计划活动3次", `id="plan-publish"`, `id="plan-edit"`)
		wantStatus(t, "find again", clerk.get(find), http.StatusSeeOther)

		liaison := f.loggedIn(t, "dqliaison")
		res = liaison.get(path)
		wantStatus(t, "liaison reads the draft", res, http.StatusOK)
		wantNoBody(t, "liaison reads the draft", res, `id="plan-publish"`, `id="plan-edit"`)
		wantStatus(t, "liaison edits", liaison.get(path+"/edit"), http.StatusForbidden)
		deputy := f.loggedIn(t, "wangxy")
		wantStatus(t, "deputy reads the draft", deputy.get(path), http.StatusNotFound)

		// The edit form: rows removed, a stale version refused.
		res = clerk.get(path + "/edit")
		wantBody(t, "edit", res, `value="视察老旧小区"`, `name="remove"`)
		edit := url.Values{"version": {"1"}, "month": {"1", "3", "5"}, "kind": {"study", "inspection", "forum"},
			"title": {"学习代表法", "视察老旧小区", "民生座谈"}, "note": {"", "", ""}, "remove": {"2"}}
		wantStatus(t, "edit", clerk.post(path+"/edit", edit), http.StatusSeeOther)
		res = clerk.post(path+"/edit", edit)
		wantStatus(t, "stale edit", res, http.StatusConflict)

		wantStatus(t, "publish", clerk.post(path+"/publish", url.Values{"version": {"2"}}), http.StatusSeeOther)
		res = clerk.get(path + "?ok=plan_published")
		wantBody(t, "published", res, "计划已发布，已通知代表。", "已发布")
		wantNoBody(t, "published", res, `id="plan-publish"`)
		res = deputy.get(path)
		wantStatus(t, "deputy reads", res, http.StatusOK)
		wantNoBody(t, "deputy reads", res, `id="plan-edit"`)
		wantBody(t, "deputy's home", deputy.get("/console/"), `id="year-plans"`, path)
		inbox := deputy.get("/console/inbox")
		wantBody(t, "deputy's inbox", inbox, "年度活动计划已发布")
		msg := regexp.MustCompile(`href="(/console/inbox/\d+)"`).FindStringSubmatch(inbox.Body)
		if msg == nil {
			t.Fatalf("no message link in the inbox:\n%s", clip(inbox.Body))
		}
		wantBody(t, "the message", deputy.get(msg[1]), `href="`+path+`"`, "查看年度活动计划")

		wantStatus(t, "another town's station", clerk.get(fmt.Sprintf("/console/year-plans?station_id=%d", f.xgStation.ID)), http.StatusNotFound)
		wantBody(t, "group page", clerk.get(fmt.Sprintf("/console/groups/%d", f.group.ID)), `id="group-year-plan"`)
		wantBody(t, "group plan form", clerk.get(fmt.Sprintf("/console/year-plans?group_id=%d", f.group.ID)), `value="group_meeting"`)
	})
}
