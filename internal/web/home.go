package web

import "net/http"

type homePage struct {
	basePage
	LoggedIn bool
}

// home is the public front page of the online station (网上代表联络站);
// the public pages are still to come.
func (a *app) home(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, "home", &homePage{
		basePage: basePage{Title: "网上代表联络站"},
		LoggedIn: actor(r) != nil,
	})
}
