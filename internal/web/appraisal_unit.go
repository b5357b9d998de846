package web

import (
	"net/http"

	"lianluo"
)

// 整改事项: a unit's handler sees its unit's rectification items on a
// phone — what to do, by when, overdue or returned and why — and reports
// each done (DecideRect); the office accepts or returns it on the
// appraisal's page.

type unitItemsPage struct {
	basePage
	Items  []*lianluo.Rectification
	Open   int
	Form   formState
	FormID int64  // the item whose report failed
	Report string // what was typed there
}

func (a *app) unitItems(w http.ResponseWriter, r *http.Request) error {
	return a.renderUnitItems(w, r, http.StatusOK, 0, "", formState{})
}

func (a *app) renderUnitItems(w http.ResponseWriter, r *http.Request, status int, formID int64, report string, f formState) error {
	items, err := a.svc.Appraisals.UnitRectifications(r.Context())
	if err != nil {
		return err
	}
	p := &unitItemsPage{basePage: basePage{Title: "整改事项", Section: "rectify"}, Items: items, Form: f, FormID: formID, Report: report}
	for _, x := range items {
		if x.Status != lianluo.RectAccepted {
			p.Open++
		}
	}
	if s, ok := appraisalFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	return a.render(w, r, status, "appraisal_unit", p)
}
