package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lianluo/internal/server/servertest"
)

// syncBuffer is a buffer safe for a server goroutine and the test.
type syncBuffer = servertest.SyncBuffer

func noEnv(string) string { return "" }

// dataEnv is an environment with LIANLUO_DATA_DIR set.
func dataEnv(dir string) func(string) string {
	return func(k string) string {
		if k == "LIANLUO_DATA_DIR" {
			return dir
		}
		return ""
	}
}

// runCmd runs the command with a data folder and returns its output.
func runCmd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, dataEnv(dir), &out, io.Discard)
	return out.String(), err
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Works on an empty data folder: the database is created and migrated.
	// The password policy applies: Admin@2026 holds the username.
	if _, err := runCmd(t, dir, "user", "add", "--username", "admin", "--password", "Admin@2026", "--role", "system_admin"); err == nil || !strings.Contains(err.Error(), "用户名") {
		t.Errorf("user add with Admin@2026: %v; want refused as holding the username", err)
	}
	out, err := runCmd(t, dir, "user", "add", "--username", "admin", "--password", "Beilun#2026q", "--role", "system_admin")
	if err != nil || !strings.Contains(out, "已创建用户 admin") {
		t.Fatalf("user add = %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lianluo.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
	// 三员分立: the old single role is refused with the roles that replace it.
	if _, err := runCmd(t, dir, "user", "add", "--username", "oldadmin", "--password", "Beilun#2026q", "--role", "admin"); err == nil || !strings.Contains(err.Error(), "security_admin") {
		t.Errorf(`user add --role admin: %v; want refused, naming the three administrator roles`, err)
	}
	// The start-up warning asks for the two administrators still missing.
	c := config{DataDir: dir, Addr: "127.0.0.1:0"}
	db, err := c.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var warn bytes.Buffer
	err = warnNoAdmin(context.Background(), db, &warn)
	db.Close()
	if err != nil || !strings.Contains(warn.String(), "尚无安全管理员、安全审计员") || !strings.Contains(warn.String(), "--role auditor") || strings.Contains(warn.String(), "--role system_admin") {
		t.Errorf("warnNoAdmin = %q, %v; want the security administrator and the auditor asked for", warn.String(), err)
	}
	if _, err := runCmd(t, dir, "user", "add", "--username", "weak", "--password", "abc", "--role", "system_admin"); err == nil || !strings.Contains(err.Error(), "密码") {
		t.Errorf("weak password: %v; want a Chinese password error", err)
	}
	if _, err := runCmd(t, dir, "user", "add", "--username", "admin", "--password", "Beilun#2026q", "--role", "system_admin"); err == nil || !strings.Contains(err.Error(), "已被使用") {
		t.Errorf("duplicate user: %v", err)
	}
	if _, err := runCmd(t, dir, "user", "passwd", "--username", "admin", "--password", "P@ssw0rd2026"); err == nil || !strings.Contains(err.Error(), "常见") {
		t.Errorf("passwd P@ssw0rd2026: %v; want refused as common", err)
	}
	if _, err := runCmd(t, dir, "user", "passwd", "--username", "admin", "--password", "Other@2026x"); err != nil {
		t.Errorf("passwd: %v", err)
	}
	if _, err := runCmd(t, dir, "user", "add", "--username", "shenji", "--name", "审计员赵", "--password", "Audit#2026qz", "--role", "auditor"); err != nil {
		t.Errorf("user add --role auditor: %v", err)
	}
	out, err = runCmd(t, dir, "user", "list")
	if err != nil || !strings.Contains(out, "admin") || !strings.Contains(out, "系统管理员") || !strings.Contains(out, "安全审计员") {
		t.Errorf("user list = %q, %v", out, err)
	}
}

func TestDemoBackupAndMigrate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := runCmd(t, dir, "demo")
	if err != nil || !strings.Contains(out, "宁波市北仑区") || !strings.Contains(out, "admin") {
		t.Fatalf("demo = %q, %v", out, err)
	}
	out, err = runCmd(t, dir, "demo")
	if err != nil || !strings.Contains(out, "已载入过") {
		t.Errorf("second demo = %q, %v", out, err)
	}
	// The demo's workflow queued notifications; one run delivers them.
	if out, err := runCmd(t, dir, "jobs", "run-once"); err != nil || !strings.Contains(out, "已完成") {
		t.Errorf("jobs run-once = %q, %v", out, err)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if _, err := runCmd(t, dir, "backup", "--out", backup); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if _, err := runCmd(t, dir, "backup", "--out", backup); err == nil {
		t.Errorf("backup over an existing file succeeded")
	}
	var o bytes.Buffer
	if err := run(context.Background(), []string{"user", "list", "--database", "sqlite:" + backup}, dataEnv(dir), &o, io.Discard); err != nil || !strings.Contains(o.String(), "stationhead") {
		t.Errorf("users in the backup = %q, %v", o.String(), err)
	}
	out, err = runCmd(t, dir, "migrate", "--status")
	if err != nil || !regexp.MustCompile(`schema version (\d+) \(this lianluo knows (\d+)\)`).MatchString(out) {
		t.Errorf("migrate --status = %q, %v", out, err)
	}
	// Export and re-import: the same sheet again is refused whole (duplicates).
	xlsx := filepath.Join(t.TempDir(), "orgs.xlsx")
	if _, err := runCmd(t, dir, "export", "orgs", "--out", xlsx); err != nil {
		t.Fatalf("export: %v", err)
	}
	if _, err := runCmd(t, dir, "import", "orgs", xlsx); err == nil || !strings.Contains(err.Error(), "第2行") {
		t.Errorf("re-import of the export: %v; want row errors", err)
	}
	tmpl := filepath.Join(t.TempDir(), "t.xlsx")
	if _, err := runCmd(t, dir, "export", "template", "deputies", "--out", tmpl); err != nil {
		t.Errorf("template: %v", err)
	}
}

func TestBadArguments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"frobnicate"},
		{"serve", "--database", "mysql://x"},
		{"serve", "--addr", "nonsense"},
		{"serve", "--public-url", "ftp://lianluo.example.cn"},
		{"serve", "--public-url", "lianluo.example.cn"},
		{"import", "planets"},
		{"export", "orgs"},
		{"backup"},
		{"user", "explode"},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, dataEnv(dir), &out, io.Discard); err == nil {
			t.Errorf("lianluo %v succeeded; want an error", args)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, noEnv, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "lianluo ") {
		t.Errorf("version = %q, %v", out.String(), err)
	}
}

// serve starts on an empty data folder with the demo, answers, and stops
// cleanly when its context ends (as on SIGTERM).
func TestServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--data", dir, "--addr", "127.0.0.1:0", "--public-url", "https://lianluo.example.cn"}, noEnv, &out, &logs)
	}()
	addrRe := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/console/`)
	var addr string
	// The demo load's bound: half a minute alone, more on a machine shared with other builds.
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s\n%s", err, out.String(), logs.String())
		default:
		}
	}
	if addr == "" {
		t.Fatalf("serve did not start:\n%s\n%s", out.String(), logs.String())
	}
	for _, p := range []string{"/healthz", "/readyz", "/console/login", "/api/v1/openapi.json", "/"} {
		res, err := http.Get("http://" + addr + p)
		if err != nil || res.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", p, res, err)
		} else {
			res.Body.Close()
		}
	}
	// The posters print the configured public address, not the listener's.
	if res, err := http.Get("http://" + addr + "/stations/1/poster"); err != nil {
		t.Error(err)
	} else {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), "https://lianluo.example.cn/submit?station=1") {
			t.Errorf("poster lacks the public URL:\n%s", body)
		}
	}
	// Both sites are named, and the accounts come last, after the addresses.
	checkWelcome(t, out.String(), addr, "已载入演示数据")
	// One log line per request, without query strings.
	http.Get("http://" + addr + "/api/v1/regions?q=13912345678")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if l := logs.String(); !strings.Contains(l, "path=/healthz") || strings.Contains(l, "13912345678") || !strings.Contains(l, "stopped") {
		t.Errorf("logs:\n%s", l)
	}

	// A second start says the demo is there already, and prints the accounts again.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var out2 syncBuffer
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--data", dir, "--addr", "127.0.0.1:0"}, noEnv, &out2, io.Discard)
	}()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !strings.Contains(out2.String(), "unit "); time.Sleep(50 * time.Millisecond) {
	}
	m := addrRe.FindStringSubmatch(out2.String())
	if m == nil {
		t.Fatalf("second serve did not start:\n%s", out2.String())
	}
	checkWelcome(t, out2.String(), m[1], "演示数据已在先前载入")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("second serve returned %v", err)
	}
}

// checkWelcome checks serve's welcome: the public site and the console at
// addr, then the demo's words and its accounts, in that order.
func checkWelcome(t *testing.T, out, addr, demoWords string) {
	t.Helper()
	order := []string{"http://" + addr + "/\n", "http://" + addr + "/console/", demoWords, "演示账号", "admin ", "deputy ", "unit "}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Errorf("serve's output lacks %q after position %d:\n%s", s, at, out)
			return
		}
		at += i + len(s)
	}
}
