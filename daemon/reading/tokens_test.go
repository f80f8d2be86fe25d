package reading

import (
	"slices"
	"testing"
)

// tokensScratch splits exactly as tokens does.
func TestTokensScratchMatchesTokens(t *testing.T) {
	var sc scratch
	for _, s := range []string{
		"The launch is NOT on track, but we’re close (really).",
		"Die Migration ist blockiert — aber: bald!", "Ya no está bloqueado; ¿vale?", "完成了。", "", ", , ,", "a,b", "\"quoted\" words",
		"Zoë’s pool-size change – we’ll see", "x\u0301y", "\xff\xfe broken",
	} {
		if got, want := tokensScratch(&sc, s), tokens(s); !slices.Equal(got, want) {
			t.Errorf("tokensScratch(%q) = %q, tokens = %q", s, got, want)
		}
	}
}
