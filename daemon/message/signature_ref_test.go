package message

// The reference: signature.go as it was at ef72470, before the fast paths,
// every name prefixed with ref. The agreement tests compare it with
// today's stripTrailing. Do not edit it but to follow a deliberate change
// of behaviour.

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
	refSignOffRe   = regexp.MustCompile(`(?i)^\s*(?:` + alternation(signOffs) + `)[\s,.!:;\p{So}\p{Sk}]*(?:[-–—]\s*)?(\pL[\pL.'’-]*(?:\s+\pL[\pL.'’-]*){0,2})?[\s,.!\p{So}\p{Sk}]*$`)
	refSignOffGlue = regexp.MustCompile(`(?i)^\s*(?:` + alternation(signOffs) + `)\s*[,.!]+\s*\pL`)
	refMobileRe    = regexp.MustCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileSignOffs) + `)`)
	// refMobileLead rules out, from their first byte, the lines neither
	// mobile regexp can match.
	refMobileLead  = newLeadWords(" \t\n\f\r\v([<", mobileSignOffs, mobileGenericSignOffs)
	refMobileGenRe = regexp.MustCompile(`(?i)^\s*[(<\[]*\s*(?:` + alternation(mobileGenericSignOffs) + `)(?:[^\pL]|$)`)
	refDashNameRe  = regexp.MustCompile(`^\s*(?:[-–—~]\s?)\pL[\pL.'’]*(?:\s+\pL[\pL.'’]*){0,3}\s*$`)
	refPhoneRe     = regexp.MustCompile(`(?:^|[^\d])\+?\(?\d[\d\s().\-/]{5,}\d(?:[^\d]|$)`)
	refEmailRe     = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.-]+`)
	refUrlRe       = regexp.MustCompile(`(?i)(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|io|de|fr|co|uk|eu|info|biz)\b`)
	refTitleRe     = regexp.MustCompile(`(?i)\b(?:ceo|cto|cfo|coo|vp|svp|evp|president|director|manager|head of|engineer|lead|founder|co-founder|partner|consultant|analyst|architect|officer|specialist|coordinator|assistant|associate|administrator|developer|designer|recruiter|owner|principal|chair|ph\.?d|mba|inc\.?|ltd\.?|llc|gmbh|corp\.?|s\.a\.|ag|team|department|university|skype|mobile|tel|phone|fax|cell|office)\b`)
	refSigDelimRe  = regexp.MustCompile(`^(?:--|-- |—|__|–)\s*$`)
)

// refStripTrailing removes disclaimers, signatures and sign-offs at the end.
func refStripTrailing(lines []string, sender string, after *[]int) []string {
	lines = refTrimBlankEnds(lines)
	lines = refTrimBlankEnds(refCutListFooter(lines))
	for pass := 0; pass < 6; pass++ {
		n := len(lines)
		lines = refTrimBlankEnds(refCutDisclaimer(lines))
		lines = refTrimBlankEnds(refCutDelimited(lines, after))
		lines = refTrimBlankEnds(refCutSignOff(lines, sender))
		lines = refTrimBlankEnds(refCutShape(lines, sender))
		if len(lines) == n {
			break
		}
	}
	return lines
}

func refTrimBlankEnds(lines []string) []string {
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	i := 0
	for i < len(lines) && isBlank(lines[i]) {
		i++
	}
	return lines[i:]
}

// refLastParagraph returns the index where the last blank-line separated
// paragraph starts.
func refLastParagraph(lines []string) int {
	i := len(lines)
	for i > 0 && !isBlank(lines[i-1]) {
		i--
	}
	return i
}

// refKeep says whether cutting at i still leaves some of the sender's text.
func refKeep(lines []string, i int) bool {
	for j := 0; j < i; j++ {
		if !isBlank(lines[j]) {
			return true
		}
	}
	return false
}

// refCutListFooter cuts the footer a mailing list appends (Mailman's rule
// and listinfo link, Google Groups' "You received this message…",
// Groups.io's links): it is the list's text, not the sender's. Only the
// last refMaxFooterLines lines are looked at.
func refCutListFooter(lines []string) []string {
	end := len(lines)
	for end > 0 && isBlank(lines[end-1]) {
		end--
	}
	from := max(0, end-refMaxFooterLines)
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
		if !start && refIsFooterRule(l) {
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
		if cut > 0 && refSigDelimRe.MatchString(lines[cut-1]) {
			cut-- // Google Groups puts "-- " above its footer
		}
		if refKeep(lines, cut) {
			return lines[:cut]
		}
		return lines
	}
	return lines
}

// refMaxFooterLines bounds how far up a list footer may start.
const refMaxFooterLines = 16

// refIsFooterRule is a line of 10 or more underscores, or Groups.io's -=-=-.
func refIsFooterRule(l string) bool {
	if len(l) < 10 {
		return false
	}
	return strings.Trim(l, "_") == "" || strings.Trim(l, "-=") == "" && strings.Contains(l, "-=")
}

func refCutDisclaimer(lines []string) []string {
	i := refLastParagraph(lines)
	if !refKeep(lines, i) {
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

// refCutDelimited cuts at a "-- " line or a phone's sign-off when only a short
// signature follows it, or at a rule of dashes followed by one. Linear in
// the number of lines: a hostile body may have a great many.
func refCutDelimited(lines []string, buf *[]int) []string {
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
		case refIsSigDelim(l):
			if restN <= 12 && !refOpensSection(lines, i, true) {
				return lines[:i]
			}
		case utf8.RuneCountInString(l) <= 100 && refIsMobileSignOff(l):
			// a phone's sign-off ends the sender's own text when only a
			// short signature (or nothing) follows it: a sentence after it
			// is still theirs
			if len(strings.Fields(l)) <= 14 && restN <= 6 && refAllSigLike(rest, 6) {
				return lines[:i]
			}
		case isRule(l) || refDashLine(l):
			if restN > 0 && restN <= 12 && refAllSigLike(rest, 12) && !refOpensSection(lines, i, false) {
				return lines[:i]
			}
		}
	}
	return lines
}

// refIsSigDelim says what refSigDelimRe says, without it: the line is "--",
// "-- ", "—", "__" or "–", then only white space.
func refIsSigDelim(l string) bool {
	switch strings.TrimRight(l, reSpace) {
	case "--", "—", "__", "–":
		return true
	}
	return false
}

// refDashLine says whether l, trimmed, is three or more of "-_=*—–~".
func refDashLine(l string) bool {
	t := strings.TrimSpace(l)
	if t == "" || strings.IndexByte("-_=*~", t[0]) < 0 && t[0] != 0xe2 { // — and – start with 0xe2
		return false
	}
	return strings.Trim(t, "-_=*—–~") == "" && utf8.RuneCountInString(t) >= 3
}

// refOpensSection says whether the delimiter or rule at line i opens a part
// of the sender's text rather than a signature: it underlines a heading
// that ends in a colon ("Update:" over "--"), a list follows it, or (for
// a "-- " delimiter, below which any short lines may stand) the sender's
// sentences do: its first line is not signature-like and is long (eight
// words or more) or has another such line below it. A signature of short
// lines, or a name with a motto, still goes.
func refOpensSection(lines []string, i int, delim bool) bool {
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
	if refListItem(lines[j]) {
		n := 0
		for _, l := range lines[j:] {
			if refListItem(l) {
				n++
			}
		}
		if n >= 2 {
			return true
		}
	}
	if !delim || refSigLike(lines[j]) {
		return false
	}
	if len(strings.Fields(lines[j])) >= 8 {
		return true
	}
	for _, l := range lines[j+1:] {
		if !isBlank(l) && !refSigLike(l) {
			return true
		}
	}
	return false
}

// refListItem says whether a line is an item of a list: "- x", "* x", "• x",
// "1. x", "2) x".
func refListItem(l string) bool {
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

// refCutSignOff cuts at the last sign-off line ("Thanks,", "Regards, Roman",
// "-John") when only signature-like lines follow.
func refCutSignOff(lines []string, sender string) []string {
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-10; i-- {
		l := lines[i]
		if isBlank(l) {
			continue
		}
		if !refAllSigLike(lines[i+1:], 8) {
			return lines
		}
		if !refKeep(lines, i) {
			return lines
		}
		if refIsSignOff(l) || refDashName(lines, i) {
			return lines[:i]
		}
		if m := refSignOffGlue.FindStringIndex(l); m != nil && utf8.RuneCountInString(l) <= 40 && refGluedName(l[m[0]:m[1]]) {
			// "Thanks,Christine": a sign-off glued to the name
			return lines[:i]
		}
	}
	return lines
}

// refIsSignOff says whether a line is a sign-off, maybe with a name:
// "Thanks,", "Regards, Roman", "thanks, bob". A sign-off word followed by
// more lowercase words is a sentence: "Thanks, will do." is the reply.
func refIsSignOff(l string) bool {
	m := refSignOffRe.FindStringSubmatchIndex(l)
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

// refDashName says whether line i is a name after a dash ("-John", "— Alex
// Doe"): capitalised, and not an item of a list.
func refDashName(lines []string, i int) bool {
	t := strings.TrimSpace(lines[i])
	if strings.HasPrefix(t, "--") || !refDashNameRe.MatchString(t) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(t, "-–—~ "))
	if !unicode.IsUpper(r) {
		return false
	}
	return (i == 0 || !refListItem(lines[i-1])) && (i+1 == len(lines) || !refListItem(lines[i+1]))
}

// refGluedName says whether a sign-off match ("Thanks,C" or "Thanks, C")
// ends in a name's capital, or is glued to its letter with no space.
func refGluedName(m string) bool {
	r, _ := utf8.DecodeLastRuneInString(m)
	if unicode.IsUpper(r) {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(m[:len(m)-utf8.RuneLen(r)])
	return !unicode.IsSpace(prev)
}

// refCutShape cuts a last paragraph that looks like a signature block.
func refCutShape(lines []string, sender string) []string {
	i := refLastParagraph(lines)
	if !refKeep(lines, i) {
		return lines
	}
	block := lines[i:]
	if len(block) > 8 || !refAllSigLike(block, 8) {
		return lines
	}
	first := strings.TrimSpace(block[0])
	isSender := refMatchesSender(first, sender)
	if !isSender && !refNameLike(first) {
		return lines
	}
	strong := isSender
	for _, l := range block {
		if refPhoneRe.MatchString(l) || refEmailRe.MatchString(l) || refUrlRe.MatchString(l) || refTitleRe.MatchString(l) || refMatchesSender(l, sender) {
			strong = true
		}
	}
	if !strong || (len(block) < 2 && !isSender) {
		return lines
	}
	return lines[:i]
}

// refMatchesSender says whether a line is the sender's name or address.
func refMatchesSender(line, sender string) bool {
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

// refNameLike says whether a line could be a person's name: up to five words,
// the first capitalised, no sentence punctuation.
func refNameLike(s string) bool {
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

// refIsMobileSignOff says whether a line is a phone's or mail app's sign-off:
// one of the specific mobileSignOffs, or a generic one ("Sent via …") that
// names a device or app.
func refIsMobileSignOff(l string) bool {
	if !refMobileLead.may(l) {
		return false
	}
	return refMobileRe.MatchString(l) || refMobileGenRe.MatchString(l) && refHasDeviceWord(l)
}

// refHasDeviceWord says whether a line names one of mobileDeviceWords, with no
// ASCII letter or digit touching it on either side.
func refHasDeviceWord(l string) bool {
	low := strings.ToLower(l)
	for _, w := range mobileDeviceWords {
		for off := 0; off < len(low); {
			j := strings.Index(low[off:], w)
			if j < 0 {
				break
			}
			start, end := off+j, off+j+len(w)
			if (start == 0 || !refAsciiAlnum(low[start-1])) && (end == len(low) || !refAsciiAlnum(low[end])) {
				return true
			}
			off = start + 1
		}
	}
	return false
}

func refAsciiAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// refAllSigLike says whether every line is short enough to be part of a
// signature and there are at most max non-blank lines.
func refAllSigLike(lines []string, max int) bool {
	n := 0
	for _, l := range lines {
		if isBlank(l) {
			continue
		}
		if n++; n > max || !refSigLike(l) {
			return false
		}
	}
	return true
}

// refSigLike says whether one line looks like a signature line: a phone
// number, an address, a link, or a short line that is not a sentence.
func refSigLike(l string) bool {
	t := strings.TrimSpace(l)
	n := utf8.RuneCountInString(t)
	if n > 70 {
		return false
	}
	if refPhoneRe.MatchString(t) || refEmailRe.MatchString(t) || refUrlRe.MatchString(t) || refIsMobileSignOff(t) {
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
		return refTitleRe.MatchString(t)
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
