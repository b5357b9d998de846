package web

import (
	"net/http"
	"net/url"
	"strconv"

	"lianluo"
)

// perPage is the length of every list page.
const perPage = lianluo.DefaultPerPage

// pageOf reads ?page= (1 when absent or malformed).
func pageOf(r *http.Request) lianluo.Page {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	return lianluo.Page{Page: n, PerPage: perPage}
}

// pager is the paging bar under a list: the total, previous/next and a
// window of page numbers around the current one. A case list that was not
// counted (lianluo.TotalUnknown: more follow the page) has no total and no
// numbers, only 上一页 and 下一页.
type pager struct {
	Total, Page, Pages int
	More               bool // the total was counted only up to lianluo.MaxListTotal
	Unknown            bool // not counted: more rows follow this page
	Prev, Next         string
	Links              []pageLink
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // an ellipsis before this link
}

func newPager(r *http.Request, total int, p lianluo.Page) pager {
	link := func(n int) string {
		q := r.URL.Query()
		q.Del("ok")
		if n == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(n))
		}
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		return u.String()
	}
	cur := max(p.Page, 1)
	if total < 0 {
		pg := pager{Page: cur, Unknown: true, Next: link(cur + 1)}
		if cur > 1 {
			pg.Prev = link(cur - 1)
		}
		return pg
	}
	pages := (total + p.Limit() - 1) / p.Limit()
	pg := pager{Total: total, Page: cur, Pages: pages}
	if total > lianluo.MaxListTotal {
		pg.Total, pg.More = lianluo.MaxListTotal, true
	}
	if pages <= 1 {
		return pg
	}
	if cur > 1 {
		pg.Prev = link(min(cur-1, pages))
	}
	if cur < pages {
		pg.Next = link(cur + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < cur-2 || n > cur+2) {
			continue
		}
		pg.Links = append(pg.Links, pageLink{N: n, URL: link(n), Current: n == cur, Gap: last != 0 && n != last+1})
		last = n
	}
	return pg
}

// collect reads every page of a Find method, up to limit records: select
// boxes offer all records in scope, not the first page.
func collect[T any](limit int, find func(lianluo.Page) ([]T, int, error)) ([]T, error) {
	var out []T
	for n := 1; ; n++ {
		items, total, err := find(lianluo.Page{Page: n, PerPage: lianluo.MaxPerPage})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) < lianluo.MaxPerPage || len(out) >= total || len(out) >= limit {
			return out, nil
		}
	}
}

// choiceLimit bounds the records a select box offers.
const choiceLimit = 2000

// activeFilter reads ?active= ("1", "0" or "" for all).
func activeFilter(v string) *bool {
	switch v {
	case "1":
		return new(true)
	case "0":
		return new(false)
	}
	return nil
}

var activeOptionsKeys = []string{"1", "0"}
var activeNames = map[string]string{"1": "启用", "0": "停用"}
