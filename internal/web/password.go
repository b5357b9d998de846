package web

import (
	"net/http"

	"lianluo"
)

// Changing one's own password.

type passwordPage struct {
	basePage
	Form formState
	// Forced: the password was set by an administrator or has expired,
	// and every other page leads here until it is changed.
	Forced    bool
	MinLength int
}

func (a *app) newPasswordPage(r *http.Request) (*passwordPage, error) {
	pol, err := a.svc.Settings.SecurityPolicy(r.Context())
	if err != nil {
		return nil, err
	}
	return &passwordPage{basePage: basePage{Title: "修改密码", Section: "password"},
		Forced: actor(r).User.MustChangePassword, MinLength: pol.PasswordMinLength}, nil
}

func (a *app) passwordForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.newPasswordPage(r)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "password", p)
}

func (a *app) passwordChange(w http.ResponseWriter, r *http.Request) error {
	oldPw, newPw, repeat := r.PostFormValue("old_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password2")
	var err error
	switch {
	case oldPw == "":
		err = lianluo.FieldError("old_password", "请填写原密码。")
	case newPw == "":
		err = lianluo.FieldError("new_password", "请填写新密码。")
	case newPw != repeat:
		err = lianluo.FieldError("new_password2", "两次输入的新密码不一致。")
	default:
		err = a.svc.Auth.ChangePassword(r.Context(), oldPw, newPw)
	}
	if err != nil {
		p, perr := a.newPasswordPage(r)
		if perr != nil {
			return perr
		}
		if !p.Form.take(err, "old_password", "new_password", "new_password2") {
			return err
		}
		return a.render(w, r, p.Form.status(err), "password", p)
	}
	return redirect(w, r, "/console/password?ok=password")
}
