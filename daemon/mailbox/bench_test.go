package mailbox

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/store"
)

// benchServer is an in-process server with n realistic messages in one label.
func benchServer(b *testing.B, n int) (*memServer, Options, SyncOptions) {
	ms := newMemServer(b)
	ms.mkdir(b, "Status/Apollo", "")
	for i := range n {
		ms.add(b, "Status/Apollo", string(benchMail(i)), day0.Add(time.Duration(i)*time.Minute))
	}
	so := SyncOptions{Now: day0, Folders: []Folder{{Name: "Status/Apollo", Kind: store.KindProject, Project: "Apollo"}}}
	return ms, ms.options(), so
}

// BenchmarkSyncFirst is a first sync of 500 messages into an empty store.
func BenchmarkSyncFirst(b *testing.B) {
	ctx := context.Background()
	_, opt, so := benchServer(b, 500)
	c, err := Dial(ctx, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	i := 0
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("s%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		i++
		b.StartTimer()
		stats, err := c.Sync(ctx, st, so)
		if err != nil || stats.Stored != 500 {
			b.Fatalf("sync: %+v, %v", stats, err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/500, "ns/msg")
}

// BenchmarkSyncNothingNew is a cycle over a synced label: one EXAMINE.
func BenchmarkSyncNothingNew(b *testing.B) {
	ctx := context.Background()
	_, opt, so := benchServer(b, 500)
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c, err := Dial(ctx, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Sync(ctx, st, so); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		stats, err := c.Sync(ctx, st, so)
		if err != nil || stats.RoundTrips != 1 || stats.Fetched != 0 {
			b.Fatalf("sync: %+v, %v", stats, err)
		}
	}
}

// benchMail is a realistic status message, 2-10 KB, multipart/alternative;
// every 25th carries a 120 KB attachment before the text.
func benchMail(i int) []byte {
	var b bytes.Buffer
	d := day0.Add(time.Duration(i) * 7 * time.Minute)
	fmt.Fprintf(&b, "Received: from mx%d.example.com by imap.example.com; %s\r\n", i%7, d.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; b=%s\r\n", strings.Repeat("Zm9v", 90))
	fmt.Fprintf(&b, "From: Person %d <p%d@example.com>\r\nTo: apollo-team@example.com\r\nCc: alex@example.com\r\n", i%40, i%40)
	fmt.Fprintf(&b, "Subject: Re: Apollo status week %d\r\nDate: %s\r\nMessage-ID: <bench-%d@example.com>\r\n", i/50, d.Format(time.RFC1123Z), i)
	if i > 0 {
		fmt.Fprintf(&b, "In-Reply-To: <bench-%d@example.com>\r\nReferences: <bench-%d@example.com>\r\n", i-1, i-1)
	}
	para := "We shipped the vendor integration and the migration is on track; the load test is at risk because the staging cluster is blocked on quota. "
	text := strings.Repeat(para, 12+i%60)
	b.WriteString("MIME-Version: 1.0\r\n")
	if i%25 == 0 {
		b.WriteString("Content-Type: multipart/mixed; boundary=mixed\r\n\r\n--mixed\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		line := strings.Repeat("JVBERi0xLjQK", 6) + "\r\n"
		for range 120 << 10 / len(line) {
			b.WriteString(line)
		}
		b.WriteString("--mixed\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n--mixed--\r\n")
		return b.Bytes()
	}
	b.WriteString("Content-Type: multipart/alternative; boundary=alt\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(text + "\r\n\r\nOn Mon, Nov 2, 2026 Jane wrote:\r\n> earlier text\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>")
	b.WriteString(text + "</p>\r\n--alt--\r\n")
	return b.Bytes()
}
