package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// ledgerWorld is a year of town A's records for the books: a deputy group
// (王建国 its leader, 李秀英 a member) at station A, a third deputy outside
// it, and the group's meetings, a station activity, the receptions, cases,
// a home visit and a diary entry of 2026, with one meeting and one case of
// 2025 that no 2026 book may show.
type ledgerWorld struct {
	e       *env
	group   *lianluo.DeputyGroup
	outside *lianluo.Deputy
	meeting int64 // the group meeting of 2026-03-10
	inspect int64 // the station's inspection of 2026-05-06
	recept  int64 // the first reception of 2026
	lamp    int64 // the case registered at it, replied and rated
	visit   int64 // the confidential home-visit case
	diary   int64
}

func mustLedgerWorld(t *testing.T, db *sqlstore.DB) *ledgerWorld {
	t.Helper()
	e := setup(t, db)
	lw := &ledgerWorld{e: e}
	ctx := storetest.SystemContext()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	lw.group = &lianluo.DeputyGroup{Name: "大碶第一代表小组", OrgID: e.w.TownA.ID, RegionCode: "330206004",
		StationID: &e.w.StationA.ID, LeaderID: &e.w.DeputyA1.ID}
	must(db.CreateGroup(ctx, lw.group))
	for _, d := range []*lianluo.Deputy{e.w.DeputyA1, e.w.DeputyA2} {
		cur, err := db.FindDeputyByID(ctx, d.ID)
		must(err)
		_, err = db.UpdateDeputy(ctx, d.ID, lianluo.DeputyUpdate{GroupID: &lw.group.ID, Version: cur.Version})
		must(err)
	}
	lw.outside = &lianluo.Deputy{Name: "赵志刚", Gender: "male", RegionCode: "330206004",
		Seats: []lianluo.Seat{{Level: "county", Term: 18, Constituency: "第4选区"}}}
	must(db.CreateDeputy(ctx, lw.outside))
	storetest.MustCreateUser(t, db, ctx, &lianluo.User{Username: "deputyz", DisplayName: "赵志刚", Password: storetest.Password,
		Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &lw.outside.ID}}})
	storetest.MustCreateUser(t, db, ctx, &lianluo.User{Username: "deputyl", DisplayName: "李秀英", Password: storetest.Password,
		Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &e.w.DeputyA2.ID}}})
	unitA := caseStaff(t, e)

	ok := func(r response, what string) response {
		t.Helper()
		if r.Status/100 != 2 {
			t.Fatalf("%s: %d %s", what, r.Status, r.Raw)
		}
		return r
	}
	// activity creates and publishes an activity; it returns its id.
	activity := func(office *client, body map[string]any) int64 {
		t.Helper()
		id := ok(office.do("POST", "/api/v1/activities", body), "create activity").num("id")
		ok(office.do("POST", "/api/v1/activities/"+itoa(id)+"/publish", map[string]any{"version": 1}), "publish activity")
		return id
	}
	record := func(c *client, path string, body map[string]any) {
		t.Helper()
		body["version"] = ok(c.do("GET", path, nil), "get").num("version")
		ok(c.do("POST", path+"/record", body), "record")
	}
	group := lw.group.ID
	deputies := []int64{e.w.DeputyA1.ID, e.w.DeputyA2.ID, lw.outside.ID}

	// 2025: a meeting and a case the 2026 books leave out.
	setClock(db, "2025-11-01 09:00")
	office := e.as(t, "officea")
	old := activity(office, map[string]any{"kind": "group_meeting", "title": "年终座谈", "group_id": group, "station_id": e.w.StationA.ID,
		"starts_at": "2025-12-10T09:00:00+08:00", "ends_at": "2025-12-10T11:00:00+08:00", "deputy_ids": deputies[:2]})
	registerCase(t, e.as(t, "liaisona"), map[string]any{"channel": "visit", "station_id": e.w.StationA.ID, "title": "去年的意见",
		"content": "去年登记的。", "region_code": "330206004", "submitter": map[string]any{"name": "钱七"}, "received_by": deputies[:1]})
	setClock(db, "2025-12-10 10:00")
	record(e.as(t, "officea"), "/api/v1/activities/"+itoa(old), map[string]any{"minutes": "去年的会议。"})

	// The rota of 2026: two sessions at station A (March and September).
	setClock(db, "2026-01-05 09:00")
	office = e.as(t, "officea")
	stationA := "/api/v1/stations/" + itoa(e.w.StationA.ID)
	ok(office.do("POST", stationA+"/reception-rules", map[string]any{"rrule": "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18", "start": "09:00", "end": "11:00"}), "rule")
	rota := ok(office.do("POST", stationA+"/rota", map[string]any{"year": 2026}), "rota")
	sessions := rota.Body["sessions"].([]any)
	if len(sessions) != 2 {
		t.Fatalf("rota: %s", rota.Raw)
	}
	lw.recept = int64(sessions[0].(map[string]any)["id"].(float64))
	ok(office.do("POST", stationA+"/rota/publish", map[string]any{"year": 2026}), "publish rota")

	// The group's meeting and the station's inspection.
	lw.meeting = activity(office, map[string]any{"kind": "group_meeting", "title": "研究老旧小区改造", "content": "听取街道情况通报，确定调研分工",
		"group_id": group, "station_id": e.w.StationA.ID, "place": "代表之家会议室",
		"starts_at": "2026-03-10T09:00:00+08:00", "ends_at": "2026-03-10T11:00:00+08:00", "deputy_ids": deputies})
	lw.inspect = activity(office, map[string]any{"kind": "inspection", "title": "视察垃圾分类", "content": "察看三个小区",
		"station_id": e.w.StationA.ID, "place": "大碶街道各小区",
		"starts_at": "2026-05-06T09:00:00+08:00", "ends_at": "2026-05-06T11:30:00+08:00", "deputy_ids": deputies[:2]})
	meeting, inspect := "/api/v1/activities/"+itoa(lw.meeting), "/api/v1/activities/"+itoa(lw.inspect)
	ok(e.as(t, "deputya").do("POST", meeting+"/leave", map[string]any{"reason": "出差"}), "leave")
	ok(office.do("POST", meeting+"/leave/"+itoa(e.w.DeputyA1.ID), map[string]any{"approve": true}), "approve leave")

	setClock(db, "2026-03-10 10:00")
	liaison := e.as(t, "liaisona")
	office = e.as(t, "officea")
	ok(office.do("POST", meeting+"/attendance", map[string]any{"deputy_id": e.w.DeputyA2.ID, "attendance": "present"}), "present")
	ok(office.do("POST", meeting+"/attendance", map[string]any{"deputy_id": lw.outside.ID, "attendance": "absent"}), "absent")
	record(office, meeting, map[string]any{"minutes": "议定：4月前完成三个小区的调研。", "outcomes": "建议加快加装电梯审批"})

	// The March reception: both deputies present, a case registered there.
	setClock(db, "2026-03-18 10:00")
	liaison = e.as(t, "liaisona")
	recept := "/api/v1/receptions/" + itoa(lw.recept)
	got := ok(liaison.do("GET", recept, nil), "reception")
	for _, d := range got.Body["deputies"].([]any) {
		id := int64(d.(map[string]any)["deputy_id"].(float64))
		ok(liaison.do("POST", recept+"/attendance", map[string]any{"deputy_id": id, "attendance": "present"}), "reception attendance")
	}
	record(liaison, recept, map[string]any{"visitors": 3, "minutes": "接待群众3人。"})
	const phone = "13912340000"
	lw.lamp = registerCase(t, liaison, map[string]any{"channel": "visit", "station_id": e.w.StationA.ID, "reception_id": lw.recept,
		"title": "小区路灯不亮", "content": "庐山西路88号门前路灯坏了一个月，电话" + phone + "。", "region_code": "330206004",
		"submitter": map[string]any{"name": "张三丰", "phone": phone, "id_number": "330206198001011230"}, "received_by": deputies[:1]})
	act(t, liaison, lw.lamp, "triage", map[string]any{"outcome": "forward"})
	act(t, e.as(t, "leadera"), lw.lamp, "approve", map[string]any{"lead_unit_id": unitA.ID})
	act(t, e.as(t, "unita"), lw.lamp, "sign", map[string]any{})
	act(t, e.as(t, "unita"), lw.lamp, "reply", map[string]any{"result": "A", "content": "已更换灯具。"})
	act(t, e.as(t, "officea"), lw.lamp, "feedback", map[string]any{"content": "路灯已修好。"})
	act(t, e.as(t, "deputya"), lw.lamp, "evaluate", map[string]any{"by": "deputy", "rating": "satisfied"})

	// A diary entry of 王建国's, and a confidential home visit by 李秀英.
	setClock(db, "2026-04-02 16:00")
	lw.diary = ok(e.as(t, "deputya").do("POST", "/api/v1/diary", map[string]any{"visited_at": "2026-04-02T15:00", "place": "庐山西路社区",
		"voter_name": "王五", "voter_phone": "13800005555", "content": "垃圾清运不及时。", "handling": "向街道反映"}), "diary").num("id")
	lw.visit = registerCase(t, e.as(t, "liaisona"), map[string]any{"channel": "home_visit", "station_id": e.w.StationA.ID,
		"title": "邻里噪音", "content": "楼上夜间施工。", "region_code": "330206004", "location": "长江路5号", "confidential": true,
		"submitter": map[string]any{"name": "孙八", "phone": "13700007777"}, "received_by": deputies[1:2]})

	setClock(db, "2026-05-06 10:00")
	office = e.as(t, "officea")
	// Published for late December, after the books are read (2026-12-20):
	// not yet held, so in no book.
	activity(office, map[string]any{"kind": "research", "title": "年底调研", "station_id": e.w.StationA.ID,
		"starts_at": "2026-12-28T09:00:00+08:00", "ends_at": "2026-12-28T11:00:00+08:00", "deputy_ids": deputies[:1]})
	ok(office.do("POST", inspect+"/attendance", map[string]any{"deputy_id": e.w.DeputyA1.ID, "attendance": "present"}), "present")
	ok(office.do("POST", inspect+"/attendance", map[string]any{"deputy_id": e.w.DeputyA2.ID, "attendance": "absent"}), "absent")
	record(office, inspect, map[string]any{"minutes": "察看了三个小区的分类设施。", "outcomes": "建议增加分类督导员"})
	// The year's end: the September session has passed, unrecorded.
	setClock(db, "2026-12-20 09:00")
	return lw
}

// ledgerRows reads a book and returns its rows (each a map of the column keys).
func ledgerRows(t *testing.T, c *client, path string) (response, []map[string]string) {
	t.Helper()
	r := c.do("GET", path, nil)
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Raw)
	}
	var rows []map[string]string
	for _, x := range r.Body["rows"].([]any) {
		row := map[string]string{}
		for k, v := range x.(map[string]any) {
			row[k] = fmt.Sprint(v)
		}
		rows = append(rows, row)
	}
	return r, rows
}

// wantRow compares a row's values for the keys given.
func wantRow(t *testing.T, what string, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %q; want %q", what, k, got[k], v)
		}
	}
}

func TestLedgersAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		lw := mustLedgerWorld(t, db)
		e := lw.e
		office := e.as(t, "officea")
		station := "station_id=" + itoa(e.w.StationA.ID) + "&year=2026"
		group := "group_id=" + itoa(lw.group.ID) + "&year=2026"
		handbook := "deputy_id=" + itoa(e.w.DeputyA1.ID) + "&year=2026" // the handbook is a deputy's

		// 代表小组会议登记簿: the 2026 meeting only, attendance by name.
		for _, scope := range []string{station, group} {
			r, rows := ledgerRows(t, office, "/api/v1/ledgers/group_meetings?"+scope)
			if r.Body["title"] != "代表小组会议登记簿" || r.num("year") != 2026 {
				t.Errorf("meetings %s: %s", scope, r.Raw)
			}
			var keys []string
			for _, c := range r.Body["columns"].([]any) {
				keys = append(keys, c.(map[string]any)["key"].(string))
			}
			if want := []string{"number", "date", "place", "convenor", "topics", "present", "leave", "absent", "decisions"}; !slices.Equal(keys, want) {
				t.Errorf("meeting columns = %q; want %q", keys, want)
			}
			if len(rows) != 1 {
				t.Fatalf("meetings %s: %d rows; want 1 (not last year's): %s", scope, len(rows), r.Raw)
			}
			wantRow(t, "meeting", rows[0], map[string]string{"number": "1", "date": "2026-03-10", "place": "代表之家会议室", "convenor": "王建国",
				"topics": "研究老旧小区改造：听取街道情况通报，确定调研分工", "present": "李秀英", "leave": "王建国", "absent": "赵志刚",
				"decisions": "议定：4月前完成三个小区的调研。\n提出的意见建议：建议加快加装电梯审批", "link": "/console/activities/" + itoa(lw.meeting)})
		}
		scope := r0(ledgerRows(t, office, "/api/v1/ledgers/group_meetings?"+group))
		if s := scope.Body["scope"].(map[string]any); s["kind"] != "group" || s["name"] != "大碶第一代表小组" {
			t.Errorf("scope = %v", s)
		}

		// 代表小组活动登记簿: the station's inspection; the group held none.
		_, rows := ledgerRows(t, office, "/api/v1/ledgers/group_activities?"+station)
		if len(rows) != 1 {
			t.Fatalf("activities: %v", rows)
		}
		wantRow(t, "activity", rows[0], map[string]string{"date": "2026-05-06", "kind": "视察", "title": "视察垃圾分类：察看三个小区",
			"place": "大碶街道各小区", "organiser": "大碶街道人大代表中心联络站", "participants": "王建国",
			"outcomes": "察看了三个小区的分类设施。\n提出的意见建议：建议增加分类督导员", "link": "/console/activities/" + itoa(lw.inspect)})
		if _, rows := ledgerRows(t, office, "/api/v1/ledgers/group_activities?"+group); len(rows) != 0 {
			t.Errorf("the group's activities: %v", rows)
		}

		// 人大代表接待选民登记簿: both sessions held by now, the first with its case.
		_, rows = ledgerRows(t, office, "/api/v1/ledgers/receptions?"+station)
		if len(rows) != 2 {
			t.Fatalf("receptions: %v", rows)
		}
		wantRow(t, "reception", rows[0], map[string]string{"date": "2026-03-18 09:00–11:00", "deputies": "王建国、李秀英", "visitors": "3",
			"opinions": "1．小区路灯不亮（反映人：张**（尾号0000））", "link": "/console/receptions/" + itoa(lw.recept)})
		if !strings.HasPrefix(rows[0]["handling"], "1．【") || !strings.Contains(rows[0]["handling"], "已办结") && !strings.Contains(rows[0]["handling"], "待测评") {
			t.Errorf("reception handling = %q", rows[0]["handling"])
		}
		wantRow(t, "unrecorded reception", rows[1], map[string]string{"visitors": "", "opinions": "", "deputies": ""})
		if !strings.HasPrefix(rows[1]["date"], "2026-09-") {
			t.Errorf("second reception date = %q", rows[1]["date"])
		}

		// 人大代表建议批评意见登记簿: the two cases of 2026, not last year's.
		for _, scope := range []string{station, group} {
			_, rows = ledgerRows(t, office, "/api/v1/ledgers/opinions?"+scope)
			if len(rows) != 2 {
				t.Fatalf("opinions %s: %v", scope, rows)
			}
			wantRow(t, "the lamp", rows[0], map[string]string{"date": "2026-03-18", "deputies": "王建国", "submitter": "张**（尾号0000）",
				"content": "小区路灯不亮：庐山西路88号门前路灯坏了一个月，电话139****0000。", "lead_unit": "大碶街道办事处",
				"reply": "已更换灯具。", "ratings": "代表满意", "link": "/console/cases/" + itoa(lw.lamp)})
			if !strings.Contains(rows[0]["result"], "A类（已解决或基本解决）") {
				t.Errorf("the lamp's result = %q", rows[0]["result"])
			}
			wantRow(t, "the visit", rows[1], map[string]string{"date": "2026-04-02", "deputies": "李秀英", "submitter": "（为反映人保密）",
				"lead_unit": "", "reply": "", "ratings": ""})
		}

		// 走访群众登记簿: the diary entry, then the home visit, in date order.
		_, rows = ledgerRows(t, office, "/api/v1/ledgers/visits?"+group)
		if len(rows) != 2 {
			t.Fatalf("visits: %v", rows)
		}
		wantRow(t, "diary", rows[0], map[string]string{"date": "2026-04-02", "deputy": "王建国", "voter": "王*（尾号5555）", "place": "庐山西路社区",
			"raised": "垃圾清运不及时。", "handling": "向街道反映", "source": "民情日记（选民未确认）", "link": "/console/diary/" + itoa(lw.diary)})
		wantRow(t, "home visit", rows[1], map[string]string{"date": "2026-04-02", "deputy": "李秀英", "voter": "（为反映人保密）", "place": "长江路5号",
			"raised": "邻里噪音：楼上夜间施工。", "source": "走访登记", "link": "/console/cases/" + itoa(lw.visit)})

		// No phone or ID number in any book, whoever reads it.
		for _, b := range lianluo.LedgerBooks {
			for _, who := range []string{"officea", "heada", "deputya"} {
				q := station
				if who == "deputya" {
					q = group
				}
				if b.Book == lianluo.LedgerHandbook {
					q = handbook
				}
				r := e.as(t, who).do("GET", "/api/v1/ledgers/"+string(b.Book)+"?"+q, nil)
				if r.Status != 200 {
					t.Errorf("%s reads %s: %d %s", who, b.Book, r.Status, r.Raw)
				}
				for _, secret := range []string{"13912340000", "13800005555", "13700007777", "330206198001011230", "张三丰", "孙八"} {
					if strings.Contains(string(r.Raw), secret) {
						t.Errorf("%s's %s shows %s: %s", who, b.Book, secret, r.Raw)
					}
				}
			}
		}

		// Who reads which scope.
		for _, tc := range []struct {
			who, query string
			status     int
		}{
			{"office", station, 200}, // the district over town A
			{"leader", group, 200},   // a district leader
			{"liaisona", group, 200}, // the group meets at the station
			{"deputyl", group, 200},  // a member
			{"deputya", group, 200},  // the leader
			{"officea", "station_id=" + itoa(e.w.StationB.ID) + "&year=2026", 404}, // another town's station
			{"deputyz", group, 404},   // a deputy not in the group
			{"deputya", station, 404}, // a deputy does not read the station's books
			{"unit", station, 404},    // a unit
			{"admin", station, 404},   // 三员分立: the administrator reads no voters' matters
			{"officea", "group_id=99999&year=2026", 404},
		} {
			if r := e.as(t, tc.who).do("GET", "/api/v1/ledgers/opinions?"+tc.query, nil); r.Status != tc.status {
				t.Errorf("%s reads ?%s: %d %s; want %d", tc.who, tc.query, r.Status, r.Raw, tc.status)
			}
		}

		// Bad requests: a Chinese message at the field.
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/ledgers/diaries?" + station, "book"},
			{"/api/v1/ledgers/opinions?" + "station_id=" + itoa(e.w.StationA.ID) + "&year=abc", "year"},
			{"/api/v1/ledgers/opinions?" + "station_id=" + itoa(e.w.StationA.ID) + "&year=1900", "year"},
			{"/api/v1/ledgers/opinions?" + "station_id=" + itoa(e.w.StationA.ID), "year"},
			{"/api/v1/ledgers/opinions?year=2026", "station_id"},
			{"/api/v1/ledgers/opinions?station_id=x&year=2026", "station_id"},
			{"/api/v1/ledgers/opinions?" + station + "&group_id=" + itoa(lw.group.ID), "group_id"},
		} {
			r := office.do("GET", tc.path, nil)
			msg, _ := r.Body["error"].(map[string]any)["message"].(string)
			if r.Status != 400 || r.errField() != tc.field || !containsHan(msg) {
				t.Errorf("GET %s: %d %s; want 400 at %s in Chinese", tc.path, r.Status, r.Raw, tc.field)
			}
		}

		// The workbook: the title, the headings, the rows, masked.
		r := office.do("GET", "/api/v1/ledgers/opinions.xlsx?"+station, nil)
		f, xrows := openBook(t, r, "人大代表建议批评意见登记簿")
		if len(xrows) != 4 || xrows[0][0] != "大碶街道人大代表中心联络站2026年人大代表建议批评意见登记簿" {
			t.Fatalf("workbook rows = %q", xrows)
		}
		if want := []string{"序号", "日期", "编号", "接收代表", "反映人", "意见建议内容", "主办单位", "答复情况", "办理结果", "满意度"}; !slices.Equal(xrows[1], want) {
			t.Errorf("headings = %q; want %q", xrows[1], want)
		}
		if xrows[2][4] != "张**（尾号0000）" || xrows[2][6] != "大碶街道办事处" {
			t.Errorf("first row = %q", xrows[2])
		}
		if w, err := f.GetColWidth("人大代表建议批评意见登记簿", "F"); err != nil || w < 40 {
			t.Errorf("content column width = %v, %v", w, err)
		}
		// Every book's workbook opens, headed by its columns, a row an entry.
		for _, b := range lianluo.LedgerBooks {
			q, owner := group, "大碶第一代表小组2026年"
			if b.Book == lianluo.LedgerHandbook {
				q, owner = handbook, e.w.DeputyA1.Name+"2026年"
			}
			_, rows := ledgerRows(t, office, "/api/v1/ledgers/"+string(b.Book)+"?"+q)
			_, xrows := openBook(t, office.do("GET", "/api/v1/ledgers/"+string(b.Book)+".xlsx?"+q, nil), b.Title)
			var names []string
			for _, c := range b.Columns {
				names = append(names, c.Name)
			}
			if len(xrows) != len(rows)+2 || !slices.Equal(xrows[1], names) || !strings.HasPrefix(xrows[0][0], owner) {
				t.Errorf("%s.xlsx: %d rows for %d entries; headings %q", b.Book, len(xrows)-2, len(rows), xrows[1])
			}
		}
		if r := office.do("GET", "/api/v1/ledgers/opinions.xlsx?year=2026", nil); r.Status != 400 || r.errField() != "station_id" {
			t.Errorf("workbook without a scope: %d %s", r.Status, r.Raw)
		}
	})
}

func r0(r response, _ []map[string]string) response { return r }

func containsHan(s string) bool {
	for _, c := range s {
		if c >= 0x4e00 && c <= 0x9fff {
			return true
		}
	}
	return false
}
