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
		Long: `Record that you updated a stakeholder outside email. NAME is, case-insensitive,
the stakeholder's name or email, a role (boss, skip, peer, other) that one
stakeholder has, or a first name that only one stakeholder has:

  leadup checkin boss --note "1:1 on Apollo"
  leadup checkin dana
  leadup checkin "Raj Patel"`,
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
			st, err := findStakeholder(cfg, args[0])
			if err != nil {
				return err
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

// findStakeholder resolves what a person types for a stakeholder: the
// name or email, else a role, else a first name; a role or a first name
// that several stakeholders share is refused, listing them.
func findStakeholder(cfg *config.Config, arg string) (*config.Stakeholder, error) {
	arg = strings.TrimSpace(arg)
	if st, ok := cfg.Stakeholder(arg); ok {
		return st, nil
	}
	for _, match := range []struct {
		what string
		ok   func(config.Stakeholder) bool
	}{
		{"the role " + strconv.Quote(strings.ToLower(arg)), func(s config.Stakeholder) bool { return strings.EqualFold(s.Role, arg) }},
		{"the first name " + strconv.Quote(arg), func(s config.Stakeholder) bool {
			first, _, _ := strings.Cut(strings.TrimSpace(s.Name), " ")
			return strings.EqualFold(first, arg)
		}},
	} {
		var found []*config.Stakeholder
		for i := range cfg.Stakeholders {
			if match.ok(cfg.Stakeholders[i]) {
				found = append(found, &cfg.Stakeholders[i])
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		}
		return nil, usagef("%s matches %d stakeholders: %s; give the full name or the email", match.what, len(found), stakeholderNames(found))
	}
	all := make([]*config.Stakeholder, len(cfg.Stakeholders))
	for i := range cfg.Stakeholders {
		all[i] = &cfg.Stakeholders[i]
	}
	return nil, usagef("%q is not a stakeholder in %s: use a name, email, role or first name of %s", arg, cfg.File, stakeholderNames(all))
}

func stakeholderNames(sts []*config.Stakeholder) string {
	names := make([]string, len(sts))
	for i, s := range sts {
		names[i] = strconv.Quote(s.Name)
	}
	return strings.Join(names, ", ")
}
