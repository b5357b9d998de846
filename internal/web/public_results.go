package web

import (
	"net/http"
	"strings"

	"lianluo"
)

// Published results (办理结果公开 — 002 篇二 5. 接受选民监督): answered
// opinions the office chose to publish, with names and numbers masked by
// the store.

type resultsPage struct {
	publicBase
	Towns      []option
	Categories []optGroup
	Region     string
	Category   string
	Month      string
	Filtered   bool
	Items      []resultView
	Pager      pager
	Form       formState
}

type resultView struct {
	*lianluo.PublishedResult
	Submitted  string // Beijing date
	ResultText string // A/B/C in words
	RatingText string
}

// newResultView words a result for the "resultcard" template, the one
// markup of /results and of the case page's preview.
func newResultView(it *lianluo.PublishedResult) resultView {
	return resultView{PublishedResult: it, Submitted: publicDate(it.SubmittedAt),
		ResultText: lianluo.ReplyResults[it.Result], RatingText: lianluo.RatingNames[it.Rating]}
}

func (a *app) results(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := &resultsPage{publicBase: publicBase{Title: "办理结果公开", Section: "results"},
		Region: strings.TrimSpace(q.Get("region")), Category: strings.TrimSpace(q.Get("category")), Month: strings.TrimSpace(q.Get("month"))}
	p.Filtered = p.Region != "" || p.Category != "" || p.Month != ""
	towns, err := a.publicTowns(ctx)
	if err != nil {
		return err
	}
	for _, t := range towns {
		p.Towns = append(p.Towns, option{Value: t.Code, Label: t.Name, Selected: t.Code == p.Region})
	}
	cats, err := a.svc.Settings.Categories(ctx)
	if err != nil {
		return err
	}
	p.Categories = categoryOptions(cats, p.Category)
	pg := pageOf(r)
	items, total, err := a.svc.Public.PublishedResults(ctx, lianluo.ResultFilter{Region: p.Region, Category: p.Category, Month: p.Month, Page: pg})
	if err != nil {
		if !p.Form.take(err, "region", "month") {
			return err
		}
		return a.renderPublic(w, r, p.Form.status(err), "public_results", p)
	}
	for _, it := range items {
		p.Items = append(p.Items, newResultView(it))
	}
	p.Pager = newPager(r, total, pg)
	return a.renderPublic(w, r, http.StatusOK, "public_results", p)
}
