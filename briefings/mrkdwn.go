package briefings

import (
	"bytes"
	"strings"
)

// Mrkdwn renders the whole briefing as one Slack mrkdwn text: the fallback for the
// console and for notifications. Every user-supplied string in it is escaped.
func (b *Briefing) Mrkdwn() string {
	ss := b.shown()
	n := 0 // the items Slack shows: about 800 bytes each, grown once
	for _, s := range ss {
		shown, _ := b.inSlack(s)
		n += len(shown)
	}
	var w strings.Builder
	w.Grow(1024 + 800*n)
	w.WriteString("*" + escape(b.heading()) + "*\n")
	w.WriteString(escape(b.compiler()) + escape(b.tr(strFieldSep)) + escape(b.date()) + "\n")
	for _, n := range b.notes() {
		w.WriteString(escape(n) + "\n")
	}
	w.WriteString("\n")
	w.WriteString(b.summaryMrkdwn())
	if len(ss) == 0 {
		w.WriteString("\n" + escape(b.tr(strNothing)) + "\n")
	}
	out := &mrkdwnOut{w: &w}
	items := b.itemWriter()
	for n, s := range ss {
		w.WriteString("\n*" + escape(b.sectionTitle(n, s)+b.sectionCount(s)) + "*\n")
		shown, left := b.inSlack(s)
		for i := range shown {
			if i > 0 {
				w.WriteString("\n")
			}
			items.write(out, i, &shown[i])
			w.WriteString("\n")
		}
		if left > 0 {
			w.WriteString("\n" + b.moreItems(s, left) + "\n")
		}
	}
	if foot := b.foot(); len(foot) > 0 {
		w.WriteString("\n")
		for _, l := range foot {
			w.WriteString(escape(l) + "\n")
		}
	}
	return w.String()
}

// summaryMrkdwn is the summary counts as mrkdwn lines.
func (b *Briefing) summaryMrkdwn() string {
	var w strings.Builder
	w.WriteString("*" + escape(b.tr(strSummary)) + "*\n")
	for _, r := range b.summary() {
		w.WriteString(escape(r.label) + escape(b.tr(strColon)) + escape(r.value) + "\n")
	}
	if note := b.summaryNote(); note != "" {
		w.WriteString(escape(note) + "\n")
	}
	return w.String()
}

// itemMrkdwn renders items as mrkdwn texts, one at a time, reusing its buffer.
type itemMrkdwn struct {
	items *itemWriter
	buf   bytes.Buffer
	out   mrkdwnOut
}

func (b *Briefing) itemMrkdwn() *itemMrkdwn {
	r := &itemMrkdwn{items: b.itemWriter()}
	r.out.w = &r.buf
	return r
}

// text is the mrkdwn text of the i-th item of a section (no trailing newline).
func (r *itemMrkdwn) text(i int, it *Item) string {
	r.buf.Reset()
	r.items.write(&r.out, i, it)
	return r.buf.String()
}

// mrkdwnOut writes an item as Slack mrkdwn: the head and title in bold, one line each.
type mrkdwnOut struct{ w textWriter }

func (o *mrkdwnOut) head(no int, number string) {
	o.w.WriteByte('*')
	writeInt(o.w, no)
	o.w.WriteString(". ")
	escapeTo(o.w, number, &mrkdwnEscapes)
	o.w.WriteByte('*')
}

func (o *mrkdwnOut) run(s string, strong bool) { emphasised(o.w, s, strong, "*", &mrkdwnEscapes) }

func (o *mrkdwnOut) runBytes(s []byte, strong bool) { o.run(view(s), strong) }

func (o *mrkdwnOut) title(s string) {
	o.w.WriteString("\n*")
	escapeTo(o.w, s, &mrkdwnEscapes)
	o.w.WriteByte('*')
}

func (o *mrkdwnOut) line() { o.w.WriteByte('\n') }
func (o *mrkdwnOut) end()  {}
