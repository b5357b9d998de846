package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"lianluo"
)

// WeComRobot posts to a WeCom (企业微信) group robot: a text message to its
// webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY.
type WeComRobot struct {
	// URL is the default robot's webhook; a notification with an Address
	// goes to that webhook instead.
	URL    string
	Client *http.Client // nil: http.DefaultClient
}

// weComMaxContent is WeCom's limit on a text message, in bytes; a longer
// one is refused (errcode 40058) however often it is retried.
const weComMaxContent = 2048

// Send posts the notification; it counts as sent when the robot answers
// errcode 0.
func (r WeComRobot) Send(ctx context.Context, n *lianluo.Notification) (err error) {
	defer wrap(&err, "企业微信机器人")
	target, err := robotURL(r.URL, n.Address)
	if err != nil {
		return err
	}
	return postRobot(ctx, r.Client, target, clip(robotText(n), weComMaxContent-len("…")), n)
}

// DingTalkRobot posts to a DingTalk (钉钉) group robot: a text message to
// its webhook, https://oapi.dingtalk.com/robot/send?access_token=TOKEN,
// signed (加签) when the robot has a secret.
type DingTalkRobot struct {
	// URL is the default robot's webhook; a notification with an Address
	// goes to that webhook instead (signed with the same Secret).
	URL string
	// Secret is the robot's 加签 secret (SEC…); empty for a robot secured
	// by keyword or IP address instead.
	Secret string
	Now    func() time.Time // the clock of the signature; default time.Now
	Client *http.Client     // nil: http.DefaultClient
}

// Send posts the notification; it counts as sent when the robot answers
// errcode 0.
func (r DingTalkRobot) Send(ctx context.Context, n *lianluo.Notification) (err error) {
	defer wrap(&err, "钉钉机器人")
	target, err := robotURL(r.URL, n.Address)
	if err != nil {
		return err
	}
	if r.Secret != "" {
		now := time.Now
		if r.Now != nil {
			now = r.Now
		}
		target = signDingTalk(target, r.Secret, now())
	}
	return postRobot(ctx, r.Client, target, robotText(n), n)
}

// signDingTalk adds DingTalk's signature to a webhook URL: timestamp in
// milliseconds, and sign = base64(HMAC-SHA256(secret, timestamp+"\n"+secret)),
// URL-escaped. DingTalk refuses a timestamp more than an hour off.
func signDingTalk(target, secret string, now time.Time) string {
	u, err := url.Parse(target) // robotURL parsed it already
	if err != nil {
		return target
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	u.RawQuery = q.Encode()
	return u.String()
}

// robotURL is the webhook a notification goes to: its own Address, or
// the default robot's.
func robotURL(def, address string) (string, error) {
	target := def
	if address != "" {
		target = address
	}
	if target == "" {
		return "", errors.New("没有配置机器人地址，通知也没有指定")
	}
	if !validHTTPURL(target) {
		return "", errors.New("机器人地址不是 http(s) 网址")
	}
	return target, nil
}

// robotText is what a group robot posts: the subject on a line of its
// own, then the body.
func robotText(n *lianluo.Notification) string {
	if n.Subject == "" {
		return n.Body
	}
	return n.Subject + "\n" + n.Body
}

// postRobot posts a text message in the shape WeCom and DingTalk share and
// checks their answer, {"errcode": 0, "errmsg": "ok"}.
func postRobot(ctx context.Context, client *http.Client, target, text string, n *lianluo.Notification) error {
	type content struct {
		Content string `json:"content"`
	}
	body := struct {
		MsgType string  `json:"msgtype"`
		Text    content `json:"text"`
	}{"text", content{text}}
	status, answer, err := postJSON(ctx, client, target, nil, body)
	if err != nil {
		return err
	}
	hide := []string{n.Body, n.Address}
	if status/100 != 2 {
		return answerError(status, answer, "", hide...)
	}
	a, ok := parseAnswer(answer)
	if !ok {
		return answerError(status, answer, "答复不是 JSON", hide...)
	}
	code, ok := a.field("errcode")
	if !ok {
		return answerError(status, answer, "答复没有 errcode", hide...)
	}
	if code != "0" {
		return answerError(status, answer, "", hide...)
	}
	return nil
}
