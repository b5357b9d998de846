package lianluo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The steps of suggestions and bills (docs/suggestions.md) that differ from
// an opinion's. Signing, urging, extensions and archiving are the opinion
// workflow's own steps (workflow.go), shared.

// SignerChange is a co-signer's answer to an invitation (cosign).
type SignerChange struct {
	DeputyID int64
	Confirm  bool
}

// decideSuggestion decides the steps of a suggestion or bill that are not
// shared with opinions; done is false for the shared ones.
func (d *decision) decideSuggestion() (done bool, err error) {
	in, c, n, sc := d.in, d.c, &d.n, d.sc
	noun, title := KindNoun(c.Kind), Truncate(c.Title, 30)
	switch sc.Action {
	case ActSubmit:
		if c.Kind == KindBill && !c.Presidium {
			if need := BillMinSigners(sc.Policy, sc.Level); c.ConfirmedSigners() < need {
				return true, Errorf(ESTATE, "议案须由代表%d人以上联名提出，目前确认联名的代表（含领衔代表）只有%d人。", need, c.ConfirmedSigners())
			}
		}
		d.out.AssignNumber = c.SessionID != nil
		if c.Kind == KindBill {
			n.Status = StatusProposed
			d.tell(ToLeaders, []int64{c.OrgID}, MsgBillProposed, title)
		} else {
			n.Status = StatusSubmitted
			n.DueDate = ptrTime(TransferDue(sc.Calendar, sc.SessionEnd, sc.Now))
			d.tell(ToOffice, []int64{c.OrgID}, MsgSuggestionSubmitted, title, DueText(n.DueDate))
		}
		d.note = joinNote(fmt.Sprintf("领衔提出%s，联名代表%d人", noun, c.ConfirmedSigners()), d.note)
	case ActCosign:
		confirm := in.Approve == nil || *in.Approve
		i := slices.IndexFunc(c.Signers, func(s Signer) bool { return !s.Lead && s.DeputyID == sc.ActorDeputyID })
		if i < 0 {
			return true, Forbidden()
		}
		if s := c.Signers[i]; s.ConfirmedAt != nil || s.DeclinedAt != nil {
			return true, Errorf(ESTATE, "您已经答复过附议邀请。")
		}
		d.out.Signer = &SignerChange{DeputyID: sc.ActorDeputyID, Confirm: confirm}
		verdict := "确认附议"
		if c.Kind == KindBill {
			verdict = "确认联名"
		}
		if !confirm {
			verdict = "谢绝附议"
		}
		d.note = joinNote(c.Signers[i].Name+verdict, d.note)
		if lead := c.LeadDeputy(); lead != 0 {
			d.notices = append(d.notices, Notice{Template: MsgSuggestionCosigned, CaseID: c.ID, Data: []any{c.Signers[i].Name, verdict, title},
				To: Recipients{Kind: ToReceivingDeputies, Deputies: []int64{lead}}, DedupeKey: fmt.Sprintf("cosigned:%d:%d", c.ID, sc.ActorDeputyID)})
		}
	case ActListOnAgenda:
		n.Status = StatusOnAgenda
		d.note = joinNote("主席团决定列入大会议程", d.note)
	case ActConvertToSuggestion:
		if err := require("comment", "不列入议程的理由", in.Comment, 2000); err != nil {
			return true, err
		}
		// 003 1: a bill not put on the agenda is handled as a suggestion,
		// numbered among them, with the fifteen days running from now.
		n.Kind, n.Status, n.Number = KindSuggestion, StatusSubmitted, 0
		n.DueDate = ptrTime(TransferDue(sc.Calendar, sc.SessionEnd, sc.Now))
		d.out.AssignNumber = c.SessionID != nil
		d.note = joinNote("主席团决定不列入大会议程，转为建议办理", d.note)
		d.tell(ToOffice, []int64{c.OrgID}, MsgSuggestionSubmitted, title, DueText(n.DueDate))
	case ActRecordResolution:
		if in.Passed == nil {
			return true, FieldError("passed", "请选择表决结果：通过或未通过。")
		}
		if err := require("content", "决议内容", in.Content, 5000); err != nil {
			return true, err
		}
		n.Status, n.ClosedAt, n.Outcome = StatusClosed, ptrTime(sc.Now), in.Content
		verdict := "大会表决未通过"
		if *in.Passed {
			verdict = "大会表决通过，作出决议交人民政府贯彻落实"
		}
		d.note = joinNote(verdict+"："+Truncate(in.Content, 200), d.note)
		d.tellSigners(MsgBillResolved, verdict, title)
	case ActTransfer:
		due := SuggestionReplyDue(sc.Calendar, sc.Now)
		if err := d.assignUnits(due, "交办"); err != nil {
			return true, err
		}
		d.tell(ToUnitHandlers, d.assigned(), MsgSuggestionTransferred, title, DueText(&due))
		d.tellSigners(MsgSuggestionTransferredDeputy, title, strings.Join(d.assignedNames(), "、"), DueText(&due))
	case ActConsult:
		return true, d.consult()
	case ActReply:
		if !c.Consulted() {
			return true, Errorf(ESTATE, "答复前须与代表面商（003：面商率达100%%）；未面商的，请先记录面商，或记录代表书面表示无需面商。")
		}
		if _, ok := SuggestionResults[in.Result]; !ok {
			return true, FieldError("result", "请选择办理结果：A 已解决或采纳、B 正在解决或列入计划、C 因条件限制或其他原因暂时不能解决。")
		}
		if err := require("content", "书面答复", in.Content, 10000); err != nil {
			return true, err
		}
		d.out.Reply = &Reply{Result: in.Result, Content: in.Content, MetDeputy: true, Round: c.Round, At: sc.Now}
		n.Status, n.Outcome = StatusAwaitingEvaluation, in.Content
		d.note = joinNote(fmt.Sprintf("书面答复代表（%s %s）", in.Result, SuggestionResults[in.Result]), d.note)
		d.tellSigners(MsgSuggestionReplied, title, in.Result+" "+SuggestionResults[in.Result])
		for _, e := range sc.Evidence {
			if e.Phone == "" {
				continue
			}
			d.notices = append(d.notices, Notice{Template: MsgSuggestionAnsweredVoter, CaseID: e.ID,
				Data:      []any{Truncate(e.Title, 20), Truncate(in.Content, 200)},
				To:        Recipients{Kind: ToPhone, Phone: e.Phone},
				DedupeKey: fmt.Sprintf("suggestion_answer:%d:%d:%d", c.ID, e.ID, c.Round)})
		}
	case ActEvaluate:
		if in.By != ByDeputy {
			return true, FieldError("by", "代表建议由领衔代表评价（by 为 deputy）。")
		}
		if _, ok := RatingNames[in.Rating]; !ok {
			return true, FieldError("rating", "请选择满意、基本满意或不满意。")
		}
		if c.rated(ByDeputy) {
			return true, Errorf(ESTATE, "本轮代表已经评价过。")
		}
		d.out.Rating = &Rating{By: ByDeputy, Rating: in.Rating, Comment: d.note, Round: c.Round, At: sc.Now}
		d.note = joinNote("领衔代表评价："+RatingNames[in.Rating], d.note)
		if in.Rating == "unsatisfied" {
			// 003 4: 对代表反馈不满意的建议，责成重新办理并答复代表.
			n.Status = StatusSupervising
			d.tell(ToOffice, []int64{c.OrgID}, MsgSuggestionUnsatisfied, title)
		} else {
			n.Status, n.ClosedAt = StatusClosed, ptrTime(sc.Now)
		}
	case ActRedo:
		if err := require("comment", "重新办理意见", in.Comment, 2000); err != nil {
			return true, err
		}
		due, err := d.dueDate(RedoDue(sc.Calendar, sc.Now))
		if err != nil {
			return true, err
		}
		n.Round = c.Round + 1
		n.Status, n.DueDate, n.OriginalDue, n.Extension = StatusHandling, &due, &due, nil
		d.out.Units = UnitsNewRound
		d.note = joinNote(fmt.Sprintf("责成重新办理，第%d轮，期限 %s", n.Round, DueText(&due)), d.note)
		d.tell(ToUnitHandlers, d.unitsOf(false), MsgCaseSupervised, title, DueText(&due))
	case ActClose:
		if err := require("comment", "办结说明", in.Comment, 2000); err != nil {
			return true, err
		}
		n.Status, n.ClosedAt = StatusClosed, ptrTime(sc.Now)
	case ActRequestExtension:
		// 003 2: 规定时间内难以办理的 — asked for before the deadline.
		if c.DueDate != nil && sc.Now.After(*c.DueDate) {
			return true, Errorf(ESTATE, "办理期限（%s）已过，不能再申请延期；请尽快答复代表。", DueText(c.DueDate))
		}
		return false, nil // then as for an opinion
	case ActMarkKey:
		sup := strings.TrimSpace(in.Supervisor)
		if err := require("supervisor", "督办负责人", sup, 50); err != nil {
			return true, err
		}
		n.KeySupervisor = sup
		d.note = joinNote("列为重点督办，督办负责人："+sup, d.note)
		if units := d.unitsOf(true); len(units) > 0 {
			d.tell(ToUnitHandlers, units, MsgSuggestionKey, title, sup)
		}
	case ActEdit:
		t := func(x string) string { return strings.TrimSpace(x) }
		var v Validator
		checkSuggestionText(&v, c.Kind, t(in.Title), t(in.Content), t(in.Reasons), t(in.Proposals), t(in.Category))
		if v.Err != nil {
			return true, v.Err
		}
		n.Title, n.Content, n.Reasons, n.Proposals, n.Category = t(in.Title), t(in.Content), t(in.Reasons), t(in.Proposals), t(in.Category)
		d.out.Edited = true
		d.note = joinNote("修改草稿", d.note)
	case ActProgress:
		if c.KeySupervisor == "" {
			return true, Errorf(ESTATE, "只有列为重点督办的建议需要报告督办进展。")
		}
		if err := require("comment", "办理进展", in.Comment, 2000); err != nil {
			return true, err
		}
		d.note = "督办进展：" + d.note
		d.tell(ToOffice, []int64{c.OrgID}, MsgSuggestionProgress, title, c.KeySupervisor)
	default:
		return false, nil
	}
	return true, nil
}

// assignUnits sets the lead and co-units named by the input as the case's
// units with the deadline due (approve of an opinion, transfer of a
// suggestion), unsigned.
func (d *decision) assignUnits(due time.Time, verb string) error {
	in, c, n, sc := d.in, d.c, &d.n, d.sc
	if in.LeadUnitID == nil {
		return FieldError("lead_unit_id", "请选择主办单位。")
	}
	units := append([]int64{*in.LeadUnitID}, in.CoUnitIDs...)
	if len(units) > 10 {
		return FieldError("co_unit_ids", "协办单位不能超过9个。")
	}
	seen := map[int64]bool{}
	var names []string
	for i, id := range units {
		field := "lead_unit_id"
		if i > 0 {
			field = "co_unit_ids"
		}
		if seen[id] {
			return FieldError(field, "主办单位和协办单位不能重复。")
		}
		seen[id] = true
		o := sc.Units[id]
		if o == nil || o.Kind != OrgUnit || !o.Active {
			return FieldError(field, "承办单位（编号%d）不存在、已停用或不在您的范围内。", id)
		}
		names = append(names, o.Name)
	}
	n.Status, n.DueDate, n.OriginalDue = StatusAssigned, &due, &due
	n.Units = nil
	for i, id := range units {
		n.Units = append(n.Units, CaseUnit{OrgID: id, Name: names[i], Lead: i == 0, Round: c.Round})
	}
	d.out.Units, d.out.AssignUnits = UnitsAssign, n.Units
	co := ""
	if len(names) > 1 {
		co = "，协办 " + strings.Join(names[1:], "、")
	}
	d.note = joinNote(fmt.Sprintf("%s：主办 %s%s，期限 %s", verb, names[0], co, DueText(&due)), d.note)
	return nil
}

// assigned and assignedNames are the units a step assigned, lead first.
func (d *decision) assigned() []int64 {
	var ids []int64
	for _, u := range d.out.AssignUnits {
		ids = append(ids, u.OrgID)
	}
	return ids
}

func (d *decision) assignedNames() []string {
	var names []string
	for _, u := range d.out.AssignUnits {
		names = append(names, u.Name)
	}
	return names
}

// consult records a 面商 of the current round, or the deputy's waiver.
func (d *decision) consult() error {
	in, c, sc := d.in, d.c, d.sc
	x := Consultation{Round: c.Round, Waived: in.Waived, Deputies: strings.TrimSpace(in.Deputies), Notes: strings.TrimSpace(in.Notes), At: sc.Now}
	day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.HeldOn), Beijing)
	if err != nil {
		return FieldError("held_on", "日期格式应为 2027-03-31。")
	}
	if day.After(sc.Now.In(Beijing)) {
		return FieldError("held_on", "面商日期不能晚于今天。")
	}
	x.HeldOn = day.Format("2006-01-02")
	if in.Waived {
		// The deputy's written statement that no meeting is needed.
		x.Form = "waived"
		if err := require("notes", "代表书面意见", x.Notes, 2000); err != nil {
			return err
		}
		d.note = joinNote("代表书面表示无需面商："+Truncate(x.Notes, 100), d.note)
	} else {
		if _, ok := ConsultForms[in.Form]; !ok {
			return FieldError("form", "请选择面商方式：当面、电话或座谈。")
		}
		x.Form = in.Form
		if err := require("deputies", "参加面商的代表", x.Deputies, 200); err != nil {
			return err
		}
		if err := require("notes", "面商情况", x.Notes, 5000); err != nil {
			return err
		}
		d.note = joinNote(fmt.Sprintf("%s面商（%s），代表：%s", x.HeldOn, ConsultForms[x.Form], x.Deputies), d.note)
	}
	d.out.Consultation = &x
	return nil
}

// tellSigners tells the lead deputy and the confirmed co-signers.
func (d *decision) tellSigners(t TemplateKey, data ...any) {
	var ids []int64
	for _, s := range d.c.Signers {
		if s.Lead || s.ConfirmedAt != nil {
			ids = append(ids, s.DeputyID)
		}
	}
	if len(ids) == 0 {
		return
	}
	d.notices = append(d.notices, Notice{Template: t, Data: data, CaseID: d.c.ID,
		To:        Recipients{Kind: ToReceivingDeputies, Deputies: ids, ExceptUser: d.sc.ActorUserID},
		DedupeKey: fmt.Sprintf("%s:%d:%d", t, d.c.ID, d.n.Round)})
}

// suggestionAllows is roleAllows for suggestions and bills.
func (r CaseRoles) suggestionAllows(action WorkflowAction) bool {
	switch action {
	case ActSubmit, ActEdit:
		return r.Lead || r.Queue
	case ActCosign:
		return r.Cosigner
	case ActListOnAgenda, ActConvertToSuggestion, ActRecordResolution, ActTransfer, ActDecideExtension:
		return r.Queue // the office records what the 主席团 decided
	case ActRedo, ActClose:
		return r.Office // as the supervision of an opinion
	case ActMarkKey:
		return r.Leader
	case ActConsult:
		return r.Handler || r.Queue
	case ActProgress:
		return r.Handler || r.Office // the unit reports, the supervisor's office records its checks
	case ActSign, ActReply, ActRequestExtension:
		return r.Handler
	case ActUrge, ActArchive:
		return r.Office
	case ActEvaluate:
		return r.Lead || r.Office
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
