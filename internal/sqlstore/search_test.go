package sqlstore

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"lianluo/internal/pgtest"
	"lianluo/internal/textsearch"
)

// This is an internal test, to reach searchClause and indexSearch, so it
// cannot use storetest (which imports sqlstore); searchTestDB does the part
// of storetest.MustOpen it needs.

// searchTestDB opens a fresh migrated database of the dialect — PostgreSQL
// in a database of its own on LIANLUO_TEST_POSTGRES_URL — with a table
// notes(id, title, content) indexed for search as the DDL in search.go
// says (with a column search on PostgreSQL).
func searchTestDB(tb testing.TB, dialect string) *DB {
	tb.Helper()
	cfg := Config{DataDir: tb.TempDir()}
	if dialect == Postgres {
		cfg.DatabaseURL = searchTestPostgres(tb)
		cfg.KeyFile = filepath.Join(cfg.DataDir, KeyFileName)
		if err := GenerateKeyFile(cfg.KeyFile); err != nil {
			tb.Fatal(err)
		}
	}
	db, err := Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open %s: %v", dialect, err)
	}
	tb.Cleanup(func() { db.Close() })
	// One Exec of the whole text, as Migrate runs a migration file.
	if _, err := db.write.Exec(searchTestDDL(dialect, "notes")); err != nil {
		tb.Fatalf("create notes: %v", err)
	}
	return db
}

// searchTestDDL is the DDL of a searchable table: the lines documented in
// search.go, around a minimal table.
func searchTestDDL(dialect, table string) string {
	ddl := `
CREATE TABLE cases (
	id      INTEGER PRIMARY KEY,
	title   TEXT NOT NULL,
	content TEXT NOT NULL
);
CREATE VIRTUAL TABLE cases_fts USING fts5(search, content = '', contentless_delete = 1, tokenize = 'unicode61');
`
	if dialect == Postgres {
		ddl = `
CREATE TABLE cases (
	id         BIGSERIAL PRIMARY KEY,
	title      TEXT NOT NULL,
	content    TEXT NOT NULL,
	search     TEXT NOT NULL DEFAULT '',
	search_tsv TSVECTOR
);
CREATE INDEX cases_search ON cases USING GIN (search_tsv);
`
	}
	return strings.ReplaceAll(ddl, "cases", table)
}

// searchTestPostgres creates a database of the test's own.
func searchTestPostgres(tb testing.TB) string { return pgtest.NewDatabase(tb) }

// searchTestDialects are SQLite and, when configured, PostgreSQL.
func searchTestDialects() []string {
	if os.Getenv("LIANLUO_TEST_POSTGRES_URL") != "" {
		return []string{SQLite, Postgres}
	}
	return []string{SQLite}
}

// addNote inserts a note and indexes it, as a store method would.
func addNote(tb testing.TB, db *DB, title, content string) int64 {
	tb.Helper()
	ctx := context.Background()
	var id int64
	err := db.transact(ctx, func(tx *Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO notes (title, content) VALUES ($1, $2) RETURNING id`, title, content).Scan(&id); err != nil {
			return err
		}
		return indexSearch(ctx, tx, "notes", id, textsearch.Document(title, content))
	})
	if err != nil {
		tb.Fatalf("add note %q: %v", title, err)
	}
	return id
}

// findNotes returns the titles of the notes matching q, in id order.
func findNotes(tb testing.TB, db *DB, q string) []string {
	tb.Helper()
	var w where
	searchClause(db, &w, "notes", "n", []string{"title", "content"}, q)
	rows, err := db.reader().Query(context.Background(), `SELECT n.title FROM notes n`+w.String()+` ORDER BY n.id`, w.args...)
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	defer rows.Close()
	titles := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		titles = append(titles, s)
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	return titles
}

func TestSearch(t *testing.T) {
	t.Parallel()
	for _, dialect := range searchTestDialects() {
		t.Run(dialect, func(t *testing.T) {
			db := searchTestDB(t, dialect)
			ctx := context.Background()
			lamp := addNote(t, db, "小区路灯不亮", "晚上出行不便，请尽快维修")
			addNote(t, db, "道路积水严重", "下雨后路面积水，行人难以通行")
			addNote(t, db, "wifi信号差", "社区活动室WIFI网络经常断线")
			addNote(t, db, "路灯坏了", "楼道灯不亮") // 路灯, 灯不, 不亮 — but not in a row
			addNote(t, db, "3号楼电梯故障", "电梯经常停运，老人上下楼困难")
			addNote(t, db, "路灯太暗", "100%的居民反映_晚上看不清")

			all := []string{"小区路灯不亮", "道路积水严重", "wifi信号差", "路灯坏了", "3号楼电梯故障", "路灯太暗"}
			for _, tc := range []struct {
				q    string
				want []string
			}{
				{"路灯", []string{"小区路灯不亮", "路灯坏了", "路灯太暗"}},
				// A phrase: 路灯坏了/楼道灯不亮 has all three bigrams, not in a row.
				{"路灯不亮", []string{"小区路灯不亮"}},
				{"灯路", []string{}},
				{"积水", []string{"道路积水严重"}},
				{"积水严重", []string{"道路积水严重"}},
				// Across the title/content boundary: 灯不 and 不亮 are content.
				{"楼道灯不亮", []string{"路灯坏了"}},
				// A lone Han character: LIKE.
				{"灯", []string{"小区路灯不亮", "路灯坏了", "路灯太暗"}},
				{"梯", []string{"3号楼电梯故障"}},
				{"WiFi", []string{"wifi信号差"}},
				{"ＷＩＦＩ", []string{"wifi信号差"}},
				{"WIFI信号", []string{"wifi信号差"}},
				{"WiFi网", []string{"wifi信号差"}}, // LIKE, ignoring case as well
				{"3号楼", []string{"3号楼电梯故障"}},
				{"３号", []string{"3号楼电梯故障"}},
				// Chunks separated by spaces each match, not as one phrase.
				{"小区 路灯", []string{"小区路灯不亮"}},
				{"路灯 坏", []string{"路灯坏了"}},
				{"路灯 积水", []string{}},
				// Query syntax and LIKE wildcards are text.
				{`路灯" OR "x`, []string{}},
				{`"路灯"`, []string{"小区路灯不亮", "路灯坏了", "路灯太暗"}},
				{"*", []string{}},
				{"NEAR(", []string{}},
				{"NEAR(路灯 积水)", []string{}},
				{"路灯 OR 积水", []string{}},
				{"路灯 AND NOT 积水", []string{}},
				{"search:路灯", []string{}},
				{"^路灯", []string{"小区路灯不亮", "路灯坏了", "路灯太暗"}},
				{"路灯'--", []string{"小区路灯不亮", "路灯坏了", "路灯太暗"}},
				{"%", []string{"路灯太暗"}},
				{"_", []string{"路灯太暗"}},
				{"100%", []string{"路灯太暗"}},
				{"%%%%", []string{}},
				{"👍", []string{}},
				// No query, no condition.
				{"", all},
				{"   ", all},
			} {
				if got := findNotes(t, db, tc.q); !reflect.DeepEqual(got, tc.want) {
					t.Errorf("search %q = %q; want %q", tc.q, got, tc.want)
				}
			}

			// Changing a row's text re-indexes it.
			err := db.transact(ctx, func(tx *Tx) error {
				title, content := "小区垃圾清运不及时", "垃圾桶满了没人管"
				if _, err := tx.Exec(ctx, `UPDATE notes SET title = $1, content = $2 WHERE id = $3`, title, content, lamp); err != nil {
					return err
				}
				return indexSearch(ctx, tx, "notes", lamp, textsearch.Document(title, content))
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := findNotes(t, db, "路灯不亮"), []string{}; !reflect.DeepEqual(got, want) {
				t.Errorf("after update: search 路灯不亮 = %q; want %q", got, want)
			}
			if got, want := findNotes(t, db, "垃圾"), []string{"小区垃圾清运不及时"}; !reflect.DeepEqual(got, want) {
				t.Errorf("after update: search 垃圾 = %q; want %q", got, want)
			}

			// A deleted row leaves the index, even when SQLite gives its id
			// to the next row.
			var last int64
			if err := db.reader().QueryRow(ctx, `SELECT MAX(id) FROM notes`).Scan(&last); err != nil {
				t.Fatal(err)
			}
			if err := db.transact(ctx, func(tx *Tx) error {
				if _, err := tx.Exec(ctx, `DELETE FROM notes WHERE id = $1`, last); err != nil {
					return err
				}
				return unindexSearch(ctx, tx, "notes", last)
			}); err != nil {
				t.Fatal(err)
			}
			addNote(t, db, "噪音扰民", "夜间施工")
			if got, want := findNotes(t, db, "太暗"), []string{}; !reflect.DeepEqual(got, want) {
				t.Errorf("after delete: search 太暗 = %q; want %q", got, want)
			}
			if got, want := findNotes(t, db, "噪音"), []string{"噪音扰民"}; !reflect.DeepEqual(got, want) {
				t.Errorf("after delete: search 噪音 = %q; want %q", got, want)
			}

			if err := db.transact(ctx, func(tx *Tx) error {
				return indexSearch(ctx, tx, "notes", 999, "x")
			}); err == nil {
				t.Error("indexSearch of a missing row succeeded; want an error")
			}

			if dialect == SQLite {
				if _, err := db.write.Exec(`INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')`); err != nil {
					t.Errorf("FTS integrity check: %v", err)
				}
				// The index holds exactly each row's document under its id.
				if got, want := indexedTerms(t, db, "notes"), noteTerms(t, db); !reflect.DeepEqual(got, want) {
					t.Errorf("indexed terms by id = %v; want %v", got, want)
				}
			}
		})
	}
}

// indexedTerms returns the terms table's SQLite index holds under each
// rowid, sorted; a contentless index gives back no text, but fts5vocab
// lists its entries.
func indexedTerms(tb testing.TB, db *DB, table string) map[int64][]string {
	tb.Helper()
	vocab := table + "_vocab_instance"
	if _, err := db.write.Exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ` + vocab + ` USING fts5vocab(` + table + `_fts, instance)`); err != nil {
		tb.Fatal(err)
	}
	rows, err := db.write.Query(`SELECT DISTINCT doc, term FROM ` + vocab + ` ORDER BY doc, term`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	got := map[int64][]string{}
	for rows.Next() {
		var id int64
		var term string
		if err := rows.Scan(&id, &term); err != nil {
			tb.Fatal(err)
		}
		got[id] = append(got[id], term)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return got
}

// noteTerms returns the terms of each note's document, sorted.
func noteTerms(tb testing.TB, db *DB) map[int64][]string {
	tb.Helper()
	rows, err := db.write.Query(`SELECT id, title, content FROM notes`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	want := map[int64][]string{}
	for rows.Next() {
		var id int64
		var title, content string
		if err := rows.Scan(&id, &title, &content); err != nil {
			tb.Fatal(err)
		}
		terms := strings.Fields(textsearch.Document(title, content))
		slices.Sort(terms)
		want[id] = slices.Compact(terms)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return want
}

// Indexing a row again replaces its document: the row is found by the new
// text only, also when both are indexed in one transaction, and on SQLite
// the index holds the new terms alone.
func TestSearchReindex(t *testing.T) {
	t.Parallel()
	for _, dialect := range searchTestDialects() {
		t.Run(dialect, func(t *testing.T) {
			db := searchTestDB(t, dialect)
			ctx := context.Background()
			other := addNote(t, db, "井盖缺失", "人行道井盖缺失")
			id := addNote(t, db, "小区路灯不亮", "晚上出行不便")
			reindex := func(docs ...[2]string) {
				t.Helper()
				err := db.transact(ctx, func(tx *Tx) error {
					for _, d := range docs {
						if _, err := tx.Exec(ctx, `UPDATE notes SET title = $1, content = $2 WHERE id = $3`, d[0], d[1], id); err != nil {
							return err
						}
						if err := indexSearch(ctx, tx, "notes", id, textsearch.Document(d[0], d[1])); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			check := func(step string, found, gone []string) {
				t.Helper()
				for _, q := range found {
					if got := findNotes(t, db, q); len(got) != 1 {
						t.Errorf("%s: search %s = %q; want the note alone", step, q, got)
					}
				}
				for _, q := range gone {
					if got := findNotes(t, db, q); len(got) != 0 {
						t.Errorf("%s: search %s = %q; want nothing", step, q, got)
					}
				}
			}
			// Committed, then indexed again.
			reindex([2]string{"道路积水严重", "下雨后路面积水"})
			check("again", []string{"积水", "道路积水", "井盖"}, []string{"路灯", "出行"})
			// Twice in one transaction: the last wins.
			reindex([2]string{"电梯故障", "电梯停运"}, [2]string{"噪音扰民", "夜间施工噪音"})
			check("twice in one transaction", []string{"噪音", "施工", "井盖"}, []string{"电梯", "积水", "路灯"})
			if dialect == SQLite {
				got := indexedTerms(t, db, "notes")
				if len(got) != 2 || got[other] == nil || got[id] == nil {
					t.Fatalf("index entries = %v; want notes %d and %d", got, other, id)
				}
				if want := noteTerms(t, db); !reflect.DeepEqual(got, want) {
					t.Errorf("indexed terms by id = %v; want %v", got, want)
				}
			}
		})
	}
}

// The tokens stored are the words each database indexes: neither FTS5's
// unicode61 nor PostgreSQL's default parser splits or merges them.
func TestSearchTokensIndexedAsIs(t *testing.T) {
	t.Parallel()
	text := "3号楼G104国道ＷｉＦｉ6 café 1e10 0x1f 二〇二六年 小区路灯不亮"
	want := textsearch.Tokens(text)
	slices.Sort(want)
	want = slices.Compact(want)
	for _, dialect := range searchTestDialects() {
		t.Run(dialect, func(t *testing.T) {
			db := searchTestDB(t, dialect)
			ctx := context.Background()
			addNote(t, db, text, "")
			var q string
			switch dialect {
			case SQLite:
				if _, err := db.write.Exec(`CREATE VIRTUAL TABLE notes_vocab USING fts5vocab(notes_fts, row)`); err != nil {
					t.Fatal(err)
				}
				q = `SELECT term FROM notes_vocab ORDER BY term`
			case Postgres:
				q = `SELECT word FROM ts_stat('SELECT search_tsv FROM notes') ORDER BY word COLLATE "C"`
			}
			rows, err := db.reader().Query(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				got = append(got, s)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			want := want
			if dialect == SQLite {
				// unicode61 removes diacritics, on documents and queries alike.
				want = slices.Clone(want)
				want[slices.Index(want, "café")] = "cafe"
				slices.Sort(want)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("indexed terms = %q; want %q", got, want)
			}
		})
	}
}

func TestSearchNamesChecked(t *testing.T) {
	t.Parallel()
	db := &DB{Dialect: SQLite}
	for _, tc := range []struct {
		table, alias string
		cols         []string
	}{
		{"notes; DROP TABLE users", "n", []string{"title"}},
		{"notes", "n.x", []string{"title"}},
		{"notes", "n", []string{"title OR 1=1"}},
		{"notes", "n", nil},
		{"Notes", "n", []string{"title"}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("searchClause(%q, %q, %q) did not panic", tc.table, tc.alias, tc.cols)
				}
			}()
			searchClause(db, &where{}, tc.table, tc.alias, tc.cols, "路灯")
		}()
	}
}

// searchBenchWords make synthetic complaints: a place, a facility and a
// problem, with some filler, about 60 characters each. Each facility is in
// about 1 row in 7.
var searchBenchWords = [4][]string{
	{"幸福小区", "阳光花园", "东湖村", "新华社区", "城南街道", "北仑大道", "红星路", "人民公园", "第一中学", "菜市场", "老年活动中心", "工业园区"},
	{"路灯", "井盖", "下水道", "垃圾桶", "电梯", "停车位", "绿化带", "公交站", "红绿灯", "围墙", "健身器材", "化粪池", "自来水管", "人行道", "监控探头", "消防通道", "充电桩", "窨井", "排水沟", "护栏"},
	{"损坏", "不亮", "堵塞", "漏水", "噪音大", "长期占用", "无人维修", "存在安全隐患", "异味严重", "设置不合理", "破损", "缺失"},
	{"居民多次反映", "希望有关部门尽快处理", "给群众生活带来不便", "请代表帮忙协调", "已经持续一个多月", "晚上出行很不安全", "老人小孩经过时很危险", "物业一直没有回应"},
}

func searchBenchText(r *mrand.Rand) (title, content string) {
	pick := func(i int) string { return searchBenchWords[i][r.IntN(len(searchBenchWords[i]))] }
	title = pick(0) + pick(1) + pick(2)
	content = pick(0) + "的" + pick(1) + pick(2) + "，" + pick(3) + "，" + pick(1) + "也" + pick(2) + "，" + pick(3) + "。"
	if r.IntN(100) == 0 {
		content += "附近地铁施工。" // a rare term: ~1 row in 100
	}
	return title, content
}

// BenchmarkSearch measures queries over 50,000 synthetic complaints:
//
//	go test -run '^$' -bench Search -benchtime 200x ./internal/sqlstore/
func BenchmarkSearch(b *testing.B) {
	const n = 50000
	for _, dialect := range searchTestDialects() {
		db := searchTestDB(b, dialect)
		ctx := context.Background()
		r := mrand.New(mrand.NewPCG(1, 2))
		for start := 0; start < n; start += 500 {
			var lastID int64
			err := db.transact(ctx, func(tx *Tx) error {
				if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM notes`).Scan(&lastID); err != nil {
					return err
				}
				// What indexSearch does, for the whole batch: on SQLite the
				// documents go to the index alone, on PostgreSQL to search
				// and its tsvector.
				var sb, fts strings.Builder
				sb.WriteString(`INSERT INTO notes (title, content) VALUES `)
				fts.WriteString(`INSERT INTO notes_fts (rowid, search) VALUES `)
				if dialect == Postgres {
					sb.Reset()
					sb.WriteString(`INSERT INTO notes (title, content, search, search_tsv) VALUES `)
				}
				var args, ftsArgs []any
				for i := 0; i < 500; i++ {
					title, content := searchBenchText(r)
					doc := textsearch.Document(title, content)
					if i > 0 {
						sb.WriteString(", ")
						fts.WriteString(", ")
					}
					k := len(args)
					if dialect == Postgres {
						fmt.Fprintf(&sb, "($%d, $%d, $%d, to_tsvector('simple', $%d))", k+1, k+2, k+3, k+3)
						args = append(args, title, content, doc)
						continue
					}
					fmt.Fprintf(&sb, "($%d, $%d)", k+1, k+2)
					args = append(args, title, content)
					fmt.Fprintf(&fts, "($%d, $%d)", len(ftsArgs)+1, len(ftsArgs)+2)
					ftsArgs = append(ftsArgs, lastID+1+int64(i), doc) // the ids SQLite gives the rows
				}
				if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
					return err
				}
				if dialect == Postgres {
					return nil
				}
				_, err := tx.Exec(ctx, fts.String(), ftsArgs...)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		if dialect == Postgres {
			if _, err := db.write.Exec(`VACUUM ANALYZE notes`); err != nil {
				b.Fatal(err)
			}
		}
		for _, q := range []struct {
			name, q string
			like    bool // LIKE over title and content, for comparison
		}{
			{"2char", "路灯", false},          // 1 row in 7
			{"2char-LIKE", "路灯", true},      // the same without the index
			{"2char-rare", "地铁", false},     // 1 row in 100
			{"2char-none", "燃气", false},     // no row
			{"4char-phrase", "路灯不亮", false}, // a phrase of 3 bigrams, 1 row in 130
			{"2words", "幸福小区 路灯", false},    // two phrases, 1 row in 45
			{"1char-LIKE", "灯", false},      // the fallback for one character
		} {
			var w where
			if q.like {
				searchLike(db, &w, "n", []string{"title", "content"}, q.q)
			} else {
				searchClause(db, &w, "notes", "n", []string{"title", "content"}, q.q)
			}
			// A list page, as a store's Find method runs it: the newest 20
			// and the total.
			page := `SELECT n.id, n.title, COUNT(*) OVER () FROM notes n` + w.String() + ` ORDER BY n.id DESC LIMIT 20`
			count := `SELECT COUNT(*) FROM notes n` + w.String()
			var total int
			if err := db.reader().QueryRow(ctx, count, w.args...).Scan(&total); err != nil {
				b.Fatal(err)
			}
			b.Run(dialect+"/"+q.name+"/page", func(b *testing.B) {
				for b.Loop() {
					rows, err := db.reader().Query(ctx, page, w.args...)
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
					}
					if err := rows.Err(); err != nil {
						b.Fatal(err)
					}
					rows.Close()
				}
				b.ReportMetric(float64(total), "matches")
			})
		}
	}
}
