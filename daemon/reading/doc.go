// Package reading reads the text of a status mail the way a person does:
// it unwraps hard-wrapped paragraphs into paragraphs, keeps lists, quotes,
// tables and code as such, splits paragraphs into sentences, recognises
// the sections people write status in (Done, Risks, Next steps, …) and the
// status markers they use (✅ 🔴 [x] "At risk"), and from that model
// judges the health a boss would read in the mail, with the sentence and
// the rule behind it.
//
// Every stage works on blocks and sentences, never on physical lines, and
// runs in time linear in the text: it is applied to every new message.
// The words it knows (section names, health phrases, negations, asks) are
// data files in lexicon/, one per language, that a translator can extend
// without reading Go.
package reading

// Kind is what a block of text is.
type Kind int

// Block kinds.
const (
	Paragraph Kind = iota
	Item           // a bullet or numbered list item
	Heading        // a section heading
	Quote          // quoted text ("> …") left in the visible text
	Row            // a table row; Cells holds its cells
	Code           // preformatted text (indented or fenced)
)

func (k Kind) String() string {
	return [...]string{"paragraph", "item", "heading", "quote", "row", "code"}[k]
}

// MarshalText makes kinds readable in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Section is the kind of section a block sits in.
type Section string

// Section kinds. None is text before any heading.
const (
	None      Section = ""
	Done      Section = "done"      // Done, Shipped, What shipped, Wins
	Progress  Section = "progress"  // Progress, In progress, Activity, Update
	Risks     Section = "risks"     // Risks, Issues, Blockers, Concerns
	Next      Section = "next"      // Next, Next week, Next steps, Still to do
	Asks      Section = "asks"      // What I need, Asks, Help needed
	Decisions Section = "decisions" // Decisions, Decisions needed
	Health    Section = "health"    // Health, Status, Community health
	Summary   Section = "summary"   // Summary, TL;DR, Short version
	Info      Section = "info"      // Description, Background, Membership: context, not news
)

// Marker is a status marker a writer put on a line or a table cell.
type Marker string

// Markers.
const (
	NoMarker Marker = ""
	Checked  Marker = "done"  // ✅ ☑ ✔ [x]
	Open     Marker = "open"  // [ ] ☐
	Green    Marker = "green" // 🟢, "On track", "Green" in a status cell
	Amber    Marker = "amber" // 🟡 🟠 ⚠️, "At risk", "Amber", "Yellow"
	Red      Marker = "red"   // 🔴 ❌ 🛑, "Off track", "Blocked", "Red"
)

// Block is one paragraph, list item, heading, quote, table row or piece
// of code, with its hard wrapping undone.
type Block struct {
	Kind    Kind    `json:"kind"`
	Text    string  `json:"text"`
	Section Section `json:"section,omitempty"`
	Heading string  `json:"heading,omitempty"` // the heading of its section, as written
	Marker  Marker  `json:"marker,omitempty"`
	Depth   int     `json:"depth,omitempty"` // list nesting, quote level
	// Cells are a table row's cells; Header the table's header cells,
	// when it has a header row (set on the body rows).
	Cells  []string `json:"cells,omitempty"`
	Header []string `json:"header,omitempty"`
	// Lang is the language whose lexicon named the section ("en", "de").
	Lang string `json:"lang,omitempty"`
}

// Sentence is one sentence of a paragraph, list item or quote, or a whole
// table row or heading.
type Sentence struct {
	Text    string  `json:"text"`
	Block   int     `json:"block"` // index into Doc.Blocks
	Kind    Kind    `json:"kind"`
	Section Section `json:"section,omitempty"`
	Marker  Marker  `json:"marker,omitempty"`
}

// Doc is a message's text as read: its blocks and their sentences, in
// order.
type Doc struct {
	Blocks    []Block    `json:"blocks"`
	Sentences []Sentence `json:"sentences"`
}
