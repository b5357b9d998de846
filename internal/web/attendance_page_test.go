package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// rowNames lists the deputies' names of the 按代表 table, in order.
func rowNames(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<td data-label="代表"><a href="[^"]+">([^<]+)</a>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// The attendance page lists each station's own deputies; a deputy of two
// stations is under both and once in the total. The office sends the
// yearly notice to every deputy in scope at once.
func TestAttendancePageStations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		sys := storetest.SystemContext()
		dep4 := &lianluo.Deputy{Name: "虞国良", Gender: "male", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "county", Term: 18}}}
		if err := db.CreateDeputy(sys, dep4); err != nil {
			t.Fatal(err)
		}
		// 李建国 serves at the centre and at 灵岩社区联络站.
		ly := &lianluo.Station{Kind: "village", Name: "灵岩社区联络站", RegionCode: "330206004", OrgID: f.dq.ID, Address: "灵岩社区",
			DeputyIDs: []int64{f.dep2.ID, dep4.ID}}
		if err := db.CreateStation(sys, ly); err != nil {
			t.Fatal(err)
		}
		clerk := f.loggedIn(t, "dqclerk")
		for _, tc := range []struct {
			name    string
			station int64
			want    []string
		}{
			{"大碶中心站", f.dqStation.ID, []string{"王秀英", "李建国"}},
			{"灵岩社区站", ly.ID, []string{"李建国", "虞国良"}},
			{"全部联络站", 0, []string{"王秀英", "李建国", "虞国良"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				path := "/console/attendance?year=2026"
				if tc.station != 0 {
					path += fmt.Sprintf("&station_id=%d", tc.station)
				}
				res := clerk.get(path)
				wantStatus(t, tc.name, res, 200)
				if got := rowNames(res.Body); strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Errorf("%s: deputies = %v; want %v", path, got, tc.want)
				}
			})
		}
		res := clerk.get("/console/attendance?year=2026")
		total := regexp.MustCompile(`<td data-label="联络站"><strong>合计</strong></td>\s*<td data-label="代表人数">(\d+)</td>`).FindStringSubmatch(res.Body)
		if total == nil || total[1] != "3" {
			t.Errorf("total deputies = %v; want 3 (李建国 once)", total)
		}
		wantBody(t, "per station", res, `灵岩社区联络站</a></td>
      <td data-label="代表人数">2</td>`)

		// Send to all: the count, once per deputy, and a redirect.
		wantBody(t, "send all button", res, `id="notice-send-all"`, "将向所有联络站的全部在任代表发送2026年出勤情况通报")
		res = clerk.post("/console/attendance/notices", url.Values{"year": {"2026"}})
		wantStatus(t, "send all", res, 303)
		if got, want := res.Header.Get("Location"), "/console/attendance?n=3&ok=sent_all&year=2026"; got != want {
			t.Errorf("send all: Location = %q; want %q", got, want)
		}
		wantBody(t, "sent", clerk.get(res.Header.Get("Location")), "已向3位代表发送2026年出勤情况通报")
		res = clerk.post("/console/attendance/notices", url.Values{"year": {"2026"}, "station_id": {fmt.Sprint(ly.ID)}})
		if got, want := res.Header.Get("Location"), fmt.Sprintf("/console/attendance?n=2&ok=sent_all&station_id=%d&year=2026", ly.ID); got != want {
			t.Errorf("send one station: Location = %q; want %q", got, want)
		}
		// Bad paths: a liaison, a deputy, another town's station.
		wantStatus(t, "a liaison sends", f.loggedIn(t, "dqliaison").post("/console/attendance/notices", url.Values{"year": {"2026"}}), 403)
		wantNoBody(t, "a liaison's page", f.loggedIn(t, "dqliaison").get("/console/attendance?year=2026"), `id="notice-send-all"`)
		wantStatus(t, "a deputy sends", f.loggedIn(t, "wangxy").post("/console/attendance/notices", url.Values{"year": {"2026"}}), 403)
		wantStatus(t, "another town", clerk.post("/console/attendance/notices", url.Values{"year": {"2026"}, "station_id": {fmt.Sprint(f.xgStation.ID)}}), 404)
	})
}
