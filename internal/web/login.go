package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"lianluo"
	"lianluo/internal/server"
)

type loginPage struct {
	basePage
	Username string
	Next     string
	Message  string
	MFAToken string // the second step is due: the code form
}

func (a *app) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if actor(r) != nil {
		return redirect(w, r, next)
	}
	return a.render(w, r, http.StatusOK, "login", &loginPage{basePage: basePage{Title: "登录"}, Next: next})
}

func (a *app) login(w http.ResponseWriter, r *http.Request) error {
	username := strings.TrimSpace(r.PostFormValue("username"))
	next := safeNext(r.PostFormValue("next"))
	sess, err := a.tryLogin(r, username)
	if err != nil {
		p := &loginPage{basePage: basePage{Title: "登录"}, Username: username, Next: next}
		switch lianluo.ErrorCode(err) {
		case lianluo.EUNAUTHORIZED, lianluo.EINVALID, lianluo.ETOOMANY:
			p.Message = lianluo.ErrorMessage(err)
		default:
			return err
		}
		return a.render(w, r, errorStatus(lianluo.ErrorCode(err)), "login", p)
	}
	return a.startSession(w, r, sess, next)
}

// loginMFA is a login's second step: the authenticator's code or a recovery code.
func (a *app) loginMFA(w http.ResponseWriter, r *http.Request) error {
	next, token := safeNext(r.PostFormValue("next")), r.PostFormValue("mfa_token")
	addr := clientAddr(r)
	sess, err := func() (*lianluo.Session, error) {
		if err := a.logins.Allow(addr, "mfa:"+token); err != nil {
			return nil, err
		}
		return a.svc.Auth.LoginMFA(r.Context(), token, r.PostFormValue("code"), addr)
	}()
	if err != nil {
		p := &loginPage{basePage: basePage{Title: "登录"}, Next: next, MFAToken: token}
		switch lianluo.ErrorCode(err) {
		case lianluo.EUNAUTHORIZED: // expired or locked: back to the password
			p.MFAToken, p.Message = "", lianluo.ErrorMessage(err)
		case lianluo.EINVALID, lianluo.ETOOMANY:
			p.Message = lianluo.ErrorMessage(err)
		default:
			return err
		}
		return a.render(w, r, errorStatus(lianluo.ErrorCode(err)), "login", p)
	}
	return a.startSession(w, r, sess, next)
}

// startSession answers a right login: the page session cookie and the page
// asked for, or the second step's form when it is due.
func (a *app) startSession(w http.ResponseWriter, r *http.Request, sess *lianluo.Session, next string) error {
	if sess.MFAToken != "" {
		return a.render(w, r, http.StatusOK, "login", &loginPage{basePage: basePage{Title: "登录"}, Next: next, MFAToken: sess.MFAToken})
	}
	// No Max-Age: a browser session cookie; the server ends idle sessions
	// after 30 minutes anyway.
	http.SetCookie(w, &http.Cookie{
		Name:     lianluo.SessionCookie,
		Value:    sess.Token,
		Path:     "/",
		HttpOnly: true,
		Secure:   server.IsSecure(r),
		SameSite: http.SameSiteLaxMode,
	})
	return redirect(w, r, next)
}

// tryLogin asks the login limiter, then the store.
func (a *app) tryLogin(r *http.Request, username string) (*lianluo.Session, error) {
	addr := clientAddr(r)
	if err := a.logins.Allow(addr, username); err != nil {
		return nil, err
	}
	return a.svc.Auth.Login(r.Context(), username, r.PostFormValue("password"), addr)
}

func (a *app) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(lianluo.SessionCookie); err == nil && c.Value != "" {
		if err := a.svc.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name:     lianluo.SessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   server.IsSecure(r),
		SameSite: http.SameSiteLaxMode,
	})
	return redirect(w, r, "/console/login")
}

// safeNext keeps a redirect after login on our own console: only a local
// path under /console/ (no scheme, no host, no "//" or backslash tricks).
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(next, "/console/") || strings.ContainsAny(next, "\\\r\n\t") ||
		strings.HasPrefix(next, "/console/login") {
		return "/console/"
	}
	return next
}

// clientAddr is the caller's address as the server middleware resolved it
// (which honours a trusted proxy), or the socket's peer.
func clientAddr(r *http.Request) string {
	if s := server.ClientAddrFromContext(r.Context()); s != "" {
		return s
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
