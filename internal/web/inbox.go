package web

import (
	"fmt"
	"net/http"

	"lianluo"
)

// 站内消息: the caller's in-app notices, newest first; opening one reads it.
// The unread count is in the header of every console page (basePage.Unread).

// unreadCount is the caller's unread messages for the header. It is one
// indexed count; a failure leaves the header without a count rather than
// failing the page it decorates.
func (a *app) unreadCount(r *http.Request) int {
	if a.svc.Inbox == nil {
		return 0
	}
	_, n, err := a.svc.Inbox.Inbox(r.Context(), true, lianluo.Page{PerPage: 1})
	if err != nil {
		if lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			a.log.Error("unread count", "path", lianluo.LogPath(r.URL.Path), "err", err)
		}
		return 0
	}
	return n
}

// setUnread records a count a page already has (the inbox and the phone
// homes list the unread messages), so that render does not count again.
func (b *basePage) setUnread(n int) { b.Unread, b.unreadSet = n, true }

// inboxRow is one message as the list and the homes show it.
type inboxRow struct {
	*lianluo.Notification
	Title string // the template's subject when the notice has none
	When  string
	Read  bool
}

func inboxRows(ns []*lianluo.Notification) []inboxRow {
	out := make([]inboxRow, 0, len(ns))
	for _, n := range ns {
		t := n.Subject
		if t == "" {
			t = lianluo.TemplateSubject(n.Template)
		}
		out = append(out, inboxRow{Notification: n, Title: t, When: bjTime(n.CreatedAt), Read: n.ReadAt != nil})
	}
	return out
}

type inboxPage struct {
	basePage
	Items      []inboxRow
	UnreadOnly bool
	Pager      pager
}

func (a *app) inbox(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	unreadOnly := r.URL.Query().Get("unread") == "1"
	pg := pageOf(r)
	items, total, err := a.svc.Inbox.Inbox(ctx, unreadOnly, pg)
	if err != nil {
		return err
	}
	p := &inboxPage{basePage: basePage{Title: "站内消息", Section: "inbox"}, Items: inboxRows(items), UnreadOnly: unreadOnly, Pager: newPager(r, total, pg)}
	if unreadOnly {
		p.setUnread(total)
	}
	if r.URL.Query().Get("ok") == "read" {
		p.Flash = "消息已全部标为已读。"
	}
	return a.render(w, r, http.StatusOK, "inbox", p)
}

type inboxItemPage struct {
	basePage
	M    inboxRow
	Link *noticeLink
}

// noticeLink is where a message leads: the case, session, activity or
// mailbox it is about.
type noticeLink struct{ URL, Label string }

func linkOf(ac *lianluo.Actor, n *lianluo.Notification) *noticeLink {
	switch {
	case n.CaseID != nil:
		return &noticeLink{fmt.Sprintf("/console/cases/%d", *n.CaseID), "查看这件群众意见"}
	case n.About == nil:
		return nil
	case n.About.Kind == "reception":
		return &noticeLink{fmt.Sprintf("/console/receptions/%d", n.About.ID), "查看这次接待"}
	case n.About.Kind == "activity":
		return &noticeLink{fmt.Sprintf("/console/activities/%d", n.About.ID), "查看这项活动"}
	case n.About.Kind == "rota" && ac.Has(lianluo.RoleDeputy):
		return &noticeLink{"/console/my-receptions", "查看我的接待安排"}
	case n.About.Kind == "rota":
		return &noticeLink{fmt.Sprintf("/console/stations/%d/receptions", n.About.ID), "查看接待轮值表"}
	case n.About.Kind == "appraisal":
		return &noticeLink{fmt.Sprintf("/console/appraisals/%d", n.About.ID), "查看这次工作评议"}
	case n.About.Kind == "rectification":
		return &noticeLink{"/console/rectifications", "查看本单位的整改事项"}
	case n.About.Kind == "year_plan":
		return &noticeLink{fmt.Sprintf("/console/year-plans/%d", n.About.ID), "查看年度活动计划"}
	case n.About.Kind == "station":
		return &noticeLink{fmt.Sprintf("/console/stations/%d/mailbox", n.About.ID), "查看代表信箱"}
	}
	return nil
}

// inboxItem shows one message and marks it read; another user's is not found.
func (a *app) inboxItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := a.svc.Inbox.OpenInboxItem(r.Context(), id)
	if err != nil {
		return err
	}
	m := inboxRows([]*lianluo.Notification{n})[0]
	p := &inboxItemPage{basePage: basePage{Title: m.Title, Section: "inbox"}, M: m, Link: linkOf(actor(r), n)}
	return a.render(w, r, http.StatusOK, "inbox_item", p)
}

// inboxReadAll marks every message read (POST, then back to the list).
func (a *app) inboxReadAll(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.svc.Inbox.MarkAllRead(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/console/inbox?ok=read")
}
