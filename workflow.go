package lianluo

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The case workflow as a decision (docs/workflow.md): what one action does
// to a case, given the case as loaded, the action and its input, the
// caller's part in the case, the policy, the calendar and now. DecideStep
// returns the change, the history step and the notices, or the error the
// caller sees; the store loads what the decision needs, calls it and writes
// what it decided in one transaction, and no rule of the workflow lives in
// its SQL.

// StepContext is everything DecideStep needs to decide one action.
type StepContext struct {
	Case   *Case // as loaded, with its receiving deputies, current units, extension and ratings
	Action WorkflowAction
	Input  CaseAction
	Roles  CaseRoles // the caller's part in the case (RolesOn)
	// ActorUserID is the caller's account (0 for the system or a voter): a
	// receiving deputy is not told of their own step.
	ActorUserID int64
	Policy      Policy
	Calendar    *Calendar
	Now         time.Time

	// What the store looked up for the action's input:
	// approve: the units named by lead_unit_id and co_unit_ids that exist
	// in the caller's scope;
	Units map[int64]*Org
	// escalate: the NPC body above the case's (nil when none);
	ParentOrgID *int64
	// link: the case to join (nil when missing or outside the scope).
	Master *Case
	// Linked are the cases joined to this one (并案), which follow it.
	Linked []LinkedCase

	// Suggestions and bills:
	// ActorDeputyID is the deputy the caller is signed in as (cosign);
	ActorDeputyID int64
	// Level is the level of the NPC body's region (the signers a bill needs);
	Level string
	// SessionEnd is the session's last day, YYYY-MM-DD ("" between sessions);
	SessionEnd string
	// Evidence are the opinions a suggestion was raised from, whose
	// voters are told of its answer.
	Evidence []LinkedCase
}

// LinkedCase is a case joined to another (并案) as a step needs it.
type LinkedCase struct {
	ID         int64
	Status     CaseStatus
	Title      string
	Phone      string  // the submitter's phone, unmasked
	ReceivedBy []int64 // its receiving deputies (接待代表)
}

// UnitChange says what a step does to the case's handling units.
type UnitChange string

// Unit changes.
const (
	UnitsKeep     UnitChange = ""          // nothing
	UnitsAssign   UnitChange = "assign"    // StepDecision.AssignUnits become the current units, unsigned (交办)
	UnitsSignLead UnitChange = "sign_lead" // the lead unit signs (签收)
	UnitsDrop     UnitChange = "drop"      // no unit handles it any more (退回)
	UnitsNewRound UnitChange = "new_round" // the same units handle the new round, already signed (督办)
)

// HistoryStep is one entry of a case's history (and of the audit trail).
type HistoryStep struct {
	CaseID   int64
	Action   WorkflowAction
	From, To CaseStatus
	Note     string
}

// StepDecision is what one action does.
type StepDecision struct {
	// Case is the case as it will be written: status, queue, round,
	// master, deadlines, extension, outcome, closing and archive year.
	Case Case
	// Submitted sets the time of submission for approval (the start of
	// the approval deadline).
	Submitted   bool
	Units       UnitChange
	AssignUnits []CaseUnit // with UnitsAssign: lead first
	Reply       *Reply     // the answer to record (reply)
	Rating      *Rating    // the rating to record (evaluate)
	// AssignNumber gives the case the next number of its session and kind.
	AssignNumber bool
	Signer       *SignerChange // a co-signer's answer (cosign)
	Consultation *Consultation // the 面商 to record (consult)
	Edited       bool          // a draft's text changed (edit): title, content, category, reasons, proposals
	// Steps are the history steps to record: the case's own, then the
	// master's of a link.
	Steps []HistoryStep
	// Follow are the steps of the linked cases (并案) that follow a change
	// of status: each moves to Case's status, deadline, outcome, closing
	// and archive year.
	Follow  []HistoryStep
	Notices []Notice
}

// CheckActionRequest checks what every action request carries: a known
// action and the version the caller read.
func CheckActionRequest(action WorkflowAction, in CaseAction) error {
	if !slices.Contains(Actions, action) {
		return FieldError("action", "没有“%s”这个办理操作。", Truncate(string(action), 30))
	}
	if in.Version <= 0 {
		return CheckVersion("该意见", in.Version, 0)
	}
	return nil
}

// CheckActionState checks that the action may be taken on the case as it
// stands: the version the caller read, not linked into another case, the
// status.
func CheckActionState(c *Case, action WorkflowAction, version int) error {
	if c.Version != version {
		return Stale()
	}
	if c.MasterID != nil {
		return Errorf(ESTATE, "本件已并入意见 #%d 一并办理，请在该意见上操作。", *c.MasterID)
	}
	if !KindAllows(c.Kind, action, c.Status) {
		return Errorf(ESTATE, "该%s当前状态为“%s”，不能%s。", KindNoun(c.Kind), StatusNames[c.Status], ActionNamesCase[action])
	}
	return nil
}

// DecideStep decides one workflow action (docs/workflow.md): the state and
// the caller's part in the case, then the action's input, then what it
// changes, records and tells whom.
func DecideStep(sc StepContext) (*StepDecision, error) {
	if err := CheckActionRequest(sc.Action, sc.Input); err != nil {
		return nil, err
	}
	if err := CheckActionState(sc.Case, sc.Action, sc.Input.Version); err != nil {
		return nil, err
	}
	if err := sc.Roles.check(sc.Case.Kind, sc.Action, sc.Input.By); err != nil {
		return nil, err
	}
	d := newDecision(sc)
	if err := d.decide(); err != nil {
		return nil, err
	}
	return d.finish(), nil
}

// OnlineRatingContext is what DecideOnlineRating needs: the case as loaded
// and whether its answer was fed back to the voter.
type OnlineRatingContext struct {
	Case    *Case
	FedBack bool
	Rating  string
	Comment string
	Policy  Policy
	Now     time.Time
	Linked  []LinkedCase
}

// CheckOnlineRating checks a voter's rating and comment, before the
// opinion is looked up.
func CheckOnlineRating(rating, comment string) error {
	if _, ok := RatingNames[rating]; !ok {
		return FieldError("rating", "请选择满意、基本满意或不满意。")
	}
	return optional("comment", "评价意见", strings.TrimSpace(comment), 500)
}

// VoterMayRate reports whether the voter may rate the case online now: once
// the answer was fed back to them, once a round.
func VoterMayRate(c *Case, fedBack bool) bool {
	return !c.rated(ByVoter) && (c.Status == StatusAwaitingEvaluation ||
		(fedBack && (c.Status == StatusClosed || c.Status == StatusSupervising)))
}

// DecideOnlineRating decides a voter's rating given on /track. The voter's
// rating drives the workflow only when no deputy received the case, and
// only while it awaits evaluation; otherwise it is kept beside the deputy's
// and moves nothing.
func DecideOnlineRating(rc OnlineRatingContext) (*StepDecision, error) {
	if err := CheckOnlineRating(rc.Rating, rc.Comment); err != nil {
		return nil, err
	}
	comment := strings.TrimSpace(rc.Comment)
	c := rc.Case
	if !VoterMayRate(c, rc.FedBack) {
		if c.rated(ByVoter) {
			return nil, Errorf(ESTATE, "您已经评价过了，谢谢！")
		}
		return nil, Errorf(ESTATE, "向您反馈办理结果后才能评价。")
	}
	d := newDecision(StepContext{Case: c, Action: ActEvaluate, Policy: rc.Policy, Now: rc.Now, Linked: rc.Linked,
		Input: CaseAction{Version: c.Version, By: ByVoter, Rating: rc.Rating, Comment: comment}})
	if err := d.decide(); err != nil {
		return nil, err
	}
	if c.Status != StatusAwaitingEvaluation || c.MasterID != nil {
		d.n.Status, d.n.ClosedAt, d.notices = c.Status, c.ClosedAt, nil
	}
	return d.finish(), nil
}

// decision is a step being decided: c is the case as read, n the case as
// it will be written.
type decision struct {
	sc      StepContext
	in      CaseAction
	c       *Case
	n       Case
	out     StepDecision
	note    string
	notices []Notice
}

func newDecision(sc StepContext) *decision {
	return &decision{sc: sc, in: sc.Input, c: sc.Case, n: *sc.Case}
}

// finish completes the decision: the history steps and what follows.
func (d *decision) finish() *StepDecision {
	out := &d.out
	out.Case = d.n
	out.Submitted = d.n.Status == StatusPendingApproval
	out.Steps = append([]HistoryStep{{CaseID: d.c.ID, Action: d.sc.Action, From: d.c.Status, To: d.n.Status, Note: d.note}}, out.Steps...)
	if d.n.Status != d.c.Status && d.sc.Action != ActLink {
		for _, l := range d.sc.Linked {
			out.Follow = append(out.Follow, HistoryStep{CaseID: l.ID, Action: d.sc.Action, From: l.Status, To: d.n.Status,
				Note: fmt.Sprintf("随意见 #%d 一并办理", d.c.ID)})
			if d.sc.Action == ActFeedback && l.Phone != "" {
				// Feedback on the master reaches every linked voter.
				d.notices = append(d.notices, Notice{Template: MsgCaseFeedback, CaseID: l.ID,
					Data:      []any{Truncate(l.Title, 20), Truncate(d.n.Outcome, 200)},
					To:        Recipients{Kind: ToPhone, Phone: l.Phone},
					DedupeKey: fmt.Sprintf("feedback:%d:%d", l.ID, d.n.Round)})
			}
			if d.sc.Action == ActFeedback && len(l.ReceivedBy) > 0 {
				// ... and every deputy who received a linked opinion, who rates the answer too.
				d.notices = append(d.notices, Notice{Template: MsgCaseFedBack, CaseID: l.ID, Urgent: d.c.Urgent,
					Data:      []any{Truncate(l.Title, 30), Truncate(strings.TrimRight(strings.TrimSpace(d.n.Outcome), "。."), 200)},
					To:        Recipients{Kind: ToReceivingDeputies, Deputies: slices.Clone(l.ReceivedBy), ExceptUser: d.sc.ActorUserID},
					DedupeKey: fmt.Sprintf("%s:%d:%d", MsgCaseFedBack, l.ID, d.n.Round)})
			}
		}
	}
	out.Notices = d.notices
	return out
}

func require(field, label, s string, max int) error {
	var v Validator
	v.Require(field, label, s)
	v.MaxLen(field, label, s, max)
	return v.Err
}

func optional(field, label, s string, max int) error {
	var v Validator
	v.MaxLen(field, label, s, max)
	return v.Err
}

// RatingDriver is whose rating moves the case: the deputy's when a deputy
// received it, otherwise the voter's (000 七: 直到代表基本满意为止).
func RatingDriver(c *Case) string {
	if len(c.ReceivedBy) > 0 {
		return ByDeputy
	}
	return ByVoter
}

func joinNote(a, b string) string {
	if b == "" {
		return a
	}
	if a == "" {
		return b
	}
	return a + "。" + b
}

func (d *decision) decide() error {
	in, c, n, sc := d.in, d.c, &d.n, d.sc
	if err := optional("comment", "意见", in.Comment, 2000); err != nil {
		return err
	}
	d.note = strings.TrimSpace(in.Comment)
	if IsSuggestionKind(c.Kind) {
		if done, err := d.decideSuggestion(); done {
			return err
		}
	}
	staffTitle, voterTitle := Truncate(c.Title, 30), Truncate(c.Title, 20)
	switch sc.Action {
	case ActTriage:
		to, ok := TriageOutcomes[in.Outcome]
		if !ok {
			return FieldError("outcome", "请选择梳理结果：当场答复、不予受理、解释说明或报送审核。")
		}
		n.Status = to
		switch in.Outcome {
		case "answered":
			if err := require("answer", "答复内容", in.Answer, 2000); err != nil {
				return err
			}
			n.Outcome, d.note = in.Answer, joinNote("当场答复："+in.Answer, d.note)
		case "not_accepted":
			r, ok := NotAcceptedReasons[in.ReasonCode]
			if !ok {
				return FieldError("reason_code", "请选择不予受理的原因。")
			}
			if in.ReasonCode == "other" && d.note == "" {
				return FieldError("comment", "选择“其他原因”时请写明原因。")
			}
			n.Outcome = r.Signpost
			d.note = joinNote("不予受理（"+r.Name+"）", d.note)
			d.smsVoter(MsgCaseNotAccepted, voterTitle, r.Signpost)
		case "explained":
			if err := require("explanation", "解释说明", in.Explanation, 2000); err != nil {
				return err
			}
			n.Outcome, d.note = in.Explanation, joinNote("解释说明："+in.Explanation, d.note)
			d.smsVoter(MsgCaseExplained, voterTitle, Truncate(in.Explanation, 200))
		case "forward":
			// 000: 报送 to the chair; assignment is due within ten days.
			n.DueDate = ptrTime(ApprovalDue(sc.Policy, sc.Calendar, sc.Now))
			d.tell(ToLeaders, []int64{c.OrgID}, MsgCasePendingApproval, "有意见", staffTitle)
		}
	case ActApprove:
		return d.approve()
	case ActEscalate:
		if sc.ParentOrgID == nil {
			return Errorf(ESTATE, "“%s”没有上级人大机构，不能再报上级。", c.OrgName)
		}
		n.OrgID = *sc.ParentOrgID
		n.DueDate = ptrTime(ApprovalDue(sc.Policy, sc.Calendar, sc.Now))
		d.note = joinNote("报上级人大机构", d.note)
		d.tell(ToLeaders, []int64{*sc.ParentOrgID}, MsgCasePendingApproval, "下级报送意见", staffTitle)
	case ActSendBack:
		if err := require("comment", "退回意见", in.Comment, 2000); err != nil {
			return err
		}
		n.Status, n.DueDate = StatusRegistered, nil
	case ActSign:
		d.out.Units = UnitsSignLead
		n.Status = StatusHandling
	case ActReturn:
		if err := require("reason", "退回理由", in.Reason, 2000); err != nil {
			return err
		}
		d.out.Units = UnitsDrop
		n.Status = StatusPendingApproval
		n.DueDate = ptrTime(ApprovalDue(sc.Policy, sc.Calendar, sc.Now))
		d.note = joinNote("退回理由："+in.Reason, d.note)
		d.tell(ToLeaders, []int64{c.OrgID}, MsgCaseReturned, staffTitle)
	case ActRequestExtension:
		if c.Extension != nil {
			return Errorf(ESTATE, "每件意见只能申请一次延期。")
		}
		if err := require("reason", "延期理由", in.Reason, 2000); err != nil {
			return err
		}
		until, err := ParseDueDate("until", in.Until, sc.Now)
		if err != nil {
			return err
		}
		if c.DueDate != nil && !until.After(*c.DueDate) {
			return FieldError("until", "延期后的期限应晚于现在的期限。")
		}
		// 003: one extension of at most one month beyond the original deadline.
		if _, latest := ExtensionLimit(c, sc.Policy); latest != nil && until.After(*latest) {
			return FieldError("until", "延期不能超过原办理期限%d个月。", sc.Policy.ExtensionMonths)
		}
		n.Extension = &Extension{Until: until, Reason: in.Reason}
		d.note = joinNote(fmt.Sprintf("申请延期至 %s：%s", DueText(&until), in.Reason), d.note)
		d.tell(ToOffice, []int64{c.OrgID}, MsgCaseExtension, staffTitle)
	case ActDecideExtension:
		if c.Extension == nil || c.Extension.Decided {
			return Errorf(ESTATE, "没有待审批的延期申请。")
		}
		if in.Approve == nil {
			return FieldError("approve", "请选择同意或不同意延期。")
		}
		e := *c.Extension
		e.Decided, e.Approved, e.DecidedAt = true, *in.Approve, ptrTime(sc.Now)
		n.Extension = &e
		verdict := "不同意延期"
		if e.Approved {
			n.DueDate = ptrTime(e.Until)
			verdict = "同意延期至 " + DueText(&e.Until)
		}
		d.note = joinNote(verdict, d.note)
		d.tell(ToUnitHandlers, d.unitsOf(true), MsgCaseExtensionDecided, verdict, staffTitle)
	case ActUrge:
		d.note = joinNote("催办", d.note)
		d.tell(ToUnitHandlers, d.unitsOf(true), MsgCaseUrged, staffTitle, DueText(c.DueDate))
	case ActReply:
		if _, ok := ReplyResults[in.Result]; !ok {
			return FieldError("result", "请选择办理结果：A 已解决、B 正在解决、C 暂不能解决。")
		}
		if err := require("content", "答复内容", in.Content, 5000); err != nil {
			return err
		}
		d.out.Reply = &Reply{Result: in.Result, Content: in.Content, MetDeputy: in.MetDeputy, Round: c.Round, At: sc.Now}
		n.Status = StatusReplied
		d.note = joinNote(fmt.Sprintf("答复（%s %s）", in.Result, ReplyResults[in.Result]), d.note)
		d.tell(ToOffice, []int64{c.OrgID}, MsgCaseReplied, staffTitle)
	case ActFeedback:
		if err := require("content", "反馈内容", in.Content, 2000); err != nil {
			return err
		}
		n.Status, n.Outcome = StatusAwaitingEvaluation, in.Content
		d.note = joinNote("反馈："+in.Content, d.note)
		d.smsVoter(MsgCaseFeedback, voterTitle, Truncate(in.Content, 200))
		d.tellReceivingDeputies(MsgCaseFedBack, staffTitle, Truncate(strings.TrimRight(strings.TrimSpace(in.Content), "。."), 200))
	case ActEvaluate:
		if _, ok := RatingNames[in.Rating]; !ok {
			return FieldError("rating", "请选择满意、基本满意或不满意。")
		}
		if c.rated(in.By) {
			return Errorf(ESTATE, "本轮%s已经测评过。", EvaluatorNames[in.By])
		}
		d.out.Rating = &Rating{By: in.By, Rating: in.Rating, Comment: d.note, Round: c.Round, At: sc.Now}
		d.note = joinNote(EvaluatorNames[in.By]+"测评："+RatingNames[in.Rating], d.note)
		if in.By == RatingDriver(c) {
			if in.Rating == "unsatisfied" {
				n.Status = StatusSupervising
				d.tell(ToOffice, []int64{c.OrgID}, MsgCaseUnsatisfied, staffTitle)
			} else {
				n.Status, n.ClosedAt = StatusClosed, ptrTime(sc.Now)
			}
		}
	case ActSupervise:
		if err := require("comment", "督办意见", in.Comment, 2000); err != nil {
			return err
		}
		due, err := d.dueDate(DefaultReplyDue(sc.Policy, sc.Calendar, sc.Now))
		if err != nil {
			return err
		}
		n.Round = c.Round + 1
		n.Status, n.DueDate, n.OriginalDue = StatusHandling, &due, &due
		d.out.Units = UnitsNewRound
		d.note = joinNote(fmt.Sprintf("督办，第%d轮办理", n.Round), d.note)
		d.tell(ToUnitHandlers, d.unitsOf(false), MsgCaseSupervised, staffTitle, DueText(&due))
	case ActClose:
		if c.Status == StatusSupervising {
			if c.Round < sc.Policy.MaxRounds {
				return Errorf(ESTATE, "督办未满%d轮，请继续督办。", sc.Policy.MaxRounds)
			}
			if err := require("comment", "办结说明", in.Comment, 2000); err != nil {
				return err
			}
		}
		n.Status, n.ClosedAt = StatusClosed, ptrTime(sc.Now)
	case ActArchive:
		n.Status, n.ArchivedYear = StatusArchived, ArchiveYear(c, sc.Now)
		d.note = joinNote(fmt.Sprintf("归入%d年度档案", n.ArchivedYear), d.note)
	case ActLink:
		return d.link()
	}
	return nil
}

func (d *decision) approve() error {
	if d.in.LeadUnitID == nil {
		return FieldError("lead_unit_id", "请选择主办单位。")
	}
	due, err := d.dueDate(DefaultReplyDue(d.sc.Policy, d.sc.Calendar, d.sc.Now))
	if err != nil {
		return err
	}
	if err := d.assignUnits(due, "交办"); err != nil {
		return err
	}
	d.tell(ToUnitHandlers, d.assigned(), MsgCaseAssigned, Truncate(d.c.Title, 30), DueText(&due))
	return nil
}

func (d *decision) link() error {
	c, n, m := d.c, &d.n, d.sc.Master
	if d.in.MasterID == nil {
		return FieldError("master_id", "请填写要并入的意见编号。")
	}
	if *d.in.MasterID == c.ID {
		return FieldError("master_id", "不能并入本件自身。")
	}
	if m == nil || m.ID != *d.in.MasterID {
		return FieldError("master_id", "要并入的意见不存在或不在您的范围内。")
	}
	if m.MasterID != nil {
		return FieldError("master_id", "意见 #%d 本身已并入意见 #%d，请并入后者。", m.ID, *m.MasterID)
	}
	if !IsOpen(m.Status) {
		return FieldError("master_id", "要并入的意见已办结，不能并入。")
	}
	if len(d.sc.Linked) > 0 {
		return Errorf(ESTATE, "已有其他意见并入本件，本件不能再并入其他意见。")
	}
	n.MasterID, n.Status, n.DueDate = &m.ID, m.Status, m.DueDate
	d.note = joinNote(fmt.Sprintf("并入意见 #%d“%s”", m.ID, Truncate(m.Title, 30)), d.note)
	d.out.Steps = append(d.out.Steps, HistoryStep{CaseID: m.ID, Action: ActLink, From: m.Status, To: m.Status,
		Note: fmt.Sprintf("意见 #%d 并入本件", c.ID)})
	return nil
}

// dueDate is the deadline the input sets (due_date), or def.
func (d *decision) dueDate(def time.Time) (time.Time, error) {
	if d.in.DueDate == "" {
		return def, nil
	}
	return ParseDueDate("due_date", d.in.DueDate, d.sc.Now)
}

func ptrTime(t time.Time) *time.Time { return &t }
