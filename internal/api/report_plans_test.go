package api_test

import (
	"fmt"
	"lianluo"
	"strings"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// 代表述职 over HTTP: a group's yearly plan warns below 20 %, above 30 %,
// in the term's first year and for a deputy planned again while others
// wait, and is saved with a reason; a 述职 with 40 voters is flagged; the
// ballot takes one vote per phone, refuses once closed, and its tally
// reaches the deputy's inbox, the performance record and the group's
// ledger; another region's group and a deputy who is no leader are refused.
func TestReportPlansAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		w := e.w
		setClock(db, "2026-01-10 09:00")
		office, officea, deputya := e.as(t, "office"), e.as(t, "officea"), e.as(t, "deputya")

		group := func(c *client, name, town string, org int64) int64 {
			t.Helper()
			r := c.do("POST", "/api/v1/groups", map[string]any{"name": name, "org_id": org, "region_code": town})
			if r.Status != 201 {
				t.Fatalf("create group %s: %d %s", name, r.Status, r.Raw)
			}
			return r.num("id")
		}
		ga := group(officea, "大碶第一代表小组", "330206004", w.TownA.ID)
		gb := group(office, "小港第一代表小组", "330206003", w.TownB.ID)
		// Ten deputies in group A: the two of the world and eight more.
		ids := []int64{w.DeputyA1.ID, w.DeputyA2.ID}
		for _, d := range ids {
			v := officea.do("GET", "/api/v1/deputies/"+itoa(d), nil).num("version")
			if r := officea.do("PATCH", "/api/v1/deputies/"+itoa(d), map[string]any{"group_id": ga, "version": v}); r.Status != 200 {
				t.Fatalf("join group: %d %s", r.Status, r.Raw)
			}
		}
		for i := 0; i < 8; i++ {
			r := officea.do("POST", "/api/v1/deputies", map[string]any{"name": fmt.Sprintf("代表%d", i+3), "gender": "female", "region_code": "330206004",
				"status": "in_office", "group_id": ga, "seats": []map[string]any{{"level": "township", "term": 8}}})
			if r.Status != 201 {
				t.Fatalf("create deputy: %d %s", r.Status, r.Raw)
			}
			ids = append(ids, r.num("id"))
		}

		plan := func(c *client, g int64, year int, deputies []int64, reason string) response {
			return c.do("POST", "/api/v1/report-plans", map[string]any{"group_id": g, "year": year, "deputy_ids": deputies, "reason": reason})
		}
		for _, tc := range []struct {
			name   string
			r      response
			status int
			field  string
			words  string
		}{
			{"a deputy who is no leader", plan(deputya, ga, 2025, ids[:2], ""), 403, "", ""},
			{"another region's group", plan(officea, gb, 2025, nil, "理由"), 400, "group_id", "不在您的管辖范围内"},
			{"below 20 %", plan(officea, ga, 2025, ids[:1], ""), 400, "reason", "少于每年20%至30%（2至3名）"},
			{"above 30 %", plan(officea, ga, 2025, ids[:4], ""), 400, "reason", "多于"},
			{"the term's first year", plan(officea, ga, 2022, ids[:2], ""), 400, "reason", "第一年"},
			{"not a member", plan(officea, ga, 2025, []int64{w.DeputyB.ID, ids[0]}, ""), 400, "deputy_ids", "不是大碶第一代表小组的在任代表"},
			{"twice", plan(officea, ga, 2025, []int64{ids[0], ids[0]}, ""), 400, "deputy_ids", "重复"},
			{"no year", plan(officea, ga, 0, ids[:2], ""), 400, "year", ""},
		} {
			msg, _ := tc.r.Body["error"].(map[string]any)["message"].(string)
			if tc.r.Status != tc.status || tc.r.errField() != tc.field || !strings.Contains(msg, tc.words) {
				t.Errorf("%s: %d %s; want %d %s %q", tc.name, tc.r.Status, tc.r.Raw, tc.status, tc.field, tc.words)
			}
		}
		// 20 % in 2025: saved without a word.
		r := plan(officea, ga, 2025, ids[:2], "")
		if r.Status != 201 || len(r.Body["warnings"].([]any)) != 0 {
			t.Fatalf("a plan of 20 %%: %d %s", r.Status, r.Raw)
		}
		plan2025 := "/api/v1/report-plans/" + itoa(r.num("id"))
		if r := plan(officea, ga, 2025, ids[2:4], ""); r.Status != 409 {
			t.Errorf("a second plan for 2025: %d %s", r.Status, r.Raw)
		}
		// 2026: A1 again while seven have not reported, and 40 %: a reason saves it.
		p2026 := []int64{ids[0], ids[2], ids[3], ids[4]}
		if r := plan(officea, ga, 2026, p2026, ""); r.Status != 400 || !strings.Contains(string(r.Raw), "王建国代表本届已于2025年安排过述职") {
			t.Errorf("planned again: %d %s", r.Status, r.Raw)
		}
		r = plan(officea, ga, 2026, p2026, "王建国代表去年述职后选民要求再次述职，其余三名代表为新任代表。")
		if r.Status != 201 || len(r.Body["warnings"].([]any)) != 2 || r.Body["reason"] == "" {
			t.Fatalf("with a reason: %d %s", r.Status, r.Raw)
		}
		planID := r.num("id")
		if r := e.as(t, "heada").do("GET", "/api/v1/report-plans?year=2026&group_id="+itoa(ga), nil); r.Status != 200 || len(r.items()) != 0 {
			t.Errorf("the station head (the group meets elsewhere) lists: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/report-plans?year=2026", nil); r.Status != 200 || len(r.items()) != 1 {
			t.Errorf("the district lists: %d %s", r.Status, r.Raw)
		}
		r = deputya.do("GET", "/api/v1/report-plans/"+itoa(planID), nil)
		if r.Status != 200 || r.Body["can_manage"] != false || len(r.Body["not_planned"].([]any)) != 6 {
			t.Errorf("the deputy reads the plan of their group: %d %s", r.Status, r.Raw)
		}

		// The 述职: an activity of kind report with A1 invited, linked with 40 voters.
		r = officea.do("POST", "/api/v1/activities", map[string]any{"kind": "report", "title": "王建国代表向选民述职", "station_id": w.StationA.ID,
			"starts_at": "2026-03-10T09:00:00+08:00", "ends_at": "2026-03-10T11:00:00+08:00", "deputy_ids": []int64{ids[0]}})
		if r.Status != 201 {
			t.Fatalf("create the 述职: %d %s", r.Status, r.Raw)
		}
		actID := r.num("id")
		if r := officea.do("POST", "/api/v1/activities/"+itoa(actID)+"/publish", map[string]any{"version": r.num("version")}); r.Status != 200 {
			t.Fatalf("publish: %d %s", r.Status, r.Raw)
		}
		forum := officea.do("POST", "/api/v1/activities", map[string]any{"kind": "forum", "title": "座谈", "station_id": w.StationA.ID,
			"starts_at": "2026-03-11T09:00:00+08:00", "ends_at": "2026-03-11T11:00:00+08:00", "deputy_ids": []int64{ids[0]}}).num("id")
		link := "/api/v1/report-plans/" + itoa(planID) + "/deputies/"
		for _, tc := range []struct {
			c      *client
			path   string
			body   map[string]any
			status int
			field  string
		}{
			{deputya, link + itoa(ids[0]), map[string]any{"activity_id": actID, "voters_present": 40, "version": 1}, 403, ""},
			{officea, link + itoa(ids[0]), map[string]any{"activity_id": actID, "voters_present": 40}, 400, "version"},
			{officea, link + itoa(ids[1]), map[string]any{"activity_id": actID, "voters_present": 40, "version": 1}, 404, ""},
			{officea, link + itoa(ids[0]), map[string]any{"activity_id": forum, "voters_present": 40, "version": 1}, 400, "activity_id"},
			{officea, link + itoa(ids[2]), map[string]any{"activity_id": actID, "voters_present": 40, "version": 1}, 400, "activity_id"},
			{officea, link + itoa(ids[0]), map[string]any{"activity_id": actID, "voters_present": -1, "version": 1}, 400, "voters_present"},
			{officea, link + itoa(ids[0]), map[string]any{"activity_id": actID, "voters_present": 40, "version": 1}, 200, ""},
			{officea, link + itoa(ids[0]), map[string]any{"activity_id": actID, "voters_present": 45, "version": 1}, 409, ""},
		} {
			r := tc.c.do("PUT", tc.path, tc.body)
			if r.Status != tc.status || r.errField() != tc.field {
				t.Errorf("PUT %s %v: %d %s; want %d %s", tc.path, tc.body, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		r = officea.do("GET", "/api/v1/report-plans/"+itoa(planID), nil)
		entry := r.Body["deputies"].([]any)[0].(map[string]any)
		ballot, _ := entry["ballot"].(map[string]any)
		if entry["few_voters"] != true || ballot == nil || ballot["token"] == "" || ballot["status"] != "open" {
			t.Fatalf("the linked 述职: %s", r.Raw)
		}
		token, ballotID := ballot["token"].(string), int64(ballot["id"].(float64))

		// Changing the plan: the same checks; the deputy whose 述职 is linked stays.
		edit := "/api/v1/report-plans/" + itoa(planID)
		e.addUser(t, "officeb", lianluo.Grant{Role: "npc_office", OrgID: &w.TownB.ID})
		for _, tc := range []struct {
			name   string
			c      *client
			body   map[string]any
			status int
			field  string
		}{
			{"a deputy", deputya, map[string]any{"deputy_ids": p2026[:3], "reason": "理由", "version": 1}, 403, ""},
			{"another town's office", e.as(t, "officeb"), map[string]any{"deputy_ids": p2026[:3], "reason": "理由", "version": 1}, 404, ""},
			{"no version", officea, map[string]any{"deputy_ids": p2026[:3], "reason": "理由"}, 400, "version"},
			{"the linked deputy out", officea, map[string]any{"deputy_ids": p2026[1:], "reason": "理由", "version": 1}, 400, "deputy_ids"},
			{"A1 again, no reason", officea, map[string]any{"deputy_ids": p2026[:3], "version": 1}, 400, "reason"},
		} {
			r := tc.c.do("PUT", edit, tc.body)
			if r.Status != tc.status || r.errField() != tc.field {
				t.Errorf("%s: PUT %s: %d %s; want %d %s", tc.name, edit, r.Status, r.Raw, tc.status, tc.field)
			}
		}
		r = officea.do("PUT", edit, map[string]any{"deputy_ids": p2026[:3], "reason": "代表4因病不能述职。", "version": 1})
		if r.Status != 200 || r.num("version") != 2 || len(r.Body["deputies"].([]any)) != 3 || len(r.Body["warnings"].([]any)) != 1 {
			t.Fatalf("the plan changed: %d %s", r.Status, r.Raw)
		}
		if got := r.Body["deputies"].([]any)[0].(map[string]any); got["ballot"] == nil {
			t.Errorf("the linked 述职 lost its ballot: %v", got)
		}
		if r := officea.do("PUT", edit, map[string]any{"deputy_ids": p2026[:3], "reason": "理由", "version": 1}); r.Status != 409 {
			t.Errorf("a stale version: %d %s", r.Status, r.Raw)
		}

		// A plan is withdrawn only while none of its 述职 is linked.
		for _, tc := range []struct {
			name   string
			c      *client
			path   string
			status int
		}{
			{"the linked plan", officea, edit + "?version=2", 409},
			{"no version", officea, plan2025, 400},
			{"a stale version", officea, plan2025 + "?version=3", 409},
			{"a deputy", deputya, plan2025 + "?version=1", 403},
			{"another town's office", e.as(t, "officeb"), plan2025 + "?version=1", 404},
			{"the 2025 plan", officea, plan2025 + "?version=1", 204},
			{"again", officea, plan2025 + "?version=1", 404},
		} {
			if r := tc.c.do("DELETE", tc.path, nil); r.Status != tc.status {
				t.Errorf("%s: DELETE %s: %d %s; want %d", tc.name, tc.path, r.Status, r.Raw, tc.status)
			}
		}
		if r := officea.do("GET", plan2025, nil); r.Status != 404 {
			t.Errorf("the withdrawn plan: %d", r.Status)
		}

		// Voters vote; one phone counts once.
		setClock(db, "2026-03-10 10:30")
		office, officea, deputya = e.as(t, "office"), e.as(t, "officea"), e.as(t, "deputya") // the January sessions have expired
		vote := func(phone, choice, comment string) response {
			return e.anon.do("POST", "/api/v1/public/ballots/"+token, map[string]any{
				"choices": map[string]any{"d" + itoa(ids[0]): choice}, "phone": phone, "comment": comment})
		}
		if r := e.anon.do("GET", "/api/v1/public/ballots/"+token, nil); r.Status != 200 || r.Body["open"] != true || r.Body["title"] != "王建国代表向选民述职" {
			t.Errorf("public ballot: %d %s", r.Status, r.Raw)
		}
		if r := vote("13911112222", "satisfied", "多为社区办实事，联系我13911112222"); r.Status != 201 {
			t.Fatalf("vote: %d %s", r.Status, r.Raw)
		}
		if r := vote("13911113333", "dissatisfied", ""); r.Status != 201 {
			t.Fatalf("vote: %d %s", r.Status, r.Raw)
		}
		if r := vote("13911112222", "basic", ""); r.Status != 409 || !strings.Contains(string(r.Raw), "已经投过票") {
			t.Errorf("the same phone again: %d %s", r.Status, r.Raw)
		}
		if r := vote("", "basic", ""); r.Status != 400 || r.errField() != "phone" {
			t.Errorf("no phone: %d %s", r.Status, r.Raw)
		}
		r = officea.do("GET", "/api/v1/ballots/"+itoa(ballotID), nil)
		if r.Status != 200 || r.num("version") != 1 || !strings.Contains(string(r.Raw), `"online":{"satisfied":1,"basic":0,"dissatisfied":1}`) ||
			strings.Contains(string(r.Raw), "13911112222") {
			t.Fatalf("tally: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/ballots/999999", nil); r.Status != 404 {
			t.Errorf("a ballot that does not exist: %d", r.Status)
		}
		if r := deputya.do("POST", "/api/v1/ballots/"+itoa(ballotID)+"/close", map[string]any{"version": 1}); r.Status != 403 && r.Status != 404 {
			t.Errorf("the deputy closes their own evaluation: %d %s", r.Status, r.Raw)
		}
		if r := officea.do("PUT", "/api/v1/ballots/"+itoa(ballotID)+"/paper", map[string]any{"version": 1,
			"items": []map[string]any{{"key": "d" + itoa(ids[0]), "satisfied": 30, "basic": 6, "dissatisfied": 1}}}); r.Status != 200 {
			t.Fatalf("paper: %d %s", r.Status, r.Raw)
		}
		// Attendance, then closing after the meeting.
		if r := officea.do("POST", "/api/v1/activities/"+itoa(actID)+"/attendance", map[string]any{"deputy_id": ids[0], "attendance": "present"}); r.Status != 200 {
			t.Fatalf("attendance: %d %s", r.Status, r.Raw)
		}
		setClock(db, "2026-03-10 15:00")
		officea, deputya = e.as(t, "officea"), e.as(t, "deputya")
		r = officea.do("POST", "/api/v1/ballots/"+itoa(ballotID)+"/close", map[string]any{"version": 1})
		if r.Status != 200 || r.Body["status"] != "closed" {
			t.Fatalf("close: %d %s", r.Status, r.Raw)
		}
		if r := vote("13911114444", "satisfied", ""); r.Status != 409 || r.errCode() != "invalid_state" {
			t.Errorf("a vote after closing: %d %s", r.Status, r.Raw)
		}
		want := "满意31票、基本满意6票、不满意2票"
		inbox := deputya.do("GET", "/api/v1/inbox", nil)
		if !strings.Contains(string(inbox.Raw), "述职民主测评结果") || !strings.Contains(string(inbox.Raw), want) ||
			!strings.Contains(string(inbox.Raw), "139****2222") || strings.Contains(string(inbox.Raw), "13911112222") {
			t.Errorf("the deputy's notice: %s", inbox.Raw)
		}
		if !strings.Contains(string(inbox.Raw), `"about":{"kind":"activity","id":`+itoa(actID)+`}`) {
			t.Errorf("the deputy's notice does not lead to the 述职: %s", inbox.Raw)
		}
		if r := deputya.do("GET", "/api/v1/deputies/"+itoa(ids[0])+"/record?year=2026", nil); !strings.Contains(string(r.Raw), want) {
			t.Errorf("the performance record: %d %s", r.Status, r.Raw)
		}
		if r := officea.do("GET", "/api/v1/ledgers/group_activities?group_id="+itoa(ga)+"&year=2026", nil); !strings.Contains(string(r.Raw), want) {
			t.Errorf("the group's ledger: %d %s", r.Status, r.Raw)
		}
	})
}
