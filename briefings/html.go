package briefings

import (
	"strconv"
	"strings"

	"github.com/briefbot/briefbot"
)

// HTML renders the briefing as a complete printable HTML5 page laid out like an
// official Chinese briefing (GB/T 9704 flavour): the red masthead title, the issue
// number, the compiling unit and the date over a red rule, the numbered sections, and
// the distribution (发送/抄送) between thin rules at the foot. The page is A4 and
// self-contained: inline CSS, no fonts, images or scripts fetched from anywhere. All
// text is escaped by html/template.
func (b *Briefing) HTML() string {
	page := htmlPage{
		Style: briefingStyle, Lang: "zh-CN", DocTitle: b.heading(), Masthead: b.Title, Committee: b.tr(strCommittee, b.CommitteeName),
		Issue: b.issue(), Compiler: b.compiler(), Date: b.date(), Notes: b.notes(),
		SummaryTitle: b.tr(strSummary), SummaryNote: b.summaryNote(), Foot: b.foot(),
	}
	if b.Lang == briefbot.LangEN {
		page.Lang = "en"
	}
	for _, r := range b.summary() {
		page.Summary = append(page.Summary, htmlRow{r.label, r.value})
	}
	ss := b.shown()
	if len(ss) == 0 {
		page.Nothing = b.tr(strNothing)
	}
	items := b.itemWriter()
	items.listFiles = true
	for n, s := range ss {
		hs := htmlSection{Title: b.sectionTitle(n, s) + b.sectionCount(s)}
		out := &htmlOut{}
		for i := range s.Items {
			items.write(out, i, &s.Items[i])
			out.items[i].Restricted = s.Items[i].Restricted
		}
		hs.Items = out.items
		page.Sections = append(page.Sections, hs)
	}
	var w strings.Builder
	if err := htmlTemplate.Execute(&w, page); err != nil {
		// The template and its data are ours; an error is a bug, not bad input.
		panic("briefings: html template: " + err.Error())
	}
	return w.String()
}

type htmlPage struct {
	Style                                                      pageStyle
	Lang, DocTitle, Masthead, Committee, Issue, Compiler, Date string
	Notes                                                      []string
	SummaryTitle, SummaryNote                                  string
	Summary                                                    []htmlRow
	Sections                                                   []htmlSection
	Nothing                                                    string
	Foot                                                       []string
}

type htmlRow struct{ Label, Value string }

type htmlSection struct {
	Title string
	Items []htmlItem
}

// seg is a run of text in a line; line is a line of runs.
type seg struct {
	Text   string
	Strong bool
}

type line []seg

type htmlItem struct {
	No         string
	Head       line
	Title      string
	Lines      []line
	Restricted bool
}

// htmlOut collects items for the template, which escapes them.
type htmlOut struct {
	items []htmlItem
	cur   *line
}

func (o *htmlOut) head(no int, number string) {
	o.items = append(o.items, htmlItem{No: strconv.Itoa(no) + ".", Head: line{{Text: number, Strong: true}}})
	o.cur = &o.items[len(o.items)-1].Head
}

func (o *htmlOut) run(s string, strong bool) { *o.cur = append(*o.cur, seg{Text: s, Strong: strong}) }

func (o *htmlOut) runBytes(s []byte, strong bool) { o.run(string(s), strong) }

func (o *htmlOut) title(s string) { o.items[len(o.items)-1].Title = s }

func (o *htmlOut) line() {
	it := &o.items[len(o.items)-1]
	it.Lines = append(it.Lines, nil)
	o.cur = &it.Lines[len(it.Lines)-1]
}

func (o *htmlOut) end() {}

// briefingStyle is the page of a briefing: GB/T 9704 margins, 三号 text.
var briefingStyle = pageStyle{Margin: "37mm 26mm 35mm 28mm", Font: "16pt", Line: "1.75", Page: " display: flex; flex-direction: column;",
	Masthead: "40pt", Spacing: ".12em", MastheadEN: "32pt", Meta: "14pt", Notes: "12pt"}

var htmlTemplate = page("briefing", `{{define "css"}}
.committee { margin: 2mm 0 0; text-align: center; font-size: 16pt; font-family: "KaiTi", "楷体", "STKaiti", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; }
.issue { margin: 2mm 0 5mm; text-align: center; font-size: 16pt; }
h2 { margin: 6mm 0 2mm; font-size: 16pt; font-weight: bold; line-height: 1.6;
  font-family: "SimHei", "黑体", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
.summary { width: 100%; border-collapse: collapse; font-size: 13pt; line-height: 1.5; }
.summary td { border: 1px solid #999; padding: 1mm 2mm; }
.summary td.n { text-align: right; white-space: nowrap; width: 22%; }
.summary-note { margin: 2mm 0 0; font-size: 13pt; }
.item { margin: 0 0 3mm; padding-left: 2em; text-indent: -2em; break-inside: avoid; page-break-inside: avoid; }
.item p { margin: 0; }
.item .no { display: inline-block; width: 2em; text-indent: 0; }
.item .head { font-size: 14pt; }
.item .title { font-weight: bold; text-indent: 0; }
.item .line { font-size: 14pt; line-height: 1.6; text-indent: 0; }
.foot { margin-top: auto; padding-top: 10mm; }
.dist { border-top: 1.5px solid #000; border-bottom: 1.5px solid #000; padding: 1mm 1em; font-size: 14pt; line-height: 1.8; }
.dist p { margin: 0; }
.dist p + p { border-top: 1px solid #000; }
@media print {
  .page { display: block; }
  .foot { margin-top: 0; }
}
{{end}}{{define "body"}}<div class="page">
<header>
<h1 class="masthead">{{.Masthead}}</h1>
<p class="committee">{{.Committee}}</p>
<p class="issue">{{.Issue}}</p>
<div class="meta"><span>{{.Compiler}}</span><span>{{.Date}}</span></div>
<hr class="rule">
{{- if .Notes}}
<div class="notes">{{range .Notes}}<p>{{.}}</p>{{end}}</div>
{{- end}}
</header>
<main>
<h2>{{.SummaryTitle}}</h2>
<table class="summary">
{{- range .Summary}}
<tr><td>{{.Label}}</td><td class="n">{{.Value}}</td></tr>
{{- end}}
</table>
{{- if .SummaryNote}}
<p class="summary-note">{{.SummaryNote}}</p>
{{- end}}
{{- if .Nothing}}
<p>{{.Nothing}}</p>
{{- end}}
{{- range .Sections}}
<section>
<h2>{{.Title}}</h2>
{{- range .Items}}
<div class="item{{if .Restricted}} restricted{{end}}">
<p class="head"><span class="no">{{.No}}</span>{{template "line" .Head}}</p>
{{- if .Title}}
<p class="title">{{.Title}}</p>
{{- end}}
{{- range .Lines}}
<p class="line">{{template "line" .}}</p>
{{- end}}
</div>
{{- end}}
</section>
{{- end}}
</main>
{{- if .Foot}}
<footer class="foot">
<div class="dist">
{{- range .Foot}}<p>{{.}}</p>{{end}}
</div>
</footer>
{{- end}}
</div>
{{end}}
{{define "line"}}{{range .}}{{if .Strong}}<strong>{{.Text}}</strong>{{else}}{{.Text}}{{end}}{{end}}{{end}}`)
