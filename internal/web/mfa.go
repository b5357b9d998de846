package web

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"lianluo"
	"lianluo/internal/qr"
)

// 双因素认证: a user turns the second factor on (scan the QR code with an
// authenticator app, confirm with its first code, keep the recovery codes
// shown once) or off (with the password).

type mfaPage struct {
	basePage
	Status   *lianluo.MFAStatus
	Enrol    *lianluo.MFAEnrolment // enrolling: the secret and its QR code
	QR       template.URL          // data: URL of the QR code's PNG
	Recovery []string              // just confirmed: the recovery codes, this once
	Required bool                  // the security settings require it and it is not on yet
	Form     formState
}

func (a *app) mfaPage(r *http.Request) (*mfaPage, error) {
	st, err := a.svc.Auth.MFAStatus(r.Context())
	if err != nil {
		return nil, err
	}
	return &mfaPage{basePage: basePage{Title: "双因素认证", Section: "mfa"}, Status: st, Required: actor(r).User.MustEnrolMFA}, nil
}

func (a *app) mfaForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.mfaPage(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("ok") == "off" {
		p.Flash = "双因素认证已停用。"
	}
	return a.render(w, r, http.StatusOK, "mfa", p)
}

// mfaEnrol gives a new secret and shows its QR code with the confirm form.
func (a *app) mfaEnrol(w http.ResponseWriter, r *http.Request) error {
	e, err := a.svc.Auth.BeginMFA(r.Context())
	if err != nil {
		return err
	}
	p, err := a.mfaPage(r)
	if err != nil {
		return err
	}
	return a.showEnrolment(w, r, http.StatusOK, p, e)
}

func (a *app) showEnrolment(w http.ResponseWriter, r *http.Request, status int, p *mfaPage, e *lianluo.MFAEnrolment) error {
	code, err := qr.Encode(e.URI)
	if err != nil {
		return err
	}
	p.Enrol = e
	p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(code.PNG(6)))
	return a.render(w, r, status, "mfa", p)
}

// mfaConfirm turns it on with the app's first code and shows the recovery codes.
func (a *app) mfaConfirm(w http.ResponseWriter, r *http.Request) error {
	codes, err := a.svc.Auth.ConfirmMFA(r.Context(), r.PostFormValue("code"))
	p, perr := a.mfaPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		if !p.Form.take(err, "code") {
			return err
		}
		// The same secret again: it is kept until confirmed.
		secret := r.PostFormValue("secret")
		return a.showEnrolment(w, r, p.Form.status(err), p, &lianluo.MFAEnrolment{Secret: secret, URI: lianluo.TOTPURI(secret, actor(r).User.Username)})
	}
	p.Recovery, p.Required = codes, false
	p.Flash = "双因素认证已启用。"
	return a.render(w, r, http.StatusOK, "mfa", p)
}

func (a *app) mfaDisable(w http.ResponseWriter, r *http.Request) error {
	err := a.svc.Auth.DisableMFA(r.Context(), r.PostFormValue("password"))
	if err != nil {
		p, perr := a.mfaPage(r)
		if perr != nil {
			return perr
		}
		if !p.Form.take(err, "password") {
			return err
		}
		return a.render(w, r, p.Form.status(err), "mfa", p)
	}
	return redirect(w, r, "/console/mfa?ok=off")
}
