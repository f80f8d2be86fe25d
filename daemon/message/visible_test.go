package message

import (
	"strings"
	"testing"
)

const reply = "The migration is done, QA starts Monday."

func checkVisible(t *testing.T, name, in, want string) {
	t.Helper()
	if got := Visible(in, ""); got != want {
		t.Errorf("%s: Visible =\n%s\n--- want:\n%s\n--- input:\n%s", name, got, want, in)
	}
}

func TestQuoteVerbEntries(t *testing.T) {
	for _, v := range quoteVerbs {
		in := reply + "\n\nOn 3 May 2026 at 10:02, Bob Jones <bob@example.com> " + v + ":\n> Where are we?\n> Bob\n"
		checkVisible(t, "verb "+v, in, reply)
		in = reply + "\n\nBob Jones <bob@example.com> " + v + ":\n\n> Where are we?\n"
		checkVisible(t, "bare verb "+v, in, reply)
	}
}

func TestQuoteOnWordEntries(t *testing.T) {
	for _, w := range quoteOnWords {
		opener := strings.ToUpper(w[:1]) + w[1:]
		if r := []rune(w); len(r) > 0 {
			opener = strings.ToUpper(string(r[:1])) + string(r[1:])
		}
		in := reply + "\n\n" + opener + " 3 May 2026 10:02, Bob Jones <bob@example.com> wrote:\n\nWhere are we on the migration?\n"
		checkVisible(t, "opener "+w, in, reply)
	}
}

func TestHeaderFieldEntries(t *testing.T) {
	for name, role := range headerFields {
		other := "Subject: Apollo"
		if role == "subject" {
			other = "From: Bob <bob@example.com>"
		}
		if role != "from" && role != "date" {
			other = "Sent: Monday, May 4, 2026 10:02"
		}
		field := strings.ToUpper(name[:1]) + name[1:]
		if r := []rune(name); len(r) > 0 {
			field = strings.ToUpper(string(r[:1])) + string(r[1:])
		}
		in := reply + "\n\n" + field + ": value of the field\n" + other + "\n\nWhere are we on the migration?\n"
		checkVisible(t, "field "+name, in, reply)
	}
}

func TestSeparatorEntries(t *testing.T) {
	for _, p := range separatorPhrases {
		for _, form := range []string{"-----" + p + "-----", "----- " + strings.ToUpper(p) + " -----", "-------- " + p + " --------"} {
			in := reply + "\n\n" + form + "\nWhere are we on the migration?\n"
			checkVisible(t, "separator "+form, in, reply)
		}
	}
}

func TestForwardEntries(t *testing.T) {
	for _, p := range forwardPhrases {
		for _, form := range []string{"---------- " + p + " ----------", p + ":"} {
			if !forwardRe.MatchString(form) {
				t.Errorf("forward marker %q not recognised", form)
			}
			// a forward keeps the forwarded text
			in := "FYI, see below.\n\n" + form + "\nFrom: Bob <bob@example.com>\nDate: Mon, 4 May 2026\nSubject: Apollo\n\nApollo shipped."
			if got := Visible(in, ""); !strings.Contains(got, "Apollo shipped.") {
				t.Errorf("forward %q lost the forwarded text: %q", form, got)
			}
			// a forward inside a quote goes with the quote
			in = reply + "\n\n-----Original Message-----\nFrom: Bob <bob@example.com>\nSent: Monday\n\n" + form + "\nApollo shipped."
			checkVisible(t, "quoted forward "+p, in, reply)
		}
	}
}

func TestSignOffEntries(t *testing.T) {
	for _, s := range signOffs {
		r := []rune(s)
		title := strings.ToUpper(string(r[:1])) + string(r[1:])
		for _, form := range []string{title + ",\nAlex", title + "!\n\nAlex Doe\nProduct Lead", title + ", Alex", title} {
			checkVisible(t, "sign-off "+s, reply+"\n\n"+form+"\n", reply)
		}
	}
}

func TestMobileSignOffEntries(t *testing.T) {
	const sentence = "Hi Alex, where are we?"
	for _, s := range append(append([]string(nil), mobileSignOffs...), mobileGenericSignOffs...) {
		r := []rune(s)
		line := strings.ToUpper(string(r[:1])) + string(r[1:]) + " iPhone"
		checkVisible(t, "mobile "+s, reply+"\n\n"+line+"\n", reply)
		checkVisible(t, "mobile then signature "+s, reply+"\n\n"+line+"\n\nAlex Doe\n+49 30 1234567\n", reply)
		// a sentence after it is still the sender's text (or a quote with
		// no header, which cannot be told apart): nothing is cut
		in := reply + "\n\n" + line + "\n\n" + sentence
		checkVisible(t, "mobile then sentence "+s, in, in)
	}
}

func TestMobileGenericNeedsDevice(t *testing.T) {
	for _, s := range mobileGenericSignOffs {
		r := []rune(s)
		line := strings.ToUpper(string(r[:1])) + string(r[1:]) + " DHL to the Berlin lab."
		if isMobileSignOff(line) {
			t.Errorf("isMobileSignOff(%q) = true without a device word", line)
		}
		in := reply + "\n\n" + line + "\nThe crates arrive Monday."
		checkVisible(t, "generic without device "+s, in, in)
	}
}

func TestMobileDeviceWordEntries(t *testing.T) {
	for _, w := range mobileDeviceWords {
		r := []rune(w)
		line := "Sent via " + strings.ToUpper(string(r[:1])) + string(r[1:])
		if !isMobileSignOff(line) {
			t.Errorf("isMobileSignOff(%q) = false", line)
		}
		checkVisible(t, "device "+w, reply+"\n\n"+line+"\n", reply)
		// touching letters make it another word
		if glued := "Sent via x" + w + "x"; isMobileSignOff(glued) {
			t.Errorf("isMobileSignOff(%q) = true", glued)
		}
	}
}

// A line that merely starts like a sign-off ("Sent via DHL …") must not end
// the text: the review found the rest of the update, and its health, lost.
func TestSentViaSentenceKeepsRest(t *testing.T) {
	in := "Hi Bob,\n\nThe parts were sent via DHL to the Berlin lab.\nSent via DHL to the Berlin lab.\nThe migration is blocked on the vendor, we need a decision by Friday.\n\nThanks,\nAlex"
	want := "Hi Bob,\n\nThe parts were sent via DHL to the Berlin lab.\nSent via DHL to the Berlin lab.\nThe migration is blocked on the vendor, we need a decision by Friday."
	checkVisible(t, "sent via DHL", in, want)
	m := ParseBody(in, Options{})
	if m.Health != Red {
		t.Errorf("health = %s, want red (%+v)", m.Health, m.HealthHits)
	}
	// and a real phone sign-off that ends with a sentence keeps it too
	in = "Done with the audit.\n\nSent from my iPhone\n\nOne more thing: the migration is blocked."
	checkVisible(t, "sign-off then sentence", in, in)
}

func TestDisclaimerEntries(t *testing.T) {
	for _, d := range disclaimerPhrases {
		in := reply + "\n\nAlex Doe\nProduct Lead\n\nLegal: " + d + " and further words of a notice that nobody reads.\n"
		checkVisible(t, "disclaimer "+d, in, reply)
	}
}

func TestVisibleCases(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Just text.\nTwo lines.", "Just text.\nTwo lines."},
		{"empty", "", ""},
		{"crlf", "Hello\r\n\r\nOn Mon, 4 May 2026 at 10:00, Bob <bob@example.com> wrote:\r\n> hi\r\n", "Hello"},
		{"bottom post", "On 04/05/2026 10:00, Bob wrote:\n> Where are we?\n\nApollo shipped on Friday.", "Apollo shipped on Friday."},
		{"inline answers", "> Is the API done?\nYes, merged yesterday.\n\n> And the UI?\n\nStill in review.", "Yes, merged yesterday.\n\nStill in review."},
		{"outlook underscores", "Done.\n\n________________________________\nFrom: Bob <bob@example.com>\nSent: Monday, May 4, 2026 10:00\nTo: Alex\nSubject: Apollo\n\nWhere are we?", "Done."},
		{"bold outlook", "Done.\n\n*From:* Bob\n*Sent:* Monday\n*To:* Alex\n*Subject:* x\n\nold", "Done."},
		{"german", "Erledigt.\n\nAm 04.05.2026 um 10:00 schrieb Bob Jones <bob@example.com>:\n> Wie ist der Stand?", "Erledigt."},
		{"french", "C'est fait.\n\nLe lun. 4 mai 2026 à 10:00, Bob <bob@example.com> a écrit :\n> Où en est-on ?", "C'est fait."},
		{"spanish", "Hecho.\n\nEl lun, 4 may 2026 a las 10:00, Bob (<bob@example.com>) escribió:\n> ¿Cómo va?", "Hecho."},
		{"dutch", "Klaar.\n\nOp ma 4 mei 2026 om 10:00 schreef Bob <bob@example.com>:\n> Hoe staat het?", "Klaar."},
		{"polish", "Gotowe.\n\npon., 4 maj 2026 o 10:00 Bob <bob@example.com> napisał(a):\n> Jak idzie?", "Gotowe."},
		{"swedish", "Klart.\n\nDen 4 maj 2026 10:00 skrev Bob <bob@example.com>:\n> Hur går det?", "Klart."},
		{"norwegian", "Ferdig.\n\nman. 4. mai 2026 kl. 10:00 skrev Bob <bob@example.com>:\n> Hvordan går det?", "Ferdig."},
		{"russian", "Готово.\n\nпн, 4 мая 2026 г. в 10:00, Bob <bob@example.com>:\n> Как дела?", "Готово."},
		{"lowercase on in a sentence", "I agree with what Bob said on 3 May, he wrote: ship it.\nMore text.", "I agree with what Bob said on 3 May, he wrote: ship it.\nMore text."},
		{"finnish verb then date", "Valmis.\n\nTuki kirjoitti 20.05.2026 kello 10:26:\n\nMitä kuuluu?", "Valmis."},
		{"gmail iso", "Done.\n\n2026-05-04 10:00 GMT+02:00 Bob <bob@example.com>:\n\n> Where are we?", "Done."},
		{"signature delimiter", "Done.\n\n-- \nAlex Doe\nProduct Lead, Example Inc\n+49 30 1234567", "Done."},
		{"signature shape", "Done.\n\nAlex Doe\nProduct Lead\nalex@example.com\n+1 (555) 123-4567", "Done."},
		{"sender name", "Done.\n\nAlex Doe", "Done."},
		{"lone marker kept", "Visit us\n>>> http://example.com <<<\nfor more", "Visit us\n>>> http://example.com <<<\nfor more"},
		{"on in sentence kept", "On Monday we shipped the importer.\nOn Tuesday the exporter.", "On Monday we shipped the importer.\nOn Tuesday the exporter."},
		{"bullets kept", "Status:\n- Apollo: done\n- Hermes: at risk\n\nThanks,\nAlex", "Status:\n- Apollo: done\n- Hermes: at risk"},
		{"short list kept", "Sizes:\n\n1 L Male\n1 M Female", "Sizes:\n\n1 L Male\n1 M Female"},
		{"date lines kept", "Dates:\n2026-05-04 10:00\n04.05.2026 10:00", "Dates:\n2026-05-04 10:00\n04.05.2026 10:00"},
		{"nested quotes", "Agreed.\n\nOn 4 May 2026, Bob <b@example.com> wrote:\n> ok\n> On 3 May 2026, Carol <c@example.com> wrote:\n>> hi", "Agreed."},
	}
	for _, c := range cases {
		sender := ""
		if c.name == "sender name" {
			sender = "Alex Doe"
		}
		if got := Visible(c.in, sender); got != c.want {
			t.Errorf("%s: Visible =\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}

func TestVisibleNeverEmptiesOwnText(t *testing.T) {
	// a message that is only a signature-like block keeps it: better to
	// show a name than nothing
	for _, in := range []string{"Alex Doe\nProduct Lead", "Thanks,\nAlex", "-- \nAlex"} {
		if got := Visible(in, ""); got == "" {
			t.Errorf("Visible(%q) is empty", in)
		}
	}
}
