package server_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"lianluo/internal/api"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
	"lianluo/internal/web"
)

// stack is the whole server, pages and API, over db, as serve wires it:
// one login limiter for both.
func stack(t *testing.T, db *sqlstore.DB, cfg server.Config, logins *server.LoginLimiter) http.Handler {
	t.Helper()
	svc := db.Services()
	logger := slog.New(slog.DiscardHandler)
	pages, err := web.New(web.Config{Services: svc, Logger: logger, Now: db.Now, Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Services, cfg.DB, cfg.Logger, cfg.Pages = svc, db, logger, pages
	cfg.API = api.New(api.Config{Services: svc, Logger: logger, Now: db.Now, Logins: logins})
	return server.New(cfg)
}

// consoleLogin posts the console's login form from addr.
func consoleLogin(h http.Handler, addr, username, password string) *httptest.ResponseRecorder {
	form := url.Values{"username": {username}, "password": {password}}
	req := httptest.NewRequest("POST", "/console/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// apiLogin posts to the API's login from addr.
func apiLogin(h http.Handler, addr, username, password string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"username":"`+username+`","password":"`+password+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// The console's login form is limited per client address like the API's,
// by the same limiter: tries on either count against both.
func TestOneLoginLimitForConsoleAndAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustWorld(t, db)
		h := stack(t, db, server.Config{}, server.NewLoginLimiter(server.LoginLimits{PerAddress: 3, PerName: 100}))

		for i := 1; i <= 3; i++ {
			if rec := consoleLogin(h, "192.0.2.1", "officea", "wrong-Password1"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("console try %d: status %d; want 401", i, rec.Code)
			}
		}
		// The fourth try from the address, even with the right password:
		// the form again, with a Chinese message, and no session.
		rec := consoleLogin(h, "192.0.2.1", "heada", storetest.Password)
		if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "登录尝试过于频繁") ||
			!strings.Contains(rec.Body.String(), `name="password"`) || rec.Header().Get("Set-Cookie") != "" {
			t.Errorf("console try 4: status %d, Set-Cookie %q; want 429 with the form and 登录尝试过于频繁\n%s",
				rec.Code, rec.Header().Get("Set-Cookie"), rec.Body.String())
		}
		// Another address is not held back.
		if rec := consoleLogin(h, "192.0.2.2", "heada", storetest.Password); rec.Code != http.StatusSeeOther {
			t.Errorf("console login from another address: status %d; want 303", rec.Code)
		}

		// Console and API share the count.
		for i := 1; i <= 2; i++ {
			if rec := consoleLogin(h, "192.0.2.3", "officea", "wrong-Password1"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("console try %d from 192.0.2.3: status %d; want 401", i, rec.Code)
			}
		}
		if rec := apiLogin(h, "192.0.2.3", "officea", "wrong-Password1"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("API try 3 from 192.0.2.3: status %d; want 401", rec.Code)
		}
		if rec := apiLogin(h, "192.0.2.3", "heada", storetest.Password); rec.Code != http.StatusTooManyRequests {
			t.Errorf("API try 4 from 192.0.2.3: status %d; want 429", rec.Code)
		}
		if rec := consoleLogin(h, "192.0.2.3", "heada", storetest.Password); rec.Code != http.StatusTooManyRequests {
			t.Errorf("console try 5 from 192.0.2.3: status %d; want 429", rec.Code)
		}
	})
}

// Behind a trusted proxy, a client that writes a new X-Forwarded-For entry
// on every try is still one address to the login limit.
func TestLoginLimitIgnoresSpoofedForwardedFor(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	storetest.MustWorld(t, db)
	proxies, err := server.ParseTrustedProxies("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	h := stack(t, db, server.Config{TrustedProxies: proxies}, server.NewLoginLimiter(server.LoginLimits{PerAddress: 3, PerName: 100}))
	codes := []int{}
	for i := range 4 {
		form := url.Values{"username": {"officea"}, "password": {"wrong-Password1"}}
		req := httptest.NewRequest("POST", "/console/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "192.0.2."+strconv.Itoa(i+1)+", 198.51.100.9") // the proxy appended the real one
		req.RemoteAddr = "10.0.0.2:40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
	}
	if want := []int{401, 401, 401, 429}; !slices.Equal(codes, want) {
		t.Errorf("tries with a new forged X-Forwarded-For each: statuses %v; want %v", codes, want)
	}
}
