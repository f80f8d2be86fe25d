// Command benchtool is the Go side of `.ci/bench`: it generates the
// benchmark corpus, loads it into an account of the Dovecot that
// `.ci/mailservers` runs, and measures the raw-socket floor. The script
// holds the shared e2e lock around every command that talks to the server
// (count, append, floor) and not while gen writes the corpus.
//
// APPEND takes minutes for 50,000 messages and hours for 500,000 on a busy
// 2-core machine, so above LEADUP_BENCH_MAILDIR_FROM messages the script
// writes the corpus into the account's maildir instead, as a delivery
// agent would (one file a message in cur/, its mtime the message's date,
// which Dovecot takes for INTERNALDATE); Dovecot gives them UIDs in name
// order, i.e. by date, when the folder is next opened.
//
//	benchtool count  -user U -folder F                 prints the folder's message count (0 if it does not exist)
//	benchtool gen    -n N -from K -out FILE            writes messages K..N-1 of the corpus to FILE
//	benchtool append -user U -folder F -in FILE        appends FILE's messages
//	benchtool maildir -user U -folder F -n N -from K   writes messages K..N-1 straight into the account's maildir
//	benchtool seed   -user U                           puts updates in Sent and asks in INBOX, once
//	benchtool floor  -user U -folder F                 UID FETCH (ENVELOPE BODY.PEEK[TEXT]<0.2048>) of the folder over TLS, in leadup's windows, timed
//	benchtool exec   -- CMD ARGS...                    runs CMD, prints its wall time, CPU time and peak RSS
//
// The server's coordinates come from $LEADUP_E2E_DIR/env (default
// /tmp/leadup-e2e/env); every account of example.com has its password.
package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/internal/benchcorpus"
	"github.com/leadup/leadup/daemon/mailbox"
)

// Span is how far back the corpus reaches: within the year a first sync
// reads, with two months to spare for a label loaded earlier.
const Span = 300 * 24 * time.Hour

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool count|gen|append|seed|floor|exec [flags] (see the package comment)")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	n := fs.Int("n", 50000, "messages in the corpus")
	from := fs.Int("from", 0, "first message to generate")
	user := fs.String("user", "", "the account, e.g. bench-50000@example.com")
	folder := fs.String("folder", "Bench", "the label")
	out := fs.String("out", "", "corpus file to write")
	in := fs.String("in", "", "corpus file to read")
	fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "count":
		var c int
		if c, err = count(*user, *folder); err == nil {
			fmt.Println(c)
		}
	case "gen":
		err = gen(*n, *from, *user, *out)
	case "append":
		err = appendFile(*user, *folder, *in)
	case "maildir":
		err = writeMaildir(*n, *from, *user, *folder)
	case "seed":
		err = seedAccount(*user)
	case "floor":
		err = floor(*user, *folder)
	case "exec":
		err = run(fs.Args())
	default:
		err = fmt.Errorf("unknown command %q: want count, gen, append, maildir, seed, floor or exec", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

func servers(user string) (*e2e.Servers, error) {
	if user == "" {
		return nil, errors.New("no -user: name the account, e.g. -user bench-2000@example.com")
	}
	dir := os.Getenv("LEADUP_E2E_DIR")
	if dir == "" {
		dir = e2e.DefaultDir
	}
	data, err := os.ReadFile(filepath.Join(dir, "env"))
	if err != nil {
		return nil, fmt.Errorf("%w: run `.ci/mailservers start` first", err)
	}
	s, err := e2e.Parse(data)
	if err != nil {
		return nil, err
	}
	return s.ForUser(user), nil
}

func login(s *e2e.Servers) (*imapclient.Client, error) {
	c, err := imapclient.DialTLS(s.IMAPSAddr(), &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		return nil, err
	}
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func count(user, folder string) (int, error) {
	s, err := servers(user)
	if err != nil {
		return 0, err
	}
	c, err := login(s)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	st, err := c.Status(folder, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return 0, nil // no such folder yet
	}
	return int(*st.NumMessages), nil
}

// The corpus file: per message, its internal date (Unix seconds) and its
// length as big-endian uint64s, then its bytes.
func gen(n, from int, user, out string) error {
	if out == "" {
		return errors.New("no -out: name the corpus file to write")
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	c := corpus(n, user)
	var hdr [16]byte
	for i := from; i < n; i++ {
		raw := c.Mail(i)
		binary.BigEndian.PutUint64(hdr[:8], uint64(c.Date(i).Unix()))
		binary.BigEndian.PutUint64(hdr[8:], uint64(len(raw)))
		w.Write(hdr[:])
		w.Write(raw)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func corpus(n int, user string) benchcorpus.Corpus {
	// The newest message an hour before the start of today (UTC): a label
	// loaded today and one loaded yesterday look alike to a cycle.
	end := time.Now().UTC().Truncate(24 * time.Hour).Add(-time.Hour)
	return benchcorpus.Corpus{N: n, End: end, Span: Span, Me: user, Project: "Bench"}
}

// writeMaildir writes messages from..n-1 of the corpus into the Maildir++
// folder of user under $LEADUP_E2E_DIR/mail (the mail_location that
// .ci/mailservers gives Dovecot), owned by the maildirs' owner. Names are
// "<unix time>.M<index>P0.bench,S=<size>:2,": Dovecot sorts new files by
// that time and microsecond part, so UIDs follow the corpus order. It must
// not run while a client has the folder open.
func writeMaildir(n, from int, user, folder string) error {
	local, domain, ok := strings.Cut(user, "@")
	if !ok || local == "" || domain == "" {
		return fmt.Errorf("-user %q is not an address: give e.g. -user bench-500000@example.com", user)
	}
	if from >= 1000000 || n > 1000000 {
		return errors.New("at most 1,000,000 messages: the index is the file name's microseconds")
	}
	base := os.Getenv("LEADUP_E2E_DIR")
	if base == "" {
		base = e2e.DefaultDir
	}
	root := filepath.Join(base, "mail", domain, local, "Maildir")
	dir := filepath.Join(root, "."+folder)
	owner, err := os.Stat(filepath.Join(base, "mail"))
	if err != nil {
		return fmt.Errorf("%w: run `.ci/mailservers start` first", err)
	}
	st, _ := owner.Sys().(*syscall.Stat_t)
	chown := func(path string) error {
		if st == nil {
			return nil
		}
		return os.Lchown(path, int(st.Uid), int(st.Gid))
	}
	for _, d := range []string{filepath.Join(base, "mail", domain), filepath.Join(base, "mail", domain, local), root,
		filepath.Join(root, "cur"), filepath.Join(root, "new"), filepath.Join(root, "tmp"),
		dir, filepath.Join(dir, "cur"), filepath.Join(dir, "new"), filepath.Join(dir, "tmp")} {
		if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			return err
		}
		if err := chown(d); err != nil {
			return err
		}
	}
	marker := filepath.Join(dir, "maildirfolder")
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		return err
	}
	if err := chown(marker); err != nil {
		return err
	}
	c := corpus(n, user)
	for i := from; i < n; i++ {
		raw := bytes.ReplaceAll(c.Mail(i), []byte("\r\n"), []byte("\n")) // maildir files use LF
		date := c.Date(i)
		path := filepath.Join(dir, "cur", fmt.Sprintf("%d.M%06dP0.bench,S=%d:2,", date.Unix(), i, len(raw)))
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			return err
		}
		if err := chown(path); err != nil {
			return err
		}
		if err := os.Chtimes(path, date, date); err != nil {
			return err
		}
		if (i+1)%50000 == 0 {
			fmt.Fprintf(os.Stderr, "benchtool: maildir: %d of %d written\n", i+1, n)
		}
	}
	return nil
}

// appendFile appends the corpus file's messages to folder, 64 APPENDs in
// flight (Dovecot has LITERAL+).
func appendFile(user, folder, in string) error {
	s, err := servers(user)
	if err != nil {
		return err
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	c, err := login(s)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Status(folder, &imap.StatusOptions{NumMessages: true}).Wait(); err != nil {
		if err := c.Create(folder, nil).Wait(); err != nil {
			return fmt.Errorf("create %s: %w", folder, err)
		}
	}
	r := bufio.NewReaderSize(f, 1<<20)
	var queue []*imapclient.AppendCommand
	wait := func(keep int) error {
		for len(queue) > keep {
			if _, err := queue[0].Wait(); err != nil {
				return fmt.Errorf("append: %w", err)
			}
			queue = queue[1:]
		}
		return nil
	}
	start, n := time.Now(), 0
	var hdr [16]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		at := time.Unix(int64(binary.BigEndian.Uint64(hdr[:8])), 0)
		raw := make([]byte, binary.BigEndian.Uint64(hdr[8:]))
		if _, err := io.ReadFull(r, raw); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		cmd := c.Append(folder, int64(len(raw)), &imap.AppendOptions{Time: at})
		if _, err := cmd.Write(raw); err != nil {
			return err
		}
		if err := cmd.Close(); err != nil {
			return err
		}
		queue = append(queue, cmd)
		if err := wait(64); err != nil {
			return err
		}
		n++
	}
	if err := wait(0); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchtool: appended %d messages to %s of %s in %v\n", n, folder, user, time.Since(start).Round(time.Millisecond))
	return c.Logout().Wait()
}

// Stakeholders of the bench config (.ci/bench writes the same).
var stakeholders = []string{"bench-boss@example.com", "bench-peer@example.com", "bench-skip@example.com"}

func seedAccount(user string) error {
	s, err := servers(user)
	if err != nil {
		return err
	}
	c, err := login(s)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := seed(c, user); err != nil {
		return err
	}
	return c.Logout().Wait()
}

// seed puts 40 updates from the user to the stakeholders of the bench
// config in Sent, over the last 60 days, and 6 of their asks in INBOX,
// so a cycle has people to evaluate; once: not when Sent holds mail.
func seed(c *imapclient.Client, user string) error {
	if st, err := c.Status("Sent", &imap.StatusOptions{NumMessages: true}).Wait(); err == nil && *st.NumMessages > 0 {
		return nil
	} else if err != nil {
		if err := c.Create("Sent", &imap.CreateOptions{SpecialUse: []imap.MailboxAttr{imap.MailboxAttrSent}}).Wait(); err != nil {
			if err := c.Create("Sent", nil).Wait(); err != nil {
				return fmt.Errorf("create Sent: %w", err)
			}
		}
	}
	now := time.Now().UTC().Truncate(time.Hour)
	put := func(folder string, at time.Time, from, to, subject, text string, i int) error {
		raw := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <seed-%s-%d@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
			from, to, subject, at.Format(time.RFC1123Z), strings.ToLower(folder), i, text)
		cmd := c.Append(folder, int64(len(raw)), &imap.AppendOptions{Time: at})
		cmd.Write([]byte(raw))
		cmd.Close()
		_, err := cmd.Wait()
		return err
	}
	for i := range 40 {
		at := now.Add(-time.Duration(60*24-i*36) * time.Hour)
		to := stakeholders[i%len(stakeholders)]
		if err := put("Sent", at, user, to, "Bench update "+strconv.Itoa(i), "Here is where Bench stands: the migration shipped, the load test is next.", i); err != nil {
			return fmt.Errorf("seed Sent: %w", err)
		}
	}
	for i := range 6 {
		at := now.Add(-time.Duration(5*24-i*17) * time.Hour)
		from := stakeholders[i%2]
		if err := put("INBOX", at, from, user, "Bench", "Hi, could you send me the latest status of Bench before Friday?", i); err != nil {
			return fmt.Errorf("seed INBOX: %w", err)
		}
	}
	return nil
}

// floor is the least a client must do for what a sync needs: TLS, login,
// EXAMINE, one UID FETCH of each message's envelope and first 2 KB of
// text, literals read and dropped, no IMAP library. It prints the wall
// time, the messages and the bytes read.
func floor(user, folder string) error {
	s, err := servers(user)
	if err != nil {
		return err
	}
	start := time.Now()
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", s.IMAPSAddr(), s.TLSConfig())
	if err != nil {
		return err
	}
	defer conn.Close()
	r := &countReader{r: conn}
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriter(conn)
	fetched, exists := 0, 0
	// run sends one command and reads until its tagged reply, reading
	// literals; onUntagged sees each untagged line (without its literals).
	run := func(tag, cmd string) error {
		fmt.Fprintf(bw, "%s %s\r\n", tag, cmd)
		if err := bw.Flush(); err != nil {
			return err
		}
		for {
			line, err := readLine(br)
			if err != nil {
				return err
			}
			if bytes.HasPrefix(line, []byte(tag+" ")) {
				if !bytes.HasPrefix(line[len(tag)+1:], []byte("OK")) {
					return fmt.Errorf("%s: %s", cmd, line)
				}
				return nil
			}
			if bytes.HasPrefix(line, []byte("* ")) && bytes.Contains(line, []byte(" FETCH (")) {
				fetched++
			}
			if f := bytes.Fields(line); len(f) == 3 && string(f[0]) == "*" && string(f[2]) == "EXISTS" {
				exists, _ = strconv.Atoi(string(f[1]))
			}
		}
	}
	if _, err := readLine(br); err != nil { // greeting
		return err
	}
	if err := run("a1", "LOGIN "+quote(s.User)+" "+quote(s.Password)); err != nil {
		return err
	}
	if err := run("a2", "EXAMINE "+quote(folder)); err != nil {
		return err
	}
	// In leadup's FETCH windows, as leadup reads; the corpus' UIDs are 1..N.
	for lo, i := 1, 0; lo == 1 || lo <= exists; lo, i = lo+mailbox.DefaultFetchWindow, i+1 {
		hi := "*"
		if lo+mailbox.DefaultFetchWindow <= exists {
			hi = strconv.Itoa(lo + mailbox.DefaultFetchWindow - 1)
		}
		if err := run(fmt.Sprintf("f%d", i), fmt.Sprintf("UID FETCH %d:%s (ENVELOPE BODY.PEEK[TEXT]<0.2048>)", lo, hi)); err != nil {
			return err
		}
	}
	wall := time.Since(start)
	run("a4", "LOGOUT")
	fmt.Printf("FLOOR wall_ms=%.1f messages=%d bytes=%d\n", float64(wall.Microseconds())/1000, fetched, r.n)
	return nil
}

// readLine reads one response line, with the literals it announces
// ({n} at a line's end) read and dropped in place.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		part, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			line = append(line, part...)
			continue
		}
		if err != nil {
			return nil, err
		}
		part = bytes.TrimRight(part, "\r\n")
		line = append(line, part...)
		n, ok := literalLen(line)
		if !ok {
			return line, nil
		}
		if _, err := br.Discard(n); err != nil {
			return nil, err
		}
	}
}

// literalLen reads "{123}" (or "{123+}") at the end of a line.
func literalLen(b []byte) (int, bool) {
	if len(b) < 3 || b[len(b)-1] != '}' {
		return 0, false
	}
	i := bytes.LastIndexByte(b, '{')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(string(b[i+1:len(b)-1]), "+"))
	return n, err == nil
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// run runs args[0] with args[1:], its output passed through, and prints
// on stderr its wall time, user and system CPU time and peak RSS (the
// kernel's rusage, as /usr/bin/time reports it, at microsecond
// resolution), and its exit code.
func run(args []string) error {
	if len(args) == 0 {
		return errors.New("exec: no command")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return err
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var maxrss int64
	if ru != nil {
		maxrss = ru.Maxrss
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(os.Stderr, "EXEC wall_ms=%.1f user_ms=%.1f sys_ms=%.1f maxrss_kb=%d exit=%d\n",
		ms(wall), ms(cmd.ProcessState.UserTime()), ms(cmd.ProcessState.SystemTime()), maxrss, cmd.ProcessState.ExitCode())
	return nil
}
