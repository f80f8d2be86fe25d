package reading

import (
	"slices"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"two sentences", "We shipped it. Now the docs.", []string{"We shipped it.", "Now the docs."}},
		{"abbreviation", "We use e.g. Kafka for this. Then more.", []string{"We use e.g. Kafka for this.", "Then more."}},
		{"abbreviation with comma", "Several tools, e.g., Kafka, help.", []string{"Several tools, e.g., Kafka, help."}},
		{"title", "Dr. Chen approved it. Good.", []string{"Dr. Chen approved it.", "Good."}},
		{"initial", "Thanks to J. Smith for the fix. Next.", []string{"Thanks to J. Smith for the fix.", "Next."}},
		{"decimal", "Latency fell 30.5% this week. Great.", []string{"Latency fell 30.5% this week.", "Great."}},
		{"version", "We released 1.9.1 today. Then 2.0.", []string{"We released 1.9.1 today.", "Then 2.0."}},
		{"version at the end", "The latest release is 3.3.3. It fixes bugs.", []string{"The latest release is 3.3.3.", "It fixes bugs."}},
		{"time", "It went live at 10.30 this morning. All good.", []string{"It went live at 10.30 this morning.", "All good."}},
		{"date", "Due on 28.11.2026. Maybe earlier.", []string{"Due on 28.11.2026.", "Maybe earlier."}},
		{"url", "See https://example.com/a.b?c=d. It has the plan.", []string{"See https://example.com/a.b?c=d.", "It has the plan."}},
		{"address", "Mail ops@example.com. They know.", []string{"Mail ops@example.com.", "They know."}},
		{"question and exclamation", "Is it done? Yes! Finally.", []string{"Is it done?", "Yes!", "Finally."}},
		{"ellipsis", "We waited... Then it came.", []string{"We waited...", "Then it came."}},
		{"quote closer", `He said "it is done." Then left.`, []string{`He said "it is done."`, "Then left."}},
		{"parenthesis closer", "It slipped (again.) We know.", []string{"It slipped (again.)", "We know."}},
		{"lowercase after period", "approx. half of it is done", []string{"approx. half of it is done"}},
		{"number abbreviation", "See No. 5 on the list. Done.", []string{"See No. 5 on the list.", "Done."}},
		{"kept line break", "Released 1.22\nAdded Tilman as committer", []string{"Released 1.22", "Added Tilman as committer"}},
		{"no end", "no sentence end at all", []string{"no sentence end at all"}},
		{"u.s.", "Our U.S. customers are live. EU next.", []string{"Our U.S. customers are live.", "EU next."}},
		{"german abbreviation", "Wir nutzen z.B. Kafka dafür. Danach mehr.", []string{"Wir nutzen z.B. Kafka dafür.", "Danach mehr."}},
		{"spanish opener", "Está listo. ¿Y el resto? Mañana.", []string{"Está listo.", "¿Y el resto?", "Mañana."}},
		{"cjk", "完成了。下周发布。", []string{"完成了。", "下周发布。"}},
		{"emoji after", "Shipped! 🎉 Next up: docs.", []string{"Shipped!", "🎉 Next up: docs."}},
		{"month abbreviation", "Since Nov. 16 we are blocked. Sad.", []string{"Since Nov. 16 we are blocked.", "Sad."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sentences(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// Every sentence is a piece of its paragraph, in order: nothing is lost
// or invented.
func TestSentencesCoverTheText(t *testing.T) {
	in := "We shipped 1.9.1. Then e.g. docs… Is it? Yes!\nNext: more. Done"
	got := Sentences(in)
	joined := strings.Join(got, " ")
	if strings.Join(strings.Fields(joined), " ") != strings.Join(strings.Fields(in), " ") {
		t.Errorf("sentences %q do not cover %q", got, in)
	}
}
