package digest

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// urlPattern finds http(s) links in plain text. Other schemes (javascript:,
// data:, mailto:) are never linked.
var urlPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'()\[\]{}|\\^` + "`" + `]+`)

// srcBefore says a URL was an image or script source in markup that someone
// pasted as text: a remote resource, not a link a person wrote.
var srcBefore = regexp.MustCompile(`(?i)(?:\b(?:src|srcset|action|background|poster|data)\s*=\s*["']?|url\(\s*["']?)$`)

// srcWindow is how far before a URL srcBefore looks ("background = '" and
// spaces fit well within it).
const srcWindow = 48

// maxLinks is how many links a thread shows.
const maxLinks = 3

// Links returns the distinct http(s) links in text, in order, at most max
// (limit; 0 for all). URLs that were the source of pasted markup (src=…) and
// anything that does not parse as an absolute http(s) URL with a host are
// dropped.
func Links(text string, limit int) []Link {
	var out []Link
	seen := map[string]bool{}
	for _, loc := range urlPattern.FindAllStringIndex(text, -1) {
		// Only the few bytes before the URL can make it a src=: matching
		// the whole prefix would make a link-heavy mail quadratic.
		if srcBefore.MatchString(text[max(0, loc[0]-srcWindow):loc[0]]) {
			continue
		}
		raw := strings.TrimRight(text[loc[0]:loc[1]], ".,;:!?*_~")
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
			continue
		}
		s := u.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, Link{URL: s, Host: strings.TrimPrefix(u.Hostname(), "www.")})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

// bulletPrefix matches list markers the HTML-to-text conversion and people
// put in front of lines.
var bulletPrefix = regexp.MustCompile(`^(?:[-*•·+–>]+|\d{1,2}[.)]|[a-z][.)])\s+`)

// tableRule matches a table's ruler line ("|---|---|", "+----+").
var tableRule = regexp.MustCompile(`^[\s|+:=-]+$`)

// greeting matches an opening line with no news in it.
var greeting = regexp.MustCompile(`(?i)^(?:hi|hello|hey|dear|morning|good (?:morning|afternoon|evening)|hallo|hola|bonjour|all|team|folks|everyone)\b[^.!?]*[,!:]?$`)

// signOff matches a closing line with no news in it.
var signOff = regexp.MustCompile(`(?i)^(?:thanks|thank you|thx|cheers|best|best regards|regards|kind regards|br|ciao|gruß|grüße|viele grüße|cordialement)\b[^.!?]*[,!.]?$`)

// sentenceEnd splits a line after ., ! or ? followed by space and a capital
// or digit, which keeps "e.g. this" and "v2.1" together.
var sentenceEnd = regexp.MustCompile(`([.!?])\s+(?:[A-Z0-9"“(])`)

// Sentences splits visible text into the sentences a summary can quote:
// one per list item or table row, greetings and sign-offs dropped, table
// cells joined with " – ".
func Sentences(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\u00a0", " "))
		if line == "" || tableRule.MatchString(line) {
			continue
		}
		if strings.HasPrefix(line, "|") {
			var cells []string
			for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
				if c = strings.TrimSpace(c); c != "" {
					cells = append(cells, c)
				}
			}
			line = strings.Join(cells, " – ")
		}
		line = bulletPrefix.ReplaceAllString(line, "")
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		short := len(strings.Fields(line)) <= 6
		if short && (greeting.MatchString(line) || signOff.MatchString(line)) {
			continue
		}
		start := 0
		for _, m := range sentenceEnd.FindAllStringSubmatchIndex(line, -1) {
			end := m[3] // after the punctuation
			if s := strings.TrimSpace(line[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
		if s := strings.TrimSpace(line[start:]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// maxStatusRunes caps a status line so one long message cannot take over.
const maxStatusRunes = 240

// clip shortens s to at most n runes on a word boundary, with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := strings.LastIndexFunc(string(r), unicode.IsSpace)
	if cut < n/2 {
		cut = len(string(r))
	}
	return strings.TrimRightFunc(string(r)[:cut], func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c)
	}) + "…"
}

// endSentence closes a list item or table row with a full stop, so joined
// sentences read as sentences.
func endSentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return s + "."
	}
	return s
}
