package message

import "strings"

// plainAddresses reads an address list of the plain forms nearly every mail
// uses — "local@domain" and "Display Name <local@domain>", the name ASCII
// atoms and spaces — without net/mail's parser, which costs an allocation
// a word and a closure an atom (a sixth of Parse's header CPU on a first
// sync). ok is false for anything else: a quoted or encoded name, a
// comment, a group, a domain literal, spaces inside an addr-spec, a
// non-ASCII or control byte, a semicolon, an empty list. The caller then
// asks go-message, the authority.
//
// Where ok is true the list is what go-message's ParseAddressList (that
// is, net/mail's addrParser) reads, with Addr lowercased as addresses does:
//
//   - Between entries the input has spaces, tabs and at least one comma,
//     and any mix of them before the first and after the last: net/mail's
//     obs-addr-list loop skips exactly those.
//   - A bare "local@domain" is net/mail's addr-spec: both sides dot-atoms
//     of ASCII atext with no leading, trailing or double dot (its strict
//     consumeAtom), '@' right after the local part, no space after '@'
//     (which net/mail would skip; we leave it to net/mail). It must be
//     followed by a space, a tab, a comma or the end, so there is no
//     "(comment)" name and the atom scan stopped where net/mail's does
//     (a byte >= 0x80 would be atext to net/mail: it is none of those).
//   - A name is words of ASCII atext and dots (net/mail's permissive
//     phrase atoms) split by spaces and tabs, then '<'. The first word is
//     not followed by '@', so net/mail's addr-spec attempt fails and it
//     reads the phrase; no word starts with "=?", so none is an RFC 2047
//     word to net/mail's decoder; net/mail joins the words with one space.
//   - "<local@domain>" has the addr-spec rules above and '>' right after
//     the domain (net/mail allows no space there).
func plainAddresses(raw string) (out []Address, ok bool) {
	out = make([]Address, 0, strings.Count(raw, ",")+1)
	comma := true // at the start or after a comma: an entry may follow
	for i := 0; ; {
		i = skipWSP(raw, i)
		if i == len(raw) {
			break
		}
		if raw[i] == ',' {
			comma = true
			i++
			continue
		}
		if !comma {
			return nil, false
		}
		a, j, ok := plainMailbox(raw, i)
		if !ok {
			return nil, false
		}
		out = append(out, a)
		i, comma = j, false
	}
	return out, len(out) > 0
}

// plainMailbox reads one plain entry at s[i:] (see plainAddresses) and
// returns it with the index just past it.
func plainMailbox(s string, i int) (a Address, end int, ok bool) {
	if s[i] == '<' {
		addr, j, ok := angleAddr(s, i)
		return Address{Addr: addr}, j, ok
	}
	j := atomEnd(s, i)
	if j == i {
		return Address{}, 0, false
	}
	if j < len(s) && s[j] == '@' {
		// a bare addr-spec (or something net/mail must judge)
		d, ok := dotAtomEnd(s, j+1)
		if !ok || !validDotAtom(s[i:j]) {
			return Address{}, 0, false
		}
		if d < len(s) && s[d] != ' ' && s[d] != '\t' && s[d] != ',' {
			return Address{}, 0, false
		}
		return Address{Addr: strings.ToLower(s[i:d])}, d, true
	}
	name, lt, ok := plainPhrase(s, i, j)
	if !ok {
		return Address{}, 0, false
	}
	addr, end, ok := angleAddr(s, lt)
	return Address{Name: name, Addr: addr}, end, ok
}

// plainPhrase reads the display name that starts at s[i:] with its first
// word s[i:j] and ends before a '<', and returns the name as net/mail's
// consumePhrase gives it (the words joined by one space) and the index of
// the '<'.
func plainPhrase(s string, i, j int) (name string, lt int, ok bool) {
	single := true // the words are split by one space each: name is a substring
	last := j      // end of the last word
	for w := i; ; {
		if strings.HasPrefix(s[w:last], "=?") {
			return "", 0, false // maybe an encoded word: net/mail decodes it
		}
		k := skipWSP(s, last)
		if k == len(s) {
			return "", 0, false
		}
		if s[k] == '<' {
			lt = k
			break
		}
		next := atomEnd(s, k)
		if next == k {
			return "", 0, false // a quote, a comment, a comma, a non-ASCII byte...
		}
		if k != last+1 || s[last] != ' ' {
			single = false
		}
		w, last = k, next
	}
	if single {
		return s[i:last], lt, true
	}
	return strings.Join(strings.FieldsFunc(s[i:last], isWSPRune), " "), lt, true
}

// angleAddr reads "<local@domain>" at s[i:] (s[i] is '<') and returns the
// lowercased address and the index past the '>'.
func angleAddr(s string, i int) (addr string, end int, ok bool) {
	l := i + 1
	at := atomEnd(s, l)
	if at == len(s) || s[at] != '@' || !validDotAtom(s[l:at]) {
		return "", 0, false
	}
	d, ok := dotAtomEnd(s, at+1)
	if !ok || d == len(s) || s[d] != '>' {
		return "", 0, false
	}
	return strings.ToLower(s[l:d]), d + 1, true
}

// dotAtomEnd is the end of the strict dot-atom at s[i:] (a domain).
func dotAtomEnd(s string, i int) (int, bool) {
	j := atomEnd(s, i)
	return j, validDotAtom(s[i:j])
}

// atomEnd is the end of the run of ASCII atext and dots at s[i:].
func atomEnd(s string, i int) int {
	for i < len(s) && atextDot[s[i]] {
		i++
	}
	return i
}

// atextDot is isAtextDot as a table (a third of the fast path's time was
// isAtextDot's switch).
var atextDot = func() (t [256]bool) {
	for c := range t {
		t[c] = isAtextDot(byte(c))
	}
	return t
}()

// validDotAtom is net/mail's strict consumeAtom check: not empty, no
// leading, trailing or double dot.
func validDotAtom(a string) bool {
	return a != "" && a[0] != '.' && a[len(a)-1] != '.' && !strings.Contains(a, "..")
}

func skipWSP(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func isWSPRune(r rune) bool { return r == ' ' || r == '\t' }
