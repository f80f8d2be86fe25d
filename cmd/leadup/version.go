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
		Short: "Print the version and build info (as leadup --version does)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprint(g.stdout, versionText())
			return nil
		},
	}
}

// versionText is what `leadup version` and `leadup --version` print: the
// version, the commit it was built from and the Go toolchain.
func versionText() string {
	commit, modified, when := "unknown", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
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
	return fmt.Sprintf("leadup %s\ncommit %s%s%s\n%s %s/%s\n", versionNumber(), commit, modified, when, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// versionNumber is the version set at build time, else the module version
// `go install …@v1.2.3` records, else "dev".
func versionNumber() string {
	if bi, ok := debug.ReadBuildInfo(); ok && version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}
