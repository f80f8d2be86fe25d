package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/reading"
)

// maxInspect is how much of a message inspect reads (a sync reads far less).
const maxInspect = 32 << 20

func newInspectCmd(g *globals) *cobra.Command {
	var asJSON, textOnly bool
	var sender string
	cmd := &cobra.Command{
		Use:   "inspect [FILE|-] [--json|--text]",
		Short: "Show what leadup sees in one message: visible text, snippet, health words, auto-reply, ask",
		Long: `Read one message (a whole RFC 822 message, or a plain body) from FILE or
standard input and show what leadup sees in it: the visible text (quoted
replies, reply headers, signatures and disclaimers removed), the snippet, the
health words found, and whether it is an auto-reply, an ask or automated.
Needs no config.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("leadup inspect reads one FILE (or - for standard input), got %d", len(args))
			}
			if asJSON && textOnly {
				return usagef("--json and --text cannot be used together: pick one")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var r io.Reader = cmd.InOrStdin()
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return usagef("cannot read %s: %v", args[0], err)
				}
				defer f.Close()
				r = f
			}
			raw, err := io.ReadAll(io.LimitReader(r, maxInspect+1))
			if err != nil {
				return fmt.Errorf("read message: %w", err)
			}
			if len(raw) > maxInspect {
				raw = raw[:maxInspect]
				g.logger.Warn("the message is larger than leadup reads; the rest is ignored", "read", maxInspect)
			}
			rep, err := message.Inspect(raw, message.Options{Now: g.clock.Now(), Loc: time.Local, SenderName: sender})
			if err != nil {
				return err
			}
			switch {
			case textOnly:
				fmt.Fprintln(g.stdout, strings.TrimRight(rep.Visible, "\n"))
			case asJSON:
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			default:
				printInspect(g.stdout, rep)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print everything as one JSON object")
	cmd.Flags().BoolVar(&textOnly, "text", false, "print only the visible text")
	cmd.Flags().StringVar(&sender, "sender", os.Getenv("QUOTES_SENDER"), "the sender's name, to find their signature in a plain body that has no From (default $QUOTES_SENDER)")
	return cmd
}

// printRead shows the text as leadup reads it: each block with its kind,
// section and marker, each sentence under it with the health it gave.
func printRead(w io.Writer, r *message.Report) {
	judged := map[int]string{}
	for _, j := range r.Judged {
		if j.Level != "unknown" || j.Rule != "" {
			judged[j.Sentence] = string(j.Level) + ": " + j.Rule
		}
	}
	fmt.Fprintln(w, "\n--- as read: blocks [kind section marker] and sentences [health: rule] ---")
	next := 0
	for bi, b := range r.Read.Blocks {
		tag := string(b.Kind.String())
		if b.Section != "" {
			tag += " " + string(b.Section)
		}
		if b.Marker != "" {
			tag += " " + string(b.Marker)
		}
		if b.Kind == reading.Heading {
			fmt.Fprintf(w, "[%s] %s\n", tag, b.Text)
			continue
		}
		fmt.Fprintf(w, "[%s]\n", tag)
		for next < len(r.Read.Sentences) && r.Read.Sentences[next].Block == bi {
			s := r.Read.Sentences[next]
			line := "    " + s.Text
			if j, ok := judged[next]; ok {
				line += "   [" + j + "]"
			}
			fmt.Fprintln(w, line)
			next++
		}
	}
}

func printInspect(w io.Writer, r *message.Report) {
	if r.From != nil {
		fmt.Fprintf(w, "From:       %s <%s>\n", r.From.Name, r.From.Addr)
	}
	if r.Subject != "" {
		fmt.Fprintf(w, "Subject:    %s\n", r.Subject)
	}
	if r.Date != nil {
		fmt.Fprintf(w, "Date:       %s\n", r.Date.Format("Mon 2 Jan 2006 15:04 MST"))
	}
	fmt.Fprintf(w, "Health:     %s: %s\n", r.Health, r.HealthRule)
	if r.HealthSentence != "" {
		fmt.Fprintf(w, "  because:  %q\n", r.HealthSentence)
	}
	fmt.Fprintf(w, "Ask:        %v\nAuto-reply: %v\nAutomated:  %v", r.Ask, r.AutoReply, r.Automated)
	if r.AutomatedWhy != "" {
		fmt.Fprintf(w, " (%s)", r.AutomatedWhy)
	}
	fmt.Fprintln(w)
	if r.ReturnDate != nil {
		fmt.Fprintf(w, "Back on:    %s\n", r.ReturnDate.Format("Mon 2 Jan 2006"))
	}
	printRead(w, r)
	fmt.Fprintf(w, "Snippet:    %s\n\n--- visible text ---\n%s\n", r.Snippet, strings.TrimRight(r.Visible, "\n"))
}
