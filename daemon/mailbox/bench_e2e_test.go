//go:build e2e

// The sync benchmark against Dovecot. It loads N messages into a label of
// the boss's account (kept between runs, so only the first run pays for the
// load), then measures, each in its own process so peak RSS is its own:
// a bare go-imap client fetching the same items in one UID FETCH 1:* loop,
// leadup's first sync into an empty store, and a sync with nothing new.
//
//	.ci/mailservers start
//	LEADUP_BENCH=1 LEADUP_BENCH_N=50000 [LEADUP_BENCH_PARSE=0] go test -tags e2e -run TestE2EBenchSync -v -timeout 60m ./daemon/mailbox/
//
// Numbers are reported with t.Log, not asserted: machines are noisy.
package mailbox

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

type benchResult struct {
	Mode       string        `json:"mode"`
	Messages   int           `json:"messages"`
	Wall       time.Duration `json:"wall"`
	RoundTrips int           `json:"round_trips"`
	PeakRSSKiB int           `json:"peak_rss_kib"`
	Stored     int           `json:"stored,omitempty"`
	// NothingNew is the median wall time of a sync with nothing new.
	NothingNew           time.Duration `json:"nothing_new,omitempty"`
	NothingNewRoundTrips int           `json:"nothing_new_round_trips,omitempty"`
}

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("LEADUP_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 50000
}

func benchServers(t *testing.T) *e2e.Servers {
	s := e2e.Env(t)
	return s.ForUser(s.Boss)
}

func benchOptions(s *e2e.Servers) Options {
	return Options{Host: s.IMAPHost, Port: s.IMAPSPort, TLS: TLSImplicit, CAFile: s.CAFile, Username: s.User,
		Secret: func(context.Context) (string, error) { return s.Password, nil }, CommandTimeout: time.Minute}
}

// benchLoad makes folder hold exactly n messages, appending what is missing.
func benchLoad(t *testing.T, s *e2e.Servers, folder string, n int) {
	c, err := imapclient.DialTLS(s.IMAPSAddr(), &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(folder, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		if err := c.Create(folder, nil).Wait(); err != nil {
			t.Fatal(err)
		}
		st = &imap.StatusData{NumMessages: new(uint32)}
	}
	have := int(*st.NumMessages)
	if have > n {
		t.Fatalf("%s holds %d messages, more than %d: delete it", folder, have, n)
	}
	start := time.Now()
	for i := have; i < n; i++ {
		raw := benchMail(i)
		cmd := c.Append(folder, int64(len(raw)), &imap.AppendOptions{Time: day0.Add(time.Duration(i) * 7 * time.Minute)})
		cmd.Write(raw)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	if have < n {
		t.Logf("loaded %d messages into %s in %v", n-have, folder, time.Since(start).Round(time.Millisecond))
	}
	c.Logout().Wait()
}

func TestE2EBenchSync(t *testing.T) {
	if os.Getenv("LEADUP_BENCH") == "" {
		t.Skip("set LEADUP_BENCH=1 (and LEADUP_BENCH_N) to run the sync benchmark")
	}
	s := benchServers(t)
	n := benchN()
	folder := fmt.Sprintf("Bench/Label-%d", n)
	benchLoad(t, s, folder, n)

	run := func(mode string) benchResult {
		cmd := exec.Command(os.Args[0], "-test.run=^TestE2EBenchChild$", "-test.v", "-test.timeout=60m")
		cmd.Env = append(os.Environ(), "LEADUP_BENCH_CHILD="+mode, "LEADUP_BENCH_FOLDER="+folder)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if _, js, ok := strings.Cut(line, "RESULT "); ok {
				var r benchResult
				if err := json.Unmarshal([]byte(js), &r); err != nil {
					t.Fatal(err)
				}
				return r
			}
		}
		t.Fatalf("%s printed no result:\n%s", mode, out)
		return benchResult{}
	}
	// LEADUP_BENCH_PARSE=0 leaves out the sync with message.Parse, which
	// dominates the time at large N.
	withParse := os.Getenv("LEADUP_BENCH_PARSE") != "0"
	run("bare") // warm Dovecot's caches for both
	bare := run("bare")
	light := run("sync-headers")
	if again := run("bare"); again.Wall < bare.Wall { // the faster of two: noise only slows
		bare = again
	}
	if bare.Messages != n || light.Stored != n {
		t.Errorf("bare client saw %d, sync stored %d; want %d", bare.Messages, light.Stored, n)
	}
	t.Logf("N=%d", n)
	t.Logf("bare client:  %v, %d round trips, peak RSS %.1f MiB", bare.Wall.Round(time.Millisecond), bare.RoundTrips, float64(bare.PeakRSSKiB)/1024)
	t.Logf("leadup sync, header-only parser (transport and store alone): %v, %d round trips, ratio %.2f, peak RSS %.1f MiB",
		light.Wall.Round(time.Millisecond), light.RoundTrips, float64(light.Wall)/float64(bare.Wall), float64(light.PeakRSSKiB)/1024)
	t.Logf("nothing new:  %v (median), %d round trips", light.NothingNew, light.NothingNewRoundTrips)
	if withParse {
		sync := run("sync")
		if sync.Stored != n {
			t.Errorf("sync stored %d; want %d", sync.Stored, n)
		}
		t.Logf("leadup sync with message.Parse:  %v, %d round trips, peak RSS %.1f MiB, ratio %.2f", sync.Wall.Round(time.Millisecond), sync.RoundTrips,
			float64(sync.PeakRSSKiB)/1024, float64(sync.Wall)/float64(bare.Wall))
	}
}

// TestE2EBenchChild is one measurement, run by TestE2EBenchSync in a
// process of its own.
func TestE2EBenchChild(t *testing.T) {
	mode := os.Getenv("LEADUP_BENCH_CHILD")
	if mode == "" {
		t.Skip("run by TestE2EBenchSync")
	}
	s := benchServers(t)
	folder := os.Getenv("LEADUP_BENCH_FOLDER")
	var r benchResult
	switch mode {
	case "bare":
		r = benchBare(t, s, folder)
	case "sync":
		r = benchSync(t, s, folder, nil)
	case "sync-headers":
		r = benchSync(t, s, folder, headersOnly)
	}
	r.Mode = mode
	r.PeakRSSKiB = vmHWM(t)
	js, _ := json.Marshal(r)
	fmt.Printf("RESULT %s\n", js)
}

// benchBare is the baseline: the same items, one UID FETCH, literals drained.
func benchBare(t *testing.T, s *e2e.Servers, folder string) benchResult {
	c, err := imapclient.DialTLS(s.IMAPSAddr(), &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	var all imap.UIDSet
	all.AddRange(1, 0)
	fc := c.Fetch(all, fetchOptions(DefaultMaxText))
	n := 0
	for msg := fc.Next(); msg != nil; msg = fc.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			if b, ok := item.(imapclient.FetchItemDataBodySection); ok && b.Literal != nil {
				io.Copy(io.Discard, b.Literal)
			}
		}
		n++
	}
	if err := fc.Close(); err != nil {
		t.Fatal(err)
	}
	return benchResult{Messages: n, Wall: time.Since(start), RoundTrips: 2}
}

func benchSync(t *testing.T, s *e2e.Servers, folder string, parse func(io.Reader, message.Options) (*message.Message, error)) benchResult {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := Dial(ctx, benchOptions(s))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	so := SyncOptions{Now: day0.AddDate(1, 0, 0), Folders: []Folder{{Name: folder, Kind: store.KindProject, Project: "Bench"}}, parse: parse}
	start := time.Now()
	stats, err := c.Sync(ctx, st, so)
	wall := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	r := benchResult{Messages: stats.Fetched, Stored: stats.Stored, Wall: wall, RoundTrips: stats.RoundTrips}
	var walls []time.Duration
	for range 21 {
		start := time.Now()
		stats, err := c.Sync(ctx, st, so)
		walls = append(walls, time.Since(start))
		if err != nil || stats.Fetched != 0 {
			t.Fatalf("nothing-new sync: %+v, %v", stats, err)
		}
		r.NothingNewRoundTrips = stats.RoundTrips
	}
	sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
	r.NothingNew = walls[len(walls)/2]
	return r
}

// headersOnly reads only the header, with net/mail: it stands in for
// message.Parse to measure what the mailbox package itself costs.
func headersOnly(r io.Reader, _ message.Options) (*message.Message, error) {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return nil, err
	}
	out := &message.Message{MessageID: strings.Trim(m.Header.Get("Message-ID"), "<>"), Subject: m.Header.Get("Subject")}
	out.Date, _ = m.Header.Date()
	if a, err := mail.ParseAddress(m.Header.Get("From")); err == nil {
		out.From = message.Address{Name: a.Name, Addr: a.Address}
	}
	return out, nil
}

// vmHWM is the process's peak resident set size in KiB.
func vmHWM(t *testing.T) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}
