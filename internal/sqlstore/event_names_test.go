package sqlstore_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"lianluo"
)

// TestEveryEventNamed reads the store's source for the audit events it
// writes and checks each entity and action has a Chinese name for the
// operation log (操作日志), so no page shows an English key.
func TestEveryEventNamed(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\.event\(ctx, "([a-z_]+)", [^,]+, "([a-z_]+)"`)
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			seen++
			if _, ok := lianluo.EntityNames[m[1]]; !ok {
				t.Errorf("%s: entity %q has no name in lianluo.EntityNames", f, m[1])
			}
			if _, ok := lianluo.ActionNames[m[2]]; !ok {
				t.Errorf("%s: action %q has no name in lianluo.ActionNames", f, m[2])
			}
		}
	}
	if seen < 40 {
		t.Errorf("found only %d event calls; has the pattern changed?", seen)
	}
}
