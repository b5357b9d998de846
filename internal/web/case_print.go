package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"lianluo"
)

// Print forms (A4): the 接访登记表 of 000 (接访登记) and the 交办单 an
// NPC body sends with a case to its units. They are standalone documents
// (the "print" template of their page file), not console pages: what is
// printed is the form alone.

type printPage struct {
	Title string
	C     *lianluo.Case
	Back  string
}

type registerPrint struct {
	printPage
	Received     string // 2026年3月2日 09:30
	Channel      string
	Deputies     string
	Outcomes     []printChoice // triage: which one was chosen
	Outcome      string        // the triage note
	Region       string
	Clerk        string // who registered it
	RegisteredOn string
}

// printOutcomes are the triage outcomes as the paper form names them.
var printOutcomes = map[string]string{"answered": "当场答复", "not_accepted": "不予受理", "explained": "解释说明", "forward": "报送审核交办"}

type printChoice struct {
	Label   string
	Checked bool
}

type assignPrint struct {
	printPage
	Lead, Co string
	Due      string
	Opinion  string // 交办意见/批示: the approver's own words
	Issuer   string // who approved
	IssuedOn string
	Signer   string // who signed for the lead unit online, and the unit
	SignedOn string
	Body     string // the assigning NPC body
	Deputies string
}

func (a *app) renderPrint(w http.ResponseWriter, name string, p any) error {
	t, err := a.template(name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "print", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}

func (a *app) printBase(r *http.Request, title string) (printPage, error) {
	id, err := pathID(r)
	if err != nil {
		return printPage{}, err
	}
	c, err := a.svc.Cases.FindCaseByID(r.Context(), id)
	if err != nil {
		return printPage{}, err
	}
	return printPage{Title: title, C: c, Back: caseURL(id)}, nil
}

// lastEvent returns the latest history step of the action, or nil.
func lastEvent(c *lianluo.Case, action lianluo.WorkflowAction) *lianluo.CaseEvent {
	for i := len(c.Events) - 1; i >= 0; i-- {
		if c.Events[i].Action == action {
			return &c.Events[i]
		}
	}
	return nil
}

func (a *app) printRegister(w http.ResponseWriter, r *http.Request) error {
	base, err := a.printBase(r, "接访登记表")
	if err != nil {
		return err
	}
	c := base.C
	p := &registerPrint{printPage: base, Received: bjDateCN(c.CreatedAt) + " " + c.CreatedAt.In(lianluo.Beijing).Format("15:04"),
		Channel: lianluo.ChannelNames[c.Channel], Deputies: strings.Join(c.ReceivedByNames, "、"), Region: c.RegionName,
		RegisteredOn: bjDateCN(c.CreatedAt)}
	if e := lastEvent(c, "register"); e != nil {
		p.Clerk = e.ActorName
	}
	chosen := ""
	if e := lastEvent(c, lianluo.ActTriage); e != nil {
		for k, st := range lianluo.TriageOutcomes {
			if st == e.To {
				chosen = k
			}
		}
		p.Outcome = e.Comment
	}
	for _, k := range triageOrder {
		p.Outcomes = append(p.Outcomes, printChoice{Label: printOutcomes[k], Checked: k == chosen})
	}
	return a.renderPrint(w, "case_print_register", p)
}

func (a *app) printAssign(w http.ResponseWriter, r *http.Request) error {
	base, err := a.printBase(r, "交办单")
	if err != nil {
		return err
	}
	c := base.C
	approve := lastEvent(c, lianluo.ActApprove)
	if len(c.Units) == 0 || approve == nil {
		return lianluo.Errorf(lianluo.ESTATE, "本件尚未交办，没有交办单。")
	}
	p := &assignPrint{printPage: base, Body: c.OrgName, Deputies: strings.Join(c.ReceivedByNames, "、"),
		Issuer: approve.ActorName, IssuedOn: bjDateCN(approve.At)}
	var co []string
	for _, u := range c.Units {
		if u.Lead {
			p.Lead = u.Name
		} else {
			co = append(co, u.Name)
		}
	}
	p.Co = strings.Join(co, "、")
	// The unit signs online (签收): the sheet carries who signed and when,
	// from the sign step that follows this assignment (a returned and
	// reassigned case has an older one that belongs to the previous unit).
	if sign := lastEvent(c, lianluo.ActSign); sign != nil && sign.ID > approve.ID && p.Lead != "" {
		p.Signer = sign.ActorName + "（" + p.Lead + "）"
		p.SignedOn = bjDateCN(sign.At) + " " + sign.At.In(lianluo.Beijing).Format("15:04")
	}
	if d := cmpOr(c.OriginalDue, c.DueDate); d != nil {
		p.Due = bjDateCN(*d) + "前"
	}
	// The approve step reads "交办：主办 …，期限 …。<the approver's words>".
	if _, words, ok := strings.Cut(approve.Comment, "。"); ok && strings.HasPrefix(approve.Comment, "交办：") {
		p.Opinion = strings.TrimSpace(words)
	}
	return a.renderPrint(w, "case_print_assign", p)
}
