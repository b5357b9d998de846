package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"lianluo"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestActivityPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, clk := clockedFixture(t, db) // 2026-03-02 09:30
		clerk := f.loggedIn(t, "dqclerk")

		res := clerk.get("/console/activities")
		wantStatus(t, "empty list", res, 200)
		wantBody(t, "empty list", res, "没有符合条件的代表活动", `href="/console/activities/new"`, `href="/console/activities"`)
		wantStatus(t, "new form", clerk.get("/console/activities/new"), 200)

		good := url.Values{"kind": {"inspection"}, "title": {"视察老旧小区改造"}, "content": {"雨污分流"}, "station_id": {fmt.Sprint(f.dqStation.ID)},
			"starts_at": {"2026-03-06T09:00"}, "ends_at": {"2026-03-06T11:30"}}
		for _, tc := range []struct {
			field string
			form  url.Values
		}{
			{"kind", with(good, "kind", "")},
			{"title", with(good, "title", "")},
			{"station_id", with(good, "station_id", "")},
			{"starts_at", with(good, "starts_at", "下周一")},
			{"ends_at", with(good, "ends_at", "2026-03-06T08:00")},
			{"group_id", with(good, "kind", "group_meeting")},
		} {
			res := clerk.post("/console/activities/new", tc.form)
			wantStatus(t, "bad "+tc.field, res, 400)
			if msg := fieldErrors(res.Body)[tc.field]; msg == "" {
				t.Errorf("bad %s: no message next to the field; errors %v", tc.field, fieldErrors(res.Body))
			}
		}
		res = clerk.post("/console/activities/new", good)
		wantStatus(t, "create", res, 303)
		id := idFromLocation(t, res, "/console/activities/")
		path := fmt.Sprintf("/console/activities/%d", id)

		page := clerk.get(path)
		wantStatus(t, "detail", page, 200)
		wantBody(t, "detail", page, "未发布", "须提前7天", "王秀英", "李建国", `action="`+path+`/publish"`)

		// Four days ahead: the notice rule refuses, with its reason, and nothing changes.
		res = clerk.post(path+"/publish", url.Values{"version": {formVersionIn(t, page.Body, path+"/publish")}})
		wantStatus(t, "publish too late", res, 400)
		wantBody(t, "publish too late", res, "至少提前7天", "未发布")

		// A stale edit is refused with a reload link; a fresh one moves it.
		edit := url.Values{"title": {"视察老旧小区改造"}, "content": {"雨污分流"}, "place": {"大碶街道"}, "starts_at": {"2026-03-12T09:00"},
			"ends_at": {"2026-03-12T11:30"}, "deputy_ids": {fmt.Sprint(f.dep1.ID), fmt.Sprint(f.dep2.ID)}}
		res = clerk.post(path+"/edit", with(edit, "version", "99"))
		wantStatus(t, "stale edit", res, 409)
		wantBody(t, "stale edit", res, "重新载入")
		res = clerk.post(path+"/edit", with(edit, "version", formVersionIn(t, page.Body, path+"/edit"), "title", ""))
		wantStatus(t, "edit without title", res, 400)
		if fieldErrors(res.Body)["title"] == "" {
			t.Errorf("edit without title: no message at the field")
		}
		wantStatus(t, "edit", clerk.post(path+"/edit", with(edit, "version", formVersionIn(t, page.Body, path+"/edit"))), 303)
		page = clerk.get(path)
		wantStatus(t, "publish", clerk.post(path+"/publish", url.Values{"version": {formVersionIn(t, page.Body, path+"/publish")}}), 303)
		page = clerk.get(path + "?ok=published")
		wantBody(t, "published", page, "已发布", "活动通知已发布")

		// On the public station page, and on the deputy's own page.
		pub := f.client(t).get(fmt.Sprintf("/stations/%d", f.dqStation.ID))
		wantStatus(t, "public station", pub, 200)
		wantBody(t, "public station", pub, "近期活动", "视察：视察老旧小区改造")
		deputy := f.loggedIn(t, "wangxy")
		mine := deputy.get("/console/my-receptions")
		wantStatus(t, "my receptions", mine, 200)
		wantBody(t, "my receptions", mine, "我受邀参加的代表活动", "视察老旧小区改造")

		// Leave needs a reason, named at its field.
		res = deputy.post(path+"/leave", url.Values{"reason": {""}})
		wantStatus(t, "leave without reason", res, 400)
		if fieldErrors(res.Body)["reason"] == "" {
			t.Errorf("leave without reason: no message at the field")
		}

		// Another town's activity is not found.
		admin := f.loggedIn(t, "admin")
		res = admin.post("/console/activities/new", with(good, "station_id", fmt.Sprint(f.xgStation.ID), "starts_at", "2026-03-20T09:00", "ends_at", "2026-03-20T11:00"))
		wantStatus(t, "admin creates at 小港", res, 303)
		other := idFromLocation(t, res, "/console/activities/")
		wantStatus(t, "another town's activity", clerk.get(fmt.Sprintf("/console/activities/%d", other)), 404)
		wantStatus(t, "a uninvited deputy", deputy.get(fmt.Sprintf("/console/activities/%d", other)), 404)

		// Sign-in in the window, then the record and photos.
		clk.set("2026-03-12 08:45")
		deputy = f.loggedIn(t, "wangxy")
		wantStatus(t, "sign in", deputy.post(path+"/signin", nil), 303)
		wantBody(t, "signed in", deputy.get(path), "已签到")
		clk.set("2026-03-12 12:00")
		liaison := f.loggedIn(t, "dqliaison")
		page = liaison.get(path)
		v := formVersionIn(t, page.Body, path+"/record")
		res = liaison.post(path+"/record", url.Values{"version": {v}, "minutes": {""}})
		wantStatus(t, "record without minutes", res, 400)
		if fieldErrors(res.Body)["minutes"] == "" {
			t.Errorf("record without minutes: no message at the field")
		}
		wantStatus(t, "record", liaison.post(path+"/record", url.Values{"version": {v}, "minutes": {"视察了三个小区"}, "outcomes": {"建议加快进度"}}), 303)
		wantBody(t, "done", liaison.get(path), "已完成", "视察了三个小区")
		res = liaison.uploadAs(path+"/photos", "photo", "a.txt", []byte("not an image"))
		wantStatus(t, "photo not an image", res, 400)
		wantBody(t, "photo not an image", res, "只能上传照片")

		// A case raised there, linked by its tracking code; an unknown code is named at the field.
		c, err := db.CreateCase(f.as(t, "dqliaison"), lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID, Title: "小区雨污管道堵塞",
			Content: "视察中群众反映雨污管道经常堵塞。", RegionCode: "330206004"})
		if err != nil {
			t.Fatal(err)
		}
		res = liaison.post(path+"/cases", url.Values{"case": {"NOPE-1"}})
		wantStatus(t, "link an unknown code", res, 400)
		if fieldErrors(res.Body)["case"] == "" {
			t.Errorf("link an unknown code: no message at the field")
		}
		wantStatus(t, "link by code", liaison.post(path+"/cases", url.Values{"case": {strings.ToLower(c.TrackingCode)}}), 303)
		wantBody(t, "linked", liaison.get(path), "小区雨污管道堵塞")

		// The norms page counts it for the station: one held in the first quarter, one of two deputies there.
		norms := f.loggedIn(t, "dqclerk").get("/console/activities/norms?year=2026")
		wantStatus(t, "norms", norms, 200)
		wantBody(t, "norms", norms, "联络站活动达标情况（2026年）", f.dqStation.Name, "<strong>1</strong>", "50%", "代表参与率50%，低于90%",
			`<meter class="rate-meter"`, "尚未结束的季度不计入未达标")
		wantNoBody(t, "norms", norms, f.xgStation.Name)

		// The attendance page counts it.
		att := f.loggedIn(t, "dqclerk").get("/console/attendance?year=2026")
		wantStatus(t, "attendance", att, 200)
		wantBody(t, "attendance", att, "代表活动", "1次：出席1、请假0、缺席0")
	})
}
