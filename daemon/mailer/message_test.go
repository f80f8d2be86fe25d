package mailer

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	gomsgmail "github.com/emersion/go-message/mail"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var testDate = time.Date(2026, 3, 30, 9, 30, 0, 0, time.FixedZone("CEST", 2*3600))

func testMessage(t *testing.T) Message {
	return Message{
		From:       "leadup@example.com",
		FromName:   "leadup",
		To:         `"Doe, Alex" <alex@example.com>, alex.doe@example.com`,
		Subject:    "Jane is waiting for an update — 9 days",
		Text:       "Jane Smith: 9 days since your last update.\nShe asked: any update on Apollo?\n",
		HTML:       `<p>Jane Smith: 9 days</p><img src="cid:chart@leadup.local" alt="chart">`,
		MessageID:  "<reminder.2026-03-30.jane@leadup.local>",
		Date:       testDate,
		Kind:       "reminder",
		InReplyTo:  "<prev@leadup.local>",
		References: "<first@leadup.local> <prev@leadup.local>",
		Inline:     []Inline{{Name: "chart.png", ContentID: "chart@leadup.local", ContentType: "image/png", Data: testPNG(t)}},
		Headers:    [][2]string{{"X-Leadup-Due", "2026-03-27"}},
	}
}

// parsed is what a reader of the message sees.
type parsed struct {
	header               gomsgmail.Header
	text, html           string
	inline               map[string][]byte // Content-ID -> decoded body
	inlineType           map[string]string
	alternative, related bool
}

// parseMessage reads raw back with go-message and walks its parts.
func parseMessage(t *testing.T, raw []byte) parsed {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("go-message cannot read the message: %v", err)
	}
	p := parsed{header: gomsgmail.Header{Header: e.Header}, inline: map[string][]byte{}, inlineType: map[string]string{}}
	err = e.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil {
			return err
		}
		ct, _, _ := part.Header.ContentType()
		switch {
		case ct == "multipart/alternative":
			p.alternative = true
		case ct == "multipart/related":
			p.related = true
		case strings.HasPrefix(ct, "multipart/"):
		default:
			body, err := io.ReadAll(part.Body)
			if err != nil {
				return err
			}
			if cid := part.Header.Get("Content-Id"); cid != "" {
				p.inline[cid] = body
				p.inlineType[cid] = ct
			} else if ct == "text/plain" {
				p.text = string(body)
			} else if ct == "text/html" {
				p.html = string(body)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	return p
}

// checkHeaders asserts what every message leadup writes must carry.
func checkHeaders(t *testing.T, p parsed, m Message) {
	t.Helper()
	h := p.header
	if got := h.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if got := h.Get("X-Leadup"); got != m.Kind {
		t.Errorf("X-Leadup = %q, want %q", got, m.Kind)
	}
	id, err := h.MessageID()
	if err != nil || "<"+id+">" != m.MessageID {
		t.Errorf("Message-ID = %q (%v), want %q", id, err, m.MessageID)
	}
	date, err := h.Date()
	if err != nil || !date.Equal(m.Date) {
		t.Errorf("Date = %v (%v), want %v", date, err, m.Date)
	}
	if _, off := date.Zone(); off != 2*3600 {
		t.Errorf("Date zone offset = %d, want the given +0200", off)
	}
	for _, k := range []string{"User-Agent", "X-Mailer"} {
		if h.Has(k) {
			t.Errorf("unexpected %s: %q", k, h.Get(k))
		}
	}
	subj, err := h.Subject()
	if err != nil || subj != m.Subject {
		t.Errorf("Subject = %q (%v), want %q", subj, err, m.Subject)
	}
}

func TestBuild(t *testing.T) {
	m := testMessage(t)
	raw, err := Build(m)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	for i, b := range raw {
		if b == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d: %q", i, raw[max(0, i-40):i+1])
		}
	}
	p := parseMessage(t, raw)
	checkHeaders(t, p, m)
	h := p.header
	if got := h.Get("In-Reply-To"); got != m.InReplyTo {
		t.Errorf("In-Reply-To = %q", got)
	}
	if got := h.Get("References"); got != m.References {
		t.Errorf("References = %q", got)
	}
	if got := h.Get("X-Leadup-Due"); got != "2026-03-27" {
		t.Errorf("X-Leadup-Due = %q", got)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "leadup@example.com" || from[0].Name != "leadup" {
		t.Errorf("From = %v (%v)", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != "Doe, Alex" || to[1].Address != "alex.doe@example.com" {
		t.Errorf("To = %v (%v)", to, err)
	}
	if !p.alternative || !p.related {
		t.Errorf("structure: alternative=%v related=%v, want both", p.alternative, p.related)
	}
	if normalizeNL(p.text) != m.Text {
		t.Errorf("text = %q, want %q", p.text, m.Text)
	}
	if !strings.Contains(p.html, `src="cid:chart@leadup.local"`) {
		t.Errorf("html = %q", p.html)
	}
	png := p.inline["<chart@leadup.local>"]
	if !bytes.Equal(png, m.Inline[0].Data) {
		t.Errorf("inline png: got %d bytes, want %d identical bytes (parts: %v)", len(png), len(m.Inline[0].Data), p.inlineType)
	}
	if ct := p.inlineType["<chart@leadup.local>"]; ct != "image/png" {
		t.Errorf("inline content type = %q", ct)
	}
}

func normalizeNL(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestBuildTextOnly(t *testing.T) {
	m := testMessage(t)
	m.HTML, m.Inline, m.InReplyTo, m.References, m.Headers = "", nil, "", "", nil
	m.Kind = "digest"
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	checkHeaders(t, p, m)
	if p.alternative || p.related || normalizeNL(p.text) != m.Text {
		t.Errorf("text-only message: alternative=%v related=%v text=%q", p.alternative, p.related, p.text)
	}
	if p.header.Has("In-Reply-To") || p.header.Has("References") {
		t.Errorf("unexpected threading headers")
	}
	mt, _, _ := mime.ParseMediaType(p.header.Get("Content-Type"))
	if mt != "text/plain" {
		t.Errorf("Content-Type = %q", mt)
	}
}

func TestBuildRefuses(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Message)
		want   string
	}{
		{"no message id", func(m *Message) { m.MessageID = "" }, "message id"},
		{"message id without @", func(m *Message) { m.MessageID = "<abc>" }, "message id"},
		{"zero date", func(m *Message) { m.Date = time.Time{} }, "date"},
		{"no kind", func(m *Message) { m.Kind = "" }, "kind"},
		{"bad from", func(m *Message) { m.From = "not an address" }, "from"},
		{"bad to", func(m *Message) { m.To = "" }, "to addresses"},
		{"subject injection", func(m *Message) { m.Subject = "hi\r\nBcc: x@example.com" }, "line break"},
		{"header injection", func(m *Message) { m.Headers = [][2]string{{"X-A", "a\nBcc: x@example.com"}} }, "line break"},
		{"reserved header", func(m *Message) { m.Headers = [][2]string{{"auto-submitted", "no"}} }, "cannot be overridden"},
		{"content header", func(m *Message) { m.Headers = [][2]string{{"Content-Type", "text/html"}} }, "cannot be overridden"},
		{"bad header name", func(m *Message) { m.Headers = [][2]string{{"X A", "b"}} }, "not a token"},
		{"bad inline cid", func(m *Message) { m.Inline[0].ContentID = "chart" }, "content id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage(t)
			tt.modify(&m)
			_, err := Build(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Build error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// A draft for the boss is the user's own mail once sent: no automation
// headers that would make servers (or leadup) treat it as a robot's.
func TestBuildDraftHasNoAutomationHeaders(t *testing.T) {
	m := testMessage(t)
	m.Draft, m.Kind = true, ""
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	for _, h := range []string{"Auto-Submitted", "X-Leadup"} {
		if p.header.Has(h) {
			t.Errorf("draft has %s: %q", h, p.header.Get(h))
		}
	}
	if got := p.header.Get("Message-Id"); !strings.Contains(got, strings.Trim(m.MessageID, "<>")) {
		t.Errorf("draft Message-ID = %q, want %q", got, m.MessageID)
	}
}
