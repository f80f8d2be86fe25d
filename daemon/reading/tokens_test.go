package reading

import (
	"slices"
	"testing"
)

// Words are lowercased, split at anything but letters, digits and the
// apostrophe, with a clause mark (",") where punctuation ends a clause.
func TestTokens(t *testing.T) {
	var sc scratch // reused across calls, as Judge does
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"The launch is NOT on track, but we’re close (really).", []string{"the", "launch", "is", "not", "on", "track", ",", "but", "we're", "close", ",", "really", ","}},
		{"Die Migration ist blockiert — aber: bald!", []string{"die", "migration", "ist", "blockiert", ",", "aber", ",", "bald"}},
		{"Ya no está bloqueado; ¿vale?", []string{"ya", "no", "está", "bloqueado", ",", "vale"}},
		{"完成了。", []string{"完成了"}},
		{"", nil},
		{", , ,", nil},
		{"a,b", []string{"a", ",", "b"}},
		{"\"quoted\" words", []string{"quoted", ",", "words"}},
		{"Zoë’s pool-size change – we’ll see", []string{"zoë's", "pool", "size", "change", ",", "we'll", "see"}},
		{"\xff\xfe broken", []string{"broken"}},
	} {
		got := tokensScratch(&sc, tc.in)
		if len(got) == 0 {
			got = nil
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
