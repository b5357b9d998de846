package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// clock is a settable clock shared by the store and the pages.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time { return time.Unix(0, c.ns.Load()).In(lianluo.Beijing) }

// set moves the clock to a Beijing time "2006-01-02 15:04".
func (c *clock) set(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lianluo.Beijing)
	if err != nil {
		panic(err)
	}
	c.ns.Store(t.UnixNano())
}

// clockedFixture is a fixture whose store and pages read one settable
// clock, starting at storetest.Now.
func clockedFixture(t *testing.T, db *sqlstore.DB) (*fixture, *clock) {
	c := &clock{}
	c.ns.Store(storetest.Now.UnixNano())
	storetest.ClockOf(db).Set(c.now)
	return newFixture(t, db), c
}

func (c *client) uploadAs(path, field, name string, data []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile(field, name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

// formVersionIn is the version of the form posting to action on a page.
func formVersionIn(t *testing.T, body, action string) string {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s\n%s", action, clip(body))
	}
	m := versionRe.FindStringSubmatch(body[i:])
	if m == nil {
		t.Fatalf("no version in the form posting to %s", action)
	}
	return m[1]
}

// weeklyRota publishes a rota of every Monday 09:00–11:00 at 大碶 for 2026
// (the first session is 2026-03-09; both deputies take every turn; rule
// adds to the rule) and lists its sessions.
func weeklyRota(t *testing.T, f *fixture, rule ...func(*lianluo.ReceptionRule)) []*lianluo.Reception {
	t.Helper()
	office := f.as(t, "dqclerk")
	r := &lianluo.ReceptionRule{StationID: f.dqStation.ID, RRule: "FREQ=WEEKLY;BYDAY=MO", Start: "09:00", End: "11:00"}
	for _, set := range rule {
		set(r)
	}
	if err := f.db.CreateReceptionRule(office, r); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.GenerateRota(office, f.dqStation.ID, 2026); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.PublishRota(office, f.dqStation.ID, 2026); err != nil {
		t.Fatal(err)
	}
	return f.sessions(t, f.dqStation.ID)
}

// sessions lists the fixture station's sessions of 2026, as the system sees them.
func (f *fixture) sessions(t *testing.T, stationID int64) []*lianluo.Reception {
	t.Helper()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	list, _, err := f.db.FindReceptions(storetest.SystemContext(), lianluo.ReceptionFilter{StationID: stationID, From: &from, Page: lianluo.AllRows()})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var oddMonths = url.Values{"pattern": {"odd"}, "day": {"15"}, "weekday": {"MO"}, "nth": {"1"}, "start": {"09:00"}, "end": {"11:00"},
	"on_holiday": {"next_workday"}, "form": {"fixed"}, "theme": {""}, "per_session": {"2"}, "year": {"2026"}}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestReceptionRotaPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, _ := clockedFixture(t, db)
		clerk := f.loggedIn(t, "dqclerk")
		rota := fmt.Sprintf("/console/stations/%d/receptions", f.dqStation.ID)

		res := clerk.get(rota)
		wantStatus(t, "empty rota page", res, 200)
		wantBody(t, "empty rota page", res, "还没有接待规则", "新增接待规则")
		wantBody(t, "station page", clerk.get(fmt.Sprintf("/console/stations/%d", f.dqStation.ID)), `href="`+rota+`"`)
		wantBody(t, "nav", res, `href="/console/receptions"`, "接待安排")

		// Bad rules are shown next to their fields.
		for _, tc := range []struct {
			form  url.Values
			field string
		}{
			{with(oddMonths, "pattern", "daily"), "pattern"},
			{with(oddMonths, "pattern", "nth", "nth", "5"), "nth"},
			{with(oddMonths, "pattern", "weekly", "weekday", "XX"), "weekday"},
			{with(oddMonths, "start", "11:00", "end", "09:00"), "end"},
			{with(oddMonths, "per_session", "1"), "per_session"},
		} {
			res := clerk.post(fmt.Sprintf("/console/stations/%d/reception-rules", f.dqStation.ID), tc.form)
			wantStatus(t, "bad rule "+tc.field, res, 400)
			if _, ok := fieldErrors(res.Body)[tc.field]; !ok {
				t.Errorf("bad rule: no error at %s: %v", tc.field, fieldErrors(res.Body))
			}
		}
		// 000: 每单月十五日上午 9:00–11:00, from a plain form.
		res = clerk.post(fmt.Sprintf("/console/stations/%d/reception-rules", f.dqStation.ID), oddMonths)
		wantStatus(t, "add rule", res, 303)
		res = clerk.get(rota + "?year=2026")
		wantBody(t, "rules", res, "每年1、3、5、7、9、11月15日 09:00–11:00，遇节假日顺延至下一个工作日", "生成2026年轮值表")
		rules, err := db.FindReceptionRules(f.as(t, "dqclerk"), f.dqStation.ID)
		if err != nil || len(rules) != 1 || rules[0].RRule != "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15" {
			t.Fatalf("rules = %v, %v", rules, err)
		}
		// The edit form shows the rule as it was entered.
		if !strings.Contains(res.Body, `<option value="odd" selected>`) {
			t.Errorf("the edit form does not show the pattern")
		}
		ruleAction := fmt.Sprintf("/console/reception-rules/%d", rules[0].ID)
		edit := with(oddMonths, "form", "theme", "theme", "民生实事", "version", "1", "station_id", fmt.Sprint(f.dqStation.ID))
		wantStatus(t, "edit rule", clerk.post(ruleAction, edit), 303)
		res = clerk.post(ruleAction, edit)
		wantStatus(t, "stale rule edit", res, 409)
		wantBody(t, "stale rule edit", res, "重新载入")

		// Generate: the dates, the move off a Sunday, the deputies.
		// A successful POST redirects to the rota page, so a reload does not generate again.
		res = clerk.post(fmt.Sprintf("/console/stations/%d/rota", f.dqStation.ID), url.Values{"year": {"2026"}})
		wantStatus(t, "generate", res, 303)
		if got, want := res.Header.Get("Location"), rota+"?year=2026&ok=generated"; got != want {
			t.Errorf("generate: Location = %q; want %q", got, want)
		}
		res = clerk.get(res.Header.Get("Location"))
		wantBody(t, "generate", res, "轮值表已生成", "（5次）", "3月16日（周一）", "原定3月15日，遇节假日顺延", "王秀英、李建国", "未发布", "发布（5次未发布）")
		// A liaison sees the rota but not the buttons.
		liaison := f.loggedIn(t, "dqliaison")
		res = liaison.get(rota + "?year=2026")
		wantStatus(t, "liaison's rota", res, 200)
		wantNoBody(t, "liaison's rota", res, "rota-generate", "新增接待规则")
		wantStatus(t, "liaison generates", liaison.post(fmt.Sprintf("/console/stations/%d/rota", f.dqStation.ID), url.Values{"year": {"2026"}}), 403)

		res = clerk.post(fmt.Sprintf("/console/stations/%d/rota/publish", f.dqStation.ID), url.Values{"year": {"2026"}})
		wantStatus(t, "publish", res, 303)
		if got, want := res.Header.Get("Location"), rota+"?year=2026&ok=published"; got != want {
			t.Errorf("publish: Location = %q; want %q", got, want)
		}
		res = clerk.get(rota + "?year=2026&ok=published")
		wantBody(t, "published", res, "轮值表已发布", "已发布", "满足每次至少2名代表")
		res = clerk.post(fmt.Sprintf("/console/stations/%d/rota/publish", f.dqStation.ID), url.Values{"year": {"2026"}})
		wantStatus(t, "publish twice", res, 409)
		wantBody(t, "publish twice", res, "没有待发布的接待安排")

		// The office takes a deputy off a session: the rota page says so in plain words.
		s := f.sessions(t, f.dqStation.ID)[1]
		page := clerk.get(fmt.Sprintf("/console/receptions/%d", s.ID))
		wantStatus(t, "session page", page, 200)
		wantBody(t, "session page", page, "调整本次接待", "王秀英", "李建国", "登记本次接待的意见",
			fmt.Sprintf(`/console/cases/new?station_id=%d&amp;reception_id=%d`, f.dqStation.ID, s.ID))
		action := fmt.Sprintf("/console/receptions/%d/edit", s.ID)
		v := formVersionIn(t, page.Body, action)
		move := url.Values{"version": {v}, "deputy_ids": {fmt.Sprint(f.dep1.ID)}, "date": {"2026-05-18"}, "start": {"14:30"}, "end": {"16:30"}, "form": {"fixed"}, "theme": {""}}
		wantStatus(t, "adjust", clerk.post(action, move), 303)
		res = clerk.post(action, move)
		wantStatus(t, "stale adjust", res, 409)
		move.Set("version", fmt.Sprint(s.Version+1))
		move.Set("date", "2026-02-01")
		res = clerk.post(action, move)
		wantStatus(t, "move into the past", res, 400)
		if fieldErrors(res.Body)["starts_at"] == "" {
			t.Errorf("moving into the past: no error at the date: %v", fieldErrors(res.Body))
		}
		res = clerk.get(rota + "?year=2026")
		wantBody(t, "rota after adjusting", res, "5月18日（周一）", "14:30–16:30", "人数不足", "处不符合要求")

		// Another town's station is not found.
		wantStatus(t, "another town", clerk.get(fmt.Sprintf("/console/stations/%d/receptions", f.xgStation.ID)), 404)
		wantStatus(t, "another town's rule", clerk.post(fmt.Sprintf("/console/stations/%d/reception-rules", f.xgStation.ID), oddMonths), 404)

		// The sign-in code and its poster.
		res = clerk.get(fmt.Sprintf("/console/stations/%d/signin-qr.png", f.dqStation.ID))
		if res.Status != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(res.Body, "\x89PNG") {
			t.Errorf("sign-in QR: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		res = clerk.get(fmt.Sprintf("/console/stations/%d/signin-poster", f.dqStation.ID))
		wantStatus(t, "poster", res, 200)
		wantBody(t, "poster", res, "人大代表签到码", f.dqStation.Name, fmt.Sprintf("/console/signin/%d", f.dqStation.ID))

		// Retire the rule.
		page = clerk.get(rota)
		v = formVersionIn(t, page.Body, ruleAction+"/active")
		wantStatus(t, "retire", clerk.post(ruleAction+"/active", url.Values{"version": {v}, "active": {"0"}, "year": {"2026"}}), 303)
		wantBody(t, "retired", clerk.get(rota+"?ok=rule_off"), "接待规则已停用", "停用")
	})
}

func TestReceptionSessionPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, clk := clockedFixture(t, db)
		list := weeklyRota(t, f) // every Monday morning; the first is 2026-03-09
		first, second := list[0], list[1]
		signin := fmt.Sprintf("/console/signin/%d", f.dqStation.ID)

		// Not logged in: the sign-in code leads to the login and back.
		anon := f.client(t)
		res := anon.get(signin)
		wantStatus(t, "anonymous sign-in", res, 303)
		if got, want := res.Header.Get("Location"), "/console/login?next="+url.QueryEscape(signin); got != want {
			t.Errorf("Location = %q; want %q", got, want)
		}

		// 我的接待: the turns, the calendar link, leave.
		deputy := f.loggedIn(t, "wangxy")
		res = deputy.get("/console/receptions")
		wantStatus(t, "a deputy's 接待安排", res, 303)
		res = deputy.get("/console/my-receptions")
		wantStatus(t, "my receptions", res, 200)
		wantBody(t, "my receptions", res, "即将到来的接待", "3月9日（周一）", "不能参加？请假", "设置”→“日历”→“账户", "/ical/")
		feed := regexp.MustCompile(`value="(http://[^"]+/ical/[0-9a-f]+\.ics)"`).FindStringSubmatch(res.Body)
		if feed == nil {
			t.Fatalf("no calendar link on 我的接待")
		}
		cal := f.client(t).get(strings.TrimPrefix(feed[1], f.srv.URL))
		if cal.Status != 200 || cal.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
			!strings.Contains(cal.Body, "X-WR-CALNAME:王秀英的代表活动\r\n") || !strings.Contains(cal.Body, "DTSTART:20260309T010000Z\r\n") {
			t.Errorf("feed: %d %s\n%.600s", cal.Status, cal.Header.Get("Content-Type"), cal.Body)
		}
		wantStatus(t, "a wrong feed", f.client(t).get("/ical/"+strings.Repeat("0", 40)+".ics"), 404)

		// Outside the window, and at another station: a plain message.
		res = deputy.get(signin)
		wantStatus(t, "sign-in page before the session", res, 200)
		wantBody(t, "sign-in page before the session", res, "没有需要签到的接待", "签到只能在接待开始前30分钟到结束之间")
		wantNoBody(t, "sign-in page before the session", res, `id="signin-button"`)
		wantBody(t, "another station's code", deputy.get(fmt.Sprintf("/console/signin/%d", f.xgStation.ID)), "没有需要签到的接待")
		wantBody(t, "staff at the sign-in page", f.loggedIn(t, "dqliaison").get(signin), "只有代表本人可以扫码签到")

		// Leave for the second session, asked from 我的接待.
		wantStatus(t, "leave", deputy.post(fmt.Sprintf("/console/receptions/%d/leave", second.ID), url.Values{"reason": {"在外地参加培训"}, "back": {"mine"}}), 303)
		res = deputy.post(fmt.Sprintf("/console/receptions/%d/leave", second.ID), url.Values{"reason": {"再请一次"}})
		wantStatus(t, "leave twice", res, 409)
		res = deputy.post(fmt.Sprintf("/console/receptions/%d/leave", first.ID), url.Values{"reason": {""}})
		wantStatus(t, "leave without a reason", res, 400)
		if fieldErrors(res.Body)["reason"] == "" {
			t.Errorf("no error at the reason: %v", fieldErrors(res.Body))
		}
		clerk := f.loggedIn(t, "dqclerk")
		page := clerk.get(fmt.Sprintf("/console/receptions/%d", second.ID))
		wantBody(t, "pending leave", page, "待审批：在外地参加培训", "批准请假")
		liaison := f.loggedIn(t, "dqliaison")
		wantStatus(t, "a liaison decides leave", liaison.post(fmt.Sprintf("/console/receptions/%d/leave/%d", second.ID, f.dep1.ID), url.Values{"approve": {"1"}}), 403)
		wantStatus(t, "approve leave", clerk.post(fmt.Sprintf("/console/receptions/%d/leave/%d", second.ID, f.dep1.ID), url.Values{"approve": {"1"}}), 303)
		wantBody(t, "approved", clerk.get(fmt.Sprintf("/console/receptions/%d?ok=decided", second.ID)), "已批准：在外地参加培训", "请假审批已完成")

		// In the window the deputy signs in on the sign-in page.
		clk.set("2026-03-09 08:40")
		deputy, clerk, liaison = f.loggedIn(t, "wangxy"), f.loggedIn(t, "dqclerk"), f.loggedIn(t, "dqliaison")
		res = deputy.get(signin)
		wantBody(t, "sign-in page in the window", res, `id="signin-button"`, "2026年3月9日（周一）", "09:00–11:00")
		res = deputy.post(fmt.Sprintf("/console/receptions/%d/signin", first.ID), url.Values{"station_id": {fmt.Sprint(f.dqStation.ID)}})
		wantStatus(t, "sign in", res, 303)
		res = deputy.get(res.Header.Get("Location"))
		wantBody(t, "signed in", res, "签到成功", "已签到", "08:40")
		res = deputy.post(fmt.Sprintf("/console/receptions/%d/signin", first.ID), url.Values{"station_id": {fmt.Sprint(f.dqStation.ID)}})
		wantStatus(t, "sign in twice", res, 409)
		wantBody(t, "sign in twice", res, "您已经签到过了")
		wantStatus(t, "a liaison signs in", liaison.post(fmt.Sprintf("/console/receptions/%d/signin", first.ID), url.Values{}), 409)

		// The liaison marks the deputy without an account and keeps the record.
		wantStatus(t, "mark", liaison.post(fmt.Sprintf("/console/receptions/%d/attendance", first.ID), url.Values{"deputy_id": {fmt.Sprint(f.dep2.ID)}, "attendance": {"present"}}), 303)
		wantStatus(t, "a unit marks", f.loggedIn(t, "dqunit").post(fmt.Sprintf("/console/receptions/%d/attendance", first.ID), url.Values{"deputy_id": {fmt.Sprint(f.dep2.ID)}, "attendance": {"present"}}), 404)
		clk.set("2026-03-09 10:30")
		liaison, clerk = f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqclerk")
		page = liaison.get(fmt.Sprintf("/console/receptions/%d", first.ID))
		wantBody(t, "session in progress", page, "保存接待记录", "工作人员登记", "本人扫码签到")
		recAction := fmt.Sprintf("/console/receptions/%d/record", first.ID)
		v := formVersionIn(t, page.Body, recAction)
		res = liaison.post(recAction, url.Values{"version": {v}, "visitors": {"6"}, "minutes": {"反映加装电梯等问题。"}, "satisfied": {"9"}})
		wantStatus(t, "too many ratings", res, 400)
		if fieldErrors(res.Body)["satisfied"] == "" {
			t.Errorf("no error at satisfied: %v", fieldErrors(res.Body))
		}
		wantStatus(t, "record", liaison.post(recAction, url.Values{"version": {v}, "visitors": {"6"}, "minutes": {"反映加装电梯等问题。"}, "satisfied": {"5"}, "basically_satisfied": {"1"}, "unsatisfied": {"0"}}), 303)
		wantStatus(t, "stale record", liaison.post(recAction, url.Values{"version": {v}, "visitors": {"7"}}), 409)

		// A photo, and a case linked by its tracking code.
		wantStatus(t, "photo", liaison.uploadAs(fmt.Sprintf("/console/receptions/%d/photos", first.ID), "photo", "a.png", tinyPNG(t)), 303)
		res = liaison.uploadAs(fmt.Sprintf("/console/receptions/%d/photos", first.ID), "photo", "a.txt", []byte("hello"))
		wantStatus(t, "not a photo", res, 400)
		wantBody(t, "not a photo", res, "只能上传照片")
		if res := liaison.get(fmt.Sprintf("/console/receptions/%d/photos/1", first.ID)); res.Status != 200 || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("photo: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		c, err := db.CreateCase(f.as(t, "dqliaison"), lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID, Title: "路灯不亮",
			Content: "小区门口路灯坏了一个月。", RegionCode: "330206004"})
		if err != nil {
			t.Fatal(err)
		}
		res = liaison.post(fmt.Sprintf("/console/receptions/%d/cases", first.ID), url.Values{"case": {"NOPE-1"}})
		wantStatus(t, "link an unknown code", res, 400)
		wantStatus(t, "link", liaison.post(fmt.Sprintf("/console/receptions/%d/cases", first.ID), url.Values{"case": {c.TrackingCode}}), 303)
		wantBody(t, "session page", liaison.get(fmt.Sprintf("/console/receptions/%d", first.ID)), "路灯不亮", "现场照片（1）", "接待群众人数")

		// After the second session: attendance, Excel, the notice, sending it.
		clk.set("2026-03-16 12:00")
		clerk, deputy = f.loggedIn(t, "dqclerk"), f.loggedIn(t, "wangxy")
		res = clerk.get("/console/attendance?year=2026")
		wantStatus(t, "attendance", res, 200)
		wantBody(t, "attendance", res, "按联络站", "按代表", "王秀英", "50%", f.dqStation.Name)
		res = clerk.get(fmt.Sprintf("/console/attendance.xlsx?year=2026&station_id=%d", f.dqStation.ID))
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Errorf("attendance.xlsx: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		notice := fmt.Sprintf("/console/attendance/deputies/%d", f.dep1.ID)
		res = clerk.get(notice + "?year=2026")
		wantStatus(t, "notice", res, 200)
		wantBody(t, "notice", res, "2026年度代表进站履职出勤情况通报", "王秀英代表：", "出席<strong>1</strong>次", "请假<strong>1</strong>次", "李建国", "王秀英（本人）", "发送给代表")
		wantBody(t, "the deputy reads their notice", deputy.get(notice+"?year=2026"), "李建国")
		wantNoBody(t, "the deputy reads their notice", deputy.get(notice+"?year=2026"), "发送给代表")
		wantStatus(t, "a deputy sends", deputy.post(notice+"/send", url.Values{"year": {"2026"}}), 403)
		res = clerk.post(notice+"/send", url.Values{"year": {"2026"}})
		wantStatus(t, "send", res, 303)
		wantBody(t, "sent", clerk.get(res.Header.Get("Location")), "出勤情况通报已发送给代表")
		inbox, _, err := db.Inbox(f.as(t, "wangxy"), false, lianluo.Page{Page: 1, PerPage: 20})
		if err == nil {
			found := false
			for _, n := range inbox {
				found = found || strings.Contains(n.Body, "出席率50%")
			}
			if !found {
				t.Errorf("the deputy's inbox lacks the notice")
			}
		}
		wantStatus(t, "another town's deputy", clerk.get(fmt.Sprintf("/console/attendance/deputies/%d", f.dep3.ID)), 404)

		// Unavailability from 我的接待.
		res = deputy.post("/console/my-receptions/unavailability", url.Values{"from": {"2026-06-01"}, "to": {"2026-05-01"}})
		wantStatus(t, "bad unavailability", res, 400)
		if fieldErrors(res.Body)["to"] == "" {
			t.Errorf("no error at to: %v", fieldErrors(res.Body))
		}
		wantStatus(t, "unavailability", deputy.post("/console/my-receptions/unavailability", url.Values{"from": {"2026-06-01"}, "to": {"2026-06-30"}, "reason": {"外出学习"}}), 303)
		wantBody(t, "unavailability listed", deputy.get("/console/my-receptions"), "2026-06-01 至 2026-06-30（外出学习）", "以往的接待")
	})
}
