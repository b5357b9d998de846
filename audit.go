package lianluo

// The audit trail's vocabulary (操作日志): what an event is about and what
// was done. The store writes only these constants, so a misspelt name does
// not compile; the names below are what the audit page shows.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"time"
)

// AuditEntity is what an audit event is about (events.entity).
type AuditEntity string

// Audited entities.
const (
	EntityOrg          AuditEntity = "org"
	EntityStation      AuditEntity = "station"
	EntityDeputy       AuditEntity = "deputy"
	EntityGroup        AuditEntity = "group"
	EntityUser         AuditEntity = "user"
	EntityRegion       AuditEntity = "region"
	EntitySession      AuditEntity = "session"
	EntityNotification AuditEntity = "notification"
	EntityCase         AuditEntity = "case"
	EntityPolicy       AuditEntity = "policy"
	EntityCalendar     AuditEntity = "calendar"
	EntitySettings     AuditEntity = "settings"
	EntityReception    AuditEntity = "reception"
	EntityActivity     AuditEntity = "activity"
	EntityDiary        AuditEntity = "diary"
	EntityMailbox      AuditEntity = "mailbox"
	EntityRequest      AuditEntity = "request" // a refused request: method and path
	EntityAttachment   AuditEntity = "attachment"
	EntityStats        AuditEntity = "stats"
	EntityDutyRecord   AuditEntity = "duty_record"
	EntityLedger       AuditEntity = "ledger"
	EntityCongress     AuditEntity = "congress_session" // a congress session (人民代表大会会议)
	EntityAppraisal    AuditEntity = "appraisal"        // 工作评议 and its rectification items
	EntityYearPlan     AuditEntity = "year_plan"        // a year plan (年初计划)
)

// AuditAction is what an audit event records (events.action). A case's
// workflow steps are recorded under their WorkflowAction as well.
type AuditAction string

// Audited actions.
const (
	AuditCreate           AuditAction = "create"
	AuditUpdate           AuditAction = "update"
	AuditDeactivate       AuditAction = "deactivate"
	AuditImport           AuditAction = "import"
	AuditLogin            AuditAction = "login"
	AuditMFA              AuditAction = "mfa"
	AuditLoginFailed      AuditAction = "login_failed"
	AuditLogout           AuditAction = "logout"
	AuditPassword         AuditAction = "password"
	AuditLocked           AuditAction = "locked"
	AuditRetry            AuditAction = "retry"
	AuditNotifyPrefs      AuditAction = "notify_prefs"
	AuditReveal           AuditAction = "reveal"
	AuditPhoto            AuditAction = "photo"
	AuditPublish          AuditAction = "publish"
	AuditCancel           AuditAction = "cancel"
	AuditReceptionRule    AuditAction = "reception_rule"
	AuditRota             AuditAction = "rota"
	AuditRotaPublish      AuditAction = "rota_publish"
	AuditUnavailable      AuditAction = "unavailable"
	AuditSignin           AuditAction = "signin"
	AuditAttendance       AuditAction = "attendance"
	AuditLeave            AuditAction = "leave"
	AuditLeaveDecide      AuditAction = "leave_decide"
	AuditRecord           AuditAction = "record"
	AuditLinkCase         AuditAction = "link_case"
	AuditAttendanceNotice AuditAction = "attendance_notice"
	AuditSendCode         AuditAction = "send_code"
	AuditConfirm          AuditAction = "confirm"
	AuditToCase           AuditAction = "to_case"
	AuditOpen             AuditAction = "open"
	AuditMailboxOverdue   AuditAction = "mailbox_overdue"
	AuditExport           AuditAction = "export"
	AuditDownload         AuditAction = "download"
	AuditForbidden        AuditAction = "forbidden"
	AuditPrune            AuditAction = "prune"
	AuditApprove          AuditAction = "approve" // staff confirm a deputy's record (履职登记)
	AuditReturn           AuditAction = "return"  // … or return it with a reason
	AuditChase            AuditAction = "chase"   // an overdue rectification item chased (整改催办)
	AuditDelete           AuditAction = "delete"  // a record withdrawn before anything hangs on it (a 述职 plan)
)

// EntityNames are the Chinese names of audited entities.
var EntityNames = map[AuditEntity]string{
	EntityOrg:          "机构",
	EntityStation:      "联络站",
	EntityDeputy:       "代表",
	EntityGroup:        "代表小组",
	EntityUser:         "用户",
	EntityRegion:       "行政区划",
	EntitySession:      "登录",
	EntityNotification: "通知",
	EntityCase:         "群众意见",
	EntityPolicy:       "办理时限",
	EntityCalendar:     "节假日安排",
	EntitySettings:     "系统设置",
	EntityReception:    "接待",
	EntityActivity:     "代表活动",
	EntityDiary:        "民情日记",
	EntityMailbox:      "代表信箱",
	EntityRequest:      "访问请求",
	EntityAttachment:   "附件",
	EntityStats:        "统计分析",
	EntityDutyRecord:   "履职登记",
	EntityLedger:       "台账",
	EntityCongress:     "代表大会会议",
	EntityAppraisal:    "工作评议",
	EntityYearPlan:     "年度活动计划",
}

// ActionNames are the Chinese names of audited actions.
var ActionNames = map[AuditAction]string{
	AuditCreate:           "新建",
	AuditUpdate:           "修改",
	AuditDeactivate:       "停用",
	AuditImport:           "导入",
	AuditLogin:            "登录",
	AuditMFA:              "双因素认证",
	AuditLoginFailed:      "登录失败",
	AuditLogout:           "退出",
	AuditPassword:         "修改密码",
	AuditLocked:           "账号锁定",
	AuditRetry:            "重新发送",
	AuditNotifyPrefs:      "修改通知设置",
	AuditReveal:           "查看联系方式",
	AuditPhoto:            "上传照片",
	AuditPublish:          "发布",
	AuditCancel:           "取消",
	AuditReceptionRule:    "接待规则",
	AuditRota:             "生成轮值表",
	AuditRotaPublish:      "发布轮值表",
	AuditUnavailable:      "登记不能参加接待",
	AuditSignin:           "签到",
	AuditAttendance:       "登记出席",
	AuditLeave:            "请假",
	AuditLeaveDecide:      "审批请假",
	AuditRecord:           "填写记录",
	AuditLinkCase:         "关联意见",
	AuditAttendanceNotice: "出勤通报",
	AuditSendCode:         "发送确认验证码",
	AuditConfirm:          "选民确认",
	AuditToCase:           "转为群众意见",
	AuditOpen:             "开箱登记",
	AuditMailboxOverdue:   "信箱超期提醒",
	AuditExport:           "导出",
	AuditDownload:         "下载",
	AuditForbidden:        "越权访问被拒绝",
	AuditPrune:            "清理审计日志",
	AuditApprove:          "确认",
	AuditReturn:           "退回",
	AuditChase:            "整改超期催办",
	AuditDelete:           "删除",
}

// AuditCheck is the result of verifying the audit chain (审计日志完整性校验):
// every event stores the hash of the one before it and its own, so an event
// edited, deleted or inserted behind the application's back breaks a link.
type AuditCheck struct {
	OK         bool   `json:"ok"`
	Events     int64  `json:"events"`       // events checked
	FirstBadID *int64 `json:"first_bad_id"` // the first event whose content or link does not match; null when OK
	Head       string `json:"head"`         // the chain head's hash (hex), to be noted down and compared later
	HeadID     int64  `json:"head_id"`      // the event the head is
	AnchorID   int64  `json:"anchor_id"`    // events up to this one were pruned (0: none)
	Reason     string `json:"reason,omitempty"`
}

// EventHash is an event's link in the audit chain: SHA-256, in hex, over a
// version tag and the event's fields and the previous event's hash, each
// written as its length in bytes, a colon, the bytes and a newline, so that
// no two different events encode alike. Times are UTC to the microsecond,
// as both databases store them.
func EventHash(e *Event, prevHash string) string {
	h := sha256.New()
	io.WriteString(h, "lianluo-event-v1\n")
	field := func(s string) { fmt.Fprintf(h, "%d:%s\n", len(s), s) }
	field(strconv.FormatInt(e.ID, 10))
	field(e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"))
	if e.ActorID != nil {
		field(strconv.FormatInt(*e.ActorID, 10))
	} else {
		field("")
	}
	field(e.ActorName)
	field(e.ClientAddr)
	field(string(e.Entity))
	field(strconv.FormatInt(e.EntityID, 10))
	field(string(e.Action))
	field(e.Summary)
	field(prevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditTrail checks the audit chain and records the events that change
// nothing but must be on the record: exports, downloads, refused requests.
type AuditTrail interface {
	// VerifyAudit walks the chain (administrators only).
	VerifyAudit(ctx context.Context) (*AuditCheck, error)
	// AuditHead returns the chain head: the last event's id and hash (hex).
	AuditHead(ctx context.Context) (int64, string, error)
	// AuditSettings returns the audit settings; SetAuditSettings changes
	// them (administrators only).
	AuditSettings(ctx context.Context) (AuditSettings, error)
	SetAuditSettings(ctx context.Context, s AuditSettings) error
	// RecordEvent writes one event for the context's actor.
	RecordEvent(ctx context.Context, entity AuditEntity, id int64, action AuditAction, summary string) error
}

// MinAuditRetentionDays is the shortest time audit events are kept: 等保
// 2.0 level 3 asks for at least six months (网络安全法 第二十一条).
const MinAuditRetentionDays = 180

// DefaultAuditRetentionDays is the setting of a new deployment.
const DefaultAuditRetentionDays = MinAuditRetentionDays

// AuditSettings are the audit trail's settings (administrators).
type AuditSettings struct {
	RetentionDays int `json:"audit_retention_days"` // events are kept at least this long
}

// Validate refuses a retention below the minimum (and beyond 100 years).
func (s AuditSettings) Validate() error {
	var v Validator
	v.Check(s.RetentionDays >= MinAuditRetentionDays && s.RetentionDays <= 36500, "audit_retention_days",
		"审计日志保存天数不能少于180天（等保要求至少保存六个月），最多36500天。")
	return v.Err
}
