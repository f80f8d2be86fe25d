package mailbox

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unsafe"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
	"github.com/leadup/leadup/daemon/message"
)

// refRFC822 is rfc822 as it was before fetched.reader streamed the
// header and the text: the reference reader is compared with.
func refRFC822(f *fetched) []byte {
	h := f.header
	var b bytes.Buffer
	b.Grow(len(h) + len(f.text) + 4)
	b.Write(h)
	switch {
	case len(h) == 0:
		b.WriteString("\r\n")
	case bytes.HasSuffix(h, []byte("\r\n\r\n")), bytes.HasSuffix(h, []byte("\n\n")), bytes.Equal(h, []byte("\r\n")):
	case bytes.HasSuffix(h, []byte("\n")):
		b.WriteString("\r\n")
	default:
		b.WriteString("\r\n\r\n")
	}
	b.Write(f.text)
	return b.Bytes()
}

// refReadLiteral is how readFetched read a literal before readLiteral.
func refReadLiteral(lit literal, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(lit, int64(limit)))
	if err == nil && int64(len(b)) < min(int64(limit), lit.Size()) {
		err = io.ErrUnexpectedEOF
	}
	return b, err
}

// literal is an imap.LiteralReader over r that announces size, which a
// cut connection makes more than r holds.
type literal struct {
	io.Reader
	size int64
}

func (l literal) Size() int64 { return l.size }

// agreeInputs are header and text pairs: every header end rfc822
// repairs, and the messages of the mailbox package's testdata.
func agreeInputs(t testing.TB) [][2]string {
	in := [][2]string{
		{"", ""}, {"", "body"}, {"\r\n", "body"}, {"\n", "x"},
		{"Subject: a\r\n\r\n", "body\r\n"}, {"Subject: a\n\n", "body"},
		{"Subject: a\r\n", "body"}, {"Subject: a\n", "body"}, {"Subject: cut mid-fie", "body"},
		{"Subject: a\r\n\r\n", ""},
	}
	split := func(b string) {
		h, body, ok := strings.Cut(b, "\r\n\r\n")
		if !ok {
			h, body, _ = strings.Cut(b, "\n\n")
		}
		in = append(in, [2]string{h + "\r\n\r\n", body}, [2]string{h + "\r\n", body}, [2]string{h, body}, [2]string{b, ""})
	}
	c := benchcorpus.Corpus{N: 50000, End: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Span: 300 * 24 * time.Hour,
		Me: "bench@example.com", Project: "Bench"}
	for i := 0; i < 50000; i += 50 {
		split(string(c.Mail(i)))
	}
	files, _ := filepath.Glob("/work/shared/fixtures/*/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 1<<20 {
			split(string(b))
		}
	}
	return in
}

func TestReaderAgreesWithRFC822(t *testing.T) {
	for _, in := range agreeInputs(t) {
		checkReaderAgrees(t, []byte(in[0]), []byte(in[1]))
	}
}

func checkReaderAgrees(t testing.TB, header, text []byte) {
	f := &fetched{header: header, text: text}
	got, err := io.ReadAll(f.reader())
	if err != nil {
		t.Fatal(err)
	}
	if want := refRFC822(f); !bytes.Equal(got, want) {
		t.Fatalf("header %q text %q: reader gives %q, rfc822 gave %q", header, text, got, want)
	}
	// Read a byte at a time too: the parser's reads are of any size.
	one, err := io.ReadAll(iotest.OneByteReader(f.reader()))
	if err != nil || !bytes.Equal(one, got) {
		t.Fatalf("header %q: read byte by byte %q (%v), want %q", header, one, err, got)
	}
}

func TestReadLiteralAgrees(t *testing.T) {
	for _, in := range agreeInputs(t) {
		b := in[0] + in[1]
		for _, limit := range []int{0, 1, 7, len(b) - 1, len(b), len(b) + 1, 64 << 10} {
			for _, cut := range []int64{0, 1, 100} { // announced bytes the connection never brought
				checkReadLiteralAgrees(t, b, limit, cut)
			}
		}
	}
}

func checkReadLiteralAgrees(t testing.TB, b string, limit int, cut int64) {
	if limit < 0 {
		return
	}
	size := int64(len(b)) + cut
	got, err := readLiteral(literal{strings.NewReader(b), size}, limit)
	want, werr := refReadLiteral(literal{strings.NewReader(b), size}, limit)
	if !bytes.Equal(got, want) || !errors.Is(err, werr) && !(err == nil && werr == nil) {
		t.Fatalf("%d bytes, limit %d, %d cut: readLiteral %q, %v; before %q, %v", len(b), limit, cut, got, err, want, werr)
	}
}

func FuzzReaderAgrees(f *testing.F) {
	// A sample of the inputs: thousands of seeds leave the fuzzer no time
	// but for its baseline.
	for i, in := range agreeInputs(f) {
		if i < 10 || i%40 == 0 {
			f.Add([]byte(in[0]), []byte(in[1]), 64<<10, int64(0))
		}
	}
	f.Fuzz(func(t *testing.T, header, text []byte, limit int, cut int64) {
		checkReaderAgrees(t, header, text)
		if limit > 1<<20 || cut < 0 || cut > 1<<20 {
			return
		}
		checkReadLiteralAgrees(t, string(header)+string(text), limit, cut)
	})
}

// parse hands the fetched text to message.ParseOwned; what is stored must
// be what message.Parse of the streamed message gave, and a stored visible
// text shorter than half the fetched text must not hold on to its buffer.
func TestParseOwnedStoresWhatParseDid(t *testing.T) {
	in := agreeInputs(t)
	c := benchcorpus.Corpus{N: 50000, End: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Span: 300 * 24 * time.Hour,
		Me: "bench@example.com", Project: "Bench"}
	for i := 0; i < 50000; i += 100 {
		h, body, _ := strings.Cut(string(c.Mail(i)), "\r\n\r\n")
		in = append(in, [2]string{h + "\r\n\r\n", body})
	}
	so := SyncOptions{Now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	fo := Folder{Name: "Bench", Kind: "project", Project: "Bench"}
	for _, p := range in {
		f := &fetched{uid: 7, header: []byte(p[0]), text: []byte(p[1])}
		po := so.ParseOptions
		po.Now, po.MaxText = so.Now, len(f.text)+1
		want, werr := message.Parse(f.reader(), po)
		got, gerr := parse(f, so)
		if (want == nil) != (got == nil) || (werr == nil) != (gerr == nil) {
			t.Fatalf("header %.60q: ParseOwned gave %v, %v; Parse %v, %v", p[0], got != nil, gerr, want != nil, werr)
		}
		if want == nil {
			continue
		}
		w, g := toStore(want, f, fo, 1, 64<<10), toStore(got, f, fo, 1, 64<<10)
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("header %.60q text %.60q:\nParseOwned stores %+v\nParse stored      %+v", p[0], p[1], g, w)
		}
		if len(g.Visible) > 0 && len(g.Visible) < len(f.text)/2 && within(g.Visible, f.text) {
			t.Fatalf("text %.60q: a visible text of %d bytes holds the fetched buffer of %d", p[1], len(g.Visible), len(f.text))
		}
		for _, bw := range g.BadWords {
			if within(bw, f.text) {
				t.Fatalf("text %.60q: the stored phrase %q is over the fetched buffer", p[1], bw)
			}
		}
	}
}

// within reports whether s's bytes are in b's memory.
func within(s string, b []byte) bool {
	if len(s) == 0 || len(b) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(&b[0]))
	return p >= lo && p < lo+uintptr(len(b))
}
