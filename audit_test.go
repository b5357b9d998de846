package lianluo_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"lianluo"
)

// typedConsts returns the values of the constants declared with the named
// type in the file (each constant carries its type: a bare "X = …" in a
// const block would be an untyped string).
func typedConsts(t *testing.T, file, typ string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != typ {
				continue
			}
			for _, val := range v.Values {
				if lit, ok := val.(*ast.BasicLit); ok {
					out = append(out, lit.Value[1:len(lit.Value)-1])
				}
			}
		}
	}
	return out
}

// TestAuditNames checks every audit entity and action has a Chinese name
// for the operation log (操作日志), so no page shows an English key: the
// compiler checks the constants are used, not that the maps are complete.
func TestAuditNames(t *testing.T) {
	t.Parallel()
	entities, actions := typedConsts(t, "audit.go", "AuditEntity"), typedConsts(t, "audit.go", "AuditAction")
	if len(entities) < 10 || len(actions) < 20 {
		t.Fatalf("found %d entities and %d actions in audit.go; has the declaration changed?", len(entities), len(actions))
	}
	for _, e := range entities {
		if lianluo.EntityNames[lianluo.AuditEntity(e)] == "" {
			t.Errorf("entity %q has no name in lianluo.EntityNames", e)
		}
	}
	for _, a := range actions {
		if lianluo.ActionNames[lianluo.AuditAction(a)] == "" {
			t.Errorf("action %q has no name in lianluo.ActionNames", a)
		}
	}
}

// TestTemplateWording checks every notification template key has its
// wording: a subject for e-mail and robots, and a body format.
func TestTemplateWording(t *testing.T) {
	t.Parallel()
	keys := typedConsts(t, "templates.go", "TemplateKey")
	if len(keys) < 20 {
		t.Fatalf("found %d template keys in templates.go; has the declaration changed?", len(keys))
	}
	for _, k := range keys {
		tm, ok := lianluo.MessageTemplates[lianluo.TemplateKey(k)]
		if !ok || tm.Subject == "" || tm.Body == "" {
			t.Errorf("template %q has no wording in lianluo.MessageTemplates", k)
		}
	}
}
