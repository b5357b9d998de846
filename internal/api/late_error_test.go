package api_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"

	"lianluo/internal/api"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A response the client no longer takes (the page closed, the signal lost
// while it was being written) is logged once, as routine, and nothing more
// is written: no second status and no error body after the page.
func TestClientGoneMidResponse(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	storetest.MustWorld(t, db)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc := db.Services()
	h := server.New(server.Config{Services: svc, DB: db, Logger: logger,
		API: api.New(api.Config{Services: svc, Logger: logger, Logins: server.NewLoginLimiter(server.LoginLimits{PerAddress: 1000, PerName: 1000}), Now: db.Now})})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	r := (&client{t: t, base: srv.URL}).do("POST", "/api/v1/auth/login", map[string]string{"username": "office", "password": storetest.Password})
	if r.Status != 200 {
		t.Fatalf("login: %d %s", r.Status, r.Raw)
	}
	token := r.Body["token"].(string)

	for _, path := range []string{"/api/v1/cases", "/api/v1/orgs"} {
		w := &goneWriter{header: http.Header{}}
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(w, req)
		if len(w.statuses) != 1 || w.statuses[0] != 200 {
			t.Errorf("GET %s to a client gone: statuses written %v; want [200] alone", path, w.statuses)
		}
		if w.writes != 1 {
			t.Errorf("GET %s to a client gone: %d writes; want 1 (no error body after it)", path, w.writes)
		}
	}
	out := logs.String()
	if strings.Contains(out, "level=ERROR") || strings.Contains(out, "level=WARN") {
		t.Errorf("a client gone is logged as an error:\n%s", out)
	}
	if n := strings.Count(out, "client gone before the response ended"); n != 2 {
		t.Errorf("%d lines say the client was gone; want 2:\n%s", n, out)
	}
}

// goneWriter is the response of a client that has gone: every write fails
// as a write to a closed connection does.
type goneWriter struct {
	header   http.Header
	statuses []int
	writes   int
}

func (w *goneWriter) Header() http.Header { return w.header }

func (w *goneWriter) WriteHeader(code int) { w.statuses = append(w.statuses, code) }

func (w *goneWriter) Write(b []byte) (int, error) {
	if len(w.statuses) == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.writes++
	return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A JSON answer says its length: the page goes out whole, not in chunks.
// (The user list is over the 2 KB below which net/http would count it.)
func TestJSONContentLength(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	e := setup(t, db)
	c := e.as(t, "admin")
	req, _ := http.NewRequest("GET", e.url+"/api/v1/users", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || len(body) <= 2048 || res.ContentLength != int64(len(body)) || len(res.TransferEncoding) != 0 {
		t.Errorf("GET /api/v1/users: %d, Content-Length %d, Transfer-Encoding %v, body %d bytes; want the length given",
			res.StatusCode, res.ContentLength, res.TransferEncoding, len(body))
	}
}
