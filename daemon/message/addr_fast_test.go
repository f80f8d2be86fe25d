package message

import (
	"bufio"
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// addressList (with its plainAddresses fast path) agrees with
// refAddressList, addresses as it was before the fast path, by table, on
// every header field and line of every fixture and of benchcorpus.Test,
// and in FuzzAddressListAgrees.

// refAddressList is addresses of bb1c3a0 on a field value.
func refAddressList(raw string) []Address {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	var out []Address
	if list, err := mail.ParseAddressList(raw); err == nil {
		for _, a := range list {
			out = append(out, Address{Name: a.Name, Addr: strings.ToLower(a.Address)})
		}
		return out
	}
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ';' }) {
		addr := emailRe.FindString(part)
		if addr == "" {
			continue
		}
		name := strings.TrimSpace(strings.NewReplacer(addr, "", "<", "", ">", "", "\"", "", "(", "", ")", "").Replace(part))
		out = append(out, Address{Name: decodeWords(name), Addr: strings.ToLower(addr)})
	}
	return out
}

// checkAddressList compares addressList with the reference on raw and
// reports whether the fast path read it. Where it did, go-message itself
// (not the lenient split) must give the same list.
func checkAddressList(t *testing.T, raw string) (fast bool) {
	t.Helper()
	want, got := refAddressList(raw), addressList(raw)
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("addressList(%q):\n got %#v\nwant %#v", raw, got, want)
	}
	plain, ok := plainAddresses(raw)
	if !ok {
		return false
	}
	list, err := mail.ParseAddressList(raw)
	if err != nil {
		t.Fatalf("plainAddresses(%q) = %#v, go-message: %v", raw, plain, err)
	}
	var lib []Address
	for _, a := range list {
		lib = append(lib, Address{Name: a.Name, Addr: strings.ToLower(a.Address)})
	}
	if !reflect.DeepEqual(lib, plain) {
		t.Fatalf("plainAddresses(%q):\n got %#v\ngo-message %#v", raw, plain, lib)
	}
	return true
}

func TestAddressListTable(t *testing.T) {
	for _, c := range []struct {
		in   string
		fast bool // the fast path reads it (else go-message does)
	}{
		// plain forms
		{"a@b.c", true},
		{"Priya Raman <priya@example.org>", true},
		{"Priya Raman <Priya@Example.ORG>", true},
		{"PRIYA@EXAMPLE.ORG", true},
		{"<alex@example.com>", true},
		{"  Alex Doe   <alex@example.com>  ", true},
		{"Alex\tDoe\t<alex@example.com>", true},
		{"Alex  Doe <alex@example.com>", true},
		{"Alex Doe<alex@example.com>", true},
		{"Alex<alex@example.com>", true},
		{"John Q. Public <jqp@example.com>", true},
		{"John . Public <jqp@example.com>", true},
		{".John <j@example.com>", true},
		{"John.. <j@example.com>", true},
		{"O'Brien Sean <sean@example.ie>", true},
		{"a=b <x@y.z>", true},
		{"Zoë?= x <x@y.z>", false},
		{"x=? <x@y.z>", true},
		{"a@b.c, d@e.f", true},
		{"a@b.c,d@e.f", true},
		{"a@b.c ,d@e.f", true},
		{"A B <a@b.c>, C D <c@d.e>, e@f.g", true},
		{"bench-team@example.com", true},
		{"first.last+tag@sub.example.co.uk", true},
		{"!#$%&'*+-/=?^_`{|}~@example.com", true},
		{"a@b", true},
		{"a@b.c,", true},
		{"a@b.c, ,", true},
		{", a@b.c", true},
		{" , , a@b.c,, d@e.f ,", true},
		{"a@b.c,\t\td@e.f", true},

		// go-message's
		{"", false},
		{"   ", false},
		{",", false},
		{", ,", false},
		{"\"Doe, Alex\" <alex@example.com>", false},
		{"\"Alex Doe\" <alex@example.com>", false},
		{"\"\" <alex@example.com>", false},
		{"\"a\\\"b\" <alex@example.com>", false},
		{"Doe, Alex <alex@example.com>", false},
		{"alex@example.com (Alex Doe)", false},
		{"Alex (work) Doe <alex@example.com>", false},
		{"Alex Doe <alex@example.com> (work)", false},
		{"(c) a@b.c", false},
		{"=?utf-8?q?Priya_R=C3=A1man?= <priya@example.org>", false},
		{"=?utf-8?b?UHJpeWE=?= <priya@example.org>", false},
		{"=?iso-8859-1?q?Ren=E9?= Dupont <r@example.fr>", false},
		{"Ren =?iso-8859-1?q?=E9?= <r@example.fr>", false},
		{"=?unknown?q?x?= <r@example.fr>", false},
		{"=?x <r@example.fr>", false},
		{"undisclosed-recipients:;", false},
		{"undisclosed-recipients: ;", false},
		{"Team: a@b.c, d@e.f;", false},
		{"Team: a@b.c, d@e.f;, g@h.i", false},
		{"a@b.c; d@e.f", false},
		{"a@b.c;", false},
		{"a@b.c d@e.f", false},
		{"<a@b.c><d@e.f>", false},
		{"<a@b.c>d@e.f", false},
		{"a@b.c<d@e.f>", false},
		{"Alex Doe alex@example.com", false},
		{"alex", false},
		{"Alex Doe", false},
		{"Alex Doe <>", false},
		{"Alex Doe <alex>", false},
		{"Alex Doe <alex@example.com", false},
		{"Alex Doe alex@example.com>", false},
		{"Alex Doe < alex@example.com>", false},
		{"Alex Doe <alex@example.com >", false},
		{"Alex Doe <alex @example.com>", false},
		{"Alex Doe <alex@ example.com>", false},
		{"alex@ example.com", false},
		{"alex @example.com", false},
		{"alex@example.com.", false},
		{".alex@example.com", false},
		{"al..ex@example.com", false},
		{"alex.@example.com", false},
		{"alex@.example.com", false},
		{"alex@exa..mple.com", false},
		{"<alex.@example.com>", false},
		{"@example.com", false},
		{"alex@", false},
		{"alex@@example.com", false},
		{"a@b@c", false},
		{"alex@[192.0.2.1]", false},
		{"Alex <alex@[192.0.2.1]>", false},
		{"\"alex doe\"@example.com", false},
		{"alex\\@example.com", false},
		{"Alex\\ Doe <a@b.c>", false},
		{"Zoë <zoe@example.com>", false},
		{"zoë@example.com", false},
		{"zoe@exämple.com", false},
		{"zoe@bücher.example", false},
		{"zoe@xn--bcher-kva.example", true},
		{"Zo\xe9 <zoe@example.com>", false},
		{"zoe@example.com\xe9", false},
		{"zoe@example.com\x00", false},
		{"Alex\x01 <a@b.c>", false},
		{"Alex Doe\r\n <alex@example.com>", false},
		{"a@b.c,\r\n d@e.f", false},
		{"a@b.c\n", false},
		{"Alex\x7f <a@b.c>", false},
		{"Alex Doe <alex@example.com>>", false},
		{"Alex Doe <<alex@example.com>", false},
		{"Alex: Doe <alex@example.com>", false},
		{"Alex [Doe] <alex@example.com>", false},
		{"[a@b.c]", false},
		{"Alex Doe <mailto:alex@example.com>", false},
		{"Alex Doe via Eng <eng@example.com>", true},
		{"'Priya Raman' via Eng Leads <eng@example.com>", true},
		{"a@b.c,d@e.f;g@h.i", false},
		{"Smith, John <j@x.com>, Doe, Jane <j@y.com>", false},
		{"j@x.com (John \"Q\" Smith)", false},
		{"John Smith@example.com", false},
		{"mailer-daemon", false},
	} {
		if fast := checkAddressList(t, c.in); fast != c.fast {
			t.Errorf("plainAddresses(%q) read it: %v, want %v", c.in, fast, c.fast)
		}
	}
}

// isAtextDot, which the fast path's atoms use, is net/mail's isAtext(r,
// true) on ASCII: a visible character but for RFC 5322's specials.
func TestAtextDotIsNetMails(t *testing.T) {
	for c := 0; c < 128; c++ {
		want := '!' <= c && c <= '~' && !strings.ContainsRune(`()<>[]:;@\,"`, rune(c))
		if got := isAtextDot(byte(c)); got != want || atextDot[c] != want {
			t.Errorf("isAtextDot(%q) = %v, atextDot %v", rune(c), got, atextDot[c])
		}
	}
	for c := 128; c < 256; c++ {
		if atextDot[c] {
			t.Errorf("atextDot[%#x]", c)
		}
	}
}

// headerValues is every field value of raw's header block as go-message
// gives it (unfolded), and every line of raw with what follows its first
// colon, so that a fixture that is not a mail still gives inputs.
func headerValues(raw []byte) []string {
	var out []string
	if hdr, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw))); err == nil {
		for f := hdr.Fields(); f.Next(); {
			out = append(out, f.Value())
		}
	}
	for _, l := range strings.Split(string(raw), "\n") {
		l = strings.TrimSuffix(l, "\r")
		out = append(out, l)
		if _, v, ok := strings.Cut(l, ":"); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestAddressListAgrees(t *testing.T) {
	n, fast := 0, 0
	check := func(raw []byte) {
		for _, v := range headerValues(raw) {
			n++
			if checkAddressList(t, v) {
				fast++
			}
		}
	}
	for _, raw := range agreeFiles(t) {
		check(raw)
		for _, m := range agreeWrapped(raw) {
			check(m)
		}
	}
	step := 1
	if testing.Short() {
		step = 10
	}
	for i := 0; i < agreeN(50000); i += 13 * step {
		raw := agreeCorpusMail.Mail(i)
		hdr, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		for f := hdr.Fields(); f.Next(); {
			n++
			if checkAddressList(t, f.Value()) {
				fast++
			}
		}
	}
	t.Logf("%d values agree, %d read by the fast path", n, fast)
	if fast < n/20 {
		t.Errorf("only %d of %d values took the fast path", fast, n)
	}
}

func FuzzAddressListAgrees(f *testing.F) {
	for _, s := range []string{
		"a@b.c", "Priya Raman <Priya@Example.org>", "<a@b.c>, C D <c@d.e>,",
		"\"Doe, Alex\" <alex@example.com>", "=?utf-8?q?R=C3=A1man?= <r@x.y>",
		"undisclosed-recipients:;", "a@b.c (A)", "Zoë <z@x.y>", "a.@b.c",
		"John Q. Public <jqp@example.com>", " , a@b.c,, d@e.f ,", "A\t B <a@b>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		checkAddressList(t, raw)
	})
}

// addrTokens are the pieces FuzzAddressTokensAgrees builds lists from: the
// plain forms' characters and each thing that must send a list to
// go-message, so that random inputs are near the fast path's edges.
var addrTokens = []string{
	"a", "Bo", "X", "j.doe", "example.com", ".", "@", " ", "  ", "\t", ",", "<", ">",
	"\"", "(", ")", "=?", "?=", "=?utf-8?q?R=C3=A1?=", ":", ";", "[", "]", "\\", "é", "\xe9",
	"\r\n ", "'", "-", "+", "_", "=", "?", "1",
}

func FuzzAddressTokensAgrees(f *testing.F) {
	f.Add([]byte{1, 7, 0, 7, 11, 3, 6, 4, 12, 10, 7, 0, 6, 4}) // "Bo a <j.doe@example.com>, a@example.com"
	f.Add([]byte{11, 0, 6, 4, 12, 10, 2, 6, 4})                // "<a@example.com>,X@example.com"
	f.Fuzz(func(t *testing.T, picks []byte) {
		var b strings.Builder
		for _, p := range picks {
			b.WriteString(addrTokens[int(p)%len(addrTokens)])
		}
		checkAddressList(t, b.String())
	})
}

// addrBenchValues is the From, To, Cc, Bcc and X-Original-From values of
// the benchmark corpus (BenchmarkParseCorpus's mails) and of the fixtures.
func addrBenchValues(b *testing.B) (corpus, fixtures []string) {
	keep := func(out *[]string, raw []byte) {
		hdr, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return
		}
		for _, k := range []string{"From", "To", "Cc", "Bcc", "X-Original-From"} {
			if v := hdr.Get(k); v != "" {
				*out = append(*out, v)
			}
		}
	}
	for i := 0; i < 1000; i++ {
		keep(&corpus, agreeCorpusMail.Mail(i*50))
	}
	for _, raw := range agreeFiles(b) {
		keep(&fixtures, raw)
	}
	return corpus, fixtures
}

// BenchmarkAddressList times addressList on real header values; /ref is
// the reference (go-message for every value).
func BenchmarkAddressList(b *testing.B) {
	corpus, fixtures := addrBenchValues(b)
	for _, set := range []struct {
		name string
		vals []string
	}{{"corpus", corpus}, {"fixtures", fixtures}} {
		for _, c := range []struct {
			name string
			f    func(string) []Address
		}{{"new", addressList}, {"ref", refAddressList}} {
			b.Run(set.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					c.f(set.vals[i%len(set.vals)])
					i++
				}
			})
		}
	}
}
