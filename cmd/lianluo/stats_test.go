package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"lianluo/internal/sqlstore"

	_ "modernc.org/sqlite"
)

// stats check finds rollups that disagree with the cases, and stats rebuild
// mends them.
func TestStatsCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := runCmd(t, dir, "demo"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, dir, "stats", "check")
	if err != nil || !strings.Contains(out, "按地区：一致") {
		t.Fatalf("stats check after demo = %q, %v", out, err)
	}
	// Damage the rollups behind the store's back.
	raw, err := sql.Open("sqlite", sqlstore.SQLiteDSN(filepath.Join(dir, "lianluo.db")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE case_rollups SET received = received + 1`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, err = runCmd(t, dir, "stats", "check")
	if err == nil || !strings.Contains(out, "不一致") || !strings.Contains(err.Error(), "stats rebuild") {
		t.Fatalf("stats check of damaged rollups = %q, %v; want a difference", out, err)
	}
	out, err = runCmd(t, dir, "stats", "rebuild")
	if err != nil || !strings.Contains(out, "统计汇总已重建") {
		t.Fatalf("stats rebuild = %q, %v", out, err)
	}
	if out, err := runCmd(t, dir, "stats", "check"); err != nil || strings.Contains(out, "不一致") {
		t.Errorf("stats check after rebuild = %q, %v", out, err)
	}
	if _, err := runCmd(t, dir, "stats", "frobnicate"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("stats frobnicate: %v", err)
	}
}
