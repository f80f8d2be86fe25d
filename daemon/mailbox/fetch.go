package mailbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

// headerFields are the header fields fetched: the ones message.Parse
// reads (threading, addressing, auto-reply, machine-mail and MIME
// fields), and no others. Fetching these instead of the whole header
// keeps DKIM signatures and Received chains (often most of a header) off
// the wire.
var headerFields = message.HeaderFields()

// fetchOptions asks for the header fields and the first maxText bytes of
// the text, both with PEEK so \Seen is never set.
//
// The text is the body after the header (BODY[TEXT]): with the
// Content-Type header above, message.Parse sees a well-formed message
// whose multipart may be cut short at maxText, which it must tolerate
// anyway. This costs one round trip for both and never more than maxText
// of body, whatever the size of the attachments.
func fetchOptions(maxText int) *imap.FetchOptions {
	return &imap.FetchOptions{
		UID:          true,
		Flags:        true,
		InternalDate: true,
		BodySection: []*imap.FetchItemBodySection{
			{Specifier: imap.PartSpecifierHeader, HeaderFields: headerFields, Peek: true},
			{Specifier: imap.PartSpecifierText, Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: int64(maxText)}},
		},
	}
}

// fetched is one message as received.
type fetched struct {
	uid          uint32
	flags        []imap.Flag
	internalDate time.Time
	header, text []byte
	// got has a bit per item of fetchOptions that arrived whole.
	got items
}

// items is a set of the FETCH items leadup asks for.
type items uint8

const (
	itemUID items = 1 << iota
	itemFlags
	itemInternalDate
	itemHeader
	itemText

	allItems = itemUID | itemFlags | itemInternalDate | itemHeader | itemText
)

// complete reports whether every item asked for arrived. A connection cut
// after a message's UID but before its body sections ends the message
// early without any error from go-imap: such a message was not read.
func (f *fetched) complete() bool { return f.got == allItems }

// missing names the items that did not arrive, for logs.
func (f *fetched) missing() string {
	var out []string
	for _, it := range []struct {
		bit  items
		name string
	}{{itemUID, "UID"}, {itemFlags, "FLAGS"}, {itemInternalDate, "INTERNALDATE"}, {itemHeader, "BODY[HEADER.FIELDS]"}, {itemText, "BODY[TEXT]"}} {
		if f.got&it.bit == 0 {
			out = append(out, it.name)
		}
	}
	return strings.Join(out, " ")
}

// readFetched reads one message's items. *inflight is set to its UID as
// soon as that arrives, so a break in the middle names the culprit.
//
// After an error the caller must close the connection before touching msg
// or its command again: go-imap's reader goroutine resumes as soon as a
// literal fails, and reading the literal again would race with it.
func readFetched(msg *imapclient.FetchMessageData, w *watchdog, maxHeader, maxText int, inflight *uint32) (*fetched, error) {
	f := &fetched{}
	for {
		item := msg.Next()
		if item == nil {
			return f, nil
		}
		w.kick()
		switch it := item.(type) {
		case imapclient.FetchItemDataUID:
			f.uid = uint32(it.UID)
			f.got |= itemUID
			*inflight = f.uid
		case imapclient.FetchItemDataFlags:
			f.flags = it.Flags
			f.got |= itemFlags
		case imapclient.FetchItemDataInternalDate:
			f.internalDate = it.Time
			f.got |= itemInternalDate
		case imapclient.FetchItemDataBodySection:
			header := it.Section != nil && it.Section.Specifier == imap.PartSpecifierHeader
			bit := itemText
			if header {
				bit = itemHeader
			}
			if it.Literal == nil {
				f.got |= bit // NIL: the server has nothing for this section
				continue
			}
			limit := maxText
			if header {
				limit = maxHeader
			}
			b, err := readLiteral(it.Literal, limit)
			if err != nil {
				return f, fmt.Errorf("read message %d: %w", f.uid, err)
			}
			if header {
				f.header = b
			} else {
				f.text = b
			}
			f.got |= bit
		}
	}
}

// readLiteral reads up to limit bytes of a literal into a buffer of the
// size the server announced (io.ReadAll grew one from 512 bytes, leaving
// a trail of copies behind for every message of a sync).
func readLiteral(lit imap.LiteralReader, limit int) ([]byte, error) {
	want := min(int64(limit), lit.Size())
	b := make([]byte, max(want, 0))
	n, err := io.ReadFull(lit, b)
	b = b[:n]
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// go-imap reports a connection cut inside a literal as its
		// end: a short literal is a broken connection.
		err = io.ErrUnexpectedEOF
	}
	return b, err
}

// headerEnd is what rfc822 puts between the fetched header and the text,
// repairing a header cut at maxHeader: the blank line a header ends with,
// or the part of it missing.
func headerEnd(h []byte) string {
	switch {
	case len(h) == 0:
		return "\r\n"
	case bytes.HasSuffix(h, []byte("\r\n\r\n")), bytes.HasSuffix(h, []byte("\n\n")), bytes.Equal(h, []byte("\r\n")):
		return ""
	case bytes.HasSuffix(h, []byte("\n")):
		return "\r\n"
	default:
		return "\r\n\r\n"
	}
}

// reader is the message for the parser: the fetched header, the end
// headerEnd repairs and the text, streamed rather than copied into one
// buffer first (the parser reads its input once, in order).
func (f *fetched) reader() io.Reader {
	return io.MultiReader(bytes.NewReader(f.header), strings.NewReader(headerEnd(f.header)), bytes.NewReader(f.text))
}

// parse runs message.Parse and turns a panic into an error: one hostile
// message must not take the daemon down.
func parse(f *fetched, so SyncOptions) (m *message.Message, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("parser panic: %v", r)
		}
	}()
	po := so.ParseOptions
	if po.Now.IsZero() {
		po.Now = so.Now
	}
	if po.MaxText <= 0 {
		po.MaxText = len(f.text) + 1
	}
	if so.parse != nil {
		return so.parse(f.reader(), po)
	}
	// The parser takes the text's buffer over (a literal of its own,
	// never reused): a plain text is then cut from it, not copied.
	header := f.header
	if end := headerEnd(header); end != "" {
		header = append(header[:len(header):len(header)], end...)
	}
	return message.ParseOwned(header, f.text, po)
}

func toStore(pm *message.Message, f *fetched, fo Folder, validity uint32, maxText int) store.Message {
	m := store.Message{
		Folder:       fo.Name,
		Kind:         fo.Kind,
		Project:      fo.Project,
		UIDValidity:  validity,
		UID:          f.uid,
		MessageID:    pm.MessageID,
		InReplyTo:    pm.InReplyTo,
		References:   pm.References,
		Date:         pm.Date,
		InternalDate: f.internalDate,
		Subject:      pm.Subject,
		AutoReply:    pm.AutoReply,
		Automated:    pm.Automated,
		Ask:          pm.Ask,
		ReturnDate:   pm.ReturnDate,
		Snippet:      pm.Snippet,
		Visible:      keep(truncate(pm.Visible, maxText), len(f.text)),
		Health:       string(pm.Health),
		BadWords:     message.BadPhrases(pm.HealthHits),
	}
	for i, w := range m.BadWords {
		m.BadWords[i] = strings.Clone(w) // a phrase may be words of the text, over the fetched buffer
	}
	if m.Date.IsZero() {
		m.Date = f.internalDate
	}
	m.FromName, m.FromAddr = pm.From.Name, pm.From.Addr
	m.To, m.Cc, m.Bcc = addrs(pm.To), addrs(pm.Cc), addrs(pm.Bcc)
	for _, fl := range f.flags {
		m.Flags = append(m.Flags, string(fl))
	}
	return m
}

func addrs(as []message.Address) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		if a.Addr != "" {
			out = append(out, a.Addr)
		}
	}
	return out
}

// keep copies a visible text that is less than half of the text it may be
// cut from (message.ParseOwned keeps the fetched buffer), so a stored
// batch does not hold a whole message's buffer for a short reply on top of
// its quotes; a text that is most of it is kept as it is.
func keep(visible string, text int) string {
	if len(visible) < text/2 {
		return strings.Clone(visible)
	}
	return visible
}

// truncate cuts s to at most n bytes without splitting a rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
