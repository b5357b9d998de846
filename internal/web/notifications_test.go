package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore/storetest"
)

// The administrators' 通知发送记录: counts per status, filters, attempts and
// last errors, masked numbers, and a retry button on the failed ones.
func TestNotificationsPage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		sys := storetest.SystemContext()
		phone := "13912345001"
		if _, err := f.db.UpdateUser(sys, f.clerk.ID, lianluo.UserUpdate{Phone: &phone, Version: f.clerk.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.CreateCase(sys, lianluo.CaseInput{Channel: "visit", StationID: &f.dqStation.ID,
			Title: "河道护栏倒塌", Content: "有落水危险。", RegionCode: "330206004", Urgent: true}); err != nil {
			t.Fatal(err)
		}
		claimed, err := f.db.ClaimNotifications(t.Context(), 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var dead int64
		for _, n := range claimed {
			if n.Channel == lianluo.ChannelSMS {
				dead = n.ID
				if err := f.db.MarkFailed(t.Context(), n.ID, "短信网关：HTTP 500", f.db.Now(), true); err != nil {
					t.Fatal(err)
				}
			}
		}
		if dead == 0 {
			t.Fatal("no text message to the clerk")
		}

		// Others: no link, and 403.
		k := f.loggedIn(t, "dqclerk")
		res := k.get("/console/")
		wantNoBody(t, "clerk dashboard", res, `href="/console/notifications"`)
		wantBody(t, "clerk dashboard", res, `href="/console/notify-prefs"`)
		wantStatus(t, "clerk list", k.get("/console/notifications"), http.StatusForbidden)
		wantStatus(t, "clerk retry", k.post(fmt.Sprintf("/console/notifications/%d/retry", dead), nil), http.StatusForbidden)

		c := f.loggedIn(t, "admin")
		res = c.get("/console/notifications")
		wantStatus(t, "list", res, http.StatusOK)
		wantBody(t, "list", res, `href="/console/notifications"`, "通知发送记录", "待发送", "已发送", "发送失败", "短信", "站内消息",
			"大碶文员", "139****5001", "短信网关：HTTP 500", "紧急意见", fmt.Sprintf(`action="/console/notifications/%d/retry"`, dead),
			`<span class="count-n">1</span><span class="count-label">发送失败</span>`)
		wantNoBody(t, "list", res, "13912345001", "河道护栏倒塌", "{{", "<no value>", "%!")

		res = c.get("/console/notifications?status=dead&channel=sms")
		wantStatus(t, "dead letters", res, http.StatusOK)
		wantBody(t, "dead letters", res, "139****5001", "共 1 条")
		res = c.get("/console/notifications?status=sent")
		wantBody(t, "sent", res, "没有符合条件的通知")
		res = c.get("/console/notifications?status=bogus")
		wantStatus(t, "bad status", res, http.StatusBadRequest)
		wantBody(t, "bad status", res, "发送状态无效")

		res = c.post(fmt.Sprintf("/console/notifications/%d/retry", dead), nil, "Referer", f.srv.URL+"/console/notifications?status=dead")
		wantStatus(t, "retry", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/console/notifications?ok=retried&status=dead" {
			t.Errorf("retry Location = %q", loc)
		}
		res = c.get("/console/notifications?status=pending&ok=retried")
		wantBody(t, "after retry", res, "已重新加入发送队列", "139****5001")
		wantNoBody(t, "after retry", res, "重新发送</button>")
		// A second retry: the row is no longer dead.
		wantStatus(t, "retry again", c.post(fmt.Sprintf("/console/notifications/%d/retry", dead), nil), http.StatusConflict)
		wantStatus(t, "retry missing", c.post("/console/notifications/999999/retry", nil), http.StatusNotFound)
	})
}

// Every user sets their own 通知设置; a channel the deployment lacks is
// shown but cannot be chosen.
func TestNotifyPrefsPage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		f.db.Channels = []string{lianluo.ChannelEmail}
		c := f.loggedIn(t, "zjhandler")
		res := c.get("/console/notify-prefs")
		wantStatus(t, "prefs", res, http.StatusOK)
		wantBody(t, "prefs", res, "通知设置", `value="sms" checked`, `value="email">`, `value="wecom" disabled`, "本系统未开通",
			"您的账号未登记手机号", `name="email"`)
		wantNoBody(t, "prefs", res, "{{", "<no value>", "%!")

		res = c.post("/console/notify-prefs", url.Values{"channels": {"sms", "email"}, "email": {""}})
		wantStatus(t, "e-mail without address", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["email"]; got != "选择邮件通知时，请填写邮箱地址。" {
			t.Errorf("email error = %q", got)
		}
		wantBody(t, "e-mail without address", res, `value="email" checked`)
		res = c.post("/console/notify-prefs", url.Values{"channels": {"dingtalk"}})
		wantStatus(t, "not delivered here", res, http.StatusBadRequest)
		wantBody(t, "not delivered here", res, "本系统未开通钉钉通知")

		res = c.post("/console/notify-prefs", url.Values{"channels": {"email"}, "email": {"zhu.jian@example.gov.cn"}})
		wantStatus(t, "save", res, http.StatusSeeOther)
		res = c.get("/console/notify-prefs?ok=saved")
		wantBody(t, "saved", res, "已保存", `value="email" checked`, `value="zhu.jian@example.gov.cn"`)
		wantNoBody(t, "saved", res, `value="sms" checked`)
		// None but in-app.
		wantStatus(t, "save none", c.post("/console/notify-prefs", url.Values{"email": {""}}), http.StatusSeeOther)
		if p, err := f.db.NotificationPrefs(f.as(t, "zjhandler")); err != nil || len(p.Channels) != 0 {
			t.Errorf("prefs after clearing = %+v, %v", p, err)
		}
	})
}
