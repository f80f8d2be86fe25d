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
	verbose    int

	started bool // set once cobra has accepted the command line
	clock   clock.Clock
	logger  *slog.Logger
	stdout  io.Writer
	// tty says whether a writer is a terminal (tests replace it).
	tty func(io.Writer) bool
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "leadup",
		Short: "Keep your boss and stakeholders informed, early and often",
		Long: `leadup reads your mailbox (never changing it), reminds you to check in with
your boss and stakeholders, and drafts your weekly update.

Start with 'leadup demo', then 'leadup config example' for a config to edit,
'leadup check --connect' to try it, and 'leadup run' to keep it running.

Commands print their results on stdout. Log lines go to stderr: 'run' logs
what it does (info and above; on a terminal 'run --once' and 'run --dry-run'
only warnings, and end with a summary); the other commands only warnings and
errors, more with -v (info) or -vv (debug), or any level with --log-level.

--now makes leadup act as if it were that time, and it still acts for real:
mail goes out and is recorded. To try leadup safely, 'leadup run --once
--dry-run' sends, saves and records nothing; 'leadup remind' and 'leadup
digest' show the reminder and the digest without sending them.`,
		Version:       versionText(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			g.started = true
			return g.setup(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "config file (default $LEADUP_CONFIG, then $XDG_CONFIG_HOME/leadup/config.yaml)")
	pf.StringVar(&g.now, "now", "", "act as if it were this time (RFC 3339); leadup still acts for real (run --dry-run sends nothing)")
	pf.StringVar(&g.logLevel, "log-level", "", "debug, info, warn or error (default: info for run, warn for the other commands)")
	pf.CountVarP(&g.verbose, "verbose", "v", "log more on stderr: -v info, -vv debug (run logs info already: -v gives debug)")
	pf.StringVar(&g.logFormat, "log-format", "text", "text or json")
	root.SetVersionTemplate("{{.Version}}")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usagef("%v (see leadup %s --help)", err, c.Name()) })
	root.AddCommand(newVersionCmd(g), newConfigCmd(g), newCheckCmd(g), newCheckinCmd(g), newRunCmd(g), newStatusCmd(g), newRemindCmd(g), newOutboxCmd(g), newDigestCmd(g), newInspectCmd(g), newDemoCmd(g), newManCmd(root))
	return root
}

// logLevelFor is the level a command logs at: --log-level when given, else
// info for the daemon (run), whose log is its output, and warn for the
// commands a person runs to see a result on stdout, so that log lines do
// not crowd it: among them run --once and run --dry-run on a terminal,
// which end with a summary. Each -v is one level more.
func (g *globals) logLevelFor(cmd *cobra.Command) (slog.Level, error) {
	var level slog.Level
	if cmd.Flags().Changed("log-level") {
		if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
			return 0, usagef("--log-level %q: use debug, info, warn or error", g.logLevel)
		}
		return level, nil
	}
	level = slog.LevelWarn
	if cmd.Name() == "run" {
		level = slog.LevelInfo
		once, _ := cmd.Flags().GetBool("once")
		dry, _ := cmd.Flags().GetBool("dry-run")
		if (once || dry) && g.tty(cmd.ErrOrStderr()) {
			level = slog.LevelWarn
		}
	}
	return max(level-slog.Level(4*g.verbose), slog.LevelDebug), nil
}

func (g *globals) setup(cmd *cobra.Command) error {
	g.stdout = cmd.OutOrStdout()
	if g.tty == nil {
		g.tty = isTerminal
	}
	level, err := g.logLevelFor(cmd)
	if err != nil {
		return err
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
