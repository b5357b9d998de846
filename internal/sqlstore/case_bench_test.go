package sqlstore

// Benchmarks of case intake and of list and search latency on a large data
// set, on SQLite and (with LIANLUO_TEST_POSTGRES_URL) PostgreSQL. The figures
// and the commands live in BENCHMARKS.md at the repository root.
//
//	BenchmarkCaseIntake  CreateCase through the real service, one case a
//	                     transaction; cheap, always runs.
//	BenchmarkCaseList    FindCases pages on LIANLUO_BENCH_CASES generated cases
//	BenchmarkCaseSearch  FindCases full-text queries on the same cases
//
// The big data set is generated once per dialect and run, bulk-loaded with
// multi-row INSERTs in large transactions (not through CreateCase). With
// LIANLUO_BENCH_DIR set it is kept — the SQLite file in that folder, the
// PostgreSQL database as lianluo_bench_<N> — and reused by later runs;
// otherwise it is removed when the dialect's benchmarks end.
//
// This is an internal test (package sqlstore), to reach the store's query
// pieces, so it cannot use storetest, which imports sqlstore; benchOpen does
// the part of storetest.MustOpen it needs, with pgtest. Every name here starts with "bench" to stay clear of the other
// internal test files.

import (
	"context"
	"database/sql"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/demo"
	"lianluo/internal/pgtest"
	"lianluo/internal/regiondata"
	"lianluo/internal/textsearch"
)

// benchNow is the clock of the large data set: cases were created over the
// three years before it, and "overdue" is measured against it.
var benchNow = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)

const benchPassword = "Bench@2026pw"

// benchDataVersion names the generator; a kept data set of another version
// is regenerated.
const benchDataVersion = "cases-v2"

func benchDialects(b *testing.B, fn func(b *testing.B, dialect string)) {
	b.Run(SQLite, func(b *testing.B) { fn(b, SQLite) })
	b.Run(Postgres, func(b *testing.B) {
		if pgtest.URL() == "" {
			b.Skip("set LIANLUO_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to benchmark PostgreSQL")
		}
		fn(b, Postgres)
	})
}

// benchOpen opens a fresh migrated database, removed when b ends: SQLite in
// a temporary folder, PostgreSQL as a database of its own.
func benchOpen(b *testing.B, dialect string) *DB {
	b.Helper()
	cfg := Config{DataDir: b.TempDir()}
	if dialect == Postgres {
		cfg.DatabaseURL = pgtest.NewDatabase(b)
	}
	db, err := Open(context.Background(), cfg)
	if err != nil {
		b.Fatalf("open %s: %v", dialect, err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func benchPostgresAdmin(b *testing.B) *sql.DB {
	b.Helper()
	admin, err := sql.Open("pgx", pgtest.URL())
	if err != nil {
		b.Fatalf("open postgres: %v", err)
	}
	return admin
}

// benchPostgresURL returns the URL of database name on the test server.
func benchPostgresURL(b *testing.B, name string) string {
	b.Helper()
	u, err := url.Parse(pgtest.URL())
	if err != nil {
		b.Fatalf("parse LIANLUO_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func benchCreatePostgres(b *testing.B, name string) string {
	b.Helper()
	admin := benchPostgresAdmin(b)
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		b.Fatalf("create database %s: %v", name, err)
	}
	return benchPostgresURL(b, name)
}

func benchDropPostgres(b *testing.B, name string) {
	admin := benchPostgresAdmin(b)
	defer admin.Close()
	if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
		b.Logf("drop database %s: %v", name, err)
	}
}

// ---------------------------------------------------------------------------
// The district: 北仑区 (330206), its 12 towns and their villages, an NPC body
// and a station with a deputy in each town, and three users.

type benchTown struct {
	code, name string
	weight     int      // share of the cases
	villages   []string // region codes
	org        int64
	station    int64
	deputy     int64
}

type benchWorld struct {
	db    *DB
	towns []*benchTown
	total int // sum of weights
}

// Town weights: the big streets (新碶, 大碶, 小港, 柴桥) receive most cases.
var benchTownWeights = map[string]int{
	"330206001": 4, "330206002": 18, "330206003": 12, "330206004": 16, "330206005": 8, "330206006": 10,
	"330206007": 5, "330206008": 5, "330206009": 5, "330206010": 4, "330206011": 5, "330206401": 3,
}

// benchTownA is the town whose office and liaison the benchmarks act as (大碶).
const benchTownA = "330206004"

func benchSystem() context.Context {
	return lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
}

// benchBuildWorld creates the district in a fresh database through the
// store's public methods, as the system.
func benchBuildWorld(b *testing.B, db *DB) *benchWorld {
	b.Helper()
	ctx := benchSystem()
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	w := &benchWorld{db: db}
	var rs []lianluo.Region
	byCode := map[string]*benchTown{}
	must(regiondata.Walk("330206", func(r regiondata.Record) error {
		rs = append(rs, lianluo.Region{Code: r.Code, Name: r.Name, Level: r.Level, ParentCode: r.ParentCode})
		switch r.Level {
		case regiondata.LevelTown:
			t := &benchTown{code: r.Code, name: r.Name, weight: benchTownWeights[r.Code]}
			if t.weight == 0 {
				t.weight = 3
			}
			w.towns = append(w.towns, t)
			byCode[r.Code] = t
			w.total += t.weight
		case regiondata.LevelVillage:
			if t := byCode[r.ParentCode]; t != nil {
				t.villages = append(t.villages, r.Code)
			}
		}
		return nil
	}))
	_, err := db.ImportRegions(ctx, rs)
	must(err)
	district := &lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}
	must(db.CreateOrg(ctx, district))
	seat := []lianluo.Seat{{Level: "county", Term: 18, Constituency: "第3选区"}}
	for i, t := range w.towns {
		o := &lianluo.Org{Kind: "npc", Name: t.name + "人大工委", RegionCode: t.code, ParentID: &district.ID}
		must(db.CreateOrg(ctx, o))
		d := &lianluo.Deputy{Name: benchSurnames[i] + "建国", Gender: "male", RegionCode: t.code, Seats: seat}
		must(db.CreateDeputy(ctx, d))
		s := &lianluo.Station{Kind: "center", Name: t.name + "人大代表中心联络站", RegionCode: t.code, OrgID: o.ID,
			DeputyIDs: []int64{d.ID}, HeadDeputyID: &d.ID}
		must(db.CreateStation(ctx, s))
		t.org, t.station, t.deputy = o.ID, s.ID, d.ID
	}
	a := w.town(benchTownA)
	for _, u := range []*lianluo.User{
		{Username: "admin", DisplayName: "管理员", Roles: []lianluo.Grant{{Role: "system_admin"}}},
		{Username: "officea", DisplayName: "大碶人大办", Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &a.org}}},
		{Username: "liaisona", DisplayName: "大碶联络员", Roles: []lianluo.Grant{{Role: "liaison", StationID: &a.station}}},
	} {
		u.Password = benchPassword
		must(db.CreateUser(ctx, u))
	}
	return w
}

func (w *benchWorld) town(code string) *benchTown {
	for _, t := range w.towns {
		if t.code == code {
			return t
		}
	}
	panic("no town " + code)
}

// benchAs logs the user in through the real path and returns a context
// acting as them.
func benchAs(b *testing.B, db *DB, username string) context.Context {
	b.Helper()
	s, err := db.Login(context.Background(), username, benchPassword, "127.0.0.1")
	if err != nil {
		b.Fatalf("Login(%s): %v", username, err)
	}
	a, err := db.Authenticate(context.Background(), s.Token, "127.0.0.1")
	if err != nil {
		b.Fatalf("Authenticate(%s): %v", username, err)
	}
	return lianluo.NewContextWithActor(context.Background(), a)
}

// ---------------------------------------------------------------------------
// Realistic complaints: ~50 topics, each with title templates and sentences;
// {p} is a place (a housing estate, a road or a village).

type benchTopic struct {
	category string
	weight   int
	titles   []string
	lines    []string
}

// The words are the demo generator's (internal/demo, bulk_text.go): the
// benchmarks and `lianluo demo --cases` measure the same text.
var benchWords = demo.Words()

var benchTopics = func() []benchTopic {
	var out []benchTopic
	for _, t := range benchWords.Topics {
		out = append(out, benchTopic{category: t.Category, weight: t.Weight, titles: t.Titles, lines: t.Lines})
	}
	return out
}()

var (
	benchEstates      = benchWords.Estates
	benchRoads        = benchWords.Roads
	benchVillageWords = benchWords.VillageWords
	benchIntro        = benchWords.Intro
	benchGeneric      = benchWords.Generic
	benchSurnames     = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"}
	benchGiven        = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平"}
	benchChannels     = demo.Channels
)

// benchWeighted is the demo generator's weighted choice.
type benchWeighted[T any] = demo.Weighted[T]

var benchTopicTotal = func() int {
	n := 0
	for _, t := range benchTopics {
		n += t.weight
	}
	return n
}()

func benchPickTopic(r *mrand.Rand) *benchTopic {
	n := r.IntN(benchTopicTotal)
	for i := range benchTopics {
		if n < benchTopics[i].weight {
			return &benchTopics[i]
		}
		n -= benchTopics[i].weight
	}
	return &benchTopics[0]
}

// benchText returns a title (about 10 characters) and a content (about
// 110): a place, three or four sentences of the topic, how long it has
// lasted, where exactly, and a plea.
func benchText(r *mrand.Rand, townName string) (title, content, location string) {
	t := benchPickTopic(r)
	var place string
	switch r.IntN(3) {
	case 0:
		place = benchEstates[r.IntN(len(benchEstates))]
	case 1:
		place = benchRoads[r.IntN(len(benchRoads))]
	default:
		place = strings.TrimSuffix(strings.TrimSuffix(townName, "街道"), "区") + benchSurnames[r.IntN(len(benchSurnames))] + "家" + benchVillageWords[r.IntN(2)]
	}
	title = strings.ReplaceAll(t.titles[r.IntN(len(t.titles))], "{p}", place)
	location = benchRoads[r.IntN(len(benchRoads))] + strconv.Itoa(1+r.IntN(300)) + "号"
	var c strings.Builder
	c.WriteString(townName + place + benchIntro[r.IntN(len(benchIntro))])
	first := r.IntN(len(t.lines))
	for i, n := 0, 3+r.IntN(2); i < n; i++ {
		c.WriteString(t.lines[(first+i)%len(t.lines)])
		c.WriteString("，")
	}
	if r.IntN(2) == 0 {
		c.WriteString("问题已持续" + strconv.Itoa(1+r.IntN(24)) + "个月，")
	}
	c.WriteString("具体位置在" + location + "附近。")
	for i, n := 0, 1+r.IntN(3); i < n; i++ {
		c.WriteString(benchGeneric[r.IntN(len(benchGeneric))])
	}
	return title, c.String(), location
}

func benchName(r *mrand.Rand) string {
	return benchSurnames[r.IntN(len(benchSurnames))] + benchGiven[r.IntN(len(benchGiven))]
}

func benchPhone(r *mrand.Rand) string {
	return fmt.Sprintf("13%d%08d", 5+r.IntN(5), r.IntN(100000000))
}

// ---------------------------------------------------------------------------
// BenchmarkCaseIntake: CreateCase as a liaison, one transaction per case
// (synchronous=FULL on SQLite), then the read-back CreateCase does.

func BenchmarkCaseIntake(b *testing.B) {
	benchDialects(b, func(b *testing.B, dialect string) {
		db := benchOpen(b, dialect)
		w := benchBuildWorld(b, db)
		ctx := benchAs(b, db, "liaisona")
		a := w.town(benchTownA)
		input := func(r *mrand.Rand) lianluo.CaseInput {
			title, content, loc := benchText(r, a.name)
			region := a.code
			if r.IntN(5) > 0 {
				region = a.villages[r.IntN(len(a.villages))]
			}
			return lianluo.CaseInput{Channel: benchChannels.Pick(r), StationID: &a.station, Title: title, Content: content,
				Category: "城乡建设", RegionCode: region, Location: loc,
				Submitter:  lianluo.Submitter{Name: benchName(r), Phone: benchPhone(r), Address: a.name + benchEstates[r.IntN(len(benchEstates))]},
				ReceivedBy: []int64{a.deputy}, Urgent: r.IntN(100) == 0}
		}
		b.Run("serial", func(b *testing.B) {
			r := mrand.New(mrand.NewPCG(1, 1))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.CreateCase(ctx, input(r)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
		// 4×GOMAXPROCS goroutines: clerks at several stations registering at once.
		b.Run("parallel", func(b *testing.B) {
			var seed atomic.Uint64
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				r := mrand.New(mrand.NewPCG(2, seed.Add(1)))
				for pb.Next() {
					if _, err := db.CreateCase(ctx, input(r)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
	})
}

// ---------------------------------------------------------------------------
// The large data set.

type benchDataset struct {
	db       *DB
	n        int
	admin    context.Context
	officeA  context.Context
	liaisonA context.Context
	genTime  time.Duration // when generated in an earlier run: as recorded then
	size     string
	reused   bool
	teardown func()
}

// benchSets holds the data sets kept (LIANLUO_BENCH_DIR) and already opened
// in this run, so that BenchmarkCaseList and BenchmarkCaseSearch share them.
var benchSets = map[string]*benchDataset{}

func benchCaseCount(b *testing.B) int {
	b.Helper()
	s := os.Getenv("LIANLUO_BENCH_CASES")
	if s == "" {
		b.Skip("set LIANLUO_BENCH_CASES=1000000 (and LIANLUO_BENCH_DIR to keep the data set between runs) to run; see BENCHMARKS.md")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1000 {
		b.Fatalf("LIANLUO_BENCH_CASES=%q: want a number of cases ≥ 1000", s)
	}
	return n
}

// benchCases returns the data set of LIANLUO_BENCH_CASES cases for the
// dialect: kept from an earlier run, or generated now.
func benchCases(b *testing.B, dialect string, n int) *benchDataset {
	b.Helper()
	if ds := benchSets[dialect]; ds != nil && ds.n == n {
		return ds
	}
	dir := os.Getenv("LIANLUO_BENCH_DIR")
	keep := dir != ""
	cfg := Config{Now: func() time.Time { return benchNow }}
	var pgName string
	switch {
	case dialect == SQLite && keep:
		cfg.DataDir = filepath.Join(dir, fmt.Sprintf("sqlite-%d", n))
	case dialect == SQLite:
		cfg.DataDir = b.TempDir()
	case keep:
		pgName = fmt.Sprintf("lianluo_bench_%d", n)
		cfg.DatabaseURL = benchKeptPostgres(b, pgName)
	default:
		cfg.DatabaseURL = pgtest.NewDatabase(b)
	}
	if dialect == Postgres {
		// PostgreSQL needs the field encryption key (migration 0017); a
		// kept data set keeps its key beside the SQLite one.
		keyDir := dir
		if !keep {
			keyDir = b.TempDir()
		}
		cfg.KeyFile = filepath.Join(keyDir, fmt.Sprintf("postgres-%d.key", n))
		if _, err := os.Stat(cfg.KeyFile); os.IsNotExist(err) {
			if err := os.MkdirAll(keyDir, 0o700); err != nil {
				b.Fatal(err)
			}
			if err := GenerateKeyFile(cfg.KeyFile); err != nil {
				b.Fatal(err)
			}
		}
	}
	db, err := Open(context.Background(), cfg)
	if err != nil {
		b.Fatalf("open %s: %v", dialect, err)
	}
	ds := &benchDataset{db: db, n: n}
	ds.teardown = func() { ds.db.Close() }
	var version string
	var rows int
	var secs float64
	err = db.read.QueryRow(`SELECT version, n, seconds FROM bench_dataset`).Scan(&version, &rows, &secs)
	if err == nil && version == benchDataVersion && rows == n {
		ds.reused, ds.genTime = true, time.Duration(secs*float64(time.Second))
	} else {
		if keep {
			// A kept data set of another size or version, or an interrupted
			// generation: start again from an empty database.
			db.Close()
			if dialect == SQLite {
				if err := os.RemoveAll(cfg.DataDir); err != nil {
					b.Fatal(err)
				}
			} else {
				benchDropPostgres(b, pgName)
				benchCreatePostgres(b, pgName)
			}
			if db, err = Open(context.Background(), cfg); err != nil {
				b.Fatalf("open %s: %v", dialect, err)
			}
			ds.db = db
		}
		w := benchBuildWorld(b, db)
		start := time.Now()
		benchGenerate(b, w, n)
		ds.genTime = time.Since(start)
		if _, err := db.write.Exec(`CREATE TABLE bench_dataset (version TEXT NOT NULL, n INTEGER NOT NULL, seconds REAL NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.write.Exec(db.rebind(`INSERT INTO bench_dataset (version, n, seconds) VALUES ($1, $2, $3)`),
			benchDataVersion, n, ds.genTime.Seconds()); err != nil {
			b.Fatal(err)
		}
	}
	// Undo what an interrupted run may have left of a proposal.
	undo := []string{`DROP INDEX IF EXISTS bench_cases_status_id`}
	if dialect == SQLite {
		undo = append(undo, benchDropStats...)
	} else {
		undo = append(undo, `ALTER DATABASE `+benchDatabaseName(b, ds.db)+` RESET work_mem`)
	}
	for _, q := range undo {
		if _, err := ds.db.write.Exec(q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	ds.size = benchSize(b, ds.db, cfg)
	ds.admin = benchAs(b, ds.db, "admin")
	ds.officeA = benchAs(b, ds.db, "officea")
	ds.liaisonA = benchAs(b, ds.db, "liaisona")
	how := "generated"
	if ds.reused {
		how = "reused (generated in an earlier run)"
	}
	// On stderr, not b.Logf: a benchmark's log shows only with -v.
	fmt.Fprintf(os.Stderr, "%s: %d cases %s in %s (%.0f cases/s); %s\n", dialect, n, how, ds.genTime.Round(time.Second),
		float64(n)/ds.genTime.Seconds(), ds.size)
	if keep {
		benchSets[dialect] = ds
	} else {
		b.Cleanup(ds.teardown)
	}
	return ds
}

// benchKeptPostgres creates the database name unless it is there (a kept
// data set) and returns its URL.
func benchKeptPostgres(b *testing.B, name string) string {
	b.Helper()
	admin := benchPostgresAdmin(b)
	var exists bool
	err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists)
	if err == nil && !exists {
		_, err = admin.Exec("CREATE DATABASE " + name)
	}
	admin.Close()
	if err != nil {
		b.Fatalf("database %s: %v", name, err)
	}
	return benchPostgresURL(b, name)
}

// benchSize describes the size of the database and of its cases table.
func benchSize(b *testing.B, db *DB, cfg Config) string {
	b.Helper()
	if db.Dialect == Postgres {
		var all, cases, heap, idx, gin int64
		err := db.read.QueryRow(`SELECT pg_database_size(current_database()), pg_total_relation_size('cases'),
			pg_relation_size('cases') + COALESCE(pg_relation_size(reltoastrelid), 0), pg_indexes_size('cases'), pg_relation_size('cases_search')
			FROM pg_class WHERE relname = 'cases'`).Scan(&all, &cases, &heap, &idx, &gin)
		if err != nil {
			b.Fatal(err)
		}
		return fmt.Sprintf("database %s; cases %s = heap %s + indexes %s (GIN %s)",
			benchMB(all), benchMB(cases), benchMB(heap), benchMB(idx), benchMB(gin))
	}
	if _, err := db.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(db.URL)
	if err != nil {
		b.Fatal(err)
	}
	out := "file " + benchMB(st.Size())
	// dbstat is compiled into modernc's SQLite; say where the bytes are.
	rows, err := db.read.Query(`SELECT CASE WHEN name LIKE 'cases_fts%' THEN 'FTS5' WHEN name = 'cases' THEN 'cases'
		WHEN name LIKE 'cases_%' OR name LIKE 'sqlite_autoindex_cases%' THEN 'cases indexes' ELSE 'other' END AS part, SUM(pgsize)
		FROM dbstat GROUP BY part ORDER BY 2 DESC`)
	if err != nil {
		return out
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var part string
		var size int64
		if err := rows.Scan(&part, &size); err != nil {
			return out
		}
		parts = append(parts, part+" "+benchMB(size))
	}
	return out + " = " + strings.Join(parts, " + ")
}

func benchMB(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }

// benchRow is one generated case.
type benchRow struct {
	args []any
	doc  string
}

// benchStatuses: what a case of a given age has become. Most old cases are
// closed or archived; recent ones are in the workflow; a few percent of the
// cases between one month and a year are still open past their deadline.
var (
	benchNew   = benchWeighted[string]{{"registered", 60}, {"answered", 15}, {"explained", 5}, {"pending_approval", 15}, {"not_accepted", 5}}
	benchMonth = benchWeighted[string]{{"registered", 3}, {"answered", 15}, {"explained", 8}, {"not_accepted", 3}, {"pending_approval", 6},
		{"assigned", 8}, {"handling", 45}, {"replied", 8}, {"awaiting_evaluation", 4}}
	benchYear = benchWeighted[string]{{"answered", 150}, {"explained", 80}, {"not_accepted", 30}, {"pending_approval", 3}, {"assigned", 3},
		{"handling", 30}, {"replied", 20}, {"awaiting_evaluation", 30}, {"supervising", 15}, {"closed", 619}, {"archived", 20}}
	benchOld = benchWeighted[string]{{"answered", 80}, {"explained", 50}, {"not_accepted", 20}, {"closed", 100}, {"archived", 750}}
)

// benchGen generates row i of n, deterministically.
func (w *benchWorld) benchGen(r *mrand.Rand, i, n int) benchRow {
	const span = 3 * 365 * 24 * time.Hour
	created := benchNow.Add(-span + time.Duration(float64(span)*(float64(i)+r.Float64())/float64(n))).Truncate(time.Microsecond)
	age := benchNow.Sub(created).Hours() / 24
	// The town by weight; a village of it, or the town itself.
	k := r.IntN(w.total)
	var t *benchTown
	for _, t = range w.towns {
		if k < t.weight {
			break
		}
		k -= t.weight
	}
	region := t.code
	if r.IntN(5) > 0 && len(t.villages) > 0 {
		region = t.villages[r.IntN(len(t.villages))]
	}
	var station *int64
	if r.IntN(10) < 8 {
		station = &t.station
	}
	title, content, loc := benchText(r, t.name)
	var status string
	switch {
	case age < 3:
		status = benchNew.Pick(r)
	case age < 30:
		status = benchMonth.Pick(r)
	case age < 365:
		status = benchYear.Pick(r)
	default:
		status = benchOld.Pick(r)
	}
	var due, closed *time.Time
	version, round, archived := 1, 1, 0
	day := 24 * time.Hour
	switch status {
	case "pending_approval":
		d := created.Add(10 * day)
		due, version = &d, 2
	case "assigned", "handling", "replied", "awaiting_evaluation", "supervising", "closed", "archived":
		d := created.Add(21 * day)
		due, version = &d, 3+r.IntN(5)
	}
	switch status {
	case "answered", "explained", "not_accepted":
		c := created.Add(time.Duration(r.IntN(72)) * time.Hour)
		closed, version = &c, 2
	case "closed", "archived":
		c := created.Add(time.Duration(10+r.IntN(30)) * day)
		closed = &c
		if status == "archived" {
			archived = c.In(lianluo.Beijing).Year()
		}
	case "supervising":
		round = 2
	}
	if closed != nil && closed.After(benchNow) {
		c := benchNow.Add(-time.Hour)
		closed = &c
	}
	updated := created
	if closed != nil {
		updated = *closed
	}
	code := benchTrackingCode(i)
	return benchRow{
		args: []any{int64(i + 1), code, lianluo.KindOpinion, benchChannels.Pick(r), station, t.org, title, content,
			benchPickTopic(r).category, region, loc, benchName(r), benchPhone(r), t.name + benchEstates[r.IntN(len(benchEstates))],
			r.IntN(100) == 0, r.IntN(50) == 0, status, round, due, due, closed, archived, version, created, updated},
		doc: textsearch.Document(title, content),
	}
}

// benchTrackingCode spreads i over the tracking-code space, as random codes
// are: i·P mod 31¹⁰ is a bijection for P prime to 31.
func benchTrackingCode(i int) string {
	const p, m = 2654435761, 819628286980801 // 31^10
	x := (uint64(i) + 1) * p % m
	out := make([]byte, 10)
	for k := range out {
		out[k] = trackingAlphabet[x%31]
		x /= 31
	}
	return string(out)
}

const benchColumns = `id, tracking_code, kind, channel, station_id, org_id, title, content, category, region_code,
	location, submitter_name, submitter_phone, submitter_address, urgent, confidential, status, round,
	due_at, original_due_at, closed_at, archived_year, version, created_at, updated_at, search`

// benchGenerate bulk-loads n cases: a goroutine generates and tokenizes
// batches of 1,000 while the caller inserts them with multi-row INSERTs
// (1,000 rows a statement on PostgreSQL, 20 on SQLite), committing every
// 50,000 rows.
func benchGenerate(b *testing.B, w *benchWorld, n int) {
	b.Helper()
	db := w.db
	const batch, txRows = 1000, 50000
	ctx := context.Background()
	if db.Dialect == SQLite {
		// The writer's page cache only for the load: 2 MB (the default)
		// spills dirty index pages to the WAL over and over.
		if _, err := db.write.Exec(`PRAGMA cache_size = -262144`); err != nil {
			b.Fatal(err)
		}
		defer db.write.Exec(`PRAGMA cache_size = -2000`)
	}
	batches := make(chan []benchRow, 4)
	go func() {
		defer close(batches)
		r := mrand.New(mrand.NewPCG(20260302, 1))
		for start := 0; start < n; start += batch {
			rows := make([]benchRow, 0, batch)
			for i := start; i < min(start+batch, n); i++ {
				rows = append(rows, w.benchGen(r, i, n))
			}
			batches <- rows
		}
	}()
	start, done := time.Now(), 0
	// modernc's driver looks each parameter up by name, a linear search:
	// binding a statement costs the square of its parameters. SQLite gets
	// statements of 20 rows (520 parameters), prepared once a transaction.
	perStmt := 1000
	if db.Dialect == SQLite {
		perStmt = 20
	}
	exec := func(tx *Tx, stmts map[string]*sql.Stmt, q string, args []any) error {
		if db.Dialect == Postgres {
			_, err := tx.Exec(ctx, q, args...) // pgx caches the prepared statement
			return err
		}
		st := stmts[q]
		if st == nil {
			var err error
			if st, err = tx.tx.PrepareContext(ctx, db.rebind(q)); err != nil {
				return err
			}
			stmts[q] = st
		}
		_, err := st.ExecContext(ctx, normArgs(args)...)
		return err
	}
	insert := func(tx *Tx, stmts map[string]*sql.Stmt, rows []benchRow) error {
		var sb strings.Builder
		var args []any
		cols := benchColumns
		if db.Dialect == Postgres {
			cols += `, search_tsv`
		}
		sb.WriteString(`INSERT INTO cases (` + cols + `) VALUES `)
		for k, row := range rows {
			if k > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('(')
			for j, a := range row.args {
				args = append(args, a)
				if j > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("$" + strconv.Itoa(len(args)))
			}
			if db.Dialect == Postgres {
				args = append(args, row.doc)
			} else {
				args = append(args, "") // the document goes to cases_fts alone
			}
			doc := "$" + strconv.Itoa(len(args))
			sb.WriteString(", " + doc)
			if db.Dialect == Postgres {
				sb.WriteString(", to_tsvector('simple', " + doc + ")")
			}
			sb.WriteByte(')')
		}
		if err := exec(tx, stmts, sb.String(), args); err != nil {
			return err
		}
		if db.Dialect == Postgres {
			return nil
		}
		// The same FTS5 rows indexSearch writes, batched.
		sb.Reset()
		args = args[:0]
		sb.WriteString(`INSERT INTO cases_fts (rowid, search) VALUES `)
		for k, row := range rows {
			if k > 0 {
				sb.WriteString(", ")
			}
			args = append(args, row.args[0], row.doc)
			fmt.Fprintf(&sb, "($%d, $%d)", len(args)-1, len(args))
		}
		return exec(tx, stmts, sb.String(), args)
	}
	for {
		var err error
		more := true
		err = db.transact(ctx, func(tx *Tx) error {
			stmts := map[string]*sql.Stmt{}
			for k := 0; k < txRows/batch; k++ {
				rows, ok := <-batches
				if !ok {
					more = false
					return nil
				}
				for len(rows) > 0 {
					chunk := rows[:min(perStmt, len(rows))]
					if err := insert(tx, stmts, chunk); err != nil {
						return err
					}
					rows = rows[len(chunk):]
					done += len(chunk)
				}
			}
			return nil
		})
		if err != nil {
			for range batches { // let the generator finish
			}
			b.Fatalf("load cases: %v", err)
		}
		if more && done%200000 == 0 {
			fmt.Fprintf(os.Stderr, "%s: %d/%d cases loaded in %s\n", db.Dialect, done, n, time.Since(start).Round(time.Second))
		}
		if !more {
			break
		}
	}
	if db.Dialect == Postgres {
		for _, q := range []string{`SELECT setval('cases_id_seq', (SELECT MAX(id) FROM cases))`, `VACUUM ANALYZE cases`} {
			if _, err := db.write.Exec(q); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "%s: %d cases loaded and indexed in %s\n", db.Dialect, n, time.Since(start).Round(time.Second))
}

// ---------------------------------------------------------------------------
// BenchmarkCaseList and BenchmarkCaseSearch.

type benchScenario struct {
	name    string
	office  bool // as the 大碶 town office; else as the administrator
	f       lianluo.CaseFilter
	liaison bool // as the liaison of 大碶's station (overrides office)
}

var benchListScenarios = []benchScenario{
	{"admin-all", false, lianluo.CaseFilter{}, false},
	{"town-office", true, lianluo.CaseFilter{}, false},
	{"station-liaison", false, lianluo.CaseFilter{}, true},
	{"town-office-status", true, lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusHandling}}, false},
	{"village-filter", false, lianluo.CaseFilter{Region: "330206004002"}, false}, // 坝头社区, one of 大碶's 27
	{"handling-overdue", false, lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusHandling}, Overdue: true}, false},
	{"closed-page50", false, lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusClosed}, Page: lianluo.Page{Page: 50}}, false},
}

var benchSearchScenarios = []benchScenario{
	{"q2-admin", false, lianluo.CaseFilter{Q: "路灯"}, false},
	{"q2-town-office", true, lianluo.CaseFilter{Q: "路灯"}, false},
	{"q4-admin", false, lianluo.CaseFilter{Q: "路灯不亮"}, false},
}

func BenchmarkCaseList(b *testing.B)   { benchScenarios(b, benchListScenarios, true) }
func BenchmarkCaseSearch(b *testing.B) { benchScenarios(b, benchSearchScenarios, false) }

// benchScenarios measures each scenario three ways, then FindCases again
// under two changes that are PROPOSALS, not in the store:
//
//	<scenario>/FindCases   the store
//	<scenario>/before      the store before it was shaped for a million
//	                       cases: one query with COUNT(*) OVER (), region
//	                       scopes as LIKE, search as c.id IN (… MATCH …)
//	<scenario>/count       an exact COUNT(*) of what FindCases selects (it
//	                       counts only to lianluo.MaxListTotal+1)
//	analyzed/<scenario>    SQLite only: FindCases after ANALYZE, as
//	                       `PRAGMA optimize` would leave it
//	status-id/<scenario>   FindCases with an index cases (status, id)
//	                       (lists only: no search scenario filters status)
//	work-mem/<scenario>    PostgreSQL only: FindCases with work_mem 64MB
//	                       (the server default is 4MB), set on the data
//	                       set's database alone
//
// Each proposal is undone after it is measured, so a kept data set stays
// as generated.
func benchScenarios(b *testing.B, scenarios []benchScenario, statusIndex bool) {
	n := benchCaseCount(b)
	benchDialects(b, func(b *testing.B, dialect string) {
		ds := benchCases(b, dialect, n)
		db := ds.db
		ctxOf := func(sc benchScenario) context.Context {
			if sc.liaison {
				return ds.liaisonA
			}
			if sc.office {
				return ds.officeA
			}
			return ds.admin
		}
		run := func(b *testing.B, name string, find func() (int, error)) {
			b.Run(name, func(b *testing.B) {
				var total int
				for b.Loop() {
					var err error
					if total, err = find(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(total), "rows")
			})
		}
		findCases := func(sc benchScenario) func() (int, error) {
			return func() (int, error) {
				_, total, err := db.FindCases(ctxOf(sc), sc.f)
				return total, err
			}
		}
		for _, sc := range scenarios {
			ctx := ctxOf(sc)
			b.Run(sc.name, func(b *testing.B) {
				benchCheck(b, db, ctx, sc.f)
				run(b, "FindCases", findCases(sc))
				run(b, "before", func() (int, error) {
					_, total, err := benchBefore(ctx, db, sc.f)
					return total, err
				})
				run(b, "count", func() (int, error) { return benchExactCount(ctx, db, sc.f) })
			})
		}
		proposal := func(name string, do, undo []string) {
			b.Run(name, func(b *testing.B) {
				exec := func(qs []string) {
					for _, q := range qs {
						if _, err := db.write.Exec(q); err != nil {
							b.Fatalf("%s: %v", q, err)
						}
					}
					// New connections read the new schema, statistics and settings.
					db.read.SetMaxIdleConns(0)
					db.read.SetMaxIdleConns(benchIdleConns[dialect])
				}
				exec(do)
				defer exec(undo)
				for _, sc := range scenarios {
					benchCheck(b, db, ctxOf(sc), sc.f)
					run(b, sc.name, findCases(sc))
				}
			})
		}
		if dialect == SQLite {
			proposal("analyzed", []string{`ANALYZE`}, benchDropStats)
		}
		if statusIndex {
			proposal("status-id", []string{`CREATE INDEX bench_cases_status_id ON cases (status, id)`},
				[]string{`DROP INDEX bench_cases_status_id`})
		}
		if dialect == Postgres {
			name := benchDatabaseName(b, db)
			proposal("work-mem", []string{`ALTER DATABASE ` + name + ` SET work_mem = '64MB'`},
				[]string{`ALTER DATABASE ` + name + ` RESET work_mem`})
		}
	})
}

// benchIdleConns is what open gives each dialect's read pool.
var benchIdleConns = map[string]int{SQLite: 4, Postgres: 10}

func benchDatabaseName(b *testing.B, db *DB) string {
	b.Helper()
	var name string
	if err := db.read.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		b.Fatal(err)
	}
	return name
}

// benchDropStats removes what ANALYZE leaves in a SQLite database. The
// store never runs ANALYZE, so a data set is measured without statistics.
var benchDropStats = []string{`DROP TABLE IF EXISTS sqlite_stat1`, `DROP TABLE IF EXISTS sqlite_stat4`,
	`ANALYZE sqlite_schema`} // reloads the (now missing) statistics

// benchWhere builds FindCases's conditions for the filters the scenarios use
// (scope, region, status, overdue, q) from the store's own pieces, and
// returns the FROM it pages and counts.
func benchWhere(ctx context.Context, db *DB, f lianluo.CaseFilter) (w *where, from string) {
	w = &where{}
	from = "cases c"
	scopeCases(w, lianluo.ActorFromContext(ctx), "c")
	benchFilters(db, w, f, func(w *where) string { return regionRange(w, "c.region_code", f.Region) })
	if q := strings.TrimSpace(f.Q); q != "" && searchJoin(db, w, "cases", "c", []string{"title", "content"}, q) {
		from = "cases_fts JOIN cases c ON c.id = cases_fts.rowid"
	}
	return w, from
}

// benchFilters adds the status, region and overdue filters; region builds
// the region condition.
func benchFilters(db *DB, w *where, f lianluo.CaseFilter, region func(w *where) string) {
	if len(f.Status) > 0 {
		var ph []string
		for _, s := range f.Status {
			ph = append(ph, w.arg(s))
		}
		w.add("c.status IN (" + strings.Join(ph, ", ") + ")")
	}
	if f.Region != "" {
		w.add(region(w))
	}
	if f.Overdue {
		w.add("c.status IN ('pending_approval', 'assigned', 'handling') AND c.due_at < " + w.arg(db.Now().UTC()))
	}
}

// benchExactCount counts every case FindCases selects.
func benchExactCount(ctx context.Context, db *DB, f lianluo.CaseFilter) (int, error) {
	w, from := benchWhere(ctx, db, f)
	var total int
	err := db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM `+from+w.String(), w.args...).Scan(&total)
	return total, err
}

// benchBefore is FindCases as it was before commit 59e5058 ("Case lists for
// a million cases"), for the scenarios' filters: one query whose
// COUNT(*) OVER () makes the database join, sort and count every match to
// return 20 rows.
func benchBefore(ctx context.Context, db *DB, f lianluo.CaseFilter) ([]*lianluo.Case, int, error) {
	var w where
	a := lianluo.ActorFromContext(ctx)
	switch {
	case a == nil:
		w.add("1 = 0")
	case !a.Scope.All:
		s := a.Scope
		var or []string
		for _, p := range s.Regions {
			or = append(or, "c.region_code LIKE "+w.arg(p+"%"))
		}
		if len(s.Orgs) > 0 {
			or = append(or, "c.org_id IN "+w.in(s.Orgs))
		}
		if len(s.Stations) > 0 {
			or = append(or, "c.station_id IN "+w.in(s.Stations))
		}
		if len(s.Deputies) > 0 {
			or = append(or, "c.id IN (SELECT case_id FROM case_deputies WHERE deputy_id IN "+w.in(s.Deputies)+")")
		}
		if len(s.Units) > 0 {
			or = append(or, "c.id IN (SELECT case_id FROM case_units WHERE org_id IN "+w.in(s.Units)+")")
		}
		addOr(&w, or)
	}
	benchFilters(db, &w, f, func(w *where) string { return "c.region_code LIKE " + w.arg(f.Region+"%") })
	if q := strings.TrimSpace(f.Q); q != "" {
		searchClause(db, &w, "cases", "c", []string{"title", "content"}, q)
	}
	q := `SELECT ` + caseColumns + `, COUNT(*) OVER ()` + caseFrom + w.String() + ` ORDER BY c.id DESC` + w.page(f.Page)
	out, total, err := queryList(ctx, db.reader(), q, w.args,
		func(sc interface{ Scan(...any) error }, c *lianluo.Case, n *int) error {
			return scanCase(db.keys, sc, c, n)
		})
	for _, c := range out {
		lianluo.MaskSubmitterFor(a, c)
	}
	return out, total, err
}

// benchCheck checks, once, that FindCases and the earlier query return the
// same page, and the totals agree.
func benchCheck(b *testing.B, db *DB, ctx context.Context, f lianluo.CaseFilter) {
	b.Helper()
	got, total, err := db.FindCases(ctx, f)
	if err != nil {
		b.Fatal(err)
	}
	if len(got) == 0 {
		b.Fatal("the scenario matches nothing: the data set does not fit it")
	}
	want, exact, err := benchBefore(ctx, db, f)
	if err != nil {
		b.Fatal(err)
	}
	if len(got) != len(want) {
		b.Fatalf("FindCases: %d rows; before %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID || got[i].StationName != want[i].StationName || got[i].RegionName != want[i].RegionName {
			b.Fatalf("FindCases: row %d is case %d; before %d", i, got[i].ID, want[i].ID)
		}
	}
	// FindCases counts nothing: the total is known only when the page
	// reaches the end of the matches.
	wantTotal := exact
	if f.Page.Offset()+len(got) < exact {
		wantTotal = lianluo.TotalUnknown
	}
	if n, err := benchExactCount(ctx, db, f); err != nil || n != exact || total != wantTotal {
		b.Fatalf("totals: FindCases %d, before %d, count %d (%v)", total, exact, n, err)
	}
}
