package web_test

import (
	"log/slog"
	"net/http/httptest"
	"net/url"
	"testing"

	"lianluo/internal/server"
	"lianluo/internal/server/servertest"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
	"lianluo/internal/web"
)

// A download the browser no longer takes (the tab closed while it was
// being written) is logged once, as routine, and nothing more is written:
// no error page appended to the workbook. (A page's own write error is the
// renderer's to log: render.)
func TestClientGoneMidPage(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	f := newFixture(t, db)
	c := f.loggedIn(t, "dqclerk")
	base, _ := url.Parse(f.srv.URL)
	cookies := c.hc.Jar.Cookies(base)
	if len(cookies) == 0 {
		t.Fatal("no session cookie after logging in")
	}

	logs := &servertest.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc := db.Services()
	pages, err := web.New(web.Config{Services: svc, Logger: logger, Now: db.Now,
		Logins: server.NewLoginLimiter(server.LoginLimits{PerAddress: 1000, PerName: 1000})})
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Config{Services: svc, DB: db, Logger: logger, Pages: pages})
	for _, path := range []string{"/console/cases.xlsx", "/console/stats.xlsx"} {
		req := httptest.NewRequest("GET", path, nil)
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		servertest.ServeGone(t, h, req)
	}
	// Gone before the answer: the list page's query interrupted.
	req := httptest.NewRequest("GET", "/console/cases", nil)
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	servertest.ServeCanceled(t, h, req)
	servertest.WantGoneLogged(t, logs.String(), 3)
}
