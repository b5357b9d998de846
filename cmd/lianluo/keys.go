package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"lianluo/internal/sqlstore"
)

// cmdKeys manages the field encryption keys (README "## Security"):
// generate writes a new key file; rotate appends a new key to the one in
// use and re-encrypts every sealed value with it, keeping the old keys in
// the file (older backups are sealed with them).
func cmdKeys(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "generate" && args[0] != "rotate") {
		return errors.New("usage: lianluo keys generate --out FILE | lianluo keys rotate")
	}
	var c config
	fs := c.flags("keys "+args[0], getenv, stdout)
	out := fs.String("out", "", "the key file to write (generate)")
	if err := c.parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] == "generate" {
		if *out == "" {
			return errors.New("lianluo keys generate needs --out FILE")
		}
		if err := sqlstore.GenerateKeyFile(*out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已生成字段加密密钥文件 %s（权限 0600）。请与数据库分开备份：没有它，群众的电话、地址、身份证号无法读出。\n", *out)
		return nil
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := db.RotateKeys(system(ctx))
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "已启用新密钥 %s，并用它重新加密了全部个人信息；旧密钥仍保留在 %s 中（读取旧备份需要）。请重新备份该文件。\n", id, db.KeyFile())
	return nil
}
