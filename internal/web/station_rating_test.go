package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// 联络站评分 pages: the ranking with its meters and workbook, the table
// read by a town office and changed by the administrator with field
// errors and a stale form refused; the standards ticked by the town
// office, read by the station's liaison, not found for another town's.
func TestStationRatingPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		clerk := f.loggedIn(t, "dqclerk")
		res := clerk.get("/console/stats/stations?year=2026")
		wantStatus(t, "ranking", res, http.StatusOK)
		wantBody(t, "ranking", res, "联络站评分（2026年）", f.dqStation.Name, `<meter class="score-bar"`, `class="grade grade-red"`,
			`href="/console/stats/stations.xlsx?year=2026"`, "评分标准：接待活动按计划举行 20")
		wantNoBody(t, "ranking", res, f.xgStation.Name, ">修改评分标准</a>")
		rows := openXLSX(t, "stations.xlsx", clerk.get("/console/stats/stations.xlsx?year=2026"), "联络站评分")
		if len(rows) != 3 || rows[1][17] != "得分" || rows[2][1] != f.dqStation.Name {
			t.Errorf("stations.xlsx = %q", rows)
		}
		wantBody(t, "stats page", clerk.get("/console/stats"), `id="stats-stations" href="/console/stats/stations"`)
		for _, who := range []string{"wangxy"} {
			wantStatus(t, who+" ranking", f.loggedIn(t, who).get("/console/stats/stations"), http.StatusForbidden)
		}

		// The table: read by the town office, changed by the administrator.
		res = clerk.get("/console/settings/station-rating")
		wantStatus(t, "table as clerk", res, http.StatusOK)
		wantBody(t, "table as clerk", res, "意见箱每周开箱", "区人大常委会代表工作机构")
		wantNoBody(t, "table as clerk", res, `action="/console/settings/station-rating"`)
		wantStatus(t, "clerk saves", clerk.post("/console/settings/station-rating", url.Values{"version": {"1"}}), http.StatusForbidden)
		admin := f.loggedIn(t, "admin")
		wantBody(t, "ranking as admin", admin.get("/console/stats/stations"), f.xgStation.Name, ">修改评分标准</a>")
		form := url.Values{"version": {"1"}, "weight_receptions": {"20"}, "weight_attendance": {"15"}, "weight_activities": {"10"},
			"weight_participation": {"10"}, "weight_response": {"15"}, "weight_satisfaction": {"十"}, "weight_mailbox": {"10"}, "weight_checklist": {"10"},
			"green": {"85"}, "yellow": {"60"}}
		res = admin.post("/console/settings/station-rating", form)
		wantStatus(t, "a word for a weight", res, http.StatusBadRequest)
		if errs := fieldErrors(res.Body); errs["weight_satisfaction"] == "" {
			t.Errorf("no error on weight_satisfaction: %v\n%s", errs, clip(res.Body))
		}
		wantBody(t, "a word for a weight", res, `value="十"`)
		form.Set("weight_satisfaction", "10")
		form.Set("yellow", "90")
		res = admin.post("/console/settings/station-rating", form)
		wantStatus(t, "green under yellow", res, http.StatusBadRequest)
		if errs := fieldErrors(res.Body); errs["green"] == "" {
			t.Errorf("no error on green: %v\n%s", errs, clip(res.Body))
		}
		form.Set("yellow", "50")
		wantStatus(t, "save", admin.post("/console/settings/station-rating", form), http.StatusSeeOther)
		wantBody(t, "saved", admin.get("/console/settings/station-rating?ok=saved"), "已保存。", `id="yellow" name="yellow" type="text" inputmode="decimal" value="50"`)
		form.Set("weight_mailbox", "5")
		res = admin.post("/console/settings/station-rating", form)
		wantStatus(t, "stale form", res, http.StatusConflict)
		wantBody(t, "stale form", res, "该记录已被他人修改", `value="5"`)

		// The standards of 大碶's station.
		path := "/console/stations/" + strconv.FormatInt(f.dqStation.ID, 10) + "/checklist"
		wantBody(t, "station page", clerk.get("/console/stations/"+strconv.FormatInt(f.dqStation.ID, 10)), `href="`+path+`"`)
		res = clerk.get(path)
		wantStatus(t, "checklist", res, http.StatusOK)
		wantBody(t, "checklist", res, "有牌子", "有成效", "已达标 <strong id=\"checklist-done\">0</strong> / 9 项", `action="`+path+`/sign"`)
		res = clerk.post(path+"/sign", url.Values{"version": {"1"}, "done": {"true"}, "date": {"2025-13-01"}})
		wantStatus(t, "bad date", res, http.StatusBadRequest)
		wantBody(t, "bad date", res, "达标日期格式应为", `value="2025-13-01"`)
		wantStatus(t, "tick", clerk.post(path+"/sign", url.Values{"version": {"1"}, "done": {"true"}, "date": {"2025-12-01"}}), http.StatusSeeOther)
		res = f.loggedIn(t, "dqliaison").get(path)
		wantBody(t, "checklist as liaison", res, "已达标（2025-12-01）", "由所在地区的人大办勾选")
		wantNoBody(t, "checklist as liaison", res, `action="`+path+`/sign"`)
		wantStatus(t, "liaison ticks", f.loggedIn(t, "dqliaison").post(path+"/place", url.Values{"version": {"1"}, "done": {"true"}, "date": {"2025-12-01"}}), http.StatusForbidden)
		// A photo of the sign: a text file refused beside its form, a photo kept.
		res = clerk.uploadAs(path+"/sign/photos", "photo", "a.txt", []byte("not an image"))
		wantStatus(t, "text as photo", res, http.StatusBadRequest)
		wantBody(t, "text as photo", res, `id="photo-sign-error"`)
		wantStatus(t, "photo", clerk.uploadAs(path+"/sign/photos", "photo", "a.png", tinyPNG(t)), http.StatusSeeOther)
		wantBody(t, "checklist with photo", f.loggedIn(t, "dqliaison").get(path), "照片 1 张", path+"/sign/photos/1")
		if res := f.loggedIn(t, "dqliaison").get(path + "/sign/photos/1"); res.Status != http.StatusOK {
			t.Errorf("photo 1: %d", res.Status)
		}
		wantStatus(t, "liaison's photo", f.loggedIn(t, "dqliaison").uploadAs(path+"/sign/photos", "photo", "a.png", tinyPNG(t)), http.StatusForbidden)
		xg := "/console/stations/" + strconv.FormatInt(f.xgStation.ID, 10) + "/checklist"
		wantStatus(t, "another town's", clerk.get(xg), http.StatusNotFound)
		wantStatus(t, "another town's tick", clerk.post(xg+"/sign", url.Values{"version": {"1"}, "done": {"true"}, "date": {"2025-12-01"}}), http.StatusNotFound)
	})
}
