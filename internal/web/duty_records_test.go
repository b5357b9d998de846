package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestDutyRecordPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		dep := f.loggedIn(t, "wangxy")

		// The deputy's phone: 记一笔 offers it; the form has no deputy choice.
		res := dep.get("/console/record")
		wantBody(t, "记一笔", res, `id="record-duty"`, `href="/console/duty-records/new"`)
		res = dep.get("/console/duty-records/new")
		wantStatus(t, "new form", res, http.StatusOK)
		wantBody(t, "new form", res, "代表：<strong>王秀英</strong>", `type="date"`, "帮扶困难户", `name="description"`)
		wantNoBody(t, "new form", res, `name="deputy_id"`)

		// Bad input: the field's error, the input kept, nothing saved.
		good := url.Values{"kind": {"good_deed"}, "date": {"2026-02-10"}, "description": {"为灵峰社区修好路灯。"}}
		for _, tc := range []struct {
			field string
			form  url.Values
		}{
			{"kind", with(good, "kind", "")},
			{"kind", with(good, "kind", "dinner")},
			{"date", with(good, "date", "2026-03-09")},
			{"description", with(good, "description", "")},
		} {
			res := dep.post("/console/duty-records/new", tc.form)
			wantStatus(t, "bad "+tc.field, res, http.StatusBadRequest)
			if msg := fieldErrors(res.Body)[tc.field]; msg == "" {
				t.Errorf("bad %s: no error next to the field", tc.field)
			}
		}
		if res := dep.get("/console/duty-records"); !strings.Contains(res.Body, "没有符合条件的履职登记") {
			t.Errorf("bad input saved a record")
		}

		res = dep.post("/console/duty-records/new", good)
		wantStatus(t, "create", res, http.StatusSeeOther)
		id := idFromLocation(t, res, "/console/duty-records/")
		path := fmt.Sprintf("/console/duty-records/%d", id)
		res = dep.get(path + "?ok=created")
		wantBody(t, "record", res, "王秀英代表的履职登记", "为选民办实事好事", "待确认", "工作人员确认后")
		wantNoBody(t, "record: no confirm for the deputy", res, `action="`+path+`/confirm"`)

		// Photos while it waits: a text file is refused, a photo kept.
		wantBody(t, "record", res, `action="`+path+`/photos"`, "还没有照片")
		res = dep.uploadAs(path+"/photos", "photo", "a.txt", []byte("not an image"))
		wantStatus(t, "text as photo", res, http.StatusBadRequest)
		wantBody(t, "text as photo", res, `id="photo-error"`)
		res = dep.uploadAs(path+"/photos", "photo", "a.png", tinyPNG(t))
		wantStatus(t, "photo", res, http.StatusSeeOther)
		res = dep.get(path)
		wantBody(t, "record with photo", res, "照片（1）", path+"/photos/1")
		if res := dep.get(path + "/photos/1"); res.Status != http.StatusOK {
			t.Errorf("photo 1: %d", res.Status)
		}

		// Staff: the list with filters, the form with a deputy choice, and confirm / return.
		clerk := f.loggedIn(t, "dqclerk")
		res = clerk.get("/console/duty-records?kind=good_deed&status=pending&year=2026")
		wantBody(t, "staff list", res, "王秀英", "为灵峰社区修好路灯", `name="deputy_id"`)
		res = clerk.get("/console/duty-records?kind=aid")
		wantBody(t, "filtered out", res, "没有符合条件的履职登记")
		res = clerk.get("/console/duty-records/new")
		wantBody(t, "staff form", res, `name="deputy_id"`, "李建国")

		res = clerk.get(path)
		wantBody(t, "staff record", res, `action="`+path+`/confirm"`, `value="confirm"`, `value="return"`)
		res = clerk.post(path+"/confirm", url.Values{"version": {"1"}, "decision": {"return"}})
		wantStatus(t, "return without reason", res, http.StatusBadRequest)
		if msg := fieldErrors(res.Body)["reason"]; !strings.Contains(msg, "退回原因") {
			t.Errorf("reason error = %q", msg)
		}
		res = clerk.post(path+"/confirm", url.Values{"version": {"7"}, "decision": {"confirm"}})
		wantStatus(t, "stale confirm", res, http.StatusConflict)
		wantBody(t, "stale confirm", res, "重新载入最新内容")
		res = clerk.post(path+"/confirm", url.Values{"version": {"1"}, "decision": {"confirm"}})
		wantStatus(t, "confirm", res, http.StatusSeeOther)
		res = clerk.get(path + "?ok=confirmed")
		wantBody(t, "confirmed", res, "已确认", "大碶文员")
		wantNoBody(t, "confirmed", res, `value="return"`)

		// A returned record: the reason shows, the deputy corrects it and it waits again.
		res = dep.post("/console/duty-records/new", with(good, "kind", "survey"))
		wantStatus(t, "create survey", res, http.StatusSeeOther)
		spath := fmt.Sprintf("/console/duty-records/%d", idFromLocation(t, res, "/console/duty-records/"))
		res = clerk.post(spath+"/confirm", url.Values{"version": {"1"}, "decision": {"return"}, "reason": {"请写明调查对象和结论"}})
		wantStatus(t, "return", res, http.StatusSeeOther)
		res = dep.get(spath)
		wantBody(t, "returned", res, "已退回", "请写明调查对象和结论", "修改后重新提交")
		res = dep.get(spath + "/edit")
		wantStatus(t, "edit form", res, http.StatusOK)
		wantBody(t, "edit form", res, "修改履职登记", `name="version" value="2"`, "为灵峰社区修好路灯。")
		fixed := with(with(good, "kind", "survey"), "description", "走访菜场摊主20户，建议划定临时摊位。")
		res = dep.post(spath+"/edit", with(fixed, "version", "1"))
		wantStatus(t, "stale edit", res, http.StatusConflict)
		wantBody(t, "stale edit", res, "重新载入最新内容", "走访菜场摊主20户")
		res = dep.post(spath+"/edit", with(fixed, "version", "2"))
		wantStatus(t, "edit", res, http.StatusSeeOther)
		res = dep.get(spath)
		wantBody(t, "resubmitted", res, "待确认", "走访菜场摊主20户")
		wantNoBody(t, "resubmitted", res, "请写明调查对象和结论")
		wantStatus(t, "edit a confirmed record", dep.get(path+"/edit"), http.StatusConflict)

		// Another town's deputy's record is not found.
		xg := f.loggedIn(t, "zjhandler")
		wantStatus(t, "unit handler", xg.get(path), http.StatusNotFound)

		// 六个一: the deputy's own page counts the confirmed good deed.
		res = dep.get(fmt.Sprintf("/console/deputies/%d/six-ones?year=2026", f.dep1.ID))
		wantStatus(t, "six ones", res, http.StatusOK)
		wantBody(t, "six ones", res, "王秀英 2026年“六个一”", "每年为本选区选民办一件实事好事", "2026-02-10 履职登记", "已完成 <strong>1</strong> / 6")
		wantStatus(t, "another deputy's six ones", dep.get(fmt.Sprintf("/console/deputies/%d/six-ones", f.dep2.ID)), http.StatusNotFound)
		wantStatus(t, "six ones of 小港 from 大碶", clerk.get(fmt.Sprintf("/console/deputies/%d/six-ones", f.dep3.ID)), http.StatusNotFound)

		// The deputy's and the group's pages lead there.
		wantBody(t, "deputy page", clerk.get(fmt.Sprintf("/console/deputies/%d", f.dep1.ID)), fmt.Sprintf(`href="/console/deputies/%d/six-ones"`, f.dep1.ID))
		wantBody(t, "group page", clerk.get(fmt.Sprintf("/console/groups/%d", f.group.ID)), fmt.Sprintf(`href="/console/groups/%d/six-ones"`, f.group.ID))

		// The region view lists every deputy and group in scope.
		res = clerk.get("/console/six-ones?year=2026")
		wantStatus(t, "region view", res, http.StatusOK)
		wantBody(t, "region view", res, "王秀英", "李建国", "大碶第一代表小组", "每半年开展一次代表民情调查", "1 / 6")
		wantNoBody(t, "region view", res, "陈海波")
		res = clerk.get("/console/six-ones?year=2026&sort=met")
		wantBody(t, "region view by met", res, `<option value="met" selected>`, "/console/six-ones.xlsx?year=2026")
		if i, j := strings.Index(res.Body, "李建国"), strings.Index(res.Body, "王秀英"); i < 0 || j < 0 || i > j {
			t.Errorf("sort=met: 李建国 (0 met) at %d, 王秀英 (1 met) at %d; want the fewest first", i, j)
		}
		res = clerk.get("/console/six-ones.xlsx?year=2026")
		wantStatus(t, "region Excel", res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Errorf("region Excel Content-Type = %q", ct)
		}
		res = clerk.get(fmt.Sprintf("/console/groups/%d/six-ones?year=2026", f.group.ID))
		wantBody(t, "group six ones", res, "每年组织一次代表培训", "已完成 <strong>0</strong> / 6")
		wantStatus(t, "region view for a deputy", dep.get("/console/six-ones"), http.StatusForbidden)
	})
}
