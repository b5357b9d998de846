package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// staticFiles serves the CSS, JS and icons embedded in the binary. Pages
// link them with a content hash (?v=…), so a versioned URL can be cached for
// a year and a new release is fetched at once.
type staticFiles struct {
	fsys   fs.FS
	dev    bool
	hashes map[string]string // file name → short content hash; empty in Dev mode
}

func loadStatic(fsys fs.FS, dev bool) (staticFiles, error) {
	s := staticFiles{fsys: fsys, dev: dev, hashes: map[string]string{}}
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
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
