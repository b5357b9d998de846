package sqlstore_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// townB is 小港街道, the World's town B; town A is 大碶街道 (330206004).
const townB = "330206003"

// casesCount counts every case, as the system sees them.
func casesCount(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	_, n, err := db.FindCases(storetest.SystemContext(), lianluo.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A case's region decides which office sees it, so town A's people may not
// register a case in town B, even at their own station: the region is
// refused as a reference outside the caller's scope and nothing is written.
// The district office registers anywhere in its district.
func TestCaseRegionInScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		in := func(station *int64, region string) lianluo.CaseInput {
			return lianluo.CaseInput{Channel: "visit", StationID: station, Title: "路灯不亮", Content: "小区路灯不亮。",
				Category: "城乡建设", RegionCode: region}
		}
		for _, tc := range []struct {
			user    string
			station *int64
		}{
			{"liaisona", &w.StationA.ID}, {"heada", &w.StationA.ID}, {"deputya", &w.StationA.ID}, {"deputya", nil},
			{"officea", &w.StationA.ID}, {"officea", nil},
		} {
			_, err := db.CreateCase(w.As(t, tc.user), in(tc.station, townB))
			if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "region_code" {
				t.Errorf("%s registers in town B (station %v): %v; want invalid region_code", tc.user, tc.station != nil, err)
			}
		}
		if n := casesCount(t, db); n != 0 {
			t.Fatalf("%d cases written; want none", n)
		}
		for _, tc := range []struct {
			user, region string
			station      *int64
		}{
			{"liaisona", "330206004", &w.StationA.ID}, {"deputya", "330206004", &w.StationA.ID},
			{"officea", "330206004", nil}, {"office", townB, &w.StationA.ID}, {"office", townB, nil}, {"admin", townB, nil},
		} {
			if _, err := db.CreateCase(w.As(t, tc.user), in(tc.station, tc.region)); err != nil {
				t.Errorf("%s registers in %s: %v", tc.user, tc.region, err)
			}
		}
	})
}
