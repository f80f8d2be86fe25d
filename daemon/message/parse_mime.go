package message

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"slices"
	"strings"
	"sync"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// Reading a message's header block and MIME entities the way go-message's
// Read and Entity do, with a fraction of their allocations: go-message's
// Read wraps the input in a second bufio.Reader, keeps every header field
// (a 256-byte line buffer, a key, a value and a map entry each: the
// Received and DKIM fields nobody reads), and every Entity parses its
// Content-Type again on each look. Here the header block is scanned with
// go-message's own line rules (readFields is its textproto.ReadHeader loop)
// but only the fields Parse uses become strings, each entity's
// Content-Type is parsed once, and the body decoders are the ones
// go-message's Entity stacks: mime/quotedprintable, encoding/base64 and
// go-message's charset readers. Multipart bodies are read by go-message's
// textproto.MultipartReader itself. The agreement tests
// (parse_agree_test.go) hold the results equal to go-message's.

// hkey names a header field Parse reads.
type hkey int

// The header fields Parse reads; headerNames spells them.
const (
	hMessageID hkey = iota
	hInReplyTo
	hReferences
	hDate
	hSubject
	hFrom
	hTo
	hCc
	hBcc
	hOriginalFrom
	hAutoSubmitted
	hContentType
	hTransferEncoding
	hDisposition
	hPrecedence
	hListAdministrivia
	hUnsubscribePost
	hAutoResponseSuppress
	hAutoreply
	hAutorespond
	hAutoresponder
	hGitHubReason
	hJiraFingerprint
	hGitlabProject
	hBugzillaReason
	numHeaderKeys
)

var headerNames = [numHeaderKeys]string{
	"Message-Id", "In-Reply-To", "References", "Date", "Subject", "From", "To", "Cc", "Bcc",
	"X-Original-From", "Auto-Submitted", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
	"Precedence", "X-List-Administrivia", "List-Unsubscribe-Post", "X-Auto-Response-Suppress",
	"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-GitHub-Reason", "X-JIRA-FingerPrint",
	"X-Gitlab-Project", "X-Bugzilla-Reason",
}

// HeaderFields names every header field Parse reads, for a caller that
// fetches only some of a header (IMAP's BODY[HEADER.FIELDS (...)]): a
// field left out is one Parse never sees, so a tracker's notification
// (X-GitHub-Reason) would pass for a person's mail.
func HeaderFields() []string { return slices.Clone(headerNames[:]) }

// headerByLen lists the header keys by the length of their names.
var headerByLen = func() (b [32][]hkey) {
	for k, n := range headerNames {
		b[len(n)] = append(b[len(n)], hkey(k))
	}
	return b
}()

// hfields is the fields of a header block that Parse reads: each one's
// first value, as textproto.Header.Get gives it, and whether it is there
// at all (Has).
type hfields struct {
	vals [numHeaderKeys]string
	has  [numHeaderKeys]bool
}

func (h *hfields) get(k hkey) string { return h.vals[k] }

// keyOf finds a field name among headerNames. go-message looks fields up
// by their net/textproto canonical key; for a name of token characters (all
// of headerNames) two names have the same canonical key exactly when they
// are equal but for ASCII case, and a name with other characters keeps its
// own spelling, which no token-only name folds to.
func keyOf(name []byte) (hkey, bool) {
	if len(name) >= len(headerByLen) {
		return 0, false
	}
	for _, k := range headerByLen[len(name)] {
		if asciiEqualFold(name, headerNames[k]) {
			return k, true
		}
	}
	return 0, false
}

func asciiEqualFold(b []byte, s string) bool {
	for i := range len(b) {
		c, d := b[i], s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// maxHeaderBytes is go-message's bound on a header block.
const maxHeaderBytes = 1 << 20

var errHeaderTooBig = errors.New("message: header exceeds maximum size")

// headerLimit is go-message's limitedReader: a bound on the bytes read
// while the header block is read, lifted after it.
type headerLimit struct {
	r io.Reader
	n int64
}

func (l *headerLimit) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errHeaderTooBig
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// reader is what one Parse reads through, kept in a pool (Parse runs on
// several goroutines): the input's bounds, its buffered reader, the header
// line being read and the buffer a text part is read into before its one
// copy into a string.
type reader struct {
	in   io.LimitedReader
	hl   headerLimit
	br   *bufio.Reader
	line []byte
	body bytes.Buffer
	part io.LimitedReader
}

var readers = sync.Pool{New: func() any {
	rd := &reader{line: make([]byte, 0, 1024)}
	rd.br = bufio.NewReader(&rd.hl) // go-message's Read reads through one of the default size
	return rd
}}

func getReader(r io.Reader, limit int64) *reader {
	rd := readers.Get().(*reader)
	rd.in = io.LimitedReader{R: r, N: limit}
	rd.hl = headerLimit{r: &rd.in, n: maxHeaderBytes}
	rd.br.Reset(&rd.hl)
	return rd
}

// release returns rd to the pool, without its input and without a buffer
// a huge header or part grew.
func (rd *reader) release() {
	rd.in.R, rd.part.R = nil, nil
	rd.br.Reset(&rd.hl)
	if cap(rd.line) > 64<<10 {
		rd.line = make([]byte, 0, 1024)
	}
	if rd.body.Cap() > 256<<10 {
		rd.body = bytes.Buffer{}
	}
	rd.body.Reset()
	readers.Put(rd)
}

// readFields reads the header block into h. It is go-message's
// textproto.ReadHeader (v0.18.2) with its line rules and errors, keeping
// only the fields h holds.
func (rd *reader) readFields(h *hfields) error {
	r := rd.br
	// The first line cannot start with a leading space.
	if buf, err := r.Peek(1); err == nil && isHeaderSpace(buf[0]) {
		line, err := readLineSlice(r, rd.line[:0])
		rd.line = line[:0]
		if err != nil {
			return err
		}
		return fmt.Errorf("message: malformed MIME header initial line: %v", string(line))
	}
	for {
		kv, err := rd.readContinued()
		if len(kv) == 0 {
			return err
		}
		i := bytes.IndexByte(kv, ':')
		if i < 0 {
			return fmt.Errorf("message: malformed MIME header line: %v", string(kv))
		}
		name := trimHeaderSpace(kv[:i])
		for _, c := range name {
			if c < 33 || c > 126 || c == ':' {
				return fmt.Errorf("message: malformed MIME header key: %v", string(name))
			}
		}
		if len(name) == 0 {
			continue // go-message skips a field without a name
		}
		if k, ok := keyOf(name); ok && !h.has[k] {
			h.has[k] = true
			h.vals[k] = trimAroundNewlines(kv[i+1:])
		}
		if err != nil {
			return err
		}
	}
}

// readContinued reads one field with its continuation lines into rd.line
// (go-message's readContinuedLineSlice, without a new buffer a field).
func (rd *reader) readContinued() ([]byte, error) {
	r := rd.br
	line, err := readLineSlice(r, rd.line[:0])
	rd.line = line[:0]
	if err == io.EOF && len(line) == 0 {
		return nil, nil // a header without a body
	} else if err != nil {
		return nil, err
	}
	if len(line) == 0 { // the blank line: no continuation
		return line, nil
	}
	line = append(line, '\r', '\n')
	for hasContinuationLine(r) {
		line, err = readLineSlice(r, line)
		if err != nil {
			break // bufio keeps err until the next read
		}
		line = append(line, '\r', '\n')
	}
	rd.line = line[:0]
	return line, nil
}

func readLineSlice(r *bufio.Reader, line []byte) ([]byte, error) {
	for {
		l, more, err := r.ReadLine()
		line = append(line, l...)
		if err != nil {
			return line, err
		}
		if !more {
			return line, nil
		}
	}
}

func hasContinuationLine(r *bufio.Reader) bool {
	c, err := r.ReadByte()
	if err != nil {
		return false // bufio keeps err until the next read
	}
	r.UnreadByte()
	return isHeaderSpace(c)
}

func isHeaderSpace(c byte) bool { return c == ' ' || c == '\t' }

func trimHeaderSpace(s []byte) []byte {
	i := 0
	for i < len(s) && isHeaderSpace(s[i]) {
		i++
	}
	n := len(s)
	for n > i && isHeaderSpace(s[n-1]) {
		n--
	}
	return s[i:n]
}

// trimAroundNewlines is go-message's field value: the lines without their
// line ends, trimmed of spaces and tabs, the empty ones dropped, joined
// with one space. A one-line value (the common case) is one copy.
func trimAroundNewlines(v []byte) string {
	if i := bytes.IndexByte(v, '\n'); i < 0 || i == len(v)-1 {
		l := v
		if i >= 0 {
			l = v[:i]
		}
		if len(l) > 0 && l[len(l)-1] == '\r' {
			l = l[:len(l)-1]
		}
		return string(trimHeaderSpace(l))
	}
	var b strings.Builder
	b.Grow(len(v))
	for {
		i := bytes.IndexByte(v, '\n')
		if i < 0 {
			writeContinued(&b, v)
			break
		}
		writeContinued(&b, v[:i])
		v = v[i+1:]
	}
	return b.String()
}

func writeContinued(b *strings.Builder, l []byte) {
	if len(l) > 0 && l[len(l)-1] == '\r' {
		l = l[:len(l)-1]
	}
	l = trimHeaderSpace(l)
	if len(l) == 0 {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.Write(l)
}

// entity is one MIME entity as go-message's Entity has it: the media type
// (the raw field value when it does not parse, as Entity keeps it), its
// parameters, the Content-Disposition field and the decoded body.
type entity struct {
	mediaType string
	params    map[string]string
	ctErr     error
	disp      string
	body      io.Reader
}

// newEntity is go-message's message.New: the transfer encoding is undone
// (not for a multipart, whose parts carry their own), then a text part's
// charset; an unknown encoding or charset leaves the body as it is.
func newEntity(ct, cte, disp string, body io.Reader) entity {
	e := entity{disp: disp}
	e.mediaType, e.params, e.ctErr = contentType(ct)
	if !strings.HasPrefix(e.mediaType, "multipart/") {
		if dec, err := transferDecoder(cte, body); err == nil {
			body = dec
		}
	}
	if strings.HasPrefix(e.mediaType, "text/") {
		if ch, ok := e.params["charset"]; ok {
			if conv, err := charsetDecoder(ch, body); err == nil {
				body = conv
			}
		}
	}
	e.body = body
	return e
}

// contentType is go-message's Header.ContentType on a field value.
func contentType(v string) (string, map[string]string, error) {
	if v == "" {
		return "text/plain", nil, nil
	}
	t, params, err := mime.ParseMediaType(v)
	if err != nil {
		return v, nil, err
	}
	for k, p := range params {
		// go-message decodes RFC 2047 words in parameters; a value
		// without "=?" holds none and is kept as it is
		if strings.Contains(p, "=?") {
			if d, err := paramDecoder.DecodeHeader(p); err == nil {
				params[k] = d
			}
		}
	}
	return t, params, nil
}

var paramDecoder = &mime.WordDecoder{CharsetReader: charsetDecoder}

// isAttachment says whether a Content-Disposition value is "attachment" as
// go-message's Header.ContentDisposition reads it (a value that does not
// parse is none). mime.ParseMediaType lowercases and trims what precedes
// the first ";": unless that folds to "attachment" (no Unicode letter
// lowercases to one of its ASCII letters) the answer is no without it.
func isAttachment(v string) bool {
	base, _, _ := strings.Cut(v, ";")
	if !strings.EqualFold(strings.TrimSpace(base), "attachment") {
		return false
	}
	t, _, err := mime.ParseMediaType(v)
	return err == nil && t == "attachment"
}

// transferDecoder is go-message's encodingReader.
func transferDecoder(enc string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(enc) {
	case "quoted-printable":
		return quotedprintable.NewReader(r), nil
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &whitespaceReplacingReader{wrapped: r}), nil
	case "7bit", "8bit", "binary", "":
		return r, nil
	}
	return nil, fmt.Errorf("unhandled encoding %q", enc)
}

// whitespaceReplacingReader is go-message's: spaces and tabs in a base64
// body (a continuation indent) become line breaks, which the decoder skips.
type whitespaceReplacingReader struct {
	wrapped io.Reader
}

func (r *whitespaceReplacingReader) Read(p []byte) (int, error) {
	n, err := r.wrapped.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == ' ' || p[i] == '\t' {
			p[i] = '\n'
		}
	}
	return n, err
}

// charsetDecoder is go-message's charsetReader: UTF-8 and ASCII as they
// are, other charsets through go-message's charset package.
func charsetDecoder(charset string, input io.Reader) (io.Reader, error) {
	charset = strings.ToLower(charset)
	if charset == "utf-8" || charset == "us-ascii" {
		return input, nil
	}
	if gomessage.CharsetReader != nil {
		r, err := gomessage.CharsetReader(charset, input)
		if err != nil {
			return r, gomessage.UnknownCharsetError{}
		}
		return r, nil
	}
	return input, fmt.Errorf("message: unhandled charset %q", charset)
}

// msgID is go-message's mail.Header.MessageID on a field value, and
// msgIDList its MsgIDList (only the first identifier when first is set).
// The common "<left@right>" of plain ASCII atoms is read here, as a
// substring; anything else (a comment, a domain literal, non-ASCII text,
// a malformed list) goes to go-message.
func msgID(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if id, _, ok := simpleMsgID(v); ok {
		return id, nil
	}
	var h mail.Header
	h.Set("Message-Id", v)
	return h.MessageID()
}

func msgIDList(v string, first bool) ([]string, error) {
	if v == "" {
		return nil, nil
	}
	var l []string
	for rest := v; rest != ""; {
		id, r, ok := simpleMsgID(rest)
		if !ok {
			var h mail.Header
			h.Set("References", v)
			return h.MsgIDList("References")
		}
		if !first || l == nil {
			l = append(l, id)
		}
		rest = r
	}
	return l, nil
}

// simpleMsgID reads "<left@right>" at the start of s (after spaces and
// tabs) where left and right are dot-atoms of ASCII atext, and returns the
// identifier and what follows its trailing spaces. ok is false for anything
// go-message's parser might read otherwise: a comment before or after, a
// non-ASCII character, a domain literal, a malformed identifier. Where ok
// is true, go-message's parseMsgID reads the same identifier (left + "@" +
// right, which is the substring between the brackets) and leaves the same
// rest: its atom scan stops at the same non-atext byte.
func simpleMsgID(s string) (id, rest string, ok bool) {
	s = strings.TrimLeft(s, " \t")
	if len(s) == 0 || s[0] != '<' {
		return "", "", false
	}
	i := 1
	for i < len(s) && isAtextDot(s[i]) {
		i++
	}
	if i == 1 || i == len(s) || s[i] != '@' {
		return "", "", false
	}
	j := i + 1
	for j < len(s) && isAtextDot(s[j]) {
		j++
	}
	if j == i+1 || j == len(s) || s[j] != '>' {
		return "", "", false
	}
	rest = strings.TrimLeft(s[j+1:], " \t")
	if rest != "" && rest[0] == '(' {
		return "", "", false
	}
	return s[1:j], rest, true
}

// isAtextDot is go-message's isAtext(r, true) for an ASCII byte.
func isAtextDot(c byte) bool {
	switch c {
	case '(', ')', '[', ']', ';', '@', '\\', ',', '<', '>', '"', ':':
		return false
	}
	return '!' <= c && c <= '~'
}
