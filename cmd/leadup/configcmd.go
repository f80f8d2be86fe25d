package main

import (
	_ "embed"
	"fmt"

	"github.com/spf13/cobra"
)

// exampleConfig is the repository's config.yaml. go:embed cannot reach
// above this package's directory and the top level holds no Go package,
// so a copy lives here; TestConfigExampleIsTheRepoExample fails when the
// two differ.
//
//go:embed config.example.yaml
var exampleConfig string

func newConfigCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Work with the config file (see 'leadup config example')",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("leadup config has no command %q: use leadup config example", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "example",
		Short: "Print the complete, commented example config",
		Long: `Print the complete, commented example config, every key with its default,
to start your own from:

  mkdir -p ~/.config/leadup
  leadup config example > ~/.config/leadup/config.yaml
  chmod 600 ~/.config/leadup/config.yaml
  $EDITOR ~/.config/leadup/config.yaml
  leadup check --connect`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprint(g.stdout, exampleConfig)
			return err
		},
	})
	return cmd
}
