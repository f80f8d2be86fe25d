package message

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Visible returns the sender's own new text of a plain-text body: quoted
// replies ("> " lines), attribution lines ("On … wrote:"), Outlook header
// blocks and separators, and everything below them, then the signature,
// sign-off and legal disclaimer at the end. senderName (a display name or an
// address, may be empty) helps recognise a signature that starts with it.
//
// A message that is itself a forward ("---------- Forwarded message" before
// any reply header) keeps the forwarded text: that text is what was sent,
// and a status mail forwarded "FYI" is still status. A forwarded block below
// a reply header goes with the rest of the quote.
func Visible(text, senderName string) string {
	lines := splitLines(text)
	lines = cutQuotes(lines)
	lines = stripTrailing(lines, senderName)
	return joinLines(lines)
}

// splitLines normalises line ends and invisible characters and splits.
func splitLines(text string) []string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\u200b", "", "\u200e", "",
		"\u200f", "", "\ufeff", "", "\u2028", "\n", "\u2029", "\n").Replace(text)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return lines
}

// joinLines trims blank lines at both ends and collapses runs of blank lines.
func joinLines(lines []string) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteString("\n")
			blank = false
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(l)
	}
	return b.String()
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func isQuoted(s string) bool { return strings.HasPrefix(strings.TrimLeft(s, " \t"), ">") }

// headerKind says what kind of splitter a header is.
type headerKind int

const (
	hdrReply     headerKind = iota // "On … wrote:", From/Sent block, Original Message
	hdrDateEmail                   // "2011/4/7 Bob <bob@x>": a header only above '>' lines
	hdrForward                     // "---------- Forwarded message ----------"
)

// header is a splitter found at a line.
type header struct {
	kind   headerKind
	prefix string // the sender's text before the header on the same line
	end    int    // the index of the first line after the header
}

// cutQuotes removes quoted blocks and everything below a reply header that
// is not followed by '>' lines.
func cutQuotes(lines []string) []string {
	var out []string
	sawHeader := false
	for i := 0; i < len(lines); {
		if isQuoted(lines[i]) && !loneMarker(lines, i) {
			i = quoteBlockEnd(lines, i)
			continue
		}
		h, ok := headerAt(lines, i)
		if !ok {
			out = append(out, lines[i])
			i++
			continue
		}
		j := h.end
		for j < len(lines) && isBlank(lines[j]) {
			j++
		}
		quoteFollows := j < len(lines) && isQuoted(lines[j])
		if h.kind == hdrDateEmail && !quoteFollows {
			out = append(out, lines[i])
			i++
			continue
		}
		if h.kind == hdrForward && !sawHeader {
			// a forward, not a reply: the forwarded message is what the
			// sender is sending, so it stays, with their note above it.
			return lines
		}
		sawHeader = true
		if h.prefix != "" {
			out = append(out, h.prefix)
		}
		if quoteFollows {
			i = quoteBlockEnd(lines, j)
			continue
		}
		break
	}
	return out
}

// loneMarker says a '>' line is not a quote: a single such line between two
// lines of the sender's own text (">>> http://example.com <<<").
func loneMarker(lines []string, i int) bool {
	if i == 0 || i+1 >= len(lines) {
		return false
	}
	prev, next := lines[i-1], lines[i+1]
	return !isBlank(prev) && !isQuoted(prev) && !isBlank(next) && !isQuoted(next)
}

// quoteBlockEnd returns the index after the quote block starting at i. Blank
// lines inside the block belong to it, and so do wrapped link fragments
// between two quoted lines (a mail client breaking a long URL).
func quoteBlockEnd(lines []string, i int) int {
	j := i
	for j < len(lines) {
		switch {
		case isQuoted(lines[j]):
			j++
		case isBlank(lines[j]):
			k := j
			for k < len(lines) && isBlank(lines[k]) {
				k++
			}
			if k < len(lines) && isQuoted(lines[k]) {
				j = k
				continue
			}
			return j
		case j+1 < len(lines) && isQuoted(lines[j+1]) && looksLikeFragment(lines[j]):
			j++
		default:
			return j
		}
	}
	return j
}

// looksLikeFragment says whether a line is the broken-off end of a quoted
// link rather than the sender's inline answer.
func looksLikeFragment(s string) bool {
	t := strings.TrimSpace(s)
	return !strings.Contains(t, " ") || strings.Contains(t, "://") ||
		strings.HasPrefix(t, "(") || strings.HasPrefix(t, "<") || strings.HasSuffix(t, ">")
}

// Regular expressions built from the lexicons.
var (
	separatorRe = regexp.MustCompile(`(?i)^\s*[-_=*~]{2,}\s*(` + alternation(separatorPhrases) + `)\s*:?\s*[-_=*~]{2,}\s*$`)
	forwardRe   = regexp.MustCompile(`(?i)^\s*(?:[-_=*~]{2,}\s*)?(` + alternation(forwardPhrases) + `)\s*:?\s*(?:[-_=*~]{2,}\s*)?$`)
	dashTitleRe = regexp.MustCompile(`^\s*[-_=*]{2,}\s*[\pL][\pL '’]{2,40}\s*[-_=*]{2,}\s*$`)
	ruleRe      = regexp.MustCompile(`^\s*(?:_{8,}|-{8,}|={8,}|\*{8,})\s*$`)
	onWordRe    = regexp.MustCompile(`(?i)(?:^|[\s\-–—*>]+)(` + alternation(quoteOnWords) + `)\s`)
	// verbEndRe: the verb, maybe the author, then a colon (or dashes) at the end.
	verbEndRe  = regexp.MustCompile(`(?i)(?:^|[^\pL])(` + alternation(quoteVerbs) + `)(?:[^\pL](?:[^:]|\d:\d){0,120})?(?::\s*-*|\s-{2,}|-{2,}|\s*:\s*)\s*$`)
	verbBareRe = regexp.MustCompile(`(?i)[^\pL](` + alternation(quoteVerbs) + `)\s*$`)
	// bracketEnd: "<someone@example.com>:" or "(someone@example.com):" ends
	// an attribution line in many clients.
	bracketEnd = regexp.MustCompile(`@[^\s<>()]+\s*[>)]\s*:\s*$`)
	yearOrTime = regexp.MustCompile(`\b(?:\d{4}|\d{1,2}[:.]\d{2})\b`)
	// verbDateRe: "Support kirjoitti 20.05.2019 kello 10:26:", the verb
	// followed by the date.
	verbDateRe = regexp.MustCompile(`(?i)[^\pL](` + alternation(quoteVerbs) + `)\s+(?:\pL+\.?,?\s+){0,2}\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b[^:]{0,20}(?:\d{1,2}[:.]\d{2})?\s*:\s*$`)
	verbColon  = regexp.MustCompile(`(?i)(?:^|[^\pL])(` + alternation(quoteVerbs) + `)\s*:\s*$`)
	dashWrapRe = regexp.MustCompile(`(?i)^\s*-{2,}.{1,120}[^\pL](` + alternation(quoteVerbs) + `)\s*:?\s*-{2,}\s*$`)
	dateLeadRe = regexp.MustCompile(`(?i)^\s*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:\pL{2,9}[.,]{0,2}\s+)?\d{1,2}\.?\s+\pL{3,9}\.?,?\s+\d{4})`)
	digitRe    = regexp.MustCompile(`\d`)
	fieldRe    = regexp.MustCompile(`^\s*\*?\s*([\pL][\pL .'-]{0,24}?)\s*\*?\s*:\s*\*?`)
)

// alternation joins phrases into a regexp alternation, longest first, with
// spaces matching any run of white space.
func alternation(phrases []string) string {
	ps := append([]string(nil), phrases...)
	sort.Slice(ps, func(i, j int) bool { return len(ps[i]) > len(ps[j]) })
	for i, p := range ps {
		ps[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return strings.Join(ps, "|")
}

// headerAt finds a reply or forward header starting at line i.
func headerAt(lines []string, i int) (header, bool) {
	l := lines[i]
	if isBlank(l) {
		return header{}, false
	}
	if separatorRe.MatchString(l) {
		return header{kind: hdrReply, end: i + 1}, true
	}
	if forwardRe.MatchString(l) {
		return header{kind: hdrForward, end: i + 1}, true
	}
	if ruleRe.MatchString(l) || dashTitleRe.MatchString(l) {
		j := i + 1
		for j < len(lines) && j <= i+2 && isBlank(lines[j]) {
			j++
		}
		if j < len(lines) {
			if end, ok := fieldBlock(lines, j); ok {
				return header{kind: hdrReply, end: end}, true
			}
		}
		if ruleRe.MatchString(l) {
			return header{}, false
		}
	}
	if end, ok := fieldBlock(lines, i); ok {
		return header{kind: hdrReply, end: end}, true
	}
	if h, ok := attribution(lines, i); ok {
		return h, true
	}
	return header{}, false
}

// attribution finds "On <date>, <someone> wrote:" and its relatives, which
// may wrap over several lines and may share its first line with the end of
// the reply ("reply On Wed, … wrote:").
func attribution(lines []string, i int) (header, bool) {
	first := lines[i]
	if len(first) > 1000 {
		return header{}, false
	}
	if dashWrapRe.MatchString(first) {
		return header{kind: hdrReply, end: i + 1}, true
	}
	// "On …" or a localised opener somewhere in the first line.
	for _, m := range onWordRe.FindAllStringSubmatchIndex(first, 4) {
		start := m[2]
		prefix := strings.TrimRight(strings.TrimSpace(first[:m[0]]), "-–— ")
		joined := first[start:]
		last := i + 6
		if prefix != "" {
			// sharing a line with the reply: the header must end on it
			// too, and start with a capital ("reply On Wed, … wrote:",
			// not "what he said on 3 May, he wrote:")
			if r, _ := utf8.DecodeRuneInString(first[start:]); !unicode.IsUpper(r) {
				continue
			}
			last = i + 1
		}
		blanks := 0
		for k := i; k < len(lines) && k < last; k++ {
			if k > i {
				// an attribution wraps over short lines, at most one of
				// them blank, and no sentence ends inside it
				prev := strings.TrimSpace(lines[k-1])
				if prev != "" && strings.ContainsAny(prev[len(prev)-1:], ".!?") {
					break
				}
				if isBlank(lines[k]) {
					if blanks++; blanks > 1 {
						break
					}
					continue
				}
				joined += " " + strings.TrimSpace(lines[k])
			}
			if len(joined) > 400 {
				break
			}
			if verbEndRe.MatchString(joined) && (digitRe.MatchString(joined) || strings.Contains(joined, "@")) ||
				verbBareRe.MatchString(joined) && digitRe.MatchString(joined) && strings.Contains(joined, "@") {
				return header{kind: hdrReply, prefix: prefix, end: k + 1}, true
			}
		}
	}
	// "<someone> <addr> wrote:" without an opener, or a date-led attribution.
	lead := dateLeadRe.MatchString(lines[i])
	for k := i; k < len(lines) && k < i+3; k++ {
		if k > i && (isBlank(lines[k]) || !lead && !strings.ContainsAny(lines[i], "@<") && !yearOrTime.MatchString(lines[i])) {
			break
		}
		joined := strings.TrimSpace(strings.Join(lines[i:k+1], " "))
		if len(joined) > 400 {
			break
		}
		if bracketEnd.MatchString(joined) && yearOrTime.MatchString(joined) {
			return header{kind: hdrReply, end: k + 1}, true
		}
		if (verbColon.MatchString(joined) || verbEndRe.MatchString(joined) && k > i) && (strings.Contains(joined, "@") || lead) ||
			verbDateRe.MatchString(joined) {
			return header{kind: hdrReply, end: k + 1}, true
		}
		if lead && strings.Contains(joined, "@") {
			if strings.HasSuffix(joined, ":") {
				return header{kind: hdrReply, end: k + 1}, true
			}
			if strings.HasSuffix(joined, ">") {
				return header{kind: hdrDateEmail, end: k + 1}, true
			}
		}
	}
	return header{}, false
}

// fieldBlock recognises an Outlook-style header block (From:, Sent:, To:,
// Subject: in any of the lexicon's languages) starting at line i and
// returns the index after it. Wrapped values (a line that is not a field
// between two fields) belong to the block.
func fieldBlock(lines []string, i int) (int, bool) {
	roles := map[string]bool{}
	j := i
	for j < len(lines) && j < i+12 {
		role := fieldRole(lines[j])
		if role == "" {
			if j == i {
				return 0, false
			}
			// one wrapped line may continue a value
			if !isBlank(lines[j]) && j+1 < len(lines) && fieldRole(lines[j+1]) != "" {
				j++
				continue
			}
			break
		}
		roles[role] = true
		j++
	}
	if len(roles) >= 2 && (roles["from"] || roles["date"]) {
		return j, true
	}
	return 0, false
}

// fieldRole gives the role of a header-field line, or "".
func fieldRole(line string) string {
	m := fieldRe.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	return headerFields[strings.ToLower(strings.Join(strings.Fields(m[1]), " "))]
}
