package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A deployment's database (the zero Config) hashes passwords at the
// production cost; test databases use the cheap one. Both log in.
func TestPasswordHashCost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  sqlstore.PasswordHashParams
		want string
	}{
		{"default", sqlstore.PasswordHashParams{}, "$argon2id$v=19$m=19456,t=2,p=1$"},
		{"tests", sqlstore.PasswordHashForTests, "$argon2id$v=19$m=64,t=1,p=1$"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db, err := sqlstore.Open(context.Background(), sqlstore.Config{DataDir: dir, PasswordHash: tc.cfg})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			u := &lianluo.User{Username: "admin", Password: storetest.Password, DisplayName: "管理员", Roles: []lianluo.Grant{{Role: lianluo.RoleSystemAdmin}}}
			if err := db.CreateUser(storetest.SystemContext(), u); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Login(context.Background(), "admin", storetest.Password, "127.0.0.1"); err != nil {
				t.Errorf("Login: %v", err)
			}
			if _, err := db.Login(context.Background(), "nobody", storetest.Password, "127.0.0.1"); err == nil {
				t.Errorf("Login of an unknown user succeeded")
			}
			raw, err := sql.Open("sqlite", sqlstore.SQLiteDSN(filepath.Join(dir, "lianluo.db")))
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			var hash string
			if err := raw.QueryRow(`SELECT password_hash FROM users WHERE username = 'admin'`).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(hash, tc.want) {
				t.Errorf("stored hash = %.40s…; want prefix %s", hash, tc.want)
			}
		})
	}
}
