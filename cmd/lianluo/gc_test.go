package main

import (
	"runtime/debug"
	"testing"
)

// serve sets the collector's goal and limit (serverGC) unless GOGC or
// GOMEMLIMIT give their own.
func TestServerGC(t *testing.T) {
	prevPercent := debug.SetGCPercent(100)
	prevLimit := debug.SetMemoryLimit(-1)
	defer func() {
		debug.SetGCPercent(prevPercent)
		debug.SetMemoryLimit(prevLimit)
	}()
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

	serverGC(env(nil))
	if got := debug.SetGCPercent(100); got != serverGCPercent {
		t.Errorf("GC percent = %d; want %d", got, serverGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != serverMemoryLimit {
		t.Errorf("memory limit = %d; want %d", got, serverMemoryLimit)
	}

	debug.SetMemoryLimit(1 << 40)
	serverGC(env(map[string]string{"GOGC": "150", "GOMEMLIMIT": "1GiB"}))
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC given: GC percent = %d; want it left at 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("GOMEMLIMIT given: memory limit = %d; want it left", got)
	}
}
