package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestYAMLSyntaxErrors: a syntax error names the line to fix (not where
// the enclosing block began, as viper's yaml says), quotes it, and says what
// to do. The cases are real slips in the example config.
func TestYAMLSyntaxErrors(t *testing.T) {
	example, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(example), "\n")
	// edit replaces line n (from 1), which must start with old, by new.
	edit := func(n int, old, new string) string {
		t.Helper()
		l := append([]string(nil), lines...)
		if !strings.HasPrefix(l[n-1], old) {
			t.Fatalf("test bug: line %d is %q, not %q…", n, l[n-1], old)
		}
		l[n-1] = new + strings.TrimPrefix(l[n-1], old)
		return strings.Join(l, "\n")
	}
	for _, tc := range []struct {
		name string
		text string
		want string // the whole problem, after the file name
	}{
		{"a key indented one space too far", edit(37, "  port: 587", "   port: 587"),
			`line 37: YAML syntax error: "   port: 587" is indented 3 spaces: indent it 2 spaces, like line 36 (the keys of one section line up)`},
		{"a section's first key indented too far", edit(36, "  host: smtp", "    host: smtp"),
			`line 36: YAML syntax error: "    host: smtp.example.com" is indented 4 spaces: indent it 2 spaces, like line 37 (the keys of one section line up)`},
		{"a key indented too little", edit(37, "  port: 587", " port: 587"),
			`line 37: YAML syntax error: " port: 587" is indented 1 space: indent it 2 spaces, like line 36 (the keys of one section line up)`},
		{"a key pushed to the left margin", edit(38, "  tls: starttls", "tls: starttls"),
			`line 38: YAML syntax error: "tls: starttls" is not indented: indent it 2 spaces, like line 37 (the keys of one section line up)`},
		{"a section name indented", edit(5, "me:", " me:"),
			`line 5: YAML syntax error: " me:" is indented 1 space: start it at the left margin, like line 10 (the keys of one section line up)`},
		{"a list item indented too far", edit(47, "  - {name: Zephyr", "    - {name: Zephyr"),
			`line 47: YAML syntax error: "    - {name: Zephyr, label: Status/Zephyr}" is indented 4 spaces: indent it 2 spaces, like line 46 (the items of one list line up)`},
		{"a key of a list item out of line", edit(52, "    role: boss", "     role: boss"),
			`line 52: YAML syntax error: "     role: boss" is indented 5 spaces: indent it 4 spaces, like line 51 (the keys of one section line up)`},
		{"a tab", edit(37, "  port: 587", "\tport: 587"),
			`line 37: YAML syntax error: "\tport: 587" is indented with a tab: indent with spaces only (YAML does not allow tabs there)`},
		{"an unclosed double quote", edit(6, "  name: Alex Doe", `  name: "Alex Doe`),
			`line 6: YAML syntax error: the " opened in "  name: \"Alex Doe" is never closed: end it with " on that line`},
		{"an unclosed single quote", edit(63, `  at: "09:30"`, `  at: '09:30`),
			`line 63: YAML syntax error: the ' opened in "  at: '09:30" is never closed: end it with ' on that line`},
		{"an unclosed list", edit(8, "  aliases: [alex.doe@example.com]", "  aliases: [alex.doe@example.com"),
			`line 8: YAML syntax error: the [ opened in "  aliases: [alex.doe@example.com" is never closed: end it with ] on that line`},
		{"an unclosed map", edit(46, "  - {name: Apollo, label: Status/Apollo}", "  - {name: Apollo, label: Status/Apollo"),
			`line 46: YAML syntax error: the { opened in "  - {name: Apollo, label: Status/Apollo" is never closed: end it with } on that line`},
		{"a colon in a plain value", edit(6, "  name: Alex Doe", "  name: Alex: Doe"),
			`line 6: YAML syntax error: mapping values are not allowed in this context in "  name: Alex: Doe": a value holding ": " must be quoted, like name: "Status: Apollo"; else check the indentation`},
		{"a key indented too far, CRLF line ends", strings.ReplaceAll(edit(37, "  port: 587", "   port: 587"), "\n", "\r\n"),
			`line 37: YAML syntax error: "   port: 587" is indented 3 spaces: indent it 2 spaces, like line 36 (the keys of one section line up)`},
		{"a key defined twice", strings.Replace(string(example), "poll: 5 minutes", "imap: {host: x}\npoll: 5 minutes", 1),
			`line 72: YAML syntax error: mapping key "imap" already defined at line 16 in "imap: {host: x}": keep one of the two, with the keys of both under it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(write(t, tc.text, 0o600))
			var ce *Error
			if !errors.As(err, &ce) || len(ce.Problems) != 1 {
				t.Fatalf("want one problem, got %v", err)
			}
			if got := ce.Problems[0].String(); got != tc.want {
				t.Errorf("\n got  %s\n want %s", got, tc.want)
			}
		})
	}
}

// TestOpenAtEnd: quotes inside plain values and closed ones are no
// unclosed quote.
func TestOpenAtEnd(t *testing.T) {
	for l, want := range map[string]byte{
		`  name: Alex O'Brien`:                   0,
		`  name: "Alex \"the\" Doe"`:             0,
		`  name: 'it''s'`:                        0,
		`  name: 'it''s`:                         '\'',
		`  password_cmd: "pass show x"  # "note`: 0,
		`  - {name: "Apollo", label: 'A/B'}`:     0,
		`  - {name: "Apollo, label: A}`:          '"',
		`  label: a[1]`:                          0,
		`  aliases: [a, [b, c]`:                  '[',
		`# "a comment`:                           0,
	} {
		if got := openAtEnd(l); got != want {
			t.Errorf("openAtEnd(%q) = %q, want %q", l, got, want)
		}
	}
}
