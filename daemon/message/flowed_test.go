package message

import (
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/reading"
)

func TestUnflow(t *testing.T) {
	tests := []struct {
		name, in string
		delsp    bool
		want     string
	}{
		{"soft breaks join", "The beta is at risk and will \nslip a week.\nNext line.", false, "The beta is at risk and will slip a week.\nNext line."},
		{"a hard break stays", "The beta is at ri\nsk.", false, "The beta is at ri\nsk."},
		{"delsp yes", "The beta is at \nrisk.", true, "The beta is atrisk."},
		{"space stuffing", " From here on.\n >not a quote", false, "From here on.\n>not a quote"},
		{"signature line", "Thanks \n-- \nAlex", false, "Thanks -- \nAlex"},
		{"quotes join by depth", "> quoted and \n> flowed\n>> deeper", false, "> quoted and flowed\n>> deeper"},
	}
	for _, tt := range tests {
		if got := Unflow(tt.in, tt.delsp); got != tt.want {
			t.Errorf("%s: Unflow(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// A format=flowed mail reads as whole sentences.
func TestParseFlowed(t *testing.T) {
	raw := "From: Priya <priya@example.com>\r\nSubject: Apollo\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n" +
		"The beta date of the 28th is at risk and will most likely be \r\nslipping by about a week unless the credentials land by \r\nWednesday.\r\n"
	m, err := Parse(strings.NewReader(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := reading.Read(m.Visible)
	if len(d.Sentences) != 1 || !strings.HasSuffix(d.Sentences[0].Text, "land by Wednesday.") {
		t.Errorf("sentences %+v from %q", d.Sentences, m.Visible)
	}
	if m.Health != Amber {
		t.Errorf("health %s, want amber", m.Health)
	}
}

// HTML headings (<h2>, a paragraph of bold) name sections as the text
// headings do.
func TestParseHTMLHeadings(t *testing.T) {
	raw := "From: a@example.com\r\nSubject: Weekly\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		"<html><body><h2>Done</h2><ul><li>Shipped the importer</li></ul><h3>Risks</h3><p>Nothing new.</p>" +
		"<p><strong>Next steps</strong></p><p>Load test on Friday.</p></body></html>\r\n"
	m, err := Parse(strings.NewReader(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]reading.Section{}
	for _, s := range reading.Read(m.Visible).Sentences {
		got[s.Text] = s.Section
	}
	for text, want := range map[string]reading.Section{"Shipped the importer": reading.Done, "Nothing new.": reading.Risks, "Load test on Friday.": reading.Next} {
		if got[text] != want {
			t.Errorf("%q in section %q, want %q (visible %q)", text, got[text], want, m.Visible)
		}
	}
	if m.Health != Green {
		t.Errorf("health %s, want green (done, and the risks section says nothing new)", m.Health)
	}
}
