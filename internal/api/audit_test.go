package api_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func summaries(t *testing.T, db *sqlstore.DB, action lianluo.AuditAction) []string {
	t.Helper()
	evs, _, err := db.FindEvents(storetest.SystemContext(), lianluo.EventFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Summary)
	}
	return out
}

// GET /api/v1/audit/verify reports the chain (administrators only); an
// attachment download, an export and a refused request are events.
func TestAuditVerifyAndAccessEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		liaison := e.as(t, "liaisona")
		id := registerCase(t, liaison, map[string]any{
			"kind": "opinion", "channel": "visit", "station_id": e.w.StationA.ID, "title": "小区路灯不亮",
			"content": "小区路灯不亮，请尽快处理。", "category": "城乡建设", "region_code": "330206004",
			"submitter": map[string]any{"name": "张三", "phone": "13912340000"}, "received_by": []int64{e.w.DeputyA1.ID},
		})
		att, err := db.AddAttachment(e.w.As(t, "liaisona"), id, "来信.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		if r := liaison.do("GET", fmt.Sprintf("/api/v1/cases/%d/attachments/%d", id, att.ID), nil); r.Status != 200 {
			t.Fatalf("download: %d %s", r.Status, r.Raw)
		}
		if got, want := summaries(t, db, lianluo.AuditDownload), fmt.Sprintf("下载附件“来信.pdf”（附件 %d）", att.ID); len(got) != 1 || got[0] != want {
			t.Errorf("download events = %q; want [%q]", got, want)
		}
		office := e.as(t, "office")
		if r := office.do("GET", "/api/v1/exports/stations", nil); r.Status != 200 {
			t.Fatalf("export: %d %s", r.Status, r.Raw)
		}
		if r := office.do("GET", "/api/v1/stats/cases.xlsx?period=2026Q1", nil); r.Status != 200 {
			t.Fatalf("stats export: %d %s", r.Status, r.Raw)
		}
		exports := strings.Join(summaries(t, db, lianluo.AuditExport), "\n")
		for _, want := range []string{"导出联络站（Excel，", "意见办理统计"} {
			if !strings.Contains(exports, want) {
				t.Errorf("export events = %q; want one with %q", exports, want)
			}
		}

		if r := liaison.do("GET", "/api/v1/audit/verify", nil); r.Status != 403 {
			t.Errorf("liaison verifies: %d %s", r.Status, r.Raw)
		}
		if got := summaries(t, db, lianluo.AuditForbidden); len(got) != 1 || !strings.HasPrefix(got[0], "GET /api/v1/audit/verify：") {
			t.Errorf("forbidden events = %q", got)
		}
		r := e.as(t, "auditor").do("GET", "/api/v1/audit/verify", nil)
		_, head, err := db.AuditHead(storetest.SystemContext())
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != 200 || r.Body["ok"] != true || r.num("events") < 10 || r.Body["first_bad_id"] != nil || len(r.Body["head"].(string)) != 64 {
			t.Errorf("verify: %d %s", r.Status, r.Raw)
		}
		// Verifying writes nothing: the head answered is the head after it.
		if r.Body["head"] != head {
			t.Errorf("head = %v; want %s", r.Body["head"], head)
		}
	})
}

// The audit retention is at least 180 days: less is a field error.
func TestAuditRetentionSetting(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		admin := e.as(t, "auditor")
		if r := admin.do("GET", "/api/v1/settings/audit", nil); r.Status != 200 || r.num("audit_retention_days") != 180 {
			t.Errorf("default: %d %s", r.Status, r.Raw)
		}
		r := admin.do("PUT", "/api/v1/settings/audit", map[string]any{"audit_retention_days": 179})
		if r.Status != 400 || r.errField() != "audit_retention_days" || !strings.Contains(string(r.Raw), "不能少于180天") {
			t.Errorf("179 days: %d %s", r.Status, r.Raw)
		}
		if r := e.as(t, "office").do("PUT", "/api/v1/settings/audit", map[string]any{"audit_retention_days": 365}); r.Status != 403 {
			t.Errorf("office sets: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("PUT", "/api/v1/settings/audit", map[string]any{"audit_retention_days": 365}); r.Status != 200 {
			t.Errorf("365 days: %d %s", r.Status, r.Raw)
		}
		if r := admin.do("GET", "/api/v1/settings/audit", nil); r.num("audit_retention_days") != 365 {
			t.Errorf("after the change: %s", r.Raw)
		}
	})
}
