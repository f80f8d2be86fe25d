package textwrap

import (
	"strings"
	"testing"
)

func TestFill(t *testing.T) {
	for _, tc := range []struct {
		first, cont, text string
		width             int
		want              string
	}{
		{"  - ", "    ", "the vendor contract is blocked on legal review", 20, "  - the vendor\n    contract is\n    blocked on legal\n    review"},
		{"> ", "> ", "a quoted line", 80, "> a quoted line"},
		{"", "", "https://example.com/a-very-long-link-that-does-not-fit", 10, "https://example.com/a-very-long-link-that-does-not-fit"},
		{"- ", "  ", "Zoë Søren Amara", 9, "- Zoë\n  Søren\n  Amara"},
	} {
		var b strings.Builder
		Fill(&b, tc.first, tc.cont, tc.text, tc.width)
		if b.String() != tc.want {
			t.Errorf("Fill(%q, %q, %q, %d) = %q, want %q", tc.first, tc.cont, tc.text, tc.width, b.String(), tc.want)
		}
	}
}
