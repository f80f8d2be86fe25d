package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/leadup/leadup/daemon/mailbox"
)

// isTerminal says whether w is a terminal (not a pipe, a file or the
// journal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// syncProgress shows how a long sync goes: on a terminal a bar per folder
// (github.com/schollz/progressbar), elsewhere (the journal) a log line
// every few seconds. A folder read in a moment shows nothing.
type syncProgress struct {
	bars  io.Writer    // where bars go; nil: log lines instead
	log   *slog.Logger // for the log lines
	every time.Duration
	// minBar is how many messages a folder must have for a bar.
	minBar int
	now    func() time.Time // real time: it paces output, not logic

	mu      sync.Mutex
	folder  string
	bar     *progressbar.ProgressBar
	started time.Time
	last    time.Time // of the last log line, zero if none for this folder
}

// newSyncProgress reports on stderr: bars when it is a terminal, else log
// lines every five seconds.
func newSyncProgress(stderr io.Writer, log *slog.Logger) *syncProgress {
	p := &syncProgress{log: log, every: 5 * time.Second, minBar: 200, now: time.Now}
	if isTerminal(stderr) {
		p.bars = stderr
	}
	return p
}

// watch returns ctx with p as the progress of every sync under it.
func (p *syncProgress) watch(ctx context.Context) context.Context {
	return mailbox.WithProgress(ctx, p.report)
}

func (p *syncProgress) report(folder string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if folder != p.folder {
		p.endLocked()
		p.folder, p.started, p.last = folder, now, time.Time{}
	}
	if p.bars != nil {
		p.barLocked(done, total)
		return
	}
	if done >= total {
		if !p.last.IsZero() {
			p.log.Info("read the folder", "folder", folder, "messages", done, "took", now.Sub(p.started).Round(time.Second))
		}
		p.folder = ""
		return
	}
	since := p.last
	if since.IsZero() {
		since = p.started
	}
	if now.Sub(since) >= p.every {
		p.log.Info("reading the mailbox", "folder", folder, "done", done, "of", total)
		p.last = now
	}
}

func (p *syncProgress) barLocked(done, total int) {
	if p.bar == nil {
		if total < p.minBar || done >= total {
			return
		}
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.bars),
			progressbar.OptionSetDescription("reading "+p.folder),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	if int64(total) != p.bar.GetMax64() {
		p.bar.ChangeMax(total)
	}
	_ = p.bar.Set(done)
	if done >= total {
		p.endLocked()
	}
}

func (p *syncProgress) endLocked() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
