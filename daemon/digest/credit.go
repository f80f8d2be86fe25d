package digest

import (
	"regexp"
	"strings"

	"github.com/leadup/leadup/daemon/reading"
)

// thanksRe finds where a mail thanks someone for the work: "huge thanks to
// Jonas for the producer patches", "kudos to", "shout-out to", "credit to",
// and the same in German, French and Spanish.
var thanksRe = regexp.MustCompile(`(?i)\b(?:(?:huge|big|many|special|a big)\s+)?(?:thanks|thank you|kudos|shout-?outs?|props|credit|danke|dank|merci|gracias)(?:\s+goes|\s+go)?\s+(?:to|an|à|a)\s+`)

// nameRe is a person or a team right after a thanks: "Jonas", "Zoë
// Martin", "the analytics team".
var nameRe = regexp.MustCompile(`^(?:the\s+[\p{Ll}-]+(?:\s+[\p{Ll}-]+)?\s+team|\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})`)

// creditListRe opens a list of people to credit: "Credit where it is due:",
// "Shout-outs:", "Thanks to:".
var creditListRe = regexp.MustCompile(`(?i)(credit where (?:it is|it's) due|shout-?outs|thanks to|kudos|credits)\s*:?\s*$`)

// thankedIn returns the people and teams a mail thanks or names for the
// work, in order, each once.
func thankedIn(doc reading.Doc) []string {
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		n = strings.TrimSpace(n)
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	listOpen := -1            // the block after which list items name people
	credits := map[int]bool{} // blocks that are a "Credit where it is due" heading
	for i, b := range doc.Blocks {
		if b.Kind == reading.Heading && creditListRe.MatchString(b.Text+":") {
			credits[i] = true
		}
	}
	lastBlock := -1
	for _, s := range doc.Sentences {
		for b := lastBlock + 1; b < s.Block; b++ {
			if credits[b] {
				listOpen = b
			}
		}
		lastBlock = s.Block
		if creditListRe.MatchString(s.Text) {
			listOpen = s.Block
			continue
		}
		if listOpen >= 0 && s.Kind == reading.Item && s.Block > listOpen {
			if m := nameRe.FindString(s.Text); m != "" {
				add(m)
			}
			continue
		}
		if s.Kind != reading.Item {
			listOpen = -1
		}
		for _, loc := range thanksRe.FindAllStringIndex(s.Text, -1) {
			rest := s.Text[loc[1]:]
			for {
				m := nameRe.FindString(rest)
				if m == "" {
					break
				}
				add(m)
				rest = strings.TrimLeft(rest[len(m):], " ")
				// "Jonas for the patches and to the analytics team"
				if i := strings.Index(rest, " and to "); i >= 0 && i < 80 {
					rest = rest[i+len(" and to "):]
					continue
				}
				if next, ok := strings.CutPrefix(rest, "and "); ok {
					rest = next
					continue
				}
				if next, ok := strings.CutPrefix(rest, ", "); ok {
					rest = next
					continue
				}
				break
			}
		}
	}
	return out
}

// creditItems returns the sentences of a credit list ("Credit where it is
// due:" and the items under it): they go in the credit line, not in the
// status.
func creditItems(doc reading.Doc) map[int]bool {
	out := map[int]bool{}
	open := -1
	for i, b := range doc.Blocks {
		if b.Kind == reading.Heading && creditListRe.MatchString(b.Text+":") {
			open = i
		}
	}
	listFrom := -1
	for i, s := range doc.Sentences {
		switch {
		case creditListRe.MatchString(s.Text):
			listFrom = s.Block
			out[i] = true
		case s.Kind == reading.Item && (listFrom >= 0 && s.Block > listFrom || open >= 0 && s.Block > open):
			out[i] = true
		case s.Kind != reading.Item:
			listFrom, open = -1, -1
		}
	}
	return out
}
