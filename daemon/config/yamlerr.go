package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	yaml4 "go.yaml.in/yaml/v4"
)

// A YAML syntax error, as viper's yaml (go.yaml.in/yaml/v3) reports it,
// names the line where the enclosing block began, counted from 0, not the
// line at fault: a mis-indented line 38 under "smtp:" comes out as "line
// 35". go.yaml.in/yaml/v4 reports the position where the parser stopped
// (LoadError.Mark), so the file is parsed with it first to find the line.
// Where the parser stops is not always the line to fix (an over-indented
// first key of a section is found wrong only at the next key; an unclosed
// quote runs on to a later line), so syntaxProblem then looks for the
// smallest change that makes the file parse: one line indented like its
// neighbours, or a quote that is never closed.

// maxRepairLines bounds the search for the line to fix: each try parses
// the whole file once.
const maxRepairLines = 2000

var (
	yaml3LineRe   = regexp.MustCompile(`line (\d+): (.*)`)
	spacedComment = regexp.MustCompile(`\s{2,}#`)
)

// parseCheck parses text with yaml v4, which reports where it stopped,
// before viper's yaml v3 reads it: v3 also reads a few broken files
// without an error and drops what follows the slip (a first key indented
// one space leaves only that section).
func parseCheck(text []byte) (Problem, bool) {
	var le *yaml4.LoadError
	if err := yaml4.Unmarshal(text, &yaml4.Node{}); errors.As(err, &le) && le.Mark.Line > 0 {
		return syntaxProblem(splitLines(text), le.Mark.Line, le.Message), true
	} else if err != nil {
		return Problem{Msg: "YAML syntax error: " + oneLine(err.Error()) + ": check the indentation and quoting"}, true
	}
	return Problem{}, false
}

// v3Problem explains an error of viper's yaml v3 in a file v4 reads: a
// key defined twice, whose message names both lines.
func v3Problem(text []byte, parseErr error) Problem {
	m := yaml3LineRe.FindStringSubmatch(parseErr.Error())
	if m == nil {
		msg := oneLine(parseErr.Error())
		if _, after, ok := strings.Cut(msg, "yaml: "); ok {
			msg = after
		}
		return Problem{Msg: "YAML syntax error: " + msg + ": check the indentation and quoting"}
	}
	lines := splitLines(text)
	n, _ := strconv.Atoi(m[1])
	n = min(max(n, 1), len(lines))
	fix := "check the indentation and quoting on that line"
	if strings.Contains(m[2], "already defined") {
		fix = "keep one of the two, with the keys of both under it"
	}
	return Problem{Key: fmt.Sprintf("line %d", n), Msg: fmt.Sprintf("YAML syntax error: %s in %s: %s", oneLine(m[2]), quoteLine(lines[n-1]), fix)}
}

func splitLines(text []byte) []string {
	return strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// syntaxProblem explains a syntax error found at line (from 1) of lines:
// the line to fix, quoted, and what to do.
func syntaxProblem(lines []string, line int, msg string) Problem {
	line = min(max(line, 1), len(lines))
	at := func(n int) string { return fmt.Sprintf("line %d", n) }
	if ws := leading(lines[line-1]); strings.Contains(ws, "\t") || strings.Contains(msg, "tab character") {
		return Problem{Key: at(line), Msg: fmt.Sprintf("YAML syntax error: %s is indented with a tab: indent with spaces only (YAML does not allow tabs there)", quoteLine(lines[line-1]))}
	}
	if n, q := unclosed(lines[:line]); n > 0 {
		closer := map[byte]string{'"': `"`, '\'': "'", '[': "]", '{': "}"}[q]
		return Problem{Key: at(n), Msg: fmt.Sprintf("YAML syntax error: the %c opened in %s is never closed: end it with %s on that line", q, quoteLine(lines[n-1]), closer)}
	}
	if len(lines) <= maxRepairLines {
		if n, indent, like := reindent(lines, line); n > 0 {
			msg := fmt.Sprintf("YAML syntax error: %s is %s: %s", quoteLine(lines[n-1]), indented(len(leading(lines[n-1]))), indentBy(indent))
			if like > 0 {
				msg += fmt.Sprintf(", like line %d", like)
			}
			if strings.HasPrefix(strings.TrimSpace(lines[n-1]), "- ") {
				return Problem{Key: at(n), Msg: msg + " (the items of one list line up)"}
			}
			return Problem{Key: at(n), Msg: msg + " (the keys of one section line up)"}
		}
	}
	fix := "check the indentation and quoting on that line"
	if strings.Contains(msg, "mapping values are not allowed") {
		fix = `a value holding ": " must be quoted, like name: "Status: Apollo"; else check the indentation`
	}
	return Problem{Key: at(line), Msg: fmt.Sprintf("YAML syntax error: %s in %s: %s", msg, quoteLine(lines[line-1]), fix)}
}

// reindent finds the line, at or above the line where the parser stopped,
// whose indentation alone keeps the file from parsing: it returns that
// line's number, the indentation that makes the file parse, and a nearby
// line indented so; 0 when no single re-indented line helps.
//
// Often more than one line would do (in a section of two keys, either can
// be moved to line up with the other), so every fix is scored: one that
// leaves only keys leadup knows beats one that makes a key of another
// section; one that indents the line a step (the file's smallest indent)
// deeper than its parent beats an odd amount; then the nearer line wins.
func reindent(lines []string, stop int) (n, indent, like int) {
	var widths []int // every indentation in use, smallest first
	uses := map[int]int{}
	for _, l := range lines {
		if content(l) {
			if uses[len(leading(l))]++; uses[len(leading(l))] == 1 {
				widths = append(widths, len(leading(l)))
			}
		}
	}
	slices.Sort(widths)
	step := 2 // the smallest indentation of more than the odd line
	for _, w := range widths {
		if w > 0 && uses[w] > 1 {
			step = w
			break
		}
	}
	best, bestScore := 0, -1
	try := make([]string, len(lines))
	for c := stop; c >= 1; c-- {
		if !content(lines[c-1]) {
			continue
		}
		body := strings.TrimLeft(lines[c-1], " \t")
		cur := len(leading(lines[c-1]))
		for _, w := range widths {
			if w == cur {
				continue
			}
			copy(try, lines)
			try[c-1] = strings.Repeat(" ", w) + body
			var data map[string]any
			if yaml4.Unmarshal([]byte(strings.Join(try, "\n")), &data) != nil {
				continue
			}
			score := 0
			if len(unknownKeys(data, reflect.TypeOf(raw{}), "")) == 0 {
				score += 2
			}
			if p := parentIndent(try, c); (p < 0 && w == 0) || w == p+step {
				score++
			}
			if score > bestScore {
				best, bestScore, n, indent = c, score, c, w
			}
		}
	}
	if best == 0 {
		return 0, 0, 0
	}
	return n, indent, nearestIndented(lines, n, indent)
}

// parentIndent is the indentation of the nearest content line above line
// c indented less than it, -1 at the top level.
func parentIndent(lines []string, c int) int {
	w := len(leading(lines[c-1]))
	for i := c - 1; i >= 1; i-- {
		if content(lines[i-1]) && len(leading(lines[i-1])) < w {
			return len(leading(lines[i-1]))
		}
	}
	return -1
}

// nearestIndented is the number of the content line nearest to line c
// indented w spaces within c's block (not past a line indented less), 0
// when there is none.
func nearestIndented(lines []string, c, w int) int {
	open := [2]bool{true, true} // still inside the block upwards, downwards
	for d := 1; d < len(lines) && (open[0] || open[1]); d++ {
		for k, i := range []int{c - d, c + d} {
			if !open[k] || i < 1 || i > len(lines) || !content(lines[i-1]) {
				continue
			}
			switch iw := len(leading(lines[i-1])); {
			case iw == w:
				return i
			case iw < w:
				open[k] = false
			}
		}
	}
	return 0
}

// unclosed returns the first of lines that opens a quoted value or a flow
// list or map ([a, b], {k: v}) and does not close it on the same line, and
// the opening character. YAML lets a quoted value run on over several
// lines, but in a config file that is a missing quote.
func unclosed(lines []string) (int, byte) {
	for i, l := range lines {
		if !content(l) {
			continue
		}
		if q := openAtEnd(l); q != 0 {
			return i + 1, q
		}
	}
	return 0, 0
}

// openAtEnd scans one line and returns the quote or bracket still open at
// its end, 0 if none. A quote opens a value only where a value starts
// (after "key: ", "- ", "[", "{" or ","); anywhere else it is part of a
// plain value, like the apostrophe in "don't".
func openAtEnd(l string) byte {
	var stack []byte
	prev := byte(' ') // the last character that is not a space, outside quotes
	valueStart := func() bool {
		return prev == ' ' || prev == ':' || prev == '-' || prev == '[' || prev == '{' || prev == ','
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			i = len(l) // a comment runs to the end of the line
			continue
		case (c == '"' || c == '\'') && valueStart() && (prev != ':' || (i > 0 && l[i-1] == ' ')):
			j := closeQuote(l, i)
			if j < 0 {
				return c
			}
			i, prev = j, c
			continue
		case c == '[' || c == '{':
			if valueStart() {
				stack = append(stack, c)
			}
		case (c == ']' || c == '}') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
		if c != ' ' && c != '\t' {
			prev = c
		}
	}
	if len(stack) > 0 {
		return stack[len(stack)-1]
	}
	return 0
}

// closeQuote returns the index of the quote closing the one at l[i], or -1.
// A double-quoted value escapes with a backslash, a single-quoted one by
// doubling the quote.
func closeQuote(l string, i int) int {
	q := l[i]
	for j := i + 1; j < len(l); j++ {
		switch {
		case q == '"' && l[j] == '\\':
			j++
		case l[j] == q && q == '\'' && j+1 < len(l) && l[j+1] == '\'':
			j++
		case l[j] == q:
			return j
		}
	}
	return -1
}

// content reports whether l holds YAML, not only space or a comment.
func content(l string) bool {
	t := strings.TrimSpace(l)
	return t != "" && !strings.HasPrefix(t, "#")
}

func leading(l string) string { return l[:len(l)-len(strings.TrimLeft(l, " \t"))] }

func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return strconv.Itoa(n) + " spaces"
}

func indented(n int) string {
	if n == 0 {
		return "not indented"
	}
	return "indented " + spaces(n)
}

func indentBy(n int) string {
	if n == 0 {
		return "start it at the left margin"
	}
	return "indent it " + spaces(n)
}

// quoteLine quotes a line for a message: without a trailing comment, cut
// when long, with tabs and quotes visible.
func quoteLine(l string) string {
	if i := commentStart(l); i >= 0 && strings.TrimSpace(l[:i]) != "" {
		l = l[:i]
	} else if loc := spacedComment.FindStringIndex(l); i < 0 && loc != nil {
		l = l[:loc[0]] // after a quote never closed: cut at a spaced-out comment
	}
	l = strings.TrimRight(l, " \t\r")
	if r := []rune(l); len(r) > 72 {
		l = string(r[:71]) + "…"
	}
	return strconv.Quote(l)
}

// commentStart is the index of the "#" starting a comment on l, outside
// quotes, or -1.
func commentStart(l string) int {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i == 0 || strings.ContainsRune(" :-[{,", rune(l[i-1])) {
				quote = c
			}
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return i
		}
	}
	return -1
}
