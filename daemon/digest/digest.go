// Package digest turns the status mail in the user's project labels into a
// weekly update the user can send to their boss after a light edit: per
// project the threads, the newest status of each, a health with the words
// that justified it, highlights, risks, who to credit and what went quiet.
//
// It works on its own small types (Input, Msg) so it never depends on the
// store or on IMAP; the daemon adapts its state to them. Build is pure: the
// same Input always gives the same Model, and Render turns a Model into the
// mail text, HTML and chart.
package digest

import (
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/message"
)

// Styles a stakeholder can prefer, as written in the config.
const (
	// Detailed gives per-thread bullets with sender and date.
	Detailed = "detailed"
	// Summary gives at most three lines per project.
	Summary = "summary"
)

// QuietAfter is how long a project may go without human status mail before
// the digest calls it quiet.
const QuietAfter = 14 * 24 * time.Hour

// ChartWeeks is how many weeks of updates the chart shows.
const ChartWeeks = 12

// Project is one configured project: its display name and the label (IMAP
// folder) its status mail lands in.
type Project struct {
	Name, Label string
}

// Msg is one message in a project label, already parsed: Visible is the text
// with quoted replies, signatures and disclaimers removed, Snippet a short
// preview of it. Project names the Project (by Name, or by Label).
type Msg struct {
	Project    string
	MessageID  string
	InReplyTo  string
	References []string
	Date       time.Time
	FromName   string
	FromAddr   string
	Subject    string
	Visible    string
	Snippet    string
	// Automated marks notifications (Auto-Submitted, list and tracker mail).
	// Jira-like senders are recognised here too, whatever this says.
	Automated bool
}

// Input is everything Build needs. Msgs should reach back at least
// QuietAfter before Now (further than Since, when Since is more recent), so
// quiet projects can be told from projects with news before the period:
// messages older than Since only count for that and are never listed.
type Input struct {
	Now, Since time.Time
	// Slot is the scheduled slot the digest is for, when it is one: its
	// ISO week names the digest even when it goes out later (moved off a
	// holiday to Tuesday, it is still the previous week's). Zero: Now's.
	Slot     time.Time
	Loc      *time.Location
	Me       []string // the user's addresses: their mail is never credited
	MeName   string
	Projects []Project
	Msgs     []Msg
	Style    string // Detailed or Summary; anything else reads as Detailed
	// BossName is the stakeholder the update is for (digest.draft_for, else
	// the boss): the greeting, the subject and the chart name them.
	BossName string
	// InDrafts says the same draft is also saved in the Drafts folder, so
	// the note tells the user where to find it.
	InDrafts bool
	// Preview says the digest is shown, not sent (`leadup digest`): the
	// note says the draft would be saved, not that it is.
	Preview bool
	// Priorities order the projects (names, first first); the others
	// follow in their configured order.
	Priorities []string
	// BossAsks are the boss's open asks for status (since the user last
	// wrote to them): the draft opens by answering them.
	BossAsks []BossAsk
	Updates  []time.Time   // the user's updates to the boss, for the chart
	Cadence  calendar.Span // the boss's cadence, drawn as the chart's target
	Cal      calendar.Calendar
}

// Model is the digest's content, independent of how it is rendered.
type Model struct {
	Now, Since time.Time
	Loc        *time.Location
	Year, Week int // ISO week of Now in Loc, for the subject
	MeName     string
	BossName   string
	InDrafts   bool // the draft also waits in the Drafts folder
	Preview    bool // shown, not sent: the draft would be saved
	// Answers open the draft: one line per open ask of the boss, naming the
	// project asked about and its status ("You asked about Apollo on Wed
	// 18 Nov: blocked — …").
	Answers  []string
	Style    string // Detailed or Summary
	Projects []ProjectDigest
	// Asks are prompts for the "where I need your input" section, one per
	// project in trouble; the user turns them into real asks or deletes them.
	Asks []string
	// Automated counts the notifications left out of the summary.
	Automated int
	Chart     Chart
}

// ProjectDigest is one project's part of the digest.
type ProjectDigest struct {
	Name, Label string
	// Health is the worst newest status across the project's threads.
	Health message.Level
	// Why lists the phrases that set Health ("blocked", "not on track").
	Why []string
	// Threads are the conversations with human mail in the period, bad
	// news first, then newest first.
	Threads    []Thread
	Highlights []Point // wins, from the threads' newest statuses
	Risks      []Point // bad news, worst first
	// Summary is at most three lines for the summary style.
	Summary []string
	// Reporters are the people (not the user) who wrote in the period,
	// most messages first; Credit those whose news was a win.
	Reporters []Person
	Credit    []Person
	Messages  int // human messages in the period
	Automated int // notifications left out
	// Quiet is set when no human mail arrived for QuietAfter.
	Quiet bool
	// LastActivity is the newest human message known, zero when none.
	LastActivity time.Time
	// NextSteps is what the mail says comes next, or a prompt for the
	// user to replace when it says nothing (NextFromMail false).
	NextSteps    string
	NextFromMail bool
	// Carried is set when no mail came in the period but the last news
	// before it was bad: the project keeps that colour (a blocked project
	// does not become "no signal" by going quiet). CarriedText is the
	// sentence behind it.
	Carried     bool
	CarriedText string
	// Headline is the news in a few words, as a person would write it
	// after the health word ("payments integration blocked on the vendor
	// API keys"); Key the health phrase in it ("blocked"), for the subject.
	Headline, Key string
	// Detailed holds the news of every thread sorted into the blocks the
	// detailed style shows: risks (each with what is being done about it),
	// progress and other facts, what comes next, and where it came from.
	Detailed Blocks
	// Trend says what changed since before the period: "Still blocked
	// since Mon 16 Nov", "Unblocked on Thu 19 Nov", "New this week: at
	// risk (was on track)"; "" when there is nothing to compare.
	Trend string
}

// Thread is one conversation in a project label.
type Thread struct {
	Subject  string
	Messages int // human messages in the period
	First    time.Time
	Last     time.Time
	// Status is the newest message that says something about health, or
	// the newest message when none does.
	Status Status
	Health message.Level
	Hits   []message.HealthHit
	People []Person
	Links  []Link
	// Next are the status message's sentences under a "Next steps" or
	// "Still to do" heading; Asks its requests for the user to raise,
	// escalate or decide ("could you raise this with Dana?").
	Next []string
	Asks []string
	// Risks, Wins and Facts are the status's news sorted as the detailed
	// style shows it: bad news, progress, and other facts (a figure, a
	// name), each a whole sentence as the boss reads it (dates resolved, a
	// team member's "I" under their name). Doing is what the same mail
	// says is being done about the worst risk.
	Risks, Wins, Facts []string
	Doing              string
}

// Status is what a thread's newest status message says.
type Status struct {
	From Person
	Date time.Time
	Text string // the sentences that carry the news, or the first ones
	// Sentences are Text's sentences, each a whole sentence of the mail.
	Sentences []string
	Mine      bool // the user wrote it
}

// Blocks is one project's news as the detailed style shows it.
type Blocks struct {
	Risks   []RiskLine
	Wins    []string
	Facts   []string
	Next    []string // from the mail's "Next" sections; empty when it says nothing
	Sources []Source // who wrote the status mail quoted, newest thread first
	Links   []Link
}

// RiskLine is a risk with what is being done about it, "" when the mail
// says nothing of that.
type RiskLine struct {
	Text, Doing string
}

// Source is a status message the detailed style quotes.
type Source struct {
	From Person
	Date time.Time
}

// Point is one highlight or risk.
type Point struct {
	Thread string
	Text   string
	From   Person
	Date   time.Time
	Level  message.Level
	Mine   bool
	// Doing is, for a risk, what the same mail says is being done about
	// it ("I've escalated to Helen Wu in procurement"), "" when nothing.
	Doing string
}

// Person is someone who wrote to a project label.
type Person struct {
	Name, Addr string
}

// String gives the name, or the address when there is no name.
func (p Person) String() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Addr
}

// Link is an http(s) link that stood in a message's visible text.
type Link struct {
	URL  string
	Host string // for display
}

// Chart is the data behind the cadence chart: the user's updates to the
// boss per week against what the cadence asks for.
type Chart struct {
	Weeks []WeekCount
	// Target is the updates per week the cadence asks for; 0 when unknown.
	Target  float64
	Cadence string
	Total   int
	// EmptyRecent is how many weeks at the end, this week included, have
	// no update: the gap the chart marks.
	EmptyRecent int
}

// WeekCount is one bar of the chart.
type WeekCount struct {
	Start time.Time // Monday 00:00 in Loc
	Week  int       // ISO week number
	Count int
}

// BossAsk is one message in which the boss asked for status.
type BossAsk struct {
	Date time.Time
	Text string // the subject and the start of the visible text
}
