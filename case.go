package lianluo

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// Case kinds: voters' opinions, and deputies' formal suggestions and bills
// (docs/suggestions.md), which go through the same engine with statuses and
// actions of their own (KindTransitions).
const (
	KindOpinion    = "opinion"    // 群众意见/社情民意
	KindSuggestion = "suggestion" // 代表建议、批评和意见
	KindBill       = "bill"       // 代表议案
)

// CaseKindNames are the Chinese names of the case kinds.
var CaseKindNames = map[string]string{KindOpinion: "群众意见", KindSuggestion: "代表建议", KindBill: "代表议案"}

// ChannelNames are the Chinese names of the intake channels (docs/design.md).
var ChannelNames = map[string]string{
	"visit":       "来访",
	"phone":       "来电",
	"letter":      "来信",
	"online":      "网上反映",
	"mailbox":     "代表信箱",
	"home_visit":  "走访",
	"diary":       "民情日记",
	"opinion_box": "意见箱",
	"forum":       "座谈会",
	"hotline":     "热线",
}

// CaseStatus is where a case stands in the workflow (docs/workflow.md). The
// values are the text stored in cases.status and sent in the JSON API.
type CaseStatus string

// Case statuses, exactly docs/workflow.md.
const (
	StatusRegistered         CaseStatus = "registered"          // 已登记，待梳理
	StatusAnswered           CaseStatus = "answered"            // 当场答复
	StatusNotAccepted        CaseStatus = "not_accepted"        // 不予受理
	StatusExplained          CaseStatus = "explained"           // 解释说明
	StatusPendingApproval    CaseStatus = "pending_approval"    // 待审核交办
	StatusAssigned           CaseStatus = "assigned"            // 已交办，待签收
	StatusHandling           CaseStatus = "handling"            // 办理中
	StatusReplied            CaseStatus = "replied"             // 已答复，待反馈
	StatusAwaitingEvaluation CaseStatus = "awaiting_evaluation" // 待测评
	StatusSupervising        CaseStatus = "supervising"         // 督办中
	StatusClosed             CaseStatus = "closed"              // 已办结
	StatusArchived           CaseStatus = "archived"            // 已归档

	// Suggestions and bills only (docs/suggestions.md).
	StatusDraft     CaseStatus = "draft"     // 草稿，待附议
	StatusSubmitted CaseStatus = "submitted" // 建议已提出，待交办
	StatusProposed  CaseStatus = "proposed"  // 议案已提出，待主席团决定是否列入议程
	StatusOnAgenda  CaseStatus = "on_agenda" // 议案已列入大会议程
)

// StatusNames are the Chinese names of the statuses.
var StatusNames = map[CaseStatus]string{
	StatusRegistered:         "待梳理",
	StatusAnswered:           "已当场答复",
	StatusNotAccepted:        "不予受理",
	StatusExplained:          "已解释说明",
	StatusPendingApproval:    "待审核交办",
	StatusAssigned:           "已交办待签收",
	StatusHandling:           "办理中",
	StatusReplied:            "已答复待反馈",
	StatusAwaitingEvaluation: "待满意度测评",
	StatusSupervising:        "督办中",
	StatusClosed:             "已办结",
	StatusArchived:           "已归档",
	StatusDraft:              "草稿（待附议）",
	StatusSubmitted:          "已提出待交办",
	StatusProposed:           "待主席团决定",
	StatusOnAgenda:           "已列入大会议程",
}

// Statuses lists the statuses in workflow order.
var Statuses = []CaseStatus{StatusRegistered, StatusAnswered, StatusNotAccepted, StatusExplained, StatusPendingApproval,
	StatusAssigned, StatusHandling, StatusReplied, StatusAwaitingEvaluation, StatusSupervising, StatusClosed, StatusArchived}

// SuggestionStatuses lists the statuses of suggestions and bills in
// workflow order.
var SuggestionStatuses = []CaseStatus{StatusDraft, StatusProposed, StatusOnAgenda, StatusSubmitted, StatusAssigned,
	StatusHandling, StatusAwaitingEvaluation, StatusSupervising, StatusClosed, StatusArchived}

// WorkflowAction is a step a person takes on a case (docs/workflow.md):
// the {action} of POST /api/v1/cases/{id}/actions/{action}, stored in
// case_events.action. (CaseAction is that request's body.)
type WorkflowAction string

// Case actions, exactly docs/workflow.md.
const (
	ActTriage           WorkflowAction = "triage"
	ActApprove          WorkflowAction = "approve"
	ActEscalate         WorkflowAction = "escalate"
	ActSendBack         WorkflowAction = "send_back"
	ActSign             WorkflowAction = "sign"
	ActReturn           WorkflowAction = "return"
	ActRequestExtension WorkflowAction = "request_extension"
	ActDecideExtension  WorkflowAction = "decide_extension"
	ActUrge             WorkflowAction = "urge"
	ActReply            WorkflowAction = "reply"
	ActFeedback         WorkflowAction = "feedback"
	ActEvaluate         WorkflowAction = "evaluate"
	ActSupervise        WorkflowAction = "supervise"
	ActClose            WorkflowAction = "close"
	ActArchive          WorkflowAction = "archive"
	ActLink             WorkflowAction = "link"

	// Suggestions and bills (docs/suggestions.md); they also take sign,
	// request_extension, decide_extension, urge, reply, evaluate, close
	// and archive.
	ActSubmit              WorkflowAction = "submit"
	ActCosign              WorkflowAction = "cosign"
	ActListOnAgenda        WorkflowAction = "list_on_agenda"
	ActConvertToSuggestion WorkflowAction = "convert_to_suggestion"
	ActRecordResolution    WorkflowAction = "record_resolution"
	ActTransfer            WorkflowAction = "transfer"
	ActConsult             WorkflowAction = "consult"
	ActRedo                WorkflowAction = "redo"
	ActMarkKey             WorkflowAction = "mark_key"
	ActProgress            WorkflowAction = "progress" // a key suggestion's progress report (督办进展)
	ActEdit                WorkflowAction = "edit"     // a draft's text corrected before it is put forward
)

// History steps that are not workflow actions: a case's history
// (case_events.action) records these too.
const (
	StepRegister  WorkflowAction = "register"  // 登记
	StepAttach    WorkflowAction = "attach"    // a file added by staff or the voter
	StepSource    WorkflowAction = "source"    // made from a diary entry or a letter
	StepPublish   WorkflowAction = "publish"   // put in the public results
	StepUnpublish WorkflowAction = "unpublish" // taken out of them
)

// Actions lists every action.
var Actions = []WorkflowAction{ActTriage, ActApprove, ActEscalate, ActSendBack, ActSign, ActReturn, ActRequestExtension,
	ActDecideExtension, ActUrge, ActReply, ActFeedback, ActEvaluate, ActSupervise, ActClose, ActArchive, ActLink,
	ActSubmit, ActCosign, ActListOnAgenda, ActConvertToSuggestion, ActRecordResolution, ActTransfer, ActConsult, ActRedo, ActMarkKey, ActProgress, ActEdit}

// ActionNamesCase are the Chinese names of the actions.
var ActionNamesCase = map[WorkflowAction]string{
	ActTriage: "梳理", ActApprove: "审核交办", ActEscalate: "报上级", ActSendBack: "退回重新梳理", ActSign: "签收",
	ActReturn: "退回（非本单位职责）", ActRequestExtension: "申请延期", ActDecideExtension: "审批延期", ActUrge: "催办",
	ActReply: "答复", ActFeedback: "反馈", ActEvaluate: "满意度测评", ActSupervise: "督办", ActClose: "办结",
	ActArchive: "归档", ActLink: "合并办理",
	ActSubmit: "提出", ActCosign: "附议确认", ActListOnAgenda: "列入大会议程", ActConvertToSuggestion: "转为建议",
	ActRecordResolution: "记录表决结果", ActTransfer: "交办", ActConsult: "面商", ActRedo: "重新办理", ActMarkKey: "重点督办", ActProgress: "报告督办进展", ActEdit: "修改草稿",
	StepSource: "来源", // a case made from a diary entry or a letter: where it came from
}

// transitions is the workflow: for each action, the statuses it may start
// from. Where an action has several outcomes (triage, evaluate, close) the
// store decides the target from the input; this table says only where an
// action is allowed.
var transitions = map[WorkflowAction][]CaseStatus{
	ActTriage:           {StatusRegistered},
	ActApprove:          {StatusPendingApproval},
	ActEscalate:         {StatusPendingApproval},
	ActSendBack:         {StatusPendingApproval},
	ActSign:             {StatusAssigned},
	ActReturn:           {StatusAssigned, StatusHandling},
	ActRequestExtension: {StatusHandling},
	ActDecideExtension:  {StatusHandling},
	ActUrge:             {StatusAssigned, StatusHandling},
	ActReply:            {StatusHandling},
	ActFeedback:         {StatusReplied},
	ActEvaluate:         {StatusAwaitingEvaluation},
	ActSupervise:        {StatusSupervising},
	ActClose:            {StatusAnswered, StatusNotAccepted, StatusExplained, StatusSupervising},
	ActArchive:          {StatusClosed},
	ActLink:             {StatusRegistered, StatusPendingApproval},
}

// ActionAllowedIn reports whether the action may be taken on an opinion in
// the status.
func ActionAllowedIn(action WorkflowAction, status CaseStatus) bool {
	return slices.Contains(transitions[action], status)
}

// KindAllows reports whether the action may be taken on a case of the kind
// in the status: the opinion workflow, or the suggestion or bill one.
func KindAllows(kind string, action WorkflowAction, status CaseStatus) bool {
	switch kind {
	case KindSuggestion:
		return slices.Contains(suggestionTransitions[action], status)
	case KindBill:
		return slices.Contains(billTransitions[action], status)
	}
	return ActionAllowedIn(action, status)
}

// OpenStatuses are the statuses of a case still being worked on.
func IsOpen(status CaseStatus) bool {
	return status != StatusClosed && status != StatusArchived
}

// Triage outcomes and their target statuses.
var TriageOutcomes = map[string]CaseStatus{
	"answered":     StatusAnswered,
	"not_accepted": StatusNotAccepted,
	"explained":    StatusExplained,
	"forward":      StatusPendingApproval,
}

// NotAcceptedReasons are why a matter is not accepted, each with the
// signpost the voter is given (000, 001: 个人涉法涉诉 and private matters are
// guided to the proper channel).
var NotAcceptedReasons = map[string]struct{ Name, Signpost string }{
	"litigation":            {"已进入诉讼程序", "您反映的事项已进入诉讼程序，请依法通过人民法院解决；如需法律援助，可向当地司法所或公共法律服务中心咨询。"},
	"arbitration":           {"属于仲裁事项", "您反映的事项属于仲裁范围，请向有管辖权的仲裁委员会申请仲裁。"},
	"administrative_review": {"属于行政复议事项", "您反映的事项可依法申请行政复议，请向作出行政行为机关的上一级机关或同级人民政府提出。"},
	"petition_in_progress":  {"已在信访程序中", "您反映的事项已在信访程序中办理，请关注信访部门的答复，或向当地信访部门查询进度。"},
	"not_public_matter":     {"不属于公共事务", "您反映的事项属于个人或民事事务，建议通过协商、人民调解或司法途径解决；社区（村）调解委员会可提供帮助。"},
	"other":                 {"其他原因", "您反映的事项不属于人大代表联络站受理范围，我们已向您说明原因和可以办理的途径。"},
}

// Reply result classes (docs/workflow.md).
var ReplyResults = map[string]string{
	"A": "已解决或基本解决",
	"B": "正在解决或列入计划解决",
	"C": "因条件限制暂不能解决",
}

// Ratings of an evaluation (满意度测评).
var RatingNames = map[string]string{
	"satisfied":           "满意",
	"basically_satisfied": "基本满意",
	"unsatisfied":         "不满意",
}

// Case is one matter raised by the public or a deputy.
type Case struct {
	ID              int64            `json:"id"`
	TrackingCode    string           `json:"tracking_code"`
	Kind            string           `json:"kind"`
	Channel         string           `json:"channel"`
	StationID       *int64           `json:"station_id"`
	StationName     string           `json:"station_name,omitempty"`
	OrgID           int64            `json:"org_id"` // the NPC body whose queue the case is in
	OrgName         string           `json:"org_name,omitempty"`
	Title           string           `json:"title"`
	Content         string           `json:"content"`
	Category        string           `json:"category"`
	RegionCode      string           `json:"region_code"`
	RegionName      string           `json:"region_name,omitempty"`
	Location        string           `json:"location"`
	Submitter       Submitter        `json:"submitter"`
	ReceivedBy      []int64          `json:"received_by"` // deputies who received it
	ReceivedByNames []string         `json:"received_by_names,omitempty"`
	Urgent          bool             `json:"urgent"`
	Confidential    bool             `json:"confidential"`
	Status          CaseStatus       `json:"status"`
	Round           int              `json:"round"` // handling round: 1, then +1 per supervision
	MasterID        *int64           `json:"master_id"`
	DueDate         *time.Time       `json:"due_date"`          // the current deadline: approval, or handling
	OriginalDue     *time.Time       `json:"original_due_date"` // the handling deadline before any extension
	Extension       *Extension       `json:"extension,omitempty"`
	Outcome         string           `json:"outcome,omitempty"` // the closing text: answer, signpost, explanation, reply
	Units           []CaseUnit       `json:"units"`
	Reply           *Reply           `json:"reply,omitempty"`
	Ratings         []Rating         `json:"ratings"`
	Events          []CaseEvent      `json:"events,omitempty"`
	Allowed         []WorkflowAction `json:"allowed_actions,omitempty"` // for the caller, now
	Version         int              `json:"version"`
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
	ClosedAt        *time.Time       `json:"closed_at,omitempty"`
	ArchivedYear    int              `json:"archived_year,omitempty"`
	ReceptionID     *int64           `json:"reception_id,omitempty"` // registered during this reception
	PublishedAt     *time.Time       `json:"published_at,omitempty"` // in the public results since
	PublicAnswer    string           `json:"public_answer,omitempty"`

	// Suggestions and bills (docs/suggestions.md).
	SessionID     *int64         `json:"session_id,omitempty"` // the congress session; nil between sessions (闭会期间)
	SessionName   string         `json:"session_name,omitempty"`
	Number        int            `json:"number,omitempty"`            // 第N号 in its session and kind, from submission
	Reasons       string         `json:"reasons,omitempty"`           // 案由和理由
	Proposals     string         `json:"proposals,omitempty"`         // 建议和办法
	Presidium     bool           `json:"presidium,omitempty"`         // a bill of the 主席团
	Signers       []Signer       `json:"signers,omitempty"`           // the lead deputy (领衔) first, then the co-signers (附议)
	KeySupervisor string         `json:"key_supervisor,omitempty"`    // 重点督办: the named supervisor
	Consultations []Consultation `json:"consultations,omitempty"`     // 面商, every round
	EvidenceIDs   []int64        `json:"evidence_case_ids,omitempty"` // a suggestion's opinions (from opinions)
	SuggestionIDs []int64        `json:"suggestion_ids,omitempty"`    // an opinion's suggestions raised from it
}

// Submitter is the person who raised the case. Phone, address and ID
// number are personal information: masked unless the caller's role needs
// them (Reveal is false then).
type Submitter struct {
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Address  string `json:"address"`
	IDNumber string `json:"id_number"`
	Masked   bool   `json:"masked"`
}

// CaseUnit is a unit assigned to a case: the lead unit (主办) or a co-unit (协办).
type CaseUnit struct {
	OrgID    int64      `json:"org_id"`
	Name     string     `json:"name"`
	Lead     bool       `json:"lead"`
	Round    int        `json:"round"`
	SignedAt *time.Time `json:"signed_at,omitempty"`
}

// Extension is a unit's request for more time (one per case, at most one
// month beyond the original deadline — 003).
type Extension struct {
	Until     time.Time  `json:"until"`
	Reason    string     `json:"reason"`
	Decided   bool       `json:"decided"`
	Approved  bool       `json:"approved"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

// Reply is the lead unit's answer in the current round.
type Reply struct {
	Result    string    `json:"result"` // A, B, C
	Content   string    `json:"content"`
	MetDeputy bool      `json:"met_deputy"`
	Round     int       `json:"round"`
	At        time.Time `json:"at"`
}

// Rating is one satisfaction evaluation.
type Rating struct {
	By      string    `json:"by"` // deputy | voter
	Rating  string    `json:"rating"`
	Comment string    `json:"comment"`
	Round   int       `json:"round"`
	At      time.Time `json:"at"`
}

// CaseEvent is one step in a case's history (append-only).
type CaseEvent struct {
	ID        int64          `json:"id"`
	At        time.Time      `json:"at"`
	ActorName string         `json:"actor_name"`
	Action    WorkflowAction `json:"action"`
	From      CaseStatus     `json:"from_status"`
	To        CaseStatus     `json:"to_status"`
	Comment   string         `json:"comment"`
}

// CaseInput is what intake takes (POST /api/v1/cases).
type CaseInput struct {
	Kind         string    `json:"kind"`
	Channel      string    `json:"channel"`
	StationID    *int64    `json:"station_id"`
	Title        string    `json:"title"`
	Content      string    `json:"content"`
	Category     string    `json:"category"`
	RegionCode   string    `json:"region_code"`
	Location     string    `json:"location"`
	Submitter    Submitter `json:"submitter"`
	ReceivedBy   []int64   `json:"received_by"`
	Urgent       bool      `json:"urgent"`
	Confidential bool      `json:"confidential"`
	ReceptionID  *int64    `json:"reception_id"` // registered during this reception (接待活动)

	// Suggestions and bills (docs/suggestions.md).
	SessionID       *int64  `json:"session_id"`
	OrgID           *int64  `json:"org_id"` // between sessions: the NPC body it is addressed to
	LeadDeputyID    *int64  `json:"lead_deputy_id"`
	CosignerIDs     []int64 `json:"cosigner_ids"`
	Reasons         string  `json:"reasons"`
	Proposals       string  `json:"proposals"`
	Presidium       bool    `json:"presidium"`
	EvidenceCaseIDs []int64 `json:"evidence_case_ids"`
}

// Validate checks the intake fields.
func (in *CaseInput) Validate() error {
	var v Validator
	if in.Kind == "" {
		in.Kind = KindOpinion
	}
	if in.Kind == KindSuggestion || in.Kind == KindBill {
		return in.validateSuggestion()
	}
	v.Check(in.Kind == KindOpinion, "kind", "请选择登记类型：群众意见（opinion）、代表建议（suggestion）或代表议案（bill）。")
	v.OneOf("channel", "反映渠道", in.Channel, ChannelNames)
	v.Require("title", "标题", in.Title)
	v.MaxLen("title", "标题", in.Title, 100)
	v.Require("content", "反映内容", in.Content)
	v.MaxLen("content", "反映内容", in.Content, 5000)
	v.MaxLen("category", "类别", in.Category, 50)
	v.Require("region_code", "问题所在地", in.RegionCode)
	v.MaxLen("location", "具体位置", in.Location, 200)
	v.MaxLen("submitter", "反映人姓名", in.Submitter.Name, 50)
	v.Phone("submitter.phone", "反映人电话", in.Submitter.Phone)
	v.MaxLen("submitter.address", "反映人住址", in.Submitter.Address, 200)
	v.Check(in.Submitter.IDNumber == "" || ValidIDNumber(in.Submitter.IDNumber), "submitter.id_number", "身份证号码不正确。")
	v.Check(len(in.ReceivedBy) <= 20, "received_by", "接待代表过多。")
	return v.Err
}

// CaseAction is the body of POST /api/v1/cases/{id}/actions/{action}: the
// version the caller read and the action's own fields.
type CaseAction struct {
	Version int `json:"version"`
	// triage
	Outcome     string `json:"outcome,omitempty"`
	Answer      string `json:"answer,omitempty"`
	ReasonCode  string `json:"reason_code,omitempty"`
	Explanation string `json:"explanation,omitempty"`
	// approve
	LeadUnitID *int64  `json:"lead_unit_id,omitempty"`
	CoUnitIDs  []int64 `json:"co_unit_ids,omitempty"`
	DueDate    string  `json:"due_date,omitempty"` // YYYY-MM-DD (approve, supervise)
	// return, request_extension
	Reason string `json:"reason,omitempty"`
	Until  string `json:"until,omitempty"` // YYYY-MM-DD
	// decide_extension
	Approve *bool `json:"approve,omitempty"`
	// reply
	Result    string `json:"result,omitempty"`
	Content   string `json:"content,omitempty"`
	MetDeputy bool   `json:"met_deputy,omitempty"`
	// evaluate
	By     string `json:"by,omitempty"`
	Rating string `json:"rating,omitempty"`
	// link
	MasterID *int64 `json:"master_id,omitempty"`
	// consult (面商)
	HeldOn   string `json:"held_on,omitempty"` // YYYY-MM-DD
	Form     string `json:"form,omitempty"`    // ConsultForms
	Deputies string `json:"deputies,omitempty"`
	Notes    string `json:"notes,omitempty"`
	Waived   bool   `json:"waived,omitempty"` // the deputy waived 面商 in writing
	// record_resolution
	Passed *bool `json:"passed,omitempty"`
	// mark_key
	Supervisor string `json:"supervisor,omitempty"`
	// edit (a draft's text; content is shared with reply)
	Title     string `json:"title,omitempty"`
	Reasons   string `json:"reasons,omitempty"`
	Proposals string `json:"proposals,omitempty"`
	Category  string `json:"category,omitempty"`
	// every action
	Comment string `json:"comment,omitempty"`
}

// CaseFilter selects cases inside the caller's scope.
type CaseFilter struct {
	Status    []CaseStatus
	StationID int64
	UnitID    int64
	OrgID     int64
	Category  string
	Region    string
	Tracking  string // a tracking code (查询码), exactly, any case
	Overdue   bool
	From, To  *time.Time // created
	Q         string     // full text over title and content
	Todo      string     // a to-do list key (see TodoLists)
	Kind      string     // opinion, suggestion or bill; "" for every kind
	SessionID int64      // a congress session's suggestions and bills
	// Count asks FindCases for the number of matches (up to MaxListTotal+1)
	// whatever the page: the to-do counts and the lists that show a number.
	// Without it a page costs no count: FindCases reports the exact total
	// only when the page reaches the end of the matches, and TotalUnknown
	// when more follow.
	Count bool
	Page
}

// CaseService runs the case workflow.
type CaseService interface {
	CreateCase(ctx context.Context, in CaseInput) (*Case, error)
	FindCaseByID(ctx context.Context, id int64) (*Case, error)
	// FindCases returns a page of the cases in the caller's scope, newest
	// first, and their total: exact when the page reaches the end of the
	// matches, counted up to MaxListTotal+1 with f.Count, and otherwise
	// TotalUnknown (more follow).
	FindCases(ctx context.Context, f CaseFilter) ([]*Case, int, error)
	// Act performs one workflow action; it checks role and scope (403/404),
	// state (409 invalid_state) and version (409 stale_version).
	Act(ctx context.Context, id int64, action WorkflowAction, in CaseAction) (*Case, error)
	// RevealSubmitter returns the unmasked submitter, logging the reveal and
	// its reason; beyond the policy's hourly number it is ETOOMANY.
	RevealSubmitter(ctx context.Context, id int64, reason RevealReason) (*Submitter, error)
	// TodoCounts counts each of the caller's to-do lists up to
	// TodoCountCap+1 (see there).
	TodoCounts(ctx context.Context) (map[string]int, error)
	// PublishCase puts an answered case in the public results, or takes it out.
	PublishCase(ctx context.Context, id int64, in PublishInput) (*Case, error)
	// PreviewPublish is what publishing with answer ("" for the default)
	// would put on /results, and the refusal it would meet.
	PreviewPublish(ctx context.Context, id int64, answer string) (*ResultPreview, error)
	// EachCaseForExport hands fn every case of the filter in the caller's
	// scope, masked, newest first (f.Page is ignored), reading in batches;
	// then it records the export and its row count in the audit trail.
	EachCaseForExport(ctx context.Context, f CaseFilter, fn func(*CaseExportRow) error) (int, error)
}

// MaxListTotal is how far a case list counts when asked to (CaseFilter.Count):
// a total above it is reported as MaxListTotal+1 and shown as "10000 条以上".
const MaxListTotal = 10000

// TodoCountCap is how far the to-do counts count: a list holding more is
// reported as TodoCountCap+1 and shown as "99+" (TodoCountLabel), as the
// badges of the messaging apps everyone uses. The counts are on every
// console home page; past a hundred the number says no more than "a great
// many", and counting the rest would read thousands of cases on each visit.
const TodoCountCap = 99

// TodoCountLabel is a to-do count as the pages show it.
func TodoCountLabel(n int) string {
	if n > TodoCountCap {
		return strconv.Itoa(TodoCountCap) + "+"
	}
	return strconv.Itoa(n)
}

// TotalUnknown is the total FindCases reports when it did not count and more
// matches follow the page: the pages show 下一页 instead of a number, and the
// API answers has_more without a total.
const TotalUnknown = -1
