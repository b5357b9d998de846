package sqlstore_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEventsUseConstants checks that every audit event the store writes
// names its entity and action with a lianluo constant. The named types
// (lianluo.AuditEntity, lianluo.AuditAction) reject a misspelt constant, but
// Go converts an untyped string literal to a named string type silently,
// so a literal such as "craete" would still compile: this scan is what
// keeps literals out. That every constant has a Chinese name is checked in
// the root package (TestAuditNames).
func TestEventsUseConstants(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "event" || len(call.Args) != 5 {
				return true
			}
			seen++
			for _, i := range []int{1, 3} {
				if lit, ok := call.Args[i].(*ast.BasicLit); ok {
					t.Errorf("%s: event with literal %s; use a lianluo.Entity… or lianluo.Audit… constant", fset.Position(lit.Pos()), lit.Value)
				}
			}
			return true
		})
	}
	if seen < 40 {
		t.Errorf("found only %d event calls; has the helper changed?", seen)
	}
}
