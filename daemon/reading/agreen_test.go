package reading

// agreeN is n, or a tenth of it (at least 1) under the race detector.
func agreeN(n int) int {
	if raceEnabled {
		return max(1, n/10)
	}
	return n
}

// AgreeN is agreeN for the external test package (corpus_ext_test.go).
var AgreeN = agreeN
