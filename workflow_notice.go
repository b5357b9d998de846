package lianluo

import (
	"fmt"
	"slices"
)

// The notices a workflow step sends: template, data and recipients, which
// the store resolves to accounts and words with Message (templates.go).

// Recipient kinds of a notice.
const (
	ToPhone             = "phone"              // a text message to Phone (a voter)
	ToLeaders           = "leaders"            // the npc_leader accounts of Orgs
	ToOffice            = "office"             // the npc_office accounts of Orgs
	ToUnitHandlers      = "unit_handlers"      // the unit_handler accounts of Orgs
	ToReceivingDeputies = "receiving_deputies" // the accounts of Deputies, or each deputy's phone on record when they have none
)

// Recipients says who receives a notice; the store finds their accounts.
type Recipients struct {
	Kind     string
	Phone    string
	Orgs     []int64
	Deputies []int64
	// ExceptUser is not told (the deputy who took the step).
	ExceptUser int64
}

// Notice is one notification a step sends: the template, its data (the
// arguments of the template's body, in MessageTemplates' order) and who
// receives it. The store renders it with Message and queues it in the
// outbox inside the step's transaction.
type Notice struct {
	Template TemplateKey
	Data     []any
	To       Recipients
	CaseID   int64
	Urgent   bool
	// DedupeKey keeps a text message from going twice; for receiving
	// deputies it is the prefix of each account's key.
	DedupeKey string
}

// Text is the notice's subject and body, from its template.
func (n Notice) Text() (subject, body string) { return Message(n.Template, n.Data...) }

// Notices of a step. Titles are cut to 30 characters for staff and 20 for
// voters' text messages, answers to 200 (MessageTemplates).

func (d *decision) smsVoter(t TemplateKey, data ...any) {
	if d.c.Submitter.Phone == "" {
		return
	}
	d.notices = append(d.notices, Notice{Template: t, Data: data, CaseID: d.c.ID,
		To: Recipients{Kind: ToPhone, Phone: d.c.Submitter.Phone}, DedupeKey: fmt.Sprintf("%s:%d:%d", t, d.c.ID, d.n.Round)})
}

func (d *decision) tell(kind string, orgs []int64, t TemplateKey, data ...any) {
	d.notices = append(d.notices, Notice{Template: t, Data: data, CaseID: d.c.ID, Urgent: d.c.Urgent,
		To: Recipients{Kind: kind, Orgs: orgs}})
}

// unitsOf are the case's current units (or only the lead).
func (d *decision) unitsOf(leadOnly bool) []int64 {
	var ids []int64
	for _, u := range d.c.Units {
		if u.Lead || !leadOnly {
			ids = append(ids, u.OrgID)
		}
	}
	return ids
}

// tellReceivingDeputies tells the deputies who received the case (接待代表)
// — units reply to the deputy, and the deputy evaluates the answer (000,
// 003); the one who acts is not told of their own step.
func (d *decision) tellReceivingDeputies(t TemplateKey, data ...any) {
	if len(d.c.ReceivedBy) == 0 {
		return
	}
	d.notices = append(d.notices, Notice{Template: t, Data: data, CaseID: d.c.ID, Urgent: d.c.Urgent,
		To:        Recipients{Kind: ToReceivingDeputies, Deputies: slices.Clone(d.c.ReceivedBy), ExceptUser: d.sc.ActorUserID},
		DedupeKey: fmt.Sprintf("%s:%d:%d", t, d.c.ID, d.n.Round)})
}
