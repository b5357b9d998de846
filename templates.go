package lianluo

import "fmt"

// TemplateKey names one kind of notification (notifications.template): the
// key of its wording in MessageTemplates.
type TemplateKey string

// Notification template keys.
const (
	MsgVerifyCode           TemplateKey = "verify_code"
	MsgCaseNotAccepted      TemplateKey = "case_not_accepted"
	MsgCaseExplained        TemplateKey = "case_explained"
	MsgCaseFeedback         TemplateKey = "case_feedback"
	MsgCaseUrgent           TemplateKey = "case_urgent"
	MsgCaseOnline           TemplateKey = "case_online"
	MsgCasePendingApproval  TemplateKey = "case_pending_approval"
	MsgCaseAssigned         TemplateKey = "case_assigned"
	MsgCaseReturned         TemplateKey = "case_returned"
	MsgCaseExtension        TemplateKey = "case_extension"
	MsgCaseExtensionDecided TemplateKey = "case_extension_decided"
	MsgCaseUrged            TemplateKey = "case_urged"
	MsgCaseReplied          TemplateKey = "case_replied"
	MsgCaseUnsatisfied      TemplateKey = "case_unsatisfied"
	MsgCaseSupervised       TemplateKey = "case_supervised"
	MsgCaseFedBack          TemplateKey = "case_fed_back"
	MsgCaseDueSoon          TemplateKey = "case_due_soon"
	MsgCaseDueToday         TemplateKey = "case_due_today"
	MsgCaseOverdue          TemplateKey = "case_overdue"
	MsgCaseApprovalDueSoon  TemplateKey = "case_approval_due_soon"
	MsgCaseApprovalOverdue  TemplateKey = "case_approval_overdue"

	// Suggestions and bills (docs/suggestions.md).
	MsgSuggestionCosign            TemplateKey = "suggestion_cosign"
	MsgSuggestionCosigned          TemplateKey = "suggestion_cosigned"
	MsgSuggestionSubmitted         TemplateKey = "suggestion_submitted"
	MsgBillProposed                TemplateKey = "bill_proposed"
	MsgBillResolved                TemplateKey = "bill_resolved"
	MsgSuggestionTransferred       TemplateKey = "suggestion_transferred"
	MsgSuggestionTransferredDeputy TemplateKey = "suggestion_transferred_deputy"
	MsgSuggestionReplied           TemplateKey = "suggestion_replied"
	MsgSuggestionAnsweredVoter     TemplateKey = "suggestion_answered_voter"
	MsgSuggestionUnsatisfied       TemplateKey = "suggestion_unsatisfied"
	MsgSuggestionKey               TemplateKey = "suggestion_key"
	MsgSuggestionProgress          TemplateKey = "suggestion_progress"
	MsgSuggestionTransferDueSoon   TemplateKey = "suggestion_transfer_due_soon"
	MsgSuggestionTransferOverdue   TemplateKey = "suggestion_transfer_overdue"
	MsgRotaPublished               TemplateKey = "rota_published"
	MsgReceptionAssigned           TemplateKey = "reception_assigned"
	MsgReceptionCancelled          TemplateKey = "reception_cancelled"
	MsgReceptionReminder           TemplateKey = "reception_reminder"
	MsgLeaveRequested              TemplateKey = "leave_requested"
	MsgLeaveDecided                TemplateKey = "leave_decided"
	MsgAttendanceNotice            TemplateKey = "attendance_notice"
	MsgActivityPublished           TemplateKey = "activity_published"
	MsgActivityInvited             TemplateKey = "activity_invited"
	MsgActivityChanged             TemplateKey = "activity_changed"
	MsgActivityCancelled           TemplateKey = "activity_cancelled"
	MsgActivityReminder            TemplateKey = "activity_reminder"
	MsgActivityLeaveRequested      TemplateKey = "activity_leave_requested"
	MsgActivityLeaveDecided        TemplateKey = "activity_leave_decided"
	MsgMailboxOverdue              TemplateKey = "mailbox_overdue"
	MsgSixOnesDeputy               TemplateKey = "six_ones_deputy"
	MsgSixOnesGroup                TemplateKey = "six_ones_group"
	MsgMailboxNeverOpened          TemplateKey = "mailbox_never_opened"
	MsgRevealLimit                 TemplateKey = "reveal_limit"
	MsgDutyReturned                TemplateKey = "duty_returned"
	MsgReportEvaluated             TemplateKey = "report_evaluated"
	// 工作评议, to the appraised unit's handlers (docs/appraisals.md).
	MsgAppraisalFindings TemplateKey = "appraisal_findings"
	MsgRectificationSet  TemplateKey = "rectification_set"
	MsgRectificationBack TemplateKey = "rectification_returned"
	MsgRectificationLate TemplateKey = "rectification_overdue"
	MsgRectificationDone TemplateKey = "rectification_reported" // to the appraising body's office
	MsgYearPlanPublished TemplateKey = "year_plan_published"
)

// MessageTemplate is the wording of one kind of notification (a template
// key such as case_feedback). Subject is the e-mail subject and the first
// line of a group robot's post; Body is a fmt format whose arguments Args
// describes, in order. Text messages carry the body only.
type MessageTemplate struct {
	Subject string
	Body    string
	Args    string
}

// MessageTemplates holds the wording of every notification, by template
// key: one place to read (and correct) what people are told. Titles are cut
// to 30 characters for staff and 20 for voters' text messages, answers to
// 200, by the caller.
var MessageTemplates = map[TemplateKey]MessageTemplate{
	// To the voter who raised a case (text messages).
	MsgVerifyCode:      {"短信验证码", "您的验证码是%s，10分钟内有效。如非本人操作，请忽略本短信。", "验证码"},
	MsgCaseNotAccepted: {"意见办理结果", "您反映的“%s”：%s", "标题, 不予受理的指引"},
	MsgCaseExplained:   {"意见办理结果", "您反映的“%s”：%s", "标题, 解释说明"},
	MsgCaseFeedback:    {"意见办理答复", "您反映的“%s”已有答复：%s", "标题, 反馈内容"},

	// To staff, along the case workflow.
	MsgCaseUrgent:           {"紧急意见", "收到紧急群众意见：“%s”，请立即处理。", "标题"},
	MsgCaseOnline:           {"网上留言", "群众通过网上联络站给您留言：“%s”。", "标题"},
	MsgCasePendingApproval:  {"意见待审核交办", "%s待审核交办：“%s”。", "有意见 或 下级报送意见, 标题"},
	MsgCaseAssigned:         {"新交办意见", "新交办意见：“%s”，请签收办理，期限 %s。", "标题, 办理期限"},
	MsgCaseReturned:         {"意见被退回", "承办单位退回意见，需重新交办：“%s”。", "标题"},
	MsgCaseExtension:        {"延期申请待审批", "承办单位申请延期：“%s”。", "标题"},
	MsgCaseExtensionDecided: {"延期审批结果", "%s：“%s”。", "同意延期至 日期 或 不同意延期, 标题"},
	MsgCaseUrged:            {"催办通知", "请抓紧办理：“%s”，期限 %s。", "标题, 办理期限"},
	MsgCaseReplied:          {"承办单位已答复", "承办单位已答复，请反馈给代表和群众：“%s”。", "标题"},
	MsgCaseUnsatisfied:      {"答复不满意", "答复不满意，需督办：“%s”。", "标题"},
	MsgCaseSupervised:       {"督办通知", "代表对答复不满意，请重新办理：“%s”，期限 %s。", "标题, 新的办理期限"},
	MsgCaseFedBack:          {"意见办理结果已反馈", "您接待的群众意见“%s”，办理结果已反馈给反映人：%s。请对办理结果进行满意度测评。", "标题, 反馈内容"},

	// Automatic reminders (催办), from the deadline sweep.
	MsgCaseDueSoon:         {"办理期限将到", "“%s”将于 %s 到期%s，请抓紧办理并按时答复。", "标题, 办理期限, （还有N个工作日）或空"},
	MsgCaseDueToday:        {"今日到期", "“%s”今天（%s）到期，请今天内办理答复。", "标题, 办理期限"},
	MsgCaseOverdue:         {"办理已超期", "“%s”已超过办理期限（%s）%d天，请立即办理并答复。", "标题, 办理期限, 超期天数"},
	MsgCaseApprovalDueSoon: {"待审核交办将到期", "“%s”报送审核已%d天，请于 %s 前审核交办。", "标题, 已等待天数, 交办期限"},
	// Suggestions and bills, to deputies, the NPC body and the units.
	MsgSuggestionCosign:            {"附议邀请", "%s代表邀请您附议%s“%s”，请在手机上确认或谢绝。", "领衔代表, 建议或议案, 标题"},
	MsgSuggestionCosigned:          {"附议答复", "%s%s：“%s”。", "代表姓名, 确认附议或谢绝附议, 标题"},
	MsgSuggestionSubmitted:         {"代表建议待交办", "代表建议“%s”待交办，请于 %s 前交人民政府办理。", "标题, 交办期限"},
	MsgBillProposed:                {"议案待主席团决定", "代表议案“%s”已提出，请主席团决定是否列入大会议程。", "标题"},
	MsgBillResolved:                {"议案表决结果", "%s：“%s”。", "表决结果, 标题"},
	MsgSuggestionTransferred:       {"新交办代表建议", "新交办代表建议：“%s”，请签收，答复前与代表面商，并于 %s 前书面答复代表。", "标题, 答复期限"},
	MsgSuggestionTransferredDeputy: {"建议已交办", "您的建议“%s”已交 %s 办理，答复期限 %s。", "标题, 承办单位, 答复期限"},
	MsgSuggestionReplied:           {"建议已答复", "您的建议“%s”已书面答复（%s），请评价办理结果。", "标题, 办理结果"},
	MsgSuggestionAnsweredVoter:     {"意见办理答复", "您反映的“%s”已由代表形成建议，承办单位答复：%s", "标题, 答复内容"},
	MsgSuggestionUnsatisfied:       {"代表对答复不满意", "领衔代表对建议“%s”的答复不满意，请主席团责成重新办理。", "标题"},
	MsgSuggestionKey:               {"重点督办建议", "代表建议“%s”已列为重点督办，督办负责人：%s。", "标题, 督办负责人"},
	MsgSuggestionProgress:          {"重点督办建议进展", "重点督办建议“%s”有新的办理进展，请%s查阅。", "标题, 督办负责人"},
	MsgSuggestionTransferDueSoon:   {"建议交办期限将到", "代表建议“%s”须于 %s 前交办（会后十五日内），还有%d天。", "标题, 交办期限, 剩余天数"},
	MsgSuggestionTransferOverdue:   {"建议交办已超期", "代表建议“%s”已超过交办期限（%s）%d天，请尽快交办。", "标题, 交办期限, 超期天数"},

	MsgCaseApprovalOverdue: {"交办已超期", "“%s”报送审核已%d天，超过交办期限（%s），请尽快审核交办。", "标题, 已等待天数, 交办期限"},

	// Receptions (接待活动), to deputies and station staff.
	MsgRotaPublished:      {"接待轮值表已发布", "%s%d年代表接待轮值表已发布，您的接待时间：%s。届时请到站接待选民，并扫描联络站签到码签到。", "联络站, 年份, 接待时间"},
	MsgReceptionAssigned:  {"接待安排", "您已被安排于%s在%s接待选民，请提前安排时间。", "时间, 联络站"},
	MsgReceptionCancelled: {"接待取消", "原定%s在%s的代表接待已取消。", "时间, 联络站"},
	MsgReceptionReminder:  {"接待提醒", "温馨提示：%s（%s）您在%s接待选民，%s到站后请扫描签到码签到。如不能参加，请在平台上请假。", "几天后, 时间, 联络站, 地址：…， 或空"},
	MsgLeaveRequested:     {"请假申请", "%s代表申请%s请假：%s", "代表, 哪次接待（5月20日接待）, 理由"},
	MsgLeaveDecided:       {"请假审批结果", "您%s的请假%s。", "哪次接待（5月20日在某联络站接待）, 已批准 或 未批准"},
	MsgAttendanceNotice:   {"年度出勤通报", "%s代表：%d年%s安排您进站接待%d次，出席%d次，请假%d次，缺席%d次，出席率%d%%。感谢您的履职，本站全体代表出勤情况见书面通报。", "代表, 年份, 截至目前 或 全年, 次数…（AttendanceNoticeText）"},

	// Activities (代表活动), to invited deputies and whoever decides leave.
	MsgActivityPublished:      {"代表活动通知", "%s邀请您参加%s活动“%s”，时间：%s，地点：%s。如不能参加，请在平台上请假。", "组织者, 类型, 活动名称, 时间, 地点"},
	MsgActivityInvited:        {"代表活动邀请", "%s邀请您参加%s活动“%s”，时间：%s，地点：%s。如不能参加，请在平台上请假。", "组织者, 类型, 活动名称, 时间, 地点"},
	MsgActivityChanged:        {"代表活动调整", "%s活动“%s”调整为：%s，地点：%s。", "类型, 活动名称, 时间, 地点"},
	MsgActivityCancelled:      {"代表活动取消", "原定%s的%s活动“%s”已取消。", "时间, 类型, 活动名称"},
	MsgActivityReminder:       {"代表活动提醒", "温馨提示：明天（%s）%s活动“%s”，地点：%s。到场后请签到；如不能参加，请在平台上请假。", "时间, 类型, 活动名称, 地点"},
	MsgActivityLeaveRequested: {"代表活动请假申请", "%s代表申请%s请假：%s", "代表, 哪次活动（5月20日活动“视察”）, 理由"},
	MsgActivityLeaveDecided:   {"代表活动请假审批结果", "您%s的请假%s。", "哪次活动（5月20日活动“视察”）, 已批准 或 未批准"},

	// 代表信箱, to station staff.
	MsgMailboxOverdue: {"代表信箱超期未开启", "%s的代表信箱已%d天未开启。按规定信箱每周开启一次，请尽快开箱并登记来信。", "联络站, 天数"},
	// To a deputy, and to a group's leader, before the half-year's and the year's end.
	MsgSixOnesDeputy:      {"“六个一”尚未完成的项目", "%s代表：%s还差以下“六个一”项目：%s。请抓紧安排；已做的请在“记一笔”中登记，由联络站确认。", "代表, 期间, 项目"},
	MsgSixOnesGroup:       {"代表小组“六个一”尚未完成的项目", "%s：%s还差以下“六个一”项目：%s。请抓紧组织并在代表活动中记录。", "代表小组, 期间, 项目"},
	MsgMailboxNeverOpened: {"代表信箱从未开启", "%s的代表信箱设立已%d天，还没有开启过。按规定信箱每周开启一次，请尽快开箱并登记来信。", "联络站, 天数"},
	// To the administrators (in-app and their channels).
	MsgRevealLimit: {"查看联系方式次数达到上限", "用户“%s”在一小时内查看联系方式已达%d次上限，之后的查看已被暂停。请核实是否为正常工作需要。", "用户姓名（用户名）, 每小时上限"},
	// To the deputy whose duty record (履职登记) staff returned.
	MsgDutyReturned: {"履职登记被退回", "您登记的%s（%s）被退回：%s。请补充后重新登记。", "履职类型, 日期, 退回原因"},
	// To the deputy who reported to the voters (003 述职制度 七: 书面反馈代表本人).
	MsgReportEvaluated: {"述职民主测评结果", "%s代表：您%s向选民述职的民主测评结果为%s。选民意见：%s。请认真研究，落实整改。", "代表, 日期, 计票结果（BallotTally.Summary）, 选民意见（已隐去电话号码）或 无"},
	// To the appraised unit's handlers (工作评议, 003).
	MsgAppraisalFindings: {"工作评议意见", "%s对%s的评议意见：%s 请围绕评议意见进行整改。", "评议名称, 单位, 评议意见"},
	MsgRectificationSet:  {"整改事项", "%s：%s的整改事项“%s”，请于 %s 前完成并在平台上报告整改情况。", "评议名称, 单位, 整改事项, 完成期限"},
	MsgRectificationBack: {"整改被退回", "整改事项“%s”未通过验收：%s。请继续整改后重新报告。", "整改事项, 退回理由"},
	MsgRectificationDone: {"整改待验收", "%s报告整改事项“%s”已完成，请验收。", "单位, 整改事项"},
	MsgRectificationLate: {"整改已超期", "%s的整改事项“%s”已超过完成期限（%s），请尽快整改并报告整改情况。", "单位, 整改事项, 完成期限"},
	// To the deputies of a station or group whose year plan (年初计划) was published.
	MsgYearPlanPublished: {"年度活动计划", "%s%d年度活动计划已发布，共%d项活动，请登录平台查看并预留时间。", "联络站或代表小组, 年度, 项数"},
}

// Sentences that stand in for, or are added to, a template's body
// (AttendanceNoticeText, PassOn, RobotPost).
const (
	// attendanceNoneBody replaces MsgAttendanceNotice's body for a deputy
	// with no reception in the year.
	attendanceNoneBody = "%s代表：%d年%s没有安排您参加联络站接待活动。"
	// attendanceActivitiesBody follows it when the deputy was invited to activities.
	attendanceActivitiesBody = "另：%d年%s邀请您参加代表活动%d次，出席%d次，请假%d次，缺席%d次。"
	// ReminderAddress is MsgReceptionReminder's fourth argument for a station with an address.
	ReminderAddress = "地址：%s，"
	// passOnBody is what a deputy's notice says to station staff when the
	// deputy has neither an account nor a phone.
	passOnBody = "请转告%s代表（未登记手机号）：%s"
	// robotPostBody is a group robot's post: it names the recipient and the
	// kind of notice, never its content (003 信访接待制度: a case may be confidential).
	robotPostBody = "致%s：您有一条新的通知（%s），请登录联络平台查看。"
)

// AttendanceNoticeText is the body of a deputy's yearly attendance notice
// (MsgAttendanceNotice): so is 截至目前 or 全年.
func AttendanceNoticeText(name string, year int, so string, row AttendanceRow) string {
	var body string
	if row.Scheduled == 0 {
		body = fmt.Sprintf(attendanceNoneBody, name, year, so)
	} else {
		_, body = Message(MsgAttendanceNotice, name, year, so, row.Scheduled, row.Present, row.Leave, row.Absent, row.Rate())
	}
	if row.Activities > 0 {
		body += fmt.Sprintf(attendanceActivitiesBody, year, so, row.Activities, row.ActivitiesPresent, row.ActivitiesLeave, row.ActivitiesAbsent)
	}
	return body
}

// PassOn is the notice to station staff that stands in for a deputy's own.
func PassOn(deputy, body string) string { return fmt.Sprintf(passOnBody, deputy, body) }

// RobotPost is a group robot's post of a notice with subject to name.
func RobotPost(name, subject string) string { return fmt.Sprintf(robotPostBody, name, subject) }

// Message is the subject and body of the template key with args. A key
// missing from MessageTemplates is a programming error; its notification
// still goes out, with the general subject and the args as the body.
func Message(key TemplateKey, args ...any) (subject, body string) {
	t, ok := MessageTemplates[key]
	if !ok {
		return TemplateSubject(key), fmt.Sprint(args...)
	}
	return t.Subject, fmt.Sprintf(t.Body, args...)
}

// TemplateSubject is the subject of the template key: the e-mail subject of
// a notification enqueued without one.
func TemplateSubject(key TemplateKey) string {
	if t, ok := MessageTemplates[key]; ok {
		return t.Subject
	}
	return "联络平台通知"
}

// Truncate cuts s to n characters, marking the cut with "…".
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
