package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openXLSX checks a download is a workbook and returns the sheet's rows.
func openXLSX(t *testing.T, what string, res response, sheet string) [][]string {
	t.Helper()
	wantStatus(t, what, res, http.StatusOK)
	if got := res.Header.Get("Content-Type"); got != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("%s: Content-Type %q", what, got)
	}
	f, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("%s: GetRows(%s): %v", what, sheet, err)
	}
	return rows
}

var excelLinkRe = regexp.MustCompile(`href="(/console/cases\.xlsx[^"]*)"[^>]*>导出 Excel<`)

func TestCaseListExcel(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison := f.loggedIn(t, "dqliaison")
		f.register(t, liaison, "小区路灯不亮")
		water := f.register(t, liaison, "菜场门口积水")
		clerk := f.loggedIn(t, "dqclerk")

		// The list's button carries the filters, not the page.
		res := clerk.get("/console/cases?q=" + url.QueryEscape("积水") + "&page=2&from=2026-03-01")
		wantStatus(t, "list", res, http.StatusOK)
		m := excelLinkRe.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no 导出 Excel button on the list:\n%s", res.Body)
		}
		link := html.UnescapeString(m[1])
		if !strings.Contains(link, "q="+url.QueryEscape("积水")) || !strings.Contains(link, "from=2026-03-01") || strings.Contains(link, "page=") {
			t.Errorf("button link = %q; want the list's filters without the page", link)
		}
		rows := openXLSX(t, "export", clerk.get(link), "意见")
		if len(rows) != 3 || rows[2][0] != strconv.FormatInt(water, 10) || rows[2][6] != "菜场门口积水" {
			t.Errorf("export of 积水 = %q; want only case %d", rows, water)
		}
		for _, row := range rows {
			for _, cell := range row {
				if strings.Contains(cell, "13912340000") || strings.Contains(cell, "坝头社区5幢") {
					t.Errorf("unmasked personal data in %q", cell)
				}
			}
		}
		if res := clerk.get("/console/cases.xlsx"); len(openXLSX(t, "export of all", res, "意见")) != 4 {
			t.Errorf("export of every case: want 2 rows")
		}
		// A bad date is the list's message, as an error page.
		res = clerk.get("/console/cases.xlsx?from=3.2")
		wantStatus(t, "export with a bad date", res, http.StatusBadRequest)
		wantBody(t, "export with a bad date", res, "起始日期格式应为")
		// Deputies and units list their cases but do not export, and see no button.
		for _, u := range []string{"wangxy", "dqunit"} {
			c := f.loggedIn(t, u)
			wantStatus(t, u+"'s export", c.get("/console/cases.xlsx"), http.StatusForbidden)
			wantNoBody(t, u+"'s list", c.get("/console/cases"), "导出 Excel")
		}
	})
}

func TestStatsExcel(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison := f.loggedIn(t, "dqliaison")
		f.register(t, liaison, "小区路灯不亮")
		clerk := f.loggedIn(t, "dqclerk")
		res := clerk.get("/console/stats.xlsx?period=2026Q1&group_by=station")
		rows := openXLSX(t, "stats", res, "意见办理统计")
		if got := res.Header.Get("Content-Disposition"); !strings.Contains(got, url.PathEscape("意见办理统计_2026Q1.xlsx")) {
			t.Errorf("Content-Disposition = %q", got)
		}
		if len(rows) != 4 || !strings.Contains(rows[0][0], "2026年第一季度") || rows[1][0] != "联络站" ||
			rows[2][0] != f.dqStation.Name || rows[2][1] != "1" || rows[3][0] != "合计" {
			t.Errorf("stats sheet = %q", rows)
		}
		// The default is this year (the test clock's 2026), the station named.
		rows = openXLSX(t, "stats of the station", clerk.get("/console/stats.xlsx?station_id="+strconv.FormatInt(f.dqStation.ID, 10)), "意见办理统计")
		if !strings.HasPrefix(rows[0][0], f.dqStation.Name) || !strings.Contains(rows[0][0], "2026年") || rows[2][1] != "1" {
			t.Errorf("station stats = %q", rows)
		}
		for _, tt := range []struct {
			user, query string
			status      int
			says        string
		}{
			{"dqclerk", "period=2026Q5", 400, "季度应为 Q1 到 Q4"},
			{"dqclerk", "from=2026-03-01", 400, "请填写结束日期"},
			{"dqclerk", "station_id=x", 400, "联络站的取值无效"},
			{"wangxy", "", 403, ""},
		} {
			res := f.loggedIn(t, tt.user).get("/console/stats.xlsx?" + tt.query)
			wantStatus(t, tt.user+" ?"+tt.query, res, tt.status)
			wantBody(t, tt.user+" ?"+tt.query, res, tt.says)
		}
	})
}
