package digest

import (
	"sort"
	"strings"
)

// personOf is the sender of m.
func personOf(m Msg) Person {
	name := strings.TrimSpace(m.FromName)
	addr := strings.ToLower(strings.TrimSpace(m.FromAddr))
	if name == "" && addr != "" {
		name, _, _ = strings.Cut(addr, "@")
	}
	return Person{Name: name, Addr: addr}
}

// meSet answers "did the user write this?" for the user's addresses.
type meSet map[string]bool

func newMeSet(addrs []string) meSet {
	s := meSet{}
	for _, a := range addrs {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			s[a] = true
		}
	}
	return s
}

func (s meSet) has(addr string) bool { return s[strings.ToLower(strings.TrimSpace(addr))] }

// tally counts people and returns them most frequent first, then by name.
type tally struct {
	n     map[string]int
	first map[string]Person
}

func newTally() *tally { return &tally{n: map[string]int{}, first: map[string]Person{}} }

func (t *tally) add(p Person) {
	k := p.Addr
	if k == "" {
		k = strings.ToLower(p.Name)
	}
	if _, ok := t.first[k]; !ok {
		t.first[k] = p
	}
	t.n[k]++
}

func (t *tally) people() []Person {
	keys := make([]string, 0, len(t.n))
	for k := range t.n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if t.n[keys[i]] != t.n[keys[j]] {
			return t.n[keys[i]] > t.n[keys[j]]
		}
		return t.first[keys[i]].String() < t.first[keys[j]].String()
	})
	out := make([]Person, len(keys))
	for i, k := range keys {
		out[i] = t.first[k]
	}
	return out
}
