package digest

import (
	"strings"
	"testing"
)

// TestHostileMessageIsEscaped feeds markup, a remote image, a javascript:
// link and an HTML-looking sender through both styles and checks none of it
// reaches the HTML as markup, while the text itself is still shown.
func TestHostileMessageIsEscaped(t *testing.T) {
	for _, style := range []string{Detailed, Summary} {
		t.Run(style, func(t *testing.T) {
			in := fixtureInput(t, style)
			loc := in.Loc
			in.Msgs = append(in.Msgs, Msg{
				Project: "Zephyr", MessageID: "<evil@example.net>", Date: at(loc, 19, 8, 0),
				FromName: `Mallory <b onmouseover="x()">`, FromAddr: "mallory@example.net",
				Subject: `<script>alert("subject")</script> Launch`,
				Visible: "We shipped <script>alert(1)</script> the export.\n" +
					"<img src=http://tracker.evil.example/pixel.gif> <img src=\"https://tracker.evil.example/p2.gif\">\n" +
					"Details: <a href=\"javascript:alert(2)\">here</a> and javascript:alert(3)\n" +
					"<div style=\"background:url(http://bg.evil.example/x.png)\">launched</div>\n" +
					"Real link: https://docs.example.com/export?a=1&b=<2>",
			})
			r, err := Render(Build(in), "")
			if err != nil {
				t.Fatal(err)
			}
			for name, h := range map[string]string{"HTML": r.HTML, "DraftHTML": r.DraftHTML} {
				lower := strings.ToLower(h)
				for _, bad := range []string{
					"<script", "<img src=http", `<img src="https`, `href="http://tracker.evil`,
					`href="https://tracker.evil`, `href="http://bg.evil`, `src="http`, `href="javascript`,
					"<div", "<b ", `<a href="javascript`,
				} {
					if strings.Contains(lower, bad) {
						t.Errorf("%s contains %q", name, bad)
					}
				}
				assertEmailSafe(t, h)
				if style == Detailed {
					// The text is shown, escaped, and the real link is kept.
					for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "Mallory &lt;b onmouseover=", `href="https://docs.example.com/export?a=1&amp;b="`} {
						if !strings.Contains(h, want) {
							t.Errorf("%s lacks %q", name, want)
						}
					}
				}
			}
			// The plain text has the words but no link to the trackers.
			if strings.Contains(r.Text, "\n    http://tracker.evil.example") {
				t.Errorf("text lists the tracking pixel as a link")
			}
		})
	}
}
