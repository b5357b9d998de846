package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"lianluo"
	"lianluo/internal/server"
)

// The online station (网上代表联络站): the pages a voter uses
// without an account. They have their own layout (public_layout.html) and
// stylesheet (public.css): mobile first, no script, no external resource,
// large text and high contrast switched by a cookie.
//
// Page templates are parsed like every other page (with layout.html and
// partials.html, so the shared field partials work); renderPublic executes
// the page's "content" and then wraps it in the public layout. The console
// layout never shows on these pages, not even for a 404.

// publicBase is what the public layout needs on every page.
type publicBase struct {
	Title   string
	Section string // the nav item to mark: home, submit, track, results
	Flash   string // a short confirmation above the content
	// Back is where the 大字/高对比度 switch returns to; the request's own
	// address when empty.
	Back string
	// Poster drops the header, nav and footer (the A4 poster).
	Poster bool

	// Set by renderPublic.
	Large, Contrast bool
	LoggedIn        bool
	Nav             []navItem
}

func (b *publicBase) pub() *publicBase { return b }

// publicPage is implemented by every public page struct through its
// embedded publicBase.
type publicPage interface{ pub() *publicBase }

// publicLayout is the data of public_layout.html.
type publicLayout struct {
	*publicBase
	// Main is the page's "content", already rendered (and escaped) by
	// html/template into a buffer; it never holds unescaped user text.
	Main template.HTML
}

var publicNav = []navItem{
	{Key: "home", Label: "首页", URL: "/"},
	{Key: "submit", Label: "我要反映", URL: "/submit"},
	{Key: "track", Label: "查询进度", URL: "/track"},
	{Key: "results", Label: "结果公开", URL: "/results"},
}

// renderPublic renders a public page into a buffer and writes it only when
// that succeeded.
func (a *app) renderPublic(w http.ResponseWriter, r *http.Request, status int, name string, p publicPage) error {
	b := p.pub()
	b.Large, b.Contrast = readPrefs(r)
	b.LoggedIn = actor(r) != nil
	if b.Back == "" {
		b.Back = r.URL.Path
		if r.Method == http.MethodGet && r.URL.RawQuery != "" {
			b.Back = r.URL.RequestURI()
		}
	}
	b.Nav = make([]navItem, len(publicNav))
	for i, n := range publicNav {
		n.Current = n.Key == b.Section
		b.Nav[i] = n
	}
	t, err := a.template(name)
	if err != nil {
		return err
	}
	var main bytes.Buffer
	if err := t.ExecuteTemplate(&main, "content", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	lt, err := a.template("public_layout")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := lt.ExecuteTemplate(&buf, "public", publicLayout{publicBase: b, Main: template.HTML(main.String())}); err != nil {
		return fmt.Errorf("render public layout for %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// A voter's tracking page carries their opinion: no shared caches.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if _, err := buf.WriteTo(w); err != nil {
		a.log.Debug("write page", "err", err)
	}
	return nil
}

type publicErrorPage struct {
	publicBase
	Status  int
	Message string
}

// pub turns the errors of a public handler into the public error page, so
// a voter never lands on the console's layout.
func (a *app) pub(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := h(w, r)
		if err == nil {
			return nil
		}
		return a.publicFail(w, r, err)
	}
}

func (a *app) publicFail(w http.ResponseWriter, r *http.Request, err error) error {
	code := lianluo.ErrorCode(err)
	status := errorStatus(code)
	if status == http.StatusInternalServerError {
		// A path can carry a tracking code (/track/{code}): LogPath
		// hides it.
		a.log.Error("public page", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", err)
	}
	p := &publicErrorPage{publicBase: publicBase{Title: errorTitles[status]}, Status: status, Message: lianluo.ErrorMessage(err)}
	if rerr := a.renderPublic(w, r, status, "public_error", p); rerr != nil {
		a.log.Error("render public error page", "path", lianluo.LogPath(r.URL.Path), "err", rerr)
		return err // the console's error page, then
	}
	return nil
}

// handleUpload adapts a public handler that reads a multipart body of up to
// limit bytes itself. handle's readForm caps uploads at maxUploadBytes,
// which is less than a voter's six photos.
func (a *app) handleUpload(limit int64, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := a.pub(h)(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// Large text and high contrast (大字, 高对比度): a cookie the layout turns
// into classes on <html>. The switch is a plain form, so it works without
// script.

const prefsCookie = "lianluo_prefs"

func readPrefs(r *http.Request) (large, contrast bool) {
	c, err := r.Cookie(prefsCookie)
	if err != nil {
		return false, false
	}
	for _, p := range strings.Split(c.Value, "_") {
		switch p {
		case "large":
			large = true
		case "contrast":
			contrast = true
		}
	}
	return large, contrast
}

// prefs toggles one preference and goes back to the page it came from.
func (a *app) prefs(w http.ResponseWriter, r *http.Request) error {
	large, contrast := readPrefs(r)
	switch r.PostFormValue("toggle") {
	case "large":
		large = !large
	case "contrast":
		contrast = !contrast
	}
	var parts []string
	if large {
		parts = append(parts, "large")
	}
	if contrast {
		parts = append(parts, "contrast")
	}
	c := &http.Cookie{Name: prefsCookie, Value: strings.Join(parts, "_"), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: server.IsSecure(r)}
	if len(parts) == 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
	return redirect(w, r, safeBack(r.PostFormValue("back")))
}

// safeBack keeps a return address on this site: a path, never another
// host ("//evil.example", "https://…", "/\evil").
func safeBack(back string) string {
	u, err := url.Parse(back)
	if err != nil || !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") ||
		u.Scheme != "" || u.Host != "" || u.User != nil || strings.ContainsAny(back, "\\\r\n\t") {
		return "/"
	}
	return back
}

// baseURL is the site's absolute address, for what is carried off the
// page (QR codes, posters, sign-in codes, calendar links): Config.PublicURL,
// or else the request's own.
func (a *app) baseURL(r *http.Request) string {
	if a.publicURL != "" {
		return a.publicURL
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// notFoundAs rewords the store's not-found ("…不存在或无权查看", written for
// staff scopes) for a voter; other errors pass through.
func notFoundAs(err error, msg string) error {
	if lianluo.ErrorCode(err) == lianluo.ENOTFOUND {
		return lianluo.Errorf(lianluo.ENOTFOUND, "%s", msg)
	}
	return err
}

const (
	stationGone = "没有找到这个联络站。它可能已经停用，或者链接有误。"
	deputyGone  = "没有找到这位代表。可能链接有误，或者代表已不在任。"
)

// initial is the first character of a name, shown where a portrait is missing.
func initial(name string) string {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(name))
	if r == utf8.RuneError {
		return "代"
	}
	return string(r)
}

// publicForm is a posted public form: its fields and any photos, read from
// a multipart body (or a plain one) within the request's byte limit.
type publicForm struct {
	values  url.Values
	photos  []upload
	tooMany bool // more photos than lianluo.MaxPublicPhotos
	tooBig  bool // a photo, or the whole body, was over its limit
}

func (f *publicForm) get(name string) string { return strings.TrimSpace(f.values.Get(name)) }

func (f *publicForm) bool(name string) bool {
	switch f.values.Get(name) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// readPublicForm reads the fields and the photos of field photoField. It
// reads the multipart stream part by part, so that when a photo is too big
// the fields before and after it are still kept for the re-shown form; a
// body over the whole limit keeps the fields read so far.
func readPublicForm(r *http.Request, photoField string) (*publicForm, error) {
	f := &publicForm{values: url.Values{}}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				f.tooBig = true
				return f, nil
			}
			return nil, lianluo.Errorf(lianluo.EINVALID, "无法读取提交的表单，请刷新页面后重试。")
		}
		f.values = r.PostForm
		return f, nil
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	const maxFieldBytes = 64 << 10
	textBytes := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				f.tooBig = true
				return f, nil
			}
			return nil, lianluo.Errorf(lianluo.EINVALID, "无法读取提交的表单，请刷新页面后重试。")
		}
		name := part.FormName()
		if name == photoField && part.FileName() != "" {
			data, err := io.ReadAll(io.LimitReader(part, lianluo.MaxPhotoBytes+1))
			if err == nil && len(data) > lianluo.MaxPhotoBytes {
				f.tooBig = true
				_, err = io.Copy(io.Discard, part)
			}
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					f.tooBig = true
					return f, nil
				}
				return nil, lianluo.Errorf(lianluo.EINVALID, "照片没有传完整，请检查网络后重新提交。")
			}
			switch {
			case len(data) == 0 || len(data) > lianluo.MaxPhotoBytes:
			case len(f.photos) >= lianluo.MaxPublicPhotos:
				f.tooMany = true
			default:
				f.photos = append(f.photos, upload{name: part.FileName(), data: data})
			}
			continue
		}
		if name == "" || part.FileName() != "" {
			io.Copy(io.Discard, part)
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				f.tooBig = true
				return f, nil
			}
			return nil, lianluo.Errorf(lianluo.EINVALID, "无法读取提交的表单，请刷新页面后重试。")
		}
		textBytes += len(b)
		if len(b) > maxFieldBytes || textBytes > maxFormBytes {
			return nil, lianluo.Errorf(lianluo.ETOOLARGE, "提交的内容过多，请精简后再提交。")
		}
		f.values.Add(name, string(b))
	}
}

// photosTooBigText is the message for a photo over its size or an upload
// over the request's limit.
var photosTooBigText = fmt.Sprintf("照片太大了：每张不能超过%dMB，最多%d张。请换小一点的照片，或少选几张。",
	lianluo.MaxPhotoBytes>>20, lianluo.MaxPublicPhotos)

// checkPhotos checks every photo by its bytes before anything is stored,
// so that a bad photo stores nothing.
func checkPhotos(f *publicForm, field string) error {
	switch {
	case f.tooBig:
		return lianluo.FieldError(field, "%s", photosTooBigText)
	case f.tooMany:
		return lianluo.FieldError(field, "最多上传%d张照片。", lianluo.MaxPublicPhotos)
	}
	for _, p := range f.photos {
		if _, err := lianluo.SniffPhoto(field, p.data); err != nil {
			if lianluo.ErrorCode(err) == lianluo.ETOOLARGE {
				return lianluo.FieldError(field, "%s", photosTooBigText)
			}
			return lianluo.FieldError(field, "“%s”不是照片。%s", p.name, lianluo.ErrorMessage(err))
		}
	}
	return nil
}

// maxPhotosBody bounds a request with photos: every photo at its largest
// and a megabyte for the fields.
const maxPhotosBody = lianluo.MaxPublicPhotos*lianluo.MaxPhotoBytes + 1<<20

// publicTowns lists the towns (乡镇/街道) that have active stations, walking
// the region picker down from the deployment's top.
func (a *app) publicTowns(ctx context.Context) ([]lianluo.PublicRegion, error) {
	const townLen = 9
	var out []lianluo.PublicRegion
	var walk func(code string, depth int) error
	walk = func(code string, depth int) error {
		p, err := a.svc.Public.PublicRegions(ctx, code)
		if err != nil {
			return err
		}
		if len(p.Current.Code) >= townLen {
			out = append(out, p.Current)
			return nil
		}
		for _, c := range p.Children {
			if len(c.Code) >= townLen {
				out = append(out, c)
			} else if depth < 4 {
				if err := walk(c.Code, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return out, walk("", 0)
}

// publicDate is a Beijing date as voters write it: 2026年3月2日.
func publicDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	b := t.In(lianluo.Beijing)
	return fmt.Sprintf("%d年%d月%d日", b.Year(), b.Month(), b.Day())
}
