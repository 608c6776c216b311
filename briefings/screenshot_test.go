package briefings_test

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// TestHTMLScreenshot renders the printable HTML page in headless Chromium and checks
// the picture: not blank, a red masthead near the top, dark text on the page. It needs
// the chromium package and, for the Chinese glyphs, fonts-noto-cjk (CI installs both);
// without chromium it is skipped. Set BRIEFBOT_SCREENSHOT to a path to keep the PNG.
func TestHTMLScreenshot(t *testing.T) {
	ms, _ := fixture(t)
	page := briefings.Compose(ms, lateOptions(briefbot.LangZH)).HTML()

	img := screenshot(t, page, "BRIEFBOT_SCREENSHOT")
	r := img.Bounds()
	if r.Dx() < 1000 || r.Dy() < 1500 {
		t.Fatalf("screenshot is %dx%d; want about 1240x1754", r.Dx(), r.Dy())
	}

	var red, redTop, dark, other int
	var firstColor [3]uint32
	top := r.Min.Y + r.Dy()/4 // the masthead sits in the top quarter of the first page
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := rgb(img, x, y)
			if y == r.Min.Y && x == r.Min.X {
				firstColor = c
			}
			if c != firstColor {
				other++
			}
			switch {
			case c[0] > 180 && c[1] < 80 && c[2] < 80:
				red++
				if y < top {
					redTop++
				}
			case c[0] < 80 && c[1] < 80 && c[2] < 80:
				dark++
			}
		}
	}
	t.Logf("%dx%d: %d red pixels (%d in the top quarter), %d dark pixels", r.Dx(), r.Dy(), red, redTop, dark)
	if other < r.Dx()*r.Dy()/10 {
		t.Errorf("the page looks blank: only %d pixels differ from the corner", other)
	}
	if redTop < 3000 {
		t.Errorf("%d red pixels in the masthead area; want a red masthead (at least 3000)", redTop)
	}
	if dark < 20000 {
		t.Errorf("%d dark pixels; want the page to carry text (at least 20000)", dark)
	}
}

// rgb returns the 8-bit colour of a pixel.
func rgb(img image.Image, x, y int) [3]uint32 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint32{r >> 8, g >> 8, b >> 8}
}

// screenshot renders page in headless Chromium at A4 size and returns the picture. It
// skips the test where Chromium is not installed, but fails under CI, which installs
// it. Set the environment variable keep names to a path to keep the PNG.
func screenshot(t *testing.T, page, keep string) image.Image {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" { // CI installs it (.ci/run): missing there is a failure
			t.Fatal("chromium is not installed; .ci/run must install chromium and fonts-noto-cjk")
		}
		t.Skip("chromium is not installed (apt-get install chromium fonts-noto-cjk); skipping the screenshot check")
	}
	dir := t.TempDir()
	htmlPath := filepath.Join(dir, "page.html")
	pngPath := filepath.Join(dir, "page.png")
	if k := os.Getenv(keep); k != "" {
		pngPath = k
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
	return img
}
