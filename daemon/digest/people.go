package digest

import (
	"sort"
	"strings"
)

// automatedLocals are mailbox names that only machines write from: trackers
// (Jira, GitHub), CI and monitoring, bounce handlers.
var automatedLocals = map[string]bool{
	"jira": true, "confluence": true, "noreply": true, "no-reply": true, "no_reply": true,
	"donotreply": true, "do-not-reply": true, "do_not_reply": true, "notifications": true,
	"notification": true, "notify": true, "mailer-daemon": true, "postmaster": true,
	"bot": true, "builds": true, "ci": true, "alerts": true, "alert": true,
	"monitoring": true, "github": true, "gitlab": true, "bitbucket": true, "jenkins": true,
	"calendar-notification": true,
}

// automatedNameTags mark a display name that a tracker builds from a
// person's name ("Priya Shah (Jira)").
var automatedNameTags = []string{"(jira)", "(confluence)", "(github)", "(gitlab)", "(asana)", "(trello)", "(linear)"}

// IsAutomatedSender says whether mail from this sender is a notification
// rather than a person's status: Jira-like trackers, CI, no-reply senders.
func IsAutomatedSender(name, addr string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, t := range automatedNameTags {
		if strings.HasSuffix(n, t) {
			return true
		}
	}
	a := strings.ToLower(strings.TrimSpace(addr))
	local, domain, _ := strings.Cut(a, "@")
	if automatedLocals[local] {
		return true
	}
	for _, s := range []string{"noreply", "no-reply", "donotreply", "do-not-reply", "notifications"} {
		if strings.Contains(local, s) {
			return true
		}
	}
	return strings.HasSuffix(domain, ".atlassian.net") || domain == "atlassian.net"
}

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
