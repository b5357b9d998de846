package sqlstore

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sheets"
)

// BenchmarkCaseExport streams every case of the LIANLUO_BENCH_CASES data
// set (case_bench_test.go) through the whole export: the store's keyset
// batches (EachCaseForExport, as the administrator: no scope, no filter)
// into the workbook's StreamWriter (internal/sheets, as the API uses it),
// written to a file. It samples the Go heap every 20 ms and reports the
// peak (HeapInuse and Sys), the rows, the file's size and the time per
// export. BENCHMARKS.md has the figures ("Streaming case export (1 M rows)").
//
// It imports internal/sheets, which the store itself never does: the
// point is the memory of the two together.
func BenchmarkCaseExport(b *testing.B) {
	n := benchCaseCount(b)
	benchDialects(b, func(b *testing.B, dialect string) {
		ds := benchCases(b, dialect, n)
		out := filepath.Join(b.TempDir(), "export.xlsx")
		// Start from a collected heap: generating the data set leaves garbage
		// that is not the export's.
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var peakInuse, peakSys atomic.Uint64
		var wg sync.WaitGroup
		stop := make(chan struct{})
		wg.Go(func() {
			var m runtime.MemStats
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peakInuse.Load() {
					peakInuse.Store(m.HeapInuse)
				}
				if m.Sys > peakSys.Load() {
					peakSys.Store(m.Sys)
				}
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		})
		rows := 0
		b.ResetTimer()
		for b.Loop() {
			book, err := sheets.NewCaseBook("群众意见导出（全部）")
			if err != nil {
				b.Fatal(err)
			}
			// Each case once, newest first, across the batches.
			last := int64(1<<63 - 1)
			rows, err = ds.db.EachCaseForExport(ds.admin, lianluo.CaseFilter{}, func(r *lianluo.CaseExportRow) error {
				if r.ID >= last {
					b.Fatalf("case %d after case %d", r.ID, last)
				}
				last = r.ID
				return book.Add(r)
			})
			if err != nil {
				b.Fatal(err)
			}
			if rows != ds.n {
				b.Fatalf("exported %d cases of %d", rows, ds.n)
			}
			f, err := os.Create(out)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := book.WriteTo(f); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			book.Close()
		}
		b.StopTimer()
		close(stop)
		wg.Wait()
		st, err := os.Stat(out)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(float64(peakInuse.Load())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(peakSys.Load())/(1<<20), "peak-sys-MB")
		b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
		b.Logf("heap in use before: %.0f MB; data set: %s", float64(before.HeapInuse)/(1<<20), ds.size)
	})
}
