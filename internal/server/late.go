package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"syscall"

	"lianluo"
)

// BeganWriter notes whether a handler has begun its response. The API's
// and the pages' adapters use it: an error after that (the client gone, an
// export failing halfway) can no longer be answered with an error body or
// page, which would only be appended to what was sent; it is logged
// (LateError) instead.
type BeganWriter struct {
	http.ResponseWriter
	Began bool
}

func (w *BeganWriter) WriteHeader(code int) {
	w.Began = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *BeganWriter) Write(b []byte) (int, error) {
	w.Began = true
	return w.ResponseWriter.Write(b)
}

func (w *BeganWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// StatusClientGone is the status the request log shows for a request whose
// client went away before it was answered (nginx's 499, "client closed
// request"); the client never sees it.
const StatusClientGone = 499

// ClientGone reports whether the request's client has gone away: its
// context is canceled (the connection closed) rather than timed out.
func ClientGone(r *http.Request) bool { return errors.Is(r.Context().Err(), context.Canceled) }

// Unanswerable takes an error that can no longer be answered with an error
// body or page, and reports whether it did: one that came after the
// response began (LateError), or any error once the client has gone —
// an interrupted query ("context canceled") is the client's leaving, not
// the server's failing, and is logged at Info with StatusClientGone for the
// request log, with no body.
func Unanswerable(log *slog.Logger, w *BeganWriter, r *http.Request, err error) bool {
	switch {
	case w.Began:
		LateError(log, r, err)
	case ClientGone(r):
		log.Info("client gone before the response", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", err)
		w.WriteHeader(StatusClientGone)
	default:
		return false
	}
	return true
}

// LateError logs an error that came after the response began. A client
// that went away (closed the page, lost its signal) is routine and logged
// as such at Info; anything else is an error of the server's. Only the
// method and the path, as everywhere (lianluo.LogPath).
func LateError(log *slog.Logger, r *http.Request, err error) {
	var ne *net.OpError
	if errors.As(err, &ne) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) {
		log.Info("client gone before the response ended", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", err)
		return
	}
	log.Error("failed after the response began", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", err)
}
