package digest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/reading"
)

// maxBad and maxNews bound how many sentences of one status mail the
// digest quotes: the bad news, then wins, whole sentences each.
const (
	maxBad  = 5
	maxNews = 12
	// maxNewsRunes bounds the quoted text of one mail: many short items
	// (a list of releases) fit, a few long sentences fill it.
	maxNewsRunes = 1000
)

// trend compares the project's health now with before the period: how
// long a bad state has lasted, or when it changed.
func trend(pd ProjectDigest, earlier, period []Msg, loc *time.Location) string {
	if pd.Carried || pd.Health == message.Unknown {
		return ""
	}
	day := func(t time.Time) string { return t.In(loc).Format("Mon 2 Jan") }
	levelOf := func(m Msg) message.Level {
		_, v := message.ReadHealth(healthTextOf(m))
		return message.Level(v.Level)
	}
	sort.SliceStable(earlier, func(i, j int) bool { return earlier[i].Date.After(earlier[j].Date) }) // newest first
	prev, since := message.Unknown, time.Time{}
	for _, m := range earlier {
		l := levelOf(m)
		if l == message.Unknown {
			continue
		}
		if prev == message.Unknown {
			prev = l
		}
		if l != prev {
			break
		}
		since = m.Date // the streak of prev goes back to here
	}
	if prev == message.Unknown {
		return ""
	}
	firstNow := time.Time{}
	for _, m := range period { // oldest first
		if levelOf(m) == pd.Health {
			firstNow = m.Date
			break
		}
	}
	switch {
	case prev == pd.Health && pd.Health != message.Green:
		return "Still " + healthWord(pd.Health) + " since " + day(since) + "."
	case prev == pd.Health:
		return ""
	case pd.Health == message.Green && prev == message.Red && !firstNow.IsZero():
		return "Unblocked on " + day(firstNow) + " (was blocked)."
	case pd.Health == message.Green && !firstNow.IsZero():
		return "Back on track on " + day(firstNow) + " (was " + healthWord(prev) + ")."
	case severity(pd.Health) > severity(prev) && !firstNow.IsZero():
		return "New this week: " + healthWord(pd.Health) + " since " + day(firstNow) + " (was " + healthWord(prev) + ")."
	}
	return "Now " + healthWord(pd.Health) + " (was " + healthWord(prev) + ")."
}

// maxHeadlineRunes keeps a headline to one line of the glance.
const maxHeadlineRunes = 90

// headline says a project's news in a few words: the subject of its worst
// thread when the subject itself carries that news ("Zephyr 2.0 shipped to
// 100% of users"), else its shortest news sentence, else what was carried.
func headline(pd ProjectDigest) (text, key string) {
	if pd.Carried {
		text = pd.CarriedText
	} else if len(pd.Threads) > 0 {
		t := pd.Threads[0]
		subj := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t.Subject, pd.Name+":"), pd.Name+" -"))
		if lvl, _ := message.Health(subj); lvl == t.Health && t.Health != message.Unknown {
			text = subj
		} else {
			// The first sentence with the thread's news, in someone's own
			// words only when nothing else says it.
			fallback := ""
			for _, s := range t.Status.Sentences {
				if lvl, _ := message.Health(s); lvl != t.Health {
					continue
				}
				s = headClause(s)
				if firstPersonRe.MatchString(strings.ReplaceAll(s, "’", "'")) {
					if fallback == "" {
						fallback = s
					}
					continue
				}
				text = s
				break
			}
			if text == "" {
				text = fallback
			}
		}
	}
	text = strings.TrimRight(strings.TrimSpace(text), ".")
	if utf8.RuneCountInString(text) > maxHeadlineRunes {
		text = ""
	}
	if text != "" {
		_, hits := message.Health(text)
		for _, h := range hits {
			if k, ok := subjectWords[h.Phrase]; ok && h.Level == pd.Health && !h.Negated {
				key = k
				break
			}
		}
	}
	if key == "" {
		key = strings.ToLower(healthWord(pd.Health))
	}
	return text, key
}

// subjectWords are the health phrases that read well after a project's
// name in a subject ("Apollo blocked", "Zephyr live"), as they read there.
var subjectWords = map[string]string{
	"blocked": "blocked", "stuck": "stuck", "on hold": "on hold", "off track": "off track", "cancelled": "cancelled",
	"delayed": "delayed", "slipping": "slipping", "slipped": "slipped", "at risk": "at risk", "behind schedule": "behind schedule",
	"shipped": "shipped", "launched": "launched", "released": "released", "is live": "live", "are live": "live",
	"went live": "live", "now live": "live", "done": "done", "completed": "done", "unblocked": "unblocked",
	"approved": "approved", "on track": "on track", "delivered": "delivered",
}

// headClause shortens a sentence to its first clause for a headline:
// "Risk: the CDC contract expires on 31 May; procurement has the renewal"
// is "The CDC contract expires on 31 May".
func headClause(s string) string {
	if label, rest, ok := strings.Cut(s, ": "); ok && len(strings.Fields(label)) <= 3 && rest != "" {
		s = rest // "Risk: …", "Blocking: …"
	}
	for _, sep := range []string{"; ", " – ", " — ", ", but ", ", so "} {
		if i := strings.Index(s, sep); i > 20 {
			s = s[:i]
		}
	}
	return capitalize(strings.TrimRight(s, ".:"))
}

// healthWord is a level in the words of the update, lowercase: "blocked",
// "at risk", "on track"; "" for no news.
func healthWord(l message.Level) string {
	if l == message.Unknown {
		return ""
	}
	return strings.ToLower(healthLabel(l))
}

// capitalize upper-cases the first letter ("removing the 1.x path" after a
// "Next:" heading reads as a sentence).
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s // "iOS", "eBPF"
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// scored is a sentence with how much news it carries.
type scored struct {
	i     int // its place in the mail
	text  string
	score int
}

// top returns the n best, the earlier first among equals.
func top(ss []scored, n int) []scored {
	if n <= 0 {
		return nil
	}
	ss = slices.Clone(ss)
	slices.SortStableFunc(ss, func(a, b scored) int { return b.score - a.score })
	return ss[:min(n, len(ss))]
}

// factScore counts what makes a sentence worth quoting to a boss: a
// version or a figure, a person's name.
func factScore(s string) int {
	score := 0
	ws := strings.Fields(s)
	digits, names := false, false
	for i, w := range ws {
		if strings.Contains(w, "://") {
			continue // a link's digits are not a figure
		}
		if strings.ContainsAny(w, "0123456789") {
			digits = true
		}
		if i+1 < len(ws) && i > 0 && isCapitalized(w) && isCapitalized(ws[i+1]) {
			names = true
		}
	}
	if digits {
		score += 2
	}
	if names {
		score += 2
	}
	return score
}

func isCapitalized(w string) bool {
	r := []rune(strings.Trim(w, "(),.;:\"'"))
	return len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1])
}

// Build turns the labelled mail of the period Since..Now into the digest's
// model. It is pure: no clock, no I/O.
func Build(in Input) Model {
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	named := in.Now
	if !in.Slot.IsZero() {
		named = in.Slot
	}
	year, week := named.In(loc).ISOWeek()
	style := in.Style
	if style != Summary {
		style = Detailed
	}
	m := Model{
		Now: in.Now, Since: in.Since, Loc: loc, Year: year, Week: week,
		MeName: in.MeName, BossName: in.BossName, InDrafts: in.InDrafts, Preview: in.Preview, Style: style,
	}
	me := newMeSet(in.Me)
	byProject := map[string][]Msg{}
	names := map[string]string{} // name or label -> name
	for _, p := range in.Projects {
		names[p.Name] = p.Name
		if p.Label != "" {
			if _, taken := names[p.Label]; !taken {
				names[p.Label] = p.Name
			}
		}
	}
	for _, msg := range in.Msgs {
		if name, ok := names[msg.Project]; ok {
			byProject[name] = append(byProject[name], msg)
		}
	}
	for _, p := range in.Projects {
		pd := buildProject(p, byProject[p.Name], in, me)
		m.Automated += pd.Automated
		m.Projects = append(m.Projects, pd)
		// The team's own requests first, with who asked; the prompt only
		// where the mail asks nothing.
		asked := false
		for _, t := range pd.Threads {
			if len(t.Asks) == 0 {
				continue
			}
			var said []string
			for _, a := range t.Asks {
				said = append(said, endSentence(a))
			}
			m.Asks = append(m.Asks, fmt.Sprintf("%s: %s asks: %s", pd.Name, t.Status.From.Name, strings.Join(said, " ")))
			asked = true
		}
		if ask := askPrompt(pd, in.BossName); ask != "" && !asked {
			m.Asks = append(m.Asks, ask)
		}
	}
	if len(in.Priorities) > 0 {
		rank := map[string]int{}
		for i, p := range in.Priorities {
			rank[p] = i + 1
		}
		slices.SortStableFunc(m.Projects, func(a, b ProjectDigest) int {
			ra, rb := rank[a.Name], rank[b.Name]
			switch {
			case ra == rb:
				return 0
			case ra == 0:
				return 1
			case rb == 0:
				return -1
			}
			return ra - rb
		})
	}
	m.Answers = answers(in.BossAsks, m.Projects, loc)
	m.Chart = buildChart(in.Updates, in.Now, loc, in.Cadence, in.Cal)
	return m
}

// answers turns the boss's open asks into the lines the draft opens with:
// the project asked about and where it stands, or a prompt when the ask
// names no project.
func answers(asks []BossAsk, projects []ProjectDigest, loc *time.Location) []string {
	var out []string
	for _, a := range asks {
		when := a.Date.In(loc).Format("Mon 2 Jan")
		low := " " + strings.ToLower(strings.Join(strings.FieldsFunc(a.Text, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")) + " "
		named := false
		for _, p := range projects {
			if !strings.Contains(low, " "+strings.ToLower(p.Name)+" ") {
				continue
			}
			named = true
			state := strings.ToLower(healthWord(p.Health))
			if state == "" {
				state = "no news this week"
			}
			line := fmt.Sprintf("You asked about %s on %s: %s", p.Name, when, state)
			if p.Headline != "" {
				line += " — " + p.Headline
			}
			out = append(out, endSentence(line)+" Details below.")
		}
		if !named {
			out = append(out, fmt.Sprintf("You asked on %s: “%s” [your answer]", when, strings.TrimSpace(a.Text)))
		}
	}
	return out
}

// buildProject builds one project's digest from its messages.
func buildProject(p Project, msgs []Msg, in Input, me meSet) ProjectDigest {
	pd := ProjectDigest{Name: p.Name, Label: p.Label, Health: message.Unknown}
	// Deduplicate (one message can sit in a label twice) and split the
	// period's human mail from notifications and older context.
	seen := map[string]bool{}
	var period []Msg
	var earlier []Msg // human mail before the period, for the trend
	var before *Msg   // the newest human mail before the period
	for _, msg := range msgs {
		if id := normID(msg.MessageID); id != "" {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		if msg.Date.After(in.Now) {
			continue
		}
		auto := msg.Automated || message.IsAutomatedSender(msg.FromName, msg.FromAddr)
		if !auto && msg.Date.After(pd.LastActivity) {
			pd.LastActivity = msg.Date
		}
		if msg.Date.Before(in.Since) {
			if !auto {
				earlier = append(earlier, msg)
			}
			if !auto && (before == nil || msg.Date.After(before.Date)) {
				m := msg
				before = &m
			}
			continue
		}
		if auto {
			pd.Automated++
			continue
		}
		period = append(period, msg)
	}
	pd.Messages = len(period)
	pd.Quiet = pd.LastActivity.IsZero() || in.Now.Sub(pd.LastActivity) >= QuietAfter
	if len(period) == 0 && before != nil {
		// No news is not good news for a project that was in trouble.
		_, v := message.ReadHealth(healthTextOf(*before))
		if l := message.Level(v.Level); l == message.Red || l == message.Amber {
			pd.Health, pd.Carried, pd.CarriedText = l, true, v.Sentence
			pd.Why = message.BadPhrases(hitsOfVerdict(v))
		}
	}

	sort.SliceStable(period, func(i, j int) bool { return period[i].Date.Before(period[j].Date) })
	reporters, credit := newTally(), newTally()
	for _, msg := range period {
		if !me.has(msg.FromAddr) {
			reporters.add(personOf(msg))
		}
	}
	for _, msg := range period {
		if me.has(msg.FromAddr) {
			continue
		}
		// Whoever reported good news gets credit, even when a later
		// reply ("great, well done") became the thread's status.
		if _, hits := msgHealth(msg); hasLevel(hits, message.Green) {
			credit.add(personOf(msg))
		}
	}
	for _, group := range Threads(period) {
		t, risk, win := buildThread(group, me, in.Loc)
		pd.Threads = append(pd.Threads, t)
		if risk != nil {
			pd.Risks = append(pd.Risks, *risk)
		}
		if win != nil {
			pd.Highlights = append(pd.Highlights, *win)
		}
	}
	pd.Reporters = reporters.people()
	pd.Credit = credit.people()
	// Credit goes to the people the mail thanks or names for the work
	// ("huge thanks to Jonas for …"), not to whoever sent it; the senders
	// of the wins only when nobody is named. No win, no credit line.
	var named []Person
	for _, msg := range period {
		if me.has(msg.FromAddr) {
			continue
		}
		doc, _ := message.ReadHealth(msg.Visible)
		for _, n := range thankedIn(doc) {
			if !slices.ContainsFunc(named, func(p Person) bool { return p.Name == n }) {
				named = append(named, Person{Name: n})
			}
		}
	}
	// Only the people the mail names: the sender of a report is not
	// thanked for it by default.
	pd.Credit = named
	if len(pd.Highlights) == 0 {
		pd.Credit = nil
	}

	sort.SliceStable(pd.Threads, func(i, j int) bool {
		a, b := pd.Threads[i], pd.Threads[j]
		if severity(a.Health) != severity(b.Health) {
			return severity(a.Health) > severity(b.Health)
		}
		return a.Last.After(b.Last)
	})
	sort.SliceStable(pd.Risks, func(i, j int) bool {
		a, b := pd.Risks[i], pd.Risks[j]
		if severity(a.Level) != severity(b.Level) {
			return severity(a.Level) > severity(b.Level)
		}
		return a.Date.After(b.Date)
	})
	sort.SliceStable(pd.Highlights, func(i, j int) bool { return pd.Highlights[i].Date.After(pd.Highlights[j].Date) })

	for _, t := range pd.Threads {
		if severity(t.Health) > severity(pd.Health) {
			pd.Health = t.Health
		}
	}
	if !pd.Carried {
		pd.Why = why(pd.Threads, pd.Health)
	}
	pd.Headline, pd.Key = headline(pd)
	pd.Trend = trend(pd, earlier, period, in.Loc)
	pd.NextSteps = nextStepsPrompt(pd)
	for _, t := range pd.Threads {
		if len(t.Next) > 0 {
			steps := make([]string, len(t.Next))
			for i, n := range t.Next {
				steps[i] = capitalize(n)
				if len(t.Next) > 1 {
					steps[i] = endSentence(steps[i])
				}
			}
			pd.NextSteps, pd.NextFromMail = strings.Join(steps, " "), true
			break
		}
	}
	pd.Detailed = blocks(pd)
	pd.Summary = summaryLines(pd)
	return pd
}

// blocks sorts the threads' news into the detailed style's blocks, the
// threads with the worst news first.
func blocks(pd ProjectDigest) Blocks {
	var b Blocks
	seen := map[string]bool{}
	fresh := func(s string) bool {
		k := strings.ToLower(s)
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, t := range pd.Threads {
		t.Risks, t.Wins, t.Facts = dropFragments(t.Risks), dropFragments(t.Wins), dropFragments(t.Facts)
		for i, r := range t.Risks {
			if !fresh(r) {
				continue
			}
			line := RiskLine{Text: r}
			if i == 0 && t.Doing != "" && fresh(t.Doing) {
				line.Doing = t.Doing
			}
			b.Risks = append(b.Risks, line)
		}
		for _, w := range t.Wins {
			if fresh(w) {
				b.Wins = append(b.Wins, w)
			}
		}
		for _, f := range t.Facts {
			if fresh(f) {
				b.Facts = append(b.Facts, f)
			}
		}
		if len(b.Next) == 0 {
			for _, n := range t.Next {
				b.Next = append(b.Next, endSentence(capitalize(n)))
			}
		}
		if len(t.Risks)+len(t.Wins)+len(t.Facts) > 0 {
			b.Sources = append(b.Sources, Source{From: t.Status.From, Date: t.Status.Date})
		}
		for _, l := range t.Links {
			if len(b.Links) < maxLinks && !slices.Contains(b.Links, l) {
				b.Links = append(b.Links, l)
			}
		}
	}
	return b
}

// buildThread reads one conversation (oldest first): its newest status and
// at most one risk and one win from it.
func buildThread(msgs []Msg, me meSet, loc *time.Location) (t Thread, risk, win *Point) {
	t.Messages = len(msgs)
	t.First, t.Last = msgs[0].Date, msgs[len(msgs)-1].Date
	// The newest subject: a thread's subject moves with the news ("rollout
	// at 50%" becomes "shipped to 100%"); replies keep it.
	for i := len(msgs) - 1; i >= 0 && t.Subject == ""; i-- {
		t.Subject = NormalizeSubject(msgs[i].Subject)
	}
	if t.Subject == "" {
		t.Subject = "(no subject)"
	}
	people := newTally()
	seenLink := map[string]bool{}
	for _, msg := range msgs {
		people.add(personOf(msg))
		if len(t.Links) == maxLinks {
			continue
		}
		for _, l := range Links(msg.Visible, maxLinks) {
			if !seenLink[l.URL] && len(t.Links) < maxLinks {
				seenLink[l.URL] = true
				t.Links = append(t.Links, l)
			}
		}
	}
	t.People = people.people()

	// The newest message that says something about health is the status;
	// a later "thanks!" does not undo a "blocked".
	status := msgs[len(msgs)-1]
	t.Health = message.Unknown
	for i := len(msgs) - 1; i >= 0; i-- {
		level, hits := msgHealth(msgs[i])
		if level != message.Unknown {
			status, t.Health, t.Hits = msgs[i], level, hits
			break
		}
	}
	// A win is best told by the mail that announced it (the first with the
	// thread's current subject: "shipped to 100%"), not by a later "great,
	// dashboards are live"; a risk by its newest word ("still blocked,
	// escalated").
	if t.Health == message.Green {
		for _, m := range msgs {
			if NormalizeSubject(m.Subject) != t.Subject || m.Date.After(status.Date) {
				continue
			}
			if level, hits := msgHealth(m); level == message.Green {
				status, t.Hits = m, hits
				break
			}
		}
	}
	from := personOf(status)
	mine := me.has(status.FromAddr)
	t.Status = Status{From: from, Date: status.Date, Mine: mine}

	// The news is whole sentences of the mail as read (package reading):
	// the bad news first, then the wins and progress, never a line cut
	// where the sender's mail client wrapped it.
	doc, verdict := message.ReadHealth(status.Visible)
	levels := make(map[int]reading.Level, len(verdict.Judged))
	hitsAt := make(map[int][]reading.Hit, len(verdict.Judged))
	for _, j := range verdict.Judged {
		levels[j.Sentence] = j.Level
		hitsAt[j.Sentence] = j.Hits
	}
	var bad, good, facts []scored
	var plain []string
	credits := creditItems(doc)
	for i, s := range doc.Sentences {
		if credits[i] {
			continue // the people thanked are in the credit line
		}
		level := message.Level(levels[i])
		if level == "" {
			level = message.Unknown
		}
		text := s.Text
		if strings.HasSuffix(text, ":") && (levels[i] == "" || levels[i] == reading.LevelUnknown) {
			continue // "Status for week 17:" introduces what follows
		}
		// What comes next and what is asked are said in their own lines,
		// not in the status.
		if s.Section == reading.Next {
			t.Next = append(t.Next, resolveRelative(text, status.Date, loc))
			continue
		}
		if s.Section == reading.Asks || s.Section == reading.Decisions || reading.Default.Mentions("boss asks", text) {
			t.Asks = append(t.Asks, resolveRelative(text, status.Date, loc))
			if s.Section != reading.Next && level == message.Unknown {
				continue
			}
		}
		// As the boss reads it: dates instead of "this morning", and a
		// team member's "I" under their name.
		shown := attributed(resolveRelative(text, status.Date, loc), from, mine)
		p := Point{Thread: t.Subject, Text: shown, From: from, Date: status.Date, Level: level, Mine: mine}
		sc := scored{i: i, text: text, score: factScore(text)}
		if text == verdict.Sentence {
			sc.score += 4 // the sentence behind the health always goes first
		}
		switch level {
		case message.Red, message.Amber:
			sc.score += severity(level)
			bad = append(bad, sc)
			if risk == nil || severity(level) > severity(risk.Level) {
				risk = &p
			}
		case message.Green:
			good = append(good, sc)
			if win == nil {
				win = &p
			}
		default:
			if s.Section != reading.Info && s.Kind != reading.Row {
				plain = append(plain, text)
				if sc.score >= 2 {
					facts = append(facts, sc) // a name or a figure: news a boss may want
				}
			}
		}
	}
	// What is being done about the risk: a sentence of the same mail
	// that reports an action ("I've escalated", "we are working on").
	doing := -1
	if risk != nil {
		for i, s := range doc.Sentences {
			if ownRisk(hitsAt[i]) {
				continue // a risk of its own ("still waiting; I pinged Ravi"), listed as one
			}
			if s.Text != risk.Text && reading.Default.Mentions("actions", s.Text) && s.Section != reading.Next {
				risk.Doing = attributed(resolveRelative(s.Text, status.Date, loc), from, mine)
				doing = i
				break
			}
		}
	}
	// The bad news, then the wins that carry facts (a release, a name, a
	// figure), in the mail's order; a message with neither is quoted from
	// its start.
	picked := top(bad, maxBad)
	budget := maxNewsRunes
	for _, p := range picked {
		budget -= utf8.RuneCountInString(p.text)
	}
	for _, g := range append(top(good, len(good)), top(facts, len(facts))...) {
		if len(picked) >= maxNews || budget < utf8.RuneCountInString(g.text) {
			continue
		}
		picked = append(picked, g)
		budget -= utf8.RuneCountInString(g.text)
	}
	// Bad news first, then the rest, each in the mail's order.
	nBad := min(len(bad), maxBad)
	slices.SortFunc(picked[:nBad], func(a, b scored) int { return a.i - b.i })
	slices.SortFunc(picked[nBad:], func(a, b scored) int { return a.i - b.i })
	var news []string
	for _, p := range picked {
		news = append(news, p.text)
		if p.i == doing {
			continue // said under the risk it answers
		}
		line := endSentence(attributed(capitalize(resolveRelative(p.text, status.Date, loc)), from, mine))
		switch message.Level(levels[p.i]) {
		case message.Red, message.Amber:
			t.Risks = append(t.Risks, line)
		case message.Green:
			t.Wins = append(t.Wins, line)
		default:
			t.Facts = append(t.Facts, line)
		}
	}
	if len(news) == 0 {
		news = plain[:min(len(plain), 2)]
		for _, p := range news {
			t.Facts = append(t.Facts, endSentence(attributed(capitalize(resolveRelative(p, status.Date, loc)), from, mine)))
		}
	}
	if risk != nil && risk.Doing != "" {
		t.Doing = endSentence(risk.Doing)
	}
	t.Status.Sentences = slices.Clone(news)
	// Items and table rows end without a period; joined, each ends.
	for i := range news {
		news[i] = endSentence(news[i])
	}
	t.Status.Text = attributed(resolveRelative(strings.Join(news, " "), status.Date, loc), from, mine)
	if t.Status.Text == "" {
		t.Status.Text = clip(endSentence(strings.TrimSpace(status.Snippet)), maxStatusRunes)
	}
	return t, risk, win
}

// dropFragments leaves out the sentences of three words or fewer ("Still
// blocked.", "Done!") from a list that has others: the health word and
// the trend already say it, and a bullet should carry a fact.
func dropFragments(lines []string) []string {
	if len(lines) < 2 {
		return lines
	}
	var out []string
	for _, l := range lines {
		if len(strings.Fields(l)) > 3 {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return lines
	}
	return out
}

// ownRisk says a sentence carries bad news beyond an action taken on it:
// "still waiting on the credentials; I pinged Ravi" is a risk, "I've
// escalated it to procurement" (escalated reads as a concern) is what is
// being done.
func ownRisk(hits []reading.Hit) bool {
	for _, h := range hits {
		if (h.Level == reading.LevelRed || h.Level == reading.LevelAmber) && !reading.Default.Mentions("actions", h.Phrase) {
			return true
		}
	}
	return false
}

// severity orders levels from no news to the worst.
func severity(l message.Level) int { return reading.Rank(l) }

// why lists the distinct phrases that gave the project its level, from the
// threads at that level.
func why(threads []Thread, level message.Level) []string {
	if level == message.Unknown {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range threads {
		if t.Health != level {
			continue
		}
		for _, h := range t.Hits {
			if h.Level != level {
				continue
			}
			w := h.Phrase
			if h.Negated {
				w = "not " + w
			}
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// maxSummaryLines is the summary style's limit per project.
const maxSummaryLines = 3

// summaryLines picks at most three lines for a boss who wants the high
// level: the risks first (they should hear bad news from the user), then the
// wins with credit to whoever reported them, then plain status.
func summaryLines(pd ProjectDigest) []string {
	// Three lines a person would write: where it stands, what changed,
	// and what comes next.
	var out []string
	if pd.Headline != "" {
		out = append(out, endSentence(capitalize(pd.Headline)))
	} else {
		for _, t := range pd.Threads {
			if len(t.Status.Sentences) > 0 {
				out = append(out, endSentence(t.Status.Sentences[0]))
				break
			}
		}
	}
	head := strings.ToLower(strings.TrimSuffix(pd.Headline, "."))
	repeats := func(s string) bool { return head != "" && strings.Contains(strings.ToLower(s), head) }
	second := pd.Trend
	for _, r := range pd.Risks {
		if r.Doing != "" && !repeats(r.Doing) {
			doing := "Being done: " + r.Doing // "Being done: Priya: I've escalated …" keeps whose words
			if second == "" {
				second = endSentence(doing)
			} else if len(out)+2 < maxSummaryLines || !pd.NextFromMail {
				out = append(out, second)
				second = endSentence(doing)
			}
			break
		}
	}
	if second == "" {
		// Else the best other news: a risk, or a win with its credit.
		for _, r := range pd.Risks {
			if !repeats(r.Text) {
				second = capitalize(endSentence(r.Text))
				break
			}
		}
	}
	if second == "" {
		for _, h := range pd.Highlights {
			text := h.Text
			if repeats(text) {
				continue
			}
			if len(pd.Credit) > 0 {
				text = strings.TrimRight(text, ".!… ") + " — thanks to " + joinPeople(pd.Credit)
			}
			second = endSentence(text)
			break
		}
	}
	if second != "" {
		out = append(out, second)
	}
	if pd.NextFromMail && len(out) < maxSummaryLines {
		out = append(out, "Next: "+pd.NextSteps)
	}
	if len(out) > maxSummaryLines {
		out = out[:maxSummaryLines]
	}
	return out
}

// nextStepsPrompt is the placeholder the user replaces with next steps; it
// says what a boss will want to read for a project in that state.
func nextStepsPrompt(pd ProjectDigest) string {
	switch {
	case pd.Quiet && pd.Messages == 0:
		return "[is this still active? what happens next]"
	case pd.Health == message.Red:
		return "[what unblocks it, who does it, and by when]"
	case pd.Health == message.Amber:
		return "[what brings it back on track, and the new date if any]"
	}
	return "[what happens next, and by when]"
}

// askPrompt suggests an ask for a blocked project: a boss can often
// unblock what a team cannot, but only when asked.
func askPrompt(pd ProjectDigest, boss string) string {
	who := FirstName(boss)
	if who == "" {
		who = "you"
	}
	// Only a blocked project gets a prompt: an amber one that needs the
	// boss says so in its mail, and a prompt per amber project is noise
	// the user has to delete.
	if pd.Health != message.Red {
		return ""
	}
	state := "is blocked"
	because := ""
	if pd.Headline != "" {
		because = " (" + pd.Headline + ")"
	} else if len(pd.Why) > 0 {
		because = " (" + strings.Join(pd.Why, ", ") + ")"
	}
	return "[" + pd.Name + " " + state + because + ": what do you need from " + who + "?]"
}

// FirstName is the name a greeting uses: the first word of a display name.
func FirstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// hasLevel says whether any hit counts at level l.
func hasLevel(hits []message.HealthHit, l message.Level) bool {
	for _, h := range hits {
		if h.Level == l {
			return true
		}
	}
	return false
}

// healthTextOf is the text a message's health is read from: its subject
// (unless a reply's) and its visible text.
func healthTextOf(m Msg) string {
	if s := strings.TrimSpace(m.Subject); s != "" && NormalizeSubject(s) == s {
		return s + "\n\n" + m.Visible
	}
	return m.Visible
}

// hitsOfVerdict turns a verdict's hits into message.HealthHits.
func hitsOfVerdict(v reading.Verdict) []message.HealthHit {
	_, hits := message.Health(v.Sentence)
	return hits
}

// msgHealth is a message's health read as everywhere in leadup (status,
// reminders): its visible text and, unless it is a reply, its subject
// ("Apollo blocked on legal").
func msgHealth(m Msg) (message.Level, []message.HealthHit) {
	return message.MessageHealth(m.Subject, m.Visible, false)
}
