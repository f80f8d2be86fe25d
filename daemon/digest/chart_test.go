package digest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// chartHistory is a typical 12 weeks to 20 Nov 2026 (week 47): weekly
// updates, one week missed, a week with two, then nothing for the last
// three weeks (45, 46 and this one).
func chartHistory(t *testing.T) (Chart, time.Time) {
	t.Helper()
	loc := berlin(t)
	now := time.Date(2026, time.November, 20, 15, 0, 0, 0, loc)
	var updates []time.Time
	for _, d := range []struct {
		m   time.Month
		day int
	}{
		{time.September, 4}, {time.September, 11}, {time.September, 25}, // W36, W37, W39 (W38 missed)
		{time.October, 2}, {time.October, 6}, {time.October, 9}, // W40, W41 twice
		{time.October, 16}, {time.October, 23}, {time.October, 30}, // W42, W43, W44
	} {
		updates = append(updates, time.Date(2026, d.m, d.day, 16, 0, 0, 0, loc))
	}
	updates = append(updates, now.Add(time.Hour)) // after now: not counted
	cal := calendar.Calendar{Loc: loc, Workdays: chartWorkweek}
	return buildChart(updates, now, loc, calendar.Span{N: 5, Unit: calendar.Workdays}, cal), now
}

// TestChartEmptyRecent checks the model counts the weeks without an update
// at the end, and only those.
func TestChartEmptyRecent(t *testing.T) {
	c, now := chartHistory(t)
	if len(c.Weeks) != ChartWeeks || c.Weeks[0].Week != 36 || c.Weeks[ChartWeeks-1].Week != 47 {
		t.Fatalf("weeks = %+v", c.Weeks)
	}
	if c.Total != 9 || c.Weeks[2].Count != 0 || c.Weeks[5].Count != 2 {
		t.Errorf("total %d, W38 %d, W41 %d; want 9, 0, 2", c.Total, c.Weeks[2].Count, c.Weeks[5].Count)
	}
	if c.EmptyRecent != 3 {
		t.Errorf("EmptyRecent = %d, want 3 (W45–W47); W38, empty in between, does not count", c.EmptyRecent)
	}
	if got, want := gapText(c), "No update in the last 3 weeks"; got != want {
		t.Errorf("gap line = %q, want %q", got, want)
	}

	loc := now.Location()
	cal := calendar.Calendar{Loc: loc, Workdays: chartWorkweek}
	cadence := calendar.Span{N: 5, Unit: calendar.Workdays}
	for _, tc := range []struct {
		name    string
		updates []time.Time
		want    int
		line    string
	}{
		{"updated this week", []time.Time{now.Add(-time.Hour)}, 0, ""},
		{"updated last week only", []time.Time{now.AddDate(0, 0, -7)}, 1, "None yet this week"},
		{"never updated", nil, ChartWeeks, "No update in the last 12 weeks"},
		{"only before the chart", []time.Time{now.AddDate(0, 0, -7*ChartWeeks)}, ChartWeeks, "No update in the last 12 weeks"},
	} {
		c := buildChart(tc.updates, now, loc, cadence, cal)
		if c.EmptyRecent != tc.want || gapText(c) != tc.line {
			t.Errorf("%s: EmptyRecent %d, line %q; want %d, %q", tc.name, c.EmptyRecent, gapText(c), tc.want, tc.line)
		}
	}
}

// TestChartMarksTheGap renders the typical history and checks the image:
// twice the CSS size the HTML shows, the same bytes every time, and the
// gap's red (hatched bars, bracket, the line under the title) drawn, in
// the right part of the plot where the empty weeks are; a history with an
// update this week has no red at all.
func TestChartMarksTheGap(t *testing.T) {
	c, _ := chartHistory(t)
	a, err := ChartPNG(c, "Dana Whitfield")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ChartPNG(c, "Dana Whitfield")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("two renders of the same chart differ")
	}
	saveArtifact(t, "chart-gap.png", a)
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	size := img.Bounds().Size()
	if size.X != 2*chartWidthPx || size.Y != 2*chartHeightPx {
		t.Fatalf("chart is %v, want %dx%d", size, 2*chartWidthPx, 2*chartHeightPx)
	}
	// The plot starts below the header (about 70 CSS px); its right
	// quarter holds the last three weeks, its left half none of them.
	plotTop := 2 * 75
	right := image.Rect(size.X*3/4, plotTop, size.X, size.Y)
	left := image.Rect(0, plotTop, size.X/2, size.Y)
	if n := countNear(img, right, chartGap); n < 300 {
		t.Errorf("%d gap-red pixels over the last three weeks, want the hatched bars and bracket", n)
	}
	if n := countNear(img, left, chartGap); n != 0 {
		t.Errorf("%d gap-red pixels over the first six weeks, want none", n)
	}
	header := image.Rect(0, 0, size.X, plotTop)
	if n := countNear(img, header, chartGap); n < 100 {
		t.Errorf("%d gap-red pixels in the header, want the line under the title", n)
	}

	c.Weeks[len(c.Weeks)-1].Count = 1
	c.EmptyRecent = 0
	ok, err := ChartPNG(c, "Dana Whitfield")
	if err != nil {
		t.Fatal(err)
	}
	saveArtifact(t, "chart-updated.png", ok)
	img, err = png.Decode(bytes.NewReader(ok))
	if err != nil {
		t.Fatal(err)
	}
	if n := countNear(img, img.Bounds(), chartGap); n != 0 {
		t.Errorf("%d gap-red pixels in a chart with an update this week, want none", n)
	}
}

// TestChartNoWeeks checks a chart without data still draws (the header
// alone) rather than failing the digest.
func TestChartNoWeeks(t *testing.T) {
	b, err := ChartPNG(Chart{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
}

// countNear counts the pixels in r within a small distance of col.
func countNear(img image.Image, r image.Rectangle, col interface{ RGBA() (r, g, b, a uint32) }) int {
	cr, cg, cb, _ := col.RGBA()
	near := func(a, b uint32) bool {
		d := int(a>>8) - int(b>>8)
		return d > -24 && d < 24
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, cr) && near(pg, cg) && near(pb, cb) {
				n++
			}
		}
	}
	return n
}

// chartWorkweek is Monday to Friday.
var chartWorkweek = [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}

// TestChartTargetText checks the key's words for the dashed line.
func TestChartTargetText(t *testing.T) {
	for _, tc := range []struct {
		target  float64
		cadence string
		want    string
	}{
		{1, "5 workdays", "target: 1 a week (every 5 workdays)"},
		{7, "1 day", "target: 7 a week (every day)"},
		{7.0 / 3, "3 days", "target: 2.3 a week (every 3 days)"},
		{0.5, "2 weeks", "target: an update every 2 weeks"},
		{1, "1 week", "target: 1 a week (every week)"},
	} {
		if got := targetText(Chart{Target: tc.target, Cadence: tc.cadence}); got != tc.want {
			t.Errorf("%v, %q: %q, want %q", tc.target, tc.cadence, got, tc.want)
		}
	}
}

// TestChartImgTag checks the HTML shows the chart at the size it is drawn
// for, shrinking with the screen: width and height attributes for clients
// that ignore CSS, width:100% up to that width, height following.
func TestChartImgTag(t *testing.T) {
	r := renderFixture(t, Detailed)
	for _, want := range []string{
		fmt.Sprintf(`width="%d" height="%d"`, chartWidthPx, chartHeightPx),
		fmt.Sprintf("width:100%%;max-width:%dpx;height:auto;", chartWidthPx),
		"W47:0; none yet this week",
	} {
		if !strings.Contains(r.HTML, want) {
			t.Errorf("the chart's <img> lacks %q", want)
		}
	}
}
