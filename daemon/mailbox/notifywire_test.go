package mailbox

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func readAll(s string) ([]wireResp, error) {
	r := wireReader{br: bufio.NewReader(strings.NewReader(s))}
	var out []wireResp
	for {
		resp, err := r.read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, resp)
	}
}

func TestWireRead(t *testing.T) {
	long := strings.Repeat("x", maxWireKeep+10)
	for _, c := range []struct {
		name, in string
		want     []wireResp
		err      error // wrapped by the error, when one is wanted
	}{
		{name: "greeting with capabilities", in: "* OK [CAPABILITY IMAP4rev1 IDLE LITERAL+] Dovecot ready.\r\n",
			want: []wireResp{{Tag: "*", Kind: "OK", Code: "CAPABILITY", CodeArgs: []string{"IMAP4rev1", "IDLE", "LITERAL+"}, Text: "Dovecot ready."}}},
		{name: "tagged NO with a code", in: "N3 NO [BADEVENT (MessageNew MessageExpunge)] unsupported\r\n",
			want: []wireResp{{Tag: "N3", Kind: "NO", Code: "BADEVENT", CodeArgs: []string{"(MessageNew", "MessageExpunge)"}, Text: "unsupported"}}},
		{name: "lower-case kind, bare LF", in: "a1 ok done\n",
			want: []wireResp{{Tag: "a1", Kind: "OK", Text: "done"}}},
		{name: "text ending like a literal is text", in: "* OK hello {5}\r\n* BYE bye\r\n",
			want: []wireResp{{Tag: "*", Kind: "OK", Text: "hello {5}"}, {Tag: "*", Kind: "BYE", Text: "bye"}}},
		{name: "continuation", in: "+ eyJzdGF0dXMiOiI0MDEifQ==\r\n+\r\n",
			want: []wireResp{{Tag: "+", Text: "eyJzdGF0dXMiOiI0MDEifQ=="}, {Tag: "+"}}},
		{name: "capability data", in: "* CAPABILITY IMAP4rev1 NOTIFY  SASL-IR\r\n",
			want: []wireResp{{Tag: "*", Kind: "CAPABILITY", Fields: []string{"IMAP4rev1", "NOTIFY", "SASL-IR"}}}},
		{name: "status, atom name", in: "* STATUS INBOX (MESSAGES 8 UIDNEXT 2269)\r\n",
			want: []wireResp{{Tag: "*", Kind: "STATUS", Fields: []string{"INBOX", "(", "MESSAGES", "8", "UIDNEXT", "2269", ")"}}}},
		{name: "status, quoted name with escapes", in: `* STATUS "Status/A \"b\" \\c" (UIDNEXT 7)` + "\r\n",
			want: []wireResp{{Tag: "*", Kind: "STATUS", Fields: []string{`Status/A "b" \c`, "(", "UIDNEXT", "7", ")"}}}},
		{name: "status, literal name holding CRLF and a fake response", in: "* STATUS {15}\r\nA\r\n* BYE fake\r\n (UIDNEXT 3)\r\nN1 OK done\r\n",
			want: []wireResp{{Tag: "*", Kind: "STATUS", Fields: []string{"A\r\n* BYE fake\r\n", "(", "UIDNEXT", "3", ")"}}, {Tag: "N1", Kind: "OK", Text: "done"}}},
		{name: "non-synchronizing and binary literals", in: "* 4 FETCH (BODY[] {3+}\r\nabc BINARY[] ~{2}\r\n\x00\x01)\r\n",
			want: []wireResp{{Tag: "*", Num: 4, Kind: "FETCH", Fields: []string{"(", "BODY[]", "abc", "BINARY[]", "\x00\x01", ")"}}}},
		{name: "literal ending the response", in: "* LIST () \"/\" {3}\r\nA B\r\n* 3 EXISTS\r\n",
			want: []wireResp{{Tag: "*", Kind: "LIST", Fields: []string{"(", ")", "/", "A B"}}, {Tag: "*", Num: 3, Kind: "EXISTS"}}},
		{name: "empty literal", in: "* STATUS {0}\r\n (UIDNEXT 1)\r\n",
			want: []wireResp{{Tag: "*", Kind: "STATUS", Fields: []string{"", "(", "UIDNEXT", "1", ")"}}}},
		{name: "long literal kept in part", in: fmt.Sprintf("* STATUS {%d}\r\n%s (UIDNEXT 1)\r\n", len(long), long),
			want: []wireResp{{Tag: "*", Kind: "STATUS", Fields: []string{long[:maxWireKeep], "(", "UIDNEXT", "1", ")"}}}},
		{name: "expunge", in: "* 2 EXPUNGE\r\n", want: []wireResp{{Tag: "*", Num: 2, Kind: "EXPUNGE"}}},

		{name: "no tag", in: " OK x\r\n", err: errWire},
		{name: "no kind", in: "*\r\n", err: errWire},
		{name: "tagged data", in: "N1 STATUS INBOX ()\r\n", err: errWire},
		{name: "bad number", in: "* 99999999999 EXISTS\r\n", err: errWire},
		{name: "unterminated string", in: "* STATUS \"INBOX (UIDNEXT 1)\r\n", err: errWire},
		{name: "bad escape", in: "* STATUS \"a\\b\" ()\r\n", err: errWire},
		{name: "literal not at the end", in: "* STATUS {3} x\r\n", err: errWire},
		{name: "literal without digits", in: "* STATUS {+}\r\nabc\r\n", err: errWire},
		{name: "literal too large", in: "* STATUS {99999999999}\r\n", err: errWire},
		{name: "connection ends inside a literal", in: "* STATUS {10}\r\nabc", err: io.ErrUnexpectedEOF},
		{name: "connection ends inside a line", in: "* OK partial", err: io.ErrUnexpectedEOF},
		{name: "line too long", in: "* OK " + strings.Repeat("y", maxWireLine+1) + "\r\n", err: errWire},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readAll(c.in)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("read = %+v, %v; want an error wrapping %v", got, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("read =\n%#v\nwant\n%#v", got, c.want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"INBOX", `"INBOX"`, true},
		{"", `""`, true},
		{`pa"ss\word`, `"pa\"ss\\word"`, true},
		{"correct horse {5}", `"correct horse {5}"`, true},
		{"line\r\nbreak", "", false},
		{"nul\x00", "", false},
		{"grüße", "", false},
	} {
		got, ok := quote(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("quote(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
		if ok {
			// What is quoted reads back as it was.
			resp, err := readAll("* STATUS " + got + " ()\r\n")
			if err != nil || len(resp) != 1 || resp[0].Fields[0] != c.in {
				t.Errorf("quote(%q) reads back as %+v, %v", c.in, resp, err)
			}
		}
	}
	if _, ok := astring("grüße").(literalArg); !ok {
		t.Error("astring of 8-bit text is not a literal")
	}
}

func TestEncodeMailbox(t *testing.T) {
	for in, want := range map[string]string{
		"INBOX":                 "INBOX",
		"Status/Apollo":         "Status/Apollo",
		"Tom & Jerry":           "Tom &- Jerry",
		"~peter/mail/台北/日本語":    "~peter/mail/&U,BTFw-/&ZeVnLIqe-", // RFC 3501, 5.1.3
		"Entwürfe":              "Entw&APw-rfe",
		"Projekt/Größe":         "Projekt/Gr&APYA3w-e",
		"\U0001F680 launch":     "&2D3egA- launch",
		"Gesendete Objekte äöü": "Gesendete Objekte &AOQA9gD8-",
	} {
		if got := encodeMailbox(in); got != want {
			t.Errorf("encodeMailbox(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUIDNextsWakeOnlyForNewMail(t *testing.T) {
	status := func(line string) wireResp {
		rs, err := readAll(line + "\r\n")
		if err != nil || len(rs) != 1 {
			t.Fatalf("%q: %v", line, err)
		}
		return rs[0]
	}
	u := uidNexts{}
	for _, c := range []struct {
		line string
		want bool
	}{
		{"* STATUS INBOX (MESSAGES 8 UIDNEXT 20 UIDVALIDITY 5)", true}, // first seen (NOTIFY SET STATUS)
		{"* STATUS Inbox (MESSAGES 7 UIDNEXT 20)", false},              // an expunge: same next UID
		{"* STATUS INBOX (MESSAGES 8 UIDNEXT 21 UNSEEN 1)", true},      // new mail
		{"* STATUS \"Status/Apollo\" (MESSAGES 1 UIDNEXT 2)", true},    // another folder
		{"* STATUS Status/Apollo (MESSAGES 0 UIDNEXT 2)", false},       // expunged
		{"* STATUS INBOX (MESSAGES 8 UIDNEXT 21 UIDVALIDITY 6)", true}, // the folder was recreated
		{"* STATUS INBOX (MESSAGES 9)", true},                          // cannot tell
		{"* STATUS INBOX", true},                                       // cannot tell
		{"* 3 EXISTS", true},
		{"* 3 EXPUNGE", false},
		{"* LIST () \"/\" INBOX", false},
	} {
		if got := u.changed(status(c.line)); got != c.want {
			t.Errorf("after the lines above, %q is news = %v, want %v", c.line, got, c.want)
		}
	}
}

// FuzzWireRead: any input reads without a panic and within the bounds; a
// mailbox name of any bytes, sent as a literal or quoted, reads back as it
// was, and the response after it is framed right.
func FuzzWireRead(f *testing.F) {
	f.Add("* STATUS {5}\r\nab\r\nc (UIDNEXT 1)\r\n", "Status/Apollo")
	f.Add("* OK [CAPABILITY IMAP4rev1] x {3}\r\nN1 OK done\r\n", "a \"b\" \\c")
	f.Add("* 1 FETCH (BODY[] ~{2}\r\n\x00\x00)\r\n", "grüße\r\n")
	f.Add("+ \r\n* BYE\r\n", "")
	f.Add("* LIST (\\Noselect) \"/\" \"a\\\"\"\r\n", "{3}")
	f.Fuzz(func(t *testing.T, in, name string) {
		got, _ := readAll(in)
		for _, r := range got {
			if len(r.Fields) > maxWireFields {
				t.Fatalf("%d fields kept", len(r.Fields))
			}
			for _, f := range r.Fields {
				if len(f) > maxWireLine+maxWireKeep {
					t.Fatalf("a field of %d bytes", len(f))
				}
			}
		}

		if len(name) > maxWireKeep {
			name = name[:maxWireKeep]
		}
		var arg string
		if q, ok := astring(name).(string); ok {
			arg = q
		} else {
			arg = fmt.Sprintf("{%d}\r\n%s", len(name), name)
		}
		rs, err := readAll("* STATUS " + arg + " (UIDNEXT 7)\r\nN9 OK after\r\n")
		if err != nil || len(rs) != 2 {
			t.Fatalf("STATUS of %q: %+v, %v", name, rs, err)
		}
		want := []string{name, "(", "UIDNEXT", "7", ")"}
		if !reflect.DeepEqual(rs[0].Fields, want) || rs[1].Tag != "N9" || rs[1].Text != "after" {
			t.Fatalf("STATUS of %q read as %q, then %+v", name, rs[0].Fields, rs[1])
		}
		if utf8.ValidString(name) {
			if enc := encodeMailbox(name); !isPrintableASCII(enc) {
				t.Fatalf("encodeMailbox(%q) = %q: not printable ASCII", name, enc)
			}
		}
	})
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
