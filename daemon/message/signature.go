package message

import (
	"regexp"
	"slices"
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
	signOffRe   = regexp.MustCompile(`(?i)^\s*(?:` + alternation(signOffs) + `)[\s,.!:;\p{So}\p{Sk}]*(?:[-–—]\s*)?(\pL[\pL.'’-]*(?:\s+\pL[\pL.'’-]*){0,2})?[\s,.!\p{So}\p{Sk}]*$`)
	signOffGlue = regexp.MustCompile(`(?i)^\s*(?:` + alternation(signOffs) + `)\s*[,.!]+\s*\pL`)
	mobileRe    = regexp.MustCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileSignOffs) + `)`)
	// mobileLead rules out, from their first byte, the lines neither
	// mobile regexp can match.
	mobileLead  = newLeadWords(" \t\n\f\r\v([<", mobileSignOffs, mobileGenericSignOffs)
	mobileGenRe = regexp.MustCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileGenericSignOffs) + `)(?:[^\pL]|$)`)
	dashNameRe  = regexp.MustCompile(`^\s*(?:[-–—~]\s?)\pL[\pL.'’]*(?:\s+\pL[\pL.'’]*){0,3}\s*$`)
	phoneRe     = regexp.MustCompile(`(?:^|[^\d])\+?\(?\d[\d\s().\-/]{5,}\d(?:[^\d]|$)`)
	emailRe     = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.-]+`)
	urlRe       = regexp.MustCompile(`(?i)(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|io|de|fr|co|uk|eu|info|biz)\b`)
	titleRe     = regexp.MustCompile(`(?i)\b(?:ceo|cto|cfo|coo|vp|svp|evp|president|director|manager|head of|engineer|lead|founder|co-founder|partner|consultant|analyst|architect|officer|specialist|coordinator|assistant|associate|administrator|developer|designer|recruiter|owner|principal|chair|ph\.?d|mba|inc\.?|ltd\.?|llc|gmbh|corp\.?|s\.a\.|ag|team|department|university|skype|mobile|tel|phone|fax|cell|office)\b`)
	sigDelimRe  = regexp.MustCompile(`^(?:--|-- |—|__|–)\s*$`)
)

// stripTrailing removes disclaimers, signatures and sign-offs at the end.
func stripTrailing(lines []string, sender string, after *[]int) []string {
	lines = trimBlankEnds(lines)
	lines = trimBlankEnds(cutListFooter(lines))
	for pass := 0; pass < 6; pass++ {
		n := len(lines)
		lines = trimBlankEnds(cutDisclaimer(lines))
		lines = trimBlankEnds(cutDelimited(lines, after))
		lines = trimBlankEnds(cutSignOff(lines, sender))
		lines = trimBlankEnds(cutShape(lines, sender))
		if len(lines) == n {
			break
		}
	}
	return lines
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
		low := lowerFold(l)
		start := false
		for _, p := range listFooterStarts {
			if strings.HasPrefix(low, p) {
				start = true
				break
			}
		}
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

// maxFooterLines bounds how far up a list footer may start.
const maxFooterLines = 16

// isFooterRule is a line of 10 or more underscores, or Groups.io's -=-=-.
func isFooterRule(l string) bool {
	if len(l) < 10 {
		return false
	}
	return strings.Trim(l, "_") == "" || strings.Trim(l, "-=") == "" && strings.Contains(l, "-=")
}

func cutDisclaimer(lines []string) []string {
	i := lastParagraph(lines)
	if !keep(lines, i) {
		return lines
	}
	p := lowerFold(strings.Join(lines[i:], " "))
	for _, d := range disclaimerPhrases {
		if strings.Contains(p, d) {
			return lines[:i]
		}
	}
	return lines
}

// cutDelimited cuts at a "-- " line or a phone's sign-off when only a short
// signature follows it, or at a rule of dashes followed by one. Linear in
// the number of lines: a hostile body may have a great many.
func cutDelimited(lines []string, buf *[]int) []string {
	first := 0
	for first < len(lines) && isBlank(lines[first]) {
		first++
	}
	after := slices.Grow((*buf)[:0], len(lines)+1)[:len(lines)+1] // non-blank lines from i on
	*buf = after
	after[len(lines)] = 0
	for i := len(lines) - 1; i >= 0; i-- {
		after[i] = after[i+1]
		if !isBlank(lines[i]) {
			after[i]++
		}
	}
	for i := first + 1; i < len(lines); i++ {
		l := lines[i]
		if isBlank(l) || len(l) > 200 {
			continue
		}
		rest, restN := lines[i+1:], after[i+1]
		switch {
		case isSigDelim(l):
			if restN <= 12 && !opensSection(lines, i, true) {
				return lines[:i]
			}
		case utf8.RuneCountInString(l) <= 100 && isMobileSignOff(l):
			// a phone's sign-off ends the sender's own text when only a
			// short signature (or nothing) follows it: a sentence after it
			// is still theirs
			if len(strings.Fields(l)) <= 14 && restN <= 6 && allSigLike(rest, 6) {
				return lines[:i]
			}
		case isRule(l) || dashLine(l):
			if restN > 0 && restN <= 12 && allSigLike(rest, 12) && !opensSection(lines, i, false) {
				return lines[:i]
			}
		}
	}
	return lines
}

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
func opensSection(lines []string, i int, delim bool) bool {
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
	if !delim || sigLike(lines[j]) {
		return false
	}
	if len(strings.Fields(lines[j])) >= 8 {
		return true
	}
	for _, l := range lines[j+1:] {
		if !isBlank(l) && !sigLike(l) {
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
func cutSignOff(lines []string, sender string) []string {
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-10; i-- {
		l := lines[i]
		if isBlank(l) {
			continue
		}
		if !allSigLike(lines[i+1:], 8) {
			return lines
		}
		if !keep(lines, i) {
			return lines
		}
		if isSignOff(l) || dashName(lines, i) {
			return lines[:i]
		}
		if m := signOffGlue.FindStringIndex(l); m != nil && utf8.RuneCountInString(l) <= 40 && gluedName(l[m[0]:m[1]]) {
			// "Thanks,Christine": a sign-off glued to the name
			return lines[:i]
		}
	}
	return lines
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
func cutShape(lines []string, sender string) []string {
	i := lastParagraph(lines)
	if !keep(lines, i) {
		return lines
	}
	block := lines[i:]
	if len(block) > 8 || !allSigLike(block, 8) {
		return lines
	}
	first := strings.TrimSpace(block[0])
	isSender := matchesSender(first, sender)
	if !isSender && !nameLike(first) {
		return lines
	}
	strong := isSender
	for _, l := range block {
		if phoneRe.MatchString(l) || emailRe.MatchString(l) || urlRe.MatchString(l) || titleRe.MatchString(l) || matchesSender(l, sender) {
			strong = true
		}
	}
	if !strong || (len(block) < 2 && !isSender) {
		return lines
	}
	return lines[:i]
}

// matchesSender says whether a line is the sender's name or address.
func matchesSender(line, sender string) bool {
	sender = strings.ToLower(strings.TrimSpace(sender))
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
func isMobileSignOff(l string) bool {
	if !mobileLead.may(l) {
		return false
	}
	return mobileRe.MatchString(l) || mobileGenRe.MatchString(l) && hasDeviceWord(l)
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

// allSigLike says whether every line is short enough to be part of a
// signature and there are at most max non-blank lines.
func allSigLike(lines []string, max int) bool {
	n := 0
	for _, l := range lines {
		if isBlank(l) {
			continue
		}
		if n++; n > max || !sigLike(l) {
			return false
		}
	}
	return true
}

// sigLike says whether one line looks like a signature line: a phone
// number, an address, a link, or a short line that is not a sentence.
func sigLike(l string) bool {
	t := strings.TrimSpace(l)
	n := utf8.RuneCountInString(t)
	if n > 70 {
		return false
	}
	if phoneRe.MatchString(t) || emailRe.MatchString(t) || urlRe.MatchString(t) || isMobileSignOff(t) {
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
