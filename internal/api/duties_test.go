package api_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// 三员分立 (README, Security; 等保 2.0 level 3): the three administrator
// roles against every route family of the API, each request allowed or
// refused as the separation of duties lays down (duties.go, DutyAllows):
//
//   - system_admin: accounts, registry, settings and the business
//     (masked); never the audit trail, the security settings or a voter's
//     contact details.
//   - security_admin: the security settings, the review of every account
//     and unlocking; no business data, no audit trail.
//   - auditor: the audit trail and its settings; nothing else.
//
// All three keep their own account, the public site and the regions.

// dutyOutcome is what one administrator gets from one request.
type dutyOutcome int

const (
	allowed dutyOutcome = iota // not 401 or 403 (a read: 200)
	refused                    // 403 forbidden
)

func (o dutyOutcome) String() string {
	if o == refused {
		return "refused"
	}
	return "allowed"
}

// dutyRoles are the three administrators of the test world, in the order
// each request is tried: the system administrator first, so that a write
// it may make is made once before the others are refused it.
var dutyRoles = []string{"admin", "security", "auditor"}

// dutyCase is one representative request of a route family.
type dutyCase struct {
	family       string // the OpenAPI tag, or tag/part for settings
	method, path string
	// body, when set, makes the request body just before each
	// administrator's request (fresh versions, names unique per role).
	body func(role string) any
	// admin, security and auditor are the expected outcomes.
	admin, security, auditor dutyOutcome
	// status, when set, is the exact status of an allowed request.
	status int
}

func (c dutyCase) want(role string) dutyOutcome {
	switch role {
	case "admin":
		return c.admin
	case "security":
		return c.security
	}
	return c.auditor
}

// checkDuty asserts the outcome of one request; every message names the
// role, the method and the path.
func checkDuty(t *testing.T, role, method, path string, want dutyOutcome, status int, r response) {
	t.Helper()
	switch want {
	case refused:
		if r.Status != http.StatusForbidden || r.errCode() != "forbidden" {
			t.Errorf("%s %s %s: %d %.300s; want 403 forbidden (refused)", role, method, path, r.Status, r.Raw)
		}
	case allowed:
		switch {
		case r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden || r.Status >= 500:
			t.Errorf("%s %s %s: %d %.300s; want allowed", role, method, path, r.Status, r.Raw)
		case status != 0 && r.Status != status:
			t.Errorf("%s %s %s: %d %.300s; want allowed with %d", role, method, path, r.Status, r.Raw, status)
		case status == 0 && method == "GET" && r.Status != http.StatusOK:
			t.Errorf("%s %s %s: %d %.300s; want allowed with 200", role, method, path, r.Status, r.Raw)
		}
	}
}

func TestAdministratorDuties(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		w := e.w
		clients := map[string]*client{}
		for _, role := range dutyRoles {
			clients[role] = e.as(t, role)
		}
		admin, security, auditor := clients["admin"], clients["security"], clients["auditor"]
		office, officea, deputya := e.as(t, "office"), e.as(t, "officea"), e.as(t, "deputya")

		// The records the requests work on, made through the API by the
		// users whose work they are.
		must := func(what string, r response, status int) int64 {
			t.Helper()
			if r.Status != status {
				t.Fatalf("%s: %d %s; want %d", what, r.Status, r.Raw, status)
			}
			return r.num("id")
		}
		caseID := must("register a case as liaisona", e.as(t, "liaisona").do("POST", "/api/v1/cases", map[string]any{
			"kind": "opinion", "channel": "visit", "station_id": w.StationA.ID, "title": "小区路灯不亮",
			"content": "庐山西路小区3号楼前路灯坏了一个月。", "category": "道路照明", "region_code": "330206004",
			"submitter": map[string]any{"name": "张三", "phone": "13912340000"}, "received_by": []int64{w.DeputyA1.ID},
		}), 201)
		diaryID := must("write a diary entry as deputya", deputya.do("POST", "/api/v1/diary", map[string]any{
			"visited_at": "2026-03-01T15:00", "place": "灵峰社区", "voter_name": "张桂芳", "voter_phone": "13905741234",
			"content": "楼道灯坏了一个月。", "handling": "请物业修复。", "category": "小区物业",
		}), 201)
		groupID := must("create a group as officea", officea.do("POST", "/api/v1/groups", map[string]any{
			"name": "大碶第一代表小组", "org_id": w.TownA.ID, "region_code": "330206004",
		}), 201)
		activityID := must("create an activity as officea", officea.do("POST", "/api/v1/activities", map[string]any{
			"kind": "inspection", "title": "视察老旧小区改造", "station_id": w.StationA.ID,
			"starts_at": "2026-05-06T09:00:00+08:00", "ends_at": "2026-05-06T11:30:00+08:00",
		}), 201)
		dutyID := must("record a duty as deputya", deputya.do("POST", "/api/v1/duty-records", map[string]any{
			"kind": "good_deed", "date": "2026-03-01", "description": "为选民修好路灯。",
		}), 201)
		unitUser := w.Users["unit"].ID
		reveal := map[string]any{"purpose": "callback", "reason": "约定上门时间"}

		// version reads a record's current version as the system
		// administrator (who reads the registry), for a PATCH.
		version := func(path string) int64 {
			t.Helper()
			r := admin.do("GET", path, nil)
			if r.Status != 200 || r.num("version") == 0 {
				t.Fatalf("admin GET %s: %d %s", path, r.Status, r.Raw)
			}
			return r.num("version")
		}
		// roundTrip reads a setting as the administrator whose duty it is,
		// to save it unchanged.
		roundTrip := func(c *client, path string) func(string) any {
			return func(string) any {
				t.Helper()
				r := c.do("GET", path, nil)
				if r.Status != 200 {
					t.Fatalf("GET %s: %d %s", path, r.Status, r.Raw)
				}
				return r.Body
			}
		}
		const A, R = allowed, refused
		id := itoa
		cases := []dutyCase{
			// auth: one's own account.
			{family: "auth", method: "GET", path: "/api/v1/auth/me"},
			{family: "auth", method: "GET", path: "/api/v1/auth/mfa"},
			{family: "auth", method: "POST", path: "/api/v1/auth/mfa/enrol", status: 200},
			{family: "auth", method: "GET", path: "/api/v1/auth/notification-prefs"},
			{family: "auth", method: "PUT", path: "/api/v1/auth/notification-prefs", body: func(string) any { return map[string]any{"channels": []string{}} }, status: 200},
			{family: "auth", method: "POST", path: "/api/v1/auth/password", body: func(string) any {
				return map[string]any{"old_password": storetest.Password, "new_password": "Duty@2026pw-changed"}
			}, status: 204},
			// meta and the public site.
			{family: "meta", method: "GET", path: "/api/v1/openapi.json"},
			{family: "public", method: "GET", path: "/api/v1/public/regions"},
			{family: "public", method: "GET", path: "/api/v1/public/stations"},
			{family: "public", method: "GET", path: "/api/v1/public/stations/" + id(w.StationA.ID)},
			{family: "public", method: "GET", path: "/api/v1/public/deputies/" + id(w.DeputyA1.ID)},
			{family: "public", method: "GET", path: "/api/v1/public/settings"},
			{family: "public", method: "GET", path: "/api/v1/public/results"},
			{family: "public", method: "POST", path: "/api/v1/public/opinions", body: func(role string) any { return opinionBody(w.StationA.ID, "路灯不亮（"+role+"）") }, status: 201},
			{family: "regions", method: "GET", path: "/api/v1/regions?parent=330206"},
			{family: "regions", method: "GET", path: "/api/v1/regions/330206004"},
			// inbox: one's own messages.
			{family: "inbox", method: "GET", path: "/api/v1/inbox"},
			{family: "inbox", method: "POST", path: "/api/v1/inbox/read_all", status: 200},

			// The registry: the system administrator's.
			{family: "orgs", method: "GET", path: "/api/v1/orgs", security: R, auditor: R},
			{family: "orgs", method: "GET", path: "/api/v1/orgs/" + id(w.District.ID), security: R, auditor: R},
			{family: "orgs", method: "POST", path: "/api/v1/orgs", body: func(role string) any {
				return map[string]any{"kind": "unit", "name": "区交通运输局" + role, "region_code": "330206"}
			}, security: R, auditor: R, status: 201},
			{family: "orgs", method: "PATCH", path: "/api/v1/orgs/" + id(w.Unit.ID), body: func(string) any {
				return map[string]any{"phone": "0574-86860000", "version": version("/api/v1/orgs/" + id(w.Unit.ID))}
			}, security: R, auditor: R, status: 200},
			{family: "stations", method: "GET", path: "/api/v1/stations", security: R, auditor: R},
			{family: "stations", method: "GET", path: "/api/v1/stations/" + id(w.StationA.ID), security: R, auditor: R},
			{family: "stations", method: "GET", path: "/api/v1/stations/" + id(w.StationA.ID) + "/checklist", security: R, auditor: R},
			{family: "stations", method: "PUT", path: "/api/v1/stations/" + id(w.StationA.ID) + "/checklist/sign", body: func(string) any {
				return map[string]any{"done": true, "date": "2026-01-05", "version": 1}
			}, security: R, auditor: R, status: 200},
			{family: "stations", method: "GET", path: "/api/v1/stations/" + id(w.StationA.ID) + "/checklist/sign/photos/1", security: R, auditor: R, status: 404},
			{family: "stations", method: "POST", path: "/api/v1/stations", body: func(role string) any {
				return map[string]any{"kind": "home", "name": "新碶代表之家" + role, "region_code": "330206004", "org_id": w.TownA.ID}
			}, security: R, auditor: R, status: 201},
			{family: "stations", method: "PATCH", path: "/api/v1/stations/" + id(w.StationB.ID), body: func(string) any {
				return map[string]any{"address": "小港街道红联路1号", "version": version("/api/v1/stations/" + id(w.StationB.ID))}
			}, security: R, auditor: R, status: 200},
			{family: "deputies", method: "GET", path: "/api/v1/deputies", security: R, auditor: R},
			{family: "deputies", method: "GET", path: "/api/v1/deputies/" + id(w.DeputyA1.ID), security: R, auditor: R},
			{family: "deputies", method: "POST", path: "/api/v1/deputies", body: func(role string) any {
				return map[string]any{"name": "孙丽华", "gender": "female", "region_code": "330206004",
					"seats": []map[string]any{{"level": "county", "term": 18}}}
			}, security: R, auditor: R, status: 201},
			{family: "deputies", method: "PATCH", path: "/api/v1/deputies/" + id(w.DeputyB.ID), body: func(string) any {
				return map[string]any{"occupation": "教师", "version": version("/api/v1/deputies/" + id(w.DeputyB.ID))}
			}, security: R, auditor: R, status: 200},
			{family: "groups", method: "GET", path: "/api/v1/groups", security: R, auditor: R},
			{family: "groups", method: "GET", path: "/api/v1/groups/" + id(groupID), security: R, auditor: R},
			{family: "groups", method: "POST", path: "/api/v1/groups", body: func(role string) any {
				return map[string]any{"name": "小港代表小组" + role, "org_id": w.TownB.ID, "region_code": "330206003"}
			}, security: R, auditor: R, status: 201},
			{family: "groups", method: "PATCH", path: "/api/v1/groups/" + id(groupID), body: func(string) any {
				return map[string]any{"name": "大碶第二代表小组", "version": version("/api/v1/groups/" + id(groupID))}
			}, security: R, auditor: R, status: 200},

			// users: managed by the system administrator, reviewed and
			// unlocked by the security administrator.
			{family: "users", method: "GET", path: "/api/v1/users", auditor: R},
			{family: "users", method: "GET", path: "/api/v1/users/" + id(unitUser), auditor: R},
			{family: "users", method: "POST", path: "/api/v1/users", body: func(role string) any {
				return map[string]any{"username": "clerk-" + role, "password": "Initial@2026pw", "display_name": "经办人",
					"roles": []map[string]any{{"role": "unit_handler", "org_id": w.Unit.ID}}}
			}, security: R, auditor: R, status: 201},
			{family: "users", method: "PATCH", path: "/api/v1/users/" + id(unitUser), body: func(string) any {
				return map[string]any{"display_name": "住建局经办人甲", "version": version("/api/v1/users/" + id(unitUser))}
			}, security: R, auditor: R, status: 200},
			{family: "users", method: "PATCH", path: "/api/v1/users/" + id(unitUser), body: func(string) any {
				return map[string]any{"unlock": true, "version": version("/api/v1/users/" + id(unitUser))}
			}, auditor: R, status: 200},

			// cases: the business, which the system administrator sees
			// masked and never reveals.
			{family: "cases", method: "GET", path: "/api/v1/cases", security: R, auditor: R},
			{family: "cases", method: "GET", path: "/api/v1/cases/todo", security: R, auditor: R},
			{family: "cases", method: "GET", path: "/api/v1/cases/" + id(caseID), security: R, auditor: R},
			{family: "cases", method: "GET", path: "/api/v1/cases/" + id(caseID) + "/attachments", security: R, auditor: R},
			{family: "cases", method: "POST", path: "/api/v1/cases", body: func(role string) any {
				return map[string]any{"kind": "opinion", "channel": "visit", "station_id": w.StationA.ID, "title": "井盖缺失" + role,
					"content": "新大路口井盖缺失。", "category": "道路维修", "region_code": "330206004",
					"submitter": map[string]any{"name": "李四", "phone": "13912340002"}}
			}, security: R, auditor: R, status: 201},
			{family: "cases", method: "POST", path: "/api/v1/cases/" + id(caseID) + "/actions/triage", body: func(string) any {
				return map[string]any{"outcome": "forward", "version": version("/api/v1/cases/" + id(caseID))}
			}, security: R, auditor: R, status: 200},
			{family: "cases", method: "POST", path: "/api/v1/cases/" + id(caseID) + "/reveal", body: func(string) any { return reveal }, admin: R, security: R, auditor: R},
			{family: "stats", method: "GET", path: "/api/v1/stats/cases", security: R, auditor: R},
			{family: "stats", method: "GET", path: "/api/v1/stats/cases.xlsx", security: R, auditor: R},
			{family: "stats", method: "GET", path: "/api/v1/stats/hot-topics", security: R, auditor: R},
			{family: "stats", method: "GET", path: "/api/v1/stats/stations", security: R, auditor: R},
			{family: "stats", method: "GET", path: "/api/v1/stats/stations.xlsx", security: R, auditor: R},
			{family: "stats", method: "GET", path: "/api/v1/stats/suggestions?session_id=999999", security: R, auditor: R, status: 404},
			{family: "stats", method: "GET", path: "/api/v1/stats/suggestions.xlsx?session_id=999999", security: R, auditor: R, status: 404},
			// ledgers: the business; the system administrator reads no
			// voters' matters (lianluo.CanReadLedger), so the book is not found.
			{family: "ledgers", method: "GET", path: "/api/v1/ledgers/opinions?year=2026&station_id=" + id(w.StationA.ID), security: R, auditor: R, status: 404},

			// settings, by part.
			{family: "settings/categories", method: "GET", path: "/api/v1/categories", security: R, auditor: R},
			{family: "settings/policy", method: "GET", path: "/api/v1/settings/policy", security: R, auditor: R},
			{family: "settings/policy", method: "PUT", path: "/api/v1/settings/policy", body: roundTrip(admin, "/api/v1/settings/policy"), security: R, auditor: R, status: 200},
			{family: "settings/public", method: "GET", path: "/api/v1/settings/public", security: R, auditor: R},
			{family: "settings/public", method: "PUT", path: "/api/v1/settings/public", body: roundTrip(admin, "/api/v1/settings/public"), security: R, auditor: R, status: 200},
			{family: "settings/calendar", method: "GET", path: "/api/v1/calendar/2026", security: R, auditor: R},
			{family: "settings/calendar", method: "PUT", path: "/api/v1/calendar/2027", body: func(string) any {
				return map[string]any{"days": []map[string]any{{"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}}}
			}, security: R, auditor: R, status: 200},
			{family: "settings/station-checklist", method: "GET", path: "/api/v1/settings/station-checklist", security: R, auditor: R},
			{family: "settings/station-checklist", method: "PUT", path: "/api/v1/settings/station-checklist", body: roundTrip(admin, "/api/v1/settings/station-checklist"), security: R, auditor: R, status: 200},
			{family: "settings/station-rating", method: "GET", path: "/api/v1/settings/station-rating", security: R, auditor: R},
			{family: "settings/station-rating", method: "PUT", path: "/api/v1/settings/station-rating", body: roundTrip(admin, "/api/v1/settings/station-rating"), security: R, auditor: R, status: 200},
			{family: "settings/security", method: "GET", path: "/api/v1/settings/security", admin: R, auditor: R},
			{family: "settings/security", method: "PUT", path: "/api/v1/settings/security", body: roundTrip(security, "/api/v1/settings/security"), admin: R, auditor: R, status: 200},
			{family: "settings/audit", method: "GET", path: "/api/v1/settings/audit", admin: R, security: R},
			{family: "settings/audit", method: "PUT", path: "/api/v1/settings/audit", body: func(string) any { return map[string]any{"audit_retention_days": 400} }, admin: R, security: R, status: 200},

			// sheets: exports, templates, imports.
			{family: "sheets", method: "GET", path: "/api/v1/exports/cases", security: R, auditor: R},
			{family: "sheets", method: "GET", path: "/api/v1/exports/orgs", security: R, auditor: R},
			{family: "sheets", method: "GET", path: "/api/v1/exports/users", security: R, auditor: R},
			{family: "sheets", method: "GET", path: "/api/v1/templates/deputies", security: R, auditor: R},
			{family: "sheets", method: "POST", path: "/api/v1/imports/orgs", body: func(string) any { return "" }, security: R, auditor: R, status: 400}, // validated: no workbook,

			// receptions and attendance.
			{family: "receptions", method: "GET", path: "/api/v1/receptions", security: R, auditor: R},
			{family: "receptions", method: "GET", path: "/api/v1/stations/" + id(w.StationA.ID) + "/reception-rules", security: R, auditor: R},
			{family: "receptions", method: "POST", path: "/api/v1/stations/" + id(w.StationA.ID) + "/reception-rules", body: func(string) any {
				return map[string]any{"rrule": "FREQ=MONTHLY;BYMONTHDAY=15", "start": "09:00", "end": "11:00"}
			}, security: R, auditor: R, status: 201},
			{family: "receptions", method: "POST", path: "/api/v1/stations/" + id(w.StationA.ID) + "/rota", body: func(string) any { return map[string]any{"year": 2026} }, security: R, auditor: R, status: 200},
			{family: "receptions", method: "GET", path: "/api/v1/stations/" + id(w.StationA.ID) + "/rota/problems?year=2026", security: R, auditor: R},
			{family: "receptions", method: "GET", path: "/api/v1/deputies/" + id(w.DeputyA1.ID) + "/unavailability", security: R, auditor: R},
			{family: "receptions", method: "POST", path: "/api/v1/deputies/" + id(w.DeputyA1.ID) + "/unavailability", body: func(string) any {
				return map[string]any{"from": "2026-06-01", "to": "2026-06-10", "reason": "出差"}
			}, security: R, auditor: R, status: 201},
			{family: "receptions", method: "GET", path: "/api/v1/attendance", security: R, auditor: R},
			{family: "receptions", method: "GET", path: "/api/v1/attendance.xlsx", security: R, auditor: R},

			// activities.
			{family: "activities", method: "GET", path: "/api/v1/activities", security: R, auditor: R},
			{family: "activities", method: "GET", path: "/api/v1/activities/norms", security: R, auditor: R},
			{family: "activities", method: "GET", path: "/api/v1/activities/" + id(activityID), security: R, auditor: R},
			{family: "activities", method: "POST", path: "/api/v1/activities", body: func(role string) any {
				return map[string]any{"kind": "forum", "title": "港区座谈" + role, "station_id": w.StationB.ID,
					"starts_at": "2026-05-20T09:00:00+08:00", "ends_at": "2026-05-20T11:00:00+08:00"}
			}, security: R, auditor: R, status: 201},
			{family: "activities", method: "PATCH", path: "/api/v1/activities/" + id(activityID), body: func(string) any {
				return map[string]any{"title": "视察老旧小区改造进度", "version": version("/api/v1/activities/" + id(activityID))}
			}, security: R, auditor: R, status: 200},
			// 述职 plans and ballots (民主测评): the business.
			{family: "activities", method: "GET", path: "/api/v1/report-plans?year=2026", security: R, auditor: R},
			{family: "activities", method: "POST", path: "/api/v1/report-plans", body: func(role string) any {
				return map[string]any{"group_id": groupID, "year": 2026, "deputy_ids": []int64{}, "reason": "本组尚无在任代表。"}
			}, security: R, auditor: R, status: 201},
			{family: "activities", method: "GET", path: "/api/v1/ballots/999999", security: R, auditor: R, status: 404},

			// diary and mailbox: a voter's contact details are never the
			// system administrator's to reveal.
			{family: "diary", method: "GET", path: "/api/v1/diary", security: R, auditor: R},
			{family: "diary", method: "GET", path: "/api/v1/diary/counts", security: R, auditor: R},
			{family: "diary", method: "GET", path: "/api/v1/diary/" + id(diaryID), security: R, auditor: R},
			{family: "diary", method: "POST", path: "/api/v1/diary/" + id(diaryID) + "/case", security: R, auditor: R, status: 201},
			// Only the deputy writes a diary (003): the record rule refuses
			// the system administrator too.
			{family: "diary", method: "POST", path: "/api/v1/diary", body: func(string) any {
				return map[string]any{"visited_at": "2026-03-01T16:00", "place": "灵峰社区", "voter_name": "李梅", "content": "垃圾清运不及时。"}
			}, admin: R, security: R, auditor: R},
			{family: "diary", method: "POST", path: "/api/v1/diary/" + id(diaryID) + "/reveal", body: func(string) any { return reveal }, admin: R, security: R, auditor: R},
			{family: "mailbox", method: "GET", path: "/api/v1/mailbox/openings?station_id=" + id(w.StationA.ID), security: R, auditor: R},
			{family: "mailbox", method: "GET", path: "/api/v1/mailbox/status", security: R, auditor: R},
			{family: "mailbox", method: "GET", path: "/api/v1/mailbox/summary?region=330206", security: R, auditor: R},
			{family: "mailbox", method: "POST", path: "/api/v1/stations/" + id(w.StationB.ID) + "/mailbox/openings", body: func(string) any {
				return map[string]any{"opened_at": "2026-03-02T09:00", "opened_by": []string{"陈志强"},
					"letters": []map[string]any{{"anonymous": true, "content": "人行道被占用停车。"}}}
			}, security: R, auditor: R, status: 201},

			// duty records and 六个一: the business.
			{family: "duty", method: "GET", path: "/api/v1/duty-records", security: R, auditor: R},
			{family: "duty", method: "GET", path: "/api/v1/duty-records/" + id(dutyID), security: R, auditor: R},
			{family: "duty", method: "PATCH", path: "/api/v1/duty-records/" + id(dutyID), body: func(string) any {
				return map[string]any{"description": "为选民修好路灯两盏。", "version": version("/api/v1/duty-records/" + id(dutyID))}
			}, security: R, auditor: R, status: 200},
			{family: "duty", method: "POST", path: "/api/v1/duty-records", body: func(string) any {
				return map[string]any{"deputy_id": w.DeputyB.ID, "kind": "aid", "date": "2026-03-01", "description": "帮扶困难户。"}
			}, security: R, auditor: R, status: 201},
			{family: "duty", method: "POST", path: "/api/v1/duty-records/" + id(dutyID) + "/confirm", body: func(string) any {
				return map[string]any{"decision": "confirm", "version": version("/api/v1/duty-records/" + id(dutyID))}
			}, security: R, auditor: R, status: 200},
			{family: "duty", method: "GET", path: "/api/v1/deputies/" + id(w.DeputyA1.ID) + "/six-ones", security: R, auditor: R},
			{family: "duty", method: "GET", path: "/api/v1/groups/" + id(groupID) + "/six-ones", security: R, auditor: R},

			// notifications: the outbox, the system administrator's.
			{family: "notifications", method: "GET", path: "/api/v1/notifications", security: R, auditor: R},
			{family: "notifications", method: "GET", path: "/api/v1/notifications/counts", security: R, auditor: R},
			{family: "notifications", method: "POST", path: "/api/v1/notifications/999999/retry", security: R, auditor: R, status: 404},

			// appraisals (工作评议): the business.
			{family: "appraisals", method: "GET", path: "/api/v1/appraisals", security: R, auditor: R},
			{family: "appraisals", method: "GET", path: "/api/v1/appraisals/999999", security: R, auditor: R, status: 404},
			{family: "appraisals", method: "POST", path: "/api/v1/appraisals", body: func(role string) any {
				return map[string]any{"org_id": w.District.ID, "year": 2026, "title": "部门工作评议" + role, "unit_ids": []int64{w.Unit.ID}, "scheduled_on": "2026-11-20"}
			}, security: R, auditor: R, status: 201},
			{family: "appraisals", method: "POST", path: "/api/v1/rectifications/999999/accept", body: func(string) any { return map[string]any{"version": 1} }, security: R, auditor: R, status: 404},

			// suggestions: congress sessions are business data.
			{family: "suggestions", method: "GET", path: "/api/v1/sessions", security: R, auditor: R},
			{family: "suggestions", method: "GET", path: "/api/v1/sessions/999999", security: R, auditor: R, status: 404},
			{family: "suggestions", method: "POST", path: "/api/v1/sessions", body: func(string) any {
				return map[string]any{"org_id": w.District.ID, "name": "区第十八届人民代表大会第七次会议", "starts_on": "2027-01-05", "ends_on": "2027-01-07"}
			}, security: R, auditor: R, status: 201},

			// audit: the auditor's alone.
			{family: "audit", method: "GET", path: "/api/v1/audit", admin: R, security: R},
			{family: "audit", method: "GET", path: "/api/v1/audit/verify", admin: R, security: R},
		}

		for _, c := range cases {
			for _, role := range dutyRoles {
				var body any
				if c.body != nil {
					body = c.body(role)
				}
				r := clients[role].do(c.method, c.path, body)
				checkDuty(t, role, c.method, c.path, c.want(role), c.status, r)
			}
		}

		// Every route family of the API is in the table.
		covered := map[string]bool{}
		for _, c := range cases {
			covered[strings.SplitN(c.family, "/", 2)[0]] = true
		}
		doc := e.anon.do("GET", "/api/v1/openapi.json", nil)
		ops := operations(t, doc)
		for _, op := range ops {
			if !covered[op.tag] {
				t.Errorf("route family %q (%s %s) is not in the table of the administrators' duties", op.tag, op.method, op.path)
			}
		}

		// A refused request of the security administrator or the auditor
		// is on the audit trail (越权访问), for the auditor to read.
		for _, want := range []struct {
			role, summary string
		}{
			{"security", "GET /api/v1/audit"},
			{"security", "GET /api/v1/orgs"},
			{"security", "POST /api/v1/cases"},
			{"auditor", "GET /api/v1/users"},
			{"auditor", "PUT /api/v1/settings/security"},
			{"admin", "GET /api/v1/audit"},
			{"admin", "POST /api/v1/cases/" + id(caseID) + "/reveal"},
		} {
			uid := w.Users[want.role].ID
			path := "/api/v1/audit?action=forbidden&per_page=100&actor_id=" + id(uid)
			found := false
			for page := int64(1); !found; page++ {
				r := auditor.do("GET", path+"&page="+id(page), nil)
				if r.Status != 200 {
					t.Fatalf("auditor GET %s&page=%d: %d %.300s; want 200", path, page, r.Status, r.Raw)
				}
				for _, ev := range r.items() {
					actor, _ := ev["actor_id"].(float64)
					s, _ := ev["summary"].(string)
					if ev["action"] == "forbidden" && int64(actor) == uid && strings.HasPrefix(s, want.summary+"：") {
						found = true
					}
				}
				if page*100 >= r.num("total") {
					break
				}
			}
			if !found {
				t.Errorf("auditor GET %s: no event of %s refused %q", path, want.role, want.summary)
			}
		}
		// The refusals were not for want of records: those whose work it
		// is reveal the same contact details.
		if r := office.do("POST", "/api/v1/cases/"+id(caseID)+"/reveal", reveal); r.Status != 200 || r.Body["phone"] != "13912340000" {
			t.Errorf("office POST /api/v1/cases/%d/reveal: %d %s; want 200 with the phone", caseID, r.Status, r.Raw)
		}
		if r := officea.do("POST", "/api/v1/diary/"+id(diaryID)+"/reveal", reveal); r.Status != 200 || r.Body["phone"] != "13905741234" {
			t.Errorf("officea POST /api/v1/diary/%d/reveal: %d %s; want 200 with the phone", diaryID, r.Status, r.Raw)
		}

		// The security administrator lifts a real lockout, and may do
		// nothing else to an account.
		for range 5 {
			e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "leader", "password": "wrong-Password1"})
		}
		if r := e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "leader", "password": storetest.Password}); r.Status != 401 {
			t.Fatalf("leader locked out logs in: %d %s; want 401", r.Status, r.Raw)
		}
		leaderPath := "/api/v1/users/" + id(w.Users["leader"].ID)
		if r := security.do("GET", leaderPath, nil); r.Status != 200 || r.Body["locked_until"] == nil {
			t.Errorf("security GET %s: %d %s; want 200 showing the lockout", leaderPath, r.Status, r.Raw)
		}
		for _, body := range []map[string]any{
			{"display_name": "区人大领导甲"},
			{"unlock": true, "display_name": "区人大领导甲"},
			{"active": false},
			{"unlock": true, "password": "Reset@2026pw-x"},
			{"roles": []map[string]any{{"role": "auditor"}}},
		} {
			body["version"] = version(leaderPath)
			r := security.do("PATCH", leaderPath, body)
			checkDuty(t, "security", "PATCH", fmt.Sprintf("%s %v", leaderPath, body), refused, 0, r)
		}
		if r := security.do("PATCH", leaderPath, map[string]any{"unlock": true, "version": version(leaderPath)}); r.Status != 200 {
			t.Errorf("security PATCH %s unlock: %d %s; want 200", leaderPath, r.Status, r.Raw)
		}
		if r := e.anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "leader", "password": storetest.Password}); r.Status != 200 {
			t.Errorf("leader logs in after the security administrator unlocked: %d %s; want 200", r.Status, r.Raw)
		}
		if r := admin.do("GET", leaderPath, nil); r.Body["display_name"] != "区人大领导" || r.Body["active"] != true {
			t.Errorf("leader after the security administrator's refused changes: %s; want unchanged", r.Raw)
		}
		if r := auditor.do("PATCH", leaderPath, map[string]any{"unlock": true, "version": version(leaderPath)}); r.Status != 403 || r.errCode() != "forbidden" {
			t.Errorf("auditor PATCH %s unlock: %d %s; want 403 forbidden", leaderPath, r.Status, r.Raw)
		}

		// Granting the administrator roles: each alone (CheckDuties), and
		// only by the system administrator.
		newUser := func(username string, roles ...map[string]any) map[string]any {
			return map[string]any{"username": username, "password": "Initial@2026pw", "display_name": username, "roles": roles}
		}
		if r := admin.do("POST", "/api/v1/users", newUser("twohats", map[string]any{"role": "system_admin"}, map[string]any{"role": "auditor"})); r.Status != 400 || r.errField() != "roles" {
			t.Errorf("admin POST /api/v1/users roles [system_admin auditor]: %d %s; want 400 at roles", r.Status, r.Raw)
		}
		if r := admin.do("POST", "/api/v1/users", newUser("auditclerk", map[string]any{"role": "auditor"}, map[string]any{"role": "liaison", "station_id": w.StationA.ID})); r.Status != 400 || r.errField() != "roles" {
			t.Errorf("admin POST /api/v1/users roles [auditor liaison]: %d %s; want 400 at roles", r.Status, r.Raw)
		}
		if r := admin.do("POST", "/api/v1/users", newUser("security2", map[string]any{"role": "security_admin"})); r.Status != 201 || r.num("id") == 0 {
			t.Errorf("admin POST /api/v1/users roles [security_admin]: %d %s; want 201", r.Status, r.Raw)
		}
		for _, role := range dutyRoles[1:] {
			if r := clients[role].do("POST", "/api/v1/users", newUser("auditor2-"+role, map[string]any{"role": "auditor"})); r.Status != 403 || r.errCode() != "forbidden" {
				t.Errorf("%s POST /api/v1/users roles [auditor]: %d %s; want 403 forbidden", role, r.Status, r.Raw)
			}
		}
		for _, role := range []string{"auditor", "security_admin", "system_admin"} {
			r := office.do("POST", "/api/v1/users", newUser("office-"+role, map[string]any{"role": role}))
			if r.Status != 400 && r.Status != 403 {
				t.Errorf("office (npc_office) POST /api/v1/users roles [%s]: %d %s; want 400 or 403 (refused)", role, r.Status, r.Raw)
			}
		}
		users := admin.do("GET", "/api/v1/users?per_page=100", nil)
		if users.Status != 200 || users.num("total") > 100 || len(users.items()) < len(w.Users) {
			t.Fatalf("admin GET /api/v1/users?per_page=100: %d %.300s; want every account", users.Status, users.Raw)
		}
		for _, u := range users.items() {
			if name, _ := u["username"].(string); strings.HasPrefix(name, "office-") || name == "twohats" || name == "auditclerk" || strings.HasPrefix(name, "auditor2-") {
				t.Errorf("admin GET /api/v1/users: account %q exists; want none made by a refused grant", name)
			}
		}

		// Every other route, beyond the table's representatives: the
		// security administrator and the auditor are refused whatever is
		// not their own account, the public site, the regions or their duty.
		open := func(op operation) bool {
			return op.tag == "auth" || op.tag == "meta" || op.tag == "public" || op.tag == "inbox" || op.tag == "regions"
		}
		duty := map[string]func(op operation) bool{
			"security": func(op operation) bool { return op.tag == "users" || op.path == "/api/v1/settings/security" },
			"auditor":  func(op operation) bool { return op.tag == "audit" || op.path == "/api/v1/settings/audit" },
		}
		fill := strings.NewReplacer("{id}", id(w.StationA.ID), "{aid}", "1", "{n}", "1", "{action}", "urge", "{deputy_id}", id(w.DeputyA1.ID),
			"{kind}", "orgs", "{year}", "2026", "{code}", "330206", "{tracking_code}", "X")
		swept := 0
		for _, op := range ops {
			if open(op) || op.path == "/api/v1/users/{id}" && op.method == "PATCH" || op.path == "/api/v1/users" && op.method == "POST" {
				continue // open to all; the users' writes are asserted above
			}
			path := fill.Replace(op.path)
			for _, role := range dutyRoles[1:] {
				r := clients[role].do(op.method, path, "{}")
				want := refused
				if duty[role](op) {
					want = allowed
				}
				checkDuty(t, role, op.method, path, want, 0, r)
			}
			swept++
		}
		if swept < 100 {
			t.Errorf("swept %d routes; the OpenAPI document lists %d — want the business routes among them", swept, len(ops))
		}

	})
}

// operation is one route as the OpenAPI document lists it.
type operation struct{ method, path, tag string }

// operations reads every route of the OpenAPI document, sorted.
func operations(t *testing.T, doc response) []operation {
	t.Helper()
	paths, _ := doc.Body["paths"].(map[string]any)
	if doc.Status != 200 || len(paths) == 0 {
		t.Fatalf("GET /api/v1/openapi.json: %d %.300s", doc.Status, doc.Raw)
	}
	var out []operation
	for path, p := range paths {
		for method, o := range p.(map[string]any) {
			tags, _ := o.(map[string]any)["tags"].([]any)
			if len(tags) == 0 {
				t.Fatalf("%s %s has no tag in the OpenAPI document", method, path)
			}
			out = append(out, operation{method: strings.ToUpper(method), path: path, tag: tags[0].(string)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].path != out[j].path {
			return out[i].path < out[j].path
		}
		return out[i].method < out[j].method
	})
	return out
}
