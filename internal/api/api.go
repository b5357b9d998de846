// Package api is the JSON API under /api/v1 (README: the case workflow; the OpenAPI document at /api/v1/openapi.json) over the
// same services as the pages. Handlers return error; one adapter turns an
// error into {"error":{"code","message","field"}} with the status of its code.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"lianluo"
	"lianluo/internal/server"
)

// Config is what the API needs.
type Config struct {
	Services lianluo.Services
	Logger   *slog.Logger
	// Logins limits login tries per client address and per username; the
	// server gives the pages and the API the same one. A new one with the
	// default limits when nil.
	Logins *server.LoginLimiter
	// Now is the clock for what answers compute from it (this year's
	// statistics, this quarter, a file's date); time.Now when nil. The
	// server gives the pages and the API the same clock; tests set the
	// store's fixed clock.
	Now func() time.Time
}

// Handler serves /api/v1.
type Handler struct {
	svc    lianluo.Services
	log    *slog.Logger
	mux    *http.ServeMux
	logins *server.LoginLimiter
	now    func() time.Time
}

// New returns the API handler, to be mounted at /api/.
func New(cfg Config) *Handler {
	if cfg.Logins == nil {
		cfg.Logins = server.NewLoginLimiter(server.DefaultLoginLimits)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{svc: cfg.Services, log: cfg.Logger, mux: http.NewServeMux(), now: cfg.Now, logins: cfg.Logins}
	for _, rt := range h.routes() {
		h.mux.HandleFunc(rt.Method+" "+rt.Path, h.adapt(rt))
	}
	h.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		h.writeError(w, r, lianluo.Errorf(lianluo.ENOTFOUND, "接口不存在：%s %s", r.Method, lianluo.Truncate(lianluo.LogPath(r.URL.Path), 100)))
	})
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// adapt turns a route's handler into an http.HandlerFunc: login check, then
// the handler, then one error path.
func (h *Handler) adapt(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var err error
		bw := &server.BeganWriter{ResponseWriter: w}
		a := lianluo.ActorFromContext(r.Context())
		if !rt.Public && a == nil {
			err = lianluo.Errorf(lianluo.EUNAUTHORIZED, "请先登录。")
		} else if a != nil && a.User != nil && a.User.MustChangePassword && !rt.Public && !rt.BeforeChange {
			err = lianluo.ErrPasswordChangeRequired
		} else if a != nil && a.User != nil && a.User.MustEnrolMFA && !rt.Public && !rt.BeforeChange {
			err = lianluo.ErrMFAEnrolmentRequired
		} else if a != nil && !lianluo.DutyAllows(a, rt.part()) {
			err = lianluo.Forbidden()
		} else {
			err = rt.Handle(bw, r)
		}
		if err != nil && !server.Unanswerable(h.log, bw, r, err) {
			h.writeError(w, r, err)
		}
	}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string             `json:"code"`
	Message string             `json:"message"`
	Field   string             `json:"field,omitempty"`
	Rows    []lianluo.RowError `json:"rows,omitempty"`
}

func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := lianluo.ErrorCode(err)
	if code == lianluo.EINTERNAL {
		h.log.Error("api", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", err)
	}
	if code == lianluo.EFORBIDDEN && lianluo.ActorFromContext(r.Context()) != nil {
		// A refused request is on the record (等保: 越权访问); the path
		// as logged, never the query, which may hold personal data.
		summary := r.Method + " " + lianluo.LogPath(r.URL.Path) + "：" + lianluo.ErrorMessage(err)
		if aerr := h.svc.Events.RecordEvent(r.Context(), lianluo.EntityRequest, 0, lianluo.AuditForbidden, summary); aerr != nil {
			h.log.Error("api audit", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", aerr)
		}
	}
	d := errorDetail{Code: code, Message: lianluo.ErrorMessage(err), Field: lianluo.ErrorField(err)}
	var rows lianluo.RowErrors
	if errors.As(err, &rows) {
		d.Rows = rows
	}
	writeJSON(w, lianluo.HTTPStatus(code), errorBody{Error: d})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Reset()
	// Encode is Marshal with the newline after: the same bytes, without a
	// new slice for every answer (a page of cases is about 20 KB).
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The length known, the body goes out as it is, not in chunks: fewer
	// writes to the socket for a page of cases (BENCHMARKS.md).
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// jsonBuffers are writeJSON's buffers, reused.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putJSONBuffer returns a buffer to the pool unless an export's answer
// made it large: kept, one large answer would hold its memory for good.
func putJSONBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		jsonBuffers.Put(b)
	}
}

// list is the shape of every list response.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// pagedList is the shape of a list that is not counted page by page (the
// case list): has_more says whether another page follows; total is there
// only when known — the page reaches the end of the matches.
type pagedList[T any] struct {
	Items   []T  `json:"items"`
	Total   *int `json:"total,omitempty"`
	HasMore bool `json:"has_more"`
}

// writePaged answers a page of a list whose total may be lianluo.TotalUnknown.
func writePaged[T any](w http.ResponseWriter, items []T, total int, p lianluo.Page) error {
	if items == nil {
		items = []T{}
	}
	out := pagedList[T]{Items: items, HasMore: total < 0}
	if total >= 0 {
		out.Total = &total
		out.HasMore = !p.Unlimited() && p.Offset()+len(items) < total
	}
	return writeJSON(w, http.StatusOK, out)
}

func writeList[T any](w http.ResponseWriter, items []T, total int) error {
	if items == nil {
		items = []T{}
	}
	return writeJSON(w, http.StatusOK, list[T]{Items: items, Total: total})
}

// maxBody bounds JSON request bodies.
const maxBody = 1 << 20

// decode reads exactly one JSON object into v, rejecting unknown fields,
// with a Chinese error naming the field at fault. A string with a NUL byte
// (also written \u0000) or invalid UTF-8 is refused naming its field
// (lianluo.CheckText): PostgreSQL cannot store either.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return lianluo.FieldError("body", "请求须为 JSON（Content-Type: application/json）。")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		if isTooLarge(err) {
			return errBodyTooLarge
		}
		return lianluo.FieldError("body", "请求内容没有上传完整，请重试。")
	}
	if len(body) > maxBody {
		return errBodyTooLarge
	}
	// encoding/json quietly turns invalid UTF-8 into U+FFFD. Written as
	// \u0000 instead, it decodes to a NUL that checkText finds in its field.
	raw, badUTF8 := body, !utf8.Valid(body)
	if badUTF8 {
		body = bytes.ToValidUTF8(body, []byte(`\u0000`))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return lianluo.FieldError("body", "请求内容为空。")
		case errors.As(err, &syn):
			return lianluo.FieldError("body", "JSON 格式错误（第%d字节附近）。", syn.Offset)
		case errors.As(err, &typ):
			return lianluo.FieldError(typ.Field, "字段“%s”的类型不正确。", typ.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.TrimPrefix(err.Error(), "json: unknown field ")
			if u, err := strconv.Unquote(f); err == nil {
				f = u
			}
			if err := lianluo.CheckText("body", f); err != nil {
				return err
			}
			return lianluo.FieldError(f, "不认识的字段“%s”。", f)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return lianluo.FieldError("body", "JSON 不完整。")
		}
		return lianluo.FieldError("body", "JSON 无法解析。")
	}
	if dec.More() {
		return lianluo.FieldError("body", "请求只能包含一个 JSON 对象。")
	}
	if err := checkText(reflect.ValueOf(v), ""); err != nil {
		return err
	}
	if badUTF8 {
		// Invalid bytes that reached no string (after a backslash, say)
		// are refused all the same.
		return lianluo.CheckText("body", string(raw))
	}
	return nil
}

var errBodyTooLarge = lianluo.Errorf(lianluo.ETOOLARGE, "请求内容过大（不能超过%dMB）。", maxBody>>20)

// pathID parses the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, lianluo.Errorf(lianluo.ENOTFOUND, "记录不存在。")
	}
	return id, nil
}

// idAndBody reads the path's id and the JSON body of a request that acts on
// one record.
func idAndBody[T any](r *http.Request) (int64, T, error) {
	var in T
	id, err := pathID(r)
	if err != nil {
		return 0, in, err
	}
	err = decode(r, &in)
	return id, in, err
}

// query reads list parameters with Chinese errors naming the parameter.
type query struct {
	r   *http.Request
	err error
}

func (q *query) str(name string) string { return strings.TrimSpace(q.r.URL.Query().Get(name)) }

func (q *query) int64(name string) int64 {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if (err != nil || n < 0) && q.err == nil {
		q.err = lianluo.FieldError(name, "参数 %s 须为非负整数。", name)
	}
	return n
}

func (q *query) boolPtr(name string) *bool {
	switch q.str(name) {
	case "":
		return nil
	case "true", "1":
		b := true
		return &b
	case "false", "0":
		b := false
		return &b
	}
	if q.err == nil {
		q.err = lianluo.FieldError(name, "参数 %s 须为 true 或 false。", name)
	}
	return nil
}

func (q *query) date(name string, end bool) *time.Time {
	s := q.str(name)
	if s == "" {
		return nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, lianluo.Beijing)
	if err != nil {
		if q.err == nil {
			q.err = lianluo.FieldError(name, "参数 %s 须为日期，例如 2026-03-01。", name)
		}
		return nil
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return &t
}

func (q *query) page() lianluo.Page {
	p := lianluo.Page{Page: int(q.int64("page")), PerPage: int(q.int64("per_page"))}
	if p.PerPage > lianluo.MaxPerPage {
		p.PerPage = lianluo.MaxPerPage
	}
	return p
}

func clientAddr(r *http.Request) string {
	if a := lianluo.ClientAddrFromContext(r.Context()); a != "" {
		return a
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
