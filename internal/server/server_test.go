package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lianluo/internal/server"
)

func TestLogPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/track/AB12CD34EF", "/track/***"},
		{"/track/AB12CD34EF/rating", "/track/***/rating"},
		{"/api/v1/public/opinions/AB12CD34EF/photos", "/api/v1/public/opinions/***/photos"},
		{"/api/v1/public/opinions", "/api/v1/public/opinions"},
		{"/ical/0123456789abcdef.ics", "/ical/***"},
		{"/track", "/track"},
		{"/console/cases/12", "/console/cases/12"},
	} {
		if got := server.LogPath(tc.in); got != tc.want {
			t.Errorf("LogPath(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestRequestLogHidesSecrets sends a tracking-code request through the
// server's handler and reads the log line.
func TestRequestLogHidesSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	h := server.LogRequests(logger, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/track/SECRET1234?phone_tail=1234", nil))
	if out := buf.String(); strings.Contains(out, "SECRET1234") || strings.Contains(out, "1234") || !strings.Contains(out, "/track/***") {
		t.Errorf("log line: %s", out)
	}
}
