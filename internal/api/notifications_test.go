package api_test

import (
	"fmt"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The outbox for administrators: the list with attempts and last errors
// (phone numbers masked), counts, and the retry of a dead letter; 403 for
// everyone else.
func TestNotificationsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		sys := storetest.SystemContext()
		u, _ := db.FindUserByID(sys, e.w.Users["officea"].ID)
		phone := "13912345001"
		if _, err := db.UpdateUser(sys, u.ID, lianluo.UserUpdate{Phone: &phone, Version: u.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateCase(e.w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &e.w.StationA.ID,
			Title: "河道护栏倒塌", Content: "有落水危险。", RegionCode: "330206004", Urgent: true}); err != nil {
			t.Fatal(err)
		}
		// The text message fails for good; the in-app items are delivered.
		claimed, err := db.ClaimNotifications(t.Context(), 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var smsID int64
		for _, n := range claimed {
			if n.Channel == lianluo.ChannelSMS {
				smsID = n.ID
				if err := db.MarkFailed(t.Context(), n.ID, "短信网关：HTTP 500", db.Now(), true); err != nil {
					t.Fatal(err)
				}
			} else if err := db.MarkSent(t.Context(), n.ID); err != nil {
				t.Fatal(err)
			}
		}
		if smsID == 0 {
			t.Fatal("no text message queued for the office clerk with a phone")
		}

		for _, who := range []string{"office", "unit"} {
			c := e.as(t, who)
			for _, req := range []struct{ method, path string }{
				{"GET", "/api/v1/notifications"},
				{"GET", "/api/v1/notifications/counts"},
				{"POST", fmt.Sprintf("/api/v1/notifications/%d/retry", smsID)},
			} {
				if r := c.do(req.method, req.path, nil); r.Status != 403 || r.errCode() != "forbidden" {
					t.Errorf("%s %s as %s: %d %s; want 403", req.method, req.path, who, r.Status, r.Raw)
				}
			}
		}
		if r := e.anon.do("GET", "/api/v1/notifications", nil); r.Status != 401 {
			t.Errorf("anonymous list: %d", r.Status)
		}

		admin := e.as(t, "admin")
		r := admin.do("GET", "/api/v1/notifications?status=dead", nil)
		items, _ := r.Body["items"].([]any)
		if r.Status != 200 || r.num("total") != 1 || len(items) != 1 {
			t.Fatalf("dead letters: %d %s", r.Status, r.Raw)
		}
		dead := items[0].(map[string]any)
		if dead["phone"] != "139****5001" || dead["attempts"] != float64(1) || dead["last_error"] != "短信网关：HTTP 500" ||
			dead["channel"] != "sms" || dead["user_name"] != "大碶人大办" || dead["template"] != "case_urgent" {
			t.Errorf("dead letter = %v", dead)
		}
		if r := admin.do("GET", "/api/v1/notifications?status=lost", nil); r.Status != 400 || r.errField() != "status" {
			t.Errorf("status=lost: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("GET", "/api/v1/notifications?channel=inapp&per_page=1", nil); r.Status != 200 || r.num("total") != 2 {
			t.Errorf("in-app rows: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("GET", "/api/v1/notifications/counts", nil); r.Status != 200 || r.num("dead") != 1 || r.num("sent") != 2 || r.num("pending") != 0 {
			t.Errorf("counts: %d %s", r.Status, r.Raw)
		}

		if r := admin.do("POST", fmt.Sprintf("/api/v1/notifications/%d/retry", smsID), nil); r.Status != 204 {
			t.Fatalf("retry: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("POST", fmt.Sprintf("/api/v1/notifications/%d/retry", smsID), nil); r.Status != 409 {
			t.Errorf("retry of a pending row: %d %s; want 409", r.Status, r.Raw)
		}
		if r := admin.do("POST", "/api/v1/notifications/999999/retry", nil); r.Status != 404 {
			t.Errorf("retry of a missing row: %d %s; want 404", r.Status, r.Raw)
		}
		r = admin.do("GET", "/api/v1/notifications?status=pending", nil)
		items, _ = r.Body["items"].([]any)
		if r.num("total") != 1 || items[0].(map[string]any)["attempts"] != float64(0) {
			t.Errorf("after retry: %s", r.Raw)
		}
		if r := e.as(t, "auditor").do("GET", fmt.Sprintf("/api/v1/audit?entity=notification&entity_id=%d", smsID), nil); r.num("total") != 1 {
			t.Errorf("retry audit: %s", r.Raw)
		}
	})
}

// Every user reads and sets their own notification channels.
func TestNotificationPrefsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		c := e.as(t, "unit")
		r := c.do("GET", "/api/v1/auth/notification-prefs", nil)
		if r.Status != 200 || fmt.Sprint(r.Body["channels"]) != "[sms]" || fmt.Sprint(r.Body["available"]) != "[sms]" || r.Body["can_text"] != false {
			t.Fatalf("GET prefs: %d %s", r.Status, r.Raw)
		}
		for _, tc := range []struct {
			body  any
			field string
		}{
			{map[string]any{"email": "a@b.cn"}, "channels"},
			{map[string]any{"channels": []string{"email"}}, "email"},
			{map[string]any{"channels": []string{"email"}, "email": "li.si@example.gov.cn"}, "channels"}, // not delivered here
			{map[string]any{"channels": []string{"fax"}}, "channels"},
			{map[string]any{"channels": []string{}, "mood": "happy"}, "mood"},
		} {
			if r := c.do("PUT", "/api/v1/auth/notification-prefs", tc.body); r.Status != 400 || r.errField() != tc.field {
				t.Errorf("PUT %v: %d %s; want 400 on %s", tc.body, r.Status, r.Raw, tc.field)
			}
		}
		db.Channels = []string{lianluo.ChannelEmail}
		r = c.do("PUT", "/api/v1/auth/notification-prefs", map[string]any{"channels": []string{"email", "sms"}, "email": "li.si@example.gov.cn"})
		if r.Status != 200 || fmt.Sprint(r.Body["channels"]) != "[sms email]" || r.Body["email"] != "li.si@example.gov.cn" {
			t.Fatalf("PUT prefs: %d %s", r.Status, r.Raw)
		}
		// What GET returns can be sent back.
		got := c.do("GET", "/api/v1/auth/notification-prefs", nil)
		got.Body["channels"] = []string{}
		if r := c.do("PUT", "/api/v1/auth/notification-prefs", got.Body); r.Status != 200 || fmt.Sprint(r.Body["channels"]) != "[]" {
			t.Errorf("PUT of the GET shape: %d %s", r.Status, r.Raw)
		}
		if r := e.anon.do("GET", "/api/v1/auth/notification-prefs", nil); r.Status != 401 {
			t.Errorf("anonymous prefs: %d", r.Status)
		}
	})
}
