package message

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled at its first use rather than
// at program start. The parser's patterns (alternations of hundreds of
// sign-offs, quote verbs and titles) took about 12 ms and 4 MB to compile,
// which every one-shot command paid: `status` or a cycle with nothing new
// parses no message at all. It has the methods of *regexp.Regexp the
// package uses; a pattern that does not compile still panics, at its
// first use (the package's tests use every one).
type lazyRegexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func lazyCompile(src string) *lazyRegexp { return &lazyRegexp{src: src} }

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

func (l *lazyRegexp) String() string                       { return l.src }
func (l *lazyRegexp) MatchString(s string) bool            { return l.get().MatchString(s) }
func (l *lazyRegexp) FindString(s string) string           { return l.get().FindString(s) }
func (l *lazyRegexp) FindStringIndex(s string) []int       { return l.get().FindStringIndex(s) }
func (l *lazyRegexp) FindStringSubmatch(s string) []string { return l.get().FindStringSubmatch(s) }
func (l *lazyRegexp) FindStringSubmatchIndex(s string) []int {
	return l.get().FindStringSubmatchIndex(s)
}
func (l *lazyRegexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.get().FindAllStringSubmatchIndex(s, n)
}
