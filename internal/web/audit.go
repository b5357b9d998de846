package web

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// The audit trail (操作日志): every change and login, for administrators.

type auditRow struct {
	*lianluo.Event
	URL string // the record's page, when it has one
}

type auditPage struct {
	basePage
	Entity, Action, From, To string
	EntityOptions            []option
	ActionOptions            []option
	Items                    []auditRow
	Pager                    pager
	FilterError              string
	HeadID                   int64
	Head                     string              // the chain head's hash: noted down, compared later
	Check                    *lianluo.AuditCheck // when asked for (?verify=1): it reads every event
	Retention                string              // audit_retention_days, as shown in its field
	Form                     formState
}

// entityPages are the console pages of audited records.
var entityPages = map[lianluo.AuditEntity]string{
	"org": "/console/orgs/%d", "station": "/console/stations/%d", "deputy": "/console/deputies/%d",
	"group": "/console/groups/%d", "user": "/console/users/%d", "session": "/console/users/%d",
}

func (a *app) audit(w http.ResponseWriter, r *http.Request) error {
	return a.showAudit(w, r, http.StatusOK, formState{}, "")
}

// auditSettingsSave answers the retention form of the audit page.
func (a *app) auditSettingsSave(w http.ResponseWriter, r *http.Request) error {
	text := strings.TrimSpace(r.PostFormValue("audit_retention_days"))
	days, err := strconv.Atoi(text)
	if err != nil {
		err = lianluo.FieldError("audit_retention_days", "请填写保存天数（整数，不少于180）。")
	} else {
		err = a.svc.Events.SetAuditSettings(r.Context(), lianluo.AuditSettings{RetentionDays: days})
	}
	return saved(w, r, err, []string{"audit_retention_days"}, func(status int, f formState) error {
		return a.showAudit(w, r, status, f, text)
	}, "/console/audit?ok=saved")
}

func (a *app) showAudit(w http.ResponseWriter, r *http.Request, status int, form formState, retention string) error {
	if !lianluo.CanReadAudit(actor(r)) {
		return lianluo.Forbidden()
	}
	q := r.URL.Query()
	p := &auditPage{
		basePage: basePage{Title: "操作日志", Section: "audit"},
		Entity:   q.Get("entity"),
		Action:   q.Get("action"),
		From:     q.Get("from"),
		To:       q.Get("to"),
	}
	p.EntityOptions = withBlank("全部对象", namedOptions(slices.Sorted(maps.Keys(lianluo.EntityNames)), lianluo.EntityNames, p.Entity))
	p.ActionOptions = withBlank("全部操作", namedOptions(slices.Sorted(maps.Keys(lianluo.ActionNames)), lianluo.ActionNames, p.Action))
	pg := pageOf(r)
	f := lianluo.EventFilter{Entity: lianluo.AuditEntity(p.Entity), Action: lianluo.AuditAction(p.Action), Page: pg}
	p.Form, p.Retention = form, retention
	if retention == "" {
		s, err := a.svc.Events.AuditSettings(r.Context())
		if err != nil {
			return err
		}
		p.Retention = strconv.Itoa(s.RetentionDays)
	}
	if q.Get("ok") == "saved" {
		p.Flash = flashes["saved"]
	}
	// Dates are Beijing days: "to" includes the whole day.
	if p.From != "" {
		if t, err := time.ParseInLocation("2006-01-02", p.From, lianluo.Beijing); err == nil {
			f.From = &t
		} else {
			p.FilterError, status = "起始日期格式应为 2026-03-01。", http.StatusBadRequest
		}
	}
	if p.To != "" {
		if t, err := time.ParseInLocation("2006-01-02", p.To, lianluo.Beijing); err == nil {
			end := t.AddDate(0, 0, 1)
			f.To = &end
		} else {
			p.FilterError, status = "截止日期格式应为 2026-03-31。", http.StatusBadRequest
		}
	}
	items, total, err := a.svc.Events.FindEvents(r.Context(), f)
	if err != nil {
		return err
	}
	for _, e := range items {
		row := auditRow{Event: e}
		if pat, ok := entityPages[e.Entity]; ok && e.EntityID > 0 {
			row.URL = fmt.Sprintf(pat, e.EntityID)
		}
		p.Items = append(p.Items, row)
	}
	p.Pager = newPager(r, total, pg)
	if p.HeadID, p.Head, err = a.svc.Events.AuditHead(r.Context()); err != nil {
		return err
	}
	if q.Get("verify") != "" {
		if p.Check, err = a.svc.Events.VerifyAudit(r.Context()); err != nil {
			return err
		}
	}
	return a.render(w, r, status, "audit", p)
}
