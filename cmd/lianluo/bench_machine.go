package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"slices"
	"time"
)

// benchMachine is how fast this machine is at the two things the figures
// depend on, measured before the workloads: a machine of the same class
// was twice as slow on one day as on the next (BENCHMARKS.md, "Seventh
// round"), and figures of two days compare only beside these.
type benchMachine struct {
	// SyncWriteP50us, SyncWriteP90us: an 8 KiB write followed by fsync, in
	// the data folder (what a commit waits for), microseconds.
	SyncWriteP50us float64 `json:"sync_write_p50_us"`
	SyncWriteP90us float64 `json:"sync_write_p90_us"`
	// SHA256MBps: SHA-256 on one core, MB a second (the CPU's speed).
	SHA256MBps float64 `json:"sha256_mb_per_s"`
}

const (
	machineSyncWrites = 100
	machineHashBytes  = 64 << 20
)

// measureMachine measures in dir (the data folder; a temporary folder for
// PostgreSQL, whose own files are elsewhere). The file is removed.
func measureMachine(dir string) (benchMachine, error) {
	var m benchMachine
	f, err := os.CreateTemp(dir, "lianluo-bench-sync-*")
	if err != nil {
		return m, fmt.Errorf("bench: measuring synced writes in %s: %w", dir, err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	block := make([]byte, 8<<10)
	took := make([]time.Duration, machineSyncWrites)
	for i := range took {
		start := time.Now()
		if _, err := f.WriteAt(block, int64(i)*int64(len(block))); err != nil {
			return m, fmt.Errorf("bench: measuring synced writes: %w", err)
		}
		if err := f.Sync(); err != nil {
			return m, fmt.Errorf("bench: measuring synced writes: %w", err)
		}
		took[i] = time.Since(start)
	}
	slices.Sort(took)
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
	m.SyncWriteP50us, m.SyncWriteP90us = us(took[len(took)/2]), us(took[len(took)*9/10])

	data := make([]byte, machineHashBytes)
	for i := range data {
		data[i] = byte(i)
	}
	start := time.Now()
	sha256.Sum256(data)
	m.SHA256MBps = float64(machineHashBytes) / 1e6 / time.Since(start).Seconds()
	return m, nil
}

func (m benchMachine) String() string {
	return fmt.Sprintf("machine: 8 KiB write + fsync p50 %.0f µs, p90 %.0f µs; SHA-256 %.0f MB/s on one core",
		m.SyncWriteP50us, m.SyncWriteP90us, m.SHA256MBps)
}
