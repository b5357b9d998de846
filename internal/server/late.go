package server

import (
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
