package web

import (
	"net/http/httptest"
	"testing"

	"lianluo"
)

// A case list that was not counted pages with 上一页/下一页 only.
func TestPagerUnknownTotal(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("GET", "/console/cases?status=handling&page=3", nil)
	pg := newPager(r, lianluo.TotalUnknown, lianluo.Page{Page: 3, PerPage: perPage})
	if !pg.Unknown || pg.Pages != 0 || len(pg.Links) != 0 {
		t.Errorf("pager = %+v; want unknown, no numbers", pg)
	}
	if pg.Prev != "/console/cases?page=2&status=handling" || pg.Next != "/console/cases?page=4&status=handling" {
		t.Errorf("prev, next = %q, %q", pg.Prev, pg.Next)
	}
	first := newPager(httptest.NewRequest("GET", "/console/cases", nil), lianluo.TotalUnknown, lianluo.Page{Page: 1, PerPage: perPage})
	if first.Prev != "" || first.Next != "/console/cases?page=2" {
		t.Errorf("first page: prev, next = %q, %q", first.Prev, first.Next)
	}
	// The last page is counted: the total and the numbers are back.
	last := newPager(r, 2*perPage+5, lianluo.Page{Page: 3, PerPage: perPage})
	if last.Unknown || last.Total != 2*perPage+5 || last.Pages != 3 || last.Next != "" {
		t.Errorf("last page: %+v", last)
	}
}
