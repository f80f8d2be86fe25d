package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/agnivade/levenshtein"
	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// Load reads, decodes and validates the config file at path. Every problem
// found is returned at once in an *Error. Load does not resolve secrets: see
// ResolveSecrets.
func Load(path string) (*Config, error) { return load(path, os.ReadFile) }

// load is Load reading the file with readFile, so a test can meet a read
// error that root, who runs the tests, never gets from the system.
func load(path string, readFile func(string) ([]byte, error)) (*Config, error) {
	fail := func(p Problem) error { return &Error{File: path, Problems: []Problem{p}} }
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrPermission) {
		return nil, fail(Problem{Msg: "permission denied on a directory above it: let this user search every directory in the path (chmod +x)"})
	}
	if err == nil && st.IsDir() {
		err = syscall.EISDIR
	}
	var text []byte
	if err == nil {
		// Read here, not by viper, which would report a read error as
		// a YAML one.
		text, err = readFile(path)
	}
	if err != nil {
		return nil, fail(Problem{Msg: readProblem(path, err)})
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if p, bad := parseCheck(text); bad {
		return nil, fail(p)
	}
	if err := v.ReadConfig(bytes.NewReader(text)); err != nil {
		return nil, fail(v3Problem(text, err))
	}
	var problems []Problem
	problems = append(problems, unknownKeys(v.AllSettings(), reflect.TypeOf(raw{}), "")...)

	var r raw
	decodeErr := v.Unmarshal(&r, func(dc *mapstructure.DecoderConfig) {
		dc.DecodeHook = mapstructure.ComposeDecodeHookFunc(dateToString, dc.DecodeHook)
	})
	problems = append(problems, decodeProblems(decodeErr)...)
	cfg, vp := validate(&r, path, st.Mode().Perm())
	problems = append(problems, vp...)
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Key < problems[j].Key })
		return nil, &Error{File: path, Problems: dedupe(problems)}
	}
	return cfg, nil
}

// readProblem says why the config file could not be read and what to do.
func readProblem(path string, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("no such file: pass --config FILE, set $LEADUP_CONFIG, or start from the example: mkdir -p %s && leadup config example > %s", filepath.Dir(path), path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("permission denied: make it readable by this user (chmod 600 %s, and chown it if another user owns it)", path)
	case errors.Is(err, syscall.EISDIR):
		return "is a directory: pass the config file itself with --config FILE"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of the path is a file, not a directory: pass the config file's path with --config FILE"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is already at the start of the line
	}
	return fmt.Sprintf("cannot read: %v", err)
}

// dateToString lets holidays and away dates be written unquoted: YAML reads
// 2026-12-24 as a timestamp.
func dateToString(from, to reflect.Type, data any) (any, error) {
	if to.Kind() != reflect.String {
		return data, nil
	}
	if t, ok := data.(time.Time); ok {
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
			return t.Format(time.DateOnly), nil
		}
		return t.Format(time.RFC3339), nil
	}
	return data, nil
}

var decodeErrRe = regexp.MustCompile(`^'([^']*)' (.*)$`)

// decodeProblems splits mapstructure's joined error into one problem per key.
func decodeProblems(err error) []Problem {
	if err == nil {
		return nil
	}
	var out []Problem
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		m := decodeErrRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key, what := m[1], m[2]
		if strings.Contains(what, "has invalid keys") {
			continue // reported by unknownKeys with a suggestion
		}
		out = append(out, Problem{Key: key, Msg: typeHint(what)})
	}
	if len(out) == 0 && !strings.Contains(err.Error(), "has invalid keys") {
		out = append(out, Problem{Msg: "cannot decode: " + strings.ReplaceAll(err.Error(), "\n", " ")})
	}
	return out
}

func typeHint(what string) string {
	switch {
	case strings.Contains(what, "as 'int'"):
		return "wrong type: want a whole number, like 993"
	case strings.Contains(what, "expected a map") || strings.Contains(what, "expected type 'config.raw"):
		return "wrong type: want a section of keys (key: value lines indented under it)"
	case strings.Contains(what, "source data must be an array or slice"), strings.Contains(what, "expected type '[]"):
		return "wrong type: want a list, like [a, b] or lines starting with \"- \""
	case strings.Contains(what, "expected type 'string'"):
		return "wrong type: want a single value (text), not a list or section"
	}
	return "wrong type: " + what
}

// unknownKeys walks the decoded YAML against the raw struct's keys and
// reports each key leadup does not know, suggesting the nearest valid one.
func unknownKeys(data any, t reflect.Type, path string) []Problem {
	var out []Problem
	switch t.Kind() {
	case reflect.Struct:
		m, ok := data.(map[string]any)
		if !ok {
			return nil // a type problem, reported by decode
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			tag := t.Field(i).Tag.Get("mapstructure")
			fields[tag] = t.Field(i).Type
			names = append(names, tag)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			full := join(path, k)
			if !ok {
				msg := "unknown key"
				if s := nearest(k, names); s != "" {
					msg += fmt.Sprintf(": did you mean %q?", s)
				} else {
					msg += ": remove it (valid keys here: " + strings.Join(names, ", ") + ")"
				}
				out = append(out, Problem{Key: full, Msg: msg})
				continue
			}
			out = append(out, unknownKeys(m[k], ft, full)...)
		}
	case reflect.Slice:
		if l, ok := data.([]any); ok {
			for i, e := range l {
				out = append(out, unknownKeys(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return out
}

// nearest returns the candidate closest to k when it is close enough to be
// a plausible typo.
func nearest(k string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(k, c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len(k)/3)
	if bestD <= limit {
		return best
	}
	for _, c := range candidates {
		if strings.Contains(c, k) || strings.Contains(k, c) {
			return c
		}
	}
	return ""
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func dedupe(ps []Problem) []Problem {
	seen := map[string]bool{}
	var out []Problem
	for _, p := range ps {
		if seen[p.String()] {
			continue
		}
		seen[p.String()] = true
		out = append(out, p)
	}
	return out
}
