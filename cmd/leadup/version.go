package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and build info",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			commit, modified, when := "unknown", "", ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				if version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
					version = bi.Main.Version
				}
				for _, s := range bi.Settings {
					switch s.Key {
					case "vcs.revision":
						commit = s.Value
					case "vcs.modified":
						if s.Value == "true" {
							modified = " (modified)"
						}
					case "vcs.time":
						when = " " + s.Value
					}
				}
			}
			fmt.Fprintf(g.stdout, "leadup %s\ncommit %s%s%s\n%s %s/%s\n", version, commit, modified, when, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
