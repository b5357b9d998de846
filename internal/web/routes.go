package web

import "net/http"

// routes lists every page. Public paths /stations/{id}, /deputies/{id},
// /track/{code} and /results are kept free for the online station.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	page := func(pattern string, h handler) { mux.Handle(pattern, a.console(h)) }
	public := func(pattern string, h handler) { mux.Handle(pattern, a.handle(h)) }

	mux.HandleFunc("GET /static/", a.serveStatic)
	public("GET /{$}", a.home)
	public("/", a.notFound)

	public("GET /console/login", a.loginForm)
	public("POST /console/login", a.login)
	public("POST /console/logout", a.logout)
	mux.Handle("GET /console", http.RedirectHandler("/console/", http.StatusMovedPermanently))

	page("GET /console/{$}", a.dashboard)
	page("GET /console/regions", a.regions)

	page("GET /console/orgs", a.orgList)
	page("GET /console/orgs/new", a.orgNew)
	page("POST /console/orgs/new", a.orgCreate)
	page("GET /console/orgs/{id}", a.orgDetail)
	page("GET /console/orgs/{id}/edit", a.orgEdit)
	page("POST /console/orgs/{id}/edit", a.orgUpdate)
	page("POST /console/orgs/{id}/active", a.orgSetActive)

	page("GET /console/stations", a.stationList)
	page("GET /console/stations/new", a.stationNew)
	page("POST /console/stations/new", a.stationCreate)
	page("GET /console/stations/{id}", a.stationDetail)
	page("GET /console/stations/{id}/edit", a.stationEdit)
	page("POST /console/stations/{id}/edit", a.stationUpdate)
	page("POST /console/stations/{id}/active", a.stationSetActive)

	page("GET /console/deputies", a.deputyList)
	page("GET /console/deputies/new", a.deputyNew)
	page("POST /console/deputies/new", a.deputyCreate)
	page("GET /console/deputies/{id}", a.deputyDetail)
	page("GET /console/deputies/{id}/edit", a.deputyEdit)
	page("POST /console/deputies/{id}/edit", a.deputyUpdate)
	page("POST /console/deputies/{id}/status", a.deputySetStatus)

	page("GET /console/groups", a.groupList)
	page("GET /console/groups/new", a.groupNew)
	page("POST /console/groups/new", a.groupCreate)
	page("GET /console/groups/{id}", a.groupDetail)
	page("GET /console/groups/{id}/edit", a.groupEdit)
	page("POST /console/groups/{id}/edit", a.groupUpdate)
	page("POST /console/groups/{id}/active", a.groupSetActive)

	page("GET /console/users", a.userList)
	page("GET /console/users/new", a.userNew)
	page("POST /console/users/new", a.userCreate)
	page("GET /console/users/{id}", a.userDetail)
	page("GET /console/users/{id}/edit", a.userEdit)
	page("POST /console/users/{id}/edit", a.userUpdate)
	page("POST /console/users/{id}/active", a.userSetActive)

	page("GET /console/sheets", a.sheetsPage)
	page("POST /console/sheets/{kind}/import", a.sheetImport)
	page("GET /console/sheets/{kind}/export", a.sheetExport)
	page("GET /console/sheets/{kind}/template", a.sheetTemplate)

	page("GET /console/todo", a.todo)
	page("GET /console/cases", a.caseList)
	page("GET /console/cases/new", a.caseNew)
	page("POST /console/cases/new", a.caseCreate)
	page("GET /console/cases/{id}", a.caseDetail)
	page("POST /console/cases/{id}/actions/{action}", a.caseAct)
	page("POST /console/cases/{id}/reveal", a.caseReveal)
	page("POST /console/cases/{id}/attachments", a.caseAttach)
	page("GET /console/cases/{id}/attachments/{aid}", a.caseAttachment)
	page("GET /console/cases/{id}/print/register", a.printRegister)
	page("GET /console/cases/{id}/print/assign", a.printAssign)

	page("GET /console/audit", a.audit)
	page("GET /console/password", a.passwordForm)
	page("POST /console/password", a.passwordChange)
	return mux
}
