package mailbox

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
)

// The NOTIFY watcher (notify.go) speaks IMAP itself: go-imap v2 has no
// NOTIFY command, no way to send one, and drops the unsolicited STATUS
// responses NOTIFY brings. This file is the little of the wire format it
// needs: reading any response, literals included, and quoting what it sends.

// Bounds on what a response may hold, so a broken or hostile server cannot
// make the watcher buffer without limit.
const (
	maxWireLine    = 64 << 10 // one line of a response, without its literals
	maxWireLiteral = 64 << 20 // a literal the server announces
	maxWireKeep    = 4 << 10  // bytes of a literal kept; the rest is read and dropped
	maxWireFields  = 4096     // tokens kept of one response; the rest is read and dropped
)

// errWire is wrapped by every error about a malformed response.
var errWire = errors.New("malformed imap response")

// wireResp is one response from the server.
type wireResp struct {
	Tag  string // "*" untagged, "+" a continuation request, else the tag of a command
	Num  uint32 // the number before the kind ("* 3 EXISTS"); 0 when none
	Kind string // upper case: OK, NO, BAD, BYE, PREAUTH, CAPABILITY, STATUS, EXISTS...; "" for "+"
	// Code and CodeArgs are a status response's code ("[CAPABILITY IMAP4rev1
	// IDLE]": "CAPABILITY", ["IMAP4rev1", "IDLE"]), Code upper case.
	Code     string
	CodeArgs []string
	Text     string // the human text of a status response, or a continuation's
	// Fields are a data response's tokens after Kind: atoms, the values of
	// quoted strings and literals (a literal cut at maxWireKeep bytes), and
	// "(" and ")" for lists. CAPABILITY and ENABLED give their atoms.
	Fields []string
}

// isStatus reports whether the response is a status response (OK, NO,
// BAD, BYE, PREAUTH), whose rest is a code and text rather than data.
func isStatus(kind string) bool {
	switch kind {
	case "OK", "NO", "BAD", "BYE", "PREAUTH":
		return true
	}
	return false
}

// wireReader reads responses from br.
type wireReader struct{ br *bufio.Reader }

// line reads one line without its CRLF (a bare LF is accepted too).
func (r wireReader) line() ([]byte, error) {
	var out []byte
	for {
		b, err := r.br.ReadSlice('\n')
		if len(out)+len(b) > maxWireLine+2 {
			return nil, fmt.Errorf("%w: a line longer than %d bytes", errWire, maxWireLine)
		}
		out = append(out, b...)
		switch {
		case err == nil:
			out = out[:len(out)-1]
			return bytes.TrimSuffix(out, []byte{'\r'}), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(out) > 0:
			return nil, fmt.Errorf("%w: the connection ended inside a response", io.ErrUnexpectedEOF)
		default:
			return nil, err
		}
	}
}

// read reads one whole response.
func (r wireReader) read() (wireResp, error) {
	ln, err := r.line()
	if err != nil {
		return wireResp{}, err
	}
	var resp wireResp
	tag, rest := cutSP(ln)
	if tag == "" {
		return resp, fmt.Errorf("%w: %q has no tag", errWire, clip(ln))
	}
	resp.Tag = tag
	if tag == "+" {
		resp.Text = string(rest)
		return resp, nil
	}
	kind, rest := cutSP(rest)
	if tag == "*" && kind != "" && kind[0] >= '0' && kind[0] <= '9' {
		n, err := strconv.ParseUint(kind, 10, 32)
		if err != nil {
			return resp, fmt.Errorf("%w: bad number %q", errWire, kind)
		}
		resp.Num = uint32(n)
		kind, rest = cutSP(rest)
	}
	if kind == "" {
		return resp, fmt.Errorf("%w: %q has no response type", errWire, clip(ln))
	}
	resp.Kind = strings.ToUpper(kind)
	switch {
	case isStatus(resp.Kind):
		resp.Code, resp.CodeArgs, resp.Text = parseRespText(rest)
	case tag != "*":
		return resp, fmt.Errorf("%w: a tagged %s", errWire, resp.Kind)
	case resp.Kind == "CAPABILITY" || resp.Kind == "ENABLED":
		resp.Fields = strings.Fields(string(rest))
	default:
		resp.Fields, err = r.fields(rest)
	}
	return resp, err
}

// parseRespText splits resp-text into its optional [code args] and text.
// resp-text holds no literals: a "{5}" at its end is text.
func parseRespText(s []byte) (code string, args []string, text string) {
	if len(s) == 0 || s[0] != '[' {
		return "", nil, string(s)
	}
	end := bytes.IndexByte(s, ']')
	if end < 0 {
		return "", nil, string(s)
	}
	inner := string(s[1:end])
	name, rest, _ := strings.Cut(inner, " ")
	return strings.ToUpper(name), strings.Fields(rest), strings.TrimPrefix(string(s[end+1:]), " ")
}

// fields tokenizes the rest of a data response, reading the literals it
// announces and the lines after them.
func (r wireReader) fields(s []byte) ([]string, error) {
	var out []string
	keep := func(f string) {
		if len(out) < maxWireFields {
			out = append(out, f)
		}
	}
	for {
		s = bytes.TrimLeft(s, " ")
		if len(s) == 0 {
			return out, nil
		}
		switch c := s[0]; {
		case c == '(' || c == ')':
			keep(string(c))
			s = s[1:]
		case c == '"':
			v, n, err := unquote(s)
			if err != nil {
				return out, err
			}
			keep(v)
			s = s[n:]
		case c == '{' || c == '~' && len(s) > 1 && s[1] == '{':
			n, err := literalSize(s)
			if err != nil {
				return out, err
			}
			v, err := r.literal(n)
			if err != nil {
				return out, err
			}
			keep(v)
			if s, err = r.line(); err != nil {
				return out, err
			}
		default:
			i := bytes.IndexAny(s, " ()\"")
			if i < 0 {
				i = len(s)
			}
			keep(string(s[:i]))
			s = s[i:]
		}
	}
}

// literalSize parses a literal's announcement ("{12}", "{12+}", "~{12}"),
// which must end the line.
func literalSize(s []byte) (int64, error) {
	t := bytes.TrimPrefix(s, []byte{'~'})
	if len(t) < 3 || t[0] != '{' || t[len(t)-1] != '}' {
		return 0, fmt.Errorf("%w: %q is not a literal at the end of a line", errWire, clip(s))
	}
	digits := bytes.TrimSuffix(t[1:len(t)-1], []byte{'+'})
	n, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil || n < 0 || len(digits) == 0 || digits[0] == '+' {
		return 0, fmt.Errorf("%w: bad literal size %q", errWire, clip(s))
	}
	if n > maxWireLiteral {
		return 0, fmt.Errorf("%w: a literal of %d bytes (at most %d are read)", errWire, n, maxWireLiteral)
	}
	return n, nil
}

// literal reads n bytes, keeping the first maxWireKeep.
func (r wireReader) literal(n int64) (string, error) {
	k := min(n, maxWireKeep)
	b := make([]byte, k)
	if _, err := io.ReadFull(r.br, b); err != nil {
		return "", literalErr(err)
	}
	if _, err := io.CopyN(io.Discard, r.br, n-k); err != nil {
		return "", literalErr(err)
	}
	return string(b), nil
}

func literalErr(err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: the connection ended inside a literal", io.ErrUnexpectedEOF)
	}
	return err
}

// unquote reads the quoted string at the start of s and says how many
// bytes it took.
func unquote(s []byte) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return b.String(), i + 1, nil
		case '\\':
			i++
			if i == len(s) || s[i] != '\\' && s[i] != '"' {
				return "", 0, fmt.Errorf("%w: bad escape in %q", errWire, clip(s))
			}
		}
		b.WriteByte(s[i])
	}
	return "", 0, fmt.Errorf("%w: unterminated string %q", errWire, clip(s))
}

func cutSP(s []byte) (string, []byte) {
	w, rest, _ := bytes.Cut(s, []byte{' '})
	return string(w), rest
}

// clip shortens what an error quotes.
func clip(s []byte) string {
	if len(s) > 80 {
		return string(s[:80]) + "…"
	}
	return string(s)
}

// quote returns s as an IMAP quoted string; ok is false when s cannot be
// one (it holds a NUL, CR, LF or a byte above 0x7f) and must go as a literal.
func quote(s string) (q string, ok bool) {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0 || c == '\r' || c == '\n' || c > 0x7f:
			return "", false
		case c == '"' || c == '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String(), true
}

// literalArg is a command argument sent as a literal.
type literalArg []byte

// astring is s as a command argument: quoted where it can be, else a
// literal.
func astring(s string) any {
	if q, ok := quote(s); ok {
		return q
	}
	return literalArg(s)
}

// encodeMailbox is name in IMAP's modified UTF-7 (RFC 3501, 5.1.3), the
// form mailbox names take on the wire unless UTF8=ACCEPT is enabled.
func encodeMailbox(name string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		if len(run) == 0 {
			return
		}
		u := utf16.Encode(run)
		raw := make([]byte, 0, 2*len(u))
		for _, x := range u {
			raw = append(raw, byte(x>>8), byte(x))
		}
		b.WriteByte('&')
		b.WriteString(strings.ReplaceAll(base64.RawStdEncoding.EncodeToString(raw), "/", ","))
		b.WriteByte('-')
		run = run[:0]
	}
	for _, r := range name {
		switch {
		case r == '&':
			flush()
			b.WriteString("&-")
		case r >= 0x20 && r <= 0x7e:
			flush()
			b.WriteRune(r)
		default:
			run = append(run, r)
		}
	}
	flush()
	return b.String()
}

// encodeSASL and decodeSASL are AUTHENTICATE's base64 on the command line
// (SASL-IR) and in challenges, where "=" is empty.
func encodeSASL(b []byte) string {
	if len(b) == 0 {
		return "="
	}
	return base64.StdEncoding.EncodeToString(b)
}

func decodeSASL(s string) ([]byte, error) {
	if s == "=" {
		return []byte{}, nil // go-sasl takes nil for no challenge at all
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: a SASL challenge that is not base64", errWire)
	}
	return b, nil
}
