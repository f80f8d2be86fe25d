package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchWords makes the texts of benchMessages: common words, so the
// sizes and the spread of values look like a label's status mail.
var benchWords = strings.Fields(`the release is on track for friday but the vendor contract is still waiting on legal
review we shipped the new build to staging and the load test passed with some delay in the
reporting service please send the numbers before the meeting thanks for the update blocked at risk`)

// benchMessages returns n messages shaped like the .ci/bench corpus as a
// first sync stores them (one folder, threads of a few replies, a bounded
// visible text of a few hundred bytes, a snippet, a health): what
// SaveMessages and Messages are measured on.
func benchMessages(n int) []Message {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"Priya", "Sofia", "Luis", "Raj", "Mia", "Dana"}
	last := []string{"Whitfield", "Patel"}
	healths := []string{"green", "amber", "red", "unknown"}
	bad := [][]string{nil, {"failed"}, {"blocked", "at risk"}, {"still waiting", "delay"}}
	text := func(size int) string {
		var b strings.Builder
		for b.Len() < size {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchWords[r.IntN(len(benchWords))])
		}
		return b.String()
	}
	start := time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)
	out := make([]Message, n)
	thread := 0
	for i := range out {
		if r.IntN(5) == 0 {
			thread = i
		}
		first, fam := names[r.IntN(len(names))], last[r.IntN(len(last))]
		h := r.IntN(len(healths))
		m := Message{
			Folder: "Bench", Kind: KindProject, Project: "Bench", UIDValidity: 1, UID: uint32(i + 1),
			MessageID: fmt.Sprintf("bench-%d@example.com", i),
			Date:      start.Add(time.Duration(i) * 8 * time.Minute), InternalDate: start.Add(time.Duration(i)*8*time.Minute + time.Second),
			FromName: first + " " + fam, FromAddr: strings.ToLower(first + "." + fam + "@example.com"),
			To: []string{"bench-team@example.com"}, Cc: []string{"bench-50000@example.com"},
			Subject: fmt.Sprintf("Bench status, week %d", thread%52+1), Flags: []string{`\Recent`},
			Snippet: text(180), Visible: text(150 + r.IntN(1200)),
			Health: healths[h], BadWords: bad[h],
		}
		if thread < i {
			m.Subject = "Re: " + m.Subject
			m.InReplyTo = fmt.Sprintf("bench-%d@example.com", i-1)
			for j := thread; j < i; j++ {
				m.References = append(m.References, fmt.Sprintf("bench-%d@example.com", j))
			}
		}
		out[i] = m
	}
	return out
}

// BenchmarkSaveMessages stores 10,000 messages in batches of 200, as a
// first sync does, into a new database; one op is one message.
func BenchmarkSaveMessages(b *testing.B) { benchSave(b, 10000, 200) }

// BenchmarkSaveMessages50K is BenchmarkSaveMessages at a whole first
// sync's size, where the indexes outgrow the page cache.
func BenchmarkSaveMessages50K(b *testing.B) { benchSave(b, 50000, 200) }

// BenchmarkSaveBatchSize is BenchmarkSaveMessages with the batch a
// first sync stores in one transaction (mailbox.DefaultBatch, 200) made
// smaller or larger: what a commit a batch costs.
func BenchmarkSaveBatchSize(b *testing.B) {
	for _, batch := range []int{100, 200, 500, 1000} {
		b.Run(fmt.Sprint(batch), func(b *testing.B) { benchSave(b, 10000, batch) })
	}
}

// benchSave stores n messages in batches of batch into a new database,
// again and again; one op is one message.
func benchSave(b *testing.B, n, batch int) {
	msgs := benchMessages(n)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for done := 0; done < b.N; {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("state%d.db", done)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := cpuTime()
		for i := 0; i < n && done < b.N; i += batch {
			end := min(i+batch, n, i+b.N-done)
			cur := Cursor{Folder: "Bench", UIDValidity: 1, LastUID: uint32(end)}
			if _, err := s.SaveMessages(ctx, cur, msgs[i:end]); err != nil {
				b.Fatal(err)
			}
			done += end - i
		}
		cpu += cpuTime() - t0
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU this process has used, user and system: what a
// benchmark reports besides the wall time, which other work on the
// machine moves.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMessagesNews reads 60 days of a 10,000-message label's news
// without the text, as a reminder does; one op is one read.
func BenchmarkMessagesNews(b *testing.B) {
	const n = 10000
	msgs := benchMessages(n)
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "state.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < n; i += 200 {
		if _, err := s.SaveMessages(ctx, Cursor{Folder: "Bench", UIDValidity: 1, LastUID: uint32(i + 200)}, msgs[i:i+200]); err != nil {
			b.Fatal(err)
		}
	}
	until := msgs[n-1].Date.Add(time.Second)
	f := Filter{Kind: KindProject, Since: until.Add(-25 * 24 * time.Hour), Until: until, NoText: true, Human: true}
	b.ReportAllocs()
	b.ResetTimer()
	t0 := cpuTime()
	for range b.N {
		got, err := s.Messages(ctx, f)
		if err != nil || len(got) == 0 {
			b.Fatal(len(got), err)
		}
	}
	b.ReportMetric(float64((cpuTime()-t0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	// What a caller holding the result keeps of the heap.
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, err := s.Messages(ctx, f)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(got)), "held-B/msg")
	runtime.KeepAlive(got)
}
