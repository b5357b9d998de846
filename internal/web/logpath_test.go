package web_test

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
	"lianluo/internal/web"
)

// brokenPublic fails every lookup of an opinion like a database outage.
type brokenPublic struct{ lianluo.PublicService }

func (brokenPublic) FollowOpinion(context.Context, string, string) (*lianluo.PublicOpinion, error) {
	return nil, errors.New("connection refused by 10.0.0.5")
}

func (brokenPublic) PublicSettings(context.Context) (lianluo.PublicSettings, error) {
	return lianluo.PublicSettings{}, nil
}

// A public page's internal error is logged with the path, but never the
// tracking code in it nor the query string (lianluo.LogPath).
func TestPublicErrorLogHidesTrackingCode(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h, err := web.New(web.Config{Services: lianluo.Services{Public: brokenPublic{}}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/track/SECRET2345?tail=6789", nil))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d; want 500", w.Code)
	}
	line := logs.String()
	if !strings.Contains(line, "path=/track/***") || !strings.Contains(line, "10.0.0.5") {
		t.Errorf("log = %q; want the redacted path and the error", line)
	}
	if strings.Contains(line, "SECRET2345") || strings.Contains(line, "6789") {
		t.Errorf("log = %q; it must not carry the tracking code or the tail", line)
	}
}
