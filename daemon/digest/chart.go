package digest

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"
	"time"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/leadup/leadup/daemon/calendar"
)

// buildChart counts the user's updates per week (Monday to Sunday in loc)
// over the ChartWeeks weeks that end with the week of now.
func buildChart(updates []time.Time, now time.Time, loc *time.Location, cadence calendar.Span, cal calendar.Calendar) Chart {
	c := Chart{Target: weeklyTarget(cadence, cal), Cadence: cadence.String()}
	thisWeek := weekStart(now, loc)
	for i := ChartWeeks - 1; i >= 0; i-- {
		start := thisWeek.AddDate(0, 0, -7*i)
		_, w := start.ISOWeek()
		c.Weeks = append(c.Weeks, WeekCount{Start: start, Week: w})
	}
	first := c.Weeks[0].Start
	for _, u := range updates {
		if u.Before(first) || u.After(now) {
			continue
		}
		for i := len(c.Weeks) - 1; i >= 0; i-- {
			if !u.Before(c.Weeks[i].Start) {
				c.Weeks[i].Count++
				c.Total++
				break
			}
		}
	}
	for i := len(c.Weeks) - 1; i >= 0 && c.Weeks[i].Count == 0; i-- {
		c.EmptyRecent++
	}
	return c
}

// weekStart is Monday 00:00 of t's week in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	y, m, d := t.AddDate(0, 0, -back).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// weeklyTarget is how many updates a week the cadence asks for: "5
// workdays" on a five-day week is one, "3 days" is 7/3, "2 weeks" a half.
func weeklyTarget(s calendar.Span, cal calendar.Calendar) float64 {
	if s.IsZero() {
		return 0
	}
	n := float64(s.N)
	switch s.Unit {
	case calendar.Weeks:
		return 1 / n
	case calendar.Days:
		return 7 / n
	case calendar.Workdays:
		days := 0
		for _, w := range cal.Workdays {
			if w {
				days++
			}
		}
		if days == 0 {
			days = 5
		}
		return float64(days) / n
	case calendar.Hours:
		return 7 * 24 / n
	case calendar.Minutes:
		return 7 * 24 * 60 / n
	}
	return 0
}

// Chart geometry, in CSS pixels: the size the HTML shows it at, at most.
// It is drawn for a phone: the digest's note box is about 335 px wide on a
// 400 px screen, so the chart shrinks at most to 0.93 and its smallest text
// (14 px) stays about 13 px. The PNG has twice the pixels so it stays sharp
// on high-density screens.
const (
	chartWidthPx  = 360
	chartHeightPx = 240
	chartDPI      = 192 // 2× the 96 dpi of CSS pixels

	chartSmallText = 14 // axis labels, the key, the "none" mark
	chartLabelStep = 3  // a date under every third week, counted back from this week
)

var (
	chartInk    = color.RGBA{R: 0x33, G: 0x41, B: 0x55, A: 0xff}
	chartGrid   = color.RGBA{R: 0xe5, G: 0xe7, B: 0xeb, A: 0xff}
	chartMet    = color.RGBA{R: 0x2f, G: 0x85, B: 0x5a, A: 0xff}
	chartMissed = color.RGBA{R: 0xd9, G: 0x8e, B: 0x04, A: 0xff}
	chartGap    = color.RGBA{R: 0xc5, G: 0x30, B: 0x30, A: 0xff}
	chartGapBg  = color.RGBA{R: 0xfd, G: 0xec, B: 0xec, A: 0xff}
)

// px is a length in CSS pixels.
func px(n float64) vg.Length { return vg.Length(n) * vg.Inch / 96 }

// ChartPNG draws the updates per week as bars, green where the week met the
// cadence and amber where it did not, with the cadence target as a dashed
// line named in the key above. The weeks without an update at the end, the
// gap the user has to close, are hatched red bars up to the target under a
// bracket marked "none", and the line under the title says how long the gap
// is. Under the bars every third week, counted back from this one, is dated
// by its Monday. The output depends only on the chart data, so it is
// byte-for-byte reproducible.
func ChartPNG(c Chart, boss string) ([]byte, error) {
	canvas := vgimg.NewWith(vgimg.UseWH(px(chartWidthPx), px(chartHeightPx)),
		vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(canvas)
	dc = draw.Crop(dc, px(6), -px(8), px(4), -px(6))

	// The header: title, the gap, the key.
	top := dc.Max.Y
	line := func(sty draw.TextStyle, x vg.Length, txt string) {
		sty.YAlign = draw.YTop
		dc.FillText(sty, vg.Point{X: x, Y: top}, txt)
	}
	who := FirstName(boss)
	if who == "" {
		who = "your boss"
	}
	title := fmt.Sprintf("Your updates to %s, per week", who)
	size := 16.0 // smaller for a long first name, down to the axes' size
	for size > chartSmallText && chartText(size, true, chartInk).Width(title) > dc.Size().X {
		size--
	}
	line(chartText(size, true, chartInk), dc.Min.X, title)
	top -= px(22)
	if gap := gapText(c); gap != "" {
		col := chartGap
		if c.EmptyRecent == 1 {
			col = chartMissed
		}
		line(chartText(15, true, col), dc.Min.X, gap)
		top -= px(21)
	}
	if c.Target > 0 {
		mid := top - px(chartSmallText)*0.55
		dc.StrokeLine2(targetStyle(), dc.Min.X, mid, dc.Min.X+px(22), mid)
		line(chartText(chartSmallText, false, chartInk), dc.Min.X+px(28), targetText(c))
		top -= px(20)
	}
	top -= px(8) // room for the top count's label

	p, err := chartPlot(c)
	if err != nil {
		return nil, err
	}
	p.Draw(draw.Crop(dc, 0, 0, 0, top-dc.Max.Y))

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart png: %w", err)
	}
	return buf.Bytes(), nil
}

// targetText names the dashed line: "target: 1 a week (every 5
// workdays)", "target: 7 a week (every day)", "target: an update every 2
// weeks".
func targetText(c Chart) string {
	every := c.Cadence
	if n, unit, ok := strings.Cut(every, " "); ok && n == "1" {
		every = unit
	}
	if c.Target < 1 {
		return "target: an update every " + every
	}
	return fmt.Sprintf("target: %s (every %s)", perWeek(c.Target), every)
}

// gapText is the line under the chart's title about the weeks at the end
// without an update, "" when this week has one.
func gapText(c Chart) string {
	switch {
	case c.EmptyRecent == 0:
		return ""
	case c.EmptyRecent == 1:
		return "None yet this week"
	}
	return fmt.Sprintf("No update in the last %d weeks", c.EmptyRecent)
}

// chartPlot is the bars, the target line and the gap's mark, with the
// axes.
func chartPlot(c Chart) (*plot.Plot, error) {
	p := plot.New()
	n := len(c.Weeks)
	p.X.Min, p.X.Max = -0.6, float64(n)-0.4
	p.Y.Min = 0
	met, missed := make(plotter.Values, n), make(plotter.Values, n)
	var ticks []plot.Tick
	top := c.Target
	for i, w := range c.Weeks {
		if c.Target > 0 && float64(w.Count) < c.Target {
			missed[i] = float64(w.Count)
		} else {
			met[i] = float64(w.Count)
		}
		top = max(top, float64(w.Count))
		if (n-1-i)%chartLabelStep == 0 {
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: w.Start.Format("2 Jan")})
		}
	}
	p.Y.Max = max(2, top) + 0.3
	p.Y.Tick.Marker = integerTicks{}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Length = px(3)
	p.X.Padding = 0
	p.X.Color = chartInk
	p.Y.Width = 0 // the grid says the counts
	p.Y.Tick.Length = 0
	p.Y.Padding = px(2)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Color = chartInk
		a.Tick.Label = chartText(chartSmallText, false, chartInk)
	}
	p.X.Tick.Label.YAlign = draw.YTop
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil // bars need no vertical rules
	grid.Horizontal.Color = chartGrid
	p.Add(grid)

	barWidth := px(17)
	if n == 0 {
		return p, nil
	}
	for _, s := range []struct {
		vs  plotter.Values
		col color.Color
	}{{met, chartMet}, {missed, chartMissed}} {
		b, err := plotter.NewBarChart(s.vs, barWidth)
		if err != nil {
			return nil, fmt.Errorf("chart bars: %w", err)
		}
		b.Color = s.col
		b.LineStyle.Width = 0
		p.Add(b)
	}
	if c.Target > 0 {
		p.Add(zeroStubs{weeks: c.Weeks[:n-c.EmptyRecent], width: barWidth})
	}
	if c.EmptyRecent > 0 {
		height := c.Target
		if height <= 0 {
			height = 1
		}
		col := chartGap
		if c.EmptyRecent == 1 {
			col = chartMissed
		}
		p.Add(gapMark{first: n - c.EmptyRecent, last: n - 1, height: height, width: barWidth, col: col})
	}
	if c.Target > 0 {
		line, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: c.Target}, {X: p.X.Max, Y: c.Target}})
		if err != nil {
			return nil, fmt.Errorf("chart target: %w", err)
		}
		line.LineStyle = targetStyle()
		p.Add(line)
	}
	return p, nil
}

// targetStyle draws the cadence target.
func targetStyle() draw.LineStyle {
	return draw.LineStyle{Color: chartInk, Width: px(1.5), Dashes: []vg.Length{px(5), px(3)}}
}

// chartText is the chart's typeface (Liberation Sans, embedded in plot) at
// size CSS pixels.
func chartText(size float64, bold bool, col color.Color) draw.TextStyle {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: px(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return draw.TextStyle{Color: col, Font: f, Handler: plot.DefaultTextHandler}
}

// gapMark marks the weeks first to last, which have no update: a hatched
// empty bar up to height for each, and above them a bracket saying "none".
type gapMark struct {
	first, last int
	height      float64
	width       vg.Length
	col         color.Color
}

// Plot implements plot.Plotter.
func (g gapMark) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	y0, y1 := trY(0), trY(g.height)
	edge := draw.LineStyle{Color: g.col, Width: px(1.5), Dashes: []vg.Length{px(3), px(2)}}
	hatch := draw.LineStyle{Color: g.col, Width: px(1)}
	for i := g.first; i <= g.last; i++ {
		x0 := trX(float64(i)) - g.width/2
		x1 := x0 + g.width
		c.FillPolygon(chartGapBg, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		for _, l := range hatchLines(x0, y0, x1, y1, px(5)) {
			c.StrokeLine2(hatch, l[0].X, l[0].Y, l[1].X, l[1].Y)
		}
		c.StrokeLines(edge, []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}})
	}
	left := trX(float64(g.first)) - g.width/2
	right := trX(float64(g.last)) + g.width/2
	yb := y1 + px(7)
	solid := draw.LineStyle{Color: g.col, Width: px(1.5)}
	c.StrokeLines(solid, []vg.Point{{X: left, Y: yb - px(4)}, {X: left, Y: yb}, {X: right, Y: yb}, {X: right, Y: yb - px(4)}})
	sty := chartText(chartSmallText, true, g.col)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
	x := (left + right) / 2
	if w := sty.Width("none"); x+w/2 > c.Max.X {
		x = c.Max.X - w/2
	}
	c.FillText(sty, vg.Point{X: x, Y: yb + px(2)}, "none")
}

// GlyphBoxes implements plot.GlyphBoxer: room above the data for the
// bracket and its word.
func (g gapMark) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	sty := chartText(chartSmallText, true, g.col)
	w := sty.Width("none")
	return []plot.GlyphBox{{
		X: p.X.Norm(float64(g.last)), Y: p.Y.Norm(g.height),
		Rectangle: vg.Rectangle{Min: vg.Point{X: -w / 2, Y: 0}, Max: vg.Point{X: w / 2, Y: px(9) + sty.Height("none")}},
	}}
}

// zeroStubs marks the weeks without an update before the gap with a short
// amber stub, so a missed week reads as missed rather than as nothing.
type zeroStubs struct {
	weeks []WeekCount
	width vg.Length
}

// Plot implements plot.Plotter.
func (z zeroStubs) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	y0 := trY(0)
	for i, w := range z.weeks {
		if w.Count > 0 {
			continue
		}
		x0 := trX(float64(i)) - z.width/2
		x1 := x0 + z.width
		c.FillPolygon(chartMissed, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y0 + px(3)}, {X: x0, Y: y0 + px(3)}})
	}
}

// hatchLines are the 45° lines, step apart, that hatch the rectangle from
// (x0, y0) to (x1, y1).
func hatchLines(x0, y0, x1, y1, step vg.Length) [][2]vg.Point {
	h := y1 - y0
	var out [][2]vg.Point
	for k := x0 - h + step/2; k < x1; k += step {
		a := vg.Point{X: k, Y: y0}
		b := vg.Point{X: k + h, Y: y1}
		if a.X < x0 {
			a = vg.Point{X: x0, Y: y0 + (x0 - k)}
		}
		if b.X > x1 {
			b = vg.Point{X: x1, Y: y1 - (k + h - x1)}
		}
		if a.X < b.X {
			out = append(out, [2]vg.Point{a, b})
		}
	}
	return out
}

// integerTicks labels the count axis with whole numbers only.
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(min, max float64) []plot.Tick {
	step := 1.0
	for (max-min)/step > 4 {
		step *= 2
	}
	var ts []plot.Tick
	for v := 0.0; v <= max; v += step {
		if v >= min {
			ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%d", int(v))})
		}
	}
	return ts
}

var (
	_ plot.Ticker     = integerTicks{}
	_ plot.Plotter    = gapMark{}
	_ plot.GlyphBoxer = gapMark{}
	_ plot.Plotter    = zeroStubs{}
)
