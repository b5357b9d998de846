package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/web"
)

// brokenRegions fails like a database outage.
type brokenRegions struct{ lianluo.RegionService }

func (brokenRegions) FindRegions(context.Context, lianluo.RegionFilter) ([]*lianluo.Region, int, error) {
	return nil, 0, errors.New("connection refused by 10.0.0.5")
}

func (brokenRegions) FindRegion(context.Context, string) (*lianluo.Region, error) {
	return nil, errors.New("connection refused by 10.0.0.5")
}

func (brokenRegions) RegionPath(context.Context, string) ([]*lianluo.Region, error) {
	return nil, errors.New("connection refused by 10.0.0.5")
}

func adminRequest(method, target string, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == "POST" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return r.WithContext(lianluo.NewContextWithActor(r.Context(), lianluo.SystemActor()))
}

func TestInternalError(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h, err := web.New(web.Config{Services: lianluo.Services{Regions: brokenRegions{}}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, adminRequest("GET", "/console/regions?parent=330206&q="+url.QueryEscape("张三 13812345678"), ""))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d; want 500", w.Code)
	}
	body := w.Body.String()
	if !strings.Contains(body, "系统内部错误，请稍后再试或联系管理员。") || strings.Contains(body, "10.0.0.5") {
		t.Errorf("500 page shows %q; want the generic message only", body)
	}
	line := logs.String()
	if !strings.Contains(line, "path=/console/regions") || !strings.Contains(line, "10.0.0.5") {
		t.Errorf("log = %q; want the path and the error", line)
	}
	if strings.Contains(line, "13812345678") || strings.Contains(line, "q=") {
		t.Errorf("log = %q; it must not carry the query string", line)
	}
}

func TestOversizedForm(t *testing.T) {
	t.Parallel()
	h, err := web.New(web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, adminRequest("POST", "/console/orgs/new", "name="+strings.Repeat("x", 2<<20)))
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form: status %d; want 413", w.Code)
	}
}

func TestDevMode(t *testing.T) {
	t.Parallel()
	// Dev mode reads templates and static files from disk (here, this
	// package's folder) on each request.
	h, err := web.New(web.Config{Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/console/login", "/static/app.css"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusOK {
			t.Errorf("dev %s: status %d", path, w.Code)
		}
		if path == "/static/app.css" && w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("dev static Cache-Control = %q; want no-cache", w.Header().Get("Cache-Control"))
		}
	}
}
