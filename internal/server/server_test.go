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
