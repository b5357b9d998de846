package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"lianluo"
)

// 通知发送记录 (administrators): the outbox with attempts and last errors,
// counts per status, and a retry button on the notifications that failed
// for good.

type notificationCount struct {
	Status, Label, URL string
	N                  int
}

type notificationRow struct {
	*lianluo.Notification
	ChannelLabel, StatusLabel string
}

type notificationsPage struct {
	basePage
	Status, Channel string
	StatusOptions   []option
	ChannelOptions  []option
	Counts          []notificationCount
	Items           []notificationRow
	Pager           pager
	FilterError     string
}

var notificationStatuses = []string{lianluo.NotificationPending, lianluo.NotificationSent, lianluo.NotificationDead}

var notificationChannels = []string{lianluo.ChannelInApp, lianluo.ChannelSMS, lianluo.ChannelEmail, lianluo.ChannelWeCom, lianluo.ChannelDingTalk}

func (a *app) notifications(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	q := r.URL.Query()
	p := &notificationsPage{
		basePage: basePage{Title: "通知发送记录", Section: "notifications"},
		Status:   q.Get("status"),
		Channel:  q.Get("channel"),
	}
	status := http.StatusOK
	if _, ok := lianluo.NotificationStatusNames[p.Status]; p.Status != "" && !ok {
		p.FilterError, status, p.Status = "发送状态无效，已显示全部。", http.StatusBadRequest, ""
	}
	if _, ok := lianluo.NotificationChannelNames[p.Channel]; p.Channel != "" && !ok {
		p.FilterError, status, p.Channel = "通知渠道无效，已显示全部。", http.StatusBadRequest, ""
	}
	p.StatusOptions = withBlank("全部状态", namedOptions(notificationStatuses, lianluo.NotificationStatusNames, p.Status))
	p.ChannelOptions = withBlank("全部渠道", namedOptions(notificationChannels, lianluo.NotificationChannelNames, p.Channel))

	counts, err := a.svc.Outbox.CountNotifications(r.Context(), p.Channel)
	if err != nil {
		return err
	}
	for _, s := range notificationStatuses {
		v := url.Values{"status": {s}}
		if p.Channel != "" {
			v.Set("channel", p.Channel)
		}
		p.Counts = append(p.Counts, notificationCount{Status: s, Label: lianluo.NotificationStatusNames[s], N: counts[s],
			URL: "/console/notifications?" + v.Encode()})
	}
	pg := pageOf(r)
	items, total, err := a.svc.Outbox.FindNotifications(r.Context(), lianluo.NotificationFilter{Status: p.Status, Channel: p.Channel, Page: pg})
	if err != nil {
		return err
	}
	for _, n := range items {
		p.Items = append(p.Items, notificationRow{Notification: n,
			ChannelLabel: lianluo.NotificationChannelNames[n.Channel], StatusLabel: lianluo.NotificationStatusNames[n.Status]})
	}
	if q.Get("ok") == "retried" {
		p.Flash = "已重新加入发送队列。"
	}
	p.Pager = newPager(r, total, pg)
	return a.render(w, r, status, "notifications", p)
}

func (a *app) notificationRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return lianluo.NotFound("通知")
	}
	if err := a.svc.Outbox.RetryNotification(r.Context(), id); err != nil {
		return err
	}
	// Back to the list the button was on.
	back := "/console/notifications?status=dead&ok=retried"
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Path == "/console/notifications" && ref.Host == r.Host {
		q := ref.Query()
		q.Set("ok", "retried")
		back = fmt.Sprintf("/console/notifications?%s", q.Encode())
	}
	return redirect(w, r, back)
}
