package message

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Real mailing-list and machine mail (testdata/lists, with provenance in
// its README): a person's post through Mailman, Google Groups, Groups.io
// or Sympa is theirs, with the list's footer cut and the author's name;
// notifications, bounces, calendar notices, digests and newsletters are
// automated, each with the reason.
func TestListMail(t *testing.T) {
	b, err := os.ReadFile("testdata/lists/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		File         string `json:"file"`
		Automated    bool   `json:"automated"`
		Why          string `json:"why"`
		FooterStarts string `json:"footer_starts"`
		BodyContains string `json:"body_contains"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata/lists", c.File))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, err := Parse(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Automated != c.Automated {
				t.Errorf("automated = %v (%s), want %v: %s", m.Automated, m.AutomatedWhy, c.Automated, c.Why)
			}
			if m.Automated && m.AutomatedWhy == "" {
				t.Errorf("automated without a reason")
			}
			if c.Automated {
				return
			}
			if m.AutoReply {
				t.Errorf("a person's list post read as an auto-reply")
			}
			if c.FooterStarts != "" && strings.Contains(m.Visible, strings.TrimSpace(c.FooterStarts)) {
				t.Errorf("the list footer %q is left in the visible text:\n%s", c.FooterStarts, m.Visible)
			}
			if c.BodyContains != "" && !strings.Contains(strings.Join(strings.Fields(m.Visible), " "), strings.Join(strings.Fields(c.BodyContains), " ")) {
				t.Errorf("the sender's text %q is lost:\n%s", c.BodyContains, m.Visible)
			}
			if strings.Contains(m.From.Name, " via ") {
				t.Errorf("From name %q: want the author, not the list's rewrite", m.From.Name)
			}
		})
	}
}

// Asks for status in the lexicon's other languages.
func TestStatusAskLanguages(t *testing.T) {
	for text, want := range map[string]bool{
		"Hallo Alex, wie ist der Stand bei Apollo?":          true,
		"Gibt es Neuigkeiten zu Zephyr?":                     true,
		"Bonjour Alex, où en est le projet Zephyr ?":         true,
		"Peux-tu me faire un point sur Apollo avant jeudi ?": true,
		"Hola Alex, ¿cómo va Apollo?":                        true,
		"¿Hay novedades sobre la migración?":                 true,
		"Danke, das hilft.":                                  false,
		"Merci Alex, on en parle jeudi.":                     false,
		"Gracias, lo vemos en la reunión.":                   false,
	} {
		if got := IsStatusAsk(text); got != want {
			t.Errorf("IsStatusAsk(%q) = %v, want %v", text, got, want)
		}
	}
}
