package digest

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// artifactsDir holds what tests leave for people to look at (git-ignored).
const artifactsDir = "testdata/artifacts"

// saveArtifact writes b under the artifacts directory and logs where.
func saveArtifact(t *testing.T, name string, b []byte) string {
	t.Helper()
	if err := os.MkdirAll(artifactsDir, 0o755); err != nil {
		t.Fatalf("artifacts dir: %v", err)
	}
	path := filepath.Join(artifactsDir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatalf("write artifact: %v", err)
	}
	abs, _ := filepath.Abs(path)
	t.Logf("artifact: %s", abs)
	return path
}

// distinctColours counts the colours in img, stopping at limit.
func distinctColours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// chromium finds a headless-capable Chromium, or skips the test (fails on
// CI, where it must be installed).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; CI must install it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); skipping the browser rendering test")
	return ""
}

// screenshot renders an HTML file in headless Chromium and returns the PNG.
// The cid: chart is replaced by a file next to the page, as a mail client
// would show the inline part.
func screenshot(t *testing.T, bin, html string, chart []byte, cid string, width, height int) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "chart.png"), chart, 0o644); err != nil {
		t.Fatal(err)
	}
	html = strings.ReplaceAll(html, "cid:"+cid, "chart.png")
	page := filepath.Join(dir, "digest.html")
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--force-device-scale-factor=1",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height),
		"--screenshot="+out, "file://"+page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v\n%s", err, stderr.String())
	}
	return b
}

// TestBrowserRendering renders the digest HTML in headless Chromium at a
// desktop and a phone width, saves the screenshots as artifacts, and checks
// each is a real page: the expected size and not one colour.
func TestBrowserRendering(t *testing.T) {
	bin := chromium(t)
	for _, style := range []string{Detailed, Summary} {
		r := renderFixture(t, style)
		for _, v := range []struct {
			name          string
			html          string
			width, height int
		}{
			{style + "-desktop", r.HTML, 900, 1700},
			{style + "-phone", r.HTML, 400, 2400},
			{style + "-draft", r.DraftHTML, 800, 1200},
		} {
			t.Run(v.name, func(t *testing.T) {
				b := screenshot(t, bin, v.html, r.Chart, r.ChartCID, v.width, v.height)
				saveArtifact(t, "digest-"+v.name+".png", b)
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("screenshot is not a PNG: %v", err)
				}
				if got := img.Bounds().Size(); got.X != v.width || got.Y != v.height {
					t.Errorf("screenshot is %v, want %dx%d", got, v.width, v.height)
				}
				if n := distinctColours(img, 40); n < 20 {
					t.Errorf("screenshot has %d colours: the page did not render", n)
				}
			})
		}
	}
}

// chartBox is how a browser lays out the digest's chart: the viewport's
// width, the image's displayed size in CSS pixels and its natural size.
type chartBox struct {
	Viewport      float64 `json:"vw"`
	Width, Height float64
	NaturalWidth  float64 `json:"nw"`
	NaturalHeight float64 `json:"nh"`
}

// measureChart lays the digest HTML out in headless Chromium at width CSS
// pixels and reads back the chart's box. Headless Chromium will not make a
// window narrower than 500 px, so the page sits in an iframe of that width
// (a viewport of its own, as a phone's screen is, and without a scroll bar,
// which a phone lays over the page); a script added to the
// test's copy of the page posts the box to the frame around it once the
// image has loaded, and --dump-dom prints it.
func measureChart(t *testing.T, bin, page string, chart []byte, cid string, width int) chartBox {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "chart.png"), chart, 0o644); err != nil {
		t.Fatal(err)
	}
	const probe = `<script>window.addEventListener("load", function () {
  var i = document.querySelector('img[src="chart.png"]'), r = i ? i.getBoundingClientRect() : {width: 0, height: 0};
  parent.postMessage(JSON.stringify({vw: window.innerWidth, width: r.width, height: r.height,
    nw: i ? i.naturalWidth : 0, nh: i ? i.naturalHeight : 0}), "*");
});</script>`
	page = strings.ReplaceAll(page, "cid:"+cid, "chart.png")
	if !strings.Contains(page, "</body>") {
		t.Fatal("the digest HTML has no </body>")
	}
	page = strings.Replace(page, "</body>", probe+"</body>", 1)
	if err := os.WriteFile(filepath.Join(dir, "digest.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	frame := `<!DOCTYPE html><html><body style="margin:0"><pre id="box"></pre>` +
		`<iframe src="digest.html" width="` + strconv.Itoa(width) + `" height="1600" scrolling="no" style="border:0;display:block"></iframe>` +
		`<script>window.addEventListener("message", function (e) { document.getElementById("box").textContent = e.data; });</script>` +
		`</body></html>`
	if err := os.WriteFile(filepath.Join(dir, "frame.html"), []byte(frame), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--force-device-scale-factor=1", "--virtual-time-budget=10000",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--window-size="+strconv.Itoa(max(width, 900))+",1700",
		"--dump-dom", "file://"+filepath.Join(dir, "frame.html"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom := stdout.String()
	start := strings.Index(dom, `<pre id="box">`)
	end := strings.Index(dom, "</pre>")
	if start < 0 || end < start {
		t.Fatalf("chromium printed no page:\n%s\n%s", dom, stderr.String())
	}
	text := html.UnescapeString(dom[start+len(`<pre id="box">`) : end])
	if text == "" {
		t.Fatalf("the page never reported the chart's box (did it load?)\n%s", stderr.String())
	}
	var box chartBox
	if err := json.Unmarshal([]byte(text), &box); err != nil {
		t.Fatalf("chart box %q: %v", text, err)
	}
	return box
}

// TestBrowserChartSize lays the digest out in Chromium on a 400 px phone
// and a desktop and checks the chart: never wider than the screen or than
// the size it is drawn for, not distorted, twice as many pixels as it is
// shown at, and its smallest text, 14 px as drawn, still at least 12 px on
// the phone. The phone page with a three-week gap is saved to look at.
func TestBrowserChartSize(t *testing.T) {
	bin := chromium(t)
	in := fixtureInput(t, Detailed)
	var kept []time.Time
	for _, u := range in.Updates {
		if u.Before(time.Date(2026, time.November, 2, 0, 0, 0, 0, in.Loc)) {
			kept = append(kept, u)
		}
	}
	// One in week 44, then nothing in weeks 45, 46 and 47.
	in.Updates = append(kept, time.Date(2026, time.October, 30, 16, 0, 0, 0, in.Loc))
	m := Build(in)
	if m.Chart.EmptyRecent != 3 {
		t.Fatalf("EmptyRecent = %d, want 3", m.Chart.EmptyRecent)
	}
	r, err := Render(m, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.HTML, "none in the last 3 weeks") {
		t.Errorf("the chart's alt text does not say the last 3 weeks had no update")
	}
	for _, width := range []int{400, 900} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			b := measureChart(t, bin, r.HTML, r.Chart, r.ChartCID, width)
			t.Logf("viewport %v: chart shown %.0fx%.0f, natural %.0fx%.0f", b.Viewport, b.Width, b.Height, b.NaturalWidth, b.NaturalHeight)
			if b.Viewport != float64(width) {
				t.Fatalf("viewport is %v px, want %d", b.Viewport, width)
			}
			if b.NaturalWidth != 2*chartWidthPx || b.NaturalHeight != 2*chartHeightPx {
				t.Errorf("natural size %vx%v, want %dx%d", b.NaturalWidth, b.NaturalHeight, 2*chartWidthPx, 2*chartHeightPx)
			}
			if b.Width <= 0 || b.Width > min(b.Viewport, chartWidthPx) {
				t.Errorf("chart shown %v px wide on a %v px screen, want at most %v", b.Width, b.Viewport, min(b.Viewport, chartWidthPx))
			}
			if got, want := b.Width/b.Height, b.NaturalWidth/b.NaturalHeight; math.Abs(got-want) > 0.01 {
				t.Errorf("chart shown at ratio %.3f, drawn at %.3f: distorted", got, want)
			}
			if text := chartSmallText * b.Width / chartWidthPx; text < 12 {
				t.Errorf("chart shown %v px wide: its %d px text is %.1f px, want at least 12", b.Width, chartSmallText, text)
			}
		})
	}
	shot := screenshot(t, bin, r.HTML, r.Chart, r.ChartCID, 400, 900)
	saveArtifact(t, "digest-phone-gap.png", shot)
}
