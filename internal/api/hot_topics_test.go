package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestHotTopicsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		// A third station, in town A.
		stationA2 := &lianluo.Station{Kind: lianluo.StationCenter, Name: "大碶街道灵岩社区联络站", RegionCode: "330206004", OrgID: e.w.TownA.ID,
			DeputyIDs: []int64{e.w.DeputyA2.ID}}
		if err := db.CreateStation(storetest.SystemContext(), stationA2); err != nil {
			t.Fatal(err)
		}
		admin := e.as(t, "admin")
		register := func(station *lianluo.Station, title, content string) int64 {
			t.Helper()
			r := admin.do("POST", "/api/v1/cases", map[string]any{
				"kind": "opinion", "channel": "visit", "station_id": station.ID, "title": title, "content": content,
				"category": "城乡建设", "region_code": station.RegionCode,
				"submitter": map[string]any{"name": "张三", "phone": "13912340000"},
			})
			if r.Status != 201 {
				t.Fatalf("register %s: %d %s", title, r.Status, r.Raw)
			}
			return int64(r.Body["id"].(float64))
		}
		a, a2, b := e.w.StationA, stationA2, e.w.StationB
		lamps := []int64{
			register(a, "小区路灯不亮", "灵岩社区庐山西路12号楼前两盏路灯坏了一个多月，晚上老人出行不便，请尽快修复。"),
			register(a2, "路灯坏了没人修", "我们村口那几盏路灯坏了好久了，晚上黑漆漆的，骑电动车很危险。"),
			register(b, "晚上没有灯", "明州路一到晚上就没有灯，路灯一直不亮，走夜路心里害怕。"),
			register(a, "反映路灯问题", "太河路上的路灯晚上经常不亮，希望有关部门尽快维修。"),
			register(b, "背街小巷路灯损坏", "横杨路背街小巷的路灯灯泡坏了，晚上一片漆黑，孩子放学回家不安全。"),
		}
		fees := register(a, "学校乱收费", "孩子所在的小学开学要求每人交三百元资料费，家长意见很大，希望查一查是否合理。")
		// Town B's noise: a topic the district sees and town A does not.
		noise := []int64{
			register(b, "夜间施工噪音扰民", "庐山东路工地晚上十一点还在打桩，噪音太大，根本睡不着。"),
			register(b, "工地夜间施工噪声扰民", "工地晚上十点后仍在施工，噪声影响休息。"),
		}
		// A linked duplicate (合并办理) is no case of its own.
		dup := register(a2, "楼前路灯不亮", "楼前的路灯不亮了，晚上看不清路。")
		officeA := e.as(t, "officea")
		if r := officeA.do("POST", fmt.Sprintf("/api/v1/cases/%d/actions/link", dup), map[string]any{"version": 1, "master_id": lamps[0]}); r.Status != 200 {
			t.Fatalf("link: %d %s", r.Status, r.Raw)
		}

		topics := func(c *client, query string) []lianluo.HotTopic {
			t.Helper()
			r := c.do("GET", "/api/v1/stats/hot-topics"+query, nil)
			if r.Status != 200 {
				t.Fatalf("hot topics%s: %d %s", query, r.Status, r.Raw)
			}
			var got []lianluo.HotTopic
			if err := json.Unmarshal(r.Raw, &got); err != nil {
				t.Fatalf("hot topics%s: %v in %s", query, err, r.Raw)
			}
			return got
		}
		office := e.as(t, "office")
		got := topics(office, "")
		if len(got) != 2 {
			t.Fatalf("district office: %+v; want the lamps and the noise", got)
		}
		lamp := got[0]
		wantStations := []int64{a.ID, b.ID, a2.ID}
		slices.Sort(wantStations)
		if fmt.Sprint(lamp.CaseIDs) != fmt.Sprint(lamps) || fmt.Sprint(lamp.StationIDs) != fmt.Sprint(wantStations) ||
			lamp.Count != 5 || !strings.Contains(lamp.Label, "路灯") || fmt.Sprint(lamp.Categories) != "[城乡建设]" {
			t.Errorf("lamps = %+v; want cases %v from stations %v", lamp, lamps, wantStations)
		}
		if fmt.Sprint(got[1].CaseIDs) != fmt.Sprint(noise) {
			t.Errorf("noise = %+v; want cases %v", got[1], noise)
		}
		for _, tp := range got {
			if slices.Contains(tp.CaseIDs, fees) || slices.Contains(tp.CaseIDs, dup) {
				t.Errorf("topic %+v holds the school fees (%d) or the linked duplicate (%d)", tp, fees, dup)
			}
		}
		// The town A office sees its own lamps only; town B's are absent.
		got = topics(officeA, "")
		if len(got) != 1 || fmt.Sprint(got[0].CaseIDs) != fmt.Sprint([]int64{lamps[0], lamps[1], lamps[3]}) {
			t.Errorf("town A office: %+v; want the lamps %v", got, []int64{lamps[0], lamps[1], lamps[3]})
		}
		// A region narrows the district's view to town B. Its two lamp
		// cases share only 路灯 and 晚上, too little on their own: the
		// district's other lamp cases joined them to the topic.
		got = topics(office, "?region=330206003&days=7")
		if len(got) != 1 || fmt.Sprint(got[0].CaseIDs) != fmt.Sprint(noise) {
			t.Errorf("district office, town B: %+v; want the noise %v alone", got, noise)
		}
		// No cases in the window: an empty list, not null.
		if r := office.do("GET", "/api/v1/stats/hot-topics?region=330206001", nil); r.Status != 200 || string(r.Raw) != "[]\n" && string(r.Raw) != "[]" {
			t.Errorf("a region without cases: %d %s; want []", r.Status, r.Raw)
		}

		for _, tt := range []struct {
			user, query string
			status      int
			field       string
		}{
			{"office", "days=0", 400, "days"},
			{"office", "days=367", 400, "days"},
			{"office", "days=-3", 400, "days"},
			{"office", "days=abc", 400, "days"},
			{"office", "region=999999", 400, "region"},
			{"officea", "region=330206003", 403, ""},
			{"deputya", "", 403, ""},
			{"unit", "", 403, ""},
		} {
			r := e.as(t, tt.user).do("GET", "/api/v1/stats/hot-topics?"+tt.query, nil)
			if r.Status != tt.status || r.errField() != tt.field {
				t.Errorf("%s ?%s: %d %s, want %d field %q", tt.user, tt.query, r.Status, r.Raw, tt.status, tt.field)
			}
			if msg := string(r.Raw); tt.field == "days" && !strings.Contains(msg, "天数") && !strings.Contains(msg, "参数 days") {
				t.Errorf("%s ?%s: %s; want a Chinese message naming days", tt.user, tt.query, r.Raw)
			}
		}

		// The OpenAPI document describes a topic.
		doc := e.anon.do("GET", "/api/v1/openapi.json", nil)
		schema, _ := doc.Body["components"].(map[string]any)["schemas"].(map[string]any)["HotTopic"].(map[string]any)
		if props, _ := schema["properties"].(map[string]any); props["label"] == nil || props["case_ids"] == nil || props["station_ids"] == nil {
			t.Errorf("HotTopic in the OpenAPI document: %v", schema)
		}

		// The window: forty days on, the last 30 days hold no case, the
		// last 60 all of them.
		storetest.ClockOf(db).Set(func() time.Time { return storetest.Now.Add(40 * 24 * time.Hour) })
		office = e.as(t, "office")
		if got := topics(office, ""); len(got) != 0 {
			t.Errorf("40 days on, the last 30 days: %+v; want none", got)
		}
		if got := topics(office, "?days=60"); len(got) != 2 || got[0].Count != 5 {
			t.Errorf("40 days on, the last 60 days: %+v; want the lamps and the noise", got)
		}
	})
}
