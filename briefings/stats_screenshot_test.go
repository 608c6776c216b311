package briefings_test

import (
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefings"
)

// TestStatsHTMLScreenshot renders the yearly roll-up page in headless Chromium and
// checks the picture: not blank, a red masthead near the top, and the bar chart drawn
// (pixels of the bar colour #c0392b). Without chromium it is skipped, except under CI,
// where it fails. Set BRIEFBOT_STATS_SCREENSHOT to a path to keep the PNG.
func TestStatsHTMLScreenshot(t *testing.T) {
	from, to := briefings.YearPeriod(2026, shanghai)
	o := statsOptions()
	o.From, o.To, o.Now = from, to, time.Date(2027, 1, 4, 9, 0, 0, 0, shanghai)
	page := briefings.ComputeStats(statsFixture(t), o).HTML()

	img := screenshot(t, page, "BRIEFBOT_STATS_SCREENSHOT")
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
