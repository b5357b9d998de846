package web_test

import (
	"os"
	"testing"

	"lianluo/internal/sqlstore/storetest"
)

// TestMain runs the tests side by side (storetest.Parallel at once) and
// ends the browser tests' shared Chromium.
func TestMain(m *testing.M) {
	code := storetest.Run(m)
	stopChromium()
	os.Exit(code)
}
