package digest

import (
	"slices"
	"testing"

	"github.com/leadup/leadup/daemon/reading"
)

func TestThankedIn(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Huge thanks to Jonas for the producer patches and to the analytics team for the dashboards.", []string{"Jonas", "the analytics team"}},
		{"Kudos to Mei Chen and Raj Patel!", []string{"Mei Chen", "Raj Patel"}},
		{"Shout-out to Priya for chasing legal.", []string{"Priya"}},
		{"Credit where it is due:\n- Zoë Martin – the pooling rewrite\n- Søren Nielsen – the rollout tooling", []string{"Zoë Martin", "Søren Nielsen"}},
		{"Thanks for all the reviews this week.", nil},
		{"Danke an Jonas für die Patches.", []string{"Jonas"}},
		{"Merci à Léa pour les tests.", []string{"Léa"}},
		{"Gracias a Marta por la migración.", []string{"Marta"}},
		{"We are blocked on legal.", nil},
	} {
		if got := thankedIn(reading.Read(tc.text)); !slices.Equal(got, tc.want) {
			t.Errorf("thankedIn(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
