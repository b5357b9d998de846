package lianluo

import (
	"strings"
	"unicode/utf8"
)

// RevealPurpose is why someone asks to see a voter's contact details
// (查看联系方式): one of a short list, with a few words of their own.
type RevealPurpose string

const (
	RevealCallback RevealPurpose = "callback" // 电话回访
	RevealVerify   RevealPurpose = "verify"   // 核实身份
	RevealHandling RevealPurpose = "handling" // 办理需要
	RevealOther    RevealPurpose = "other"    // 其他
)

// RevealPurposes lists the purposes in display order.
var RevealPurposes = []RevealPurpose{RevealCallback, RevealVerify, RevealHandling, RevealOther}

// RevealPurposeNames are their Chinese names.
var RevealPurposeNames = map[RevealPurpose]string{
	RevealCallback: "电话回访",
	RevealVerify:   "核实身份",
	RevealHandling: "办理需要",
	RevealOther:    "其他",
}

// RevealReason is the purpose and the explanation of a reveal, recorded in
// the audit trail.
type RevealReason struct {
	Purpose RevealPurpose `json:"purpose"`
	Text    string        `json:"reason"`
}

// MinRevealReason is the fewest characters of explanation a reveal takes:
// enough that "x" or "看看" is not a reason.
const MinRevealReason = 4

// Check validates the reason and returns it as the audit trail words it:
// "电话回访：与反映人约定上门时间".
func (r RevealReason) Check() (string, error) {
	text := strings.TrimSpace(r.Text)
	name, ok := RevealPurposeNames[r.Purpose]
	if !ok {
		return "", FieldError("purpose", "请选择查看联系方式的用途。")
	}
	if utf8.RuneCountInString(text) < MinRevealReason {
		return "", FieldError("reason", "请具体说明查看原因（至少%d个字）。", MinRevealReason)
	}
	if utf8.RuneCountInString(text) > 200 {
		return "", FieldError("reason", "查看原因不能超过200字。")
	}
	return name + "：" + text, nil
}

// CheckRevealRate refuses a reveal when the actor has made the policy's
// hourly number already (done, counted over the last hour).
func CheckRevealRate(p SecurityPolicy, done int) error {
	limit := p.RevealsPerHour
	if limit <= 0 {
		limit = DefaultSecurityPolicy.RevealsPerHour
	}
	if done >= limit {
		return Errorf(ETOOMANY, "一小时内查看联系方式已达%d次上限，请稍后再试；如确因工作需要，请联系系统管理员。", limit)
	}
	return nil
}
