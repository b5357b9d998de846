package demo_test

import (
	"fmt"
	"testing"

	"lianluo/internal/demo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A second start prints the same accounts as the first: Accounts reads back
// exactly what Load created.
func TestAccountsReadBack(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	res := mustLoad(t, db)
	got, err := demo.Accounts(storetest.SystemContext(), services(db))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(res.Accounts) {
		t.Errorf("Accounts() = %v\nwant what Load printed: %v", got, res.Accounts)
	}
	if len(got) != len(demo.Usernames) {
		t.Errorf("Accounts() has %d accounts; want one for each of %v", len(got), demo.Usernames)
	}
}
