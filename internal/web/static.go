package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// staticFiles serves the CSS, JS and icons embedded in the binary. Pages
// link them with a content hash (?v=…), so a versioned URL can be cached for
// a year and a new release is fetched at once.
type staticFiles struct {
	fsys   fs.FS
	dev    bool
	hashes map[string]string // file name → short content hash; empty in Dev mode
	gz     *gzipCache        // compressed copies of the larger text files
}

// gzipCache holds each compressible file gzipped, made on its first
// request rather than at start (tests build many apps and fetch few files).
// The vendored chart library is 700 kB as is and 240 kB gzipped.
type gzipCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// minGzip is the size below which a file is sent as is.
const minGzip = 1024

func gzippable(name string) bool {
	switch path.Ext(name) {
	case ".js", ".css", ".svg", ".json", ".txt":
		return true
	}
	return false
}

func (c *gzipCache) get(name string, b []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if z, ok := c.m[name]; ok {
		return z
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	c.m[name] = buf.Bytes()
	return c.m[name]
}

// acceptsGzip reports whether the request's Accept-Encoding lists gzip
// (without q=0, which no browser sends).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func loadStatic(fsys fs.FS, dev bool) (staticFiles, error) {
	s := staticFiles{fsys: fsys, dev: dev, hashes: map[string]string{}, gz: &gzipCache{m: map[string][]byte{}}}
	if dev {
		return s, nil
	}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.hashes[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return s, err
}

// url returns the address of a static file, versioned by its content.
func (s staticFiles) url(name string) string {
	if h, ok := s.hashes[name]; ok {
		return "/static/" + name + "?v=" + h
	}
	return "/static/" + name
}

func (a *app) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if name == "" || strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(a.static.fsys, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	switch hash, ok := a.static.hashes[name]; {
	case a.static.dev:
		h.Set("Cache-Control", "no-cache")
	case ok && r.URL.Query().Get("v") == hash:
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("ETag", `"`+hash+`"`)
	default:
		h.Set("Cache-Control", "public, max-age=300")
		if ok {
			h.Set("ETag", `"`+hash+`"`)
		}
	}
	if gzippable(name) && len(b) >= minGzip {
		h.Add("Vary", "Accept-Encoding")
		if !a.static.dev && acceptsGzip(r) {
			// Ranges would apply to the compressed bytes: send it whole.
			r.Header.Del("Range")
			h.Set("Content-Encoding", "gzip")
			b = a.static.gz.get(name, b)
			if et := h.Get("ETag"); et != "" {
				h.Set("ETag", strings.TrimSuffix(et, `"`)+`-gz"`)
			}
		}
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
