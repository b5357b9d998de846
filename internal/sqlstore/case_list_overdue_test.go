package sqlstore_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The overdue list shows, page by page, exactly the scope's cases that
// await approval, signing or a reply past their deadline, newest first —
// on SQLite along the open cases' own index (migration 0035), and the same
// while a bulk load has set that index aside; with a status, only those
// of it, and none for a status that cannot be overdue.
func TestOverdueList(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		now := db.Now()
		statuses := []lianluo.CaseStatus{lianluo.StatusPendingApproval, lianluo.StatusAssigned, lianluo.StatusHandling,
			lianluo.StatusReplied, lianluo.StatusClosed}
		overdue := map[int64]bool{}
		status := map[int64]lianluo.CaseStatus{}
		for i := range 20 {
			in := lianluo.CaseInput{Channel: "visit", Title: fmt.Sprintf("超期%d", i), Content: "请帮助协调。"}
			user := "liaisona"
			if i%3 == 0 {
				user, in.RegionCode = "office", "330206003"
			} else {
				in.StationID, in.RegionCode = &w.StationA.ID, "330206004"
			}
			c, err := db.CreateCase(w.As(t, user), in)
			if err != nil {
				t.Fatal(err)
			}
			s := statuses[i%len(statuses)]
			due := now.Add(time.Duration(i%4-2) * 36 * time.Hour) // two in four past
			err = db.TransactForTest(storetest.SystemContext(), func(exec func(q string, args ...any) error) error {
				return exec(`UPDATE cases SET status = $1, due_at = $2 WHERE id = $3`, s, due, c.ID)
			})
			if err != nil {
				t.Fatal(err)
			}
			status[c.ID] = s
			overdue[c.ID] = slices.Contains(lianluo.OverdueStatuses, s) && due.Before(now)
		}
		check := func(when string) {
			t.Helper()
			for _, user := range []string{"office", "officea", "heada", "liaisona", "deputya"} {
				ctx := w.As(t, user)
				all, _, err := db.FindCases(ctx, lianluo.CaseFilter{Page: lianluo.Page{PerPage: -1}})
				if err != nil {
					t.Fatal(err)
				}
				for _, only := range []lianluo.CaseStatus{"", lianluo.StatusHandling, lianluo.StatusReplied} {
					var want []int64
					for _, c := range all {
						if overdue[c.ID] && (only == "" || status[c.ID] == only) {
							want = append(want, c.ID)
						}
					}
					f := lianluo.CaseFilter{Overdue: true}
					if only != "" {
						f.Status = []lianluo.CaseStatus{only}
					}
					for _, per := range []int{2, 20} {
						var got []int64
						for p := 1; p <= 20; p++ {
							f.Page = lianluo.Page{Page: p, PerPage: per}
							items, _, err := db.FindCases(ctx, f)
							if err != nil {
								t.Fatal(err)
							}
							for _, c := range items {
								got = append(got, c.ID)
							}
							if len(items) < per {
								break
							}
						}
						if !slices.Equal(got, want) {
							t.Errorf("%s: %s, overdue %s, %d a page: %v; want %v", when, user, only, per, got, want)
						}
					}
				}
			}
		}
		check("along the index")
		if db.Dialect == sqlstore.SQLite {
			rows, err := db.QueryForTest(storetest.SystemContext(), `SELECT sql FROM sqlite_master WHERE name = 'cases_open_id'`)
			var quoted []string
			for _, s := range lianluo.OverdueStatuses {
				quoted = append(quoted, "'"+string(s)+"'")
			}
			if want := "WHERE status IN (" + strings.Join(quoted, ", ") + ")"; err != nil || len(rows) != 1 || !strings.Contains(rows[0], want) {
				t.Errorf("cases_open_id = %v, %v; want its condition %s (lianluo.OverdueStatuses)", rows, err, want)
			}
			if err := db.DeferBulkIndexesForTest(storetest.SystemContext()); err != nil {
				t.Fatal(err)
			}
			check("without the index")
		}
	})
}
