package sqlstore

import (
	"context"
	"sync"
	"time"

	"lianluo/internal/textsearch"
)

// How a case search pages on PostgreSQL (docs/storage.md, "Case lists").
// A frequent word's newest matches are among the newest cases: walking the
// primary key backwards finds the page after a few hundred rows, within
// the windows of searchWindows. A rare word's are not: the same walk
// passes over nearly every case (a word in 426 cases of a million took
// seconds a page), where its few matches from the GIN index, sorted, cost
// a few milliseconds. PostgreSQL's own estimate cannot tell the two apart
// — every word outside its most common elements is costed alike — so the
// store decides from those statistics itself.

// lexemeStatsTTL is how long the statistics are kept before read again;
// they change only when the table is analysed.
const lexemeStatsTTL = 10 * time.Minute

// rareSearchMatches is the estimated number of matches below which a
// search is rare: its matches are read from the GIN index and sorted
// (about 5,000 rows, some 60 ms at worst on the benchmark's machine), where
// walking the newest cases would pass over 21/share of them — for a word
// in 0.5 % of the cases, 4,200 rows — and more in a narrower scope.
const rareSearchMatches = 5000

// lexemeStats caches the most common lexemes of cases.search_tsv with
// their frequencies (the share of cases holding each) from pg_stats, and
// the table's estimated number of rows.
type lexemeStats struct {
	mu   sync.Mutex
	at   time.Time
	freq map[string]float64
	rows float64
}

// frequentSearch reports whether the query q is estimated to match
// rareSearchMatches cases or more: as many as the cases times the share of
// its rarest word, a word outside the statistics' most common elements
// counting as none (migration 0021 raises their number to the ten thousand
// commonest; on the benchmark's million cases the last holds 0.05 %).
// Without statistics (a table never analysed) or without words (a search
// by LIKE alone) it reports true: the windows, as before.
func (db *DB) frequentSearch(ctx context.Context, q string) (bool, error) {
	freq, rows, err := db.lexemes.get(ctx, db)
	if err != nil || len(freq) == 0 {
		return true, err
	}
	share, words := 1.0, 0
	for _, t := range textsearch.Query(q) {
		for _, tok := range t.Phrase {
			share = min(share, freq[tok])
			words++
		}
	}
	return words == 0 || share*rows >= rareSearchMatches, nil
}

func (s *lexemeStats) get(ctx context.Context, db *DB) (map[string]float64, float64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.freq != nil && time.Since(s.at) < lexemeStatsTTL {
		return s.freq, s.rows, nil
	}
	var rows float64
	if err := db.reader().QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'cases'::regclass`).Scan(&rows); err != nil {
		return nil, 0, err
	}
	rs, err := db.reader().Query(ctx, `SELECT u.e, u.f FROM pg_stats,
		unnest(most_common_elems::text::text[], most_common_elem_freqs) AS u(e, f)
		WHERE schemaname = current_schema() AND tablename = 'cases' AND attname = 'search_tsv' AND u.e IS NOT NULL`)
	if err != nil {
		return nil, 0, err
	}
	defer rs.Close()
	freq := map[string]float64{}
	for rs.Next() {
		var e string
		var f float64
		if err := rs.Scan(&e, &f); err != nil {
			return nil, 0, err
		}
		freq[e] = f
	}
	if err := rs.Err(); err != nil {
		return nil, 0, err
	}
	s.freq, s.rows, s.at = freq, rows, time.Now()
	return freq, rows, nil
}
