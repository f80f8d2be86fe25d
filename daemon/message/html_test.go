package message

import (
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"paragraphs", "<p>One</p><p>Two<br>Three</p>", "One\n\nTwo\nThree"},
		{"inline", "<div>Al<b>ex</b> and <i>Bob</i></div>", "Alex and Bob"},
		{"entities", "<p>a &amp; b &lt;c&gt; &nbsp;d</p>", "a & b <c> d"},
		{"bullets", "<ul><li>one</li><li>two <b>bold</b></li></ul>", "- one\n- two bold"},
		{"numbered", "<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"},
		{"nested list", "<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"},
		{"table", "<table><tr><th>Project</th><th>Status</th></tr><tr><td>Apollo</td><td>on track</td></tr></table>", "Project | Status\nApollo | on track"},
		{"links keep text", `<p>See <a href="http://x.example/y">the doc</a>.</p>`, "See the doc."},
		{"hr breaks", "Bob<hr>From: x", "Bob\n\nFrom: x"},
		{"skips head and style", "<html><head><title>T</title><style>p{}</style></head><body><p>Body</p><script>x()</script></body></html>", "Body"},
		{"pre", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"comments", "<p>a<!-- hidden -->b</p>", "ab"},
		{"broken", "<div><p>unclosed <b>bold", "unclosed bold"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		if got := HTMLToText(c.in); got != c.want {
			t.Errorf("%s: HTMLToText = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestVisibleHTML(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"gmail", `<div dir="ltr">Shipped.</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, May 4, 2026 at 10:00 AM Bob &lt;bob@example.com&gt; wrote:<br></div><blockquote class="gmail_quote">Where are we?</blockquote></div>`, "Shipped."},
		{"gmail signature", `<div>Shipped.</div><div class="gmail_signature">Alex Doe | Product</div>`, "Shipped."},
		{"apple", `<div>Shipped.</div><div><br><blockquote type="cite">On 4 May 2026, at 10:00, Bob wrote:<br><div>Where are we?</div></blockquote></div>`, "Shipped."},
		{"outlook web", `<div>Shipped.</div><hr style="display:inline-block"><div id="divRplyFwdMsg"><b>From:</b> Bob<br><b>Sent:</b> Monday</div><div>Where are we?</div>`, "Shipped."},
		{"outlook desktop", `<div class=WordSection1><p class=MsoNormal>Shipped.</p><div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> Bob &lt;bob@example.com&gt;<br><b>Sent:</b> Monday, May 4, 2026 10:00<br><b>To:</b> Alex<br><b>Subject:</b> Apollo</p></div><p class=MsoNormal>Where are we?</p></div>`, "Shipped."},
		{"thunderbird", `<p>Shipped.</p><div class="moz-cite-prefix">On 04.05.2026 10:00, Bob wrote:<br></div><blockquote type="cite">Where are we?</blockquote><div class="moz-signature">-- <br>Alex</div>`, "Shipped."},
		{"yahoo", `<div>Shipped.</div><div class="yahoo_quoted"><div>On Monday, Bob wrote:</div><div>Where are we?</div></div>`, "Shipped."},
		{"gmail indent kept", `<div>Plan:</div><blockquote style="margin:0 0 0 40px;border:none;padding:0px"><div>step one</div></blockquote>`, "Plan:\nstep one"},
		{"own citation kept", `Reply<blockquote>Cited by me</blockquote><div>On 11-Apr-2026, at 6:54 PM, Bob &lt;bob@example.com&gt; wrote:</div><blockquote><div>Test</div></blockquote>`, "Reply\nCited by me"},
		{"attribution inside blockquote", `Reply<blockquote><div>On 11-Apr-2026, at 6:54 PM, Bob &lt;bob@example.com&gt; wrote:</div><div>Test</div></blockquote>`, "Reply"},
		{"attribution outside quote", `Reply<div>On 11-Apr-2026, at 6:54 PM, Bob &lt;bob@example.com&gt; wrote:</div><div>Test</div>`, "Reply"},
		{"gmail forward kept", `<div dir="ltr">FYI<div class="gmail_quote">---------- Forwarded message ----------<br>From: Bob &lt;bob@example.com&gt;<br>Date: Fri, Feb 11, 2026<br>Subject: WFH<br><br><div>Apollo shipped.</div></div></div>`, "FYI\n---------- Forwarded message ----------\nFrom: Bob <bob@example.com>\nDate: Fri, Feb 11, 2026\nSubject: WFH\n\nApollo shipped."},
		{"all quote falls back", `<blockquote>Shipped.</blockquote>`, "Shipped."},
		{"rule then from block", `Reply<div><hr/><div><font><b>From: bob@example.com</b> <b>Date: Thu, 24 Mar 2026 08:07:12 -0700</b></font></div><div>Quoted</div></div>`, "Reply"},
		{"date block after rule", `<div>message<br><div><hr>Date: Fri, 23 Mar 2026 12:35:31 -0600<br>To: bob@example.com<br>From: rob@example.com<br>Subject: Mail<br><br>text</div></div>`, "message"},
		{"list status", `<p>Status:</p><ul><li>Apollo: shipped</li><li>Hermes: at risk</li></ul>`, "Status:\n\n- Apollo: shipped\n- Hermes: at risk"},
	}
	for _, c := range cases {
		if got := VisibleHTML(c.in, ""); got != c.want {
			t.Errorf("%s: VisibleHTML = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestVisibleHTMLHostile(t *testing.T) {
	deep := strings.Repeat("<div>", 5000) + "x" + strings.Repeat("</div>", 5000)
	if got := VisibleHTML(deep, ""); got != "x" && got != "" {
		t.Errorf("deep nesting: %q", got)
	}
	many := strings.Repeat("<p>a</p>", 300000)
	_ = HTMLToText(many) // bounded work, must return
}

// Parse and ParseBody read an HTML body's text and visible text from one
// parse of the document, and get what HTMLToText and VisibleHTML give.
func TestHTMLParsedOnce(t *testing.T) {
	body := "<html><body><p>Apollo is <b>blocked</b>.</p><ol><li>one</li><li>two</li></ol>" +
		`<div class="gmail_quote">On Mon, 4 May 2026 at 10:00, Bob &lt;bob@example.com&gt; wrote:<blockquote>Where are we?</blockquote></div></body></html>`
	raw := "From: Alex <alex@example.com>\r\nSubject: Apollo\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
	parses := 0
	testHookHTMLParse = func() { parses++ }
	defer func() { testHookHTMLParse = nil }()

	m, err := Parse(strings.NewReader(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if parses != 1 {
		t.Errorf("Parse parsed the HTML %d times, want 1", parses)
	}
	parses = 0
	b := ParseBody(body, Options{})
	if parses != 1 {
		t.Errorf("ParseBody parsed the HTML %d times, want 1", parses)
	}
	wantText, wantVisible := HTMLToText(body), VisibleHTML(body, "Alex")
	if m.Text != wantText || b.Text != wantText {
		t.Errorf("Text = %q / %q, want %q", m.Text, b.Text, wantText)
	}
	if m.Visible != wantVisible || b.Visible != wantVisible || wantVisible != "Apollo is blocked.\n\n1. one\n2. two" {
		t.Errorf("Visible = %q / %q, want %q", m.Visible, b.Visible, wantVisible)
	}
}
