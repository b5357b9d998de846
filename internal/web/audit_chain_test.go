package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore/storetest"
)

// eventsOf returns the summaries of the events with the action.
func eventsOf(t *testing.T, f *fixture, action lianluo.AuditAction) []string {
	t.Helper()
	evs, _, err := f.db.FindEvents(storetest.SystemContext(), lianluo.EventFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Summary)
	}
	return out
}

// Downloads, exports and refused requests are on the record, and the audit
// page shows the chain's head and, asked, the verification.
func TestAuditRecordsAccessAndVerifies(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		liaison := f.loggedIn(t, "dqliaison")
		id := f.register(t, liaison, "小区路灯不亮")
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		res := liaison.uploadFiles(fmt.Sprintf("/console/cases/%d/attachments", id), upfile{"来信.pdf", pdf})
		wantStatus(t, "upload", res, http.StatusSeeOther)
		atts, err := f.db.FindAttachments(storetest.SystemContext(), id)
		if err != nil || len(atts) != 1 {
			t.Fatalf("attachments = %v, %v", atts, err)
		}
		wantStatus(t, "download", liaison.get(fmt.Sprintf("/console/cases/%d/attachments/%d", id, atts[0].ID)), http.StatusOK)
		if got, want := eventsOf(t, f, lianluo.AuditDownload), fmt.Sprintf("下载附件“来信.pdf”（附件 %d）", atts[0].ID); len(got) != 1 || got[0] != want {
			t.Errorf("download events = %q; want [%q]", got, want)
		}

		clerk := f.loggedIn(t, "dqclerk")
		wantStatus(t, "stats export", clerk.get("/console/stats.xlsx?period=2026Q1"), http.StatusOK)
		wantStatus(t, "deputies export", clerk.get("/console/sheets/deputies/export"), http.StatusOK)
		wantStatus(t, "attendance export", clerk.get("/console/attendance.xlsx?year=2026"), http.StatusOK)
		exports := strings.Join(eventsOf(t, f, lianluo.AuditExport), "\n")
		for _, want := range []string{"意见办理统计", "导出代表（Excel，", "出勤情况（Excel）"} {
			if !strings.Contains(exports, want) {
				t.Errorf("export events = %q; want one with %q", exports, want)
			}
		}

		wantStatus(t, "clerk audit", clerk.get("/console/audit"), http.StatusForbidden)
		if got := eventsOf(t, f, lianluo.AuditForbidden); len(got) != 1 || !strings.HasPrefix(got[0], "GET /console/audit：") {
			t.Errorf("forbidden events = %q; want the clerk's GET /console/audit", got)
		}

		admin := f.loggedIn(t, "auditor")
		res = admin.get("/console/audit")
		wantStatus(t, "audit", res, http.StatusOK)
		_, head, err := f.db.AuditHead(storetest.SystemContext())
		if err != nil {
			t.Fatal(err)
		}
		wantBody(t, "audit", res, "完整性校验", head, "校验全部记录", "越权访问被拒绝", "下载")
		wantNoBody(t, "audit", res, `id="audit-check"`)
		res = admin.get("/console/audit?verify=1")
		wantBody(t, "audit verified", res, `id="audit-check"`, "校验通过")

		// The retention: at least 180 days.
		wantBody(t, "audit", res, `name="audit_retention_days" type="number" min="180" value="180"`)
		res = admin.post("/console/audit/settings", url.Values{"audit_retention_days": {"179"}})
		wantStatus(t, "179 days", res, http.StatusBadRequest)
		wantBody(t, "179 days", res, "不能少于180天", `value="179"`)
		res = admin.post("/console/audit/settings", url.Values{"audit_retention_days": {"400"}})
		wantStatus(t, "400 days", res, http.StatusSeeOther)
		if s, err := f.db.AuditSettings(storetest.SystemContext()); err != nil || s.RetentionDays != 400 {
			t.Errorf("AuditSettings = %+v, %v; want 400 days", s, err)
		}
	})
}
