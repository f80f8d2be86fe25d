package mailbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

// SyncOptions say what to read.
type SyncOptions struct {
	Folders []Folder
	// KeepInbox decides which Inbox messages are worth keeping: mail from
	// stakeholders and replies to leadup's own mail. Nil keeps everything.
	KeepInbox func(*message.Message) bool
	// Now is the current time, given to the parser (return dates of
	// out-of-office replies are relative to it).
	Now time.Time
	// FirstSyncSince, when set, limits a folder's first sync to mail since
	// that day (IMAP SINCE is date-only). Later syncs read everything new.
	FirstSyncSince time.Time
	// ParseOptions are passed to message.Parse.
	ParseOptions message.Options
	// RetryUntil, when set, is the cycle's deadline: a connection that
	// breaks after it is not redialled, so a server that keeps stalling
	// costs a bounded time and the next cycle tries again. A sync that
	// keeps making progress without breaking is never cut short.
	RetryUntil time.Time
	// Progress, when set, is called as each message of a folder is
	// handled: done of about total messages to read in that call (total
	// comes from EXAMINE or the first sync's SEARCH, so it may be a little
	// high), and once more with done == total when the folder is read. It
	// runs on the collector's goroutine: it must return quickly. When nil,
	// the one WithProgress put in the context is used.
	Progress func(folder string, done, total int)

	// parse replaces message.Parse in benchmarks that measure the
	// transport alone.
	parse func(io.Reader, message.Options) (*message.Message, error)
}

var errClosed = errors.New("imap connection is closed")

// Sync dials, reads what is new in every folder into st, and logs out. See
// (*Client).Sync.
func Sync(ctx context.Context, opt Options, st *store.Store, so SyncOptions) (Stats, error) {
	c, err := Dial(ctx, opt)
	if err != nil {
		return Stats{}, err
	}
	defer c.Close()
	return c.Sync(ctx, st, so)
}

// Sync reads what is new in every folder into st.
//
// Per folder it costs one EXAMINE when nothing is new (UIDNEXT-1 is not
// past the stored cursor). Otherwise it streams UID FETCH cursor+1:* and
// stores the messages in batches, advancing the cursor with each batch, so
// a crash or a dropped connection resumes where it stopped. A changed
// UIDVALIDITY forgets the folder and reads it again. A dropped connection
// is redialled with backoff; a message that broke the connection three times
// is skipped and logged. A folder that fails for another reason (it was
// deleted) does not stop the others; its error is returned, joined with
// any other, once every folder was tried.
func (c *Client) Sync(ctx context.Context, st *store.Store, so SyncOptions) (stats Stats, err error) {
	start := c.rt.Load()
	defer func() { stats.RoundTrips = int(c.rt.Load() - start) }()
	if so.Progress == nil {
		so.Progress = progressFrom(ctx)
	}

	bo := c.opt.Backoff
	breaks := map[breakKey]int{}
	var errs []error
	for _, f := range so.Folders {
		failures := 0
		careful := false
		for {
			progress, err := c.syncFolder(ctx, st, so, f, careful, &stats)
			if err == nil {
				bo.Reset()
				if careful {
					// The suspect was read: back to full speed, and the
					// breaks before it were not the server's fault.
					careful, failures = false, 0
					continue
				}
				break
			}
			if ctx.Err() != nil {
				return stats, ctx.Err()
			}
			var be *brokenError
			if !errors.As(err, &be) {
				// The server answered, but no: not something a redial fixes.
				c.opt.Logger.Warn("imap folder not synced", "folder", f.Name, "err", err)
				errs = append(errs, fmt.Errorf("sync %q: %w", f.Name, err))
				break
			}
			if progress {
				failures = 0
				bo.Reset()
			}
			if be.uid != 0 {
				k := breakKey{f.Name, be.validity, be.uid}
				breaks[k]++
				// Three breaks at one message: a cut that happened to land
				// on it twice on a flaky link is read on the third try; a
				// message that kills the connection every time is not.
				if breaks[k] >= poisonBreaks {
					c.opt.Logger.Warn("skipping a message that keeps breaking the imap connection",
						"folder", f.Name, "uid", be.uid, "err", be.err)
					if err := skipUID(ctx, st, f.Name, be.validity, be.uid); err != nil {
						return stats, err
					}
					stats.Skipped++
					failures = 0
					progress = true
				}
			}
			if !progress {
				failures++
				// Broke before naming a message: next time read one message
				// alone, so a second break names the culprit.
				careful = careful || be.uid == 0
			}
			if failures > c.opt.Retries {
				return stats, fmt.Errorf("sync %q: giving up after %d failed reconnections: %w", f.Name, failures-1, be.err)
			}
			if !so.RetryUntil.IsZero() && time.Now().After(so.RetryUntil) {
				return stats, fmt.Errorf("sync %q: giving up at the cycle's deadline; what was read is kept and the next cycle resumes: %w", f.Name, be.err)
			}
			if err := c.redial(ctx, &bo, &stats, so.RetryUntil); err != nil {
				return stats, err
			}
		}
	}
	return stats, errors.Join(errs...)
}

// poisonBreaks is how many times a message must break the connection
// before it is skipped.
const poisonBreaks = 3

type breakKey struct {
	folder   string
	validity uint32
	uid      uint32
}

// brokenError is a connection that broke (timed out, dropped, or a
// response go-imap could not parse); uid is the message being read then.
type brokenError struct {
	uid, validity uint32
	err           error
}

func (e *brokenError) Error() string { return e.err.Error() }
func (e *brokenError) Unwrap() error { return e.err }

// classify tells a server's refusal (NO, BAD) from a broken connection.
func classify(err error, uid, validity uint32) error {
	if err == nil {
		return nil
	}
	var ie *imap.Error
	if errors.As(err, &ie) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &brokenError{uid: uid, validity: validity, err: err}
}

// redial reconnects, waiting per bo first; dial failures are retried too,
// until the deadline until (when set).
func (c *Client) redial(ctx context.Context, bo *backoff.Backoff, stats *Stats, until time.Time) error {
	for i := 0; ; i++ {
		d := bo.Next()
		if !until.IsZero() {
			left := time.Until(until)
			if left <= 0 {
				return errors.New("reconnect to imap: giving up at the cycle's deadline")
			}
			d = min(d, left)
		}
		c.opt.Logger.Info("reconnecting to imap", "in", d, "attempt", bo.Attempts())
		if err := backoff.Sleep(ctx, d); err != nil {
			return err
		}
		err := c.dial(ctx)
		if err == nil {
			stats.Redials++
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ie *imap.Error
		if errors.As(err, &ie) {
			return err // the server refused the login: retrying will not help
		}
		if i >= c.opt.Retries {
			return fmt.Errorf("reconnect to imap: %w", err)
		}
		c.opt.Logger.Warn("imap reconnect failed", "err", err)
	}
}

// skipUID moves the cursor past uid without storing it.
func skipUID(ctx context.Context, st *store.Store, folder string, validity, uid uint32) error {
	cur, known, err := st.Cursor(ctx, folder)
	if err != nil {
		return err
	}
	if !known {
		// Nothing of the folder is stored yet: the skip starts its cursor.
		cur.UIDValidity = validity
	}
	if cur.UIDValidity != validity {
		return nil // the folder changed under us: it will be read again
	}
	cur.LastUID = max(cur.LastUID, uid)
	_, err = st.SaveMessages(ctx, cur, nil)
	return err
}

// syncFolder reads one folder. progress says whether the cursor moved.
// careful reads only the next message, to find one that breaks the
// connection before the server has sent its UID.
func (c *Client) syncFolder(ctx context.Context, st *store.Store, so SyncOptions, f Folder, careful bool, stats *Stats) (progress bool, err error) {
	if c.imap == nil {
		return false, &brokenError{err: errClosed}
	}
	log := c.opt.Logger.With("folder", f.Name)
	cur, known, err := st.Cursor(ctx, f.Name)
	if err != nil {
		return false, err
	}
	var sel *imap.SelectData
	condstore := c.imap.Caps().Has(imap.CapCondStore)
	err = c.guard(ctx, func(ic *imapclient.Client) error {
		var err error
		sel, err = ic.Select(f.Name, &imap.SelectOptions{ReadOnly: true, CondStore: condstore}).Wait()
		return err
	})
	if err != nil {
		return false, classify(fmt.Errorf("examine: %w", err), 0, 0)
	}
	stats.Folders++
	if known && cur.UIDValidity != sel.UIDValidity {
		log.Info("UIDVALIDITY changed: reading the folder again", "was", cur.UIDValidity, "now", sel.UIDValidity)
		if err := st.ResetFolder(ctx, f.Name); err != nil {
			return false, err
		}
		stats.Resets++
		cur, known = store.Cursor{Folder: f.Name}, false
	}
	cur.UIDValidity = sel.UIDValidity
	cur.HighestModSeq = sel.HighestModSeq
	cur.SyncedAt = so.Now

	// Everything below UIDNEXT exists now, so once it is read the cursor
	// may jump to UIDNEXT-1 even if the last messages were expunged.
	top := uint32(0)
	if sel.UIDNext > 0 {
		top = uint32(sel.UIDNext) - 1
	}
	if sel.NumMessages == 0 || (sel.UIDNext > 0 && top <= cur.LastUID) {
		if !known || top > cur.LastUID {
			cur.LastUID = max(cur.LastUID, top)
			_, err := st.SaveMessages(ctx, cur, nil)
			return err == nil, err
		}
		return false, nil
	}

	// About how many messages are new, for Progress.
	total := int(sel.NumMessages)
	if sel.UIDNext > 0 {
		total = min(total, int(top-cur.LastUID))
	}
	var windows []imap.UIDSet // what to fetch, one FETCH each
	if !known && !so.FirstSyncSince.IsZero() {
		var uids []imap.UID
		err := c.guard(ctx, func(ic *imapclient.Client) error {
			d, err := ic.UIDSearch(&imap.SearchCriteria{Since: so.FirstSyncSince}, nil).Wait()
			if err != nil {
				return err
			}
			uids = d.AllUIDs()
			return nil
		})
		if err != nil {
			return false, classify(fmt.Errorf("search since %s: %w", so.FirstSyncSince.Format(time.DateOnly), err), 0, cur.UIDValidity)
		}
		uids = slices.DeleteFunc(uids, func(u imap.UID) bool { return uint32(u) <= cur.LastUID })
		slices.Sort(uids)
		total = len(uids)
		if len(uids) == 0 {
			cur.LastUID = max(cur.LastUID, top)
			_, err := st.SaveMessages(ctx, cur, nil)
			return err == nil, err
		}
		if careful {
			// Read the first message alone; once it is stored the folder
			// has a cursor and the rest is read from there.
			uids = uids[:1]
		}
		windows = uidWindows(uids, c.opt.FetchWindow)
	} else if careful {
		next, err := c.nextUID(ctx, cur.LastUID)
		if err != nil {
			return false, classify(fmt.Errorf("search next uid: %w", err), 0, cur.UIDValidity)
		}
		if next == 0 {
			return false, nil
		}
		windows = []imap.UIDSet{imap.UIDSetNum(imap.UID(next))}
	} else {
		windows = rangeWindows(cur.LastUID+1, top, c.opt.FetchWindow)
	}

	base := 0 // messages handled in earlier windows, for Progress
	for i, set := range windows {
		wso := so
		if so.Progress != nil {
			last := i == len(windows)-1
			wso.Progress = func(folder string, done, n int) {
				d, t := base+done, base+n
				if !last {
					t = max(t, total) // not read to the end yet
				}
				so.Progress(folder, d, max(t, d))
			}
		}
		var handled int
		p, err := c.fetchInto(ctx, st, wso, f, cur, set, max(total-base, 0), stats, log, &handled)
		progress = progress || p
		if err != nil || careful {
			return progress, err
		}
		base += handled
		if cur, _, err = st.Cursor(ctx, f.Name); err != nil {
			return progress, err
		}
	}
	// Read to the end: jump the cursor to what EXAMINE promised.
	after, _, err := st.Cursor(ctx, f.Name)
	if err != nil {
		return progress, err
	}
	if top > after.LastUID {
		after.LastUID = top
		after.SyncedAt = so.Now
		if _, err := st.SaveMessages(ctx, after, nil); err != nil {
			return progress, err
		}
		progress = true
	}
	return progress, nil
}

// fetchInto streams the set into the store, a batch at a time. The
// messages are parsed on every core while the stream goes on (see
// pipeline); results come back in the order they were read, so the cursor
// only ever moves past messages that are handled.
func (c *Client) fetchInto(ctx context.Context, st *store.Store, so SyncOptions, f Folder, cur store.Cursor,
	set imap.UIDSet, total int, stats *Stats, log *slog.Logger, counted *int) (progress bool, err error) {
	ic := c.imap
	fo := fetchOptions(c.opt.MaxText)
	done := cur.LastUID // highest UID fully handled
	// failed: a batch could not be stored, and the stream is being stopped.
	var failed atomic.Bool
	w := newWatchdog(ctx, ic, c.opt.CommandTimeout)
	sv := newSaver(ctx, st, c.opt.Batch,
		func(n int) {
			stats.Stored += n
			progress = true
			w.kick()
		},
		func(error) {
			// Stop the stream rather than drain it. Not ic.Close: it
			// waits for go-imap's reader, which may be blocked handing
			// the reader the next message.
			failed.Store(true)
			c.conn.Close()
		})
	batch := sv.take()
	// save hands the batch, and the cursor after it, to the saver.
	save := func() {
		if done <= cur.LastUID && len(batch) == 0 {
			return
		}
		cur.LastUID = max(cur.LastUID, done)
		batch = sv.put(cur, batch)
	}

	if total >= bulkGC {
		// A bulk read (a first sync) allocates about 30 KB a message and
		// keeps almost none of it: collecting half as often costs ~7 MiB
		// of RSS and saves ~10% of the sync's CPU (.ci/bench, 50,000
		// messages: 44 -> 52 MiB, 8.3 -> 7.4 s).
		defer debug.SetGCPercent(debug.SetGCPercent(bulkGCPercent))
	}
	c.rt.Add(1)
	fc := ic.Fetch(set, fo)
	var inflight uint32
	if uids, ok := set.Nums(); ok && len(uids) == 1 {
		inflight = uint32(uids[0]) // careful mode: the suspect is known
	}
	// The collector alone touches batch, done and stats (but Stored, the
	// saver's) until pipe.close returns; the saver alone touches progress
	// and stats.Stored until sv.wait returns.
	var readErr error
	handled := 0 // for so.Progress and counted
	validity := cur.UIDValidity
	// 16 messages a core in flight, not 4: one long message no longer
	// stops the reader while the other cores wait behind it (.ci/bench,
	// 50,000, alternated single runs: 5.2-5.8 s against 6.1-6.4 s, for
	// 1-2 MiB of RSS).
	pipe := newPipeline(0, 16*runtime.GOMAXPROCS(0),
		func(raw *fetched) parsed { return c.convert(raw, f, validity, so, log) },
		func(raw *fetched, p parsed) {
			if failed.Load() {
				return // the stream is being stopped; nothing more is stored
			}
			stats.Fetched++
			if !raw.complete() {
				log.Info("the server sent a message without every item asked for; kept as sent", "uid", raw.uid, "missing", raw.missing())
			}
			switch p.fate {
			case fateKept:
				batch = append(batch, p.m)
			case fateSkipped:
				stats.Skipped++
			case fateFiltered:
				stats.Filtered++
			}
			done = max(done, raw.uid)
			handled++
			*counted = handled
			if so.Progress != nil {
				so.Progress(f.Name, handled, max(total, handled))
			}
			if len(batch) >= c.opt.Batch {
				save()
			}
		})
	after := cur.LastUID // the reader's own copy: the collector moves cur
	var held *fetched    // an incomplete message, not yet counted as read
	for !failed.Load() {
		msg := fc.Next()
		if msg == nil {
			break
		}
		w.kick()
		raw, err := readFetched(msg, w, c.opt.MaxHeader, c.opt.MaxText, &inflight)
		if err != nil {
			// The connection broke mid-message. Close it (this waits for
			// go-imap's reader to stop) before fc.Close drains the rest.
			readErr = err
			ic.Close()
			break
		}
		inflight = 0
		if raw.uid == 0 || raw.uid <= after {
			continue // "n:*" also returns the last message when n is past it
		}
		if held != nil {
			// Another message followed it, so the connection was fine:
			// the server itself sent less than asked. Take what it sent.
			pipe.submit(held)
			held = nil
		}
		if !raw.complete() {
			// Either the connection broke after the message began (the
			// stream ends here, with an error from fc.Close) or the server
			// left an item out. Decide once the command has ended.
			held = raw
			continue
		}
		pipe.submit(raw)
	}
	ferr := fc.Close()
	if ferr == nil {
		ferr = readErr
	}
	if werr := w.end(); werr != nil {
		ferr = werr
	}
	if held != nil {
		if ferr == nil {
			pipe.submit(held) // the command ended OK: that is all the server has
		} else {
			// Cut inside this message: it was not read. The cursor stays
			// before it and the next attempt reads it again.
			log.Info("connection broke inside a message; it will be read again", "uid", held.uid, "missing", held.missing())
			inflight = held.uid
		}
	}
	pipe.close()
	// Keep what was fully read, even when the connection broke after it.
	save()
	if err := sv.wait(); err != nil {
		return progress, err
	}
	if ferr != nil {
		return progress, classify(fmt.Errorf("fetch: %w", ferr), inflight, cur.UIDValidity)
	}
	if so.Progress != nil {
		so.Progress(f.Name, handled, handled) // read to the end
	}
	return progress, nil
}

// fate is what became of a fetched message.
type fate uint8

const (
	fateKept     fate = iota
	fateSkipped       // unreadable
	fateFiltered      // an Inbox message KeepInbox does not want
)

// parsed is a fetched message after convert.
type parsed struct {
	m    store.Message
	fate fate
}

// convert parses a fetched message into a store.Message, or says why it is
// not kept (the reason is logged). It runs on several messages at once.
func (c *Client) convert(raw *fetched, f Folder, validity uint32, so SyncOptions, log *slog.Logger) parsed {
	// Only mail in the Inbox can ask the user for status.
	so.ParseOptions.NoAsk = f.Kind != store.KindInbox
	pm, err := parse(raw, so)
	if pm == nil {
		log.Warn("skipping a message that could not be read", "uid", raw.uid, "err", err)
		return parsed{fate: fateSkipped}
	}
	if err != nil {
		log.Info("message partly read", "uid", raw.uid, "err", err)
	}
	if f.Kind == store.KindInbox && so.KeepInbox != nil && !so.KeepInbox(pm) {
		return parsed{fate: fateFiltered}
	}
	return parsed{m: toStore(pm, raw, f, validity, c.opt.MaxText)}
}

// nextUID returns the lowest UID above after, or 0 when there is none.
func (c *Client) nextUID(ctx context.Context, after uint32) (uint32, error) {
	var set imap.UIDSet
	set.AddRange(imap.UID(after+1), 0)
	var opts *imap.SearchOptions
	caps := c.imap.Caps()
	if caps.Has(imap.CapESearch) || caps.Has(imap.CapIMAP4rev2) {
		opts = &imap.SearchOptions{ReturnMin: true}
	}
	var next uint32
	err := c.guard(ctx, func(ic *imapclient.Client) error {
		d, err := ic.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}}, opts).Wait()
		if err != nil {
			return err
		}
		if opts != nil {
			if d.Min > after {
				next = d.Min
			}
			return nil
		}
		for _, u := range d.AllUIDs() { // "n:*" also matches the last UID when n is past it
			if uint32(u) > after && (next == 0 || uint32(u) < next) {
				next = uint32(u)
			}
		}
		return nil
	})
	return next, err
}

// A fetch of at least bulkGC messages runs with the garbage collector at
// bulkGCPercent (Go's default is 100).
const (
	bulkGC        = 1000
	bulkGCPercent = 200
)

// uidWindows splits sorted UIDs into sets of at most n UIDs each, in
// order: one FETCH a set.
func uidWindows(uids []imap.UID, n int) []imap.UIDSet {
	var ws []imap.UIDSet
	for len(uids) > 0 {
		k := min(n, len(uids))
		var set imap.UIDSet
		set.AddNum(uids[:k]...)
		ws = append(ws, set)
		uids = uids[k:]
	}
	return ws
}

// rangeWindows splits from:* into windows of n UIDs up to top (UIDNEXT-1
// when the folder was opened), the last one open-ended so that a message
// that arrived since is read too.
func rangeWindows(from, top uint32, n int) []imap.UIDSet {
	var ws []imap.UIDSet
	for uint64(from)+uint64(n) <= uint64(top) {
		var set imap.UIDSet
		set.AddRange(imap.UID(from), imap.UID(from+uint32(n)-1))
		ws = append(ws, set)
		from += uint32(n)
	}
	var set imap.UIDSet
	set.AddRange(imap.UID(from), 0)
	return append(ws, set)
}
