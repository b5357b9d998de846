package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"lianluo"
)

// cmdStats runs `lianluo stats rebuild` (recount the statistics rollups
// from scratch) and `lianluo stats check` (compare them with a direct count
// of every case, for every breakdown; docs/statistics.md).
func cmdStats(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "rebuild" && args[0] != "check") {
		return errors.New("usage: lianluo stats rebuild|check")
	}
	var c config
	fs := c.flags("stats "+args[0], getenv, stdout)
	db, err := c.parseOpen(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = system(ctx)
	if args[0] == "rebuild" {
		start := time.Now()
		last := time.Time{}
		err := db.RebuildStats(ctx, func(done, total int) {
			if time.Since(last) >= time.Second || done == total {
				fmt.Fprintf(stdout, "已重算 %d / %d 件\n", done, total)
				last = time.Now()
			}
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "统计汇总已重建，用时 %.1f 秒。\n", time.Since(start).Seconds())
		return nil
	}
	// check: every case ever registered, each breakdown.
	all := lianluo.Period{From: time.Date(2000, 1, 1, 0, 0, 0, 0, lianluo.Beijing), To: time.Now().AddDate(1, 0, 0)}
	all.To = time.Date(all.To.Year(), 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	bad := 0
	for _, g := range append([]string{""}, lianluo.GroupBys...) {
		f := lianluo.StatsFilter{Period: all, GroupBy: g}
		want, err := db.CaseStatsDirect(ctx, f)
		if err != nil {
			return err
		}
		got, err := db.CaseStats(ctx, f)
		if err != nil {
			return err
		}
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		name := lianluo.GroupByNames[g]
		if g == "" {
			name = "合计"
		}
		if string(gj) != string(wj) {
			bad++
			fmt.Fprintf(stdout, "%s：汇总与直接计数不一致\n  汇总 %s\n  直接 %s\n", name, gj, wj)
			continue
		}
		fmt.Fprintf(stdout, "%s：一致（受理 %d 件）\n", name, got.Totals.Received)
	}
	if bad > 0 {
		return fmt.Errorf("%d 项统计不一致，请运行 lianluo stats rebuild", bad)
	}
	return nil
}
