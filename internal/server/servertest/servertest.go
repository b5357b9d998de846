// Package servertest holds test helpers for the HTTP adapters (the API's
// and the pages'): a response whose client has gone, and a log destination
// the server's goroutines may share.
package servertest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// GoneWriter is the response of a client that has gone: every write fails
// as a write to a closed connection does. It records the statuses written
// and counts the writes.
type GoneWriter struct {
	header   http.Header
	Statuses []int
	Writes   int
}

func (w *GoneWriter) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *GoneWriter) WriteHeader(code int) { w.Statuses = append(w.Statuses, code) }

func (w *GoneWriter) Write(b []byte) (int, error) {
	if len(w.Statuses) == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.Writes++
	return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
}

// SyncBuffer is a log destination safe for the server's goroutines.
type SyncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ServeGone serves req with h to a client that has gone, and fails t
// unless the answer began once (200) and was written to once: nothing
// followed it, no error status and no error body.
func ServeGone(t testing.TB, h http.Handler, req *http.Request) {
	t.Helper()
	w := &GoneWriter{}
	h.ServeHTTP(w, req)
	if len(w.Statuses) != 1 || w.Statuses[0] != http.StatusOK {
		t.Errorf("%s %s to a client gone: statuses written %v; want [200] alone", req.Method, req.URL.Path, w.Statuses)
	}
	if w.Writes != 1 {
		t.Errorf("%s %s to a client gone: %d writes; want 1 (nothing after the answer)", req.Method, req.URL.Path, w.Writes)
	}
}

// ServeCanceled serves req with h as if its client had gone before the
// answer (the request's context canceled, as net/http does when the
// connection closes), and fails t unless the status is 499 (the request
// log's StatusClientGone) and no body was written.
func ServeCanceled(t testing.TB, h http.Handler, req *http.Request) {
	t.Helper()
	ctx, cancel := context.WithCancel(req.Context())
	cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(ctx))
	if rec.Code != 499 || rec.Body.Len() != 0 {
		t.Errorf("%s %s, its client gone before the answer: %d %q; want 499 and no body", req.Method, req.URL.Path, rec.Code, rec.Body.String())
	}
}

// WantGoneLogged fails t unless the log holds no error or warning and n
// lines saying a client was gone (server.LateError, server.Unanswerable).
func WantGoneLogged(t testing.TB, logs string, n int) {
	t.Helper()
	if strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "level=WARN") {
		t.Errorf("a client gone is logged as an error:\n%s", logs)
	}
	if got := strings.Count(logs, "client gone before the response"); got != n {
		t.Errorf("%d lines say a client was gone; want %d:\n%s", got, n, logs)
	}
}
