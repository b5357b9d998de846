package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"lianluo/internal/sqlstore"

	_ "modernc.org/sqlite"
)

// `lianluo audit verify` passes on an untouched chain and fails naming the
// event edited behind the application's back.
func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := runCmd(t, dir, "user", "add", "--username", "admin", "--password", "Qx7#mPz2-Lk9", "--role", "system_admin"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, dir, "audit", "verify")
	if err != nil || !strings.Contains(out, "校验通过") || !strings.Contains(out, "事件：1") {
		t.Fatalf("audit verify = %q, %v; want passed over one event", out, err)
	}
	_, head, _ := strings.Cut(out, "链头：")
	head, _, _ = strings.Cut(head, "\n")
	if out, err := runCmd(t, dir, "audit", "verify", "--head", head); err != nil || !strings.Contains(out, "链仍经过抄录的链头") {
		t.Errorf("audit verify --head %s = %q, %v; want passed", head, out, err)
	}
	if _, err := runCmd(t, dir, "audit", "verify", "--head", "1:"+strings.Repeat("0", 64)); err == nil || !strings.Contains(err.Error(), "被重写") {
		t.Errorf("audit verify with another noted head = %v; want rewritten", err)
	}
	// Nothing is older than 180 days: pruning deletes nothing, writes its event, and the chain verifies.
	if out, err := runCmd(t, dir, "audit", "prune"); err != nil || !strings.Contains(out, "已清理 0 条") {
		t.Errorf("audit prune = %q, %v", out, err)
	}
	if out, err := runCmd(t, dir, "audit", "verify"); err != nil {
		t.Errorf("audit verify after prune = %q, %v", out, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.db"))
	if len(files) != 1 {
		t.Fatalf("database files = %v", files)
	}
	raw, err := sql.Open("sqlite", sqlstore.SQLiteDSN(files[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER events_no_update`, `UPDATE events SET actor_name = '他人' WHERE id = 1`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out, err = runCmd(t, dir, "audit", "verify", "--json")
	if err == nil || !strings.Contains(err.Error(), "第一个不符的事件：1") || !strings.Contains(out, `"first_bad_id":1`) {
		t.Errorf("audit verify after an edit = %q, %v; want failed at event 1", out, err)
	}
}
