package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"lianluo"
)

// The case page: what was raised, where it stands, its history, and the
// forms of exactly the actions the caller may take now (Case.Allowed).

type casePage struct {
	basePage
	C              *lianluo.Case
	Due            dueInfo
	Channel        string
	Next           string // who the case waits on, when the caller has nothing to do
	Lead, Co       []lianluo.CaseUnit
	Events         []eventRow
	Forms          []*actionForm
	Msg            formState // a refused action: stale version, wrong state
	Attachments    []attachmentRow
	CanAttach      bool
	AttachError    string
	Reveal         *actionForm // 查看联系方式, for those who may
	Revealed       *lianluo.Submitter
	CanPrintAssign bool
	CanRaise       bool // a receiving deputy may raise a suggestion from the opinion (据此提出)
	ExtensionText  string
	OutcomeLabel   string
	Publish        *actionForm     // 办理结果公开, for the office
	Sugg           *suggestionView // a suggestion's or bill's own part
}

// outcomeLabels head Case.Outcome: the closing text of a triage, or the
// feedback given to the deputy and the voter.
var outcomeLabels = map[lianluo.CaseStatus]string{
	lianluo.StatusAnswered:    "当场答复",
	lianluo.StatusNotAccepted: "不予受理（已告知反映人办理途径）",
	lianluo.StatusExplained:   "解释说明",
}

type eventRow struct {
	At, Actor, Action, From, To, Comment string
}

// eventNames adds the history steps that are not workflow actions.
var eventNames = map[lianluo.WorkflowAction]string{lianluo.StepRegister: "登记", lianluo.StepAttach: "添加附件",
	lianluo.ActLink: "合并办理", lianluo.StepPublish: "公开办理结果", lianluo.StepUnpublish: "撤回公开"}

func eventName(action lianluo.WorkflowAction) string {
	if n, ok := eventNames[action]; ok {
		return n
	}
	if n, ok := lianluo.ActionNamesCase[action]; ok {
		return n
	}
	return string(action)
}

// waitingOn says whose turn it is, by status.
var waitingOn = map[lianluo.CaseStatus]string{
	lianluo.StatusRegistered:         "等待联络站或人大机构梳理。",
	lianluo.StatusPendingApproval:    "等待人大负责人审核交办。",
	lianluo.StatusAssigned:           "等待承办单位签收。",
	lianluo.StatusHandling:           "承办单位办理中，等待答复。",
	lianluo.StatusReplied:            "承办单位已答复，等待反馈给代表和群众。",
	lianluo.StatusAwaitingEvaluation: "已反馈，等待代表或群众测评。",
	lianluo.StatusSupervising:        "代表不满意，等待人大机构督办。",
	lianluo.StatusAnswered:           "已当场答复，等待人大机构办结。",
	lianluo.StatusNotAccepted:        "不予受理，等待人大机构办结。",
	lianluo.StatusExplained:          "已解释说明，等待人大机构办结。",
	lianluo.StatusClosed:             "已办结，等待年度归档。",
	lianluo.StatusArchived:           "已归档。",
}

// caseFlash is the confirmation after a redirect to the case page (?ok=…).
func caseFlash(r *http.Request, c *lianluo.Case) string {
	q := r.URL.Query()
	ok := q.Get("ok")
	switch {
	case ok == "registered":
		return fmt.Sprintf("已登记。查询码 %s，可告知反映人凭此查询办理进度。", c.TrackingCode)
	case ok == "drafted":
		return fmt.Sprintf("已录入%s草稿。附议代表确认后（没有附议代表的即可），请核对后点击“提出”。", lianluo.KindNoun(c.Kind))
	case ok == "attached":
		return "附件已上传。"
	case ok == "publish":
		return "已在网上联络站公开办理结果。"
	case ok == "unpublish":
		return "已撤回公开。"
	case slices.Contains(lianluo.Actions, lianluo.WorkflowAction(ok)):
		return fmt.Sprintf("已%s。当前状态：%s。", lianluo.ActionNamesCase[lianluo.WorkflowAction(ok)], lianluo.StatusNames[c.Status])
	}
	return ""
}

func (a *app) caseDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.showCase(w, r, http.StatusOK, id, nil)
}

// showCase renders the case page; sub is a refused submission to show
// again (an action form, the reveal form or the upload form).
func (a *app) showCase(w http.ResponseWriter, r *http.Request, status int, id int64, sub *submission) error {
	ctx, ac := r.Context(), actor(r)
	c, err := a.svc.Cases.FindCaseByID(ctx, id)
	if err != nil {
		return err
	}
	p := &casePage{basePage: basePage{Title: c.Title, Section: "cases"}, C: c, Due: a.dueOf(c),
		Channel: lianluo.ChannelNames[c.Channel]}
	if r.Method == http.MethodGet {
		p.Flash = caseFlash(r, c)
	}
	if p.Sugg = suggestionOf(c, ac); p.Sugg != nil {
		p.Due, p.Section = a.suggestionDue(c), suggestionSection(ac)
	}
	for _, u := range c.Units {
		if u.Lead {
			p.Lead = append(p.Lead, u)
		} else {
			p.Co = append(p.Co, u)
		}
	}
	p.CanPrintAssign = len(c.Units) > 0
	p.CanRaise = c.Kind == lianluo.KindOpinion && lianluo.RolesOn(ac, c).Deputy
	p.OutcomeLabel = outcomeLabels[c.Status]
	if e := lastEvent(c, lianluo.ActTriage); p.OutcomeLabel == "" && c.Reply == nil && e != nil {
		p.OutcomeLabel = outcomeLabels[e.To] // closed after an answer on the spot
	}
	if p.OutcomeLabel == "" {
		p.OutcomeLabel = "反馈内容"
	}
	if lianluo.IsSuggestionKind(c.Kind) {
		// A suggestion's outcome is its answer, shown above; a bill's the resolution.
		p.OutcomeLabel = map[string]string{lianluo.KindBill: "大会决议"}[c.Kind]
	}
	if e := c.Extension; e != nil {
		verdict := "待审批"
		if e.Decided && e.Approved {
			verdict = "已同意"
		} else if e.Decided {
			verdict = "未同意"
		}
		p.ExtensionText = fmt.Sprintf("申请延期至 %s（%s）。理由：%s", bjDate(e.Until), verdict, e.Reason)
	}
	for _, e := range c.Events {
		row := eventRow{At: bjTime(e.At), Actor: e.ActorName, Action: eventName(e.Action), Comment: e.Comment}
		if e.To != "" && e.To != e.From {
			row.From, row.To = lianluo.StatusNames[e.From], lianluo.StatusNames[e.To]
		}
		p.Events = append(p.Events, row)
	}
	if sub != nil && sub.stateError() {
		// The case moved on: show it as it is now, with the message on top.
		p.Msg = sub.form
		p.Msg.Stale, p.Msg.ReloadURL = true, caseURL(id)
		sub = nil
	}
	if p.Forms, err = a.actionForms(ctx, ac, c, sub); err != nil {
		return err
	}
	if len(p.Forms) == 0 {
		p.Next = waitingOn[c.Status]
		if n, ok := suggestionWaiting[c.Status]; ok && p.Sugg != nil {
			p.Next = n
		}
		if c.MasterID != nil {
			p.Next = fmt.Sprintf("本件随意见 #%d 一并办理。", *c.MasterID)
		}
	}
	if sub != nil && sub.revealed == nil {
		// The summary on top links to the error further down the page.
		p.Msg.Message, p.Msg.First, p.Msg.Anchor = sub.form.Message, sub.form.First, sub.form.Anchor
		if sub.action == "attach" {
			p.Msg.Message, p.Msg.First, p.Msg.Anchor = "附件未上传。", sub.form.Message, errID("attach", "files")
		}
	}
	atts, err := a.svc.Attachments.FindAttachments(ctx, id)
	if err != nil {
		return err
	}
	for _, at := range atts {
		p.Attachments = append(p.Attachments, attachmentRow{Attachment: at, URL: fmt.Sprintf("%s/attachments/%d", caseURL(id), at.ID)})
	}
	p.CanAttach = lianluo.CheckAttach(ac, c, len(atts)) == nil
	if sub != nil && sub.action == "attach" {
		p.AttachError = sub.form.Message
	}
	if canReveal(ac, c) {
		p.Reveal = revealForm(c, sub)
	}
	if sub != nil && sub.revealed != nil {
		p.Revealed = sub.revealed
	}
	if p.Publish, err = a.publishForm(ctx, ac, c, sub); err != nil {
		return err
	}
	return a.render(w, r, status, "case", p)
}

// canReveal reports whether to offer 查看联系方式: only to whom the store
// allows it (lianluo.CanRevealSubmitter), and only when something is masked.
func canReveal(ac *lianluo.Actor, c *lianluo.Case) bool {
	s := c.Submitter
	if !s.Masked || (s.Phone == "" && s.Address == "" && s.IDNumber == "") {
		return false
	}
	return lianluo.CanRevealSubmitter(ac, c)
}

func revealForm(c *lianluo.Case, sub *submission) *actionForm {
	f := &actionForm{Action: "reveal", Name: "查看联系方式", URL: caseURL(c.ID) + "/reveal", Submit: "查看", Secondary: true,
		Intro: "反映人的联系方式只在需要时查看。请说明原因，查看将记入操作日志。"}
	if sub != nil && sub.action == "reveal" && sub.revealed == nil {
		f.sub, f.Open = sub, true
	}
	f.add(actField{Name: "purpose", Label: "查看用途", Type: "select", Required: true,
		Options: withBlank("请选择", namedOptions(lianluo.RevealPurposes, lianluo.RevealPurposeNames, ""))})
	f.add(actField{Name: "reason", Label: "查看原因", Type: "text", Required: true, Max: 200,
		Hint: fmt.Sprintf("至少%d个字，如：与反映人约定上门核实时间。每人每小时查看次数有上限。", lianluo.MinRevealReason)})
	return f
}

// caseReveal shows the submitter's contact details once, on this response
// only: they are never put in a URL, and the page is not cached.
func (a *app) caseReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sub := &submission{action: "reveal", values: r.PostForm}
	s, err := a.svc.Cases.RevealSubmitter(r.Context(), id, formRevealReason(r))
	if err != nil {
		if !sub.take(err, "purpose", "reason") {
			return err
		}
		return a.showCase(w, r, sub.form.status(err), id, sub)
	}
	sub.revealed = s
	return a.showCase(w, r, http.StatusOK, id, sub)
}

// publishForm offers 办理结果公开 to the office once the case has an
// answer (the store checks the role and the case's body again), or the
// withdrawal of a published one. The text starts from the unit's answer
// (lianluo.DefaultPublicAnswer), never the feedback note written to the
// voter, and the form shows exactly what /results would show with it.
func (a *app) publishForm(ctx context.Context, ac *lianluo.Actor, c *lianluo.Case, sub *submission) (*actionForm, error) {
	if !lianluo.RolesOn(ac, c).Office || c.MasterID != nil {
		return nil, nil
	}
	f := &actionForm{Action: "publish", URL: caseURL(c.ID) + "/publish", Version: c.Version, Secondary: true}
	if sub != nil && sub.action == "publish" {
		f.sub, f.Open = sub, true
	}
	if c.PublishedAt != nil {
		f.Name, f.Submit = "撤回公开", "撤回公开"
		f.Intro = "撤回后，网上联络站的“办理结果公开”不再显示本件。"
		f.Fields = append(f.Fields, actField{Name: "published", Type: "hidden", Value: "false"})
		return f, nil
	}
	if !slices.Contains(lianluo.PublishableStatuses, c.Status) {
		return nil, nil
	}
	f.Name, f.Submit, f.PreviewSubmit = "在网上公开办理结果", "公开", "更新预览"
	f.Intro = "公开后，网上联络站的“办理结果公开”会显示本件的标题、内容和下面的公开内容。反映人姓名只显示姓，保密件显示“匿名”，文中的手机号和身份证号自动隐去；公开内容不能含有反映人的姓名、电话号码和住址。"
	text := lianluo.DefaultPublicAnswer(c)
	f.add(actField{Name: "answer", Label: "公开的答复内容", Type: "textarea", Max: 5000, Value: text,
		Hint: "默认为承办单位的答复（没有承办单位的为当场答复或解释说明），可改写为适合公开的说法。"})
	if f.sub != nil {
		text = f.sub.values.Get("answer")
	}
	f.Fields[0].Value = text
	pv, err := a.svc.Cases.PreviewPublish(ctx, c.ID, text)
	switch {
	case lianluo.ErrorCode(err) == lianluo.EFORBIDDEN:
		return nil, nil // not this body's case: the store would refuse to publish it
	case err != nil:
		return nil, err
	}
	v := newResultView(pv.Result)
	f.Preview = &v
	if pv.Refusal != nil && f.Fields[0].Error == "" {
		// Said before anyone presses 公开: the default text may carry the voter's name.
		f.Fields[0].Error = lianluo.ErrorMessage(pv.Refusal)
		f.Open = true
	}
	f.Fields = append(f.Fields, actField{Name: "published", Type: "hidden", Value: "true"})
	return f, nil
}

// casePublish puts the case in the public results, or takes it out; with
// preview, it only shows the form again with the preview of the text typed.
func (a *app) casePublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if formStr(r, "preview") != "" {
		return a.showCase(w, r, http.StatusOK, id, &submission{action: "publish", values: r.PostForm})
	}
	v, err := formVersion(r)
	if err != nil {
		return err
	}
	in := lianluo.PublishInput{Version: v, Published: formBool(r, "published"), Answer: formStr(r, "answer")}
	if _, err := a.svc.Cases.PublishCase(r.Context(), id, in); err != nil {
		sub := &submission{action: "publish", values: r.PostForm}
		if !sub.take(err, "answer") {
			return err
		}
		return a.showCase(w, r, sub.form.status(err), id, sub)
	}
	ok := "unpublish"
	if in.Published {
		ok = "publish"
	}
	return redirect(w, r, caseURL(id)+"?ok="+ok)
}
