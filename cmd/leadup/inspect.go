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
	fmt.Fprintf(w, "Health:     %s", r.Health)
	var words []string
	for _, h := range r.HealthHits {
		word := h.Phrase + ": " + h.Polarity.String()
		if h.Negated {
			word = "negated " + word
		}
		words = append(words, word)
	}
	if len(words) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(words, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Ask:        %v\nAuto-reply: %v\nAutomated:  %v\n", r.Ask, r.AutoReply, r.Automated)
	if r.ReturnDate != nil {
		fmt.Fprintf(w, "Back on:    %s\n", r.ReturnDate.Format("Mon 2 Jan 2006"))
	}
	fmt.Fprintf(w, "Snippet:    %s\n\n--- visible text ---\n%s\n", r.Snippet, strings.TrimRight(r.Visible, "\n"))
}
