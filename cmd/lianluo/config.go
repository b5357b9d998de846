package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"lianluo"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
)

// config is the settings, from flags over LIANLUO_* environment variables:
// every setting has both (README's Configuration table lists them). A
// command's own arguments (--username, --out, --under, --status) are not
// settings and have no variable.
type config struct {
	clock       *lianluo.Clock // the store's clock (open), moved only by demo.Load
	DataDir     string
	DatabaseURL string
	// KeyFile is the field encryption key file (sqlstore.Config.KeyFile):
	// required with PostgreSQL; for SQLite empty means lianluo.key in the
	// data folder, made on first start.
	KeyFile string
	Addr    string
	Dev     bool

	// serve only (serveFlags).
	Demo bool
	// DemoCases is how many generated opinions --demo adds when it loads
	// the demo district (not on later starts).
	DemoCases int
	PublicURL string
	// TrustedProxies are the reverse proxies' addresses, CIDR ranges
	// separated by commas (server.ParseTrustedProxies).
	TrustedProxies string
	Jobs           bool
	// TLSCert and TLSKey are PEM files (certificate chain, private key):
	// with them serve speaks HTTPS itself. Both or neither.
	TLSCert, TLSKey string
	// trustProxy is the retired --trust-proxy, refused by validate.
	trustProxy bool

	// Channels are the notification channels besides in-app and SMS,
	// from notify.ConfigFromEnv (serve and jobs run-once), for the store.
	Channels []string

	envErr error // invalid environment values, reported by parse
}

// flags returns a flag set with the global settings bound to c.
func (c *config) flags(name string, getenv func(string) string, out io.Writer) *flag.FlagSet {
	c.DataDir = envOr(getenv, "LIANLUO_DATA_DIR", "data")
	c.DatabaseURL = getenv("LIANLUO_DATABASE_URL")
	c.KeyFile = getenv("LIANLUO_KEY_FILE")
	c.Addr = envOr(getenv, "LIANLUO_ADDR", "127.0.0.1:8080")
	c.Dev = c.envBool(getenv, "LIANLUO_DEV", false)
	fs := flag.NewFlagSet("lianluo "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data folder (LIANLUO_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "database URL, empty: SQLite in the data folder (LIANLUO_DATABASE_URL)")
	fs.StringVar(&c.KeyFile, "key-file", c.KeyFile, "field encryption key file (voters' phones, addresses, ID numbers); required with PostgreSQL; empty: lianluo.key in the data folder, made on first start (LIANLUO_KEY_FILE)")
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (LIANLUO_ADDR)")
	fs.BoolVar(&c.Dev, "dev", c.Dev, "development mode: re-read page templates on every request (LIANLUO_DEV)")
	return fs
}

// serveFlags binds serve's own settings to fs.
func (c *config) serveFlags(fs *flag.FlagSet, getenv func(string) string) {
	c.Demo = c.envBool(getenv, "LIANLUO_DEMO", false)
	c.PublicURL = getenv("LIANLUO_PUBLIC_URL")
	c.TrustedProxies = getenv("LIANLUO_TRUSTED_PROXIES")
	c.trustProxy = c.envBool(getenv, "LIANLUO_TRUST_PROXY", false)
	c.Jobs = c.envBool(getenv, "LIANLUO_JOBS", true)
	c.TLSCert = getenv("LIANLUO_TLS_CERT")
	c.TLSKey = getenv("LIANLUO_TLS_KEY")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load the demo district if the database is empty (LIANLUO_DEMO)")
	if v := getenv("LIANLUO_DEMO_CASES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.envErr = errors.Join(c.envErr, fmt.Errorf("LIANLUO_DEMO_CASES=%q: want a number of cases", v))
		}
		c.DemoCases = max(n, 0)
	}
	fs.IntVar(&c.DemoCases, "demo-cases", c.DemoCases, "with --demo: add this many generated opinions when the demo district is loaded (LIANLUO_DEMO_CASES)")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "the address voters reach the online station at, e.g. https://lianluo.example.cn (printed in QR codes and posters; empty: taken from each request) (LIANLUO_PUBLIC_URL)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "the reverse proxies in front of the server, CIDR ranges separated by commas, e.g. 127.0.0.1/32,10.0.0.0/8: client addresses are taken from X-Forwarded-For only on requests from them (LIANLUO_TRUSTED_PROXIES)")
	fs.BoolVar(&c.trustProxy, "trust-proxy", c.trustProxy, "retired: use --trusted-proxies (LIANLUO_TRUST_PROXY)")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "serve HTTPS with this certificate (PEM, the chain); needs --tls-key (LIANLUO_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "the certificate's private key (PEM); needs --tls-cert (LIANLUO_TLS_KEY)")
	fs.BoolVar(&c.Jobs, "jobs", c.Jobs, "run background jobs: reminders, statistics and notification delivery (on every instance; each job runs once across them) (LIANLUO_JOBS)")
}

// parse parses the command line; an invalid environment value is an error
// even when a flag overrides it, so that a typo does not lie in wait.
func (c *config) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	return c.envErr
}

// envBool reads a boolean variable one way for every setting: "1" or "true"
// is on, "0" or "false" is off, unset or empty is def; anything else is an
// error naming the variable.
func (c *config) envBool(getenv func(string) string, key string, def bool) bool {
	switch v := getenv(key); strings.ToLower(v) {
	case "":
		return def
	case "1", "true":
		return true
	case "0", "false":
		return false
	default:
		c.envErr = errors.Join(c.envErr, fmt.Errorf("%s=%q: want 1 or true (on), 0 or false (off)", key, v))
		return def
	}
}

// validate checks the settings before anything starts.
func (c *config) validate() error {
	if err := checkPublicURL(c.PublicURL); err != nil {
		return err
	}
	if c.trustProxy {
		return errors.New("--trust-proxy / LIANLUO_TRUST_PROXY 已停用：它信任任何客户端自己填写的 X-Forwarded-For。" +
			"请改用 --trusted-proxies / LIANLUO_TRUSTED_PROXIES 列出反向代理的地址，例如 --trusted-proxies 127.0.0.1/32")
	}
	if _, err := server.ParseTrustedProxies(c.TrustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxies / LIANLUO_TRUSTED_PROXIES：%w", err)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("--tls-cert / LIANLUO_TLS_CERT 与 --tls-key / LIANLUO_TLS_KEY 须同时给出（证书和私钥），或都不给（不启用 HTTPS）")
	}
	if c.TLSCert != "" {
		// Read them now: a wrong file stops the start, not the first visitor.
		if _, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey); err != nil {
			return fmt.Errorf("--tls-cert %s / --tls-key %s：无法读取证书和私钥（须为 PEM 格式且相互匹配）：%w", c.TLSCert, c.TLSKey, err)
		}
	}
	u := c.DatabaseURL
	if u != "" && !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") &&
		!strings.HasPrefix(u, "sqlite:") && !strings.HasPrefix(u, "file:") {
		return fmt.Errorf("--database / LIANLUO_DATABASE_URL must be empty (SQLite in %s), postgres://… or sqlite:PATH", c.DataDir)
	}
	if (strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")) && c.KeyFile == "" {
		return errors.New("使用 PostgreSQL 时必须用 --key-file / LIANLUO_KEY_FILE 指定字段加密密钥文件（群众的电话、地址、身份证号加密存放）；" +
			"可用 `lianluo keys generate --out 文件` 生成，并与数据库分开备份。" +
			" (PostgreSQL needs --key-file / LIANLUO_KEY_FILE: make one with `lianluo keys generate --out FILE` and back it up apart from the database)")
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		return fmt.Errorf("--data / LIANLUO_DATA_DIR must not be empty")
	}
	if c.Addr == "" || !strings.Contains(c.Addr, ":") {
		return fmt.Errorf("--addr / LIANLUO_ADDR must be host:port, e.g. 127.0.0.1:8080")
	}
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// parseOpen parses a command's flags and opens its database: the start
// of every command that works on one.
func (c *config) parseOpen(ctx context.Context, fs *flag.FlagSet, args []string) (*sqlstore.DB, error) {
	if err := c.parse(fs, args); err != nil {
		return nil, err
	}
	return c.open(ctx)
}

// open opens and migrates the database: every command works on an empty data folder.
func (c *config) open(ctx context.Context) (*sqlstore.DB, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	c.clock = &lianluo.Clock{}
	return sqlstore.Open(ctx, sqlstore.Config{DatabaseURL: c.DatabaseURL, DataDir: c.DataDir, KeyFile: c.keyFile(), Channels: c.Channels, Now: c.clock.Now})
}

// keyFile is the key file to open the database with: the setting; else,
// for a SQLite file elsewhere (a backup: --database sqlite:PATH) with no
// lianluo.key beside it, the data folder's key, which sealed it; else ""
// (the store's default: the key beside the SQLite file).
func (c *config) keyFile() string {
	u := c.DatabaseURL
	if c.KeyFile != "" || !(strings.HasPrefix(u, "sqlite:") || strings.HasPrefix(u, "file:")) || c.DataDir == "" {
		return c.KeyFile
	}
	path := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "file:")
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), sqlstore.KeyFileName)); err == nil {
		return ""
	}
	if k := filepath.Join(c.DataDir, sqlstore.KeyFileName); fileExists(k) {
		return k
	}
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// services returns every service of the store.
func services(db *sqlstore.DB) lianluo.Services { return db.Services() }

// system returns a context acting as the system (the command line).
func system(ctx context.Context) context.Context {
	return lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
}
