package main

import (
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon"
	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/config"
)

// globals are the flags every command shares.
type globals struct {
	configPath string
	now        string
	logLevel   string
	logFormat  string

	started bool // set once cobra has accepted the command line
	clock   clock.Clock
	logger  *slog.Logger
	stdout  io.Writer
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:           "leadup",
		Short:         "Keep your boss and stakeholders informed, early and often",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			g.started = true
			return g.setup(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "config file (default $LEADUP_CONFIG, then $XDG_CONFIG_HOME/leadup/config.yaml)")
	pf.StringVar(&g.now, "now", "", "act as if it were this time (RFC 3339), for previews and what-ifs")
	pf.StringVar(&g.logLevel, "log-level", "info", "debug, info, warn or error")
	pf.StringVar(&g.logFormat, "log-format", "text", "text or json")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usagef("%v (see leadup %s --help)", err, c.Name()) })
	root.AddCommand(newVersionCmd(g), newCheckCmd(g), newCheckinCmd(g), newRunCmd(g), newStatusCmd(g), newDigestCmd(g), newInspectCmd(g), newDemoCmd(g))
	return root
}

func (g *globals) setup(cmd *cobra.Command) error {
	g.stdout = cmd.OutOrStdout()
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return usagef("--log-level %q: use debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(g.logFormat) {
	case "text":
		g.logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), opts))
	case "json":
		g.logger = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), opts))
	default:
		return usagef("--log-format %q: use text or json", g.logFormat)
	}
	g.clock = clock.Real{}
	if g.now != "" {
		t, err := time.Parse(time.RFC3339, g.now)
		if err != nil {
			return usagef("--now %q is not an RFC 3339 time: write it like 2026-11-23T09:30:00+01:00", g.now)
		}
		// Commands that run once see exactly --now; the daemon starts there
		// and lets time pass.
		if cmd.Name() == "run" {
			g.clock = clock.StartingAt(t)
		} else {
			g.clock = clock.At(t)
		}
	}
	return nil
}

// loadConfig loads and validates the config and logs its warnings.
func (g *globals) loadConfig() (*config.Config, error) {
	path := g.configPath
	if path == "" {
		path = config.DefaultPath()
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		g.logger.Warn(w)
	}
	return cfg, nil
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("leadup %s takes no arguments, got %q", cmd.Name(), strings.Join(args, " "))
	}
	return nil
}

// openApp loads the config and opens the state: what every command that
// reads or records state starts with. The caller closes the App.
func (g *globals) openApp(cmd *cobra.Command) (*daemon.App, *config.Config, error) {
	cfg, err := g.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	app, err := daemon.Open(cmd.Context(), cfg, g.logger, g.clock)
	if err != nil {
		return nil, nil, err
	}
	return app, cfg, nil
}
