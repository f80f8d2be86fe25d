//go:build race

package reading

// raceEnabled: the race detector makes code 5-20 times slower, and the
// agreement tests' thousands of inputs took minutes under `go test -race`
// (the README's test command). agreeN scales their counts down then; the
// full counts run without -race and in the fuzz targets.
const raceEnabled = true
