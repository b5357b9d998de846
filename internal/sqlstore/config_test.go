package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
)

// The channels a deployment delivers come with the configuration to Open:
// a user may choose them in 通知设置, and no others.
func TestOpenChannels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		channels []string
		want     []string
	}{
		{nil, []string{lianluo.ChannelSMS}},
		{[]string{lianluo.ChannelEmail}, []string{lianluo.ChannelSMS, lianluo.ChannelEmail}},
	} {
		cfg := sqlstore.Config{DataDir: t.TempDir(), PasswordHash: sqlstore.PasswordHashForTests, Channels: slices.Clone(tc.channels)}
		db, err := sqlstore.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if cfg.Channels != nil {
			cfg.Channels[0] = "changed" // the store keeps its own copy
		}
		ctx := lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
		u := &lianluo.User{Username: "admin", Password: "Beilun#2026q", DisplayName: "管理员", Roles: []lianluo.Grant{{Role: lianluo.RoleSystemAdmin}}}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		p, err := db.NotificationPrefs(lianluo.NewContextWithActor(context.Background(), &lianluo.Actor{User: u}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Available, tc.want) {
			t.Errorf("Open with Channels %v: available %v; want %v", tc.channels, p.Available, tc.want)
		}
	}
}

// Voters' personal data stays its owner's: the data folder is 0700, the
// SQLite file, its WAL and a backup 0600 — an older, wider folder and file
// are tightened at the next start.
func TestDataFilesOwnerOnly(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lianluo.db"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{DataDir: dir, PasswordHash: sqlstore.PasswordHashForTests})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
	if err := db.CreateUser(ctx, &lianluo.User{Username: "admin", Password: "Qx7#mPz2-Lk9", DisplayName: "管理员", Roles: []lianluo.Grant{{Role: lianluo.RoleSystemAdmin}}}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "lianluo.db"): 0o600,
		filepath.Join(dir, "lianluo.db-wal"): 0o600, backup: 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o; want %o", filepath.Base(path), got, want)
		}
	}
}
