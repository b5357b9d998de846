package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"lianluo"
	"lianluo/internal/demo"
	"lianluo/internal/jobs"
	"lianluo/internal/notify"
	"lianluo/internal/regiondata"
	"lianluo/internal/sheets"
	"lianluo/internal/sqlstore"
)

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var c config
	fs := c.flags("demo", getenv, stdout)
	cases := fs.Int("cases", 0, "then add this many generated opinions (again on every run)")
	db, err := c.parseOpen(ctx, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	if path := getenv("LIANLUO_CPU_PROFILE"); path != "" {
		// As for serve: a profile of the whole load (BENCHMARKS.md).
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	res, err := demo.Load(system(ctx), services(db), c.clock)
	if err != nil {
		return err
	}
	if res.AlreadyLoaded {
		fmt.Fprintln(stdout, "演示数据已载入过，未作改动（账号密码如已修改，以修改后的为准）。")
		accounts, err := demo.Accounts(system(ctx), services(db))
		if err != nil {
			return err
		}
		printAccounts(stdout, accounts)
		return loadDemoCases(ctx, db, *cases, stdout)
	}
	printDemo(stdout, res)
	return loadDemoCases(ctx, db, *cases, stdout)
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var c config
	fs := c.flags("migrate", getenv, stdout)
	status := fs.Bool("status", false, "only show the schema version")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	db, err := sqlstore.OpenNoMigrate(sqlstore.Config{DatabaseURL: c.DatabaseURL, DataDir: c.DataDir, KeyFile: c.keyFile()})
	if err != nil {
		return err
	}
	defer db.Close()
	if !*status {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: schema version %d (this lianluo knows %d)\n", db.Describe(), v, db.KnownSchemaVersion())
	return nil
}

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: lianluo user add|passwd|list …")
	}
	sub, args := args[0], args[1:]
	var c config
	fs := c.flags("user "+sub, getenv, stdout)
	username := fs.String("username", "", "user name")
	password := fs.String("password", "", "password (10+ characters, 3 of: upper, lower, digit, symbol; not common, no user name)")
	role := fs.String("role", "", "role: "+strings.Join(lianluo.Roles, ", "))
	name := fs.String("name", "", "display name (姓名)")
	orgID := fs.Int64("org", 0, "org ID for npc_office, npc_leader, unit_handler")
	stationID := fs.Int64("station", 0, "station ID for station_head, liaison")
	deputyID := fs.Int64("deputy", 0, "deputy ID for deputy")
	db, err := c.parseOpen(ctx, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = system(ctx)
	switch sub {
	case "add":
		g := lianluo.Grant{Role: *role}
		if *orgID != 0 {
			g.OrgID = orgID
		}
		if *stationID != 0 {
			g.StationID = stationID
		}
		if *deputyID != 0 {
			g.DeputyID = deputyID
		}
		if *name == "" {
			*name = *username
		}
		u := &lianluo.User{Username: *username, Password: *password, DisplayName: *name, Roles: []lianluo.Grant{g}}
		if err := db.CreateUser(ctx, u); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "已创建用户 %s（编号%d，角色：%s）\n", u.Username, u.ID, lianluo.RoleNames[*role])
	case "passwd":
		u, err := findUserByName(ctx, db, *username)
		if err != nil {
			return err
		}
		if _, err := db.UpdateUser(ctx, u.ID, lianluo.UserUpdate{Password: password, Unlock: true, Version: u.Version}); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "已重置用户 %s 的密码并解除锁定。\n", u.Username)
	case "list":
		us, _, err := db.FindUsers(ctx, lianluo.UserFilter{Page: lianluo.AllRows()})
		if err != nil {
			return err
		}
		for _, u := range us {
			state := "启用"
			if !u.Active {
				state = "停用"
			}
			var roles []string
			for _, g := range u.Roles {
				r := lianluo.RoleNames[g.Role]
				if g.Label != "" {
					r += "（" + g.Label + "）"
				}
				roles = append(roles, r)
			}
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.DisplayName, state, strings.Join(roles, "、"))
		}
	default:
		return fmt.Errorf("unknown user command %q: use add, passwd or list", sub)
	}
	return nil
}

func findUserByName(ctx context.Context, db *sqlstore.DB, username string) (*lianluo.User, error) {
	us, _, err := db.FindUsers(ctx, lianluo.UserFilter{Q: username, Page: lianluo.AllRows()})
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		if u.Username == strings.ToLower(username) {
			return u, nil
		}
	}
	return nil, fmt.Errorf("no user named %q", username)
}

// cliError renders an application error for the terminal with its field.
func cliError(err error) error {
	var rows lianluo.RowErrors
	if errors.As(err, &rows) {
		var b strings.Builder
		b.WriteString(lianluo.ErrorMessage(err))
		for _, r := range rows {
			fmt.Fprintf(&b, "\n  第%d行 %s：%s", r.Row, r.Field, r.Message)
		}
		return errors.New(b.String())
	}
	if c := lianluo.ErrorCode(err); c != lianluo.EINTERNAL {
		if f := lianluo.ErrorField(err); f != "" {
			return fmt.Errorf("%s (%s)", lianluo.ErrorMessage(err), f)
		}
		return errors.New(lianluo.ErrorMessage(err))
	}
	return err
}

func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: lianluo import regions [--under CODE] | lianluo import orgs|stations|deputies|users FILE.xlsx")
	}
	kind, args := args[0], args[1:]
	var c config
	fs := c.flags("import "+kind, getenv, stdout)
	under := fs.String("under", "", "only this region's subtree (with its ancestors), e.g. 330206")
	db, err := c.parseOpen(ctx, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = system(ctx)
	if kind == "regions" {
		var rs []lianluo.Region
		err := regiondata.Walk(*under, func(r regiondata.Record) error {
			rs = append(rs, lianluo.Region{Code: r.Code, Name: r.Name, Level: r.Level, ParentCode: r.ParentCode})
			return nil
		})
		if err != nil {
			return err
		}
		n, err := db.ImportRegions(ctx, rs)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导入行政区划%d条。\n", n)
		return nil
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: lianluo import %s FILE.xlsx", kind)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := sheets.Import(ctx, services(db), kind, f)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "已导入%s%d条。\n", sheets.KindNames[kind], n)
	return nil
}

func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: lianluo export [template] orgs|stations|deputies|users --out FILE.xlsx")
	}
	template := args[0] == "template"
	if template {
		args = args[1:]
		if len(args) == 0 {
			return errors.New("usage: lianluo export template orgs|stations|deputies|users --out FILE.xlsx")
		}
	}
	kind, args := args[0], args[1:]
	var c config
	fs := c.flags("export "+kind, getenv, stdout)
	out := fs.String("out", "", "output file (.xlsx)")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE.xlsx is required")
	}
	var b []byte
	var err error
	if template {
		b, err = sheets.Template(kind)
	} else {
		db, err2 := c.open(ctx)
		if err2 != nil {
			return err2
		}
		defer db.Close()
		b, err = sheets.Export(system(ctx), services(db), kind)
	}
	if err != nil {
		return cliError(err)
	}
	if err := os.WriteFile(*out, b, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已写入 %s\n", *out)
	return nil
}

func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var c config
	fs := c.flags("backup", getenv, stdout)
	out := fs.String("out", "", "backup file to create")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE is required")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name", *out)
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s\n", *out)
	fmt.Fprintf(stdout, "群众的电话、地址、身份证号在备份中是加密的：请同时（分开）备份密钥文件 %s，没有它无法读取。\n", db.KeyFile())
	return nil
}

func cmdJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "run-once" {
		return errors.New("usage: lianluo jobs run-once")
	}
	var c config
	fs := c.flags("jobs run-once", getenv, stdout)
	if err := c.parse(fs, args[1:]); err != nil {
		return err
	}
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
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	logChannels(logger, channels)
	if err := jobs.New(jobs.Config{Store: db, Logger: logger, Senders: channels.Senders(nil)}).RunOnce(system(ctx)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "已完成一次定时任务（催办和各类提醒、统计更新）和到期通知的发送。")
	return nil
}
