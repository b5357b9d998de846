package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// badLogin is the one answer to a wrong password, an unknown name and a
// locked account alike: nothing tells them apart.
const badLogin = "用户名或密码错误，或账号因多次登录失败已暂时锁定。请核对后再试，或15分钟后再试、联系管理员解锁。"

func wantBadLogin(t *testing.T, what string, err error) {
	t.Helper()
	if lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED || lianluo.ErrorMessage(err) != badLogin {
		t.Fatalf("%s: %v; want unauthorized %q", what, err, badLogin)
	}
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		ctx := context.Background()
		now := storetest.Now
		storetest.ClockOf(db).Set(func() time.Time { return now })
		for i := 1; i <= 5; i++ {
			_, err := db.Login(ctx, "officea", "wrong", "10.0.0.1")
			wantBadLogin(t, fmt.Sprintf("failure %d", i), err)
		}
		// Locked: even the right password is refused for 15 minutes, with
		// the same answer as a wrong one.
		_, err := db.Login(ctx, "officea", storetest.Password, "10.0.0.1")
		wantBadLogin(t, "right password while locked", err)
		now = now.Add(14 * time.Minute)
		_, err = db.Login(ctx, "officea", storetest.Password, "10.0.0.1")
		wantBadLogin(t, "after 14 minutes", err)
		now = now.Add(2 * time.Minute)
		if _, err := db.Login(ctx, "officea", storetest.Password, "10.0.0.1"); err != nil {
			t.Fatalf("after 16 minutes: %v", err)
		}
		// Four failures, then the right password: not locked.
		for i := 1; i <= 4; i++ {
			_, err := db.Login(ctx, "heada", "wrong", "10.0.0.1")
			wantBadLogin(t, fmt.Sprintf("heada failure %d", i), err)
		}
		if _, err := db.Login(ctx, "heada", storetest.Password, "10.0.0.1"); err != nil {
			t.Fatalf("fifth try, right password: %v", err)
		}
		// The failures and the lock are in the audit trail.
		evs, _, err := db.FindEvents(w.As(t, "auditor"), lianluo.EventFilter{Action: "locked"})
		if err != nil || len(evs) != 1 || evs[0].EntityID != w.Users["officea"].ID {
			t.Errorf("locked events = %v, %v", evs, err)
		}
	})
}

// An unknown name is answered exactly as a real account, before, at and
// after the lock: the answers do not tell which usernames exist.
func TestLoginUnknownNameLikeLocked(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustWorld(t, db)
		ctx := context.Background()
		for i := 1; i <= 8; i++ {
			_, real := db.Login(ctx, "officea", "wrong", "10.0.0.1")
			_, unknown := db.Login(ctx, "nobody", "wrong", "10.0.0.1")
			wantBadLogin(t, fmt.Sprintf("real account, try %d", i), real)
			wantBadLogin(t, fmt.Sprintf("unknown name, try %d", i), unknown)
		}
		_, err := db.Login(ctx, "officea", storetest.Password, "10.0.0.1")
		wantBadLogin(t, "locked account, right password", err)
	})
}

// concurrentLogins starts one Login per password at once and collects the
// answers. The store's password checks are held (OnPasswordCheck) until
// release is closed; tries returns once every login has either answered or
// is held in a check, so a test sees how many got as far as a check.
type concurrentLogins struct {
	db      *sqlstore.DB
	checks  atomic.Int32
	release chan struct{}
	mu      sync.Mutex
	errs    map[string][]error // by password
	started int
	wg      sync.WaitGroup
}

func holdChecks(db *sqlstore.DB) *concurrentLogins {
	c := &concurrentLogins{db: db, release: make(chan struct{}), errs: map[string][]error{}}
	db.OnPasswordCheck(func() { c.checks.Add(1); <-c.release })
	return c
}

func (c *concurrentLogins) tries(t *testing.T, username string, passwords ...string) {
	t.Helper()
	for _, p := range passwords {
		c.started++
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			_, err := c.db.Login(context.Background(), username, p, "10.0.0.1")
			c.mu.Lock()
			c.errs[p] = append(c.errs[p], err)
			c.mu.Unlock()
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c.mu.Lock()
		answered := 0
		for _, errs := range c.errs {
			answered += len(errs)
		}
		c.mu.Unlock()
		if answered+int(c.checks.Load()) >= c.started {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d logins: %d answered, %d in a password check after 20 s", c.started, answered, c.checks.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// finish lets the held checks go on and waits for every answer.
func (c *concurrentLogins) finish() {
	close(c.release)
	c.wg.Wait()
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// However many wrong passwords arrive at once, no more than five are
// checked against the account's hash in one lock window.
func TestLoginConcurrentTriesBounded(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustWorld(t, db)
		c := holdChecks(db)
		c.tries(t, "officea", repeat("wrong", 50)...)
		if got := c.checks.Load(); got > sqlstore.MaxFailedLogins {
			t.Errorf("50 concurrent wrong passwords: %d checked; want at most %d", got, sqlstore.MaxFailedLogins)
		}
		c.finish()
		for _, err := range c.errs["wrong"] {
			wantBadLogin(t, "concurrent wrong password", err)
		}
		_, err := db.Login(context.Background(), "officea", storetest.Password, "10.0.0.1")
		wantBadLogin(t, "right password after 50 concurrent wrong ones", err)
		if got := c.checks.Load(); got > sqlstore.MaxFailedLogins {
			t.Errorf("checks after the lock: %d; want at most %d", got, sqlstore.MaxFailedLogins)
		}
	})
}

// The right password among 40 concurrent wrong ones does not log in once
// the wrong ones have used up the account's tries.
func TestLoginRightPasswordAmongConcurrentWrong(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustWorld(t, db)
		c := holdChecks(db)
		c.tries(t, "officea", repeat("wrong", 5)...)
		c.tries(t, "officea", append(repeat("wrong", 35), storetest.Password)...)
		if got := c.checks.Load(); got > sqlstore.MaxFailedLogins {
			t.Errorf("41 concurrent tries: %d checked; want at most %d", got, sqlstore.MaxFailedLogins)
		}
		c.finish()
		wantBadLogin(t, "right password among 40 wrong", c.errs[storetest.Password][0])
		_, err := db.Login(context.Background(), "officea", storetest.Password, "10.0.0.1")
		wantBadLogin(t, "right password afterwards", err)
	})
}

// A right password checked while concurrent wrong ones lock the account
// does not log in: its success does not clear a lock set meanwhile.
func TestLoginSuccessDoesNotClearLockSetMeanwhile(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustWorld(t, db)
		c := holdChecks(db)
		c.tries(t, "officea", storetest.Password)
		c.tries(t, "officea", repeat("wrong", 4)...)
		c.finish()
		wantBadLogin(t, "right password while four wrong ones locked the account", c.errs[storetest.Password][0])
		_, err := db.Login(context.Background(), "officea", storetest.Password, "10.0.0.1")
		wantBadLogin(t, "right password afterwards", err)
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		ctx := context.Background()
		now := storetest.Now
		storetest.ClockOf(db).Set(func() time.Time { return now })
		token := w.Token(t, "officea")
		if _, err := db.Authenticate(ctx, token, ""); err != nil {
			t.Fatal(err)
		}
		// Use keeps a session alive; 30 idle minutes end it.
		for i := 0; i < 3; i++ {
			now = now.Add(20 * time.Minute)
			if _, err := db.Authenticate(ctx, token, ""); err != nil {
				t.Fatalf("after %d×20 active minutes: %v", i+1, err)
			}
		}
		now = now.Add(31 * time.Minute)
		if _, err := db.Authenticate(ctx, token, ""); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Fatalf("after 31 idle minutes: %v; want unauthorized", err)
		}
		if _, err := db.Authenticate(ctx, "forged-token", ""); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("forged token: %v", err)
		}

		// Changing the password ends the other sessions, keeps this one.
		t1, t2 := w.Token(t, "heada"), w.Token(t, "heada")
		a, err := db.Authenticate(ctx, t1, "")
		if err != nil {
			t.Fatal(err)
		}
		actx := lianluo.NewContextWithActor(ctx, a)
		if err := db.ChangePassword(actx, "wrong", "New@pass2026"); lianluo.ErrorField(err) != "old_password" {
			t.Errorf("ChangePassword with a wrong old password = %v", err)
		}
		if err := db.ChangePassword(actx, storetest.Password, "short"); lianluo.ErrorField(err) != "new_password" {
			t.Errorf("ChangePassword to a weak password = %v", err)
		}
		if err := db.ChangePassword(actx, storetest.Password, "New@pass2026"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, t1, ""); err != nil {
			t.Errorf("own session after ChangePassword: %v", err)
		}
		if _, err := db.Authenticate(ctx, t2, ""); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("other session after ChangePassword: %v; want unauthorized", err)
		}
		if _, err := db.Login(ctx, "heada", "New@pass2026", ""); err != nil {
			t.Errorf("login with the new password: %v", err)
		}

		// Deactivating a user ends their sessions.
		t3 := w.Token(t, "liaisona")
		off := false
		admin := w.As(t, "admin")
		u := w.Users["liaisona"]
		if _, err := db.UpdateUser(admin, u.ID, lianluo.UserUpdate{Active: &off, Version: u.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, t3, ""); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("deactivated user's session: %v", err)
		}
		if _, err := db.Login(ctx, "liaisona", storetest.Password, ""); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("deactivated user's login: %v", err)
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		ctx := storetest.SystemContext()
		for _, tc := range []struct {
			name  string
			user  lianluo.User
			field string
		}{
			{"weak password", lianluo.User{Username: "abc", Password: "abcdefgh", DisplayName: "甲", Roles: []lianluo.Grant{{Role: "system_admin"}}}, "password"},
			{"duplicate", lianluo.User{Username: "ADMIN", Password: storetest.Password, DisplayName: "甲", Roles: []lianluo.Grant{{Role: "system_admin"}}}, "username"},
			{"bad username", lianluo.User{Username: "a b", Password: storetest.Password, DisplayName: "甲", Roles: []lianluo.Grant{{Role: "system_admin"}}}, "username"},
			{"no roles", lianluo.User{Username: "abc", Password: storetest.Password, DisplayName: "甲"}, "roles"},
			{"unknown role", lianluo.User{Username: "abc", Password: storetest.Password, DisplayName: "甲", Roles: []lianluo.Grant{{Role: "king"}}}, "roles"},
			{"office without org", lianluo.User{Username: "abc", Password: storetest.Password, DisplayName: "甲", Roles: []lianluo.Grant{{Role: "npc_office"}}}, "roles"},
			{"unit role on npc body", lianluo.User{Username: "abc", Password: storetest.Password, DisplayName: "甲", Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &w.TownA.ID}}}, "roles"},
			{"bad phone", lianluo.User{Username: "abc", Password: storetest.Password, DisplayName: "甲", Phone: "1391234", Roles: []lianluo.Grant{{Role: "system_admin"}}}, "phone"},
		} {
			u := tc.user
			if err := db.CreateUser(ctx, &u); lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: CreateUser = %v; want invalid %s", tc.name, err, tc.field)
			}
		}
		if _, n, _ := db.FindUsers(ctx, lianluo.UserFilter{}); n != len(w.Users) {
			t.Errorf("users after bad input = %d; want %d", n, len(w.Users))
		}
	})
}

func TestEventsAppendOnly(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		evs, n, err := db.FindEvents(w.As(t, "auditor"), lianluo.EventFilter{Entity: "station", EntityID: w.StationA.ID})
		if err != nil || n != 1 || evs[0].Action != "create" || evs[0].ActorName != "系统" {
			t.Fatalf("station events = %+v, %d, %v", evs, n, err)
		}
		raw := rawDB(t, db)
		if _, err := raw.Exec(`UPDATE events SET summary = 'x'`); err == nil {
			t.Error("UPDATE events succeeded; want refused")
		}
		if _, err := raw.Exec(`DELETE FROM events`); err == nil {
			t.Error("DELETE FROM events succeeded; want refused")
		}
	})
}

// rawDB opens a second plain connection to the test database, after
// sealing the pending audit events (as the store's own readers do), so that
// a test reading the events table sees every write made before.
func rawDB(t *testing.T, db *sqlstore.DB) *sql.DB {
	t.Helper()
	if err := db.SealPendingForTest(storetest.SystemContext()); err != nil {
		t.Fatal(err)
	}
	driver, dsn := "sqlite", sqlstore.SQLiteDSN(db.URL)
	if db.Dialect == sqlstore.Postgres {
		driver, dsn = "pgx", db.URL
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	// The same migration names under both dialects.
	names := func(dir string) []string {
		var out []string
		fs.WalkDir(os.DirFS("migrations/"+dir), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, p)
			}
			return nil
		})
		sort.Strings(out)
		return out
	}
	if a, b := names("sqlite"), names("postgres"); len(a) == 0 || len(a) != len(b) {
		t.Fatalf("migrations: sqlite %v, postgres %v", a, b)
	} else {
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("migration %d: sqlite %s, postgres %s", i, a[i], b[i])
			}
		}
	}

	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		// Migrating again is a no-op.
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != db.KnownSchemaVersion() {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, db.KnownSchemaVersion())
		}
		// A schema newer than this binary knows is refused.
		raw := rawDB(t, db)
		q := `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future.sql', CURRENT_TIMESTAMP)`
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err == nil {
			t.Error("Migrate on a newer schema succeeded; want refused")
		}
	})
}

func TestBackupWhileOpen(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	w := storetest.MustWorld(t, db)
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	// The copy is a working database with the same data.
	cp, err := sqlstore.Open(context.Background(), sqlstore.Config{DatabaseURL: "sqlite:" + out})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if _, n, err := cp.FindStations(storetest.SystemContext(), lianluo.StationFilter{}); err != nil || n != 2 {
		t.Errorf("stations in backup = %d, %v; want 2", n, err)
	}
	_ = w
}
