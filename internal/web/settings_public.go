package web

import (
	"net/http"

	"lianluo"
)

// The online station's settings (administrators): whether a voter who
// leaves a phone number must confirm it with an SMS code.

type publicSettingsPage struct {
	basePage
	S    lianluo.PublicSettings
	Form formState
}

func (a *app) publicSettingsForm(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).IsSystemAdmin() {
		return lianluo.Forbidden()
	}
	s, err := a.svc.Public.PublicSettings(r.Context())
	if err != nil {
		return err
	}
	p := &publicSettingsPage{basePage: basePage{Title: "网上联络站设置", Section: "settings"}, S: s}
	if r.URL.Query().Get("ok") == "saved" {
		p.Flash = flashes["saved"]
	}
	return a.render(w, r, http.StatusOK, "settings_public", p)
}

func (a *app) publicSettingsSave(w http.ResponseWriter, r *http.Request) error {
	s := lianluo.PublicSettings{VerifyPhone: formBool(r, "verify_phone")}
	if err := a.svc.Settings.UpdatePublicSettings(r.Context(), s); err != nil {
		return err
	}
	return redirect(w, r, "/console/settings/public?ok=saved")
}
