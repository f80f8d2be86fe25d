package message

import (
	"net/mail"
	"testing"
)

// parseDate's one layout reads what net/mail reads, to the second and zone.
func TestParseDateAgreesWithNetMail(t *testing.T) {
	for _, v := range []string{
		"Tue, 05 May 2026 17:12:03 +0200",
		"Tue, 5 May 2026 17:12:03 +0200",
		"Tue, 5 May 2026 17:12:03 +0200 (CEST)",
		"  Wed, 18 Nov 2026 09:01:00 -0800  ",
		"Mon, 30 Nov 2026 23:59:59 +0000 (UTC)",
	} {
		got, ok := parseDate(v)
		want, err := mail.ParseDate(v)
		if !ok || err != nil {
			t.Errorf("%q: fast path ok=%v, net/mail err=%v", v, ok, err)
			continue
		}
		if !got.Equal(want) || got.Format("-0700") != want.Format("-0700") {
			t.Errorf("%q: %v, net/mail %v", v, got, want)
		}
	}
	// Left to net/mail: no weekday, two-digit years, named zones.
	for _, v := range []string{"5 May 2026 17:12:03 +0200", "Tue, 5 May 26 17:12:03 +0200", "Tue, 5 May 2026 17:12:03 GMT", ""} {
		if _, ok := parseDate(v); ok {
			t.Errorf("%q: the fast path took a date net/mail should read", v)
		}
	}
}
