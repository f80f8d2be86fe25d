package digest

import (
	"regexp"
	"sort"
	"strings"
)

// subjectPrefix matches one reply/forward prefix ("Re:", "Fwd:", "AW:",
// "WG:", "Re[2]:", "SV:") or one bracketed tag ("[Apollo]", "[JIRA]").
var subjectPrefix = regexp.MustCompile(`(?i)^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|odp|tr|rv|enc|res|ref|rif)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]|\[[^\]]*\])\s*`)

// NormalizeSubject strips reply and forward prefixes and bracketed tags from
// a subject, however often they repeat, and collapses white space, so the
// messages of one conversation share a subject.
func NormalizeSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for {
		loc := subjectPrefix.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			break
		}
		s = s[loc[1]:]
	}
	return strings.TrimSpace(s)
}

// subjectKey is the normalised subject used to join threads: case-folded.
func subjectKey(s string) string { return strings.ToLower(NormalizeSubject(s)) }

// unionFind joins message indexes into threads.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u[rb] = ra
}

// normID makes Message-IDs comparable: no angle brackets or spaces.
func normID(id string) string {
	return strings.Trim(strings.TrimSpace(id), "<>")
}

// Threads groups messages into conversations: first by References and
// In-Reply-To (a reply joins its parent even when the parent itself is not
// in msgs, through any ancestor they share), then by normalised subject.
// Each group keeps the input order of its messages; groups are ordered by
// their first message in msgs.
func Threads(msgs []Msg) [][]Msg {
	u := newUnionFind(len(msgs))
	byID := map[string]int{}
	for i, m := range msgs {
		if id := normID(m.MessageID); id != "" {
			if j, ok := byID[id]; ok {
				u.union(i, j)
			} else {
				byID[id] = i
			}
		}
	}
	// A referenced ID that is not itself a message still links the
	// messages that refer to it.
	refOwner := map[string]int{}
	link := func(i int, id string) {
		id = normID(id)
		if id == "" {
			return
		}
		if j, ok := byID[id]; ok {
			u.union(i, j)
			return
		}
		if j, ok := refOwner[id]; ok {
			u.union(i, j)
			return
		}
		refOwner[id] = i
	}
	for i, m := range msgs {
		link(i, m.InReplyTo)
		for _, r := range m.References {
			link(i, r)
		}
	}
	bySubject := map[string]int{}
	for i, m := range msgs {
		k := subjectKey(m.Subject)
		if k == "" {
			continue
		}
		if j, ok := bySubject[k]; ok {
			u.union(i, j)
		} else {
			bySubject[k] = i
		}
	}
	groups := map[int][]Msg{}
	var roots []int
	for i, m := range msgs {
		r := u.find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], m)
	}
	sort.Ints(roots)
	out := make([][]Msg, 0, len(roots))
	for _, r := range roots {
		out = append(out, groups[r])
	}
	return out
}

// ShowSubject says whether a bullet should lead with the thread's subject:
// not when the status already opens with it ("Zephyr shipped to 100%: Zephyr
// shipped to 100% at 10:30" reads twice).
func (t Thread) ShowSubject() bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return !strings.HasPrefix(norm(t.Status.Text), norm(t.Subject))
}
