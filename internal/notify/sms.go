package notify

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strings"

	"lianluo"
)

// SMSGateway sends text messages (短信) through an HTTP gateway: a POST of
// the JSON object {"phone": "…", "content": "…"} to URL. Most deployments
// sit behind a provincial or vendor gateway of this shape; the field names
// and the success check are configurable for the ones that differ.
type SMSGateway struct {
	URL string
	// AuthHeader and AuthValue, when set, are sent with every request, as
	// in "Authorization: Bearer …".
	AuthHeader string
	AuthValue  string
	// Sign is the signature (签名) carriers require at the front of every
	// text, as in 【联络】. A sign given without the brackets gets them.
	Sign string
	// PhoneField and ContentField name the JSON fields; default "phone"
	// and "content".
	PhoneField   string
	ContentField string
	// SuccessField, when set, names a top-level field of the gateway's JSON
	// answer that must equal SuccessValue (default "0"; compared as text,
	// ignoring case, so 0, "0" and "OK"/"ok" all work) for a send to count.
	// Without it, any 2xx answer is a success: a gateway that answers 200
	// with an error code must be given its field, or failures go unnoticed.
	SuccessField string
	SuccessValue string
	// Client makes the requests; nil means http.DefaultClient. The context
	// of Send bounds every request either way.
	Client *http.Client
}

// Send texts n.Body, signed, to n.Phone. A notification without a phone
// number is an error, not a panic: the row stays in the outbox for the
// administrator to see.
func (g SMSGateway) Send(ctx context.Context, n *lianluo.Notification) (err error) {
	defer wrap(&err, "短信网关")
	phone := strings.TrimSpace(n.Phone)
	if phone == "" {
		return errors.New("通知没有手机号，无法发送短信")
	}
	body := map[string]string{
		cmp.Or(g.PhoneField, "phone"):     phone,
		cmp.Or(g.ContentField, "content"): g.content(n.Body),
	}
	header := http.Header{}
	if g.AuthHeader != "" {
		header.Set(g.AuthHeader, g.AuthValue)
	}
	status, answer, err := postJSON(ctx, g.Client, g.URL, header, body)
	if err != nil {
		return err
	}
	hide := []string{phone, n.Body}
	if status/100 != 2 {
		return answerError(status, answer, "", hide...)
	}
	if g.SuccessField == "" {
		return nil
	}
	a, ok := parseAnswer(answer)
	if !ok {
		return answerError(status, answer, "答复不是 JSON", hide...)
	}
	got, ok := a.field(g.SuccessField)
	if !ok {
		return answerError(status, answer, "答复没有 "+g.SuccessField, hide...)
	}
	if !strings.EqualFold(got, cmp.Or(g.SuccessValue, "0")) {
		return answerError(status, answer, "", hide...)
	}
	return nil
}

// content is the text as sent: the sign, then the body.
func (g SMSGateway) content(body string) string {
	sign := strings.TrimSpace(g.Sign)
	if sign == "" {
		return body
	}
	if !strings.HasPrefix(sign, "【") {
		sign = "【" + sign + "】"
	}
	if strings.HasPrefix(body, sign) {
		return body
	}
	return sign + body
}
