package mailbox

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// mailboxWrites are the go-imap client methods that change a mailbox or
// the account. Append is handled apart: AppendDraft may call it.
var mailboxWrites = map[string]bool{
	"Store": true, "Expunge": true, "UIDExpunge": true, "UnselectAndExpunge": true,
	"Copy": true, "Move": true, "Delete": true, "Rename": true, "Create": true,
	"Subscribe": true, "Unsubscribe": true, "SetACL": true, "SetMetadata": true, "SetQuota": true,
}

// TestSourceIsReadOnly keeps the read-only promise structural. It parses
// the package's non-test files and fails on:
//   - a call of any method named like a mailbox write (.Store(, .Expunge(,
//     .Copy(, .Move(, .Delete(, .Rename(, .Create(, .Subscribe(, ...), on
//     any receiver, except Store on a sync/atomic field declared in the
//     package;
//   - an .Append( call outside AppendDraft (the one allowed write);
//   - a .Select( call without SelectOptions{ReadOnly: true} (EXAMINE);
//   - a FetchItemBodySection or FetchItemBinarySection literal without
//     Peek: true, and any Peek set to something other than true.
//
// It is a scan of the source, not of the wire: the e2e tests check the
// wire (flags and message counts unchanged after a sync).
func TestSourceIsReadOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, af)
	}
	atomics := atomicNames(parsed)
	sections, appends := 0, 0
	for _, af := range parsed {
		v := &readOnlyVisitor{t: t, fset: fset, atomics: atomics, sections: &sections, appends: &appends}
		ast.Walk(v, af)
	}
	if len(parsed) < 5 || sections < 2 || appends != 1 {
		t.Fatalf("checked %d source files, %d body sections, %d appends: the scan is not seeing the code",
			len(parsed), sections, appends)
	}
}

// atomicNames returns the names of the package's struct fields and
// variables whose type comes from sync/atomic (their Store is no IMAP write).
func atomicNames(files []*ast.File) map[string]bool {
	out := map[string]bool{}
	isAtomic := func(e ast.Expr) bool {
		for {
			switch x := e.(type) {
			case *ast.IndexExpr: // atomic.Pointer[T]
				e = x.X
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				return ok && id.Name == "atomic"
			default:
				return false
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Field:
				if isAtomic(x.Type) {
					for _, id := range x.Names {
						out[id.Name] = true
					}
				}
			case *ast.ValueSpec:
				if x.Type != nil && isAtomic(x.Type) {
					for _, id := range x.Names {
						out[id.Name] = true
					}
				}
			}
			return true
		})
	}
	return out
}

type readOnlyVisitor struct {
	t        *testing.T
	fset     *token.FileSet
	atomics  map[string]bool
	fn       string // the enclosing top-level function
	sections *int
	appends  *int
	// elided is the element type of the slice literal being walked, for
	// elements written without their type ({Specifier: ..., Peek: true}).
	elided string
}

func (v *readOnlyVisitor) Visit(n ast.Node) ast.Visitor {
	switch x := n.(type) {
	case *ast.FuncDecl:
		w := *v
		w.fn = x.Name.Name
		return &w
	case *ast.CallExpr:
		v.call(x)
	case *ast.CompositeLit:
		name := typeName(x.Type)
		if name == "" {
			name = v.elided
		}
		if name == "FetchItemBodySection" || name == "FetchItemBinarySection" {
			*v.sections++
			if !hasTrue(x, "Peek") {
				v.errorf(x, "a %s without Peek: true marks the message \\Seen", name)
			}
		}
		w := *v
		w.elided = ""
		if at, ok := x.Type.(*ast.ArrayType); ok {
			w.elided = typeName(at.Elt)
		}
		return &w
	case *ast.KeyValueExpr:
		if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Peek" && !isTrue(x.Value) {
			v.errorf(x, "Peek is not true")
		}
	case *ast.AssignStmt:
		for i, l := range x.Lhs {
			if s, ok := l.(*ast.SelectorExpr); ok && s.Sel.Name == "Peek" && (i >= len(x.Rhs) || !isTrue(x.Rhs[i])) {
				v.errorf(x, "Peek is set to something other than true")
			}
		}
	}
	return v
}

func (v *readOnlyVisitor) call(x *ast.CallExpr) {
	sel, ok := x.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	switch name := sel.Sel.Name; {
	case mailboxWrites[name]:
		if recv, ok := sel.X.(*ast.SelectorExpr); ok && name == "Store" && v.atomics[recv.Sel.Name] {
			return
		}
		if recv, ok := sel.X.(*ast.Ident); ok && name == "Store" && v.atomics[recv.Name] {
			return
		}
		v.errorf(x, "calls .%s(: the package must not change the mailbox", name)
	case name == "Append":
		*v.appends++
		if v.fn != "AppendDraft" {
			v.errorf(x, "calls .Append( outside AppendDraft")
		}
	case name == "Select":
		ro := false
		for _, a := range x.Args {
			ast.Inspect(a, func(n ast.Node) bool {
				if cl, ok := n.(*ast.CompositeLit); ok && typeName(cl.Type) == "SelectOptions" && hasTrue(cl, "ReadOnly") {
					ro = true
				}
				return true
			})
		}
		if !ro {
			v.errorf(x, "calls .Select( without SelectOptions{ReadOnly: true}")
		}
	}
}

func (v *readOnlyVisitor) errorf(n ast.Node, format string, args ...any) {
	v.t.Helper()
	v.t.Errorf("%s (in %s): "+format, append([]any{v.fset.Position(n.Pos()), v.fn}, args...)...)
}

// typeName is the bare name of a (possibly pointer, possibly qualified) type.
func typeName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return typeName(x.X)
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}

func isTrue(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "true"
}

func hasTrue(cl *ast.CompositeLit, key string) bool {
	for _, el := range cl.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == key && isTrue(kv.Value) {
				return true
			}
		}
	}
	return false
}
