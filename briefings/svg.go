package briefings

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"time"
)

// The charts of the ledger reports are drawn here as standalone SVG 1.1 strings: no
// scripts, no external fonts or images, every text escaped for XML.

const svgFont = `'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif`

// Chart geometry, in SVG user units (CSS pixels).
const (
	chartWidth   = 640
	barLabelW    = 170 // the label column of the bar chart
	barValueW    = 60  // room for the value after the longest bar
	barRowH      = 28
	barTitleH    = 36
	trendHeight  = 280
	trendLeft    = 48
	trendRight   = 20
	trendTop     = 40
	trendBottom  = 40
	chartBarFill = "#c0392b"
	chartLine    = "#d40000"
)

// svgEscape writes s escaped as XML character data (valid in attributes too):
// markup characters become entities, characters XML forbids become U+FFFD.
func svgEscape(w *strings.Builder, s string) {
	_ = xml.EscapeText(w, []byte(s)) // a strings.Builder never fails
}

func svgOpen(w *strings.Builder, width, height int, title string) {
	w.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="`)
	w.WriteString(strconv.Itoa(width))
	w.WriteString(`" height="`)
	w.WriteString(strconv.Itoa(height))
	w.WriteString(`" viewBox="0 0 `)
	w.WriteString(strconv.Itoa(width) + " " + strconv.Itoa(height))
	w.WriteString(`" role="img" font-family="` + svgFont + `" font-size="13">`)
	w.WriteString("<title>")
	svgEscape(w, title)
	w.WriteString("</title>")
	w.WriteString(`<rect x="0" y="0" width="` + strconv.Itoa(width) + `" height="` + strconv.Itoa(height) + `" fill="#ffffff"/>`)
	w.WriteString(`<text x="` + strconv.Itoa(width/2) + `" y="22" text-anchor="middle" font-size="15" font-weight="bold" fill="#000000">`)
	svgEscape(w, title)
	w.WriteString("</text>")
}

// num formats v with at most one decimal, without a trailing ".0".
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// coord formats a coordinate with at most two decimals.
func coord(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// BarChartSVG draws a horizontal bar chart: one row per label, the label on the left,
// a bar as long as value/max of the drawing width, and the value at its end. Values
// are clamped to 0..max; max <= 0 means the largest value. It returns a standalone
// SVG 1.1 document with all text escaped.
func BarChartSVG(title string, labels []string, values []float64, max float64) string {
	n := min(len(labels), len(values))
	if max <= 0 {
		for _, v := range values[:n] {
			max = math.Max(max, v)
		}
		if max <= 0 {
			max = 1
		}
	}
	height := barTitleH + barRowH*n + 12
	if n == 0 {
		height = barTitleH + 12
	}
	var w strings.Builder
	w.Grow(512 + 256*n)
	svgOpen(&w, chartWidth, height, title)
	barW := float64(chartWidth - barLabelW - barValueW - 10)
	// The axis.
	w.WriteString(`<line x1="` + strconv.Itoa(barLabelW) + `" y1="` + strconv.Itoa(barTitleH-4) + `" x2="` + strconv.Itoa(barLabelW) +
		`" y2="` + strconv.Itoa(height-8) + `" stroke="#666666" stroke-width="1"/>`)
	for i := range n {
		v := values[i]
		if math.IsNaN(v) || v < 0 {
			v = 0
		}
		frac := math.Min(v/max, 1)
		y := barTitleH + i*barRowH
		label := cutRunes(labels[i], 12, "…")
		w.WriteString(`<text x="` + strconv.Itoa(barLabelW-8) + `" y="` + strconv.Itoa(y+barRowH/2+5) + `" text-anchor="end" fill="#000000">`)
		svgEscape(&w, label)
		w.WriteString("</text>")
		bw := barW * frac
		w.WriteString(`<rect x="` + strconv.Itoa(barLabelW+1) + `" y="` + strconv.Itoa(y+5) + `" width="` + coord(bw) +
			`" height="` + strconv.Itoa(barRowH-10) + `" fill="` + chartBarFill + `"/>`)
		w.WriteString(`<text x="` + coord(float64(barLabelW)+bw+6) + `" y="` + strconv.Itoa(y+barRowH/2+5) + `" fill="#000000">`)
		svgEscape(&w, num(values[i]))
		w.WriteString("</text>")
	}
	w.WriteString("</svg>")
	return w.String()
}

// TrendSVG draws a line chart of the open items at each point, dates (in loc) along
// the bottom, counts up the side. It returns a standalone SVG 1.1 document.
func TrendSVG(title string, points []TrendPoint, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	var w strings.Builder
	w.Grow(1024 + 200*len(points))
	svgOpen(&w, chartWidth, trendHeight, title)
	x0, x1 := float64(trendLeft), float64(chartWidth-trendRight)
	y0, y1 := float64(trendHeight-trendBottom), float64(trendTop) // y0 is the baseline
	top := 0
	for _, p := range points {
		top = max(top, p.Open)
	}
	step := niceStep(top)
	ymax := step * 4
	if ymax < top {
		ymax = top
	}
	yOf := func(v int) float64 { return y0 - (y0-y1)*float64(v)/float64(ymax) }
	// Grid and y labels.
	for v := 0; v <= ymax; v += step {
		y := coord(yOf(v))
		w.WriteString(`<line x1="` + coord(x0) + `" y1="` + y + `" x2="` + coord(x1) + `" y2="` + y + `" stroke="#dddddd" stroke-width="1"/>`)
		w.WriteString(`<text x="` + coord(x0-6) + `" y="` + coord(yOf(v)+4) + `" text-anchor="end" font-size="11" fill="#333333">` + strconv.Itoa(v) + `</text>`)
	}
	w.WriteString(`<line x1="` + coord(x0) + `" y1="` + coord(y0) + `" x2="` + coord(x1) + `" y2="` + coord(y0) + `" stroke="#666666" stroke-width="1"/>`)
	xOf := func(i int) float64 {
		if len(points) == 1 {
			return (x0 + x1) / 2
		}
		return x0 + 10 + (x1-x0-20)*float64(i)/float64(len(points)-1)
	}
	if len(points) > 0 {
		w.WriteString(`<polyline fill="none" stroke="` + chartLine + `" stroke-width="2" points="`)
		for i, p := range points {
			if i > 0 {
				w.WriteByte(' ')
			}
			w.WriteString(coord(xOf(i)) + "," + coord(yOf(p.Open)))
		}
		w.WriteString(`"/>`)
	}
	every := 1 + (len(points)-1)/12 // at most about 12 date labels
	for i, p := range points {
		x, y := coord(xOf(i)), yOf(p.Open)
		w.WriteString(`<circle cx="` + x + `" cy="` + coord(y) + `" r="3" fill="` + chartLine + `"/>`)
		w.WriteString(`<text x="` + x + `" y="` + coord(y-7) + `" text-anchor="middle" font-size="11" fill="#000000">` + strconv.Itoa(p.Open) + `</text>`)
		if i%every == 0 || i == len(points)-1 {
			t := p.At.In(loc)
			w.WriteString(`<text x="` + x + `" y="` + coord(y0+18) + `" text-anchor="middle" font-size="11" fill="#333333">`)
			svgEscape(&w, strconv.Itoa(int(t.Month()))+"/"+strconv.Itoa(t.Day()))
			w.WriteString("</text>")
		}
	}
	w.WriteString("</svg>")
	return w.String()
}

// niceStep is a round grid step showing 0..top in about four steps.
func niceStep(top int) int {
	if top <= 4 {
		return 1
	}
	raw := float64(top) / 4
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return int(m * p)
		}
	}
	return int(10 * p)
}
