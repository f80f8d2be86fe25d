package digest

import (
	"bytes"
	"fmt"
	"image/color"
	"time"

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

// Chart geometry: drawn at twice the pixels it is shown at, so it stays
// sharp on high-density screens.
const (
	chartWidthPx  = 600 // as shown in the HTML
	chartHeightPx = 200
	chartDPI      = 192 // 2× the 96 dpi of CSS pixels
)

var (
	chartInk    = color.RGBA{R: 0x33, G: 0x41, B: 0x55, A: 0xff}
	chartMet    = color.RGBA{R: 0x2f, G: 0x85, B: 0x5a, A: 0xff}
	chartMissed = color.RGBA{R: 0xd9, G: 0x8e, B: 0x04, A: 0xff}
	chartTarget = color.RGBA{R: 0xc5, G: 0x30, B: 0x30, A: 0xff}
)

// ChartPNG draws the updates per week as bars, green where the week met the
// cadence and amber where it did not, with the cadence target as a dashed
// line. The output depends only on the chart data, so it is byte-for-byte
// reproducible.
func ChartPNG(c Chart, boss string) ([]byte, error) {
	p := plot.New()
	who := boss
	if who == "" {
		who = "your boss"
	}
	p.Title.Text = fmt.Sprintf("Your updates to %s, last %d weeks", who, len(c.Weeks))
	p.Title.TextStyle.Color = chartInk
	p.Title.TextStyle.Font = sans(10)
	p.Title.Padding = vg.Points(4)
	p.Y.Label.Text = "updates"
	p.Y.Min = 0
	met, missed := make(plotter.Values, len(c.Weeks)), make(plotter.Values, len(c.Weeks))
	labels := make([]string, len(c.Weeks))
	top := c.Target
	for i, w := range c.Weeks {
		labels[i] = fmt.Sprintf("W%d", w.Week)
		if c.Target > 0 && float64(w.Count) < c.Target {
			missed[i] = float64(w.Count)
		} else {
			met[i] = float64(w.Count)
		}
		top = max(top, float64(w.Count))
	}
	p.Y.Max = max(2, top+0.5)
	p.Y.Tick.Marker = integerTicks{}
	p.NominalX(labels...)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Color = chartInk
		a.Tick.Color = chartInk
		a.Tick.Label.Color = chartInk
		a.Tick.Label.Font = sans(7.5)
		a.Label.TextStyle.Color = chartInk
		a.Label.TextStyle.Font = sans(8)
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil // bars need no vertical rules
	grid.Horizontal.Color = color.RGBA{R: 0xe5, G: 0xe7, B: 0xeb, A: 0xff}
	p.Add(grid)
	barWidth := vg.Points(18)
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
		line, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: c.Target}, {X: float64(len(c.Weeks)) - 0.5, Y: c.Target}})
		if err != nil {
			return nil, fmt.Errorf("chart target: %w", err)
		}
		line.Color = chartTarget
		line.Width = vg.Points(1.2)
		line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(line)
		p.Legend.Add("cadence: "+c.Cadence, line)
		p.Legend.Top = true
		p.Legend.TextStyle.Font = sans(7.5)
		p.Legend.TextStyle.Color = chartInk
	}
	p.X.Min, p.X.Max = -0.6, float64(len(c.Weeks))-0.4

	w := vg.Length(chartWidthPx) * vg.Inch / 96
	h := vg.Length(chartHeightPx) * vg.Inch / 96
	canvas := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(canvas))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart png: %w", err)
	}
	return buf.Bytes(), nil
}

// sans is the chart's typeface (Liberation Sans, embedded in plot) at size
// points.
func sans(size float64) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
}

// integerTicks labels the count axis with whole numbers only.
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(min, max float64) []plot.Tick {
	step := 1.0
	for (max-min)/step > 6 {
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

var _ plot.Ticker = integerTicks{}
