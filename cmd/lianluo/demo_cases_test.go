package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"lianluo/internal/sqlstore"

	_ "modernc.org/sqlite"
)

// demo --cases N loads the demo district, then adds N generated opinions;
// run again, it adds N more. The statistics and the audit chain still agree.
func TestDemoCases(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := runCmd(t, dir, "demo", "--cases", "200")
	if err != nil || !strings.Contains(out, "宁波市北仑区") || !strings.Contains(out, "已生成演示意见 200 件") || !strings.Contains(out, "每秒") {
		t.Fatalf("demo --cases 200 = %q, %v", out, err)
	}
	cases := func() int {
		t.Helper()
		raw, err := sql.Open("sqlite", sqlstore.SQLiteDSN(filepath.Join(dir, "lianluo.db")))
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := cases()
	out, err = runCmd(t, dir, "demo", "--cases", "100")
	if err != nil || !strings.Contains(out, "已载入过") || !strings.Contains(out, "已生成演示意见 100 件") {
		t.Fatalf("second demo --cases 100 = %q, %v", out, err)
	}
	if after := cases(); after != before+100 {
		t.Errorf("%d cases after adding 100 to %d", after, before)
	}
	if out, err := runCmd(t, dir, "stats", "check"); err != nil || strings.Contains(out, "不一致") {
		t.Errorf("stats check = %q, %v", out, err)
	}
	if out, err := runCmd(t, dir, "audit", "verify"); err != nil || !strings.Contains(out, "校验通过") {
		t.Errorf("audit verify = %q, %v", out, err)
	}
	if _, err := runCmd(t, dir, "demo", "--cases", "x"); err == nil {
		t.Error("demo --cases x succeeded")
	}
}

// LIANLUO_DEMO_CASES that is not a number stops serve, naming it.
func TestBadDemoCasesEnv(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	e := env(map[string]string{"LIANLUO_DATA_DIR": t.TempDir(), "LIANLUO_DEMO_CASES": "many"})
	if err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, e, &out, io.Discard); err == nil || !strings.Contains(err.Error(), "LIANLUO_DEMO_CASES") {
		t.Errorf("LIANLUO_DEMO_CASES=many lianluo serve: %v; want an error naming the variable", err)
	}
}
