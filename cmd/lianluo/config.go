package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"lianluo"
	"lianluo/internal/sqlstore"
)

// config is the global settings, from flags over LIANLUO_* environment variables.
type config struct {
	DataDir     string
	DatabaseURL string
	Addr        string
	Dev         bool
}

// flags returns a flag set with the global settings bound to c.
func (c *config) flags(name string, getenv func(string) string, out io.Writer) *flag.FlagSet {
	c.DataDir = envOr(getenv, "LIANLUO_DATA_DIR", "data")
	c.DatabaseURL = getenv("LIANLUO_DATABASE_URL")
	c.Addr = envOr(getenv, "LIANLUO_ADDR", "127.0.0.1:8080")
	c.Dev = getenv("LIANLUO_DEV") == "1" || getenv("LIANLUO_DEV") == "true"
	fs := flag.NewFlagSet("lianluo "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data folder")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "database URL (empty: SQLite in the data folder)")
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address")
	fs.BoolVar(&c.Dev, "dev", c.Dev, "development mode")
	return fs
}

// validate checks the settings before anything starts.
func (c *config) validate() error {
	u := c.DatabaseURL
	if u != "" && !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") &&
		!strings.HasPrefix(u, "sqlite:") && !strings.HasPrefix(u, "file:") {
		return fmt.Errorf("--database / LIANLUO_DATABASE_URL must be empty (SQLite in %s), postgres://… or sqlite:PATH", c.DataDir)
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

// open opens and migrates the database: every command works on an empty data folder.
func (c *config) open(ctx context.Context) (*sqlstore.DB, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	return sqlstore.Open(ctx, sqlstore.Config{DatabaseURL: c.DatabaseURL, DataDir: c.DataDir})
}

// services returns every service of the store.
func services(db *sqlstore.DB) lianluo.Services { return db.Services() }

// system returns a context acting as the system (the command line).
func system(ctx context.Context) context.Context {
	return lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
}
