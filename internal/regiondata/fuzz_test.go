package regiondata_test

import (
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/regiondata"
)

// FuzzNormalize: a region code as typed or imported is normalised the same
// by the data set (regiondata.Normalize) and the root
// (lianluo.NormalizeRegionCode, which also trims spaces); a normalised code
// normalises to itself, has a data-set length, and a code that is found
// names a record of that code, at the level its length says, under a parent
// that is a prefix of it.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"330206", "330206004", "330206004000", "330206000000", "441900000000", "350527000000",
		" 330206 ", "33020600400", "3302060040０1", "000000000000", "", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := regiondata.Normalize(s)
		root := lianluo.NormalizeRegionCode(s)
		if trimmed, terr := regiondata.Normalize(strings.TrimSpace(s)); (terr != nil) != (root == "") || terr == nil && trimmed != root {
			t.Fatalf("NormalizeRegionCode(%q) = %q; regiondata.Normalize = %q, %v", s, root, trimmed, terr)
		}
		if err != nil {
			if n != "" {
				t.Fatalf("Normalize(%q) = %q with error %v", s, n, err)
			}
			return
		}
		if again, err := regiondata.Normalize(n); err != nil || again != n || lianluo.NormalizeRegionCode(n) != n {
			t.Fatalf("Normalize(%q) = %q, and again %q, %v", s, n, again, err)
		}
		if !lianluo.ValidRegionCodeShape(n) || lianluo.LevelOfCode(n) == "" {
			t.Fatalf("Normalize(%q) = %q: not a data-set code", s, n)
		}
		rec, ok := regiondata.Find(s)
		if !ok {
			return
		}
		if rec.Code != n || rec.Level != lianluo.LevelOfCode(n) || rec.Name == "" ||
			(rec.ParentCode == "") != (len(n) == 2) || !strings.HasPrefix(n, rec.ParentCode) {
			t.Fatalf("Find(%q) = %+v; normalised %q", s, rec, n)
		}
	})
}
