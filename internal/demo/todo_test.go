package demo_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// TestTodoListsAreWhatEachUserCanDo checks, for every demo account, that
// each to-do list holds exactly the cases in the account's scope on which
// lianluo.TodoKeys says the account can act for that list (the rule the case
// page's actions come from), and that the counts are the lists' sizes.
// The clock is moved on so that deadlines pass, and a unit asks for an
// extension, so that every list has something to compare.
func TestTodoListsAreWhatEachUserCanDo(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		res := mustLoad(t, db)
		unit := loginContext(t, db, "unit")
		handling, _, err := db.FindCases(unit, lianluo.CaseFilter{Todo: "reply", Page: lianluo.AllRows()})
		if err != nil || len(handling) == 0 {
			t.Fatalf("unit reply list = %d cases, %v; the demo should have a case in handling", len(handling), err)
		}
		c := handling[0]
		if _, err := db.Act(unit, c.ID, lianluo.ActRequestExtension, lianluo.CaseAction{Version: c.Version, Reason: "需协调多个部门",
			Until: c.DueDate.In(lianluo.Beijing).AddDate(0, 0, 10).Format("2006-01-02")}); err != nil {
			t.Fatalf("request extension: %v", err)
		}
		later := db.Now().AddDate(0, 2, 0)
		storetest.ClockOf(db).Set(func() time.Time { return later })
		pol, err := db.Policy(storetest.SystemContext())
		if err != nil {
			t.Fatal(err)
		}

		nonEmpty := map[string]bool{}
		for _, acc := range res.Accounts {
			t.Run(acc.Username, func(t *testing.T) {
				ctx := loginContext(t, db, acc.Username)
				a := lianluo.ActorFromContext(ctx)
				all, _, err := db.FindCases(ctx, lianluo.CaseFilter{Page: lianluo.AllRows()})
				if err != nil {
					t.Fatal(err)
				}
				want := map[string][]int64{}
				for _, c := range all {
					full, err := db.FindCaseByID(ctx, c.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, k := range lianluo.TodoKeys(a, full, pol, later) {
						want[k] = append(want[k], c.ID)
					}
				}
				counts, err := db.TodoCounts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range lianluo.TodoLists {
					cs, total, err := db.FindCases(ctx, lianluo.CaseFilter{Todo: l.Key, Page: lianluo.AllRows()})
					if err != nil {
						t.Fatal(err)
					}
					var got []int64
					for _, c := range cs {
						got = append(got, c.ID)
					}
					slices.Sort(got)
					slices.Sort(want[l.Key])
					if fmt.Sprint(got) != fmt.Sprint(want[l.Key]) {
						t.Errorf("%s: FindCases(todo=%s) = %v; want the cases it can act on %v", acc.Username, l.Key, got, want[l.Key])
					}
					if counts[l.Key] != len(got) || total != len(got) {
						t.Errorf("%s: TodoCounts[%s] = %d, total %d; want the list's size %d", acc.Username, l.Key, counts[l.Key], total, len(got))
					}
					if len(got) > 0 {
						nonEmpty[l.Key] = true
					}
				}
			})
		}
		// A comparison of empty lists proves nothing: every list must hold
		// a case for some account.
		for _, l := range lianluo.TodoLists {
			if !nonEmpty[l.Key] {
				t.Errorf("no account has a case on the %s list; the test compares nothing there", l.Key)
			}
		}
	})
}
