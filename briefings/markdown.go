package briefings

import (
	"strings"
)

// Markdown renders the briefing as a Markdown document (CommonMark). Every
// user-supplied string in it is backslash-escaped, so no title can make a link, an
// image or raw HTML.
func (b *Briefing) Markdown() string {
	var w strings.Builder
	w.Grow(1024 + 800*b.Counts.Listed)
	w.WriteString("# " + escapeMarkdown(b.heading()) + "\n\n")
	w.WriteString(escapeMarkdown(b.compiler()) + b.tr(strFieldSep) + escapeMarkdown(b.date()))
	for _, n := range b.notes() {
		w.WriteString("\\\n" + escapeMarkdown(n))
	}
	w.WriteString("\n\n## " + escapeMarkdown(b.tr(strSummary)) + "\n\n")
	for _, r := range b.summary() {
		w.WriteString("- " + escapeMarkdown(r.label) + b.tr(strColon) + escapeMarkdown(r.value) + "\n")
	}
	if note := b.summaryNote(); note != "" {
		w.WriteString("\n" + escapeMarkdown(note) + "\n")
	}
	ss := b.shown()
	if len(ss) == 0 {
		w.WriteString("\n" + escapeMarkdown(b.tr(strNothing)) + "\n")
	}
	out := &markdownOut{w: &w}
	items := b.itemWriter()
	for n, s := range ss {
		w.WriteString("\n## " + escapeMarkdown(b.sectionTitle(n, s)+b.sectionCount(s)) + "\n\n")
		for i := range s.Items {
			items.write(out, i, &s.Items[i])
		}
	}
	if foot := b.foot(); len(foot) > 0 {
		w.WriteString("\n---\n\n")
		var ls []string
		for _, l := range foot {
			ls = append(ls, escapeMarkdown(l))
		}
		w.WriteString(strings.Join(ls, "\\\n") + "\n")
	}
	return w.String()
}

// markdownOut writes an item as an ordered-list entry whose lines are joined by hard
// breaks and indented under the marker.
type markdownOut struct {
	w      textWriter
	indent int
}

func (o *markdownOut) head(no int, number string) {
	o.indent = 2 // the marker: digits, a dot and a space
	for n := no; n > 0; n /= 10 {
		o.indent++
	}
	writeInt(o.w, no)
	o.w.WriteString(". **")
	escapeTo(o.w, number, &markdownEscapes)
	o.w.WriteString("**")
}

func (o *markdownOut) run(s string, strong bool) { emphasised(o.w, s, strong, "**", &markdownEscapes) }

func (o *markdownOut) runBytes(s []byte, strong bool) { o.run(view(s), strong) }

func (o *markdownOut) title(s string) {
	o.line()
	o.run(s, true)
}

func (o *markdownOut) line() {
	o.w.WriteString("\\\n")
	for range o.indent {
		o.w.WriteByte(' ')
	}
}

func (o *markdownOut) end() { o.w.WriteByte('\n') }
