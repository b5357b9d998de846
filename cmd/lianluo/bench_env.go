package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
)

// The bench's server (a serve child process) and its data: the accounts'
// tokens, the ids and terms the workloads use.

// benchServer is the child serve process.
type benchServer struct {
	cmd     *exec.Cmd
	base    string
	logPath string
	logFile *os.File
	startup time.Duration
	done    chan struct{}
}

// startBenchServer runs `serve` on a free loopback port, without background
// jobs (their sweeps and deliveries would be noise in the figures), and
// waits until it answers /healthz.
func startBenchServer(ctx context.Context, bin string, env []string, logf func(string, ...any)) (*benchServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logFile, err := os.CreateTemp("", "lianluo-bench-server-*.log")
	if err != nil {
		return nil, err
	}
	// Flags win over the LIANLUO_* variables the child inherits: plain HTTP,
	// no demo loading, no jobs, templates compiled once.
	cmd := exec.Command(bin, "serve", "--addr", addr, "--jobs=false", "--demo=false", "--dev=false", "--tls-cert=", "--tls-key=")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	start := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("bench: start the server: %w", err)
	}
	s := &benchServer{cmd: cmd, base: "http://" + addr, logPath: logFile.Name(), logFile: logFile, done: make(chan struct{})}
	go func() { cmd.Wait(); close(s.done) }()
	logf("server pid %d on %s (log: %s, removed after a run without error)", cmd.Process.Pid, addr, s.logPath)
	for {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("bench: the server stopped at start; its log (%s):\n%s", s.logPath, tail(s.logPath, 2000))
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Since(start) > 5*time.Minute {
			s.stop()
			return nil, fmt.Errorf("bench: the server did not answer within 5 minutes; its log: %s", s.logPath)
		}
	}
	s.startup = time.Since(start)
	return s, nil
}

func (s *benchServer) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// stop ends the server gracefully (SIGTERM), or kills it after 30 s.
func (s *benchServer) stop() {
	if !s.exited() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	}
	s.logFile.Close()
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// procRSS reads the process's resident set now (VmRSS) and at its peak
// (VmHWM), in MB; zeros where /proc is not available.
func procRSS(pid int) (rss, peak float64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if k == "VmRSS" {
			rss = kb / 1024
		} else {
			peak = kb / 1024
		}
	}
	return rss, peak
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// benchEnv is what the workloads need: tokens and IDs found through the API.
type benchEnv struct {
	base     string
	o        *benchOptions
	tokens   map[string]string // username → bearer token
	office   int64             // the office's org
	station  int64             // the liaison's station
	stRegion string            // its region, for new cases
	unit     int64             // the unit account's org
	category string            // the most common category on the district's first page
	region   string            // the most common region there
	frequent string
	rare     string
	urgeable []caseRef // assigned or handling cases of the office's own org
	total    int
	from, to string
}

type caseRef struct {
	ID      int64 `json:"id"`
	Version int   `json:"version"`
	OrgID   int64 `json:"org_id"`
}

type benchCase struct {
	caseRef
	Title      string `json:"title"`
	Category   string `json:"category"`
	RegionCode string `json:"region_code"`
	Status     string `json:"status"`
}

// setupClient is for the requests outside the measurement.
var setupClient = &http.Client{Timeout: 5 * time.Minute}

// call sends a JSON request and decodes a 2xx answer into out.
func benchCall(ctx context.Context, hc *http.Client, method, u, token string, body, out any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if out == nil && resp.StatusCode/100 == 2 {
		// Read to its end and dropped: kept in memory, the bodies were
		// the load generator's own garbage, and its collections took
		// CPU from the server on the same cores (BENCHMARKS.md).
		_, err := io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, b, nil
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, b, fmt.Errorf("decode %s: %w", u, err)
		}
	}
	return resp.StatusCode, b, nil
}

// get is a setup GET that must succeed.
func (e *benchEnv) get(ctx context.Context, user, path string, out any) error {
	st, b, err := benchCall(ctx, setupClient, "GET", e.base+path, e.tokens[user], nil, out)
	if err != nil {
		return fmt.Errorf("bench: GET %s as %s: %w", path, user, err)
	}
	if st/100 != 2 {
		return fmt.Errorf("bench: GET %s as %s: %d %s", path, user, st, b)
	}
	return nil
}

type benchList struct {
	Items   []benchCase `json:"items"`
	Total   *int        `json:"total"` // only when cheap to know
	HasMore bool        `json:"has_more"`
}

func newBenchEnv(ctx context.Context, base string, o *benchOptions, logf func(string, ...any)) (*benchEnv, error) {
	e := &benchEnv{base: base, o: o, tokens: map[string]string{}}
	type role struct {
		OrgID     int64 `json:"org_id"`
		StationID int64 `json:"station_id"`
	}
	roles := map[string]role{}
	for _, user := range []string{"liaison", "town", "office", "unit", "deputy"} {
		var resp struct {
			Token string `json:"token"`
			User  struct {
				Roles []role `json:"roles"`
			} `json:"user"`
		}
		st, b, err := benchCall(ctx, setupClient, "POST", base+"/api/v1/auth/login", "",
			map[string]string{"username": user, "password": "Lianluo@2026"}, &resp)
		if err != nil {
			return nil, fmt.Errorf("bench: log in as %s: %w", user, err)
		}
		if st != 200 || resp.Token == "" || len(resp.User.Roles) == 0 {
			return nil, fmt.Errorf("bench: log in as %s (a demo account, password Lianluo@2026): %d %s", user, st, b)
		}
		e.tokens[user] = resp.Token
		roles[user] = resp.User.Roles[0]
	}
	e.station, e.office, e.unit = roles["liaison"].StationID, roles["office"].OrgID, roles["unit"].OrgID

	var st benchList
	if err := e.get(ctx, "liaison", fmt.Sprintf("/api/v1/cases?station_id=%d&per_page=1", e.station), &st); err != nil {
		return nil, err
	}
	e.stRegion = "330206004" // 大碶街道, the demo's station, if it has no case yet
	if len(st.Items) > 0 {
		e.stRegion = st.Items[0].RegionCode
	}

	// The district's first 100: the most common category and region, and
	// candidate search terms from their titles.
	var dist benchList
	if err := e.get(ctx, "office", "/api/v1/cases?per_page=100", &dist); err != nil {
		return nil, err
	}
	total, err := e.countList(ctx, "/api/v1/cases?")
	if err != nil {
		return nil, err
	}
	e.total = total
	cats, regions := map[string]int{}, map[string]int{}
	for _, c := range dist.Items {
		cats[c.Category]++
		regions[c.RegionCode]++
	}
	e.category, e.region = mostCommon(cats), mostCommon(regions)

	// The office urges its own org's cases that are assigned or in hand.
	var inHand benchList
	if err := e.get(ctx, "office", "/api/v1/cases?status=assigned,handling&per_page=100", &inHand); err != nil {
		return nil, err
	}
	for _, c := range inHand.Items {
		if c.OrgID == e.office {
			e.urgeable = append(e.urgeable, c.caseRef)
		}
	}

	now := time.Now().In(time.FixedZone("CST", 8*3600))
	e.to, e.from = now.Format("2006-01-02"), now.AddDate(0, 0, -30).Format("2006-01-02")

	if slices.Contains(o.only, "search-frequent") || slices.Contains(o.only, "search-rare") {
		if err := e.pickTerms(ctx, dist.Items, logf); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func mostCommon(m map[string]int) string {
	best, n := "", 0
	for k, v := range m {
		if k != "" && (v > n || v == n && k < best) {
			best, n = k, v
		}
	}
	return best
}

// pickTerms counts a few two-character terms (common ones of the domain,
// then bigrams of the titles on the district's first page) and takes the
// most and the least frequent found, unless --frequent and --rare name them.
// Terms of bench's own new cases are left out of the rare candidates.
func (e *benchEnv) pickTerms(ctx context.Context, items []benchCase, logf func(string, ...any)) error {
	own := map[string]bool{}
	for _, c := range benchNewCases {
		for _, t := range hanBigrams(c.title + c.content) {
			own[t] = true
		}
	}
	cands := []string{"路灯", "小区", "停车", "垃圾", "道路", "噪声"}
	seen := map[string]bool{}
	for _, t := range cands {
		seen[t] = true
	}
	for _, c := range items {
		for _, t := range hanBigrams(c.Title) {
			if !seen[t] && len(cands) < 30 {
				seen[t] = true
				cands = append(cands, t)
			}
		}
	}
	count := func(t string) (int, error) { return e.count(ctx, t) }
	if e.o.frequent != "" {
		cands = nil
		e.frequent = e.o.frequent
	}
	if e.o.rare != "" {
		e.rare = e.o.rare
	}
	if e.frequent != "" && e.rare != "" {
		return nil
	}
	if len(cands) == 0 {
		cands = []string{"路灯"}
	}
	logf("counting %d candidate search terms", len(cands))
	freqN, rareN := -1, -1
	var freq, rare string
	for _, t := range cands {
		n, err := count(t)
		if err != nil {
			return err
		}
		if n > freqN {
			freq, freqN = t, n
		}
		if n > 0 && !own[t] && (rareN < 0 || n < rareN) {
			rare, rareN = t, n
		}
	}
	if e.frequent == "" {
		e.frequent = freq
	}
	if e.rare == "" {
		if rare == "" || rareN > countCap { // none rare among the candidates
			rare = "璎珞"
		}
		e.rare = rare
	}
	return nil
}

// count is the number of the office's cases that a search for t finds
// (countCap+1: more than countCap).
func (e *benchEnv) count(ctx context.Context, t string) (int, error) {
	return e.countList(ctx, "/api/v1/cases?q="+url.QueryEscape(t)+"&")
}

// countList counts the office's list at path (ending in ? or &), page by
// page, up to countCap+1.
func (e *benchEnv) countList(ctx context.Context, path string) (int, error) {
	const per = 100
	n := 0
	for page := 1; n <= countCap; page++ {
		var l benchList
		if err := e.get(ctx, "office", fmt.Sprintf("%sper_page=%d&page=%d", path, per, page), &l); err != nil {
			return 0, err
		}
		if l.Total != nil {
			return *l.Total, nil
		}
		n += len(l.Items)
		if !l.HasMore {
			return n, nil
		}
	}
	return countCap + 1, nil
}

// hanBigrams are the pairs of adjacent Han characters of s.
func hanBigrams(s string) []string {
	var out []string
	r := []rune(s)
	for i := 0; i+1 < len(r); i++ {
		if unicode.Is(unicode.Han, r[i]) && unicode.Is(unicode.Han, r[i+1]) {
			out = append(out, string(r[i:i+2]))
		}
	}
	return out
}
