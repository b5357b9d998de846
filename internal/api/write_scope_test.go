package api_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Town A's liaison, deputy and office cannot register a case in town B's
// region (it used to answer 201, and town B's office then saw and revealed
// it): 400 on region_code, and town B's office sees nothing. At their own
// town's region the same request is 201, and stays out of town B's sight.
func TestRegisterOutsideScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		officeB := &lianluo.User{Username: "officeb", DisplayName: "小港人大办", Password: storetest.Password,
			Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &e.w.TownB.ID}}}
		storetest.MustCreateUser(t, db, storetest.SystemContext(), officeB)
		body := func(region string, station bool) map[string]any {
			b := map[string]any{"kind": "opinion", "channel": "visit", "title": "小区路灯不亮",
				"content": "路灯坏了一个月。", "category": "道路照明", "region_code": region,
				"submitter": map[string]any{"name": "张三", "phone": "13912340000"}}
			if station {
				b["station_id"] = e.w.StationA.ID
			}
			return b
		}
		for _, user := range []string{"liaisona", "deputya", "officea"} {
			c := e.as(t, user)
			for _, station := range []bool{true, false} {
				if r := c.do("POST", "/api/v1/cases", body("330206003", station)); r.Status != 400 || r.errField() != "region_code" {
					t.Errorf("%s registers in town B (station %v): %d %s; want 400 region_code", user, station, r.Status, r.Raw)
				}
			}
		}
		b := e.as(t, "officeb")
		if r := b.do("GET", "/api/v1/cases", nil); r.Status != 200 || r.num("total") != 0 {
			t.Errorf("town B's cases after refused registrations: %d %s; want none", r.Status, r.Raw)
		}
		r := e.as(t, "liaisona").do("POST", "/api/v1/cases", body("330206004", true))
		if r.Status != 201 {
			t.Fatalf("liaisona registers in town A: %d %s", r.Status, r.Raw)
		}
		id := itoa(r.num("id"))
		if r := b.do("GET", "/api/v1/cases/"+id, nil); r.Status != 404 {
			t.Errorf("town B reads town A's case: %d %s; want 404", r.Status, r.Raw)
		}
		if r := b.do("POST", "/api/v1/cases/"+id+"/reveal", map[string]any{"purpose": "callback", "reason": "核实身份信息"}); r.Status != 404 {
			t.Errorf("town B reveals town A's case: %d %s; want 404", r.Status, r.Raw)
		}
		// The district office registers anywhere in its district.
		if r := e.as(t, "office").do("POST", "/api/v1/cases", body("330206003", true)); r.Status != 201 {
			t.Errorf("the district office registers in town B: %d %s", r.Status, r.Raw)
		}
	})
}
