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
