package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// lianluo bench: load tests a real server over HTTP on the loopback.
//
// The server is a child process (this binary, or --server-bin, run as
// `serve`), so that the RSS read from /proc/<pid>/status is the server's
// own and not the load generator's. The data set is the data folder or
// database given, with the demo district loaded into it first (`demo`, with
// --cases N passed on). Every workload runs --clients concurrent clients,
// each with its own keep-alive connection, for a warm-up second that is not
// counted and then --duration.
//
// Logins: the server allows 10 logins a minute per username and 20 per
// address (server.DefaultLoginLimits), so each demo account logs in once
// and its clients share the bearer token, as a clerk's browser tabs share
// a session.

// benchWorkloads are the workloads in the order they run (--only picks).
var benchWorkloads = []string{"create", "station", "town", "district", "status", "unit", "category", "region",
	"overdue", "dates", "deputy", "todo", "unit-todo", "deputy-todo", "todo-list", "search-frequent", "search-rare", "action"}

type benchOptions struct {
	clients        int
	duration       time.Duration
	warmup         time.Duration
	only           []string
	json           bool
	cases          int
	serverBin      string
	frequent, rare string
	c              config
}

// benchResult is one workload's line.
type benchResult struct {
	Workload   string  `json:"workload"`
	Detail     string  `json:"detail,omitempty"`
	Requests   int     `json:"requests"`
	PerSecond  float64 `json:"req_per_s"`
	P50ms      float64 `json:"p50_ms"`
	P95ms      float64 `json:"p95_ms"`
	P99ms      float64 `json:"p99_ms"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
	RSSMB      float64 `json:"rss_mb"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	Skipped    string  `json:"skipped,omitempty"`
}

type benchReport struct {
	Database      string        `json:"database"`
	Server        string        `json:"server"`
	Cases         int           `json:"cases_visible_to_office"` // countCap+1: more than countCap
	Clients       int           `json:"clients"`
	DurationS     float64       `json:"duration_s"`
	WarmupS       float64       `json:"warmup_s"`
	StartupRSSMB  float64       `json:"startup_rss_mb"`
	LoadAvgStart  string        `json:"loadavg_start"`
	LoadAvgEnd    string        `json:"loadavg_end"`
	Workloads     []benchResult `json:"workloads"`
	ServerStartMS int64         `json:"server_start_ms"`
	Machine       benchMachine  `json:"machine"`
}

func cmdBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var o benchOptions
	fs := o.c.flags("bench", getenv, stderr)
	fs.IntVar(&o.clients, "clients", 16, "concurrent HTTP clients per workload")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "measured time per workload")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "time per workload before measuring (not counted)")
	only := fs.String("only", "", "comma-separated workloads to run (default all): "+strings.Join(benchWorkloads, ","))
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	fs.IntVar(&o.cases, "cases", 0, "run `demo --cases N` first: adds N generated cases, on every run (omit it to reuse a data set)")
	fs.StringVar(&o.serverBin, "server-bin", "", "the lianluo binary to run as the server (default: this one)")
	fs.StringVar(&o.frequent, "frequent", "", "the search-frequent term (default: the most frequent of a few found in the data)")
	fs.StringVar(&o.rare, "rare", "", "the search-rare term (default: the least frequent of a few found in the data)")
	if err := o.c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	if err := o.c.validate(); err != nil {
		return err
	}
	if o.clients < 1 || o.duration <= 0 || o.warmup < 0 {
		return errors.New("bench: --clients must be at least 1 and --duration positive")
	}
	if *only != "" {
		for _, w := range strings.Split(*only, ",") {
			w = strings.TrimSpace(w)
			if !slices.Contains(benchWorkloads, w) {
				return fmt.Errorf("bench: unknown workload %q (known: %s)", w, strings.Join(benchWorkloads, ","))
			}
			o.only = append(o.only, w)
		}
	} else {
		o.only = benchWorkloads
	}
	if o.serverBin == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench: find this binary: %w", err)
		}
		o.serverBin = exe
	}
	return o.run(ctx, stdout, stderr)
}

// dataEnv is the environment of the child commands: this one's, with the
// data settings given to bench (the database URL in the environment, not
// on a command line that ps shows).
func (o *benchOptions) dataEnv() []string {
	return append(os.Environ(), "LIANLUO_DATA_DIR="+o.c.DataDir, "LIANLUO_DATABASE_URL="+o.c.DatabaseURL, "LIANLUO_KEY_FILE="+o.c.KeyFile)
}

func (o *benchOptions) describeDatabase() string {
	u := o.c.DatabaseURL
	if u == "" {
		return "SQLite in " + o.c.DataDir
	}
	if p, err := url.Parse(u); err == nil && p.Scheme != "" {
		return p.Redacted()
	}
	return u
}

func (o *benchOptions) run(ctx context.Context, stdout, stderr io.Writer) (err error) {
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }

	// The demo district: its accounts are the clients' (idempotent: a
	// loaded district is left as it is).
	demoArgs := []string{"demo"}
	if o.cases > 0 {
		demoArgs = append(demoArgs, "--cases", strconv.Itoa(o.cases))
	}
	logf("%s on %s", strings.Join(demoArgs, " "), o.describeDatabase())
	demo := exec.CommandContext(ctx, o.serverBin, demoArgs...)
	demo.Env = o.dataEnv()
	out, err := demo.CombinedOutput()
	if err != nil {
		if o.cases > 0 && strings.Contains(string(out), "not defined: -cases") {
			first, _, _ := strings.Cut(string(out), "\n")
			return fmt.Errorf("bench: this lianluo's demo does not take --cases (it has no case generator yet: %s); run bench without --cases on the data set as it is", first)
		}
		return fmt.Errorf("bench: demo: %w\n%s", err, out)
	}
	if line, _, _ := strings.Cut(string(out), "\n"); line != "" {
		logf("%s", line)
	}

	srv, err := startBenchServer(ctx, o.serverBin, o.dataEnv(), logf)
	if err != nil {
		return err
	}
	defer func() {
		srv.stop()
		if err == nil {
			os.Remove(srv.logPath) // kept when something went wrong
		}
	}()

	rep := benchReport{Database: o.describeDatabase(), Server: o.serverBin, Clients: o.clients,
		DurationS: o.duration.Seconds(), WarmupS: o.warmup.Seconds(), ServerStartMS: srv.startup.Milliseconds()}
	rep.StartupRSSMB, _ = procRSS(srv.cmd.Process.Pid)

	env, err := newBenchEnv(ctx, srv.base, o, logf)
	if err != nil {
		return err
	}
	rep.Cases = env.total
	dir := o.c.DataDir
	if o.c.DatabaseURL != "" {
		dir = os.TempDir()
	}
	if rep.Machine, err = measureMachine(dir); err != nil {
		return err
	}
	rep.LoadAvgStart = loadAvg()
	if !o.json {
		fmt.Fprintf(stdout, "lianluo bench: %s; %s cases visible to office; %d clients, %s per workload after %s warm-up; server pid %d, started in %d ms, RSS %.1f MB\n",
			rep.Database, countText(env.total), o.clients, o.duration, o.warmup, srv.cmd.Process.Pid, rep.ServerStartMS, rep.StartupRSSMB)
		fmt.Fprintln(stdout, rep.Machine)
		fmt.Fprintf(stdout, "%-16s %9s %9s %8s %8s %8s %7s %8s %8s  %s\n", "workload", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "RSS MB", "peak MB", "detail")
	}
	for _, name := range o.only {
		if err := ctx.Err(); err != nil {
			return err
		}
		if srv.exited() {
			return fmt.Errorf("bench: the server stopped; its log: %s", srv.logPath)
		}
		r := env.runWorkload(ctx, name)
		r.RSSMB, r.PeakRSSMB = procRSS(srv.cmd.Process.Pid)
		rep.Workloads = append(rep.Workloads, r)
		if !o.json {
			printBenchLine(stdout, r)
		}
	}
	rep.LoadAvgEnd = loadAvg()
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(stdout, "load average (1, 5, 15 min): start %s, end %s\n", rep.LoadAvgStart, rep.LoadAvgEnd)
	return nil
}

func countText(n int) string {
	if n > countCap {
		return "more than " + strconv.Itoa(countCap)
	}
	return strconv.Itoa(n)
}

// countCap is as far as bench counts a list: the API gives a total only
// when it is cheap (has_more otherwise), so bench pages through at most
// this many.
const countCap = 500

func printBenchLine(w io.Writer, r benchResult) {
	if r.Skipped != "" {
		fmt.Fprintf(w, "%-16s skipped: %s\n", r.Workload, r.Skipped)
		return
	}
	fmt.Fprintf(w, "%-16s %9d %9.1f %8.1f %8.1f %8.1f %7d %8.1f %8.1f  %s\n", r.Workload, r.Requests, r.PerSecond,
		r.P50ms, r.P95ms, r.P99ms, r.Errors, r.RSSMB, r.PeakRSSMB, r.Detail)
	if r.FirstError != "" {
		fmt.Fprintf(w, "%-16s first error: %s\n", "", r.FirstError)
	}
}

// benchNewCases are what the create workload registers, in turn.
var benchNewCases = []struct{ title, content, category, channel string }{
	{"小区路灯不亮", "新碶街道某小区3号楼前两盏路灯坏了三个星期，晚上老人出行不便，请尽快修复。", "道路照明", "visit"},
	{"菜场门口占道经营", "菜场东门早上摊贩占道，电动车和行人挤在一起，存在安全隐患，希望加强管理。", "市场监管", "phone"},
	{"工地夜间施工噪声扰民", "附近工地晚上十点后仍在施工，噪声影响休息，希望督促施工单位遵守作业时间。", "噪声扰民", "visit"},
	{"雨后路面积水严重", "交叉口每逢大雨积水没过脚踝，行人只能绕行，建议疏通雨水管道。", "道路维修", "letter"},
	{"学校门口接送拥堵", "放学时段校门口车辆拥堵，建议设置临时停车区并安排人员疏导。", "停车管理", "mailbox"},
	{"老旧小区加装电梯", "小区多栋六层住宅老人居多，上下楼困难，希望推进加装电梯。", "小区物业", "visit"},
}

// runWorkload runs one workload with the clients, each on its own
// keep-alive connection, and measures the requests after the warm-up.
func (e *benchEnv) runWorkload(ctx context.Context, name string) benchResult {
	r := benchResult{Workload: name}
	list := func(user, query string) func(ctx context.Context, hc *http.Client, i int) (int, []byte, error) {
		return func(ctx context.Context, hc *http.Client, i int) (int, []byte, error) {
			return benchCall(ctx, hc, "GET", e.base+"/api/v1/cases"+query, e.tokens[user], nil, nil)
		}
	}
	var do func(ctx context.Context, hc *http.Client, i int) (int, []byte, error)
	switch name {
	case "create":
		r.Detail = fmt.Sprintf("liaison: POST /api/v1/cases at station %d", e.station)
		do = func(ctx context.Context, hc *http.Client, i int) (int, []byte, error) {
			c := benchNewCases[i%len(benchNewCases)]
			body := map[string]any{"kind": "opinion", "channel": c.channel, "station_id": e.station, "title": c.title,
				"content": c.content, "category": c.category, "region_code": e.stRegion,
				"submitter": map[string]any{"name": "王建国", "phone": fmt.Sprintf("139%08d", i%100000000)}}
			return benchCall(ctx, hc, "POST", e.base+"/api/v1/cases", e.tokens["liaison"], body, nil)
		}
	case "station":
		q := fmt.Sprintf("?station_id=%d", e.station)
		r.Detail, do = "liaison "+q, list("liaison", q)
	case "town":
		r.Detail, do = "town: first page", list("town", "")
	case "district":
		r.Detail, do = "office: first page", list("office", "")
	case "status":
		q := "?status=assigned,handling"
		r.Detail, do = "office "+q, list("office", q)
	case "unit":
		q := fmt.Sprintf("?unit_id=%d", e.unit)
		r.Detail, do = "office "+q, list("office", q)
	case "category":
		q := "?category=" + url.QueryEscape(e.category)
		r.Detail, do = "office ?category="+e.category, list("office", q)
	case "region":
		q := "?region=" + url.QueryEscape(e.region)
		r.Detail, do = "office "+q, list("office", q)
	case "overdue":
		q := "?overdue=true"
		r.Detail, do = "office "+q, list("office", q)
	case "dates":
		q := "?from=" + e.from + "&to=" + e.to
		r.Detail, do = "office "+q, list("office", q)
	case "deputy":
		// A deputy's cases, first page: those of the stations it sits at
		// and those it received, as its phone shows them.
		r.Detail, do = "deputy: first page", list("deputy", "")
	case "todo", "unit-todo", "deputy-todo":
		// Each user's to-do counts (我的待办), as the console's home page
		// and the deputy's phone ask for them.
		user, _ := strings.CutSuffix(name, "-todo")
		if user == "todo" {
			user = "office"
		}
		r.Detail = user + ": GET /api/v1/cases/todo"
		do = func(ctx context.Context, hc *http.Client, i int) (int, []byte, error) {
			return benchCall(ctx, hc, "GET", e.base+"/api/v1/cases/todo", e.tokens[user], nil, nil)
		}
	case "todo-list":
		// A department handler's 待答复, the list it works from.
		r.Detail, do = "unit ?todo=reply", list("unit", "?todo=reply")
	case "search-frequent", "search-rare":
		t := e.frequent
		if name == "search-rare" {
			t = e.rare
		}
		// Counted again now: the create workload may have added some.
		n, err := e.count(ctx, t)
		if err != nil {
			r.Skipped = err.Error()
			return r
		}
		r.Detail = fmt.Sprintf("office ?q=%s (%s cases)", t, countText(n))
		do = list("office", "?q="+url.QueryEscape(t))
	case "action":
		if len(e.urgeable) == 0 {
			r.Skipped = "no assigned or handling case of the office's own org to urge"
			return r
		}
		// A pool of cases, each urged by one client at a time with the
		// version its last urge returned: no client loses a race for a
		// version. With fewer cases than clients, that many run at once.
		pool := make(chan caseRef, len(e.urgeable))
		for _, c := range e.urgeable {
			pool <- c
		}
		n := min(len(e.urgeable), e.o.clients)
		r.Detail = fmt.Sprintf("office: urge on %d assigned/handling cases, %d at once", len(e.urgeable), n)
		do = func(ctx context.Context, hc *http.Client, i int) (int, []byte, error) {
			var c caseRef
			select {
			case c = <-pool:
			case <-ctx.Done():
				return 0, nil, ctx.Err()
			}
			var got caseRef
			st, b, err := benchCall(ctx, hc, "POST", fmt.Sprintf("%s/api/v1/cases/%d/actions/urge", e.base, c.ID), e.tokens["office"],
				map[string]any{"version": c.Version, "comment": "请抓紧办理，按时答复。"}, &got)
			if err == nil && st == 200 {
				c.Version = got.Version
			} else if st == 409 {
				// Someone else moved it: read the version again.
				var cur caseRef
				if _, _, err := benchCall(ctx, hc, "GET", fmt.Sprintf("%s/api/v1/cases/%d", e.base, c.ID), e.tokens["office"], nil, &cur); err == nil && cur.Version > 0 {
					c.Version = cur.Version
				}
			}
			pool <- c
			return st, b, err
		}
	default:
		r.Skipped = "unknown workload"
		return r
	}
	return e.measure(ctx, r, do)
}

func (e *benchEnv) measure(ctx context.Context, r benchResult, do func(ctx context.Context, hc *http.Client, i int) (int, []byte, error)) benchResult {
	start := time.Now()
	measureFrom := start.Add(e.o.warmup)
	end := measureFrom.Add(e.o.duration)
	// Requests in flight at the end finish (and are not counted) rather
	// than being cancelled: a cancelled request is a 500 in the server's log.
	var (
		mu        sync.Mutex
		lat       []time.Duration
		errs      int
		firstErr  string
		wg        sync.WaitGroup
		seq       int
		seqMu     sync.Mutex
		nextIndex = func() int { seqMu.Lock(); defer seqMu.Unlock(); seq++; return seq }
	)
	for w := 0; w < e.o.clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1, DisableCompression: true}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr}
			var mine []time.Duration
			myErrs, myFirst := 0, ""
			for {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				st, body, err := do(ctx, hc, nextIndex())
				t1 := time.Now()
				if t1.After(end) || ctx.Err() != nil {
					break // finished after the end: not counted
				}
				if t0.Before(measureFrom) {
					continue
				}
				mine = append(mine, t1.Sub(t0))
				if err != nil || st/100 != 2 {
					myErrs++
					if myFirst == "" {
						if err != nil {
							myFirst = err.Error()
						} else {
							myFirst = fmt.Sprintf("%d %s", st, truncateBody(body))
						}
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += myErrs
			if firstErr == "" {
				firstErr = myFirst
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r.Requests, r.Errors, r.FirstError = len(lat), errs, firstErr
	r.PerSecond = float64(len(lat)) / e.o.duration.Seconds()
	r.P50ms, r.P95ms, r.P99ms = pctMS(lat, 0.50), pctMS(lat, 0.95), pctMS(lat, 0.99)
	return r
}

func truncateBody(b []byte) string {
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

// pctMS is the p-th quantile of sorted latencies in milliseconds (nearest rank).
func pctMS(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return float64(sorted[i].Microseconds()) / 1000
}
