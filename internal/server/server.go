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
	"net/netip"
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
	// TrustedProxies are the reverse proxies in front of the server. Only
	// a request whose peer is one of them has its client address taken
	// from X-Forwarded-For (ClientAddr); none trusts no header.
	TrustedProxies []netip.Prefix
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
	h = securityHeaders(cfg, h)
	h = logRequests(cfg.Logger, h)
	return h
}

// authenticate resolves the caller from the bearer token or the session
// cookie and puts the actor in the request context. Anonymous requests go
// on without one; handlers decide what needs a login.
func authenticate(cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := ClientAddr(r, cfg.TrustedProxies)
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
			} else if lianluo.ErrorCode(err) == lianluo.EINTERNAL && !ClientGone(r) {
				// (A client gone is logged where its request is answered.)
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

// ClientAddr returns the client's IP address: the socket's peer, unless the
// peer is one of the trusted proxies. Then X-Forwarded-For is read from the
// right, where each proxy appended the address it was reached from, and the
// first address that is not a trusted proxy is the client. Everything left
// of it was written by the client or its own proxies and proves nothing:
// taking the leftmost entry would let any client choose its address, and so
// escape every per-address limit.
func ClientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer.Unmap(), trusted) {
		return host
	}
	client := peer.Unmap()
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break // not an address: the nearest one known stands
		}
		client = a
		if !isTrusted(a, trusted) {
			break
		}
	}
	return client.String()
}

// securityHeaders sets the headers every answer carries. A request that
// came over TLS (to this server, or to a trusted proxy that says so in
// X-Forwarded-Proto) is marked for IsSecure and answered with HSTS: the
// browser then uses https only for a year.
func securityHeaders(cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if overTLS(r, cfg.TrustedProxies) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
			r = r.WithContext(context.WithValue(r.Context(), secureKey{}, true))
		}
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
