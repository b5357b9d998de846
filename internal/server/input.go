package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"lianluo"
)

// Text that PostgreSQL cannot store — a NUL byte or invalid UTF-8 — is
// refused at the door, the same on SQLite, with a 400 naming the field
// (lianluo.CheckText). JSON bodies are checked by the API's decode; this
// checks the rest of what a client sends as text: the path, the query
// string, and urlencoded and multipart forms (keys, values and the names of
// uploaded files).
//
// Handlers read their bodies themselves, each with its own size limit, and
// the public pages read a multipart body part by part (to keep the fields
// when a photo is too big), so the body is not parsed here into the
// request's form: it is read ahead into a spool, checked, and handed to the
// handler again byte for byte. Its limits and errors are the handler's, as
// before.

const (
	// maxCheckedBody bounds how much of a form body is read ahead: no
	// handler takes more (the public pages' six photos, 61 MB). Past it the
	// handler's own limit refuses the request anyway.
	maxCheckedBody = 64 << 20
	// maxCheckedForm bounds an urlencoded body read ahead: more than any
	// handler takes (the console's 1 MB; net/http's own 10 MB).
	maxCheckedForm = 10 << 20
	// maxCheckedValue bounds a multipart text value: the handlers keep at
	// most 1 MB of fields in memory and refuse more.
	maxCheckedValue = 1 << 20
	// spoolInMemory is how much of a read-ahead multipart body stays in
	// memory; the rest goes to a temporary file.
	spoolInMemory = 1 << 20
)

// checkInput refuses a request whose text input is not lianluo.ValidText.
func checkInput(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkURL(r.URL); err != nil {
			writeInputError(w, r, err)
			return
		}
		ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch {
		case r.Body == nil || r.Body == http.NoBody:
		case ct == "application/x-www-form-urlencoded":
			b, err := io.ReadAll(io.LimitReader(r.Body, maxCheckedForm+1))
			r.Body = replay(r.Body, bytes.NewReader(b))
			if err == nil && len(b) <= maxCheckedForm {
				if err := checkValues(string(b), "form"); err != nil {
					writeInputError(w, r, err)
					return
				}
			}
		case ct == "multipart/form-data" && params["boundary"] != "":
			sp := &spool{}
			defer sp.remove()
			err := checkMultipart(io.TeeReader(io.LimitReader(r.Body, maxCheckedBody), sp), params["boundary"])
			ahead, serr := sp.reader()
			if serr != nil {
				logger.Error("read ahead a form", "path", lianluo.LogPath(r.URL.Path), "err", serr)
				http.Error(w, "系统内部错误", http.StatusInternalServerError)
				return
			}
			r.Body = replay(r.Body, ahead)
			if err != nil {
				writeInputError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// checkURL checks the path (a tracking code is a path segment) and the
// query string, after unescaping (%00 is a NUL).
func checkURL(u *url.URL) error {
	if err := lianluo.CheckText("path", u.Path); err != nil {
		return err
	}
	return checkValues(u.RawQuery, "query")
}

// checkValues checks the keys and values of a query string or urlencoded
// body, in key order so that the field named is always the same. A key
// that is itself bad is named by where it came from (query or form).
func checkValues(raw, where string) error {
	vs, _ := url.ParseQuery(raw) // malformed pairs are dropped, as r.Form drops them
	keys := make([]string, 0, len(vs))
	for k := range vs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := lianluo.CheckText(where, k); err != nil {
			return err
		}
		for _, v := range vs[k] {
			if err := lianluo.CheckText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkMultipart checks every part's field name, file name and, for text
// fields, value. A body it cannot parse or that is cut off by the
// read-ahead limit is left to the handler, which refuses it in its own
// words; only what was read whole is judged.
func checkMultipart(body io.Reader, boundary string) error {
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			io.Copy(io.Discard, body) // the rest, for the spool
			return nil
		}
		name := p.FormName()
		if err := lianluo.CheckText("form", name); err != nil {
			return err
		}
		if p.FileName() != "" {
			if err := lianluo.CheckText(name, p.FileName()); err != nil {
				return err
			}
			io.Copy(io.Discard, p)
			continue
		}
		v, err := io.ReadAll(io.LimitReader(p, maxCheckedValue+1))
		if err != nil || len(v) > maxCheckedValue {
			io.Copy(io.Discard, body)
			return nil
		}
		if err := lianluo.CheckText(name, string(v)); err != nil {
			return err
		}
	}
}

// writeInputError answers 400: in the API's error shape under /api/, as
// plain text elsewhere (the pages' layouts belong to the web package).
func writeInputError(w http.ResponseWriter, r *http.Request, err error) {
	code := lianluo.ErrorCode(err)
	status, msg := lianluo.HTTPStatus(code), lianluo.ErrorMessage(err)
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		type detail struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field,omitempty"`
		}
		b, _ := json.Marshal(struct {
			Error detail `json:"error"`
		}{detail{code, msg, lianluo.ErrorField(err)}})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		w.Write(append(b, '\n'))
		return
	}
	http.Error(w, msg, status)
}

// replay gives a handler the body again: what was read ahead, then the rest.
func replay(body io.ReadCloser, ahead io.Reader) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(ahead, body), body}
}

// spool keeps a read-ahead body: the first spoolInMemory bytes in memory,
// the rest in a temporary file, removed when the request is done.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	err  error // the first write that failed: the spool is not the body
}

func (s *spool) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.file == nil && s.mem.Len()+len(p) <= spoolInMemory {
		return s.mem.Write(p)
	}
	if s.file == nil {
		s.file, s.err = os.CreateTemp("", "lianluo-upload-*")
		if s.err != nil {
			return 0, s.err
		}
	}
	var n int
	n, s.err = s.file.Write(p)
	return n, s.err
}

func (s *spool) reader() (io.Reader, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.file == nil {
		return &s.mem, nil
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, errors.Join(err, s.remove())
	}
	return io.MultiReader(&s.mem, s.file), nil
}

func (s *spool) remove() error {
	if s.file == nil {
		return nil
	}
	err := errors.Join(s.file.Close(), os.Remove(s.file.Name()))
	s.file = nil
	return err
}
