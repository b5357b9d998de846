package sqlstore

import (
	"context"
	"strings"
	"testing"

	"lianluo"
)

// BenchmarkTodoLists measures the 大碶 town office's to-do lists (the first
// page of each, as 我的待办 and the dashboard show them) and TodoCounts (every
// console page's counts) on the LIANLUO_BENCH_CASES data set. The lists'
// SQL mirrors lianluo.AllowedActions clause by clause, so each list is an OR
// of the roles that may act; this shows what that costs at size.
func BenchmarkTodoLists(b *testing.B) {
	n := benchCaseCount(b)
	benchDialects(b, func(b *testing.B, dialect string) {
		ds := benchCases(b, dialect, n)
		benchTodoPlans(b, ds)
		for _, l := range lianluo.TodoLists {
			b.Run(l.Key, func(b *testing.B) {
				var total int
				for b.Loop() {
					var err error
					if _, total, err = ds.db.FindCases(ds.officeA, lianluo.CaseFilter{Todo: l.Key, Page: lianluo.Page{PerPage: 5}}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(total), "rows")
			})
		}
		b.Run("counts", func(b *testing.B) {
			for b.Loop() {
				if _, err := ds.db.TodoCounts(ds.officeA); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// benchTodoPlans logs the query planner's plan of each list's count query
// (run with -v to read them).
func benchTodoPlans(b *testing.B, ds *benchDataset) {
	a := lianluo.ActorFromContext(ds.officeA)
	pol, err := ds.db.Policy(ds.officeA)
	if err != nil {
		b.Fatal(err)
	}
	explain := "EXPLAIN QUERY PLAN "
	if ds.db.Dialect == Postgres {
		explain = "EXPLAIN "
	}
	for _, l := range lianluo.TodoLists {
		var w where
		scopeCases(&w, a, "c")
		if _, err := todoClause(&w, a, l.Key, pol, ds.db.Now().UTC(), true); err != nil {
			b.Fatal(err)
		}
		plan := benchExplain(b, ds.db, explain+`SELECT COUNT(*) FROM cases c`+w.String(), w.args...)
		b.Logf("plan of %s: %s", l.Key, strings.Join(plan, " | "))
	}
}

func fmtAny(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}

// benchExplain runs an EXPLAIN and returns the last column of each row.
func benchExplain(b *testing.B, db *DB, q string, args ...any) []string {
	b.Helper()
	rows, err := db.reader().Query(context.Background(), q, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		plan = append(plan, strings.Join(strings.Fields(fmtAny(vals[len(vals)-1])), " "))
	}
	return plan
}
