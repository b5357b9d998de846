package lianluo

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Deputies' formal suggestions (建议、批评和意见) and bills (议案), 003
// 办理代表议案和建议制度 and docs/suggestions.md: the rules that are not the
// opinion workflow's. They go through the same engine (DecideStep, the
// cases table, its history, units, replies and ratings) with the statuses
// and actions of KindTransitions.

// CongressSession is a congress session (人民代表大会会议) of an NPC body:
// the suggestions and bills raised during it are numbered in it, and the
// transfer deadline is counted from its last day.
type CongressSession struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	OrgName   string    `json:"org_name,omitempty"`
	Name      string    `json:"name"`
	StartsOn  string    `json:"starts_on"` // YYYY-MM-DD, Beijing
	EndsOn    string    `json:"ends_on"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Counts of its suggestions and bills (not drafts), for the lists.
	Suggestions int `json:"suggestions"`
	Bills       int `json:"bills"`
}

// SessionInput is the body of POST /api/v1/sessions.
type SessionInput struct {
	OrgID    int64  `json:"org_id"`
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

// Validate checks a session's fields: a name and the dates of a session of
// at most a month.
func (in *SessionInput) Validate() error {
	var v Validator
	in.Name = strings.TrimSpace(in.Name)
	v.Check(in.OrgID > 0, "org_id", "请选择召开会议的人大机构。")
	v.Require("name", "会议名称", in.Name)
	v.MaxLen("name", "会议名称", in.Name, 100)
	start, err1 := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.StartsOn), Beijing)
	end, err2 := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.EndsOn), Beijing)
	v.Check(err1 == nil, "starts_on", "开幕日期格式应为 2027-01-05。")
	v.Check(err2 == nil, "ends_on", "闭幕日期格式应为 2027-01-07。")
	if err1 == nil && err2 == nil {
		v.Check(!end.Before(start), "ends_on", "闭幕日期不能早于开幕日期。")
		v.Check(!end.After(start.AddDate(0, 1, 0)), "ends_on", "会期不能超过一个月。")
	}
	return v.Err
}

// RunsSessions reports whether the actor works the sessions' desks at all:
// NPC bodies' offices and leaders, and the system administrator.
func RunsSessions(a *Actor) bool {
	return a != nil && a.User != nil && (a.IsSystemAdmin() || a.HasAny(RoleNPCOffice, RoleNPCLeader))
}

// CanManageSessions reports whether the actor may add sessions of the NPC
// body: its office or leaders, or the system administrator.
func CanManageSessions(a *Actor, orgID int64) bool {
	return RunsSessions(a) && (a.IsSystemAdmin() || slices.Contains(a.Scope.Orgs, orgID))
}

// CanSeeSessions reports whether the actor works with congress sessions at
// all: not the security administrator or the auditor (三员分立).
func CanSeeSessions(a *Actor) bool {
	return a != nil && (a.IsSystemAdmin() || a.HasAny(RoleNPCOffice, RoleNPCLeader, RoleDeputy, RoleUnitHandler, RoleStationHead, RoleLiaison))
}

// SessionService keeps the congress sessions.
type SessionService interface {
	CreateSession(ctx context.Context, in SessionInput) (*CongressSession, error)
	// FindSessions lists the sessions of the caller's NPC bodies (every
	// body's for a deputy: the sessions they may raise suggestions in),
	// newest first.
	FindSessions(ctx context.Context) ([]CongressSession, error)
	FindSessionByID(ctx context.Context, id int64) (*CongressSession, error)
	// SuggestionBodies lists the NPC bodies the caller may raise
	// suggestions to (suggestion_signers.go).
	SuggestionBodies(ctx context.Context) ([]SuggestionBody, error)
	// SignerChoices lists the in-office deputies who may sign a suggestion
	// or bill of the NPC body, for choosing co-signers by name.
	SignerChoices(ctx context.Context, orgID int64) ([]SignerChoice, error)
}

// Signer is a deputy who raises a suggestion or bill: the lead deputy (领衔)
// or a co-signer (附议/联名), invited by name and confirming on their phone.
type Signer struct {
	DeputyID    int64      `json:"deputy_id"`
	Name        string     `json:"name"`
	Lead        bool       `json:"lead"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	DeclinedAt  *time.Time `json:"declined_at,omitempty"`
}

// Consultation is one 面商: the handling unit meeting the deputy before it
// answers (003: 面商率达100%), or the deputy's written waiver of it.
type Consultation struct {
	ID       int64     `json:"id"`
	Round    int       `json:"round"`
	HeldOn   string    `json:"held_on"` // YYYY-MM-DD
	Form     string    `json:"form"`    // ConsultForms; "waived" for a waiver
	Deputies string    `json:"deputies"`
	Notes    string    `json:"notes"`
	Waived   bool      `json:"waived"`
	At       time.Time `json:"at"`
}

// ConsultForms are the forms of a 面商.
var ConsultForms = map[string]string{"in_person": "当面", "phone": "电话", "forum": "座谈"}

// Channels of suggestions: raised during a session, or in writing between
// sessions (003 5: 闭会期间书面提出的建议 are handled the same way).
const (
	ChannelSession = "session"
	ChannelInterim = "interim"
)

// SuggestionChannelNames are their Chinese names.
var SuggestionChannelNames = map[string]string{ChannelSession: "大会期间提出", ChannelInterim: "闭会期间书面提出"}

// suggestionTransitions and billTransitions are the two workflows of
// docs/suggestions.md: for each action, the statuses it may start from.
var suggestionTransitions = map[WorkflowAction][]CaseStatus{
	ActSubmit:           {StatusDraft},
	ActCosign:           {StatusDraft, StatusSubmitted},
	ActTransfer:         {StatusSubmitted},
	ActSign:             {StatusAssigned},
	ActUrge:             {StatusAssigned, StatusHandling},
	ActConsult:          {StatusAssigned, StatusHandling},
	ActRequestExtension: {StatusHandling},
	ActDecideExtension:  {StatusHandling},
	ActReply:            {StatusHandling},
	ActEvaluate:         {StatusAwaitingEvaluation},
	ActRedo:             {StatusSupervising},
	ActClose:            {StatusSupervising},
	ActArchive:          {StatusClosed},
	ActMarkKey:          {StatusSubmitted, StatusAssigned, StatusHandling, StatusAwaitingEvaluation, StatusSupervising},
	ActProgress:         {StatusAssigned, StatusHandling, StatusSupervising},
	ActEdit:             {StatusDraft},
}

// SuggestionResults are the classes of a suggestion's answer (代表建议办理
// 结果分类), the keys of ReplyResults.
var SuggestionResults = map[string]string{
	"A": "已解决或采纳",
	"B": "正在解决或列入计划",
	"C": "因条件限制或其他原因暂时不能解决",
}

var billTransitions = map[WorkflowAction][]CaseStatus{
	ActSubmit:              {StatusDraft},
	ActCosign:              {StatusDraft},
	ActListOnAgenda:        {StatusProposed},
	ActConvertToSuggestion: {StatusProposed},
	ActRecordResolution:    {StatusOnAgenda},
	ActArchive:             {StatusClosed},
	ActEdit:                {StatusDraft},
}

// IsSuggestionKind reports whether the kind is a suggestion or a bill.
func IsSuggestionKind(kind string) bool { return kind == KindSuggestion || kind == KindBill }

// KindNoun is how messages name a case of the kind: 意见, 建议, 议案.
func KindNoun(kind string) string {
	switch kind {
	case KindSuggestion:
		return "建议"
	case KindBill:
		return "议案"
	}
	return "意见"
}

// BillMinSigners is how many deputies, the lead deputy counted, must have
// signed a bill jointly for it to be put forward (地方组织法: 乡镇 5 人以上,
// 县级 10 人以上联名), by the level of the NPC body's region.
func BillMinSigners(pol Policy, level string) int {
	if level == LevelTown || level == LevelVillage {
		return pol.BillSignersTown
	}
	return pol.BillSignersCounty
}

// TransferDue is the deadline for the 主席团 to transfer a suggestion
// submitted at submitted (003 2: 会后十五日内移交): fifteen calendar days
// after the session's last day, or after submission between sessions or
// when it came after the session. Counted as the law counts periods (民法典
// 第二百零一、二百零三条): from the next day, and a last day on a rest day
// moves to the next working day.
func TransferDue(cal *Calendar, sessionEnd string, submitted time.Time) time.Time {
	from := submitted
	if end, err := time.ParseInLocation("2006-01-02", sessionEnd, Beijing); err == nil && end.After(from) {
		from = end
	}
	return cal.AddWorkdays(cal.AddDays(from, 15), 0)
}

// SuggestionReplyDue is the deadline to answer a suggestion transferred at
// t (003 2: 三个月内办理完毕并书面答复): three calendar months, a last day on
// a rest day moving to the next working day.
func SuggestionReplyDue(cal *Calendar, t time.Time) time.Time {
	return cal.AddWorkdays(t.In(Beijing).AddDate(0, 3, 0), 0)
}

// RedoDue is the default deadline of a redo (重新办理) ordered at t: one
// month (003 4 sets none; the office may set another).
func RedoDue(cal *Calendar, t time.Time) time.Time {
	return cal.AddWorkdays(t.In(Beijing).AddDate(0, 1, 0), 0)
}

// validateSuggestion checks a suggestion's or bill's fields.
func (in *CaseInput) validateSuggestion() error {
	var v Validator
	in.Title, in.Content = strings.TrimSpace(in.Title), strings.TrimSpace(in.Content)
	if in.Channel == "" {
		in.Channel = ChannelSession
		if in.SessionID == nil {
			in.Channel = ChannelInterim
		}
	}
	v.OneOf("channel", "提出方式", in.Channel, SuggestionChannelNames)
	v.Check(in.Channel != ChannelSession || in.SessionID != nil, "session_id", "请选择提出%s的会议。", KindNoun(in.Kind))
	v.Check(in.Kind != KindBill || in.SessionID != nil, "session_id", "议案只能在人民代表大会会议期间提出，请选择会议。")
	v.Check(in.SessionID != nil || in.OrgID != nil, "org_id", "闭会期间提出建议，请选择提交的人大机构。")
	checkSuggestionText(&v, in.Kind, in.Title, in.Content, in.Reasons, in.Proposals, in.Category)
	v.Check(in.LeadDeputyID != nil || (in.Kind == KindBill && in.Presidium), "lead_deputy_id", "请选择领衔代表。")
	v.Check(!in.Presidium || in.Kind == KindBill, "presidium", "只有议案可以由主席团提出。")
	v.Check(!in.Presidium || in.LeadDeputyID == nil, "lead_deputy_id", "主席团提出的议案不设领衔代表。")
	v.Check(len(in.CosignerIDs) <= 50, "cosigner_ids", "附议代表不能超过50人。")
	seen := map[int64]bool{}
	if in.LeadDeputyID != nil {
		seen[*in.LeadDeputyID] = true
	}
	for _, id := range in.CosignerIDs {
		v.Check(!seen[id], "cosigner_ids", "附议代表不能重复，也不能是领衔代表本人。")
		seen[id] = true
	}
	v.Check(len(in.EvidenceCaseIDs) <= 50, "evidence_case_ids", "所附群众意见不能超过50件。")
	v.Check(in.Submitter == (Submitter{}) && len(in.ReceivedBy) == 0 && in.ReceptionID == nil && in.StationID == nil,
		"kind", "代表建议和议案不登记反映人、接待代表和联络站。")
	return v.Err
}

// CanRaiseSuggestions reports whether the actor may write suggestions or
// bills at all: deputies, and NPC bodies' staff typing one in.
func CanRaiseSuggestions(a *Actor) bool {
	return a != nil && (a.IsSystemAdmin() || a.HasAny(RoleDeputy, RoleNPCOffice, RoleNPCLeader))
}

// MayRaiseSuggestion checks who may write a suggestion or bill: a deputy
// for themselves as lead deputy; the NPC body's office for a deputy (a
// paper suggestion typed in) or for the 主席团 (a presidium bill).
func MayRaiseSuggestion(a *Actor, in CaseInput, orgID int64) error {
	if own, ok := a.OwnDeputy(); ok && in.LeadDeputyID != nil && *in.LeadDeputyID == own {
		return nil
	}
	if CanManageSessions(a, orgID) {
		return nil
	}
	if a.Has(RoleDeputy) {
		return FieldError("lead_deputy_id", "代表只能以本人为领衔代表提出。")
	}
	return Forbidden()
}

// CosignInvites are the notices that invite a draft's co-signers to
// confirm on their phones.
func CosignInvites(c *Case, actorUserID int64) []Notice {
	var ids []int64
	lead := ""
	for _, s := range c.Signers {
		if s.Lead {
			lead = s.Name
		} else if s.ConfirmedAt == nil && s.DeclinedAt == nil {
			ids = append(ids, s.DeputyID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if lead == "" {
		lead = "主席团"
	}
	return []Notice{{Template: MsgSuggestionCosign, CaseID: c.ID, Data: []any{lead, KindNoun(c.Kind), Truncate(c.Title, 30)},
		To:        Recipients{Kind: ToReceivingDeputies, Deputies: ids, ExceptUser: actorUserID},
		DedupeKey: "cosign:" + itoa(c.ID)}}
}

// LeadDeputy returns the lead deputy's id, or 0 (a presidium bill).
func (c *Case) LeadDeputy() int64 {
	for _, s := range c.Signers {
		if s.Lead {
			return s.DeputyID
		}
	}
	return 0
}

// ConfirmedSigners counts the signers who have confirmed: the lead deputy
// by submitting, each co-signer on their phone.
func (c *Case) ConfirmedSigners() int {
	n := 0
	for _, s := range c.Signers {
		if s.Lead || s.ConfirmedAt != nil {
			n++
		}
	}
	return n
}

// Consulted reports whether the current round has a 面商 or its waiver.
func (c *Case) Consulted() bool {
	return slices.ContainsFunc(c.Consultations, func(x Consultation) bool { return x.Round == c.Round })
}

// NumberText is a suggestion's number as printed: 第3号, or 闭会期间 when none.
func (c *Case) NumberText() string {
	if c.Number == 0 {
		if c.Status == StatusDraft {
			return "草稿"
		}
		return "闭会期间"
	}
	return "第" + itoa(int64(c.Number)) + "号"
}

// checkSuggestionText checks a suggestion's or bill's text, written or
// corrected (edit).
func checkSuggestionText(v *Validator, kind, title, content, reasons, proposals, category string) {
	v.Require("title", "标题", title)
	v.MaxLen("title", "标题", title, 100)
	v.Require("content", KindNoun(kind)+"内容", content)
	v.MaxLen("content", KindNoun(kind)+"内容", content, 10000)
	v.MaxLen("reasons", "案由和理由", reasons, 5000)
	v.MaxLen("proposals", "建议和办法", proposals, 5000)
	v.MaxLen("category", "类别", category, 50)
}
