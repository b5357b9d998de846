package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"lianluo"
)

// SMTP sends e-mail through a mail server (the organisation's own, as a
// rule, on the government network). The standard library does the job:
// net/smtp speaks the protocol, STARTTLS and PLAIN authentication, and
// mime encodes the Chinese subject.
type SMTP struct {
	// Addr is the server's host:port. Port 465 speaks TLS from the start;
	// on any other port the connection turns to TLS (STARTTLS) when the
	// server offers it.
	Addr string
	// Username and Password, when set, log in with PLAIN, which net/smtp
	// allows only over TLS or to localhost.
	Username string
	Password string
	// From is the sender: an address, optionally with a name, as in
	// "联络平台 <noreply@example.gov.cn>".
	From string
	// TLSConfig is used for TLS, for example to trust an intranet's own
	// certificate authority; default: the system's, for the host of Addr.
	TLSConfig *tls.Config
}

// Send mails n.Body to n.Address, with n.Subject as the subject (or the
// start of the body when there is none).
func (s SMTP) Send(ctx context.Context, n *lianluo.Notification) (err error) {
	defer wrap(&err, "邮件")
	if strings.TrimSpace(n.Address) == "" {
		return errors.New("通知没有邮件地址，无法发送邮件")
	}
	to, err := mail.ParseAddress(n.Address)
	if err != nil {
		return errors.New("通知的邮件地址无效") // not quoted: it is personal data
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return errors.New("发件地址（LIANLUO_SMTP_FROM）无效")
	}
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return errors.New("邮件服务器地址（LIANLUO_SMTP_ADDR）应为 主机:端口")
	}
	msg := message(from, to, n, time.Now())
	hide := []string{n.Address, to.Address, n.Body}
	fail := func(step string, err error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", step, ctx.Err())
		}
		return fmt.Errorf("%s: %s", step, clip(strings.ToValidUTF8(scrub(err.Error(), hide...), "?"), maxDetail))
	}

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fail("连接 "+s.Addr, err)
	}
	// The context's end cuts the conversation short wherever it is: every
	// read and write then fails at once.
	raw := conn
	defer context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })()
	tlsConfig := &tls.Config{}
	if s.TLSConfig != nil {
		tlsConfig = s.TLSConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = host
	}
	if port == "465" {
		conn = tls.Client(conn, tlsConfig)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fail("连接 "+s.Addr, err)
	}
	defer c.Close()
	if port != "465" {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fail("STARTTLS", err)
			}
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fail("AUTH", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fail("MAIL FROM", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fail("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return fail("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail("DATA", err)
	}
	if err := w.Close(); err != nil { // the server's answer to the message
		return fail("DATA", err)
	}
	// The server has taken the message: a failing QUIT must not make the
	// scheduler send it again.
	c.Quit()
	return nil
}

// message is the e-mail: UTF-8 headers encoded by RFC 2047, and the body
// in base64, which survives any server and any line length.
func message(from, to *mail.Address, n *lianluo.Notification, now time.Time) []byte {
	subject := n.Subject
	if subject == "" {
		subject = n.Body
		if r := []rune(subject); len(r) > 20 {
			subject = string(r[:20])
		}
	}
	// One line, whatever the text: a line break in a header would end it.
	subject = strings.Join(strings.Fields(subject), " ")
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]

	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.BEncoding.Encode("UTF-8", subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+rand.Text()+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	text := strings.ReplaceAll(strings.ReplaceAll(n.Body, "\r\n", "\n"), "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}
