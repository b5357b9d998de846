package sqlstore

import (
	"lianluo"
)

// PlanQuery is one of the store's queries with its arguments, for the
// planner tests.
type PlanQuery struct {
	Name string
	SQL  string
	Args []any
}

// DeputyYearSQLForTest returns the queries that find the cases of a year
// a deputy received (the ranking's count over deputies, 履职档案's by
// status, 六个一's, the handbook's, a group's opinions' book), as the store
// runs them.
func (db *DB) DeputyYearSQLForTest(deputies []int64, groupID int64, year int) []PlanQuery {
	from, to := yearBounds(year)
	var out []PlanQuery
	var w where
	out = append(out, PlanQuery{"ranking", deputyOpinionsSQL(&w, from, to, deputies), w.args})
	w = where{}
	out = append(out, PlanQuery{"record", deputyOpinionsByStatusSQL(&w, deputies[0], from, to), w.args})
	out = append(out, PlanQuery{"six ones", sixOneCasesSQL, []any{deputies[0], from, to}})
	out = append(out, PlanQuery{"handbook", handbookCasesSQL, []any{deputies[0], from, to}})
	b := ledgerBuilder{c: db.reader(), q: lianluo.LedgerQuery{Book: lianluo.LedgerOpinions, GroupID: groupID, Year: year}}
	q, args := b.opinionsSQL()
	out = append(out, PlanQuery{"group's opinions' book", q, args})
	return out
}
