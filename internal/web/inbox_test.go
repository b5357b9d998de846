package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

var inboxLinkRe = regexp.MustCompile(`href="/console/inbox/(\d+)"`)

// inboxIDs are the messages a page links to, in order.
func inboxIDs(body string) []int64 {
	var out []int64
	for _, m := range inboxLinkRe.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// headerCount is the unread count the header shows ("" for none).
var headerCountRe = regexp.MustCompile(`id="inbox-count"[^>]*>消息(?:<span class="badge">(\d+)</span>)?`)

func headerCount(t *testing.T, res response) string {
	t.Helper()
	m := headerCountRe.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no message count in the header\n%s", clip(res.Body))
	}
	return m[1]
}

// publishActivity invites dep1 and dep2 to a published activity, which
// sends each an in-app notice.
func publishActivity(t *testing.T, f *fixture) *lianluo.Activity {
	t.Helper()
	office := f.as(t, "dqclerk")
	x, err := f.db.CreateActivity(office, lianluo.ActivityInput{Kind: "inspection", Title: "视察老旧小区改造", StationID: &f.dqStation.ID,
		StartsAt: "2026-03-20T09:00+08:00", EndsAt: "2026-03-20T11:30+08:00", DeputyIDs: []int64{f.dep1.ID, f.dep2.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if x, err = f.db.PublishActivity(office, x.ID, x.Version); err != nil {
		t.Fatal(err)
	}
	return x
}

func TestInboxPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		deputy, clerk := f.loggedIn(t, "wangxy"), f.loggedIn(t, "dqclerk")
		// Every console page carries the count, for every role.
		for _, path := range []string{"/console/", "/console/cases", "/console/stations", "/console/password", "/console/inbox"} {
			if got := headerCount(t, clerk.get(path)); got != "" {
				t.Errorf("clerk's header on %s: %q unread; want none", path, got)
			}
		}
		res := deputy.get("/console/inbox")
		wantStatus(t, "empty inbox", res, http.StatusOK)
		wantBody(t, "empty inbox", res, "还没有消息")
		wantNoBody(t, "empty inbox", res, "全部标为已读")

		x := publishActivity(t, f)
		for _, path := range []string{"/console/", "/console/cases", "/console/diary", "/console/me"} {
			if got := headerCount(t, deputy.get(path)); got != "1" {
				t.Errorf("deputy's header on %s: %q unread; want 1", path, got)
			}
		}
		res = deputy.get("/console/inbox")
		wantBody(t, "inbox", res, `class="msg unread"`, "视察老旧小区改造", "全部标为已读", "1条未读")
		ids := inboxIDs(res.Body)
		if len(ids) != 1 {
			t.Fatalf("inbox links %v; want one message", ids)
		}
		msg := fmt.Sprintf("/console/inbox/%d", ids[0])

		// Another user's message is not found, and stays unread.
		wantStatus(t, "the clerk opens the deputy's message", clerk.get(msg), http.StatusNotFound)
		if got := headerCount(t, deputy.get("/console/")); got != "1" {
			t.Errorf("after another user tried it: %q unread; want 1", got)
		}

		// Opening it reads it; it links to the activity.
		res = deputy.get(msg)
		wantStatus(t, "open the message", res, http.StatusOK)
		wantBody(t, "open the message", res, "视察老旧小区改造", fmt.Sprintf(`href="/console/activities/%d"`, x.ID), "查看这项活动")
		if got := headerCount(t, res); got != "" {
			t.Errorf("header on the opened message: %q unread; want none", got)
		}
		res = deputy.get("/console/inbox")
		wantBody(t, "inbox after reading", res, `class="msg"`)
		wantNoBody(t, "inbox after reading", res, `class="msg unread"`, "全部标为已读")
		wantBody(t, "unread only", deputy.get("/console/inbox?unread=1"), "没有未读消息")
		wantStatus(t, "a message that does not exist", deputy.get("/console/inbox/999999"), http.StatusNotFound)
		wantStatus(t, "a bad id", deputy.get("/console/inbox/x"), http.StatusNotFound)
	})
}

// TestInboxReadAll: the unit handler's notice of an assigned case links to
// the case; 全部标为已读 posts, redirects and clears the count.
func TestInboxReadAll(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		liaison, leader, unit := f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqleader"), f.loggedIn(t, "dqunit")
		id := f.register(t, liaison, "小区路灯不亮")
		mustAct(t, liaison, id, "triage", url.Values{"outcome": {"forward"}})
		mustAct(t, leader, id, "approve", url.Values{"lead_unit_id": {strconv.FormatInt(f.dqUnit.ID, 10)}, "comment": {"请街道办尽快修复"}})

		res := unit.get("/console/inbox")
		n := len(inboxIDs(res.Body))
		if n == 0 {
			t.Fatalf("the unit has no message about the assigned case\n%s", clip(res.Body))
		}
		if got := headerCount(t, res); got != strconv.Itoa(n) {
			t.Errorf("header: %q unread; want %d", got, n)
		}
		res = unit.get(fmt.Sprintf("/console/inbox/%d", inboxIDs(res.Body)[0]))
		wantBody(t, "the case's message", res, fmt.Sprintf(`href="/console/cases/%d"`, id))

		wantStatus(t, "read all by GET", unit.get("/console/inbox/read-all"), http.StatusNotFound)
		res = unit.post("/console/inbox/read-all", url.Values{})
		wantStatus(t, "read all", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/console/inbox?ok=read" {
			t.Errorf("read all: redirect to %q", loc)
		}
		res = unit.get("/console/inbox?ok=read")
		wantBody(t, "after read all", res, "消息已全部标为已读")
		wantNoBody(t, "after read all", res, `class="msg unread"`)
		if got := headerCount(t, res); got != "" {
			t.Errorf("header after read all: %q unread; want none", got)
		}
	})
}
