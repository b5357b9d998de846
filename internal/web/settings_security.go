package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// The security settings (administrators): the password policy and the
// hourly limit of 查看联系方式, with a version so that a stale form is
// refused.

type securitySettingsPage struct {
	basePage
	P    lianluo.SecurityPolicy
	Form formState
}

// MFARoleChoices are the roles to tick for the second factor.
func (p *securitySettingsPage) MFARoleChoices() []option {
	var out []option
	for _, r := range lianluo.Roles {
		out = append(out, option{Value: r, Label: lianluo.RoleNames[r], Selected: slices.Contains(p.P.MFARoles, r)})
	}
	return out
}

func (a *app) securitySettingsForm(w http.ResponseWriter, r *http.Request) error {
	if !lianluo.CanManageSecurity(actor(r)) {
		return lianluo.Forbidden()
	}
	p, err := a.svc.Settings.SecurityPolicy(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "settings_security",
		&securitySettingsPage{basePage: basePage{Title: "安全设置", Section: "security"}, P: p})
}

func (a *app) securitySettingsSave(w http.ResponseWriter, r *http.Request) error {
	if !lianluo.CanManageSecurity(actor(r)) {
		return lianluo.Forbidden()
	}
	num := func(name, label string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			return 0, lianluo.FieldError(name, "%s须填写整数。", label)
		}
		return n, nil
	}
	var p lianluo.SecurityPolicy
	var err error
	fields := []struct {
		dst         *int
		name, label string
	}{
		{&p.PasswordMinLength, "password_min_length", "密码最小长度"},
		{&p.PasswordHistory, "password_history", "不得重复使用的历史密码个数"},
		{&p.PasswordExpiryDays, "password_expiry_days", "密码有效期"},
		{&p.RevealsPerHour, "reveals_per_hour", "每小时查看联系方式次数"},
	}
	for _, f := range fields {
		if err == nil {
			*f.dst, err = num(f.name, f.label)
		}
	}
	if err == nil {
		p.Version, err = formVersion(r)
	}
	// No box ticked: no role requires the second factor.
	p.MFARoles = append([]string{}, r.PostForm["mfa_roles"]...)
	if err == nil {
		_, err = a.svc.Settings.UpdateSecurityPolicy(r.Context(), p)
	}
	if err != nil {
		pg := &securitySettingsPage{basePage: basePage{Title: "安全设置", Section: "security"}, P: p}
		if !pg.Form.take(err, "password_min_length", "password_history", "password_expiry_days", "reveals_per_hour", "mfa_roles") {
			return err
		}
		pg.Form.ReloadURL = "/console/settings/security"
		return a.render(w, r, pg.Form.status(err), "settings_security", pg)
	}
	return redirect(w, r, "/console/settings/security?ok=saved")
}
