// Package servertest holds test helpers for the HTTP adapters (the API's
// and the pages'): a response whose client has gone, and a log destination
// the server's goroutines may share.
package servertest

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
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
