package web_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestLedgerPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, _ := clockedFixture(t, db) // 2026-03-02 09:30
		c, err := db.CreateCase(storetest.SystemContext(), lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID,
			Title: "小区路灯不亮", Content: "门前路灯坏了，电话13912340000。", RegionCode: "330206004",
			Submitter: lianluo.Submitter{Name: "张三丰", Phone: "13912340000"}, ReceivedBy: []int64{f.dep1.ID}})
		if err != nil {
			t.Fatal(err)
		}
		clerk := f.loggedIn(t, "dqclerk")
		station := fmt.Sprintf("station:%d", f.dqStation.ID)

		// The form: every book, the town's station and group, the nav link.
		res := clerk.get("/console/ledgers")
		wantStatus(t, "form", res, 200)
		wantBody(t, "form", res, `href="/console/ledgers"`, "代表小组会议登记簿", "代表小组活动登记簿", "人大代表接待选民登记簿",
			"人大代表建议批评意见登记簿", "走访群众登记簿", `value="`+station+`"`, fmt.Sprintf(`value="group:%d"`, f.group.ID), "2026")
		wantNoBody(t, "form", res, f.xgStation.Name)

		// Chosen: the way to the printed book; missing a scope: a Chinese error.
		res = clerk.get("/console/ledgers?book=opinions&scope=" + station + "&year=2026")
		wantStatus(t, "choose", res, 303)
		book := fmt.Sprintf("/console/ledgers/opinions?station_id=%d&year=2026", f.dqStation.ID)
		if got := res.Header.Get("Location"); got != book {
			t.Errorf("Location = %q; want %q", got, book)
		}
		res = clerk.get("/console/ledgers?book=opinions&scope=&year=2026")
		wantStatus(t, "no scope", res, 400)
		wantBody(t, "no scope", res, "请选择联络站或代表小组")
		// The handbook is a deputy's: the form offers the deputies in scope.
		dep := fmt.Sprintf("deputy:%d", f.dep1.ID)
		wantBody(t, "form", clerk.get("/console/ledgers"), "人大代表履职手册", `value="`+dep+`"`)
		res = clerk.get("/console/ledgers?book=handbook&scope=" + dep + "&year=2026")
		if got, want := res.Header.Get("Location"), fmt.Sprintf("/console/ledgers/handbook?deputy_id=%d&year=2026", f.dep1.ID); res.Status != 303 || got != want {
			t.Errorf("handbook chosen: %d %q; want 303 to %q", res.Status, got, want)
		}
		res = clerk.get("/console/ledgers?book=handbook&scope=" + station + "&year=2026")
		wantStatus(t, "handbook of a station", res, 400)
		wantBody(t, "handbook of a station", res, "人大代表履职手册按代表生成")
		own := f.loggedIn(t, "wangxy").get("/console/ledgers")
		wantBody(t, "a deputy's form", own, `value="`+dep+`"`)
		wantNoBody(t, "a deputy's form", own, fmt.Sprintf(`value="deputy:%d"`, f.dep2.ID))
		res = clerk.get("/console/ledgers?book=diaries&scope=" + station + "&year=2026")
		wantStatus(t, "bad book", res, 400)
		wantBody(t, "bad book", res, "台账名称不正确")

		// The printed book: title page, repeated header, landscape A4, the
		// entry linked to its case, the submitter masked.
		res = clerk.get(book)
		wantStatus(t, "print", res, 200)
		wantBody(t, "print", res, "ledger-cover", "大碶街道人大代表联络站", "2026年度", "人大代表建议批评意见登记簿",
			"<thead><tr>", "ledgers_landscape", fmt.Sprintf(`href="/console/cases/%d"`, c.ID), "张**（尾号0000）", "139****0000",
			"王秀英", fmt.Sprintf(`href="/console/ledgers/opinions.xlsx?station_id=%d&amp;year=2026"`, f.dqStation.ID))
		wantNoBody(t, "print", res, "13912340000", "张三丰")
		css := clerk.get("/static/ledgers.css").Body
		if !strings.Contains(css, "thead { display: table-header-group; }") {
			t.Error("ledgers.css does not repeat the table header on each printed page")
		}
		// The columns' widths are classes (no style attribute passes the CSP).
		wantBody(t, "print", res, `<col class="p`)
		wantNoBody(t, "print", res, "style=")
		for _, class := range []string{"col.p1 {", "col.p60 {"} {
			if !strings.Contains(css, class) {
				t.Errorf("ledgers.css has no %s", class)
			}
		}
		if res := clerk.get(fmt.Sprintf("/console/ledgers/opinions.xlsx?station_id=%d&year=2026", f.dqStation.ID)); res.Status != 200 ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Errorf("workbook: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		for _, b := range lianluo.LedgerBooks {
			scope := fmt.Sprintf("station_id=%d", f.dqStation.ID)
			if b.Book == lianluo.LedgerHandbook {
				scope = fmt.Sprintf("deputy_id=%d", f.dep1.ID) // a deputy's
			}
			res := clerk.get(fmt.Sprintf("/console/ledgers/%s?%s&year=2026", b.Book, scope))
			wantStatus(t, string(b.Book), res, 200)
			wantBody(t, string(b.Book), res, b.Title, "<thead>")
		}
		res = clerk.get(fmt.Sprintf("/console/ledgers/opinions?station_id=%d&year=2025", f.dqStation.ID))
		wantStatus(t, "last year", res, 200)
		wantBody(t, "last year", res, "本年度没有记录")

		// Scope: another town's station, a deputy at the station's books,
		// the group's leader at the group's.
		wantStatus(t, "another town", clerk.get(fmt.Sprintf("/console/ledgers/opinions?station_id=%d&year=2026", f.xgStation.ID)), 404)
		deputy := f.loggedIn(t, "wangxy")
		wantStatus(t, "deputy, station", deputy.get(book), 404)
		wantStatus(t, "leader, group", deputy.get(fmt.Sprintf("/console/ledgers/visits?group_id=%d&year=2026", f.group.ID)), 200)
		wantStatus(t, "bad year", clerk.get(fmt.Sprintf("/console/ledgers/opinions?station_id=%d&year=26", f.dqStation.ID)), 400)
	})
}
