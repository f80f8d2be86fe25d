package digest

import (
	"bytes"
	"context"
	"image"
	"image/png"
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
