package regiondata

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func all(t *testing.T) []Record {
	t.Helper()
	var rs []Record
	if err := Walk("", func(r Record) error { rs = append(rs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestCountsPerLevel(t *testing.T) {
	t.Parallel()
	got := map[string]int{}
	for _, r := range all(t) {
		got[r.Level]++
	}
	want := map[string]int{
		LevelProvince: 31,
		LevelCity:     342,
		LevelCounty:   2978,
		LevelTown:     41352,
		LevelVillage:  620573,
	}
	for l, n := range want {
		if got[l] != n {
			t.Errorf("%s: got %d records, want %d", l, got[l], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("unexpected levels: %v", got)
	}
}

func TestParentBeforeChild(t *testing.T) {
	t.Parallel()
	parentLen := map[int]int{4: 2, 6: 4, 9: 6, 12: 9}
	levelOf := map[int]string{2: LevelProvince, 4: LevelCity, 6: LevelCounty, 9: LevelTown, 12: LevelVillage}
	seen := map[string]bool{}
	for _, r := range all(t) {
		if seen[r.Code] {
			t.Fatalf("duplicate code %s", r.Code)
		}
		if c, err := Normalize(r.Code); err != nil || len(c) > len(r.Code) {
			t.Fatalf("record with invalid code %+v", r)
		}
		if r.Level != levelOf[len(r.Code)] {
			t.Fatalf("%+v: level does not match code length", r)
		}
		if r.Name == "" || strings.TrimSpace(r.Name) != r.Name {
			t.Fatalf("%+v: bad name", r)
		}
		if len(r.Code) == 2 {
			if r.ParentCode != "" {
				t.Fatalf("province with parent: %+v", r)
			}
		} else {
			// The 2.7.0 data has no missing parents, so every parent is
			// exactly the next shorter prefix.
			if r.ParentCode != r.Code[:parentLen[len(r.Code)]] {
				t.Fatalf("%+v: parent is not the code's prefix", r)
			}
			if !seen[r.ParentCode] {
				t.Fatalf("%+v: visited before its parent", r)
			}
		}
		seen[r.Code] = true
	}
}

func TestFindEveryRecord(t *testing.T) {
	t.Parallel()
	for _, r := range all(t) {
		got, ok := Find(r.Code)
		if c, _ := Normalize(r.Code); c != r.Code {
			// Only the 金门县 placeholder village 350527000000 looks like a
			// padded code; it normalises to the county.
			if r.Code != "350527000000" {
				t.Errorf("unexpected ambiguous code %s", r.Code)
			}
			continue
		}
		if !ok || got != r {
			t.Fatalf("Find(%q) = %+v, %v; want %+v", r.Code, got, ok, r)
		}
	}
}

func TestBeilun(t *testing.T) {
	t.Parallel()
	for _, tc := range []Record{
		{"33", "浙江省", LevelProvince, ""},
		{"3302", "宁波市", LevelCity, "33"},
		{"330206", "北仑区", LevelCounty, "3302"},
		{"330206004", "大碶街道", LevelTown, "330206"},
		{"330206004002", "坝头社区", LevelVillage, "330206004"},
	} {
		got, ok := Find(tc.Code)
		if !ok || got != tc {
			t.Errorf("Find(%q) = %+v, %v; want %+v", tc.Code, got, ok, tc)
		}
	}

	var visited []Record
	err := Walk("330206", func(r Record) error { visited = append(visited, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(visited) < 3 {
		t.Fatalf("visited only %d records", len(visited))
	}
	for i, c := range []string{"33", "3302", "330206"} {
		if visited[i].Code != c {
			t.Fatalf("visit %d: got %s, want %s", i, visited[i].Code, c)
		}
	}
	wantTowns := map[string]string{
		"330206001": "大榭街道",
		"330206002": "新碶街道",
		"330206003": "小港街道",
		"330206004": "大碶街道",
		"330206005": "霞浦街道",
		"330206006": "柴桥街道",
		"330206007": "戚家山街道",
		"330206008": "春晓街道",
		"330206009": "梅山街道",
		"330206010": "郭巨街道",
		"330206011": "白峰街道",
		"330206401": "保税区",
	}
	seen := map[string]bool{"3302": true}
	towns, villages := 0, 0
	for _, r := range visited {
		if r.ParentCode != "" && !seen[r.ParentCode] {
			t.Errorf("%+v visited before its parent", r)
		}
		seen[r.Code] = true
		if len(r.Code) <= 6 {
			continue
		}
		if !strings.HasPrefix(r.Code, "330206") {
			t.Errorf("%+v is not under 330206", r)
		}
		switch r.Level {
		case LevelTown:
			towns++
			if wantTowns[r.Code] != r.Name {
				t.Errorf("town %s %s, want name %q", r.Code, r.Name, wantTowns[r.Code])
			}
		case LevelVillage:
			villages++
		}
	}
	if towns != len(wantTowns) || villages != 232 {
		t.Errorf("got %d towns and %d villages under 330206, want %d and 232", towns, villages, len(wantTowns))
	}
	if len(visited) != 3+12+232 {
		t.Errorf("visited %d records, want %d", len(visited), 3+12+232)
	}

	// The padded form walks the same set.
	n := 0
	if err := Walk("330206000000", func(Record) error { n++; return nil }); err != nil || n != len(visited) {
		t.Errorf("Walk(330206000000) visited %d, err %v; want %d", n, err, len(visited))
	}
}

func TestWalkVillageAndErrors(t *testing.T) {
	t.Parallel()
	var codes []string
	if err := Walk("330206004002", func(r Record) error { codes = append(codes, r.Code); return nil }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(codes, " "); got != "33 3302 330206 330206004 330206004002" {
		t.Errorf("Walk(village) visited %s", got)
	}

	if err := Walk("330299", func(Record) error { return nil }); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("Walk(unknown) = %v, want ErrUnknownCode", err)
	}
	if err := Walk("abc", func(Record) error { return nil }); err == nil {
		t.Error("Walk(abc) succeeded")
	}
	stop := errors.New("stop")
	n := 0
	if err := Walk("", func(Record) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("Walk did not stop at fn's error: %v after %d calls", err, n)
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"33":           "33",
		"3302":         "3302",
		"330206":       "330206",
		"330206001":    "330206001",
		"330206001001": "330206001001",
		"330206000000": "330206",
		"330206001000": "330206001",
		"330200000000": "3302",
		"330000000000": "33",
		"330200":       "330200", // 6 digits: not a padded code
		"441900000000": "4419",
	} {
		got, err := Normalize(in)
		if err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "3", "33020", "3302060", "33020600", "3302060010", "33020600100", "3302060010010", "abc", "33020a", "３３", " 33", "33 ", "-33"} {
		if got, err := Normalize(in); err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", in, got)
		}
	}
}

func TestFindQuirks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code string
		want Record
	}{
		// Municipalities have placeholder city-level entries.
		{"1101", Record{"1101", "市辖区", LevelCity, "11"}},
		{"5002", Record{"5002", "县", LevelCity, "50"}},
		{"4290", Record{"4290", "省直辖县级行政区划", LevelCity, "42"}},
		// Prefecture-level cities without counties get a county ending in 00.
		{"441900", Record{"441900", "东莞市", LevelCounty, "4419"}},
		{"441900000000", Record{"4419", "东莞市", LevelCity, "44"}},
		{"441900003", Record{"441900003", "东城街道", LevelTown, "441900"}},
		// 金门县 placeholder town.
		{"350527000", Record{"350527000", "金门县", LevelTown, "350527"}},
	} {
		got, ok := Find(tc.code)
		if !ok || got != tc.want {
			t.Errorf("Find(%q) = %+v, %v; want %+v", tc.code, got, ok, tc.want)
		}
	}
	for _, c := range []string{"", "abc", "330299", "99", "330206999999", "33020"} {
		if r, ok := Find(c); ok {
			t.Errorf("Find(%q) = %+v, want not found", c, r)
		}
	}
}

func TestLoadTime(t *testing.T) {
	t.Parallel()
	start := time.Now()
	var x index
	if err := x.build(regionsGz); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("decompressed and indexed %d records (%d bytes) in %v", len(x.lines), len(x.text), d)
	if len(x.lines) != 665276 {
		t.Errorf("got %d lines, want 665276", len(x.lines))
	}
	if d > 5*time.Second { // generous: expect ~0.1-0.2 s
		t.Errorf("loading took %v", d)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		var x index
		if err := x.build(regionsGz); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	Find("33")
	for b.Loop() {
		if _, ok := Find("330206004002"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkWalkBeilun(b *testing.B) {
	Find("33")
	for b.Loop() {
		if err := Walk("330206", func(Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
