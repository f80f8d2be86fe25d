package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/config"
)

func newCheckinCmd(g *globals) *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:   "checkin NAME [--note TEXT]",
		Short: "Record an update given outside email (a 1:1, a call)",
		Long:  "Record that you updated a stakeholder outside email. NAME is the stakeholder's name or email, case-insensitive.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("leadup checkin needs one stakeholder NAME (quote names with spaces: leadup checkin \"Jane Smith\")")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.loadConfig()
			if err != nil {
				return err
			}
			st, ok := cfg.Stakeholder(args[0])
			if !ok {
				return usagef("%q is not a stakeholder in %s: use one of %s", args[0], cfg.File, stakeholderNames(cfg))
			}
			app, err := daemon.Open(cmd.Context(), cfg, g.logger, g.clock)
			if err != nil {
				return err
			}
			defer app.Close()
			if err := app.Checkin(cmd.Context(), *st, note); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "recorded an update to %s <%s> at %s\n", st.Name, st.Email, g.clock.Now().In(cfg.Location).Format("Mon 2 Jan 2006 15:04"))
			return nil
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "what you covered, kept with the record")
	return cmd
}

func stakeholderNames(cfg *config.Config) string {
	names := make([]string, len(cfg.Stakeholders))
	for i, s := range cfg.Stakeholders {
		names[i] = strconv.Quote(s.Name)
	}
	return strings.Join(names, ", ")
}
