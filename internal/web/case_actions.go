package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// The workflow forms of the case page. Each allowed action is one small
// form posting to /console/cases/{id}/actions/{action} with the version the
// page was read at; a refused one comes back with the error next to its
// field and the typed values kept.

// submission is a refused form to show again on the case page.
type submission struct {
	action   string // a workflow action, "reveal" or "attach"
	values   url.Values
	form     formState
	code     string             // the error code
	revealed *lianluo.Submitter // reveal: what to show, once
}

func (s *submission) take(err error, fields ...string) bool {
	if !s.form.take(err, fields...) {
		return false
	}
	s.code = lianluo.ErrorCode(err)
	if f := lianluo.ErrorField(err); s.form.Errors[f] != "" {
		s.form.Anchor = errID(s.action, f)
	}
	return true
}

// stateError reports whether the case changed under the form: the page is
// then shown as it is now, with the message and a reload link on top.
func (s *submission) stateError() bool {
	return s.code == lianluo.ESTALE || s.code == lianluo.ESTATE || s.code == lianluo.ECONFLICT
}

// errID is the id of a field's error message: one page holds many forms,
// so ids carry the form's name.
func errID(form, field string) string { return form + "_" + field + "-error" }

// actionForm is one form of the case page.
type actionForm struct {
	Action, Name, URL string
	Submit            string // the button
	Intro             string // one line above the fields
	Version           int
	Open              bool // expanded (primary actions, and a refused form)
	Secondary         bool
	Fields            []actField
	sub               *submission // the refused submission of this form, if any
	// The publish form: what /results would show, and the button that
	// refreshes it from the text typed.
	Preview       *resultView
	PreviewSubmit string
}

// actField is one field of an action form. Types: text, textarea, date,
// number, select, radio, checks (a checkbox list), checkbox.
type actField struct {
	ID, Name, Label, Type, Value, Hint, Error, ErrID string
	Required                                         bool
	Max                                              int
	Options                                          []option
	Checked                                          bool
	Min                                              string // date: the earliest choice
	Outcome                                          string // triage: the outcome this field belongs to
}

// add appends a field, filled from the refused submission when there is one.
func (f *actionForm) add(fd actField) {
	fd.ID = "f-" + f.Action + "-" + fd.Name
	fd.ErrID = errID(f.Action, fd.Name)
	if s := f.sub; s != nil {
		fd.Error = s.form.Errors[fd.Name]
		typed := s.values[fd.Name]
		switch fd.Type {
		case "select", "radio", "checks":
			opts := slices.Clone(fd.Options)
			for i := range opts {
				opts[i].Selected = slices.Contains(typed, opts[i].Value)
			}
			fd.Options = opts
		case "checkbox":
			fd.Checked = len(typed) > 0 && typed[0] != ""
		default:
			fd.Value = s.values.Get(fd.Name)
		}
	}
	f.Fields = append(f.Fields, fd)
}

// secondaryActions are offered collapsed: the workflow's detours.
var secondaryActions = []lianluo.WorkflowAction{lianluo.ActEscalate, lianluo.ActSendBack, lianluo.ActReturn,
	lianluo.ActRequestExtension, lianluo.ActUrge, lianluo.ActLink}

var actionSubmit = map[lianluo.WorkflowAction]string{
	lianluo.ActTriage: "提交梳理结果", lianluo.ActApprove: "审核交办", lianluo.ActEscalate: "报上级",
	lianluo.ActSendBack: "退回重新梳理", lianluo.ActSign: "签收", lianluo.ActReturn: "退回",
	lianluo.ActRequestExtension: "申请延期", lianluo.ActDecideExtension: "提交审批意见", lianluo.ActUrge: "催办",
	lianluo.ActReply: "提交答复", lianluo.ActFeedback: "提交反馈", lianluo.ActEvaluate: "提交测评",
	lianluo.ActSupervise: "督办", lianluo.ActClose: "办结", lianluo.ActArchive: "归档", lianluo.ActLink: "合并办理",
}

// actionFields are the inputs of each action's form (the store's field names).
var actionFields = map[lianluo.WorkflowAction][]string{
	lianluo.ActTriage:           {"outcome", "answer", "reason_code", "explanation", "comment"},
	lianluo.ActApprove:          {"lead_unit_id", "co_unit_ids", "due_date", "comment"},
	lianluo.ActEscalate:         {"comment"},
	lianluo.ActSendBack:         {"comment"},
	lianluo.ActSign:             {},
	lianluo.ActReturn:           {"reason"},
	lianluo.ActRequestExtension: {"until", "reason"},
	lianluo.ActDecideExtension:  {"approve", "comment"},
	lianluo.ActUrge:             {"comment"},
	lianluo.ActReply:            {"result", "content", "met_deputy"},
	lianluo.ActFeedback:         {"content"},
	lianluo.ActEvaluate:         {"by", "rating", "comment"},
	lianluo.ActSupervise:        {"comment", "due_date"},
	lianluo.ActClose:            {"comment"},
	lianluo.ActArchive:          {},
	lianluo.ActLink:             {"master_id"},
}

var (
	triageOrder   = []string{"answered", "not_accepted", "explained", "forward"}
	triageLabels  = map[string]string{"answered": "当场答复", "not_accepted": "不予受理", "explained": "解释说明（暂时办不到）", "forward": "报送审核交办"}
	reasonOrder   = []string{"litigation", "arbitration", "administrative_review", "petition_in_progress", "not_public_matter", "other"}
	resultOrder   = []string{"A", "B", "C"}
	ratingOrder   = []string{"satisfied", "basically_satisfied", "unsatisfied"}
	evaluatorName = map[string]string{"deputy": "代表测评", "voter": "群众（反映人）测评"}
)

// triageLabelsFor names the triage outcomes of case c: forwarding goes to
// the leaders of the body whose queue the case is in, by their title
// (000: 报镇人大主席或副主席 — a 街道人大工委 has a 主任 instead).
func triageLabelsFor(c *lianluo.Case) map[string]string {
	out := maps.Clone(triageLabels)
	out["forward"] = fmt.Sprintf("报送审核交办（报%s%s）", c.OrgName, lianluo.LeaderTitle(c.OrgName))
	return out
}

// actionForms builds the forms of the actions in c.Allowed, primary ones first.
func (a *app) actionForms(ctx context.Context, ac *lianluo.Actor, c *lianluo.Case, sub *submission) ([]*actionForm, error) {
	var primary, secondary []*actionForm
	var pol *lianluo.Policy
	var cal *lianluo.Calendar
	settings := func() error {
		if pol != nil {
			return nil
		}
		p, err := a.svc.Settings.Policy(ctx)
		if err != nil {
			return err
		}
		if cal, err = a.svc.Settings.Calendar(ctx); err != nil {
			return err
		}
		pol = &p
		return nil
	}
	today := bjDate(a.now())
	for _, act := range c.Allowed {
		if act == lianluo.ActReply && lianluo.IsSuggestionKind(c.Kind) && !c.Consulted() {
			continue // the page says 面商 comes first (the engine would refuse the answer)
		}
		f := &actionForm{Action: string(act), Name: lianluo.ActionNamesCase[act], URL: fmt.Sprintf("%s/actions/%s", caseURL(c.ID), act),
			Submit: actionSubmit[act], Version: c.Version, Secondary: slices.Contains(secondaryActions, act)}
		if lianluo.IsSuggestionKind(c.Kind) {
			f.Secondary = slices.Contains(suggestionSecondary, act) || slices.Contains(secondaryActions, act)
		}
		f.Open = !f.Secondary
		if sub != nil && sub.action == string(act) {
			f.sub, f.Open = sub, true
		}
		if lianluo.IsSuggestionKind(c.Kind) {
			done, err := a.suggestionActionForm(ctx, ac, c, f, act)
			if err != nil {
				return nil, err
			}
			if done {
				if f.Secondary {
					secondary = append(secondary, f)
				} else {
					primary = append(primary, f)
				}
				continue
			}
		}
		switch act {
		case lianluo.ActTriage:
			f.Intro = "能当场答复的当场答复；不属于受理范围的说明原因和办理途径；暂时办不到的做好解释；需要办理的报送审核交办。"
			f.add(actField{Name: "outcome", Label: "梳理结果", Type: "radio", Required: true, Options: namedOptions(triageOrder, triageLabelsFor(c), "")})
			f.add(actField{Name: "answer", Label: "当场答复内容（选“当场答复”时填写）", Type: "textarea", Max: 2000, Outcome: "answered"})
			reasons := map[string]string{}
			for k, v := range lianluo.NotAcceptedReasons {
				reasons[k] = v.Name
			}
			f.add(actField{Name: "reason_code", Label: "不予受理原因（选“不予受理”时填写）", Type: "select", Outcome: "not_accepted",
				Options: withBlank("请选择", namedOptions(reasonOrder, reasons, "")), Hint: "系统会把相应的办理途径告知反映人。"})
			f.add(actField{Name: "explanation", Label: "解释说明（选“解释说明”时填写）", Type: "textarea", Max: 2000, Outcome: "explained"})
			f.add(actField{Name: "comment", Label: "备注", Type: "textarea", Max: 2000, Hint: "可不填；不予受理选“其他原因”时请写明原因。"})
		case lianluo.ActApprove:
			units, err := a.unitChoices(ctx)
			if err != nil {
				return nil, err
			}
			if err := settings(); err != nil {
				return nil, err
			}
			f.Intro = "确定主办单位和协办单位，交办后由承办单位签收办理。"
			f.add(actField{Name: "lead_unit_id", Label: "主办单位", Type: "select", Required: true, Options: withBlank("请选择", units)})
			f.add(actField{Name: "co_unit_ids", Label: "协办单位（可多选，可不选）", Type: "checks", Options: units})
			f.add(actField{Name: "due_date", Label: "办理期限", Type: "date", Min: today,
				Hint: fmt.Sprintf("默认%d个工作日（至 %s），不填即按默认。", pol.ReplyWorkdays, bjDate(lianluo.DefaultReplyDue(*pol, cal, a.now())))})
			f.add(actField{Name: "comment", Label: "交办意见（批示）", Type: "textarea", Max: 2000, Hint: "将印在交办单上。"})
		case lianluo.ActEscalate:
			f.Intro = "本级无法交办的，报上级人大机构审核交办。"
			f.add(actField{Name: "comment", Label: "报送说明", Type: "textarea", Max: 2000})
		case lianluo.ActSendBack:
			f.Intro = "需要补充或重新梳理的，退回并说明意见。"
			f.add(actField{Name: "comment", Label: "退回意见", Type: "textarea", Required: true, Max: 2000})
		case lianluo.ActSign:
			f.Intro = "签收后进入办理。"
			if d := a.dueOf(c); d.Date != "" {
				f.Intro = fmt.Sprintf("签收后进入办理，请在 %s 前答复。", d.Date)
			}
		case lianluo.ActReturn:
			f.Intro = "不属于本单位职责的，说明理由退回，由人大机构重新交办。"
			f.add(actField{Name: "reason", Label: "退回理由", Type: "textarea", Required: true, Max: 2000})
		case lianluo.ActRequestExtension:
			if err := settings(); err != nil {
				return nil, err
			}
			f.Intro = fmt.Sprintf("每件只能申请一次延期，最长不超过原期限%d个月，须经人大机构同意。", pol.ExtensionMonths)
			hint := ""
			if orig, latest := lianluo.ExtensionLimit(c, *pol); orig != nil {
				hint = fmt.Sprintf("原期限 %s，最晚可延至 %s。", bjDate(*orig), bjDate(*latest))
			}
			f.add(actField{Name: "until", Label: "延期至", Type: "date", Required: true, Min: today, Hint: hint})
			f.add(actField{Name: "reason", Label: "延期理由", Type: "textarea", Required: true, Max: 2000})
		case lianluo.ActDecideExtension:
			if e := c.Extension; e != nil {
				f.Intro = fmt.Sprintf("承办单位申请延期至 %s。理由：%s", bjDate(e.Until), e.Reason)
			}
			f.add(actField{Name: "approve", Label: "审批意见", Type: "radio", Required: true,
				Options: []option{{Value: "yes", Label: "同意延期"}, {Value: "no", Label: "不同意延期"}}})
			f.add(actField{Name: "comment", Label: "说明", Type: "textarea", Max: 2000})
		case lianluo.ActUrge:
			f.Intro = "催办将通知主办单位抓紧办理。"
			f.add(actField{Name: "comment", Label: "催办意见", Type: "textarea", Max: 2000})
		case lianluo.ActReply:
			f.Intro = "答复前请与代表沟通。答复后由联络站或人大机构反馈给代表和反映人。"
			f.add(actField{Name: "result", Label: "办理结果", Type: "radio", Required: true, Options: resultOptions(lianluo.ReplyResults)})
			f.add(actField{Name: "content", Label: "答复内容", Type: "textarea", Required: true, Max: 5000,
				Hint: "选 C 的，请写明暂不能解决的原因。"})
			f.add(actField{Name: "met_deputy", Label: "已与代表见面沟通（面商）", Type: "checkbox"})
		case lianluo.ActFeedback:
			// The voter reads this text as it is typed here: by SMS, and on
			// /track/{code} under 给您的反馈, beside the unit's answer.
			f.Intro = "以下内容将原文发送/展示给反映人：留有手机号的发短信，网上“查询办理进度”也会显示（同时显示承办单位的答复）。请用对反映人说的话来写。"
			value := ""
			if c.Reply != nil {
				value = c.Reply.Content
			}
			f.add(actField{Name: "content", Label: "反馈内容（原文发给反映人）", Type: "textarea", Required: true, Max: 2000, Value: value,
				Hint: "默认为承办单位的答复，可据实改写。"})
		case lianluo.ActEvaluate:
			f.Intro = "代表测评“不满意”的，由人大机构督办，重新办理，直到基本满意为止。"
			var by []option
			for _, e := range lianluo.Evaluators(ac, c) {
				by = append(by, option{Value: e, Label: evaluatorName[e]})
			}
			if len(by) > 0 {
				by[0].Selected = true
			}
			f.add(actField{Name: "by", Label: "测评人", Type: "radio", Required: true, Options: by})
			f.add(actField{Name: "rating", Label: "满意度", Type: "radio", Required: true, Options: namedOptions(ratingOrder, lianluo.RatingNames, "")})
			f.add(actField{Name: "comment", Label: "意见", Type: "textarea", Max: 2000})
		case lianluo.ActSupervise:
			if err := settings(); err != nil {
				return nil, err
			}
			f.Intro = fmt.Sprintf("代表不满意：督办后由原承办单位重新办理（第%d轮）。", c.Round+1)
			f.add(actField{Name: "comment", Label: "督办意见", Type: "textarea", Required: true, Max: 2000})
			f.add(actField{Name: "due_date", Label: "新的办理期限", Type: "date", Min: today,
				Hint: fmt.Sprintf("默认%d个工作日（至 %s），不填即按默认。", pol.ReplyWorkdays, bjDate(lianluo.DefaultReplyDue(*pol, cal, a.now())))})
		case lianluo.ActClose:
			if c.Status == lianluo.StatusSupervising {
				f.Intro = fmt.Sprintf("已督办%d轮，仍不满意的可说明情况后办结。", c.Round)
				f.add(actField{Name: "comment", Label: "办结说明", Type: "textarea", Required: true, Max: 2000})
			} else {
				f.Intro = "确认本件办结。"
				f.add(actField{Name: "comment", Label: "办结说明", Type: "textarea", Max: 2000})
			}
		case lianluo.ActArchive:
			f.Intro = fmt.Sprintf("将登记表、答复和办理结果归入%d年度档案。", lianluo.ArchiveYear(c, a.now()))
		case lianluo.ActLink:
			f.Intro = "同一问题多人反映的，并入先登记的那件意见一并办理，办理结果同步。"
			f.add(actField{Name: "master_id", Label: "并入的意见编号", Type: "number", Required: true,
				Hint: "那件意见页面标题下方的“编号 #…”中的数字。"})
		}
		if f.Secondary {
			secondary = append(secondary, f)
		} else {
			primary = append(primary, f)
		}
	}
	return append(primary, secondary...), nil
}

func cmpOr[T any](ps ...*T) *T {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// unitChoices lists the active handling units in scope.
func (a *app) unitChoices(ctx context.Context) ([]option, error) {
	orgs, err := collect(choiceLimit, func(p lianluo.Page) ([]*lianluo.Org, int, error) {
		return a.svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Kind: lianluo.OrgUnit, Active: new(true), Page: p})
	})
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
	return out, nil
}

// actionInput reads an action form.
func actionInput(r *http.Request) (lianluo.CaseAction, error) {
	in := lianluo.CaseAction{
		Outcome:     formStr(r, "outcome"),
		Answer:      formStr(r, "answer"),
		ReasonCode:  formStr(r, "reason_code"),
		Explanation: formStr(r, "explanation"),
		DueDate:     formStr(r, "due_date"),
		Reason:      formStr(r, "reason"),
		Until:       formStr(r, "until"),
		Result:      formStr(r, "result"),
		Content:     formStr(r, "content"),
		MetDeputy:   formBool(r, "met_deputy"),
		By:          formStr(r, "by"),
		Rating:      formStr(r, "rating"),
		Comment:     formStr(r, "comment"),
		// Suggestions and bills.
		HeldOn:     formStr(r, "held_on"),
		Form:       formStr(r, "form"),
		Deputies:   formStr(r, "deputies"),
		Notes:      formStr(r, "notes"),
		Supervisor: formStr(r, "supervisor"),
		Title:      formStr(r, "title"),
		Reasons:    formStr(r, "reasons"),
		Proposals:  formStr(r, "proposals"),
		Category:   formStr(r, "category"),
	}
	if in.Form == "waived" {
		in.Form, in.Waived = "", true
	}
	switch formStr(r, "passed") {
	case "yes":
		in.Passed = new(true)
	case "no":
		in.Passed = new(false)
	}
	switch formStr(r, "approve") {
	case "yes":
		in.Approve = new(true)
	case "no":
		in.Approve = new(false)
	}
	var errs [4]error
	in.Version, errs[0] = formVersion(r)
	in.LeadUnitID, errs[1] = formID(r, "lead_unit_id", "主办单位")
	in.CoUnitIDs, errs[2] = formIDs(r, "co_unit_ids", "协办单位")
	in.MasterID, errs[3] = parseID(strings.TrimPrefix(formStr(r, "master_id"), "#"), "master_id", "并入的意见编号")
	if len(in.CoUnitIDs) == 0 {
		in.CoUnitIDs = nil
	}
	return in, firstErr(errs[:]...)
}

// caseAct performs one workflow action: 303 back to the case page, or the
// page again with the error.
func (a *app) caseAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	action := lianluo.WorkflowAction(r.PathValue("action"))
	if !slices.Contains(lianluo.Actions, action) {
		return lianluo.Errorf(lianluo.ENOTFOUND, "没有这个办理操作。")
	}
	in, err := actionInput(r)
	if err == nil {
		_, err = a.svc.Cases.Act(r.Context(), id, action, in)
	}
	if err != nil {
		sub := &submission{action: string(action), values: r.PostForm}
		fields := append(slices.Clone(actionFields[action]), suggestionActionFields[action]...)
		if !sub.take(err, fields...) {
			return err
		}
		return a.showCase(w, r, sub.form.status(err), id, sub)
	}
	if back := safeReturn(formStr(r, "return_to")); back != "" {
		// A session desk's button: back to the desk.
		return redirect(w, r, back)
	}
	return redirect(w, r, caseURL(id)+"?ok="+string(action))
}

// resultOptions are the A/B/C choices of an answer, with their names.
func resultOptions(names map[string]string) []option {
	results := map[string]string{}
	for k, v := range names {
		results[k] = k + " " + v
	}
	return namedOptions(resultOrder, results, "")
}
