// Package notify delivers notifications outside Lianluo: text messages
// through an HTTP SMS gateway (短信网关), posts to a WeCom (企业微信) or
// DingTalk (钉钉) group robot, and e-mail over SMTP. Each sender implements
// lianluo.Sender for one channel. The jobs scheduler calls it for every
// outbox row of that channel, after the business transaction has committed,
// and retries whatever fails with backoff; a sender itself never retries.
//
// Every channel is optional, because government networks often reach none
// of these services. Config holds the configured channels (ConfigFromEnv
// reads them from LIANLUO_* variables), and Config.Senders returns them
// keyed by channel for jobs.Config.Senders.
//
// A sender's error is stored as the row's last_error and shown to
// administrators. So it says what the provider answered (the HTTP status,
// its error code and message, cut short) and never carries the message
// text, the recipient's phone number or address, or a webhook's key.
package notify

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lianluo"
)

var (
	_ lianluo.Sender = SMSGateway{}
	_ lianluo.Sender = WeComRobot{}
	_ lianluo.Sender = DingTalkRobot{}
	_ lianluo.Sender = SMTP{}
)

// DefaultTimeout bounds one request of the HTTP client made by
// NewHTTPClient. The scheduler's context (jobs.Config.SendTimeout) usually
// ends a slow send first; this is the backstop.
const DefaultTimeout = 20 * time.Second

// NewHTTPClient returns the client the HTTP senders share by default. It
// takes proxies from HTTP_PROXY/HTTPS_PROXY, as intranets often require.
func NewHTTPClient() *http.Client {
	return &http.Client{Timeout: DefaultTimeout}
}

const (
	maxAnswer = 64 << 10 // how much of a provider's answer is read
	maxDetail = 200      // how much of it an error quotes, in bytes
)

// wrap prefixes a non-nil error with the sender's name, once, at the top of Send.
func wrap(errp *error, name string) {
	if *errp != nil {
		*errp = fmt.Errorf("%s：%w", name, *errp)
	}
}

// postJSON posts body as JSON and returns the status and the start of the
// answer. A transport error names the URL without its query, where robot
// keys and tokens are.
func postJSON(ctx context.Context, client *http.Client, target string, header http.Header, body any) (int, []byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(b))
	if err != nil {
		// The parse error would quote the whole URL.
		return 0, nil, fmt.Errorf("网址无效（%s）", redactURL(target))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if client == nil {
		client = http.DefaultClient // ctx still bounds the request
	}
	resp, err := client.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			return 0, nil, fmt.Errorf("POST %s: %w", redactURL(target), ue.Err)
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("HTTP %d，读取答复失败: %w", resp.StatusCode, err)
	}
	return resp.StatusCode, answer, nil
}

// redactURL is the URL without credentials, query and fragment.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "?"
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// answer is a provider's JSON answer, by top-level field.
type answer map[string]any

// parseAnswer reads a JSON object; ok is false for anything else.
func parseAnswer(b []byte) (a answer, ok bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber() // errcode 0 stays "0", not "0e+00"
	if err := d.Decode(&a); err != nil || a == nil {
		return nil, false
	}
	return a, true
}

// field returns a top-level field as text: a string as it is, a number as
// written, anything else as JSON.
func (a answer) field(name string) (string, bool) {
	v, ok := a[name]
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	default:
		b, _ := json.Marshal(v)
		return string(b), true
	}
}

// detailFields are the fields of an answer that explain a failure, as
// providers name them.
var detailFields = []string{"errcode", "code", "Code", "status", "errmsg", "msg", "message", "Message", "error"}

// answerError is the error for a provider's answer: the HTTP status, why
// the answer is not a success when the status does not say, and the
// provider's code and message (or the start of the answer) with hide and
// phone numbers removed.
func answerError(status int, body []byte, why string, hide ...string) error {
	msg := fmt.Sprintf("HTTP %d", status)
	if why != "" {
		msg += "，" + why
	}
	if d := detail(body, hide...); d != "" {
		msg += ": " + d
	}
	return errors.New(msg)
}

// detail quotes what the provider said, at most maxDetail bytes.
func detail(body []byte, hide ...string) string {
	var parts []string
	if a, ok := parseAnswer(body); ok {
		for _, k := range detailFields {
			v, ok := a.field(k)
			if !ok {
				continue
			}
			if _, isString := a[k].(string); isString {
				v = strconv.Quote(v)
			}
			parts = append(parts, k+"="+scrub(v, hide...))
		}
	}
	s := strings.Join(parts, " ")
	if s == "" {
		s = scrub(strings.Join(strings.Fields(string(body)), " "), hide...)
	}
	// A gateway may answer in GBK; PostgreSQL refuses invalid UTF-8 in last_error.
	return clip(strings.ToValidUTF8(s, "?"), maxDetail)
}

// scrub removes personal data a provider may echo: each of hide (the
// recipient, the message text), longest first, and any mobile number.
func scrub(s string, hide ...string) string {
	hide = slices.Clone(hide)
	slices.SortFunc(hide, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, h := range hide {
		if h = strings.TrimSpace(h); h != "" {
			s = strings.ReplaceAll(s, h, "…")
		}
	}
	return lianluo.MaskPhonesIn(s)
}

// clip cuts s to at most n bytes on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// validHTTPURL reports whether s is an absolute http or https URL.
func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
