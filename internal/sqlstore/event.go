package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"lianluo"
)

// event records an audit row in the transaction of the change it records;
// it is written, chained, when the transaction commits (audit_chain.go).
func (tx *Tx) event(ctx context.Context, entity lianluo.AuditEntity, id int64, action lianluo.AuditAction, summary string) error {
	var actorID *int64
	name, addr := "系统", ""
	if a := tx.actor; a != nil {
		addr = a.ClientAddr
		if a.User != nil && a.User.ID != 0 {
			actorID = &a.User.ID
			name = a.User.DisplayName + "（" + a.User.Username + "）"
		} else if a.User != nil && a.User.DisplayName != "" {
			name = a.User.DisplayName // 系统, 群众（网上）
		}
	}
	tx.events = append(tx.events, &lianluo.Event{At: tx.now, ActorID: actorID, ActorName: name, ClientAddr: addr,
		Entity: entity, EntityID: id, Action: action, Summary: summary})
	return nil
}

// changes builds the summary of an update: "名称：甲 → 乙；电话：…".
type changes []string

func (c *changes) str(label, old, new string) {
	if old != new {
		*c = append(*c, fmt.Sprintf("%s：%s → %s", label, orDash(old), orDash(new)))
	}
}

// phone records a changed phone number masked: the audit log is read by
// administrators who do not need the number itself.
func (c *changes) phone(label, old, new string) {
	if old != new {
		*c = append(*c, fmt.Sprintf("%s：%s → %s", label, orDash(lianluo.MaskPhone(old)), orDash(lianluo.MaskPhone(new))))
	}
}

func (c *changes) changed(label string, different bool) {
	if different {
		*c = append(*c, label+"已修改")
	}
}

func (c changes) String() string {
	if len(c) == 0 {
		return "无变化"
	}
	return strings.Join(c, "；")
}

func orDash(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

// FindEvents lists the audit trail, newest first. The auditor only (lianluo.CanReadAudit).
func (db *DB) FindEvents(ctx context.Context, f lianluo.EventFilter) (_ []*lianluo.Event, _ int, err error) {
	defer wrap(&err, "FindEvents")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !lianluo.CanReadAudit(a) {
		return nil, 0, lianluo.Forbidden()
	}
	if err := db.sealPending(ctx); err != nil { // audit_seal.go
		return nil, 0, err
	}
	var w where
	if f.Entity != "" {
		w.add("entity = " + w.arg(f.Entity))
	}
	if f.EntityID != 0 {
		w.add("entity_id = " + w.arg(f.EntityID))
	}
	if f.ActorID != 0 {
		w.add("actor_id = " + w.arg(f.ActorID))
	}
	if f.Action != "" {
		w.add("action = " + w.arg(f.Action))
	}
	if f.From != nil {
		w.add("at >= " + w.arg(*f.From))
	}
	if f.To != nil {
		w.add("at < " + w.arg(*f.To))
	}
	q := `SELECT id, at, actor_id, actor_name, client_addr, entity, entity_id, action, summary, COUNT(*) OVER ()
		FROM events` + w.String() + ` ORDER BY id DESC` + w.page(f.Page)
	return queryList(ctx, db.reader(), q, w.args, func(s interface{ Scan(...any) error }, e *lianluo.Event, n *int) error {
		return s.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.ClientAddr, &e.Entity, &e.EntityID, &e.Action, &e.Summary, n)
	})
}
