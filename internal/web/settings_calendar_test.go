package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The holiday calendar page: an administrator pastes the State Council's
// notice, previews the year as a calendar (nothing saved), saves with the
// version shown (303), and bad text is refused naming its line.
func TestCalendarSettings(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		if res := f.loggedIn(t, "dqclerk").get("/console/settings/calendar?year=2027"); res.Status != http.StatusForbidden {
			t.Errorf("clerk opens the calendar: %d", res.Status)
		}
		if res := f.loggedIn(t, "dqclerk").post("/console/settings/calendar", url.Values{"year": {"2027"}, "text": {"2027-01-01 放假 元旦"}}); res.Status != http.StatusForbidden {
			t.Errorf("clerk saves the calendar: %d", res.Status)
		}
		admin := f.loggedIn(t, "admin")
		wantBody(t, "menu", admin.get("/console/"), `href="/console/settings/calendar"`, "节假日安排")
		// A shipped year shows as a calendar with its days marked.
		wantBody(t, "2026", admin.get("/console/settings/calendar?year=2026"),
			"节假日安排 · 2026年", `<caption>10月</caption>`, `title="国庆节 放假"`, `title="国庆节 调休上班"`, "2026-10-10 上班 国庆节")
		page := admin.get("/console/settings/calendar?year=2027")
		wantBody(t, "2027 empty", page, "2027年的放假安排尚未录入", `name="version"`)
		version := lianluo.CalendarVersion(nil)

		notice := "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月9日（周六）上班。\n二、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"
		form := url.Values{"year": {"2027"}, "text": {notice}, "version": {version}}
		wantBody(t, "preview", admin.post("/console/settings/calendar/preview", form),
			"预览，尚未保存", "工作日放假6天，周末调休上班3天", `title="元旦 放假"`, `title="国庆节 调休上班"`, `formaction="/console/settings/calendar"`)
		if days, _ := f.db.CalendarDays(f.as(t, "admin"), 2027); len(days) != 0 {
			t.Fatalf("preview saved %d days", len(days))
		}

		bad := url.Values{"year": {"2027"}, "text": {"一、元旦：1月1日放假。\n二、春节：2月30日放假。"}, "version": {version}}
		for _, path := range []string{"/console/settings/calendar/preview", "/console/settings/calendar"} {
			res := admin.post(path, bad)
			wantStatus(t, "bad "+path, res, http.StatusBadRequest)
			wantBody(t, "bad "+path, res, "第2行", "2027年没有2月30日", `aria-invalid="true"`)
		}

		res := admin.post("/console/settings/calendar", form)
		wantStatus(t, "save", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/console/settings/calendar?year=2027&ok=saved" {
			t.Errorf("save Location = %q", loc)
		}
		days, err := f.db.CalendarDays(f.as(t, "admin"), 2027)
		if err != nil || len(days) != 13 {
			t.Fatalf("saved 2027 = %d days, %v; want 13", len(days), err)
		}
		wantBody(t, "saved", admin.get("/console/settings/calendar?year=2027&ok=saved"), "2027年的节假日安排已保存，共13天")

		// Saving again from the page shown before the first save is refused.
		res = admin.post("/console/settings/calendar", url.Values{"year": {"2027"}, "text": {"2027-01-01 放假 元旦"}, "version": {version}})
		wantStatus(t, "stale", res, http.StatusConflict)
		wantBody(t, "stale", res, "已被他人修改", "重新载入最新内容")
		if days, _ := f.db.CalendarDays(f.as(t, "admin"), 2027); len(days) != 13 {
			t.Errorf("stale save changed 2027 to %d days", len(days))
		}
	})
}

// The real 2026 notice, pasted into the page, previews what is shipped.
func TestCalendarSettingsNotice(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.MustOpen(t, sqlstore.SQLite))
	text, err := os.ReadFile("../holidays/testdata/notice_2026.txt")
	if err != nil {
		t.Fatal(err)
	}
	res := f.loggedIn(t, "admin").post("/console/settings/calendar/preview", url.Values{"year": {"2026"}, "text": {string(text)}})
	wantBody(t, "preview 2026", res, "预览，尚未保存")
	if !strings.Contains(res.Body, "2026-02-28 调休上班 春节") {
		t.Errorf("preview lacks 2026-02-28 调休上班 春节")
	}
}
