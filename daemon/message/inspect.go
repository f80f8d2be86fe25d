package message

import (
	"bytes"
	"regexp"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/reading"
)

// Report is what `leadup inspect --json` prints: everything leadup reads
// from one message, so a user can see why it said what it said.
type Report struct {
	Kind       string      `json:"kind"` // "message" (RFC 822) or "body" (plain text)
	From       *Address    `json:"from,omitempty"`
	Subject    string      `json:"subject,omitempty"`
	Date       *time.Time  `json:"date,omitempty"`
	Visible    string      `json:"visible"`
	Snippet    string      `json:"snippet"`
	Health     Level       `json:"health"`
	HealthHits []HealthHit `json:"health_hits"`
	// HealthSentence and HealthRule say which sentence set the health,
	// and by what rule ("\"at risk\" (amber)", "marked red").
	HealthSentence string `json:"health_sentence,omitempty"`
	HealthRule     string `json:"health_rule"`
	AutoReply      bool   `json:"auto_reply"`
	Automated      bool   `json:"automated"`
	AutomatedWhy   string `json:"automated_why,omitempty"`
	// Read is the visible text as leadup reads it: blocks (paragraphs,
	// items, headings, table rows) and sentences with their section and
	// marker, and the health of each sentence that said something.
	Read       reading.Doc      `json:"read"`
	Judged     []reading.Judged `json:"judged"`
	Ask        bool             `json:"ask"`
	ReturnDate *time.Time       `json:"return_date,omitempty"`
}

// Inspect reads raw input that is either a whole RFC 822 message or a plain
// body (no header block) and reports what leadup sees in it.
func Inspect(raw []byte, opt Options) (*Report, error) {
	var m *Message
	kind := "body"
	if IsRFC822(raw) {
		var err error
		m, err = Parse(bytes.NewReader(skipMboxLine(raw)), opt)
		if err != nil {
			return nil, err
		}
		kind = "message"
	} else {
		m = ParseBody(string(raw), opt)
	}
	r := &Report{
		Kind: kind, Subject: m.Subject, Visible: m.Visible, Snippet: m.Snippet,
		Health: m.Health, HealthHits: m.HealthHits, AutoReply: m.AutoReply,
		Automated: m.Automated, AutomatedWhy: m.AutomatedWhy, Ask: m.Ask,
	}
	// The model of the text the health was read from (the subject as its
	// own paragraph, unless it is a reply's).
	doc, v := ReadHealth(healthText(m.Subject, m.Visible, m.AutoReply))
	r.Read, r.Judged = doc, v.Judged
	if !m.AutoReply {
		r.HealthSentence, r.HealthRule = v.Sentence, v.Rule
	} else {
		r.HealthRule = "an automatic reply says nothing about the work"
	}
	if r.Judged == nil {
		r.Judged = []reading.Judged{}
	}
	if r.HealthHits == nil {
		r.HealthHits = []HealthHit{}
	}
	if m.From.Addr != "" || m.From.Name != "" {
		f := m.From
		r.From = &f
	}
	if !m.Date.IsZero() {
		d := m.Date
		r.Date = &d
	}
	if !m.ReturnDate.IsZero() {
		d := m.ReturnDate
		r.ReturnDate = &d
	}
	return r, nil
}

var headerLineRe = regexp.MustCompile(`^[!-9;-~]+:`)

// knownHeaders are fields that only a real message header block has; a plain
// body may begin with "Date:" or "From:" lines of a quoted block, so one of
// these (or From with another of them) is required.
var knownHeaders = map[string]bool{
	"subject": true, "message-id": true, "mime-version": true, "content-type": true, "received": true,
	"return-path": true, "delivered-to": true, "in-reply-to": true, "references": true,
	"content-transfer-encoding": true, "x-mailer": true, "user-agent": true, "dkim-signature": true,
	"authentication-results": true, "x-received": true, "reply-to": true, "sender": true,
}

// IsRFC822 says whether raw starts with a message header block: header
// lines (continuations allowed) up to a blank line or the end, with at
// least one field that only real headers carry.
func IsRFC822(raw []byte) bool {
	raw = skipMboxLine(raw)
	head := raw[:min(len(raw), 256<<10)]
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	known, n := 0, 0
	for _, l := range lines {
		if l == "" {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			if n == 0 {
				return false
			}
			continue
		}
		if !headerLineRe.MatchString(l) {
			return false
		}
		n++
		name := strings.ToLower(l[:strings.IndexByte(l, ':')])
		if knownHeaders[name] {
			known++
		}
	}
	return n > 0 && known > 0
}

// skipMboxLine drops an mbox "From " separator line.
func skipMboxLine(raw []byte) []byte {
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			return raw[i+1:]
		}
	}
	return raw
}
