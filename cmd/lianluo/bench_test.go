package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// benchChildEnv makes this test binary act as lianluo itself. bench runs
// its server (and demo) as child processes of os.Executable(), which in a
// test is the test binary: with this variable set, the child runs main
// before any test and exits, so the test needs neither a `go build` nor a
// --server-bin. The variable reaches the children because they inherit
// the environment.
const benchChildEnv = "LIANLUO_BENCH_TEST_CHILD"

func init() {
	if os.Getenv(benchChildEnv) == "1" {
		main()
		os.Exit(0)
	}
}

// TestBench runs four short workloads against a real server process on a
// fresh data folder (bench loads the demo into it) and checks that every
// line counts requests and no error. Not parallel: it sets the environment.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	t.Setenv(benchChildEnv, "1")
	dir := t.TempDir()
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"bench", "--data", dir, "--duration", "1s", "--clients", "2",
		"--only", "create,station,search-frequent,deputy,deputy-todo"}, noEnv, &out, &errb)
	if err != nil {
		t.Fatalf("bench: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
	}
	want := map[string]bool{"create": true, "station": true, "search-frequent": true, "deputy": true, "deputy-todo": true}
	seen := map[string]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || !want[f[0]] {
			continue
		}
		seen[f[0]] = true
		requests, err1 := strconv.Atoi(f[1])
		errs, err2 := strconv.Atoi(f[6])
		if err1 != nil || err2 != nil || requests == 0 || errs != 0 {
			t.Errorf("%s: want requests > 0 and 0 errors:\n%s", f[0], line)
		}
		if rss, err := strconv.ParseFloat(f[7], 64); err != nil || rss <= 0 {
			t.Errorf("%s: no server RSS: %s", f[0], line)
		}
	}
	var sync50, sync90, sha float64
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "machine:") {
			if _, err := fmt.Sscanf(line, "machine: 8 KiB write + fsync p50 %f µs, p90 %f µs; SHA-256 %f MB/s on one core", &sync50, &sync90, &sha); err != nil {
				t.Errorf("machine line: %v: %q", err, line)
			}
		}
	}
	if sync50 <= 0 || sync90 < sync50 || sha <= 0 {
		t.Errorf("want the machine's synced write (p50 %v ≤ p90 %v) and SHA-256 speed (%v) measured:\n%s", sync50, sync90, sha, out.String())
	}
	if len(seen) != len(want) || !strings.Contains(out.String(), "load average") {
		t.Errorf("want a line for create, station, search-frequent, deputy and deputy-todo and the load average; got\n%s\nstderr:\n%s", out.String(), errb.String())
	}
}
