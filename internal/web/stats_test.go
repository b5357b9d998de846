package web_test

import (
	"compress/gzip"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// statsCases gives the fixture cases for statistics on the clock of
// 2026-03-02: in 大碶 one replied (repliedCase) and one forwarded for
// approval (due 2026-03-12), in 小港 one answered on the spot. It returns
// the forwarded one.
func (f *fixture) statsCases(t *testing.T) *lianluo.Case {
	t.Helper()
	f.repliedCase(t, "雨后路面积水严重", f.dep1.ID)
	sys := storetest.SystemContext()
	mk := func(title string, station *lianluo.Station, region string, in lianluo.CaseAction) *lianluo.Case {
		c, err := f.db.CreateCase(sys, lianluo.CaseInput{Channel: "visit", StationID: &station.ID, Title: title,
			Content: title + "，请尽快处理。", Category: "城乡建设", RegionCode: region,
			Submitter: lianluo.Submitter{Name: "钱七", Phone: "13912340002"}})
		if err != nil {
			t.Fatal(err)
		}
		in.Version = c.Version
		if c, err = f.db.Act(sys, c.ID, lianluo.ActTriage, in); err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		return c
	}
	fwd := mk("小区路灯不亮", f.dqStation, "330206004", lianluo.CaseAction{Outcome: "forward"})
	mk("渡头村公交站台破损", f.xgStation, "330206003", lianluo.CaseAction{Outcome: "answered", Answer: "已联系公交公司，本周修复。"})
	return fwd
}

// statsAs is CaseStats as the user sees it.
func (f *fixture) statsAs(t *testing.T, user string, sf lianluo.StatsFilter) *lianluo.CaseStatsResult {
	t.Helper()
	res, err := f.db.CaseStats(f.as(t, user), sf)
	if err != nil {
		t.Fatalf("CaseStats(%s, %+v): %v", user, sf, err)
	}
	return res
}

var cardRe = regexp.MustCompile(`id="card-([a-z_]+)">(?:<a href="[^"]*">)?<span class="stat-label">[^<]*</span><span class="stat-value">([^<]*)</span>`)

// cards reads the headline figures of the statistics page.
func cards(body string) map[string]string {
	out := map[string]string{}
	for _, m := range cardRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func pctOf(r *float64) string {
	if r == nil {
		return "—"
	}
	return strings.TrimSuffix(strconv.FormatFloat(*r*100, 'f', 1, 64), ".0") + "%"
}

func wantCards(t *testing.T, what, body string, c lianluo.CaseCounts) {
	t.Helper()
	got := cards(body)
	want := map[string]string{
		"received": strconv.Itoa(c.Received), "response": pctOf(c.ResponseRate), "closing": pctOf(c.ClosingRate),
		"on_time": pctOf(c.OnTimeRate), "satisfaction": pctOf(c.SatisfactionRate), "overdue": strconv.Itoa(c.OverdueOpen),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: card %s = %q; want %q (all: %v)", what, k, got[k], v, got)
		}
	}
}

// TestStatsPage: the statistics page shows CaseStats's figures for the
// caller's region, the district's towns link to their own page, where the
// stations are listed; the Excel links carry the page's query.
func TestStatsPage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		f.statsCases(t)
		year, _ := lianluo.ParsePeriod("2026")
		c := f.loggedIn(t, "admin")
		res := c.get("/console/stats?preset=year")
		wantStatus(t, "stats", res, http.StatusOK)
		wantNoBody(t, "stats", res, "{{", "<no value>", "%!", "ZgotmplZ", "style=", "<script>", "<style")
		want := f.statsAs(t, "admin", lianluo.StatsFilter{Region: "330206", Period: year, GroupBy: lianluo.GroupByRegion})
		if want.Totals.Received != 3 {
			t.Fatalf("fixture: %d cases received; want 3", want.Totals.Received)
		}
		wantCards(t, "admin stats", res.Body, want.Totals)
		wantBody(t, "stats", res, "统计分析", "北仑区", "2026年", `href="/console/stats"`, `<script type="application/json" id="stats-data">`,
			"/static/vendor/echarts/echarts.lianluo.min.js", "/static/stats.js", "月度趋势", "按地区", "按类别", "按承办单位",
			`href="/console/stats.xlsx?from=2026-01-01&amp;group_by=region&amp;region=330206&amp;to=2026-12-31"`,
			`href="/console/stats.xlsx?from=2026-01-01&amp;group_by=month&amp;region=330206&amp;to=2026-12-31"`,
			`href="/console/stats/report?period=2026&amp;region=330206"`)
		// Each town's row: its figures and the drill-down link.
		for _, row := range want.Rows {
			if row.Key == "330206" {
				continue
			}
			link := fmt.Sprintf(`<a href="/console/stats?group_by=unit&amp;preset=year&amp;region=%s">%s</a></th><td>%d</td>`,
				row.Key, row.Name, row.Received)
			wantBody(t, "region row "+row.Name, res, link)
		}
		// The chart data: every month of the year up to now (March), and the towns.
		data := regexp.MustCompile(`(?s)<script type="application/json" id="stats-data">(.*?)</script>`).FindStringSubmatch(res.Body)
		if data == nil || !strings.Contains(data[1], `"months":["1月","2月","3月"]`) || !strings.Contains(data[1], `"received":[0,0,3]`) ||
			!strings.Contains(data[1], "region=330206004") {
			t.Errorf("chart data = %v", data)
		}

		// Drill down: 大碶街道 is a town, so its stations.
		res = c.get("/console/stats?group_by=unit&preset=year&region=330206004")
		wantStatus(t, "大碶", res, http.StatusOK)
		town := f.statsAs(t, "admin", lianluo.StatsFilter{Region: "330206004", Period: year, GroupBy: lianluo.GroupByStation})
		wantCards(t, "大碶", res.Body, town.Totals)
		wantBody(t, "大碶", res, "按联络站", f.dqStation.Name,
			fmt.Sprintf(`<a href="/console/cases?from=2026-01-01&amp;station=%d&amp;to=2026-12-31">%s</a>`, f.dqStation.ID, f.dqStation.Name),
			`<a href="/console/stats?group_by=unit&amp;preset=year&amp;region=330206">北仑区</a>`, "统计期间：2026年（")
		wantNoBody(t, "大碶", res, f.xgStation.Name, "渡头村")

		// The chosen breakdown, and the presets.
		res = c.get("/console/stats?preset=month&group_by=channel")
		wantStatus(t, "this month by channel", res, http.StatusOK)
		wantBody(t, "this month by channel", res, "按渠道", "2026年3月", `class="btn btn-small preset is-current" href="/console/stats?group_by=channel&amp;preset=month&amp;region=330206"`)
		// A typed range: the links carry it.
		res = c.get("/console/stats?from=2026-03-01&to=2026-03-31&group_by=status")
		wantStatus(t, "March", res, http.StatusOK)
		wantBody(t, "March", res, "统计期间：2026年3月1日至2026年3月31日", "按状态",
			`<a href="/console/stats?from=2026-03-01&amp;group_by=status&amp;region=330206004&amp;to=2026-03-31">大碶街道</a>`,
			`href="/console/stats/report?from=2026-03-01&amp;region=330206&amp;to=2026-03-31"`)
		res = c.get("/console/stats?preset=quarter&region=330206003")
		wantBody(t, "小港 this quarter", res, "2026年第一季度", f.xgStation.Name)
	})
}

// TestStatsPageAccess: the API's rule — deputies and unit handlers get the
// 403 page and no menu entry; an office sees its own region only; station
// staff see their station.
func TestStatsPageAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	f.statsCases(t)
	for _, user := range []string{"wangxy", "dqunit", "zjhandler"} {
		c := f.loggedIn(t, user)
		for _, path := range []string{"/console/stats", "/console/stats/report", "/console/stats?region=330206"} {
			res := c.get(path)
			wantStatus(t, user+" "+path, res, http.StatusForbidden)
			wantBody(t, user+" "+path, res, "没有权限", "统计分析仅供")
		}
		wantNoBody(t, user+" dashboard", c.get("/console/"), `href="/console/stats"`)
	}

	// The 大碶 office: its town and stations, not 小港's.
	k := f.loggedIn(t, "dqclerk")
	res := k.get("/console/stats")
	wantStatus(t, "clerk", res, http.StatusOK)
	year, _ := lianluo.ParsePeriod("2026")
	own := f.statsAs(t, "dqclerk", lianluo.StatsFilter{Period: year})
	if own.Totals.Received != 2 {
		t.Fatalf("clerk's cases = %d; want 2", own.Totals.Received)
	}
	wantCards(t, "clerk", res.Body, own.Totals)
	wantBody(t, "clerk", res, `href="/console/stats"`, "大碶街道", "按联络站", f.dqStation.Name)
	wantNoBody(t, "clerk", res, f.xgStation.Name, "小港")
	res = k.get("/console/stats?region=330206003")
	wantStatus(t, "clerk asks for 小港", res, http.StatusForbidden)
	res = k.get("/console/stats/report?region=330206")
	wantStatus(t, "clerk asks for the district's report", res, http.StatusForbidden)

	// The liaison: their station, no region to choose.
	l := f.loggedIn(t, "dqliaison")
	res = l.get("/console/stats")
	wantStatus(t, "liaison", res, http.StatusOK)
	wantCards(t, "liaison", res.Body, f.statsAs(t, "dqliaison", lianluo.StatsFilter{Period: year}).Totals)
	wantBody(t, "liaison", res, f.dqStation.Name, "按联络站")
	wantNoBody(t, "liaison", res, `name="region"`, f.xgStation.Name)
	res = l.get("/console/stats/report?period=2026")
	wantStatus(t, "liaison report", res, http.StatusOK)
	wantBody(t, "liaison report", res, f.dqStation.Name+"意见办理情况报告（2026年）")
}

// TestStatsPageBadInput: a bad date, period, region or breakdown is said
// in Chinese in the page, naming what is wrong, with a 400 — not a 500.
func TestStatsPageBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := f.loggedIn(t, "admin")
	for _, tc := range []struct{ query, want string }{
		{"from=2026-13-01&to=2026-12-31", "开始日期格式不正确"},
		{"from=2026-03-01", "请填写结束日期"},
		{"from=2026-03-01&to=2026-02-01", "结束日期不能早于开始日期"},
		{"period=2026Q5", "报告期的季度应为 Q1 到 Q4"},
		{"preset=decade", "请选择本月、本季度或本年"},
		{"region=abc", "地区代码格式不正确"},
		{"region=330299", "没有编码为“330299”的地区"},
		{"group_by=week", "分组方式不正确"},
	} {
		res := c.get("/console/stats?" + tc.query)
		wantStatus(t, tc.query, res, http.StatusBadRequest)
		wantBody(t, tc.query, res, `id="stats-error"`, html.EscapeString(tc.want), `<form method="get" action="/console/stats"`)
		wantNoBody(t, tc.query, res, `id="card-received"`)
	}
}

// TestStatsReport: the printable report for a quarter, a month and a year
// (this quarter by default), its figures CaseStats's, and the overdue list.
func TestStatsReport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var clock atomic.Int64
		clock.Store(storetest.Now.UnixNano())
		storetest.ClockOf(db).Set(func() time.Time { return time.Unix(0, clock.Load()).UTC() })
		f := newFixture(t, db)
		fwd := f.statsCases(t)
		c := f.loggedIn(t, "admin")
		for _, tc := range []struct{ query, title string }{
			{"", "北仑区人大代表联络站意见办理情况报告（2026年第一季度）"},
			{"period=2026Q4", "北仑区人大代表联络站意见办理情况报告（2026年第四季度）"},
			{"period=2026-11", "北仑区人大代表联络站意见办理情况报告（2026年11月）"},
			{"period=2026&region=330206", "北仑区人大代表联络站意见办理情况报告（2026年）"},
			{"period=2026&region=330206004", "大碶街道人大代表联络站意见办理情况报告（2026年）"},
		} {
			res := c.get("/console/stats/report?" + tc.query)
			wantStatus(t, tc.query, res, http.StatusOK)
			wantBody(t, tc.query, res, "<h1 class=\"doc-title\">"+tc.title+"</h1>", "data-print", "总体情况", "分类别情况", "分月份情况", "超期未办意见")
			wantNoBody(t, tc.query, res, "{{", "<no value>", "%!", "ZgotmplZ", `class="side"`)
		}
		res := c.get("/console/stats/report?period=2026Q4")
		wantBody(t, "2026Q4", res, "2026年第四季度，北仑区各人大代表联络站没有受理群众意见建议。", "本期受理的意见中，目前没有超期未办的。")

		// Ten days on the forwarded case is overdue: the year's report lists it.
		clock.Store(time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC).UnixNano())
		c = f.loggedIn(t, "admin")
		year, _ := lianluo.ParsePeriod("2026")
		want := f.statsAs(t, "admin", lianluo.StatsFilter{Region: "330206", Period: year})
		if want.Totals.OverdueOpen != 1 {
			t.Fatalf("overdue = %d; want 1", want.Totals.OverdueOpen)
		}
		res = c.get("/console/stats/report?period=2026")
		wantStatus(t, "2026", res, http.StatusOK)
		tot := want.Totals
		lead := fmt.Sprintf("2026年，北仑区各人大代表联络站共受理群众意见建议%d件，其中当场答复或解释说明%d件，不予受理并告知反映渠道%d件，交办承办单位%d件。"+
			"承办单位已答复%d件，其中按时答复%d件，按时答复率%s；已办结%d件，办结率%s；件件有回音率%s；已测评%d件，满意率%s。截至2026年3月14日，本期受理的意见中超期未办1件。",
			tot.Received, tot.AnsweredDirectly, tot.NotAccepted, tot.Assigned, tot.Replied, tot.RepliedOnTime, pctOf(tot.OnTimeRate),
			tot.Closed, pctOf(tot.ClosingRate), pctOf(tot.ResponseRate), tot.Rated, pctOf(tot.SatisfactionRate))
		wantBody(t, "2026", res, lead, "分地区情况", "大碶街道", "小港街道",
			fmt.Sprintf(`<td class="mono">%s</td><th scope="row"><a href="/console/cases/%d">小区路灯不亮</a></th><td>%s</td><td>—</td><td>2026-03-12</td><td>2天</td>`,
				fwd.TrackingCode, fwd.ID, f.dqStation.Name),
			`href="/console/stats/report?period=2026&amp;region=330206004"`)

		for _, tc := range []struct{ query, want string }{
			{"period=2026Q5", "报告期的季度应为 Q1 到 Q4。"},
			{"period=Q4", "报告期格式不正确"},
			{"period=1999", "报告期的年份应在2000年至2100年之间。"},
			{"period=2026-13", "报告期的月份应为01到12。"},
			{"region=abc", "地区代码格式不正确"},
		} {
			res := c.get("/console/stats/report?" + tc.query)
			wantStatus(t, tc.query, res, http.StatusBadRequest)
			wantBody(t, tc.query, res, `id="report-error"`, tc.want, `name="period"`)
			wantNoBody(t, tc.query, res, `id="report-lead"`)
		}
	})
}

// TestDashboardStats: those who may see statistics find this year's
// headline figures of their scope on the dashboard, linking to the
// statistics page (overdue: to those cases); the others keep theirs.
func TestDashboardStats(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	f.statsCases(t)
	year, _ := lianluo.ParsePeriod("2026")
	// Each one's region: the district for the administrator, the town for its office.
	for user, region := range map[string]string{"admin": "330206", "dqclerk": "330206004"} {
		res := f.loggedIn(t, user).get("/console/")
		wantStatus(t, user, res, http.StatusOK)
		tot := f.statsAs(t, user, lianluo.StatsFilter{Region: region, Period: year}).Totals
		q := url.Values{"overdue": {"1"}, "from": {"2026-01-01"}, "to": {"2026-12-31"}, "region": {region}}
		wantBody(t, user, res, "今年意见办理情况",
			fmt.Sprintf(`<a href="/console/stats?preset=year" id="dash-received"><span class="count-n">%d</span><span class="count-label">受理数</span>`, tot.Received),
			fmt.Sprintf(`id="dash-response"><span class="count-n">%s</span><span class="count-label">件件有回音率</span>`, pctOf(tot.ResponseRate)),
			fmt.Sprintf(`id="dash-on_time"><span class="count-n">%s</span>`, pctOf(tot.OnTimeRate)),
			fmt.Sprintf(`id="dash-satisfaction"><span class="count-n">%s</span>`, pctOf(tot.SatisfactionRate)),
			fmt.Sprintf(`<a href="/console/cases?%s" id="dash-overdue"><span class="count-n">%d</span>`, html.EscapeString(q.Encode()), tot.OverdueOpen))
		wantNoBody(t, user, res, "在任代表")
	}
	// A unit handler's home is unchanged: no statistics.
	res := f.loggedIn(t, "dqunit").get("/console/")
	wantStatus(t, "unit handler", res, http.StatusOK)
	wantNoBody(t, "unit handler", res, "今年意见办理情况", "dash-received")
}

// TestStaticGzip: the chart library is served from the binary, gzipped to
// browsers that take it, whole to those that do not, cached by version.
func TestStaticGzip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := f.loggedIn(t, "admin")
	page := c.get("/console/stats")
	m := regexp.MustCompile(`src="(/static/vendor/echarts/echarts\.lianluo\.min\.js\?v=[0-9a-f]+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the statistics page links no versioned ECharts\n%s", clip(page.Body))
	}
	get := func(path, enc string) response {
		req, err := http.NewRequest("GET", f.srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", enc) // set by hand: the client then leaves the body as sent
		return c.do(req)
	}
	plain := get(m[1], "identity")
	wantStatus(t, "plain", plain, http.StatusOK)
	if plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Body, "Apache Software Foundation") || len(plain.Body) < 500_000 {
		t.Errorf("plain: Content-Encoding %q, %d bytes", plain.Header.Get("Content-Encoding"), len(plain.Body))
	}
	zipped := get(m[1], "gzip, deflate, br")
	wantStatus(t, "gzip", zipped, http.StatusOK)
	if got := zipped.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q; want gzip", got)
	}
	zr, err := gzip.NewReader(strings.NewReader(zipped.Body))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || string(unzipped) != plain.Body {
		t.Errorf("gunzipped body differs from the file (%v)", err)
	}
	if len(zipped.Body) > len(plain.Body)/2 {
		t.Errorf("gzipped %d bytes of %d", len(zipped.Body), len(plain.Body))
	}
	if !strings.Contains(zipped.Header.Get("Cache-Control"), "immutable") || zipped.Header.Get("Vary") != "Accept-Encoding" ||
		!strings.HasPrefix(zipped.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("headers = %v", zipped.Header)
	}
	// A small file goes as it is; the licence is there.
	if res := get("/static/favicon.svg", "gzip"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("favicon.svg: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	for _, name := range []string{"LICENSE", "NOTICE"} {
		res := c.get("/static/vendor/echarts/" + name)
		wantStatus(t, name, res, http.StatusOK)
		wantBody(t, name, res, "Apache")
	}
}

// The report lists the matters several voters raised in its period.
func TestStatsReportHotTopics(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		sys := storetest.SystemContext()
		for i, c := range []struct {
			station       *lianluo.Station
			region, title string
			content       string
		}{
			{f.dqStation, "330206004", "幸福小区路灯不亮", "幸福小区3号楼前的路灯坏了一个多月，晚上很黑，老人出门不安全。"},
			{f.dqStation, "330206004", "小区路灯坏了没人修", "我们小区的路灯晚上不亮，已经很久了，希望尽快修好。"},
			{f.xgStation, "330206003", "村口路灯不亮", "村口那段路的路灯一直不亮，晚上走路看不见。"},
			{f.xgStation, "330206003", "学校收费太高", "孩子学校的课后服务收费太高，家长负担重。"},
		} {
			if _, err := db.CreateCase(sys, lianluo.CaseInput{Channel: "visit", StationID: &c.station.ID, Title: c.title,
				Content: c.content, Category: "城乡建设", RegionCode: c.region,
				Submitter: lianluo.Submitter{Name: "钱七", Phone: fmt.Sprintf("1391234000%d", i)}}); err != nil {
				t.Fatal(err)
			}
		}
		c := f.loggedIn(t, "admin")
		res := c.get("/console/stats/report?period=2026")
		wantStatus(t, "2026", res, http.StatusOK)
		wantBody(t, "2026", res, `<h2 id="hot-h">热点问题</h2>`, "共1项", `<td class="num">3</td><td class="num">2</td>`)
		wantNoBody(t, "2026", res, "学校收费太高</td>")
		res = c.get("/console/stats/report?period=2025")
		wantBody(t, "2025", res, "没有多名群众反映同一问题的情况")
	})
}
