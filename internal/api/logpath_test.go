package api_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/api"
)

// brokenPublic fails every lookup of an opinion like a database outage.
type brokenPublic struct{ lianluo.PublicService }

func (brokenPublic) FollowOpinion(context.Context, string, string) (*lianluo.PublicOpinion, error) {
	return nil, errors.New("connection refused by 10.0.0.5")
}

// An internal error is logged with the path, but never the tracking code
// in it nor the query string (lianluo.LogPath).
func TestErrorLogHidesTrackingCode(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := api.New(api.Config{Services: lianluo.Services{Public: brokenPublic{}}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/public/opinions/SECRET2345?phone_tail=6789", nil))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d; want 500: %s", w.Code, w.Body)
	}
	if body := w.Body.String(); strings.Contains(body, "10.0.0.5") {
		t.Errorf("answer %s shows the internal error", body)
	}
	line := logs.String()
	if !strings.Contains(line, "path=/api/v1/public/opinions/***") || !strings.Contains(line, "10.0.0.5") {
		t.Errorf("log = %q; want the redacted path and the error", line)
	}
	if strings.Contains(line, "SECRET2345") || strings.Contains(line, "6789") {
		t.Errorf("log = %q; it must not carry the tracking code or the tail", line)
	}
}

// An unknown route's answer names the route without its secret segment
// (a tracking code) nor the query.
func TestUnknownRouteHidesTrackingCode(t *testing.T) {
	t.Parallel()
	h := api.New(api.Config{Services: lianluo.Services{}, Logger: slog.New(slog.DiscardHandler)})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/public/opinions/SECRET2345/nothing?phone_tail=6789", nil))
	if w.Code != http.StatusNotFound {
		t.Fatalf("status %d; want 404: %s", w.Code, w.Body)
	}
	if body := w.Body.String(); strings.Contains(body, "SECRET2345") || strings.Contains(body, "6789") || !strings.Contains(body, "接口不存在") {
		t.Errorf("answer %s", body)
	}
}
