package benchcorpus

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// TestShape: sizes within 1–20 KB, 30% multipart, every message readable
// by net/mail with its parts, dates in order ending at End, and the same
// bytes for the same index.
func TestShape(t *testing.T) {
	c := Corpus{N: 2000, End: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Span: 300 * 24 * time.Hour, Me: "bench@example.com", Project: "Bench"}
	multi, total := 0, 0
	for i := range c.N {
		raw := c.Mail(i)
		total += len(raw)
		if len(raw) < 1024 || len(raw) > 20*1024 {
			t.Errorf("message %d is %d bytes, want 1–20 KB", i, len(raw))
		}
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		d, err := m.Header.Date()
		if err != nil || !d.Equal(c.Date(i)) {
			t.Errorf("message %d: date %v (%v), want %v", i, d, err, c.Date(i))
		}
		mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			multi++
			mr := multipart.NewReader(m.Body, params["boundary"])
			parts := 0
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("message %d: part: %v", i, err)
				}
				parts++
				io.Copy(io.Discard, p)
			}
			if parts < 2 {
				t.Errorf("message %d: %d parts", i, parts)
			}
		}
	}
	if multi != c.N*3/10 {
		t.Errorf("%d of %d multipart, want 30%%", multi, c.N)
	}
	if avg := total / c.N; avg < 5<<10 || avg > 11<<10 {
		t.Errorf("average size %d bytes, want about 8 KB", avg)
	}
	if !c.Date(c.N - 1).Equal(c.End) {
		t.Errorf("last date %v, want %v", c.Date(c.N-1), c.End)
	}
	if !bytes.Equal(c.Mail(17), c.Mail(17)) {
		t.Error("Mail(17) differs between calls")
	}
	t.Logf("%d messages, %d bytes, average %d", c.N, total, total/c.N)
}
