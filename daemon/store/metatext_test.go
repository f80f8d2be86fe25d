package store

import (
	"context"
	"testing"
)

// TestSetText: a value is replaced, survives a reopen, and "" removes it.
func TestSetText(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if _, ok, err := s.Text(ctx, MetaFolderProblems); err != nil || ok {
		t.Fatalf("Text before any SetText = ok %v, %v; want nothing", ok, err)
	}
	for _, v := range []string{`[{"name":"a"}]`, `[{"name":"b"}]`} {
		if err := s.SetText(ctx, MetaFolderProblems, v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.Text(ctx, MetaFolderProblems); err != nil || !ok || got != v {
			t.Fatalf("Text = %q %v %v; want %q", got, ok, err, v)
		}
	}
	path := s.Path()
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _, _ := s.Text(ctx, MetaFolderProblems); got != `[{"name":"b"}]` {
		t.Fatalf("after reopening, Text = %q", got)
	}
	if err := s.SetText(ctx, MetaFolderProblems, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Text(ctx, MetaFolderProblems); err != nil || ok {
		t.Fatalf("after SetText \"\": ok %v, %v; want the key gone", ok, err)
	}
}
