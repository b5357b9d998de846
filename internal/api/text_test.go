package api_test

import (
	"strings"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A NUL or invalid UTF-8 anywhere in a JSON body — a nested object in a
// list, a key the API does not know — is refused naming where it is, and
// nothing is created.
func TestDecodeBadTextNamesTheField(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := setup(t, db)
		office := e.as(t, "officea")
		deputy := `{"name":"孙丽华","gender":"female","region_code":"330206004",` +
			`"seats":[{"level":"county","term":18,"constituency":"第5选区"}]}`
		for _, tc := range []struct{ name, body, field string }{
			{"nested, NUL escape", strings.Replace(deputy, "第5选区", `第5\u0000选区`, 1), "seats.constituency"},
			{"nested, invalid UTF-8", strings.Replace(deputy, "第5选区", "第5\xff选区", 1), "seats.constituency"},
			{"a key", strings.Replace(deputy, `"name"`, `"na\u0000me"`, 1), "body"},
		} {
			r := office.do("POST", "/api/v1/deputies", tc.body)
			if r.Status != 400 || r.errCode() != "invalid" || r.errField() != tc.field {
				t.Errorf("%s: %d %s; want 400 on %s", tc.name, r.Status, r.Raw, tc.field)
			}
		}
		if r := office.do("GET", "/api/v1/deputies?q=%E5%AD%99", nil); r.num("total") != 0 {
			t.Errorf("deputies after the refused requests: %s", r.Raw)
		}
	})
}
