package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// 履职积分 pages: the ranking with its bars and workbook, the table read by
// a town office and changed by the administrator, with field errors and a
// stale form refused.
func TestDeputyStatsPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		clerk := f.loggedIn(t, "dqclerk")
		res := clerk.get("/console/stats/deputies?year=2026")
		wantStatus(t, "ranking", res, http.StatusOK)
		wantBody(t, "ranking", res, "代表履职积分（2026年）", f.dep1.Name, f.dep2.Name, `<meter class="score-bar"`,
			`href="/console/stats/deputies.xlsx?year=2026"`, "积分标准：进站接待选民每次出席 3 分")
		wantNoBody(t, "ranking", res, f.dep3.Name, ">修改积分标准</a>")
		rows := openXLSX(t, "ranking.xlsx", clerk.get("/console/stats/deputies.xlsx?year=2026"), "代表履职积分")
		if len(rows) != 4 || rows[1][17] != "积分" {
			t.Errorf("ranking.xlsx = %q", rows)
		}
		wantBody(t, "stats page", clerk.get("/console/stats"), `href="/console/stats/deputies"`, `id="stats-suggestions" href="/console/sessions"`)

		// A town office reads the table; it may not change it.
		res = clerk.get("/console/settings/scoring")
		wantStatus(t, "table as clerk", res, http.StatusOK)
		wantBody(t, "table as clerk", res, "向选民述职", "区人大常委会代表工作机构")
		wantNoBody(t, "table as clerk", res, `action="/console/settings/scoring"`)
		wantStatus(t, "clerk saves", clerk.post("/console/settings/scoring", url.Values{"version": {"1"}}), http.StatusForbidden)
		for _, who := range []string{"wangxy", "zjhandler"} {
			wantStatus(t, who+" ranking", f.loggedIn(t, who).get("/console/stats/deputies"), http.StatusForbidden)
		}

		admin := f.loggedIn(t, "admin")
		wantBody(t, "ranking as admin", admin.get("/console/stats/deputies"), f.dep3.Name, ">修改积分标准</a>")
		form := url.Values{"version": {"1"}, "points_reception": {"3"}, "points_activity": {"2"}, "points_report": {"5"},
			"points_diary": {"半分"}, "points_opinion": {"1"}, "points_duty_record": {"2"}, "points_suggestion": {"3"}, "points_absent": {"-2"}}
		res = admin.post("/console/settings/scoring", form)
		wantStatus(t, "a word for points", res, http.StatusBadRequest)
		if errs := fieldErrors(res.Body); errs["points_diary"] == "" {
			t.Errorf("no error on points_diary: %v\n%s", errs, clip(res.Body))
		}
		wantBody(t, "a word for points", res, `value="半分"`)
		form.Set("points_diary", "1")
		res = admin.post("/console/settings/scoring", form)
		wantStatus(t, "save", res, http.StatusSeeOther)
		wantBody(t, "saved", admin.get("/console/settings/scoring?ok=saved"), "已保存。", `id="points_diary" name="points_diary" type="text" inputmode="decimal" value="1"`)
		form.Set("points_report", "6")
		res = admin.post("/console/settings/scoring", form)
		wantStatus(t, "stale form", res, http.StatusConflict)
		wantBody(t, "stale form", res, "该记录已被他人修改", `value="6"`)
	})
}

// The 履职档案 page: the deputy's own and staff's, the Excel, and 404 for
// another deputy.
func TestDeputyRecordPage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		f.statsCases(t)
		own := f.loggedIn(t, "wangxy")
		path := "/console/deputies/" + strconv.FormatInt(f.dep1.ID, 10) + "/record"
		res := own.get(path + "?year=2026")
		wantStatus(t, "own record", res, http.StatusOK)
		wantBody(t, "own record", res, "代表履职档案", "2026年度（截至目前）", f.dep1.Name, "大碶街道人大代表联络站", "本年度未向选民述职",
			"每年为本选区选民办一件实事好事", "已完成 1/6 项",
			`href="`+path+`.xlsx?year=2026"`, "履职积分")
		rows := openXLSX(t, "record.xlsx", own.get(path+".xlsx?year=2026"), "履职档案")
		if len(rows) < 30 || rows[0][0] != f.dep1.Name+"代表2026年度履职档案（截至目前）" {
			t.Errorf("record.xlsx = %q", rows)
		}
		wantStatus(t, "another deputy's record", own.get("/console/deputies/"+strconv.FormatInt(f.dep2.ID, 10)+"/record"), http.StatusNotFound)
		clerk := f.loggedIn(t, "dqclerk")
		wantStatus(t, "clerk", clerk.get("/console/deputies/"+strconv.FormatInt(f.dep2.ID, 10)+"/record"), http.StatusOK)
		wantStatus(t, "another town", clerk.get("/console/deputies/"+strconv.FormatInt(f.dep3.ID, 10)+"/record"), http.StatusNotFound)
		wantBody(t, "deputy page", clerk.get("/console/deputies/"+strconv.FormatInt(f.dep1.ID, 10)), `href="`+path+`"`)
	})
}
