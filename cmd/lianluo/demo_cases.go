package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"lianluo"
	"lianluo/internal/demo"
	"lianluo/internal/sqlstore"
)

// loadDemoCases adds n generated opinions to the demo district (lianluo
// demo --cases N): a goroutine generates them (demo.CaseGenerator) while the
// store writes them in large transactions (sqlstore.BulkCreateCases). It
// prints its progress about every 5 % and the rate at the end.
func loadDemoCases(ctx context.Context, db *sqlstore.DB, n int, out io.Writer) error {
	if n <= 0 {
		return nil
	}
	ctx = system(ctx)
	// Another seed each run, so that a second load adds other cases.
	gen, err := demo.NewCaseGenerator(ctx, services(db), db.Now(), uint64(time.Now().UnixNano()))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []*lianluo.Case, 8)
	go func() {
		defer close(batches)
		const batch = 1000
		for start := 0; start < n; start += batch {
			select {
			case batches <- gen.Cases(start, min(batch, n-start), n):
			case <-ctx.Done():
				return
			}
		}
	}()
	fmt.Fprintf(out, "正在生成演示意见 %d 件……\n", n)
	began := time.Now()
	step := max(min(n/20, 100000), 1)
	next := step
	res, err := db.BulkCreateCases(ctx, batches, sqlstore.BulkOptions{Expected: n, Progress: func(done int) {
		if done < 0 {
			fmt.Fprintf(out, "已写入 %d 件，正在建立索引……\n", n)
			return
		}
		if done >= next && done < n {
			fmt.Fprintf(out, "已生成 %d/%d 件，每秒 %.0f 件\n", done, n, float64(done)/time.Since(began).Seconds())
			for next <= done {
				next += step
			}
		}
	}})
	if err != nil {
		return fmt.Errorf("demo cases: %w", err)
	}
	took := time.Since(began)
	fmt.Fprintf(out, "已生成演示意见 %d 件（编号 %d—%d），用时 %s，每秒 %.0f 件。\n", res.Cases, res.FirstID, res.LastID,
		took.Round(100*time.Millisecond), float64(res.Cases)/took.Seconds())
	return nil
}
