// Command leadup keeps the people who shape your career informed: it reads
// your mailbox (never changing it), reminds you to check in with your boss
// and stakeholders, and drafts your weekly update. See README.md.
//
// This package only parses flags and wires the parts together; the work is
// in package daemon and its leaves.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/leadup/leadup/daemon/config"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	defer startProfiles(stderr)()
	g := &globals{}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, errorText(err))
	var ue *usageError
	switch {
	case !g.started, errors.As(err, &ue), config.IsConfigError(err):
		// Cobra rejected the command line before running it, or the
		// config is invalid: the user must change something.
		return exitUsage
	}
	return exitFailure
}

// usageError is a bad command line found by a command itself.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func errorText(err error) string {
	if config.IsConfigError(err) {
		return err.Error() // already one line per problem, each naming its key
	}
	return "leadup: " + err.Error()
}
