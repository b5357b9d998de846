package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/demo"
	"lianluo/internal/jobs"
	"lianluo/internal/notify"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/web"
)

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	start := time.Now()
	c, err := serveConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	serverGC(getenv)
	// A wrong channel setting stops the start: better than notices that
	// silently never go out.
	channels, err := notify.ConfigFromEnv(getenv)
	if err != nil {
		return fmt.Errorf("notification channels: %w", err)
	}
	c.Channels = channels.Channels()
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if path := getenv("LIANLUO_CPU_PROFILE"); path != "" {
		// For performance work (BENCHMARKS.md): a CPU profile of the whole
		// run, written at a graceful stop; read it with go tool pprof.
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	if path := getenv("LIANLUO_HEAP_PROFILE"); path != "" {
		// The same for memory: the live heap at a graceful stop.
		defer writeHeapProfile(path, logger)
	}
	logChannels(logger, channels)
	svc := services(db)

	// The demo's summary and accounts are printed last, once the server is
	// ready, so that a newcomer finds them at the bottom of the terminal.
	var welcome bytes.Buffer
	if c.Demo {
		fmt.Fprintln(stdout, "正在检查并载入演示数据（宁波市北仑区），首次约需半分钟……")
		res, err := demo.Load(system(ctx), svc, c.clock)
		if err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
		if res.AlreadyLoaded {
			if res.Accounts, err = demo.Accounts(system(ctx), svc); err != nil {
				return fmt.Errorf("read demo accounts: %w", err)
			}
			fmt.Fprintln(&welcome, "演示数据已在先前载入，本次未作改动（账号密码如已修改，以修改后的为准）。")
			printAccounts(&welcome, res.Accounts)
		} else {
			printDemo(&welcome, res)
			if err := loadDemoCases(ctx, db, c.DemoCases, stdout); err != nil {
				return err
			}
		}
	}
	if err := warnNoAdmin(ctx, db, &welcome); err != nil {
		return err
	}

	// One clock, the store's, for the pages and the API: what a page or an
	// answer computes (this year, days left) agrees with what the store wrote.
	now := db.Now
	// One limit on login tries for every login path.
	logins := server.NewLoginLimiter(server.DefaultLoginLimits)
	pages, err := web.New(web.Config{Services: svc, Logger: logger, Dev: c.Dev, PublicURL: c.PublicURL, Now: now, Logins: logins})
	if err != nil {
		return fmt.Errorf("load pages: %w", err)
	}
	proxies, err := server.ParseTrustedProxies(c.TrustedProxies) // checked by validate
	if err != nil {
		return err
	}
	handler := server.New(server.Config{
		Services:       svc,
		DB:             db,
		Logger:         logger,
		API:            api.New(api.Config{Services: svc, Logger: logger, Now: now, Logins: logins}),
		Pages:          pages,
		TrustedProxies: proxies,
	})
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another lianluo already running? choose another port with --addr)", c.Addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	logger.Info("started", "addr", ln.Addr().String(), "database", db.Describe(), "version", version,
		"startup_ms", time.Since(start).Milliseconds(), "heap_mb", m.HeapAlloc>>20)
	// Demo accounts share a published password: fine for a trial, not for
	// real use (README: Security).
	if n, err := db.DemoAccounts(ctx); err != nil {
		logger.Error("count demo accounts", "err", err)
	} else if n > 0 {
		logger.Warn("demo accounts exist: their password is published; delete or deactivate them before real use", "demo_accounts", n)
	}

	// Background work: the recurring jobs and outbox delivery. On PostgreSQL
	// every instance runs the scheduler; each job run is claimed by one.
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	defer stopJobs()
	jobsDone := make(chan struct{})
	settled := make(<-chan struct{})
	if c.Jobs {
		sched := jobs.New(jobs.Config{Store: db, Logger: logger, Senders: channels.Senders(nil)})
		settled = sched.Settled()
		go func() { defer close(jobsDone); sched.Run(jobsCtx) }()
	} else {
		close(jobsDone)
	}

	errc := make(chan error, 1)
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
		go func() { errc <- srv.ServeTLS(ln, c.TLSCert, c.TLSKey) }()
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	// Wait (briefly) for the first delivery pass: its log lines would
	// otherwise scroll the addresses and accounts off the screen.
	select {
	case <-settled:
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	printWelcome(stdout, scheme, ln.Addr(), &welcome)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful shutdown: finish requests in flight, then close the database.
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	stopJobs() // deliveries in flight finish and are recorded
	<-jobsDone
	logger.Info("stopped")
	return nil
}

// serveConfig reads serve's settings from its arguments over the environment
// and checks them.
func serveConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	var c config
	fs := c.flags("serve", getenv, stderr)
	c.serveFlags(fs, getenv)
	if err := c.parse(fs, args); err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// logChannels logs the configured notification channels once, by name:
// never an address, a key or a password.
func logChannels(logger *slog.Logger, channels notify.Config) {
	names := channels.Channels()
	sms := "gateway"
	if channels.SMS == nil {
		sms = "log" // the scheduler writes text messages to the log
	}
	logger.Info("notification channels", "channels", strings.Join(append([]string{lianluo.ChannelInApp}, names...), ","), "sms", sms)
}

// warnNoAdmin tells a new user how to create the administrators: the
// system administrator first, and the security administrator and the
// auditor, whose duties no other account may take on (三员分立).
func warnNoAdmin(ctx context.Context, db *sqlstore.DB, out io.Writer) error {
	var missing []string
	for _, role := range lianluo.AdminRoles {
		_, n, err := db.FindUsers(system(ctx), lianluo.UserFilter{Role: role, Page: lianluo.Page{PerPage: 1}})
		if err != nil {
			return err
		}
		if n == 0 {
			missing = append(missing, role)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, len(missing))
	for i, role := range missing {
		names[i] = lianluo.RoleNames[role]
	}
	fmt.Fprintf(out, "尚无%s（三员分立：三种管理员各用一个账号）。请运行：\n", strings.Join(names, "、"))
	for _, role := range missing {
		fmt.Fprintf(out, "  lianluo user add --username <用户名> --name <姓名> --password '<至少10位，含大小写字母、数字、符号中的三类，不含用户名、不是常见密码>' --role %s\n", role)
	}
	if len(missing) == len(lianluo.AdminRoles) {
		fmt.Fprintln(out, "或用 lianluo serve --demo 载入演示数据。")
	}
	return nil
}

func printDemo(out io.Writer, res *demo.Result) {
	fmt.Fprintf(out, "已载入演示数据：宁波市北仑区 —— 行政区划%d个，机构%d个，联络站%d个，代表%d名，代表小组%d个，用户%d个，群众意见%d件。\n",
		res.Regions, res.Orgs, res.Stations, res.Deputies, res.Groups, res.Users, res.Cases)
	printAccounts(out, res.Accounts)
}

func printAccounts(out io.Writer, accounts []demo.Account) {
	fmt.Fprintln(out, "演示账号（用户名 / 密码 / 角色 / 范围）：")
	for _, a := range accounts {
		fmt.Fprintf(out, "  %-12s %-14s %-10s %s\n", a.Username, a.Password, a.Role, a.Scope)
	}
}

// printWelcome names both sites at an address a browser on this machine can
// open (a wildcard listener is shown as 127.0.0.1), then what else is to say.
func printWelcome(out io.Writer, scheme string, addr net.Addr, rest *bytes.Buffer) {
	host := addr.String()
	if ta, ok := addr.(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", strconv.Itoa(ta.Port))
	}
	fmt.Fprintln(out, "")
	fmt.Fprintln(out, "联络 Lianluo 已启动（按 Ctrl+C 停止）：")
	fmt.Fprintf(out, "  网上代表联络站（群众使用）：%s://%s/\n", scheme, host)
	fmt.Fprintf(out, "  工作台（工作人员登录）：    %s://%s/console/\n", scheme, host)
	out.Write(rest.Bytes())
}

// checkPublicURL accepts an empty address or an absolute http(s) URL with a
// host and no query: QR codes printed with a wrong one cannot be recalled.
func checkPublicURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--public-url %q: want an address like https://lianluo.example.cn", s)
	}
	return nil
}

// startCPUProfile profiles the process's CPU into the file at path until
// the returned function is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("LIANLUO_CPU_PROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("LIANLUO_CPU_PROFILE: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeHeapProfile writes the live heap to the file at path (after a
// collection, so that it is what is live), logging a failure.
func writeHeapProfile(path string, logger *slog.Logger) {
	runtime.GC()
	f, err := os.Create(path)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		logger.Error("LIANLUO_HEAP_PROFILE", "err", err)
	}
}

// The collector's settings for serve, unless the GOGC or GOMEMLIMIT
// variables give their own (BENCHMARKS.md, "Sixth round"). Between
// requests a server holds a few MB of live heap, and Go's default goal of
// twice the live heap made it collect every few hundred page requests: a
// quarter of its CPU at 3,000 requests a second. The goal is five times the
// live heap instead, and the Go runtime's memory is held within
// serverMemoryLimit, so that the process, SQLite's caches included, stays
// within 150 MB; past the limit the collector works harder, nothing fails.
// At 96 MiB, registering cases at a million took the process to 150–151 MB;
// at 64 MiB to 115–117 MB, as fast ("Seventh round").
const (
	serverGCPercent   = 400
	serverMemoryLimit = 64 << 20
)

func serverGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit)
	}
}
