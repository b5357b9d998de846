package server_test

import (
	"testing"

	"lianluo/internal/sqlstore/storetest"
)

// TestMain runs the tests side by side (storetest.Parallel at once).
func TestMain(m *testing.M) { storetest.Main(m) }
