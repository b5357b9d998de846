package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/server"
	"lianluo/internal/server/servertest"
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
	logs := &servertest.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc := db.Services()
	apiHandler := api.New(api.Config{Services: svc, Logger: logger, Logins: server.NewLoginLimiter(server.LoginLimits{PerAddress: 1000, PerName: 1000}), Now: db.Now})
	h := server.New(server.Config{Services: svc, DB: db, Logger: logger, API: apiHandler})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	r := (&client{t: t, base: srv.URL}).do("POST", "/api/v1/auth/login", map[string]string{"username": "office", "password": storetest.Password})
	if r.Status != 200 {
		t.Fatalf("login: %d %s", r.Status, r.Raw)
	}
	token := r.Body["token"].(string)

	for _, path := range []string{"/api/v1/cases", "/api/v1/orgs"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		servertest.ServeGone(t, h, req)
	}
	// Gone before the answer: while the session is looked up, and while
	// the list is read (the store's query interrupted: "context canceled").
	req := httptest.NewRequest("GET", "/api/v1/cases", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	servertest.ServeCanceled(t, h, req)
	actor, err := db.Authenticate(context.Background(), token, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	req = httptest.NewRequest("GET", "/api/v1/cases", nil)
	servertest.ServeCanceled(t, apiHandler, req.WithContext(lianluo.NewContextWithActor(req.Context(), actor)))
	servertest.WantGoneLogged(t, logs.String(), 4)
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
