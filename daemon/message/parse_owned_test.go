package message

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// ParseOwned gives what Parse gives on the same bytes (and so what the
// reference refParParse gives), however the message is split into a
// header and a body, on every fixture and a few thousand benchcorpus
// messages; and in FuzzParseOwnedAgrees. TestParseOwnedShares checks that
// it does share the body where it should, so the agreement covers that
// path.

// headerEnd is the index after the blank line that ends raw's header, or
// -1.
func ownedHeaderEnd(raw []byte) int {
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(raw, []byte(sep)); i >= 0 {
			return i + len(sep)
		}
	}
	return -1
}

// checkOwnedAgrees compares ParseOwned with Parse and the reference on
// raw split at the header's end, not split, and split at cut (when it is
// in raw).
func checkOwnedAgrees(t *testing.T, raw []byte, cut int) (shared int) {
	t.Helper()
	splits := [][2][]byte{{nil, raw}}
	if i := ownedHeaderEnd(raw); i >= 0 {
		splits = append(splits, [2][]byte{raw[:i], raw[i:]})
	}
	if cut >= 0 && cut <= len(raw) {
		splits = append(splits, [2][]byte{raw[:cut], raw[cut:]})
	}
	for _, opt := range agreeOptions {
		want, werr := Parse(bytes.NewReader(raw), opt)
		ref, rerr := refParParse(bytes.NewReader(raw), opt)
		if fmt.Sprint(werr) != fmt.Sprint(rerr) || !reflect.DeepEqual(want, ref) {
			t.Fatalf("Parse(%.300q) differs from the reference", raw)
		}
		for _, sp := range splits {
			h, b := bytes.Clone(sp[0]), bytes.Clone(sp[1])
			got, gerr := ParseOwned(h, b, opt)
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Fatalf("ParseOwned(%.200q, %.200q) error %v, Parse %v", h, b, gerr, werr)
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("ParseOwned(%.200q, %.300q, %+v):\n got %+v\nwant %+v", h, b, opt, got, want)
			}
			if got != nil && sharesMemory(got.Text, b) {
				shared++
			}
			if !bytes.Equal(b, sp[1]) || !bytes.Equal(h, sp[0]) {
				t.Fatal("ParseOwned changed its input")
			}
		}
	}
	return shared
}

// sharesMemory says whether s lies in b's memory.
func sharesMemory(s string, b []byte) bool {
	if s == "" || len(b) == 0 {
		return false
	}
	p, q := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(&b[0]))
	return p >= q && p+uintptr(len(s)) <= q+uintptr(len(b))
}

func TestParseOwnedAgrees(t *testing.T) {
	files := agreeFiles(t)
	shared := 0
	for k, raw := range files {
		for _, w := range agreeWrapped(raw) {
			shared += checkOwnedAgrees(t, w, k%97)
		}
	}
	n := agreeN(3000)
	for i := range n {
		raw := agreeCorpusMail.Mail(i * 17)
		shared += checkOwnedAgrees(t, raw, (i*131)%len(raw))
	}
	if shared < n {
		t.Fatalf("the text shared the body %d times in %d messages: the owned path is hardly tested", shared, n)
	}
}

// TestParseOwnedShares: a plain single-part message's text is the body's
// memory; a quoted-printable one's, a flowed one's and one with invalid
// UTF-8 are copies (and agree with Parse, above).
func TestParseOwnedShares(t *testing.T) {
	head := "From: a@example.com\r\nSubject: x\r\n"
	for _, c := range []struct {
		head, body string
		share      bool
	}{
		{"Content-Type: text/plain; charset=utf-8\r\n\r\n", "Shipped the beta.\r\n\r\nThanks,\r\nA\r\n", true},
		{"\r\n", "Shipped the beta.\r\n", true},
		{"Content-Type: text/html\r\n\r\n", "<p>Shipped the beta.</p>\r\n", false},
		{"Content-Transfer-Encoding: quoted-printable\r\n\r\n", "Shipped the beta=2E\r\n", false},
		{"Content-Type: text/plain; format=flowed\r\n\r\n", "Shipped the \r\nbeta.\r\n", false},
		{"Content-Type: text/plain; charset=iso-8859-1\r\n\r\n", "Shipped the beta.\r\n", false},
		{"\r\n", "Shipped the beta \xff.\r\n", false},
	} {
		h, b := []byte(head+c.head), []byte(c.body)
		m, err := ParseOwned(h, b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := sharesMemory(m.Text, b); got != c.share {
			t.Errorf("%q: the text shares the body: %v, want %v", c.head+c.body, got, c.share)
		}
		want, _ := Parse(bytes.NewReader(append(h, b...)), Options{})
		if !reflect.DeepEqual(want, m) {
			t.Errorf("%q: ParseOwned %+v, Parse %+v", c.head+c.body, m, want)
		}
	}
}

func FuzzParseOwnedAgrees(f *testing.F) {
	for _, s := range agreeFiles(f) {
		f.Add(s, 0)
	}
	for _, i := range []int{0, 5, 7, 17, 25, 36} {
		f.Add(agreeCorpusMail.Mail(i), 40)
	}
	f.Fuzz(func(t *testing.T, raw []byte, cut int) {
		checkOwnedAgrees(t, raw, cut)
	})
}

// TestParsePendingText: a text/plain part is copied out of the read
// buffer with its visible text (textAndVisible), or before a later part
// (a calendar notice) is read into that buffer; either way Parse gives
// what the reference gives.
func TestParsePendingText(t *testing.T) {
	head := "From: Priya <priya@example.org>\r\nSubject: Plan\r\nMIME-Version: 1.0\r\n"
	plain := "Shipped the beta.\r\n\r\nOn Mon, 4 May 2026 at 10:00, Bob <bob@example.com> wrote:\r\n> status?\r\n"
	for _, raw := range []string{
		head + "Content-Type: text/plain\r\n\r\n" + plain,
		head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + plain +
			"\r\n--b\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nSUMMARY:" + strings.Repeat("x", 300) + "\r\nEND:VCALENDAR\r\n--b--\r\n",
		head + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + plain +
			"\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>other</p>\r\n--b\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\n--b--\r\n",
		head + "Content-Type: text/plain; format=flowed\r\n\r\nShipped the \r\nbeta.\r\n",
		head + "\r\n",
	} {
		for _, opt := range agreeOptions {
			want, _ := refParParse(strings.NewReader(raw), opt)
			got, err := Parse(strings.NewReader(raw), opt)
			if err != nil || !reflect.DeepEqual(want, got) {
				t.Fatalf("Parse(%q, %+v) = %+v, %v; reference %+v", raw, opt, got, err, want)
			}
		}
	}
	if m, _ := Parse(strings.NewReader(head+"\r\n"+plain), Options{}); !strings.HasPrefix(m.Text, "Shipped") || m.Visible != "Shipped the beta." {
		t.Fatalf("Parse: Text %q, Visible %q", m.Text, m.Visible)
	}
}
