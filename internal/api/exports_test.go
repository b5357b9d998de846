package api_test

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo"
	"lianluo/internal/sheets"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// registerCase registers a case through the API as the user and fails the
// test if it is refused.
func registerCase(t *testing.T, c *client, body map[string]any) int64 {
	t.Helper()
	r := c.do("POST", "/api/v1/cases", body)
	if r.Status != 201 {
		t.Fatalf("register %v: %d %s", body["title"], r.Status, r.Raw)
	}
	return r.num("id")
}

// openBook opens a downloaded workbook and returns its first sheet's rows.
func openBook(t *testing.T, r response, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("download: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Raw)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Raw))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("GetRows(%s): %v", sheet, err)
	}
	return f, rows
}

func TestCaseStatsSheet(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		liaison := e.as(t, "liaisona")
		for _, title := range []string{"小区路灯不亮", "公交站台破损"} {
			registerCase(t, liaison, map[string]any{
				"kind": "opinion", "channel": "visit", "station_id": e.w.StationA.ID, "title": title,
				"content": title + "，请尽快处理。", "category": "城乡建设", "region_code": "330206004",
				"submitter": map[string]any{"name": "张三", "phone": "13912340000"}, "received_by": []int64{e.w.DeputyA1.ID},
			})
		}
		office := e.as(t, "office")
		r := office.do("GET", "/api/v1/stats/cases.xlsx?period=2026Q1&group_by=station", nil)
		f, rows := openBook(t, r, "意见办理统计")
		if got, want := r.Header.Get("Content-Disposition"), "attachment; filename*=UTF-8''"+url.PathEscape("意见办理统计_2026Q1.xlsx"); got != want {
			t.Errorf("Content-Disposition = %q; want %q", got, want)
		}
		if len(rows) != 4 {
			t.Fatalf("rows = %q; want title, headers, one station, 合计", rows)
		}
		if got := rows[0][0]; !strings.Contains(got, "本人管辖范围") || !strings.Contains(got, "2026年第一季度") {
			t.Errorf("title = %q; want the scope and 2026年第一季度", got)
		}
		if got, want := rows[1], append([]string{"联络站"}, sheets.CaseStatsHeaders...); !slices.Equal(got, want) {
			t.Errorf("headers = %q; want %q", got, want)
		}
		for _, h := range []string{"受理数", "当场答复/解释说明", "件件有回音率", "群众满意率", "超期未办"} {
			if !slices.Contains(rows[1], h) {
				t.Errorf("no header %s", h)
			}
		}
		if rows[2][0] != e.w.StationA.Name || rows[2][1] != "2" {
			t.Errorf("station row = %q", rows[2])
		}
		if rows[3][0] != "合计" || rows[3][1] != "2" {
			t.Errorf("totals row = %q", rows[3])
		}
		// 件件有回音率 (column O): 0 of 2 is a real 0, formatted 0.0 %; 办结率
		// (P) has nothing assigned to measure and is an empty cell.
		raw, _ := f.GetCellValue("意见办理统计", "O4", excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("意见办理统计", "O4")
		if raw != "0" || shown != "0.0%" {
			t.Errorf("response rate cell = %q shown %q; want 0 shown 0.0%%", raw, shown)
		}
		id, _ := f.GetCellStyle("意见办理统计", "O3")
		if st, err := f.GetStyle(id); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0%" {
			t.Errorf("rate style = %+v, %v; want 0.0%%", st, err)
		}
		if v, _ := f.GetCellValue("意见办理统计", "P4"); v != "" {
			t.Errorf("closing rate with nothing assigned = %q; want an empty cell", v)
		}

		// from and to: the period named in the title and the file name.
		r = office.do("GET", "/api/v1/stats/cases.xlsx?from=2026-03-01&to=2026-03-31&region=330206004", nil)
		_, rows = openBook(t, r, "意见办理统计")
		if !strings.Contains(rows[0][0], "大碶街道") || !strings.Contains(rows[0][0], "2026年3月1日至2026年3月31日") {
			t.Errorf("title = %q", rows[0][0])
		}
		if got := r.Header.Get("Content-Disposition"); !strings.Contains(got, url.PathEscape("意见办理统计_2026-03.xlsx")) {
			t.Errorf("Content-Disposition = %q; want the month", got)
		}
		if len(rows) != 3 || rows[1][0] != "范围" || rows[2][0] != "合计" {
			t.Errorf("without a breakdown: %q", rows)
		}

		for _, tt := range []struct {
			user, query string
			status      int
			field       string
		}{
			{"office", "group_by=week", 400, "group_by"},
			{"office", "period=2026Q5", 400, "period"},
			{"office", "from=2026-03-01", 400, "to"},
			{"office", "region=999999", 400, "region"},
			{"deputya", "", 403, ""},
			{"unit", "", 403, ""},
		} {
			r := e.as(t, tt.user).do("GET", "/api/v1/stats/cases.xlsx?"+tt.query, nil)
			if r.Status != tt.status || r.errField() != tt.field {
				t.Errorf("%s ?%s: %d %s, want %d field %q", tt.user, tt.query, r.Status, r.Raw, tt.status, tt.field)
			}
		}
	})
}

func TestCaseExport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		const phone = "13912340000"
		liaison := e.as(t, "liaisona")
		lamp := registerCase(t, liaison, map[string]any{
			"kind": "opinion", "channel": "visit", "station_id": e.w.StationA.ID, "title": "小区路灯不亮",
			"content": "我是张三丰，住庐山西路88号，电话" + phone + "，路灯坏了一个月。", "category": "城乡建设", "region_code": "330206004",
			"submitter":   map[string]any{"name": "张三丰", "phone": phone, "address": "庐山西路88号", "id_number": "330206198001011230"},
			"received_by": []int64{e.w.DeputyA1.ID},
		})
		secret := registerCase(t, liaison, map[string]any{
			"kind": "opinion", "channel": "phone", "station_id": e.w.StationA.ID, "title": "反映噪音扰民",
			"content": "夜间施工噪音大。", "category": "城乡建设", "region_code": "330206004", "confidential": true,
			"submitter": map[string]any{"name": "李四", "phone": "13800002222"},
		})
		// The lamp case through to the deputy's rating: its unit, reply
		// (the submitter's phone written into it) and rating are exported.
		unitA := caseStaff(t, e)
		act(t, liaison, lamp, "triage", map[string]any{"outcome": "forward"})
		act(t, e.as(t, "leadera"), lamp, "approve", map[string]any{"lead_unit_id": unitA.ID})
		act(t, e.as(t, "unita"), lamp, "sign", map[string]any{})
		act(t, e.as(t, "unita"), lamp, "reply", map[string]any{"result": "A", "content": "已联系张三丰（" + phone + "）更换灯具。"})
		act(t, e.as(t, "officea"), lamp, "feedback", map[string]any{"content": "路灯已修好，请您查看。"})
		act(t, e.as(t, "deputya"), lamp, "evaluate", map[string]any{"by": "deputy", "rating": "basically_satisfied"})
		// Another town's case: the district sees it, town A does not.
		other := registerCase(t, e.as(t, "office"), map[string]any{
			"kind": "opinion", "channel": "visit", "title": "小港码头道路积水",
			"content": "雨后积水严重。", "category": "城乡建设", "region_code": "330206003",
			"submitter": map[string]any{"name": "陈五"},
		})

		// The town A office: its own two cases, newest first.
		r := e.as(t, "officea").do("GET", "/api/v1/exports/cases", nil)
		_, rows := openBook(t, r, "意见")
		if got, want := rows[1], sheets.CaseHeaders; !slices.Equal(got, want) {
			t.Errorf("headers = %q; want %q", got, want)
		}
		for _, h := range []string{"编号", "受理日期", "渠道", "联络站", "地区", "类别", "标题", "内容", "状态", "主办单位", "办理期限", "答复结果", "代表测评", "群众测评", "查询码"} {
			if !slices.Contains(rows[1], h) {
				t.Errorf("no column %s", h)
			}
		}
		data := rows[2:]
		if len(data) != 2 || data[0][0] != itoa(secret) || data[1][0] != itoa(lamp) {
			t.Fatalf("town A's export = %q; want cases %d and %d", data, secret, lamp)
		}
		col := func(row []string, name string) string {
			j := slices.Index(sheets.CaseHeaders, name)
			if j >= len(row) {
				return ""
			}
			return row[j]
		}
		got := data[1]
		if col(got, "受理日期") != "2026-03-02" || col(got, "渠道") != "来访" || col(got, "联络站") != e.w.StationA.Name ||
			col(got, "类别") != "城乡建设" || len(col(got, "查询码")) != 10 {
			t.Errorf("row = %q", got)
		}
		if col(got, "主办单位") != unitA.Name || col(got, "代表测评") != "基本满意" || col(got, "群众测评") != "" ||
			col(got, "答复结果") != "A类（已解决或基本解决）：已联系张**（139****0000）更换灯具。" || col(got, "办理期限") == "" {
			t.Errorf("the handled case = %q", got)
		}
		if col(data[0], "状态") != "待梳理" || col(data[0], "主办单位") != "" || col(data[0], "答复结果") != "" {
			t.Errorf("the registered case = %q", data[0])
		}
		if col(got, "反映人") != "张**" || col(data[0], "反映人") != "（为反映人保密）" {
			t.Errorf("submitters = %q, %q; want 张** and withheld", col(got, "反映人"), col(data[0], "反映人"))
		}
		content := col(got, "内容")
		if !strings.Contains(content, "139****0000") || strings.Contains(content, "张三丰") || strings.Contains(content, "庐山西路88号") {
			t.Errorf("content = %q; want the phone, name and address masked", content)
		}
		// No personal data anywhere in the file, in any cell.
		for _, row := range rows {
			for _, cell := range row {
				for _, pii := range []string{phone, "13800002222", "330206198001011230", "张三丰", "李四", "庐山西路88号"} {
					if strings.Contains(cell, pii) {
						t.Errorf("the export holds %q in cell %q", pii, cell)
					}
				}
			}
		}
		// The district office sees the other town's case too; a filter narrows.
		_, rows = openBook(t, e.as(t, "office").do("GET", "/api/v1/exports/cases", nil), "意见")
		if len(rows) != 5 || rows[2][0] != itoa(other) {
			t.Errorf("district export = %q; want 3 cases, %d first", rows, other)
		}
		_, rows = openBook(t, e.as(t, "office").do("GET", "/api/v1/exports/cases?region=330206003&from=2026-03-01&to=2026-03-02", nil), "意见")
		if len(rows) != 3 || rows[2][0] != itoa(other) {
			t.Errorf("region 330206003 = %q; want only case %d", rows, other)
		}
		// The station's liaison exports the station's cases.
		_, rows = openBook(t, liaison.do("GET", "/api/v1/exports/cases?status=registered", nil), "意见")
		if len(rows) != 3 || rows[2][0] != itoa(secret) {
			t.Errorf("liaison's export of registered cases = %q; want case %d", rows, secret)
		}

		for _, tt := range []struct {
			user, query string
			status      int
			field, says string // the field and what the Chinese message names it
		}{
			{"office", "status=bogus", 400, "status", "状态“bogus”不存在"},
			{"office", "from=2026-13-01", 400, "from", "参数 from 须为日期"},
			{"office", "station_id=abc", 400, "station_id", "参数 station_id 须为非负整数"},
			{"office", "region=abc", 400, "region", "行政区划代码格式不正确"},
			{"office", "overdue=maybe", 400, "overdue", "参数 overdue 须为 true 或 false"},
			{"deputya", "", 403, "", "没有执行此操作的权限"},
			{"unit", "", 403, "", "没有执行此操作的权限"},
		} {
			r := e.as(t, tt.user).do("GET", "/api/v1/exports/cases?"+tt.query, nil)
			if r.Status != tt.status || r.errField() != tt.field {
				t.Errorf("%s ?%s: %d %.200q, want %d field %q", tt.user, tt.query, r.Status, r.Raw, tt.status, tt.field)
				continue
			}
			if msg, _ := r.Body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, tt.says) {
				t.Errorf("%s ?%s: message %q; want it to say %q", tt.user, tt.query, msg, tt.says)
			}
		}

		// Every export is in the audit trail, with who, the filter and the
		// count; a refused one is not.
		evs, _, err := db.FindEvents(e.w.As(t, "auditor"), lianluo.EventFilter{Entity: "case", Action: "export"})
		if err != nil {
			t.Fatal(err)
		}
		var summaries []string
		for _, ev := range evs {
			summaries = append(summaries, ev.ActorName+"："+ev.Summary)
		}
		want := []string{
			"大碶联络员（liaisona）：导出意见1件（状态：待梳理）",
			"区代表工委（office）：导出意见1件（地区：330206003；登记日期：2026-03-01至2026-03-02）",
			"区代表工委（office）：导出意见3件（全部）",
			"大碶人大办（officea）：导出意见2件（全部）",
		}
		if !slices.Equal(summaries, want) {
			t.Errorf("audit = %q;\nwant %q", summaries, want)
		}
	})
}
