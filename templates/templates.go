// Package templates holds leadup's mail templates (reminder and digest, text
// and HTML), embedded in the binary. A user overrides any of them by putting
// a file of the same name in the config's templates_dir.
package templates

import (
	"embed"
	"errors"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	texttemplate "text/template"
)

// FS holds the embedded default templates.
//
//go:embed *.tmpl
var FS embed.FS

// read returns the named template's source: from overrideDir when it holds a
// file of that name, else the embedded default.
func read(name, overrideDir string) ([]byte, error) {
	if overrideDir != "" {
		b, err := os.ReadFile(filepath.Join(overrideDir, name))
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return FS.ReadFile(name)
}

// Text parses the named text template (e.g. "reminder.txt.tmpl") with funcs.
func Text(name, overrideDir string, funcs texttemplate.FuncMap) (*texttemplate.Template, error) {
	src, err := read(name, overrideDir)
	if err != nil {
		return nil, err
	}
	return texttemplate.New(name).Funcs(funcs).Parse(string(src))
}

// HTML parses the named HTML template (e.g. "reminder.html.tmpl") with funcs.
// html/template escapes every value, so untrusted mail text is safe in it.
func HTML(name, overrideDir string, funcs htmltemplate.FuncMap) (*htmltemplate.Template, error) {
	src, err := read(name, overrideDir)
	if err != nil {
		return nil, err
	}
	return htmltemplate.New(name).Funcs(funcs).Parse(string(src))
}
