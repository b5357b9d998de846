// Command lianluo is the whole Lianluo platform in one binary: the web
// server and the administration commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lianluo:", err)
		}
		os.Exit(1)
	}
}

const usage = `lianluo — 人大代表联络站工作平台 (Lianluo, the deputy liaison station platform)

Usage:
  lianluo serve [--demo] [--addr 127.0.0.1:8080]   run the web server (--demo loads the demo district into an empty database)
  lianluo demo [--cases N]                        load the demo district (宁波市北仑区) and print its accounts;
                                                  --cases: then add N generated opinions (N more on every run)
  lianluo migrate [--status]                      bring the database schema up to date
  lianluo user add --username U --password P --role ROLE [--org ID | --station ID | --deputy ID] [--name 姓名]
  lianluo user passwd --username U --password P   reset a password (also unlocks the account)
  lianluo user list
  lianluo import regions [--under CODE]           load administrative divisions (default: the whole country)
  lianluo import orgs|stations|deputies|users FILE.xlsx
  lianluo export orgs|stations|deputies|users --out FILE.xlsx
  lianluo export template orgs|stations|deputies|users --out FILE.xlsx
  lianluo backup --out FILE                        consistent copy of a SQLite database while the server runs
  lianluo jobs run-once                           one deadline sweep and delivery of every notification due now
                                                  (serve runs them continually; --jobs=false or LIANLUO_JOBS=0 turns that off)
  lianluo stats rebuild                           recount the statistics rollups from every case
  lianluo stats check                             compare the rollups with a direct count of every case
  lianluo audit verify [--json] [--head ID:HEX]   check the audit chain: every event's content and link (exit 1 on the first that does not match); --head: it still passes through a head noted earlier
  lianluo audit prune                             delete audit events older than the retention (at least 180 days); the rest still verifies
  lianluo keys generate --out FILE                 write a new field encryption key file (for --key-file; PostgreSQL needs one)
  lianluo keys rotate                              add a new key to the key file and re-encrypt every voter's phone, address and ID number with it (restart serve after)
  lianluo bench [--clients 16] [--duration 15s] [--only create,station,…] [--cases N] [--json]
                                                  load test: the server as a child process on the data set (demo loaded first),
                                                  driven over loopback HTTP; req/s, p50/p95/p99 and the server's RSS per workload
  lianluo version

Settings (flags or environment):
  --data DIR       LIANLUO_DATA_DIR      data folder (default ./data)
  --database URL   LIANLUO_DATABASE_URL  empty: SQLite file in the data folder; postgres://… for PostgreSQL
  --key-file FILE  LIANLUO_KEY_FILE      field encryption key; required with PostgreSQL (default: lianluo.key in the data folder)
  --addr ADDR      LIANLUO_ADDR          listen address for serve (default 127.0.0.1:8080)
  --dev            LIANLUO_DEV=1         re-read page templates from disk on every request
serve only:
  --demo           LIANLUO_DEMO=1        load the demo district if the database is empty
  --demo-cases N   LIANLUO_DEMO_CASES=N  with --demo: add N generated opinions when it loads the district
  --public-url URL LIANLUO_PUBLIC_URL    the address voters reach, printed in QR codes and posters
  --trusted-proxies CIDR,…  LIANLUO_TRUSTED_PROXIES  the reverse proxies in front of the server (e.g. 127.0.0.1/32):
                   client addresses come from X-Forwarded-For only on their requests; without it,
                   every client behind a proxy shares the proxy's address and its limits
  --tls-cert FILE --tls-key FILE   LIANLUO_TLS_CERT, LIANLUO_TLS_KEY   serve HTTPS directly (PEM files; both or neither)
  --jobs=false     LIANLUO_JOBS=0        do not run background jobs (default: on)
On/off variables take 1 or true, 0 or false. Notification channels: LIANLUO_SMS_URL, LIANLUO_SMTP_ADDR… (README).
`

// run is main without the process: testable with its own args, environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, getenv, stdout)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout)
	case "user":
		return cmdUser(ctx, rest, getenv, stdout)
	case "import":
		return cmdImport(ctx, rest, getenv, stdout)
	case "export":
		return cmdExport(ctx, rest, getenv, stdout)
	case "backup":
		return cmdBackup(ctx, rest, getenv, stdout)
	case "jobs":
		return cmdJobs(ctx, rest, getenv, stdout, stderr)
	case "stats":
		return cmdStats(ctx, rest, getenv, stdout)
	case "audit":
		return cmdAudit(ctx, rest, getenv, stdout)
	case "keys":
		return cmdKeys(ctx, rest, getenv, stdout)
	case "bench":
		return cmdBench(ctx, rest, getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "lianluo %s\n", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}
