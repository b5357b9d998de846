// Package web renders Lianluo's server-side pages: the staff console under
// /console/ (login, dashboard, the registry of regions, organisations,
// stations, deputies, deputy groups and users, the audit trail, password
// change), the public home page, and the embedded static files under /static/.
//
// Every page calls the same application services as the JSON API; scope is
// enforced by the store, so a record outside the caller's scope is simply not
// found here too.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"lianluo"
	"lianluo/internal/server"
)

//go:embed templates static
var embedded embed.FS

// Config is what the pages need.
type Config struct {
	Services lianluo.Services
	Logger   *slog.Logger
	Dev      bool // re-parse templates from disk (internal/web/templates) on each request
	// Now is the clock for what pages compute from it (days left before a
	// deadline); time.Now when nil. Tests set the store's fixed clock.
	Now func() time.Time
	// PublicURL is the address voters reach the online station at, e.g.
	// "https://lianluo.example.cn": the QR codes and posters print it. When
	// empty it is taken from each request (scheme and Host), which is right
	// only when the server is reached directly, not behind a TLS proxy.
	PublicURL string
	// Logins limits login tries per client address and per username; the
	// server gives the pages and the API the same one. A new one with the
	// default limits when nil.
	Logins *server.LoginLimiter
}

// devDirs are where Dev mode looks for templates and static files: the
// repository root (where the server runs while developing) or this package.
var devDirs = []string{"internal/web", "."}

func devDir() (string, error) {
	for _, d := range devDirs {
		if fi, err := os.Stat(d + "/templates/layout.html"); err == nil && !fi.IsDir() {
			return d, nil
		}
	}
	return "", fmt.Errorf("dev mode: no internal/web/templates under %s", mustGetwd())
}

func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}

// app holds what the handlers share. It has no package-level state: tests
// build several side by side.
type app struct {
	svc    lianluo.Services
	log    *slog.Logger
	dev    bool
	devDir string         // Dev mode: where templates/ and static/ are
	pages  *pageTemplates // nil in Dev mode
	static staticFiles
	now    func() time.Time
	// publicURL is Config.PublicURL without a trailing slash.
	publicURL string
	logins    *server.LoginLimiter
}

// New returns the handler for the pages, to be mounted at "/".
func New(cfg Config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logins == nil {
		cfg.Logins = server.NewLoginLimiter(server.DefaultLoginLimits)
	}
	a := &app{svc: cfg.Services, log: cfg.Logger, dev: cfg.Dev, now: cfg.Now, publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		logins: cfg.Logins}
	var err error
	if cfg.Dev {
		if a.devDir, err = devDir(); err != nil {
			return nil, err
		}
		a.static, err = loadStatic(os.DirFS(a.devDir+"/static"), true)
	} else {
		sub, _ := fs.Sub(embedded, "static")
		a.static, err = loadStatic(sub, false)
	}
	if err != nil {
		return nil, err
	}
	if !cfg.Dev {
		// Parse once at start: a broken template stops the server here, not
		// on the first request that needs it.
		sub, _ := fs.Sub(embedded, "templates")
		if a.pages, err = a.newPageTemplates(sub); err != nil {
			return nil, err
		}
	}
	return a.routes(), nil
}

// Templates: layout.html, partials.html and occasion.html (the parts of
// receptions and activities) are shared; every other file is
// one page defining "content".
var sharedTemplates = []string{"layout.html", "partials.html", "occasion.html"}

// pageTemplates are the pages' templates. Every page is parsed at start
// (newPageTemplates), so that a broken template stops the server there,
// but a page's parsed form is kept only from the first time it is shown: a
// page is the shared templates cloned with its own file, a clone copies
// the shared templates' trees, and keeping all ~100 pages held 23 MB of
// heap (twice that in the collector's goal) that a server answering only
// the API, or a clerk's few pages, never used (BENCHMARKS.md, memory).
type pageTemplates struct {
	fsys   fs.FS
	shared *template.Template // the layout and partials, never executed
	names  map[string]bool    // every page
	mu     sync.Mutex
	kept   map[string]*template.Template // the pages shown so far
}

func (a *app) newPageTemplates(fsys fs.FS) (*pageTemplates, error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	// The layout and partials are parsed once and cloned for each page:
	// parsing them anew for each of ~80 pages was most of the start-up.
	shared, err := template.New("shared").Funcs(a.funcs()).ParseFS(fsys, sharedTemplates...)
	if err != nil {
		return nil, fmt.Errorf("parse shared templates: %w", err)
	}
	pt := &pageTemplates{fsys: fsys, shared: shared, names: map[string]bool{}, kept: map[string]*template.Template{}}
	for _, name := range names {
		if isShared(name) {
			continue
		}
		page := strings.TrimSuffix(name, ".html")
		if _, err := pt.parse(page); err != nil { // checked, not kept
			return nil, err
		}
		pt.names[page] = true
	}
	return pt, nil
}

// parse is the page's template: the shared ones cloned with its file.
func (pt *pageTemplates) parse(page string) (*template.Template, error) {
	t, err := pt.shared.Clone()
	if err == nil {
		t, err = t.ParseFS(pt.fsys, page+".html")
	}
	if err != nil {
		return nil, fmt.Errorf("parse template %s.html: %w", page, err)
	}
	return t, nil
}

// get is the page's template, parsed and kept on its first use.
func (pt *pageTemplates) get(page string) (*template.Template, error) {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	if t, ok := pt.kept[page]; ok {
		return t, nil
	}
	if !pt.names[page] {
		return nil, fmt.Errorf("no template %q", page)
	}
	t, err := pt.parse(page)
	if err != nil {
		return nil, err
	}
	pt.kept[page] = t
	return t, nil
}

func isShared(name string) bool {
	for _, s := range sharedTemplates {
		if s == name {
			return true
		}
	}
	return false
}

func (a *app) template(name string) (*template.Template, error) {
	pages := a.pages
	if a.dev {
		var err error
		if pages, err = a.newPageTemplates(os.DirFS(a.devDir + "/templates")); err != nil {
			return nil, err
		}
	}
	return pages.get(name)
}

// page is implemented by every page struct through its embedded basePage.
type page interface{ base() *basePage }

// basePage is what the layout needs on every page.
type basePage struct {
	Title    string
	Section  string // nav key of the current section
	UserName string
	RoleText string
	Nav      []navItem
	Flash    string // a short confirmation above the content
	// Unread is the caller's unread in-app messages, shown in the header
	// of every console page; unreadSet when a page counted it already.
	Unread    int
	unreadSet bool
	// Tabs is the bottom tab bar of the phone layout, which deputies and
	// unit handlers get instead of Nav (phoneKind).
	Tabs []navItem
	// DemoAccounts is how many demo accounts (lianluo demo) are still
	// active: every console page warns while any is.
	DemoAccounts int
}

func (b *basePage) base() *basePage { return b }

type navItem struct {
	Key, Label, URL string
	Current         bool
	Badge           int // a count beside the label (unread messages)
}

// render executes the page into a buffer and writes it only when that
// succeeded, so a template error never leaves half a page behind a 200.
func (a *app) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) error {
	b := p.base()
	if ac := lianluo.ActorFromContext(r.Context()); ac != nil && ac.User != nil {
		b.UserName = ac.User.DisplayName
		b.RoleText = lianluo.RolesText(ac.User.Roles)
		if !b.unreadSet {
			b.setUnread(a.unreadCount(r))
		}
		if a.svc.Settings != nil { // nil in some adapter tests
			if n, err := a.svc.Settings.DemoAccounts(r.Context()); err == nil {
				b.DemoAccounts = n
			} else {
				a.log.Error("count demo accounts", "err", err)
			}
		}
		if k := phoneKind(ac); k != "" {
			b.Tabs = tabsFor(k, b.Section, b.Unread)
		} else {
			b.Nav = navFor(ac, b.Section)
			for i := range b.Nav {
				if b.Nav[i].Key == "inbox" {
					b.Nav[i].Badge = b.Unread
				}
			}
		}
	}
	if b.Flash == "" {
		b.Flash = flashes[r.URL.Query().Get("ok")]
	}
	t, err := a.template(name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages carry personal data: never keep them in a shared cache.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = buf.WriteTo(w)
	if err != nil {
		a.log.Debug("write page", "err", err)
	}
	return nil
}

// flashes are the confirmations a redirect after a change asks for (?ok=…).
var flashes = map[string]string{
	"created":        "已创建。",
	"photo":          "照片已更新。",
	"photo_removed":  "照片已删除。",
	"saved":          "已保存。",
	"deactivated":    "已停用。",
	"activated":      "已启用。",
	"password":       "密码已修改。您的其他登录已全部退出。",
	"plan_published": "计划已发布，已通知代表。",
}

// navFor lists the sections the actor's roles open (lianluo.AreasOf). The
// store enforces scope regardless; this only hides what would be empty or refused.
func navFor(a *lianluo.Actor, current string) []navItem {
	open := lianluo.AreasOf(a)
	items := []navItem{{Key: "home", Label: "工作台", URL: "/console/"}}
	if open.Cases {
		items = append(items,
			navItem{Key: "todo", Label: "我的待办", URL: "/console/todo"},
			navItem{Key: "cases", Label: "群众意见", URL: "/console/cases"},
		)
	}
	if managesSessions(a) {
		items = append(items, navItem{Key: "sessions", Label: "会议与代表建议", URL: "/console/sessions"})
	} else if a.HasAny(lianluo.RoleUnitHandler, lianluo.RoleDeputy) {
		items = append(items, navItem{Key: "suggestions", Label: "代表建议", URL: "/console/suggestions"})
	}
	if open.Stats {
		items = append(items, navItem{Key: "stats", Label: "统计分析", URL: "/console/stats"})
		items = append(items, navItem{Key: "ledgers", Label: "台账", URL: "/console/ledgers"})
	}
	if lianluo.CanListAppraisals(a) {
		items = append(items, navItem{Key: "appraisals", Label: "工作评议", URL: "/console/appraisals"})
	}
	if a.Has(lianluo.RoleUnitHandler) {
		items = append(items, navItem{Key: "rectify", Label: "整改事项", URL: "/console/rectifications"})
	}
	if open.Orgs {
		items = append(items, navItem{Key: "orgs", Label: "机构", URL: "/console/orgs"})
	}
	if open.Registry {
		items = append(items,
			navItem{Key: "stations", Label: "联络站", URL: "/console/stations"},
			navItem{Key: "deputies", Label: "人大代表", URL: "/console/deputies"},
			navItem{Key: "groups", Label: "代表小组", URL: "/console/groups"},
		)
	}
	if open.Occasions {
		items = append(items, navItem{Key: "receptions", Label: "接待安排", URL: "/console/receptions"})
		items = append(items, navItem{Key: "activities", Label: "代表活动", URL: "/console/activities"})
	}
	if open.Records {
		items = append(items, navItem{Key: "diary", Label: "民情日记", URL: "/console/diary"})
		items = append(items, navItem{Key: "duty", Label: "履职登记", URL: "/console/duty-records"})
		items = append(items, navItem{Key: "mailbox", Label: "代表信箱", URL: "/console/mailbox"})
	}
	if open.Accounts || open.Review {
		items = append(items, navItem{Key: "users", Label: "用户与权限", URL: "/console/users"})
	}
	if open.Accounts {
		items = append(items, navItem{Key: "sheets", Label: "Excel导入导出", URL: "/console/sheets"})
	}
	items = append(items, navItem{Key: "regions", Label: "行政区划", URL: "/console/regions"})
	if open.Settings {
		items = append(items, navItem{Key: "settings", Label: "网上联络站设置", URL: "/console/settings/public"})
		items = append(items, navItem{Key: "calendar", Label: "节假日安排", URL: "/console/settings/calendar"})
		items = append(items, navItem{Key: "notifications", Label: "通知发送记录", URL: "/console/notifications"})
	}
	if open.Security {
		items = append(items, navItem{Key: "security", Label: "安全设置", URL: "/console/settings/security"})
	}
	if open.Audit {
		items = append(items, navItem{Key: "audit", Label: "操作日志", URL: "/console/audit"})
	}
	items = append(items, navItem{Key: "inbox", Label: "站内消息", URL: "/console/inbox"})
	items = append(items, navItem{Key: "notify_prefs", Label: "通知设置", URL: "/console/notify-prefs"})
	items = append(items, navItem{Key: "password", Label: "修改密码", URL: "/console/password"})
	items = append(items, navItem{Key: "mfa", Label: "双因素认证", URL: "/console/mfa"})
	for i := range items {
		items[i].Current = items[i].Key == current
	}
	return items
}

// handler is a page handler: it writes a response or returns an error, which
// handle turns into the error page.
type handler func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handler to net/http. It is the one place where errors
// become statuses (lianluo error code → HTTP status).
func (a *app) handle(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := readForm(w, r); err != nil {
			a.fail(w, r, err)
			return
		}
		bw := &server.BeganWriter{ResponseWriter: w}
		if err := h(bw, r); err != nil && !server.Unanswerable(a.log, bw, r, err) {
			a.fail(w, r, err)
		}
	})
}

// maxFormBytes bounds a posted form: the largest, a station with its
// liaisons and deputies, is a few kilobytes.
const maxFormBytes = 1 << 20

// readForm parses a posted form up front, so that handlers can read fields
// without checking errors and an oversized or garbled body is refused here.
func readForm(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// File uploads (Excel imports) read their own body with their own limit.
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return lianluo.Errorf(lianluo.ETOOLARGE, "提交的内容过多，请分几次提交。")
		}
		return lianluo.Errorf(lianluo.EINVALID, "无法读取提交的表单，请刷新页面后重试。")
	}
	return nil
}

// console requires a login for h.
func (a *app) console(h handler) http.Handler {
	return a.handle(func(w http.ResponseWriter, r *http.Request) error {
		ac, err := lianluo.RequireActor(r.Context())
		if err != nil {
			return err
		}
		// A password an administrator set (or one expired) is changed
		// before anything else: every page leads to the form, which
		// explains why (README: Security).
		if ac.User.MustChangePassword && r.URL.Path != "/console/password" {
			http.Redirect(w, r, "/console/password", http.StatusSeeOther)
			return nil
		}
		// So is the second factor, where the security settings require it
		// of the user's roles.
		if ac.User.MustEnrolMFA && !strings.HasPrefix(r.URL.Path, "/console/mfa") && r.URL.Path != "/console/password" {
			http.Redirect(w, r, "/console/mfa", http.StatusSeeOther)
			return nil
		}
		if !lianluo.DutyAllows(ac, consolePart(r.URL.Path)) {
			return lianluo.Forbidden()
		}
		return h(w, r)
	})
}

// consoleParts are the console's pages by part of the platform
// (lianluo.DutyAllows), by path prefix; every other page is the business.
var consoleParts = []struct {
	prefix string
	part   lianluo.Part
}{
	{"/console/regions", lianluo.PartOwn}, {"/console/inbox", lianluo.PartOwn}, {"/console/notify-prefs", lianluo.PartOwn},
	{"/console/password", lianluo.PartOwn}, {"/console/mfa", lianluo.PartOwn},
	{"/console/users", lianluo.PartAccounts},
	{"/console/settings/security", lianluo.PartSecurity},
	{"/console/audit", lianluo.PartAudit},
}

// consolePart is the part of the platform a console path belongs to.
func consolePart(path string) lianluo.Part {
	if path == "/console/" {
		return lianluo.PartOwn // the dashboard shows each what their roles open
	}
	for _, p := range consoleParts {
		if path == p.prefix || strings.HasPrefix(path, p.prefix+"/") {
			return p.part
		}
	}
	return lianluo.PartWork
}

// errorStatus maps an application error code to an HTTP status.
func errorStatus(code string) int { return lianluo.HTTPStatus(code) }

var errorTitles = map[int]string{
	http.StatusBadRequest:            "输入有误",
	http.StatusForbidden:             "没有权限",
	http.StatusNotFound:              "未找到",
	http.StatusConflict:              "操作未完成",
	http.StatusLocked:                "账号已锁定",
	http.StatusTooManyRequests:       "操作过于频繁",
	http.StatusRequestEntityTooLarge: "内容过大",
	http.StatusInternalServerError:   "系统错误",
}

type errorPage struct {
	basePage
	Status  int
	Message string
}

// fail writes the error page, or sends an anonymous caller to the login page.
func (a *app) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := lianluo.ErrorCode(err)
	if code == lianluo.EUNAUTHORIZED {
		next := "/console/"
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next = r.URL.RequestURI()
		}
		http.Redirect(w, r, "/console/login?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	status := errorStatus(code)
	if status == http.StatusInternalServerError {
		// Only the method, the path (IDs, never the query string) and the
		// error: no names or phone numbers reach the log.
		a.log.Error("page", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", err)
	}
	if code == lianluo.EFORBIDDEN && actor(r) != nil {
		// A refused request is on the record (等保: 越权访问); the path
		// as logged, never the query, which may hold personal data.
		summary := r.Method + " " + lianluo.LogPath(r.URL.Path) + "：" + lianluo.ErrorMessage(err)
		if aerr := a.svc.Events.RecordEvent(r.Context(), lianluo.EntityRequest, 0, lianluo.AuditForbidden, summary); aerr != nil {
			a.log.Error("page audit", "method", r.Method, "path", lianluo.LogPath(r.URL.Path), "err", aerr)
		}
	}
	p := &errorPage{basePage: basePage{Title: errorTitles[status]}, Status: status, Message: lianluo.ErrorMessage(err)}
	if rerr := a.render(w, r, status, "error", p); rerr != nil {
		a.log.Error("render error page", "path", lianluo.LogPath(r.URL.Path), "err", rerr)
		http.Error(w, p.Message, status)
	}
}

// notFound answers every path no route claims.
func (a *app) notFound(w http.ResponseWriter, r *http.Request) error {
	return lianluo.Errorf(lianluo.ENOTFOUND, "您要访问的页面不存在。")
}

// actor returns the logged-in actor; console handlers run only with one.
func actor(r *http.Request) *lianluo.Actor {
	return lianluo.ActorFromContext(r.Context())
}

// redirect answers a successful POST (Post/Redirect/Get).
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
