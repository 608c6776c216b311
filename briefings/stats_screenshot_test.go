package briefings_test

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefings"
)

// TestStatsHTMLScreenshot renders the yearly roll-up page in headless Chromium and
// checks the picture: not blank, a red masthead near the top, and the bar chart drawn
// (pixels of the bar colour #c0392b). Without chromium it is skipped, except under CI,
// where it fails. Set BRIEFBOT_STATS_SCREENSHOT to a path to keep the PNG.
func TestStatsHTMLScreenshot(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run must install chromium and fonts-noto-cjk")
		}
		t.Skip("chromium is not installed (apt-get install chromium fonts-noto-cjk); skipping the screenshot check")
	}
	from, to := briefings.YearPeriod(2026, shanghai)
	o := statsOptions()
	o.From, o.To, o.Now = from, to, time.Date(2027, 1, 4, 9, 0, 0, 0, shanghai)
	page := briefings.ComputeStats(statsFixture(t), o).HTML()

	dir := t.TempDir()
	htmlPath := filepath.Join(dir, "stats.html")
	pngPath := filepath.Join(dir, "stats.png")
	if keep := os.Getenv("BRIEFBOT_STATS_SCREENSHOT"); keep != "" {
		pngPath = keep
	}
	if err := os.WriteFile(htmlPath, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--screenshot="+pngPath, "--window-size=1240,1754", "file://"+htmlPath)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode the screenshot: %v", err)
	}
	r := img.Bounds()
	if r.Dx() < 1000 || r.Dy() < 1500 {
		t.Fatalf("screenshot is %dx%d; want about 1240x1754", r.Dx(), r.Dy())
	}
	near := func(a, b uint32) bool { return a+24 >= b && b+24 >= a }
	var redTop, bar, other int
	first := rgb(img, r.Min.X, r.Min.Y)
	top := r.Min.Y + r.Dy()/4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := rgb(img, x, y)
			if c != first {
				other++
			}
			if y < top && c[0] > 180 && c[1] < 60 && c[2] < 60 {
				redTop++
			}
			if near(c[0], 0xc0) && near(c[1], 0x39) && near(c[2], 0x2b) {
				bar++
			}
		}
	}
	t.Logf("%dx%d: %d red pixels in the top quarter, %d bar-coloured pixels", r.Dx(), r.Dy(), redTop, bar)
	if other < r.Dx()*r.Dy()/10 {
		t.Errorf("the page looks blank: only %d pixels differ from the corner", other)
	}
	if redTop < 3000 {
		t.Errorf("%d red pixels in the masthead area; want a red masthead (at least 3000)", redTop)
	}
	if bar < 2000 {
		t.Errorf("%d bar-coloured pixels; want the on-time bar chart visible (at least 2000)", bar)
	}
}
