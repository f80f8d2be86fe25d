package message

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
)

// Parse, ParseBody, IsStatusAsk, Unflow and the HTML rendering agree with
// their reference copies of ef72470 (parse_ref_test.go) on every fixture
// there is: the package's testdata (with testdata/fuzz), the shared quote
// and status-report fixtures, the reading package's testdata and a few
// thousand benchcorpus messages; and in FuzzParseAgrees.

// agreeFiles is every fixture file's content.
func agreeFiles(t testing.TB) [][]byte {
	var out [][]byte
	for _, dir := range []string{"testdata", "../../../shared/fixtures", "../reading/testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out = append(out, b)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	if len(out) < 50 {
		t.Fatalf("only %d fixture files", len(out))
	}
	return out
}

var agreeCorpusMail = benchcorpus.Test

var agreeOptions = []Options{
	{Now: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)},
	{MaxText: 300, Now: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC), Loc: time.FixedZone("X", 3600)},
	{NoAsk: true, SenderName: "Alex Doe"},
}

// checkParseAgrees compares Parse with refParParse on raw, and the parts of
// the text path on its body.
func checkParseAgrees(t *testing.T, raw []byte) {
	t.Helper()
	for _, opt := range agreeOptions {
		want, werr := refParParse(bytes.NewReader(raw), opt)
		got, gerr := Parse(bytes.NewReader(raw), opt)
		if fmt.Sprint(werr) != fmt.Sprint(gerr) {
			t.Fatalf("Parse(%.200q) error %v, reference %v", raw, gerr, werr)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("Parse(%.300q, %+v):\n got %+v\nwant %+v", raw, opt, got, want)
		}
	}
	checkTextAgrees(t, string(raw))
}

// checkTextAgrees compares the text functions with their references.
func checkTextAgrees(t *testing.T, s string) {
	t.Helper()
	opt := agreeOptions[0]
	if want, got := refParParseBody(s, opt), ParseBody(s, opt); !reflect.DeepEqual(want, got) {
		t.Fatalf("ParseBody(%.300q):\n got %+v\nwant %+v", s, got, want)
	}
	if want, got := refParIsStatusAsk(s), IsStatusAsk(s); want != got {
		t.Fatalf("IsStatusAsk(%.300q) = %v, reference %v", s, got, want)
	}
	for _, delsp := range []bool{false, true} {
		if want, got := refParUnflow(s, delsp), Unflow(s, delsp); want != got {
			t.Fatalf("Unflow(%.300q, %v) = %q, reference %q", s, delsp, got, want)
		}
	}
	if want, got := refParHTMLToText(s), HTMLToText(s); want != got {
		t.Fatalf("HTMLToText(%.300q) = %q, reference %q", s, got, want)
	}
	wt, wv := refParHtmlTextAndVisible(s, "Alex Doe")
	gt, gv := htmlTextAndVisible(s, "Alex Doe")
	if wt != gt || wv != gv {
		t.Fatalf("htmlTextAndVisible(%.300q) = %q, %q; reference %q, %q", s, gt, gv, wt, wv)
	}
}

func TestParseAgrees(t *testing.T) {
	n := 0
	for _, raw := range agreeFiles(t) {
		checkParseAgrees(t, raw)
		// and as a message body of each transfer encoding
		for _, m := range agreeWrapped(raw) {
			checkParseAgrees(t, m)
		}
		n++
	}
	step := 1
	if testing.Short() {
		step = 10
	}
	for i := 0; i < agreeN(50000); i += 13 * step {
		checkParseAgrees(t, agreeCorpusMail.Mail(i))
		n++
	}
	t.Logf("%d inputs agree", n)
}

// agreeWrapped puts a fixture's text into messages that take the other
// paths: quoted-printable, base64, Latin-1, flowed, HTML only, and nested
// multipart.
func agreeWrapped(raw []byte) [][]byte {
	text := string(raw)
	head := "From: =?utf-8?q?Priya_R=C3=A1man?= <Priya@Example.org>\r\nTo: a@b.c, \"Doe, Alex\" <alex@example.com>\r\nSubject: =?iso-8859-1?q?R=E9:_status?=\r\n" +
		"Date: Tue, 5 May 2026 17:12:03 +0200 (CEST)\r\nMessage-ID: <x.1@y>\r\nReferences: <a@b> <c@d>\r\n  <e@[1.2.3.4]>\r\nMIME-Version: 1.0\r\n"
	qp := strings.NewReplacer("=", "=3D", "\n", "=0A=\r\n").Replace(text)
	var b64 strings.Builder
	enc := []byte(text)
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i+3 <= len(enc); i += 3 {
		v := uint(enc[i])<<16 | uint(enc[i+1])<<8 | uint(enc[i+2])
		b64.WriteString(string([]byte{alpha[v>>18&63], alpha[v>>12&63], alpha[v>>6&63], alpha[v&63]}))
		if i%57 == 54 {
			b64.WriteString("\r\n")
		}
	}
	return [][]byte{
		[]byte(head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp),
		[]byte(head + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64.String()),
		[]byte(head + "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n" + text),
		[]byte(head + "Content-Type: text/plain; format=flowed; delsp=yes\r\n\r\n" + text),
		[]byte(head + "Content-Type: text/html; charset=windows-1252\r\n\r\n<html><body><p>" + text + "</p></body></html>"),
		[]byte(head + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: multipart/alternative; boundary=z\r\n\r\n--z\r\n" +
			"Content-Type: text/html\r\n\r\n<div>" + text + "</div>\r\n--z\r\nContent-Type: text/plain; format=flowed\r\nContent-Disposition: inline\r\n\r\n" + text +
			"\r\n--z--\r\n--m\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\n--m\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nx\r\n--m--\r\n"),
	}
}

func FuzzParseAgrees(f *testing.F) {
	for _, s := range agreeFiles(f) {
		f.Add(s)
	}
	for _, i := range []int{0, 5, 7, 17, 25, 36} {
		f.Add(agreeCorpusMail.Mail(i))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkParseAgrees(t, raw)
	})
}

func TestAutomatedSenderAgrees(t *testing.T) {
	var addrs, names []string
	for _, w := range append(append([]string{"x", "", "a.b", "Noreply", "JIRA"}, automatedLocalParts...), automatedDomains...) {
		for _, f := range []string{"%s", "%s-x", "%s.x", "x-%s", "x.%s", "x_%s", "%sx", "x%s", "%s+tag", "x-%s+t", "-%s", "%s."} {
			l := fmt.Sprintf(f, w)
			addrs = append(addrs, l+"@example.com", l, l+"@"+l, "x@"+l, "x@a."+l, " "+strings.ToUpper(l)+"@X.ORG ")
		}
	}
	for _, tag := range append([]string{"", "(", ")", " )", "(JIRA) ", "(jira)x", "\xff)", "K)", "İ(jira)"}, automatedNameTags...) {
		names = append(names, tag, "Priya Shah "+tag, strings.ToUpper("Priya "+tag), "(x)"+tag)
	}
	n := 0
	for _, a := range addrs {
		for _, nm := range names {
			want, got := refParIsAutomatedSender(nm, a), IsAutomatedSender(nm, a)
			if want != got {
				t.Fatalf("IsAutomatedSender(%q, %q) = %v, reference %v", nm, a, got, want)
			}
			if got {
				n++
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d automated senders: the test tests little", n)
	}
}

// TestHTMLAndFlowedAgrees: random HTML of the elements the renderer treats
// apart, white space of every kind, and random flowed lines.
func TestHTMLAndFlowedAgrees(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	alpha := []string{" ", "  ", "\n", "\t", "\r\n", "\u00a0", "\f", "word", "É", "\xff", "a b", "<p>", "</p>", "<br>", "<hr>", "<ul>", "</ul>", "<ol>", "</ol>",
		"<li>", "</li>", "<pre>", "</pre>", "<table><tr><td>", "</td><td>", "</td></tr></table>", "<div>", "</div>", "<img alt=\"logo\">", "<img alt=\" \">",
		"<blockquote type=cite>", "</blockquote>", "<div class=gmail_quote>", "<h2>", "</h2>", "<style>x</style>", "<!-- c -->", "&nbsp;", "&amp;",
		"<div id=Signature>", "On Mon, Bob wrote:", "> ", ">> ", "-- ", "\n> ", " \n", "> quoted \n"}
	for range agreeN(20000) {
		var b strings.Builder
		for k := rng.Intn(25); k >= 0; k-- {
			b.WriteString(alpha[rng.Intn(len(alpha))])
		}
		s := b.String()
		if want, got := refParHTMLToText(s), HTMLToText(s); want != got {
			t.Fatalf("HTMLToText(%q) = %q, reference %q", s, got, want)
		}
		for _, delsp := range []bool{false, true} {
			if want, got := refParUnflow(s, delsp), Unflow(s, delsp); want != got {
				t.Fatalf("Unflow(%q, %v) = %q, reference %q", s, delsp, got, want)
			}
		}
	}
}

// TestParseHeaderEdgesAgree: header blocks at the edges of go-message's
// line rules, the header cap and the MIME decoders.
func TestParseHeaderEdgesAgree(t *testing.T) {
	long := strings.Repeat("x", 4090)
	body := "\r\n\r\nHello, any update on Apollo?\r\n"
	heads := []string{
		" Subject: leading space", "\tSubject: tab", "Subject: no colon next\r\nno colon here", "Sub ject: bad key", "Subj(ect: odd key", ": no name\r\nSubject: after",
		"Subject: folded\r\n  across\r\n\tlines\r\n \r\nFrom: a@b.c", "Subject: a\rb", "Subject: \r\r\nFrom: x@y.z", "subject: lower\r\nSUBJECT: upper", "message-id: <a@b>\r\nMESSAGE-ID: <c@d>",
		"Message_Id: <x@y>", "X-GITHUB-REASON: x", "x-jira-fingerprint: 1", "X-Autoreply:", "Auto-Submitted: Auto-Replied", "Precedence: JUNK",
		"Subject: " + long, "Subject: " + long[:4070] + "\r\n" + long, "Subject: " + long[:4082] + "\r\nFrom: a@b.c", "Subject: " + long[:4083] + "\r\n\tcont",
		"Subject: only", "Message-Id: <a@b> (comment)", "Message-Id: (c) <a@b>", "Message-Id: <a@[1.2.3.4]>", "Message-Id: <é@b>", "Message-Id: a@b", "Message-Id: <a@b",
		"In-Reply-To: <a@b> <c@d>", "In-Reply-To: <a@b> junk", "In-Reply-To: junk <a@b>", "References: <a@b>\t<c@d>  <e@f>", "References: <a@b>,<c@d>", "References: <a@b> (x) <c@d>",
		"Date: Tue, 5 May 2026 17:12:03 +0200", "Date: 5 May 2026 17:12 GMT", "Date: Tue, 05 May 2026 17:12:03 +0200 (CEST)", "Date: garbage",
		"From: \"Doe, Alex\" <ALEX@Example.COM>, bob@x.y", "From: =?utf-8?b?w4lsaXNl?= <e@x.y>", "From: broken <<a@b>", "From: 'Priya Raman' via Eng <eng@x.y>",
		"To: a@b.c;d@e.f", "X-Original-From: Real <real@x.y>", "Content-Type: text/plain; charset=\"=?utf-8?q?iso-8859-1?=\"", "Content-Type: text/plain; charset=bogus",
		"Content-Type: text/html; charset=UTF-8", "Content-Type: text/plain;; format=flowed", "Content-Type: multipart/mixed", "Content-Type: multipart/mixed; boundary=\"\"",
		"Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode", "Content-Type: text/plain\r\nContent-Transfer-Encoding: BASE64", "Content-Disposition: ATTACHMENT ; filename=x",
		"Content-Disposition: attachment; filename=\"unterminated", "Content-Type: text/calendar", "Content-Type: TEXT/PLAIN; FORMAT=Flowed; DelSp=Yes", "Content-Type: application/pdf",
	}
	n := 0
	for _, h := range heads {
		for _, tail := range []string{body, "", "\r\n", "\n\nBody with LF only\n", "\r\n\r\nSGVsbG8sIGFueSB1cGRhdGU/\r\n"} {
			checkParseAgrees(t, []byte(h+tail))
			checkParseAgrees(t, []byte("From: a@b.c\r\n"+h+tail))
			n++
		}
	}
	// the header cap: just under and over go-message's 1 MB
	for _, size := range []int{maxHeaderBytes - 100, maxHeaderBytes + 100} {
		checkParseAgrees(t, []byte("X-Big: "+strings.Repeat("y", size)+body))
	}
	t.Logf("%d header blocks agree", n)
}

// TestParseConcurrentAgrees: Parse and IsStatusAsk share pooled buffers
// across goroutines (a sync runs two parsers); under -race this shows
// they never share one at a time.
func TestParseConcurrentAgrees(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < 400; i += 4 {
				raw := agreeCorpusMail.Mail(i * 7)
				want, _ := refParParse(bytes.NewReader(raw), agreeOptions[0])
				got, _ := Parse(bytes.NewReader(raw), agreeOptions[0])
				if !reflect.DeepEqual(want, got) || refParIsStatusAsk(want.Text) != IsStatusAsk(got.Text) {
					errs <- fmt.Sprintf("message %d differs", i*7)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
