package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes a man page per command, generated from the commands'
// help by cobra/doc, for packagers: `leadup man /usr/share/man/man1`.
// Hidden: a user reads `leadup help` or the installed pages.
func newManCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write the man pages (leadup.1, leadup-run.1, …) into DIR",
		Long:   "Write a man page for leadup and each of its commands into DIR, created if needed. $SOURCE_DATE_EPOCH, when set, dates the pages, for reproducible builds.",
		Hidden: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("leadup man needs the directory to write the pages to, like: leadup man ./man")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			date := time.Now()
			if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
				sec, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return usagef("$SOURCE_DATE_EPOCH %q is not a number of seconds", s)
				}
				date = time.Unix(sec, 0).UTC()
			}
			root.DisableAutoGenTag = true // no generation date in the pages' text
			header := &doc.GenManHeader{Title: "LEADUP", Section: "1", Date: &date, Source: "leadup " + versionNumber(), Manual: "leadup manual"}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return fmt.Errorf("write the man pages: %w", err)
			}
			return nil
		},
	}
}
