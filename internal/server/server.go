// Package server wires the HTTP side: it resolves who is calling (session
// cookie or bearer token), logs one line per request, recovers from panics,
// rejects cross-site form posts, answers health checks, and mounts the JSON
// API under /api/v1 and the pages everywhere else.
package server

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"lianluo"
)

// Pinger reports whether the database answers (for /readyz).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config is what the server needs.
type Config struct {
	Services lianluo.Services
	DB       Pinger
	Logger   *slog.Logger
	API      http.Handler // mounted at /api/
	Pages    http.Handler // mounted at /
	// TrustProxy takes the client address from X-Forwarded-For (only behind
	// a reverse proxy that sets it).
	TrustProxy bool
}

// New returns the root handler.
func New(cfg Config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := cfg.DB.Ping(ctx); err != nil {
			cfg.Logger.Error("readyz", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database unavailable\n"))
			return
		}
		w.Write([]byte("ready\n"))
	})
	if cfg.API != nil {
		mux.Handle("/api/", cfg.API)
	}
	if cfg.Pages != nil {
		mux.Handle("/", cfg.Pages)
	}
	// Cross-site form posts are refused (Sec-Fetch-Site / Origin checks);
	// same-origin pages and non-browser API clients pass. Session cookies
	// are SameSite=Lax as a second line.
	csrf := http.NewCrossOriginProtection()
	var h http.Handler = checkInput(cfg.Logger, mux)
	h = authenticate(cfg, h)
	h = csrf.Handler(h)
	h = securityHeaders(h)
	h = logRequests(cfg.Logger, h)
	return h
}

// authenticate resolves the caller from the bearer token or the session
// cookie and puts the actor in the request context. Anonymous requests go
// on without one; handlers decide what needs a login.
func authenticate(cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := ClientAddr(r, cfg.TrustProxy)
		token := ""
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			token = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
		} else if c, err := r.Cookie(lianluo.SessionCookie); err == nil {
			token = c.Value
		}
		if token != "" {
			a, err := cfg.Services.Auth.Authenticate(r.Context(), token, addr)
			if err == nil {
				if slot, ok := r.Context().Value(userSlotKey{}).(*int64); ok {
					*slot = a.User.ID
				}
				r = r.WithContext(lianluo.NewContextWithActor(r.Context(), a))
			} else if lianluo.ErrorCode(err) == lianluo.EINTERNAL {
				cfg.Logger.Error("authenticate", "err", err)
			}
		}
		r = r.WithContext(lianluo.NewContextWithClientAddr(r.Context(), addr))
		next.ServeHTTP(w, r)
	})
}

type userSlotKey struct{}

// ClientAddrFromContext returns the caller's address (for login and audit).
func ClientAddrFromContext(ctx context.Context) string { return lianluo.ClientAddrFromContext(ctx) }

// ClientAddr returns the client's IP address.
func ClientAddr(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one structured line per request: method, path (never
// the query string, which may carry names or phone numbers, and never a
// tracking code or feed token: see lianluo.LogPath), status, size,
// duration, user ID. It also turns a panic into a 500.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		uid := new(int64) // filled in by authenticate, further in
		r = r.WithContext(context.WithValue(r.Context(), userSlotKey{}, uid))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.Error("panic", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, "系统内部错误", http.StatusInternalServerError)
				}
			}
			logger.Info("request", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "status", sw.status,
				"bytes", sw.bytes, "ms", time.Since(start).Milliseconds(), "user", *uid)
		}()
		next.ServeHTTP(sw, r)
	})
}
