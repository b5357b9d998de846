package notify_test

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"lianluo"
	"lianluo/internal/notify"
)

const (
	phone     = "13912345678"
	body      = "您反映的“路灯不亮”已有答复：张三家门口已修复"
	secretKey = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa" // a robot's key or token
)

func note() *lianluo.Notification {
	return &lianluo.Notification{ID: 7, Channel: lianluo.ChannelSMS, Phone: phone, Template: "case_feedback", Body: body}
}

// request is what a test server received.
type request struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   map[string]any // the JSON body
}

// recorder keeps the requests a test server received.
type recorder struct {
	mu   sync.Mutex
	reqs []request
}

func (rec *recorder) requests() []request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.reqs)
}

// serveFunc starts a local server that records each request, then lets h answer.
func serveFunc(t *testing.T, h http.HandlerFunc) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone()}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &req.Body); err != nil {
			t.Errorf("request body %q is not a JSON object: %v", b, err)
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, req)
		rec.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// serve starts a local server that answers every request with status and answer.
func serve(t *testing.T, status int, answer string) (*httptest.Server, *recorder) {
	t.Helper()
	return serveFunc(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, answer)
	})
}

// one returns the single request a server received.
func one(t *testing.T, rec *recorder) request {
	t.Helper()
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("server received %d requests; want 1", len(reqs))
	}
	return reqs[0]
}

func TestSMSGatewaySend(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		gateway  notify.SMSGateway
		answer   string
		body     string // the notification's
		wantBody map[string]any
		wantAuth string
	}{{
		name:     "defaults: 2xx is enough",
		answer:   "OK",
		body:     body,
		wantBody: map[string]any{"phone": phone, "content": body},
	}, {
		name: "auth, sign, field names and success check",
		gateway: notify.SMSGateway{AuthHeader: "Authorization", AuthValue: "Bearer tok-1", Sign: "联络",
			PhoneField: "mobile", ContentField: "text", SuccessField: "code", SuccessValue: "0"},
		answer:   `{"code":0,"msg":"ok"}`,
		body:     body,
		wantBody: map[string]any{"mobile": phone, "text": "【联络】" + body},
		wantAuth: "Bearer tok-1",
	}, {
		name:     "success value as text, any case; sign already present",
		gateway:  notify.SMSGateway{Sign: "【联络】", SuccessField: "Code", SuccessValue: "OK"},
		answer:   `{"Code":"Ok","Message":"OK"}`,
		body:     "【联络】" + body,
		wantBody: map[string]any{"phone": phone, "content": "【联络】" + body},
	}, {
		name:     "success value defaults to 0, as a string too",
		gateway:  notify.SMSGateway{SuccessField: "errcode"},
		answer:   `{"errcode":"0"}`,
		body:     body,
		wantBody: map[string]any{"phone": phone, "content": body},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := serve(t, http.StatusOK, tc.answer)
			g := tc.gateway
			g.URL, g.Client = srv.URL+"/api/sms/send", srv.Client()
			n := note()
			n.Body = tc.body
			if err := g.Send(t.Context(), n); err != nil {
				t.Fatalf("Send = %v; want nil", err)
			}
			got := one(t, rec)
			if got.Method != http.MethodPost || got.Path != "/api/sms/send" {
				t.Errorf("request %s %s; want POST /api/sms/send", got.Method, got.Path)
			}
			if ct := got.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q; want JSON", ct)
			}
			if auth := got.Header.Get("Authorization"); auth != tc.wantAuth {
				t.Errorf("Authorization %q; want %q", auth, tc.wantAuth)
			}
			if !reflect.DeepEqual(got.Body, tc.wantBody) {
				t.Errorf("body %v; want %v", got.Body, tc.wantBody)
			}
		})
	}
}

// A text message without a phone number is an error that says so, and
// nothing is sent.
func TestSMSGatewayNoPhone(t *testing.T) {
	t.Parallel()
	srv, rec := serve(t, http.StatusOK, "OK")
	g := notify.SMSGateway{URL: srv.URL, Client: srv.Client()}
	n := note()
	n.Phone = " "
	err := g.Send(t.Context(), n)
	if err == nil || !strings.Contains(err.Error(), "没有手机号") {
		t.Errorf("Send without a phone = %v; want an error saying there is no phone number", err)
	}
	if len(rec.requests()) != 0 {
		t.Errorf("server received a request for a message without a phone number")
	}
}

func TestWeComRobotSend(t *testing.T) {
	t.Parallel()
	srv, rec := serve(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	r := notify.WeComRobot{URL: srv.URL + "/cgi-bin/webhook/send?key=" + secretKey, Client: srv.Client()}
	n := note()
	n.Channel, n.Phone, n.Subject = lianluo.ChannelWeCom, "", "紧急意见"
	if err := r.Send(t.Context(), n); err != nil {
		t.Fatalf("Send = %v; want nil", err)
	}
	got := one(t, rec)
	if got.Method != http.MethodPost || got.Path != "/cgi-bin/webhook/send" || got.RawQuery != "key="+secretKey {
		t.Errorf("request %s %s?%s; want POST /cgi-bin/webhook/send?key=KEY", got.Method, got.Path, got.RawQuery)
	}
	want := map[string]any{"msgtype": "text", "text": map[string]any{"content": "紧急意见\n" + body}}
	if !reflect.DeepEqual(got.Body, want) {
		t.Errorf("body %v; want %v", got.Body, want)
	}

	// A notification's own address wins over the default robot.
	other, otherRec := serve(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	n.Address = other.URL + "/cgi-bin/webhook/send?key=other"
	if err := r.Send(t.Context(), n); err != nil {
		t.Fatalf("Send to Address = %v; want nil", err)
	}
	if got := one(t, otherRec); got.RawQuery != "key=other" {
		t.Errorf("Address robot got query %q; want key=other", got.RawQuery)
	}
	if len(rec.requests()) != 1 {
		t.Errorf("default robot received the message for another robot")
	}

	// WeCom refuses a text over 2048 bytes however often it is retried.
	n.Address, n.Subject, n.Body = "", "", strings.Repeat("长", 1000)
	if err := r.Send(t.Context(), n); err != nil {
		t.Fatalf("Send of a long text = %v; want nil", err)
	}
	content := rec.requests()[1].Body["text"].(map[string]any)["content"].(string)
	if len(content) > 2048 || !utf8.ValidString(content) || !strings.HasPrefix(content, "长长") {
		t.Errorf("long text sent as %d bytes (valid UTF-8: %v); want at most 2048", len(content), utf8.ValidString(content))
	}
}

func TestDingTalkRobotSend(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC) } // 1772415000000 ms
	for _, tc := range []struct {
		name   string
		secret string
		want   url.Values
		// wantRaw is in the raw query: the signature URL-escaped once.
		wantRaw string
	}{{
		name:   "加签",
		secret: "SECtest2",
		// Computed apart from the code under test:
		// printf '1772415000000\nSECtest2' | openssl dgst -sha256 -hmac SECtest2 -binary | base64
		want: url.Values{"access_token": {secretKey}, "timestamp": {"1772415000000"},
			"sign": {"OyOkIlaxnBIh+ZRly0h/9HuaZOg8q1lQrM96tDFjbMc="}},
		wantRaw: "sign=OyOkIlaxnBIh%2BZRly0h%2F9HuaZOg8q1lQrM96tDFjbMc%3D",
	}, {
		name: "no secret: no signature",
		want: url.Values{"access_token": {secretKey}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := serve(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
			r := notify.DingTalkRobot{URL: srv.URL + "/robot/send?access_token=" + secretKey, Secret: tc.secret, Now: now, Client: srv.Client()}
			n := note()
			n.Channel, n.Phone = lianluo.ChannelDingTalk, ""
			if err := r.Send(t.Context(), n); err != nil {
				t.Fatalf("Send = %v; want nil", err)
			}
			got := one(t, rec)
			q, err := url.ParseQuery(got.RawQuery)
			if err != nil {
				t.Fatal(err)
			}
			if got.Method != http.MethodPost || got.Path != "/robot/send" || !reflect.DeepEqual(q, tc.want) {
				t.Errorf("request %s %s?%v; want POST /robot/send?%v", got.Method, got.Path, q, tc.want)
			}
			if !strings.Contains(got.RawQuery, tc.wantRaw) {
				t.Errorf("raw query %q lacks %q", got.RawQuery, tc.wantRaw)
			}
			want := map[string]any{"msgtype": "text", "text": map[string]any{"content": body}}
			if !reflect.DeepEqual(got.Body, want) {
				t.Errorf("body %v; want %v", got.Body, want)
			}
		})
	}
}

// Every HTTP sender fails the same ways, and its error tells the
// administrator what the provider said without the phone number, the
// message or the robot's key.
func TestHTTPSendersFail(t *testing.T) {
	t.Parallel()
	senders := []struct {
		name string
		make func(base string, client *http.Client) lianluo.Sender
	}{
		{"sms", func(base string, c *http.Client) lianluo.Sender {
			return notify.SMSGateway{URL: base + "/send", SuccessField: "code", Client: c}
		}},
		{"wecom", func(base string, c *http.Client) lianluo.Sender {
			return notify.WeComRobot{URL: base + "/cgi-bin/webhook/send?key=" + secretKey, Client: c}
		}},
		{"dingtalk", func(base string, c *http.Client) lianluo.Sender {
			return notify.DingTalkRobot{URL: base + "/robot/send?access_token=" + secretKey, Secret: "SECtest2", Client: c}
		}},
	}
	failures := []struct {
		name    string
		status  int    // 0: the server is down; -1: it never answers
		answer  string // echoes personal data, as some gateways do
		want    []string
		wantErr error
	}{
		{name: "500", status: 500, answer: `{"errcode":-1,"code":-1,"errmsg":"系统繁忙：` + phone + ` ` + body + `"}`,
			want: []string{"HTTP 500", `errcode=-1`, `errmsg="系统繁忙：`}},
		{name: "error code in a 200", status: 200, answer: `{"errcode":310000,"code":310000,"errmsg":"keywords not in content"}`,
			want: []string{"HTTP 200", "310000", "keywords not in content"}},
		{name: "HTML error page", status: 502, answer: "<html>\n<body>502 Bad Gateway</body>\n</html>",
			want: []string{"HTTP 502", "<html> <body>502 Bad Gateway"}},
		{name: "200 not JSON", status: 200, answer: "OK", want: []string{"HTTP 200", "不是 JSON"}},
		{name: "long answer", status: 500, answer: `{"errmsg":"` + strings.Repeat("错", 500) + `"}`, want: []string{"HTTP 500", "错错…"}},
		{name: "server down", status: 0, want: []string{"POST http://127.0.0.1:", "connection refused"}},
		{name: "no answer in time", status: -1, wantErr: context.DeadlineExceeded},
	}
	for _, s := range senders {
		for _, f := range failures {
			t.Run(s.name+"/"+f.name, func(t *testing.T) {
				var srv *httptest.Server
				switch f.status {
				case -1:
					srv, _ = serveFunc(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
				default:
					srv, _ = serve(t, f.status, f.answer)
				}
				if f.status == 0 {
					srv.Close()
				}
				ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
				defer cancel()
				n := note()
				n.Channel = s.name
				err := s.make(srv.URL, srv.Client()).Send(ctx, n)
				if err == nil {
					t.Fatal("Send = nil; want an error")
				}
				msg := err.Error()
				t.Log(msg)
				for _, w := range f.want {
					if !strings.Contains(msg, w) {
						t.Errorf("Send = %q; want it to contain %q", msg, w)
					}
				}
				if f.wantErr != nil && !errors.Is(err, f.wantErr) {
					t.Errorf("Send = %v; want %v", err, f.wantErr)
				}
				for _, secret := range []string{phone, "张三", "路灯", secretKey} {
					if strings.Contains(msg, secret) {
						t.Errorf("Send = %q; shows %q", msg, secret)
					}
				}
				if len(msg) > 300 || !utf8.ValidString(msg) {
					t.Errorf("Send = %q (%d bytes); want at most 300 bytes of UTF-8", msg, len(msg))
				}
			})
		}
	}
}

// A robot address that is not a web address fails without being quoted
// (it may hold the robot's key).
func TestRobotBadAddress(t *testing.T) {
	t.Parallel()
	for _, r := range []lianluo.Sender{notify.WeComRobot{}, notify.DingTalkRobot{}} {
		n := note()
		n.Address = "ftp://robot.example/send?key=" + secretKey
		err := r.Send(t.Context(), n)
		if err == nil || strings.Contains(err.Error(), secretKey) {
			t.Errorf("%T.Send to an ftp address = %v; want an error that does not quote it", r, err)
		}
		n.Address = ""
		if err := r.Send(t.Context(), n); err == nil {
			t.Errorf("%T.Send with no robot configured = nil; want an error", r)
		}
	}
}

// mailServer is a minimal SMTP server for tests on 127.0.0.1. It speaks
// EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP and QUIT, and
// records every message it accepts.
type mailServer struct {
	Addr string
	// RcptReply answers RCPT TO, with %s for the address; default "250 OK".
	RcptReply string
	Auth      bool        // offer AUTH PLAIN
	AuthReply string      // answers AUTH; default "235 2.7.0 authenticated"
	TLS       *tls.Config // offer STARTTLS
	Silent    bool        // accept connections but never greet

	ln    net.Listener
	mu    sync.Mutex
	mails []mailRecord
	conns []net.Conn
	wg    sync.WaitGroup
}

type mailRecord struct {
	Auth     string // the decoded PLAIN response
	TLS      bool
	From     string
	To       []string
	Data     string
	HelloArg string
}

// startMail starts s and stops it when the test ends.
func startMail(t *testing.T, s *mailServer) *mailServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			s.wg.Go(func() { s.serve(t, c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *mailServer) received() []mailRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.mails)
}

func (s *mailServer) serve(t *testing.T, c net.Conn) {
	defer c.Close()
	if s.Silent {
		io.Copy(io.Discard, c)
		return
	}
	tp := textproto.NewConn(c)
	var m mailRecord
	tp.PrintfLine("220 test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			m.HelloArg = arg
			lines := []string{"test"}
			if s.Auth {
				lines = append(lines, "AUTH PLAIN")
			}
			if s.TLS != nil && !m.TLS {
				lines = append(lines, "STARTTLS")
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				tp.PrintfLine("250%s%s", sep, l)
			}
		case "STARTTLS":
			tp.PrintfLine("220 go ahead")
			tc := tls.Server(c, s.TLS)
			if err := tc.Handshake(); err != nil {
				t.Errorf("test SMTP server: TLS handshake: %v", err)
				return
			}
			c, m = tc, mailRecord{TLS: true}
			tp = textproto.NewConn(c)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			b, err := base64.StdEncoding.DecodeString(resp)
			if mech != "PLAIN" || err != nil {
				tp.PrintfLine("504 unrecognised authentication")
				continue
			}
			m.Auth = string(b)
			tp.PrintfLine("%s", cmp.Or(s.AuthReply, "235 2.7.0 authenticated"))
		case "MAIL":
			m.From = angle(arg)
			tp.PrintfLine("250 OK")
		case "RCPT":
			to := angle(arg)
			reply := "250 OK"
			if s.RcptReply != "" {
				reply = fmt.Sprintf(s.RcptReply, to)
			}
			if strings.HasPrefix(reply, "2") {
				m.To = append(m.To, to)
			}
			tp.PrintfLine("%s", reply)
		case "DATA":
			tp.PrintfLine("354 end with .")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			m.Data = string(data)
			s.mu.Lock()
			s.mails = append(s.mails, m)
			s.mu.Unlock()
			m = mailRecord{TLS: m.TLS, HelloArg: m.HelloArg}
			tp.PrintfLine("250 OK queued")
		case "RSET":
			m = mailRecord{TLS: m.TLS, HelloArg: m.HelloArg}
			tp.PrintfLine("250 OK")
		case "NOOP":
			tp.PrintfLine("250 OK")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("500 unknown command")
		}
	}
}

// angle returns the address of "FROM:<a@b> BODY=8BITMIME".
func angle(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// testCert returns a server certificate for 127.0.0.1 and a pool trusting it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	defer ts.Close()
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	return ts.TLS.Certificates[0], pool
}

func TestSMTPSend(t *testing.T) {
	t.Parallel()
	cert, pool := testCert(t)
	for _, tc := range []struct {
		name        string
		server      *mailServer // nil: a plain one
		sender      notify.SMTP
		subject     string
		body        string
		wantSubject string
		wantBody    string
		wantAuth    string
		wantTLS     bool
	}{{
		name:        "subject and multi-line body",
		subject:     "紧急意见：路灯不亮",
		body:        "收到紧急群众意见。\n请立即处理。",
		wantSubject: "紧急意见：路灯不亮",
		wantBody:    "收到紧急群众意见。\r\n请立即处理。",
	}, {
		name:        "no subject: the start of the body",
		body:        body,
		wantSubject: string([]rune(body)[:20]),
		wantBody:    body,
	}, {
		name:        "PLAIN authentication to localhost",
		server:      &mailServer{Auth: true},
		sender:      notify.SMTP{Username: "lianluo", Password: "pw-1"},
		subject:     "催办",
		body:        "请及时办理。",
		wantSubject: "催办",
		wantBody:    "请及时办理。",
		wantAuth:    "\x00lianluo\x00pw-1",
	}, {
		name:        "STARTTLS, then authentication",
		server:      &mailServer{Auth: true, TLS: &tls.Config{Certificates: []tls.Certificate{cert}}},
		sender:      notify.SMTP{Username: "lianluo", Password: "pw-1", TLSConfig: &tls.Config{RootCAs: pool}},
		subject:     "催办",
		body:        "请及时办理。",
		wantSubject: "催办",
		wantBody:    "请及时办理。",
		wantAuth:    "\x00lianluo\x00pw-1",
		wantTLS:     true,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.server == nil {
				tc.server = &mailServer{}
			}
			srv := startMail(t, tc.server)
			s := tc.sender
			s.Addr, s.From = srv.Addr, "联络平台 <noreply@example.gov.cn>"
			n := note()
			n.Channel, n.Address, n.Subject, n.Body = lianluo.ChannelEmail, "张三 <zhangsan@example.com>", tc.subject, tc.body
			if err := s.Send(t.Context(), n); err != nil {
				t.Fatalf("Send = %v; want nil", err)
			}
			mails := srv.received()
			if len(mails) != 1 {
				t.Fatalf("server received %d messages; want 1", len(mails))
			}
			got := mails[0]
			if got.From != "noreply@example.gov.cn" || !slices.Equal(got.To, []string{"zhangsan@example.com"}) {
				t.Errorf("envelope from %q to %q; want noreply@example.gov.cn to zhangsan@example.com", got.From, got.To)
			}
			if got.Auth != tc.wantAuth || got.TLS != tc.wantTLS {
				t.Errorf("auth %q, TLS %v; want %q, %v", got.Auth, got.TLS, tc.wantAuth, tc.wantTLS)
			}
			msg, err := mail.ReadMessage(strings.NewReader(got.Data))
			if err != nil {
				t.Fatalf("message does not parse: %v\n%s", err, got.Data)
			}
			// RFC 2047: the raw header is ASCII, the decoded one the subject.
			raw := msg.Header.Get("Subject")
			var dec mime.WordDecoder
			subject, err := dec.DecodeHeader(raw)
			if err != nil || subject != tc.wantSubject || !strings.HasPrefix(raw, "=?UTF-8?b?") {
				t.Errorf("Subject %q decodes to %q (%v); want an encoded %q", raw, subject, err, tc.wantSubject)
			}
			from, err := msg.Header.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != "联络平台" || from[0].Address != "noreply@example.gov.cn" {
				t.Errorf("From %q = %v (%v); want 联络平台 <noreply@example.gov.cn>", msg.Header.Get("From"), from, err)
			}
			to, err := msg.Header.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != "张三" || to[0].Address != "zhangsan@example.com" {
				t.Errorf("To %q = %v (%v); want 张三 <zhangsan@example.com>", msg.Header.Get("To"), to, err)
			}
			for k, want := range map[string]string{"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "base64", "MIME-Version": "1.0"} {
				if got := msg.Header.Get(k); got != want {
					t.Errorf("%s: %q; want %q", k, got, want)
				}
			}
			if _, err := msg.Header.Date(); err != nil || !strings.HasSuffix(msg.Header.Get("Message-ID"), "@example.gov.cn>") {
				t.Errorf("Date %q, Message-ID %q; want both", msg.Header.Get("Date"), msg.Header.Get("Message-ID"))
			}
			b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
			if err != nil || string(b) != tc.wantBody {
				t.Errorf("body %q (%v); want %q", b, err, tc.wantBody)
			}
		})
	}
}

// A subject made of the body stays on one header line.
func TestSMTPSubjectOneLine(t *testing.T) {
	t.Parallel()
	srv := startMail(t, &mailServer{})
	s := notify.SMTP{Addr: srv.Addr, From: "noreply@example.gov.cn"}
	n := note()
	n.Address, n.Body = "a@example.com", "Hi\r\nBcc: x@e.cn\r\n"
	if err := s.Send(t.Context(), n); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(srv.received()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Subject"); got != "Hi Bcc: x@e.cn" || msg.Header.Get("Bcc") != "" {
		t.Errorf("Subject %q, Bcc %q; want the body's words on one line and no Bcc", got, msg.Header.Get("Bcc"))
	}
}

func TestSMTPFail(t *testing.T) {
	t.Parallel()
	const to = "zhangsan@example.com"
	down := startMail(t, &mailServer{})
	down.ln.Close()
	for _, tc := range []struct {
		name    string
		server  *mailServer
		address string
		want    []string
		wantErr error
	}{
		{name: "recipient refused", server: &mailServer{RcptReply: "550 5.1.1 <%s>: Recipient address rejected: 13912345678"},
			address: to, want: []string{"RCPT TO", "550", "5.1.1", "Recipient address rejected: 139****5678"}},
		{name: "server down", address: to, want: []string{"连接", "connection refused"}},
		{name: "no greeting in time", server: &mailServer{Silent: true}, address: to, wantErr: context.DeadlineExceeded},
		{name: "no address", server: &mailServer{}, address: "", want: []string{"没有邮件地址"}},
		{name: "bad address", server: &mailServer{}, address: "zhangsan at example", want: []string{"地址无效"}},
		{name: "login refused", server: &mailServer{Auth: true, AuthReply: "535 5.7.8 authentication failed"}, address: to,
			want: []string{"AUTH", "535", "authentication failed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := down.Addr
			if tc.server != nil {
				addr = startMail(t, tc.server).Addr
			}
			s := notify.SMTP{Addr: addr, From: "noreply@example.gov.cn"}
			if tc.server != nil && tc.server.Auth {
				s.Username, s.Password = "u", "p"
			}
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			n := note()
			n.Address = tc.address
			err := s.Send(ctx, n)
			if err == nil {
				t.Fatal("Send = nil; want an error")
			}
			msg := err.Error()
			t.Log(msg)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("Send = %q; want it to contain %q", msg, w)
				}
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("Send = %v; want %v", err, tc.wantErr)
			}
			for _, secret := range []string{"zhangsan", phone, "张三", "路灯"} {
				if strings.Contains(msg, secret) {
					t.Errorf("Send = %q; shows %q", msg, secret)
				}
			}
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	full := map[string]string{
		"LIANLUO_SMS_URL":         "https://sms.example.gov.cn/api/send",
		"LIANLUO_SMS_AUTH_HEADER": "Authorization: Bearer tok-1",
		"LIANLUO_SMS_SIGN":        "【联络】",
		"LIANLUO_SMS_FIELDS":      "mobile, text",
		"LIANLUO_SMS_SUCCESS":     "code=0",
		"LIANLUO_WECOM_URL":       "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1",
		"LIANLUO_DINGTALK_URL":    "https://oapi.dingtalk.com/robot/send?access_token=t1",
		"LIANLUO_DINGTALK_SECRET": "SECs1",
		"LIANLUO_SMTP_ADDR":       "mail.example.gov.cn:25",
		"LIANLUO_SMTP_USER":       "lianluo",
		"LIANLUO_SMTP_PASSWORD":   "pw-secret",
		"LIANLUO_SMTP_FROM":       "联络平台 <noreply@example.gov.cn>",
	}
	with := func(changes map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range full {
			env[k] = v
		}
		for k, v := range changes {
			env[k] = v
		}
		return env
	}
	got, err := notify.ConfigFromEnv(func(k string) string { return full[k] })
	if err != nil {
		t.Fatalf("ConfigFromEnv(full) = %v", err)
	}
	want := notify.Config{
		SMS: &notify.SMSGateway{URL: full["LIANLUO_SMS_URL"], AuthHeader: "Authorization", AuthValue: "Bearer tok-1", Sign: "【联络】",
			PhoneField: "mobile", ContentField: "text", SuccessField: "code", SuccessValue: "0"},
		WeCom:    &notify.WeComRobot{URL: full["LIANLUO_WECOM_URL"]},
		DingTalk: &notify.DingTalkRobot{URL: full["LIANLUO_DINGTALK_URL"], Secret: "SECs1"},
		Email:    &notify.SMTP{Addr: "mail.example.gov.cn:25", Username: "lianluo", Password: "pw-secret", From: full["LIANLUO_SMTP_FROM"]},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ConfigFromEnv(full) = %+v; want %+v", got, want)
	}
	if got, err := notify.ConfigFromEnv(func(string) string { return "" }); err != nil || !reflect.DeepEqual(got, notify.Config{}) {
		t.Errorf("ConfigFromEnv(empty) = %+v, %v; want no channels", got, err)
	}

	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantVar string
	}{
		{"ftp gateway", with(map[string]string{"LIANLUO_SMS_URL": "ftp://sms.example/send"}), "LIANLUO_SMS_URL"},
		{"relative wecom", with(map[string]string{"LIANLUO_WECOM_URL": "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"}), "LIANLUO_WECOM_URL"},
		{"unparsable dingtalk", with(map[string]string{"LIANLUO_DINGTALK_URL": "https://oapi.dingtalk.com/%zz?access_token=t1"}), "LIANLUO_DINGTALK_URL"},
		{"auth header without a colon", with(map[string]string{"LIANLUO_SMS_AUTH_HEADER": "Bearer tok-1"}), "LIANLUO_SMS_AUTH_HEADER"},
		{"one field", with(map[string]string{"LIANLUO_SMS_FIELDS": "mobile"}), "LIANLUO_SMS_FIELDS"},
		{"success without a value", with(map[string]string{"LIANLUO_SMS_SUCCESS": "code"}), "LIANLUO_SMS_SUCCESS"},
		{"sign without a gateway", map[string]string{"LIANLUO_SMS_SIGN": "联络"}, "LIANLUO_SMS_SIGN"},
		{"secret without a robot", map[string]string{"LIANLUO_DINGTALK_SECRET": "SECs1"}, "LIANLUO_DINGTALK_SECRET"},
		{"mail server without a sender", with(map[string]string{"LIANLUO_SMTP_FROM": ""}), "LIANLUO_SMTP_FROM"},
		{"sender not an address", with(map[string]string{"LIANLUO_SMTP_FROM": "noreply"}), "LIANLUO_SMTP_FROM"},
		{"mail server without a port", with(map[string]string{"LIANLUO_SMTP_ADDR": "mail.example.gov.cn"}), "LIANLUO_SMTP_ADDR"},
		{"user without a password", with(map[string]string{"LIANLUO_SMTP_PASSWORD": ""}), "LIANLUO_SMTP_PASSWORD"},
		{"password without a mail server", map[string]string{"LIANLUO_SMTP_PASSWORD": "pw-secret"}, "LIANLUO_SMTP_PASSWORD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := notify.ConfigFromEnv(func(k string) string { return tc.env[k] })
			if err == nil || !strings.Contains(err.Error(), tc.wantVar) {
				t.Fatalf("ConfigFromEnv = %+v, %v; want an error naming %s", got, err, tc.wantVar)
			}
			for _, secret := range []string{"tok-1", "pw-secret", "SECs1", "k1", "t1"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes the secret %q", err, secret)
				}
			}
		})
	}
}

func TestSenders(t *testing.T) {
	t.Parallel()
	client := &http.Client{Timeout: time.Second}
	c := notify.Config{SMS: &notify.SMSGateway{URL: "https://sms.example/send"}, DingTalk: &notify.DingTalkRobot{URL: "https://ding.example/send"},
		Email: &notify.SMTP{Addr: "mail.example:25", From: "a@example.gov.cn"}}
	got := c.Senders(client)
	keys := slices.Sorted(maps.Keys(got))
	if want := []string{lianluo.ChannelDingTalk, lianluo.ChannelEmail, lianluo.ChannelSMS}; !slices.Equal(keys, want) {
		t.Errorf("Senders keys %v; want %v", keys, want)
	}
	if s, ok := got[lianluo.ChannelSMS].(notify.SMSGateway); !ok || s.Client != client || s.URL != "https://sms.example/send" {
		t.Errorf("SMS sender %#v; want the gateway with the shared client", got[lianluo.ChannelSMS])
	}
	if c.SMS.Client != nil {
		t.Errorf("Senders changed the Config")
	}
	s := notify.Config{WeCom: &notify.WeComRobot{URL: "https://wecom.example"}}.Senders(nil)[lianluo.ChannelWeCom].(notify.WeComRobot)
	if s.Client == nil || s.Client.Timeout != notify.DefaultTimeout {
		t.Errorf("Senders(nil) gave client %v; want one with the default timeout", s.Client)
	}
	if got := (notify.Config{}).Senders(nil); len(got) != 0 {
		t.Errorf("Senders of no channels = %v; want none", got)
	}
	if got, want := c.Channels(), []string{"sms", "email", "dingtalk"}; !slices.Equal(got, want) {
		t.Errorf("Channels() = %v; want %v", got, want)
	}
	if got := (notify.Config{}).Channels(); len(got) != 0 {
		t.Errorf("Channels() of no channels = %v; want none", got)
	}
}
