package web

import (
	"context"
	"fmt"
	"strings"

	"lianluo"
)

// The case page of a suggestion or bill: what it says, who raised it and
// the forms of its own steps (docs/suggestions.md). The steps it shares
// with opinions (sign, urge, request_extension, decide_extension, archive)
// keep the opinion forms.

// suggestionView is the suggestion's part of the case page.
type suggestionView struct {
	Kind          string // 建议 or 议案
	Number        string
	Session       string
	SessionURL    string
	Channel       string
	Signers       []signerRow
	Confirmed     int
	Consultations []consultRow
	Consulted     bool
	ReplyNote     string // to the handler: 面商 first
}

type signerRow struct {
	Name, State string
	Lead        bool
}

type consultRow struct {
	Round                int
	Text, Deputies, Note string
	At                   string
}

func suggestionOf(c *lianluo.Case, ac *lianluo.Actor) *suggestionView {
	if !lianluo.IsSuggestionKind(c.Kind) {
		return nil
	}
	v := &suggestionView{Kind: lianluo.KindNoun(c.Kind), Number: c.NumberText(), Session: c.SessionName,
		Confirmed: c.ConfirmedSigners(), Consulted: c.Consulted()}
	if c.SessionID != nil {
		v.SessionURL = sessionURL(*c.SessionID)
	} else {
		v.Session = "闭会期间书面提出"
	}
	if c.Presidium {
		v.Signers = append(v.Signers, signerRow{Name: "主席团", State: "提出", Lead: true})
	}
	for _, s := range c.Signers {
		v.Signers = append(v.Signers, signerRow{Name: s.Name, State: signerState(s), Lead: s.Lead})
	}
	for _, x := range c.Consultations {
		v.Consultations = append(v.Consultations, consultRow{Round: x.Round, Text: consultText(x), Deputies: x.Deputies, Note: x.Notes, At: bjTime(x.At)})
	}
	r := lianluo.RolesOn(ac, c)
	if c.Kind == lianluo.KindSuggestion && r.Handler && c.Status == lianluo.StatusHandling && !v.Consulted {
		v.ReplyNote = "答复代表前须先与代表面商（面商率100%）：请先在“面商”中记录面商情况，或记录代表书面表示无需面商；记录后即可答复。"
	}
	return v
}

// suggestionSecondary are the suggestion steps offered collapsed.
var suggestionSecondary = []lianluo.WorkflowAction{lianluo.ActMarkKey, lianluo.ActConvertToSuggestion, lianluo.ActClose, lianluo.ActEdit}

// suggestionActionForm fills the form of a suggestion's or bill's own step;
// it reports false for the steps that keep the opinion form.
func (a *app) suggestionActionForm(ctx context.Context, ac *lianluo.Actor, c *lianluo.Case, f *actionForm, act lianluo.WorkflowAction) (bool, error) {
	today := bjDate(a.now())
	noun := lianluo.KindNoun(c.Kind)
	if act != lianluo.ActTransfer && f.Submit == "" {
		f.Submit = suggestionSubmit[act]
	}
	switch act {
	case lianluo.ActSubmit:
		f.Intro = fmt.Sprintf("提出后%s编号，不能再修改；已邀请但尚未确认的附议代表，提出后仍可确认。", noun)
		if c.Kind == lianluo.KindBill {
			f.Intro = "议案须由规定人数以上的代表（含领衔代表）确认联名后才能提出，提出后由主席团决定是否列入大会议程。"
		}
		if !lianluo.RolesOn(ac, c).Lead {
			f.Intro += "由人大机构代代表录入的书面" + noun + "，请核对代表签名后提出。"
		}
		f.add(actField{Name: "comment", Label: "备注", Type: "textarea", Max: 2000})
	case lianluo.ActCosign:
		f.Intro = "领衔代表邀请您附议（联名）。"
		f.add(actField{Name: "approve", Label: "您的答复", Type: "radio", Required: true,
			Options: []option{{Value: "yes", Label: "确认附议"}, {Value: "no", Label: "谢绝附议"}}})
	case lianluo.ActTransfer:
		tf, err := a.transferForm(ctx, c, f.sub)
		if err != nil {
			return false, err
		}
		f.Intro, f.Fields, f.Submit = tf.Intro, tf.Fields, tf.Submit
	case lianluo.ActConsult:
		f.Intro = "答复前须与代表面商（当面、电话或座谈）；代表书面表示无需面商的，选最后一项并填写代表的书面意见。"
		opts := namedOptions([]string{"in_person", "phone", "forum"}, lianluo.ConsultForms, "")
		opts = append(opts, option{Value: "waived", Label: "代表书面表示无需面商"})
		f.add(actField{Name: "held_on", Label: "面商日期", Type: "date", Required: true, Value: today})
		f.add(actField{Name: "form", Label: "面商方式", Type: "radio", Required: true, Options: opts})
		f.add(actField{Name: "deputies", Label: "参加面商的代表", Type: "text", Max: 200, Hint: "如：王秀英、李建国。选“无需面商”的可不填。"})
		f.add(actField{Name: "notes", Label: "面商情况（或代表的书面意见）", Type: "textarea", Required: true, Max: 5000})
	case lianluo.ActReply:
		if c.Kind != lianluo.KindSuggestion {
			return false, nil
		}
		f.Intro = "本轮已面商，可书面答复代表。答复后由领衔代表评价。"
		f.add(actField{Name: "result", Label: "办理结果", Type: "radio", Required: true, Options: resultOptions(lianluo.SuggestionResults)})
		f.add(actField{Name: "content", Label: "书面答复", Type: "textarea", Required: true, Max: 10000,
			Hint: "选 C 的，请写明因条件限制暂时不能解决的原因。"})
	case lianluo.ActEvaluate:
		f.Intro = "领衔代表对办理结果的评价。"
		if !lianluo.RolesOn(ac, c).Lead {
			f.Intro = "按代表填写的征询意见表（纸质）录入领衔代表的评价。"
		}
		f.Intro += "不满意的，由人大机构责成重新办理。"
		f.add(actField{Name: "by", Type: "hidden", Value: lianluo.ByDeputy})
		f.add(actField{Name: "rating", Label: "代表评价", Type: "radio", Required: true, Options: namedOptions(ratingOrder, lianluo.RatingNames, "")})
		f.add(actField{Name: "comment", Label: "代表意见", Type: "textarea", Max: 2000})
	case lianluo.ActRedo:
		cal, err := a.svc.Settings.Calendar(ctx)
		if err != nil {
			return false, err
		}
		f.Intro = fmt.Sprintf("代表不满意：责成承办单位重新办理并答复代表（第%d轮）。", c.Round+1)
		f.add(actField{Name: "comment", Label: "重新办理意见", Type: "textarea", Required: true, Max: 2000})
		f.add(actField{Name: "due_date", Label: "新的办理期限", Type: "date", Min: today,
			Hint: fmt.Sprintf("默认一个月（至 %s），不填即按默认。", bjDate(lianluo.RedoDue(cal, a.now())))})
	case lianluo.ActClose:
		f.Intro = "不再重新办理的，说明理由后办结。"
		f.add(actField{Name: "comment", Label: "办结理由", Type: "textarea", Required: true, Max: 2000})
	case lianluo.ActMarkKey:
		f.Intro = "列为重点督办的建议，由负责人牵头督办，承办单位会收到通知。"
		f.add(actField{Name: "supervisor", Label: "督办负责人", Type: "text", Required: true, Max: 50, Value: c.KeySupervisor})
		f.add(actField{Name: "comment", Label: "说明", Type: "textarea", Max: 2000})
	case lianluo.ActEdit:
		f.Intro = "提出前可以修改草稿的文字；附议代表看到的是修改后的内容。"
		f.add(actField{Name: "title", Label: "标题", Type: "text", Required: true, Max: 100, Value: c.Title})
		f.add(actField{Name: "content", Label: lianluo.KindNoun(c.Kind) + "内容", Type: "textarea", Required: true, Max: 10000, Value: c.Content})
		f.add(actField{Name: "reasons", Label: "案由和理由", Type: "textarea", Max: 5000, Value: c.Reasons})
		f.add(actField{Name: "proposals", Label: "建议和办法", Type: "textarea", Max: 5000, Value: c.Proposals})
		f.add(actField{Name: "category", Label: "类别", Type: "text", Max: 50, Value: c.Category})
	case lianluo.ActProgress:
		f.Intro = fmt.Sprintf("重点督办建议（督办负责人：%s）：报告办理进展或记录督办情况。", c.KeySupervisor)
		f.add(actField{Name: "comment", Label: "办理进展", Type: "textarea", Required: true, Max: 2000})
	case lianluo.ActListOnAgenda:
		f.Intro = "记录主席团的决定：列入大会议程，由大会审议表决。"
		f.add(actField{Name: "comment", Label: "备注", Type: "textarea", Max: 2000})
	case lianluo.ActConvertToSuggestion:
		f.Intro = "记录主席团的决定：不列入大会议程，作为代表建议办理（按建议重新编号，十五日内交办）。"
		f.add(actField{Name: "comment", Label: "不列入议程的理由", Type: "textarea", Required: true, Max: 2000})
	case lianluo.ActRecordResolution:
		f.Intro = "记录大会对议案的表决结果。"
		f.add(actField{Name: "passed", Label: "表决结果", Type: "radio", Required: true,
			Options: []option{{Value: "yes", Label: "通过"}, {Value: "no", Label: "未通过"}}})
		f.add(actField{Name: "content", Label: "决议内容", Type: "textarea", Required: true, Max: 5000})
	default:
		return false, nil
	}
	return true, nil
}

var suggestionSubmit = map[lianluo.WorkflowAction]string{
	lianluo.ActSubmit: "提出", lianluo.ActCosign: "提交答复", lianluo.ActConsult: "记录面商", lianluo.ActReply: "提交答复",
	lianluo.ActEvaluate: "提交评价", lianluo.ActRedo: "责成重新办理", lianluo.ActClose: "办结", lianluo.ActMarkKey: "列为重点督办", lianluo.ActProgress: "报告进展", lianluo.ActEdit: "保存修改",
	lianluo.ActListOnAgenda: "列入大会议程", lianluo.ActConvertToSuggestion: "转为建议办理", lianluo.ActRecordResolution: "记录表决结果",
}

// suggestionActionFields are the inputs of the suggestion steps' forms.
var suggestionActionFields = map[lianluo.WorkflowAction][]string{
	lianluo.ActSubmit:              {"comment"},
	lianluo.ActCosign:              {"approve", "comment"},
	lianluo.ActTransfer:            {"lead_unit_id", "co_unit_ids", "comment"},
	lianluo.ActConsult:             {"held_on", "form", "deputies", "notes"},
	lianluo.ActReply:               {"result", "content"},
	lianluo.ActEvaluate:            {"by", "rating", "comment"},
	lianluo.ActRedo:                {"comment", "due_date"},
	lianluo.ActClose:               {"comment"},
	lianluo.ActMarkKey:             {"supervisor", "comment"},
	lianluo.ActProgress:            {"comment"},
	lianluo.ActEdit:                {"title", "content", "reasons", "proposals", "category"},
	lianluo.ActListOnAgenda:        {"comment"},
	lianluo.ActConvertToSuggestion: {"comment"},
	lianluo.ActRecordResolution:    {"passed", "content"},
}

// safeReturn is where a desk's button returns after its step: a session
// desk's address only, never another site.
func safeReturn(s string) string {
	if strings.HasPrefix(s, "/console/sessions/") && !strings.ContainsAny(s, "\\\r\n") && !strings.HasPrefix(s, "//") {
		return s
	}
	return ""
}

// suggestionWaiting says whose turn a suggestion or bill is, by status.
var suggestionWaiting = map[lianluo.CaseStatus]string{
	lianluo.StatusDraft:              "草稿：等待附议代表确认和领衔代表提出。",
	lianluo.StatusSubmitted:          "已提出，等待人大机构交办承办单位。",
	lianluo.StatusProposed:           "已提出，等待主席团决定是否列入大会议程。",
	lianluo.StatusOnAgenda:           "已列入大会议程，等待大会表决。",
	lianluo.StatusAssigned:           "等待承办单位签收。",
	lianluo.StatusHandling:           "承办单位办理中：面商后书面答复代表。",
	lianluo.StatusAwaitingEvaluation: "已答复，等待领衔代表评价。",
	lianluo.StatusSupervising:        "代表不满意，等待人大机构责成重新办理或办结。",
}
