package sqlstore_test

import (
	"fmt"
	"slices"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A list filtered by category shows, page by page, exactly the scope's
// cases of that category, newest first, whichever way it finds them: on
// SQLite first among the category's newest cases (categoryProbe, here
// lowered to 5 so that a few cases reach each outcome) — a page found
// there; fewer than a page where the category has no more cases; fewer
// where it has more, most outside the scope (another town's newer cases),
// and then along the scope's own ways in; the same while a bulk load has
// set the category's index aside.
func TestCaseListByCategory(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		db.SetCategoryProbeRowsForTest(5)
		create := func(user, category string, n int) {
			t.Helper()
			for i := range n {
				in := lianluo.CaseInput{Channel: "visit", Title: fmt.Sprintf("%s%d", category, i), Content: "请帮助协调。", Category: category}
				if user == "liaisona" {
					in.StationID, in.RegionCode = &w.StationA.ID, "330206004"
				} else {
					in.RegionCode = "330206003"
				}
				if _, err := db.CreateCase(w.As(t, user), in); err != nil {
					t.Fatal(err)
				}
			}
		}
		create("liaisona", "交通出行", 4)
		create("liaisona", "城乡建设", 6)
		create("office", "交通出行", 12) // another town's, newer
		create("liaisona", "小区物业", 3)
		create("liaisona", "城乡建设", 2)
		for _, user := range []string{"office", "officea", "heada", "liaisona", "deputya"} {
			ctx := w.As(t, user)
			all, _, err := db.FindCases(ctx, lianluo.CaseFilter{Page: lianluo.Page{PerPage: -1}})
			if err != nil {
				t.Fatal(err)
			}
			for _, category := range []string{"交通出行", "城乡建设", "小区物业", "没有"} {
				var want []int64
				for _, c := range all {
					if c.Category == category {
						want = append(want, c.ID)
					}
				}
				for _, per := range []int{3, 20} {
					var got []int64
					for p := 1; ; p++ {
						items, total, err := db.FindCases(ctx, lianluo.CaseFilter{Category: category, Page: lianluo.Page{Page: p, PerPage: per}})
						if err != nil {
							t.Fatal(err)
						}
						for _, c := range items {
							got = append(got, c.ID)
						}
						end := len(got) >= len(want)
						if wantTotal := len(want); end && total != wantTotal && !(p > 1 && len(items) == 0) || !end && total != lianluo.TotalUnknown {
							t.Errorf("%s, %s, %d a page, page %d: total %d; %d cases in all", user, category, per, p, total, wantTotal)
						}
						if len(items) < per || p > 10 {
							break
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s, %s, %d a page: %v; want %v", user, category, per, got, want)
					}
				}
			}
		}
		// While a bulk load has set the indexes aside, the list is found
		// the usual way.
		if db.Dialect == sqlstore.SQLite {
			if err := db.DeferBulkIndexesForTest(storetest.SystemContext()); err != nil {
				t.Fatal(err)
			}
			items, _, err := db.FindCases(w.As(t, "officea"), lianluo.CaseFilter{Category: "城乡建设", Page: lianluo.Page{PerPage: 3}})
			if err != nil || len(items) != 3 {
				t.Errorf("FindCases by category without the indexes = %d cases, %v; want 3", len(items), err)
			}
		}
	})
}
