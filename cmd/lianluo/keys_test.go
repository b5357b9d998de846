package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `lianluo keys generate` writes a 0600 key file (never over one);
// `keys rotate` appends a key to the data folder's file, keeping the first.
// The store's tests (fieldcrypt_test.go) show the values re-sealed.
func TestKeysCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "pg.key")
	if msg, err := runCmd(t, dir, "keys", "generate", "--out", out); err != nil || !strings.Contains(msg, "分开备份") {
		t.Fatalf("keys generate: %q, %v", msg, err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("generated key file: %v, %v", fi, err)
	}
	if _, err := runCmd(t, dir, "keys", "generate", "--out", out); err == nil {
		t.Error("keys generate over an existing file succeeded")
	}
	// The SQLite data folder gets its key on first start.
	if _, err := runCmd(t, dir, "migrate"); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "lianluo.key")
	before, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := runCmd(t, dir, "keys", "rotate")
	if err != nil || !strings.Contains(msg, "已启用新密钥") {
		t.Fatalf("keys rotate: %q, %v", msg, err)
	}
	after, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(after, before) || strings.Count(string(after), "\nk") != 2 {
		t.Errorf("key file after rotate:\n%s", after)
	}
}

// PostgreSQL without a key file stops every command before it connects.
func TestPostgresNeedsKeyFileSetting(t *testing.T) {
	t.Parallel()
	env := func(k string) string {
		if k == "LIANLUO_DATABASE_URL" {
			return "postgres://127.0.0.1:1/none"
		}
		return ""
	}
	err := run(context.Background(), []string{"migrate"}, env, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "LIANLUO_KEY_FILE") || !strings.Contains(err.Error(), "密钥") {
		t.Errorf("migrate on PostgreSQL without a key file: %v", err)
	}
}
