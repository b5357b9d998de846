package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// cmdAudit checks the audit chain (审计日志完整性校验): it reads every event
// in id order, as the API's /audit/verify does, and fails (exit status 1)
// on the first event whose content or link does not match.
func cmdAudit(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: lianluo audit verify [--json]")
	}
	var c config
	fs := c.flags("audit verify", getenv, stdout)
	asJSON := fs.Bool("json", false, "print the result as the API's JSON")
	if err := c.parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	check, err := db.VerifyAudit(system(ctx))
	if err != nil {
		return cliError(err)
	}
	if *asJSON {
		b, _ := json.Marshal(check)
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprintf(stdout, "事件：%d\n链头：%s\n", check.Events, check.Head)
	}
	if !check.OK {
		return fmt.Errorf("审计日志校验失败（第一个不符的事件：%d）：%s", *check.FirstBadID, check.Reason)
	}
	if !*asJSON {
		fmt.Fprintln(stdout, "审计日志校验通过：每个事件的内容和链接都与其哈希相符。")
	}
	return nil
}
