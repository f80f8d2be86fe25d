package message

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Signature, sign-off and disclaimer removal at the end of the sender's text.
// Signatures are recognised by shape: a delimiter ("-- "), a phone's
// sign-off ("Sent from my iPhone"), a sign-off line ("Thanks,") followed
// only by short lines, or a last paragraph of short lines that starts with
// a name and carries a phone number, an address, a link, a job title or the
// sender's own name.

var (
	signOffRe   = lazyCompile(`(?i)^\s*(?:` + alternation(signOffs) + `)[\s,.!:;\p{So}\p{Sk}]*(?:[-–—]\s*)?(\pL[\pL.'’-]*(?:\s+\pL[\pL.'’-]*){0,2})?[\s,.!\p{So}\p{Sk}]*$`)
	signOffGlue = lazyCompile(`(?i)^\s*(?:` + alternation(signOffs) + `)\s*[,.!]+\s*\pL`)
	// mobileRe and mobileGenRe define the phone sign-offs; isMobileSignOff
	// matches them by hand (mobileSpecific, mobileGeneric), and the tests hold the two to
	// each other. Compiled only by the tests.
	mobileRe = lazyCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileSignOffs) + `)`)
	// mobileLead rules out, from their first byte, the lines neither
	// mobile regexp can match.
	mobileLead  = newLeadWords(" \t\n\f\r\v([<", mobileSignOffs, mobileGenericSignOffs)
	mobileGenRe = lazyCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileGenericSignOffs) + `)(?:[^\pL]|$)`)
	dashNameRe  = lazyCompile(`^\s*(?:[-–—~]\s?)\pL[\pL.'’]*(?:\s+\pL[\pL.'’]*){0,3}\s*$`)
	phoneRe     = lazyCompile(`(?:^|[^\d])\+?\(?\d[\d\s().\-/]{5,}\d(?:[^\d]|$)`)
	emailRe     = lazyCompile(`[\w.+-]+@[\w-]+\.[\w.-]+`)
	urlRe       = lazyCompile(`(?i)(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|io|de|fr|co|uk|eu|info|biz)\b`)
	titleRe     = lazyCompile(`(?i)\b(?:ceo|cto|cfo|coo|vp|svp|evp|president|director|manager|head of|engineer|lead|founder|co-founder|partner|consultant|analyst|architect|officer|specialist|coordinator|assistant|associate|administrator|developer|designer|recruiter|owner|principal|chair|ph\.?d|mba|inc\.?|ltd\.?|llc|gmbh|corp\.?|s\.a\.|ag|team|department|university|skype|mobile|tel|phone|fax|cell|office)\b`)
	sigDelimRe  = lazyCompile(`^(?:--|-- |—|__|–)\s*$`)
)

// stripTrailing removes disclaimers, signatures and sign-offs at the end.
//
// The lines it returns are a prefix of lines (after the blank lines at
// both ends go). after is no longer used: cutDelimited counts only the
// lines it looks at.
func stripTrailing(lines []string, sender string, after *[]int) []string {
	_ = after
	lines = trimBlankEnds(lines)
	lines = trimBlankEnds(cutListFooter(lines))
	tr := trail{sender: strings.ToLower(strings.TrimSpace(sender))}
	for pass := 0; pass < 6; pass++ {
		n := len(lines)
		lines = trimBlankEnds(cutDisclaimer(lines))
		lines = trimBlankEnds(tr.cutDelimited(lines))
		lines = trimBlankEnds(tr.cutSignOff(lines))
		lines = trimBlankEnds(tr.cutShape(lines))
		if len(lines) == n {
			break
		}
	}
	return lines
}

// trail is what one stripTrailing call has learnt about its lines. The
// passes and the cuts ask about the same last lines again and again
// (cutSignOff once for every line above them, then cutDelimited and
// cutShape, then the next pass), and the regexps behind sigLike and the
// sign-off tests cost the most, so each answer is kept in facts.
//
// Every cut keeps a prefix of the lines, so an index names the same line
// in every pass; a slot is picked by the index and checked against the
// line itself, so a slot that another line took is recomputed, never
// trusted: the memo can change no result, only save work.
type trail struct {
	sender string // the sender's name or address, trimmed and lowercased
	facts  [32]lineFacts
}

// lineFacts are the facts known of one line.
type lineFacts struct {
	line         string
	known, holds uint8 // bits of factSig, factSignOff, factStrong, factMobile
}

const (
	factSig     uint8 = 1 << iota // sigLike
	factSignOff                   // signOffLine
	factStrong                    // strongSigLine
	factMobile                    // a short phone's sign-off: cutDelimited's second case
)

// fact says whether fact f holds for lines[i], computing it once.
func (tr *trail) fact(lines []string, i int, f uint8) bool {
	l := lines[i]
	e := &tr.facts[i%len(tr.facts)]
	if e.line != l { // compares the pointers first: the same line is cheap
		*e = lineFacts{line: l}
	}
	if e.known&f != 0 {
		return e.holds&f != 0
	}
	var v bool
	switch f {
	case factSig:
		v = sigLike(l)
	case factSignOff:
		v = signOffLine(l)
	case factStrong:
		v = tr.strongSigLine(l)
	case factMobile:
		v = utf8.RuneCountInString(l) <= 100 && isMobileSignOff(l)
	}
	e.known |= f
	if v {
		e.holds |= f
	}
	return v
}

// allSigLike is allSigLike(lines[from:], max), remembering each line's
// answer.
func (tr *trail) allSigLike(lines []string, from, max int) bool {
	n := 0
	for i := from; i < len(lines); i++ {
		if isBlank(lines[i]) {
			continue
		}
		if n++; n > max || !tr.fact(lines, i, factSig) {
			return false
		}
	}
	return true
}

func trimBlankEnds(lines []string) []string {
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	i := 0
	for i < len(lines) && isBlank(lines[i]) {
		i++
	}
	return lines[i:]
}

// lastParagraph returns the index where the last blank-line separated
// paragraph starts.
func lastParagraph(lines []string) int {
	i := len(lines)
	for i > 0 && !isBlank(lines[i-1]) {
		i--
	}
	return i
}

// keep says whether cutting at i still leaves some of the sender's text.
func keep(lines []string, i int) bool {
	for j := 0; j < i; j++ {
		if !isBlank(lines[j]) {
			return true
		}
	}
	return false
}

// cutListFooter cuts the footer a mailing list appends (Mailman's rule
// and listinfo link, Google Groups' "You received this message…",
// Groups.io's links): it is the list's text, not the sender's. Only the
// last maxFooterLines lines are looked at.
func cutListFooter(lines []string) []string {
	end := len(lines)
	for end > 0 && isBlank(lines[end-1]) {
		end--
	}
	from := max(0, end-maxFooterLines)
	for i := from; i < end; i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || len(l) > 300 {
			continue // a footer's lines are short
		}
		start := footerStart(l)
		if !start && isFooterRule(l) {
			// A rule opens a footer only when a list clue follows it.
			rest := lowerFold(strings.Join(lines[i+1:end], " "))
			for _, c := range listFooterClues {
				if strings.Contains(rest, c) {
					start = true
					break
				}
			}
		}
		if !start {
			continue
		}
		cut := i
		if cut > 0 && sigDelimRe.MatchString(lines[cut-1]) {
			cut-- // Google Groups puts "-- " above its footer
		}
		if keep(lines, cut) {
			return lines[:cut]
		}
		return lines
	}
	return lines
}

// footerStart says whether lowerFold(l) starts with one of
// listFooterStarts. It once lowered every one of the last lines; now a
// start is compared with l's ASCII head in place (lowerFold maps ASCII
// byte for byte, so on an ASCII head the two agree), and only a line with
// a byte outside ASCII within a start's length is lowered as before.
func footerStart(l string) bool {
	if l == "" {
		return false // cutListFooter skips blank lines
	}
	low, lowered := "", false
	for _, p := range listFooterStarts {
		if c := l[0]; c < utf8.RuneSelf && p != "" {
			// an ASCII first byte lowers to itself or its lowercase letter
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != p[0] {
				continue
			}
		}
		head := l[:min(len(l), len(p))]
		if isASCII(head) {
			if len(head) == len(p) && hasPrefixFoldASCII(l, p) {
				return true
			}
			continue
		}
		if !lowered {
			low, lowered = lowerFold(l), true
		}
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return false
}

// maxFooterLines bounds how far up a list footer may start.
const maxFooterLines = 16

// isFooterRule is a line of 10 or more underscores, or Groups.io's -=-=-.
func isFooterRule(l string) bool {
	if len(l) < 10 {
		return false
	}
	return strings.Trim(l, "_") == "" || strings.Trim(l, "-=") == "" && strings.Contains(l, "-=")
}

// cutDisclaimer cuts the last paragraph when, lowered by lowerFold and
// its lines joined by spaces, it holds one of disclaimerPhrases.
func cutDisclaimer(lines []string) []string {
	i := lastParagraph(lines)
	if !keep(lines, i) {
		return lines
	}
	if hasDisclaimer(lines[i:]) {
		return lines[:i]
	}
	return lines
}

// hasDisclaimer says what
//
//	p := lowerFold(strings.Join(par, " "))
//	for _, d := range disclaimerPhrases { if strings.Contains(p, d) { … } }
//
// said, without the join, the lowered copy and a search per phrase: the
// paragraph is lowered the way lowerFold lowers it (appendLowerFold) into
// a stack window, which is searched whenever it fills, each position only
// against the phrases that start with its two bytes (disclaimerIn), and
// then keeps its last maxDisclaimer-1 bytes: a phrase ending in the next
// window starts within them or later, so every phrase of p is found in
// some window, and a window is a part of p. No allocation, however long
// the paragraph, and it stops at the first phrase.
func hasDisclaimer(par []string) bool {
	var arr [2048]byte
	p := arr[:0]
	// full searches the window when it has no room left for a lowered
	// rune and a space, and keeps the tail a phrase across the edge needs.
	full := func() bool {
		if len(p) <= len(arr)-utf8.UTFMax-1 {
			return false
		}
		if disclaimerIn(p) {
			return true
		}
		p = p[:copy(p, p[len(p)-(maxDisclaimer-1):])]
		return false
	}
	for k, l := range par {
		if k > 0 {
			p = append(p, ' ')
		}
		for i := 0; i < len(l); {
			if full() {
				return true
			}
			c := l[i]
			if c < utf8.RuneSelf {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				p = append(p, c)
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(l[i:])
			i += size
			p = appendLowerFoldRune(p, r)
		}
		if full() {
			return true
		}
	}
	return disclaimerIn(p)
}

// disclaimerIn says whether p holds one of disclaimerPhrases.
func disclaimerIn(p []byte) bool {
	for k := 0; k+1 < len(p); k++ {
		if disclaimerPairs[uint16(p[k])<<2|uint16(p[k+1])>>6]&(1<<(p[k+1]&63)) == 0 {
			continue // no phrase starts with these two bytes
		}
		for _, d := range disclaimerByFirst[p[k]] {
			if len(p)-k >= len(d) && string(p[k:k+len(d)]) == d {
				return true
			}
		}
	}
	return false
}

// disclaimerByFirst are disclaimerPhrases by their first byte, and
// disclaimerPairs the set of their first two bytes (a phrase has at least
// two, and at most 1,000: hasDisclaimer's window must hold one).
var (
	disclaimerByFirst [256][]string
	disclaimerPairs   [256 * 4]uint64
	maxDisclaimer     int // the bytes of the longest phrase
)

func init() {
	for _, d := range disclaimerPhrases {
		if len(d) < 2 || len(d) > 1000 {
			panic("disclaimer phrase " + d + " is shorter than two bytes or longer than 1,000")
		}
		disclaimerByFirst[d[0]] = append(disclaimerByFirst[d[0]], d)
		maxDisclaimer = max(maxDisclaimer, len(d))
		disclaimerPairs[uint16(d[0])<<2|uint16(d[1])>>6] |= 1 << (d[1] & 63)
	}
}

// appendLowerFold appends lowerFold(s) to dst: strings.ToLower lowers
// ASCII bytewise and everything else with unicode.ToLower rune by rune
// (strings.Map, which writes U+FFFD for a byte that is not UTF-8), then
// foldReplacer turns ’ and ‘ into ' and a no-break space into a space;
// no rune lowers into those three, so folding them first is the same.
func appendLowerFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		dst = appendLowerFoldRune(dst, r)
	}
	return dst
}

// appendLowerFoldRune appends what appendLowerFold makes of r, a rune
// outside ASCII (utf8.RuneError for a byte that is not UTF-8).
func appendLowerFoldRune(dst []byte, r rune) []byte {
	switch r {
	case '\u2019', '\u2018':
		return append(dst, '\'')
	case '\u00a0':
		return append(dst, ' ')
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// cutDelimited cuts at a "-- " line or a phone's sign-off when only a short
// signature follows it, or at a rule of dashes followed by one.
//
// Every cut needs at most 12 non-blank lines below the line, so only the
// lines from the 13th last non-blank one on are looked at (the others once
// counted all the lines below them in every pass): linear in the lines it
// looks at, and bounded by the blank lines among them.
func (tr *trail) cutDelimited(lines []string) []string {
	first := 0
	for first < len(lines) && isBlank(lines[first]) {
		first++
	}
	// from: the 13th last non-blank line; no line above it has 12 or
	// fewer non-blank lines below it
	from, n := len(lines), 0
	for from > 0 && n < maxDelimitedRest+1 {
		from--
		if !isBlank(lines[from]) {
			n++
		}
	}
	from = max(from, first+1)
	restN := 0 // non-blank lines below i
	for k := from + 1; k < len(lines); k++ {
		if !isBlank(lines[k]) {
			restN++
		}
	}
	for i := from; i < len(lines); i++ {
		l := lines[i]
		blank := isBlank(l)
		if i > from && !blank {
			restN-- // l is no longer below i
		}
		if blank || len(l) > 200 {
			continue
		}
		switch {
		case isSigDelim(l):
			if restN <= maxDelimitedRest && !tr.opensSection(lines, i, true) {
				return lines[:i]
			}
		case tr.fact(lines, i, factMobile): // utf8.RuneCountInString(l) <= 100 && isMobileSignOff(l)
			// a phone's sign-off ends the sender's own text when only a
			// short signature (or nothing) follows it: a sentence after it
			// is still theirs
			if len(strings.Fields(l)) <= 14 && restN <= 6 && tr.allSigLike(lines, i+1, 6) {
				return lines[:i]
			}
		case isRule(l) || dashLine(l):
			if restN > 0 && restN <= maxDelimitedRest && tr.allSigLike(lines, i+1, maxDelimitedRest) && !tr.opensSection(lines, i, false) {
				return lines[:i]
			}
		}
	}
	return lines
}

// maxDelimitedRest is the most non-blank lines a delimiter or a rule may
// have below it and still open a signature.
const maxDelimitedRest = 12

// isSigDelim says what sigDelimRe says, without it: the line is "--",
// "-- ", "—", "__" or "–", then only white space.
func isSigDelim(l string) bool {
	switch strings.TrimRight(l, reSpace) {
	case "--", "—", "__", "–":
		return true
	}
	return false
}

// dashLine says whether l, trimmed, is three or more of "-_=*—–~".
func dashLine(l string) bool {
	t := strings.TrimSpace(l)
	if t == "" || strings.IndexByte("-_=*~", t[0]) < 0 && t[0] != 0xe2 { // — and – start with 0xe2
		return false
	}
	return strings.Trim(t, "-_=*—–~") == "" && utf8.RuneCountInString(t) >= 3
}

// opensSection says whether the delimiter or rule at line i opens a part
// of the sender's text rather than a signature: it underlines a heading
// that ends in a colon ("Update:" over "--"), a list follows it, or (for
// a "-- " delimiter, below which any short lines may stand) the sender's
// sentences do: its first line is not signature-like and is long (eight
// words or more) or has another such line below it. A signature of short
// lines, or a name with a motto, still goes.
func (tr *trail) opensSection(lines []string, i int, delim bool) bool {
	if i > 0 && strings.HasSuffix(strings.TrimSpace(lines[i-1]), ":") {
		return true
	}
	j := i + 1
	for j < len(lines) && isBlank(lines[j]) {
		j++
	}
	if j == len(lines) {
		return false
	}
	if listItem(lines[j]) {
		n := 0
		for _, l := range lines[j:] {
			if listItem(l) {
				n++
			}
		}
		if n >= 2 {
			return true
		}
	}
	if !delim || tr.fact(lines, j, factSig) {
		return false
	}
	if len(strings.Fields(lines[j])) >= 8 {
		return true
	}
	for k := j + 1; k < len(lines); k++ {
		if !isBlank(lines[k]) && !tr.fact(lines, k, factSig) {
			return true
		}
	}
	return false
}

// listItem says whether a line is an item of a list: "- x", "* x", "• x",
// "1. x", "2) x".
func listItem(l string) bool {
	t := strings.TrimLeft(l, " \t")
	for _, m := range []string{"- ", "* ", "• ", "– ", "+ ", "· "} {
		if strings.HasPrefix(t, m) && len(strings.TrimSpace(t[len(m):])) > 0 {
			return true
		}
	}
	d := 0
	for d < len(t) && d < 3 && isDigit(t[d]) {
		d++
	}
	return d > 0 && d+1 < len(t) && (t[d] == '.' || t[d] == ')') && t[d+1] == ' '
}

// cutSignOff cuts at the last sign-off line ("Thanks,", "Regards, Roman",
// "-John") when only signature-like lines follow.
//
// Going up from the end, the lines below i are those below i+1 and line
// i+1, so whether they are all signature-like (allSigLike(lines[i+1:], 8))
// is kept as the loop goes instead of asked again for every i.
func (tr *trail) cutSignOff(lines []string) []string {
	below, sigBelow := 0, true // non-blank lines below i; all signature-like, and at most 8
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-10; i-- {
		l := lines[i]
		if isBlank(l) {
			continue
		}
		if !sigBelow {
			return lines
		}
		if !keep(lines, i) {
			return lines
		}
		if tr.fact(lines, i, factSignOff) || dashName(lines, i) {
			return lines[:i]
		}
		below++
		sigBelow = below <= 8 && tr.fact(lines, i, factSig)
	}
	return lines
}

// signOffLine says whether l is a sign-off (isSignOff) or one glued to
// the name ("Thanks,Christine"). Both regexps start with a sign-off
// word, so signOffLead rules out most lines first.
func signOffLine(l string) bool {
	if !signOffLead.may(l) {
		return false
	}
	if isSignOff(l) {
		return true
	}
	if utf8.RuneCountInString(l) > 40 {
		return false
	}
	m := signOffGlue.FindStringIndex(l)
	return m != nil && gluedName(l[m[0]:m[1]])
}

// isSignOff says whether a line is a sign-off, maybe with a name:
// "Thanks,", "Regards, Roman", "thanks, bob". A sign-off word followed by
// more lowercase words is a sentence: "Thanks, will do." is the reply.
func isSignOff(l string) bool {
	m := signOffRe.FindStringSubmatchIndex(l)
	if m == nil {
		return false
	}
	if m[2] < 0 {
		return true
	}
	name := l[m[2]:m[3]]
	r, _ := utf8.DecodeRuneInString(name)
	return !unicode.IsLower(r) || len(strings.Fields(name)) < 2
}

// dashName says whether line i is a name after a dash ("-John", "— Alex
// Doe"): capitalised, and not an item of a list.
func dashName(lines []string, i int) bool {
	t := strings.TrimSpace(lines[i])
	if strings.HasPrefix(t, "--") || !dashNameRe.MatchString(t) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(t, "-–—~ "))
	if !unicode.IsUpper(r) {
		return false
	}
	return (i == 0 || !listItem(lines[i-1])) && (i+1 == len(lines) || !listItem(lines[i+1]))
}

// gluedName says whether a sign-off match ("Thanks,C" or "Thanks, C")
// ends in a name's capital, or is glued to its letter with no space.
func gluedName(m string) bool {
	r, _ := utf8.DecodeLastRuneInString(m)
	if unicode.IsUpper(r) {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(m[:len(m)-utf8.RuneLen(r)])
	return !unicode.IsSpace(prev)
}

// cutShape cuts a last paragraph that looks like a signature block.
func (tr *trail) cutShape(lines []string) []string {
	i := lastParagraph(lines)
	if !keep(lines, i) {
		return lines
	}
	block := lines[i:]
	if len(block) > 8 || !tr.allSigLike(lines, i, 8) {
		return lines
	}
	first := strings.TrimSpace(block[0])
	isSender := tr.matchesSender(first)
	if !isSender && !nameLike(first) {
		return lines
	}
	// once one line is strong the block is: the rest need not be asked
	strong := isSender
	for k := i; k < len(lines) && !strong; k++ {
		strong = tr.fact(lines, k, factStrong)
	}
	if !strong || (len(block) < 2 && !isSender) {
		return lines
	}
	return lines[:i]
}

// strongSigLine says whether a line of a signature block makes it one: a
// phone number, an address, a link, a job title or the sender.
func (tr *trail) strongSigLine(l string) bool {
	return hasPhone(l) || hasEmail(l) || hasURL(l) || titleRe.MatchString(l) || tr.matchesSender(l)
}

// matchesSender says whether a line is the sender's name or address
// (tr.sender, lowered once for the whole call).
func (tr *trail) matchesSender(line string) bool {
	sender := tr.sender
	if sender == "" {
		return false
	}
	l := strings.ToLower(strings.Trim(strings.TrimSpace(line), "-–—~ ,."))
	if l == "" {
		return false
	}
	if strings.Contains(sender, "@") {
		return strings.Contains(l, sender)
	}
	return l == sender || strings.HasPrefix(l, sender+",") || strings.HasPrefix(l, sender+" ")
}

// nameLike says whether a line could be a person's name: up to five words,
// the first capitalised, no sentence punctuation.
func nameLike(s string) bool {
	s = strings.TrimLeft(s, "-–—~ ")
	ws := strings.Fields(s)
	if len(ws) == 0 || len(ws) > 5 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(ws[0])
	if !unicode.IsUpper(r) {
		return false
	}
	for _, w := range ws {
		for _, c := range w {
			if unicode.IsDigit(c) || strings.ContainsRune("!?:;@/()", c) {
				return false
			}
		}
	}
	return true
}

// isMobileSignOff says whether a line is a phone's or mail app's sign-off:
// one of the specific mobileSignOffs, or a generic one ("Sent via …") that
// names a device or app.
//
// It is mobileLead.may(l) && (mobileRe.MatchString(l) ||
// mobileGenRe.MatchString(l) && hasDeviceWord(l)), with the two regexps
// matched by hand: Go runs them, an alternation of some seventy folded
// phrases, on its slow NFA, and "Sent from my iPhone" passes mobileLead
// (see matchMobile for why the hand matcher is exact).
func isMobileSignOff(l string) bool {
	if !mobileLead.may(l) {
		return false
	}
	specific, generic := matchMobile(l)
	return specific || generic && hasDeviceWord(l)
}

// mobileSpecific and mobileGeneric are mobileSignOffs and
// mobileGenericSignOffs by the first byte a line's text can start with to
// match them (byFoldedFirstByte).
var mobileSpecific, mobileGeneric = byFoldedFirstByte(mobileSignOffs), byFoldedFirstByte(mobileGenericSignOffs)

// matchMobile says whether mobileRe matches l (specific) and, when it
// does not, whether mobileGenRe does (generic): isMobileSignOff needs no
// more, and a specific phrase, listed first, ends the search at once.
//
// Both are (?i)^\s*[(<\[]*\s*(?:P1|P2|…) with each space of a phrase
// written \s+, and mobileGenRe then needs (?:[^\pL]|$). Why one greedy
// walk decides them:
//   - Every phrase starts with a letter, which is neither \s nor a bracket,
//     and so is every rune of its fold orbit; so a phrase can start only at
//     the first rune after the greedy runs of \s, brackets and \s (a
//     bracket after that means there is no match at all, and no phrase
//     starts with one).
//   - A space of a phrase is never followed by another space, so \s+ has
//     to take the whole run of white space before the phrase's next rune.
//   - A phrase's other runes match a rune of l when the two are in one
//     case-fold orbit (foldEq), which is what (?i) does with a literal;
//     l is decoded as the regexp decodes it (an invalid byte is U+FFFD,
//     which no phrase holds).
//   - The alternation asks only whether some phrase matches; mobileGenRe
//     asks whether some generic phrase matches with no letter after it
//     (foldLetter: under (?i), [^\pL] rules out a little more than letters).
//
// \s is ASCII [\t\n\f\r ] (isRESpace), not \v.
func matchMobile(l string) (specific, generic bool) {
	i := 0
	for i < len(l) && isRESpace(l[i]) {
		i++
	}
	for i < len(l) && (l[i] == '(' || l[i] == '<' || l[i] == '[') {
		i++
	}
	for i < len(l) && isRESpace(l[i]) {
		i++
	}
	if i == len(l) {
		return false, false
	}
	t := l[i:]
	for _, p := range mobileSpecific[t[0]] {
		if _, ok := foldPrefix(t, 0, p); ok {
			return true, false
		}
	}
	for _, p := range mobileGeneric[t[0]] {
		if n, ok := foldPrefix(t, 0, p); ok {
			if r, _ := utf8.DecodeRuneInString(t[n:]); n == len(t) || !foldLetter(r) {
				return false, true
			}
		}
	}
	return false, false
}

// foldLetter says whether r is in (?i)\pL, which is not quite \pL: Go's
// regexp folds the class, adding each rune whose case-fold orbit holds a
// letter (U+0345, the combining iota, folds to ι). So (?i)[^\pL] does not
// match U+0345 though it is no letter.
func foldLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z' // no ASCII rune folds to another letter
	}
	if unicode.IsLetter(r) {
		return true
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if unicode.IsLetter(f) {
			return true
		}
	}
	return false
}

// hasDeviceWord says whether a line names one of mobileDeviceWords, with no
// ASCII letter or digit touching it on either side.
func hasDeviceWord(l string) bool {
	low := strings.ToLower(l)
	for _, w := range mobileDeviceWords {
		for off := 0; off < len(low); {
			j := strings.Index(low[off:], w)
			if j < 0 {
				break
			}
			start, end := off+j, off+j+len(w)
			if (start == 0 || !asciiAlnum(low[start-1])) && (end == len(low) || !asciiAlnum(low[end])) {
				return true
			}
			off = start + 1
		}
	}
	return false
}

func asciiAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// sigLike says whether one line looks like a signature line: a phone
// number, an address, a link, or a short line that is not a sentence.
func sigLike(l string) bool {
	t := strings.TrimSpace(l)
	n := utf8.RuneCountInString(t)
	if n > 70 {
		return false
	}
	if hasPhone(t) || hasEmail(t) || hasURL(t) || isMobileSignOff(t) {
		return true
	}
	ws := strings.Fields(t)
	if len(ws) > 6 {
		return false
	}
	last := ws[len(ws)-1]
	switch last[len(last)-1] {
	case '?', ':', ';':
		return false
	case '!':
		// "CEO @ Acme !" is a title; "Great news!" is a sentence
		return titleRe.MatchString(t)
	case '.':
		// an abbreviation ("Ph.D.", "Inc.") ends a signature line, a
		// sentence does not
		core := strings.TrimSuffix(last, ".")
		if !strings.Contains(core, ".") && utf8.RuneCountInString(core) > 3 {
			return false
		}
	}
	return true
}
