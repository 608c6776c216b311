package briefings

import (
	"strings"
	"time"

	"github.com/briefbot/briefbot"
)

// This file lays a briefing out once for every renderer: itemWriter.write says what an
// item shows, line by line, and each renderer's itemOut escapes and marks it up for its
// own format as it goes, so thousands of items cost no intermediate values.

// itemOut receives an item from an itemWriter: head (the first line, starting with
// the ledger number), then runs of text, an optional title line and detail lines, then
// end. All text is treated as untrusted and escaped by every itemOut, our own labels
// included (they need no escaping, so it costs nothing). runBytes is run for text
// formatted into a scratch buffer, which the itemOut must not keep.
type itemOut interface {
	head(no int, number string) // begins the item: its place in the section and ledger number
	run(s string, strong bool)  // a run of text on the current line
	runBytes(b []byte, strong bool)
	title(s string) // the title, on a line of its own
	line()          // begins a detail line
	end()
}

func (b *Briefing) tr(t text, args ...any) string { return tr(b.Lang, t, args...) }

// itemWriter lays out items for one rendering, with the scratch space that spares
// thousands of items their own allocations.
type itemWriter struct {
	b     *Briefing
	dates *dateCache
	buf   []byte
	// listFiles: the printable page, which lists the attached files by name.
	listFiles bool
}

func (b *Briefing) itemWriter() *itemWriter {
	return &itemWriter{b: b, dates: b.dates(), buf: make([]byte, 0, 512)}
}

// runf writes t formatted with args as a run.
func (w *itemWriter) runf(o itemOut, strong bool, t text, args ...any) {
	w.buf = appendFormat(w.buf[:0], t.In(w.b.Lang), args...)
	o.runBytes(w.buf, strong)
}

// write lays out the i-th item (0-based) of a section into o. A restricted item is
// only its head: ledger number, department and the placeholder.
func (w *itemWriter) write(o itemOut, i int, it *Item) {
	b := w.b
	sep := b.tr(strFieldSep)
	o.head(i+1, ledger(it.Number))
	if it.Restricted {
		o.run(sep, false)
		o.run(it.Department, false)
		o.run(sep, false)
		o.run(b.tr(strRestricted), false)
		o.end()
		return
	}
	w.head(o, it, sep)
	w.status(o, it, sep)
	if in := it.Instruction; in != nil {
		o.line()
		if in.Kind == briefbot.InstructionRead || in.Text == "" {
			w.runf(o, false, strRead, in.Leader, w.dates.date(in.At))
		} else {
			w.runf(o, false, strInstructed, in.Leader, w.dates.date(in.At), in.Text)
		}
	}
	if it.Lead != "" {
		w.assignment(o, it, sep)
	}
	if f := it.Feedback; f != nil {
		o.line()
		w.runf(o, false, strFeedback, feedbackLabels[f.Kind].In(b.Lang), w.dates.date(f.At), f.Text)
	}
	if len(it.Files) > 0 {
		o.line()
		w.runf(o, false, strFiles, len(it.Files))
		if w.listFiles {
			o.run(b.tr(strFilesListOpen)+strings.Join(it.Files, b.tr(strListSep))+b.tr(strFilesListClose), false)
		}
	}
	o.end()
}

// head writes the item's kind, urgency, department, title and summary.
func (w *itemWriter) head(o itemOut, it *Item, sep string) {
	b := w.b
	kind := it.Kind.Label(b.Lang)
	if it.Kind == briefbot.KindReport && it.ReportType.Valid() {
		kind = it.ReportType.Label(b.Lang)
	}
	o.run(sep, false)
	o.run(kind, false)
	if it.Urgency == briefbot.UrgencyUrgent || it.Urgency == briefbot.UrgencyExtraUrgent {
		o.run(sep, false)
		o.run(it.Urgency.Label(b.Lang), true)
	}
	o.run(sep, false)
	o.run(it.Department, false)
	switch {
	case it.Unsigned:
		o.run(sep, false)
		o.run(b.tr(strUnsigned), true)
	case it.Delegated:
		o.run(sep, false)
		o.run(b.tr(strDelegated), false)
	}
	if it.Title != "" {
		o.title(it.Title)
	}
	if it.Summary != "" {
		o.line()
		o.run(b.tr(strSummaryLabel), false)
		o.run(it.Summary, false)
	}
}

// status writes the item's state line: how long it has waited for its answer, its
// answer deadline, and whether it is overdue.
func (w *itemWriter) status(o itemOut, it *Item, sep string) {
	b := w.b
	awaiting := it.Status.AwaitingInstruction()
	o.line()
	o.run(b.tr(strStatusLabel), false)
	o.run(it.Status.Label(b.Lang), false)
	if awaiting && !it.SubmittedAt.IsZero() {
		o.run(sep, false)
		switch {
		case it.Age == 0:
			o.run(b.tr(strAgeToday), false)
		case b.CalendarDays:
			w.runf(o, false, plural(it.Age, strAgeCalendar, strAgeCalendar1), it.Age)
		default:
			w.runf(o, false, plural(it.Age, strAgeWorking, strAgeWorking1), it.Age)
		}
	}
	if awaiting && !it.AnswerBy.IsZero() {
		o.run(sep, false)
		w.runf(o, false, strAnswerBy, w.dates.date(it.AnswerBy))
	}
	if it.Overdue && (awaiting || it.Lead == "") {
		o.run(sep, false)
		w.overdue(o, it)
	}
}

// assignment writes the referral: lead and assisting units, deadline, overdue.
func (w *itemWriter) assignment(o itemOut, it *Item, sep string) {
	o.line()
	w.runf(o, false, strLead, it.Lead)
	if len(it.Assisting) > 0 {
		o.run(sep, false)
		w.runf(o, false, strAssisting, strings.Join(it.Assisting, w.b.tr(strListSep)))
	}
	if !it.Deadline.IsZero() {
		o.run(sep, false)
		w.runf(o, false, strDeadline, w.dates.date(it.Deadline))
	}
	if it.Overdue && !it.Status.AwaitingInstruction() {
		o.run(sep, false)
		w.overdue(o, it)
	}
}

// overdue writes how long the item is overdue, emphasised.
func (w *itemWriter) overdue(o itemOut, it *Item) {
	switch {
	case it.OverdueDays <= 0:
		o.run(w.b.tr(strOverdue), true)
	case w.b.CalendarDays:
		w.runf(o, true, plural(it.OverdueDays, strOverdueCal, strOverdueCal1), it.OverdueDays)
	default:
		w.runf(o, true, plural(it.OverdueDays, strOverdueWorking, strOverdueWorking1), it.OverdueDays)
	}
}

// dateCache formats the short dates of one rendering, each date once: a briefing's
// items share a few dozen dates.
type dateCache struct {
	lang briefbot.Lang
	ref  time.Time
	m    map[int32]string
}

func (b *Briefing) dates() *dateCache {
	return &dateCache{lang: b.Lang, ref: b.Now, m: map[int32]string{}}
}

func (c *dateCache) date(t time.Time) string {
	key := int32(t.Year())<<9 | int32(t.YearDay())
	if s, ok := c.m[key]; ok {
		return s
	}
	s := formatDate(c.lang, t, c.ref)
	c.m[key] = s
	return s
}

// sectionTitle is the numbered title of the n-th shown section, e.g. 一、待批示的请示（3 件）.
func (b *Briefing) sectionTitle(n int, s *Section) string {
	return sectionNumber(b.Lang, n) + sectionTitles[s.Kind].In(b.Lang)
}

// sectionCount is the count after a section title, e.g. （3 件） or (3).
func (b *Briefing) sectionCount(s *Section) string {
	return b.tr(strSectionCount, len(s.Items))
}

// DefaultSlackItems is how many items of a section Slack shows by default.
const DefaultSlackItems = 10

// inSlack returns the items of s that Slack shows and how many it leaves out: every
// item of the urgent section, at most SlackItems of another.
func (b *Briefing) inSlack(s *Section) ([]Item, int) {
	if b.SlackItems <= 0 || s.Kind == SectionUrgent || len(s.Items) <= b.SlackItems {
		return s.Items, 0
	}
	return s.Items[:b.SlackItems], len(s.Items) - b.SlackItems
}

// moreItems is the line that ends a section Slack shows in part, as mrkdwn (escaped,
// the command in code).
func (b *Briefing) moreItems(s *Section, left int) string {
	scope := map[SectionKind]string{SectionAwaiting: "awaiting", SectionOverdue: "overdue"}[s.Kind]
	if scope == "" {
		scope = "all"
	}
	cmd := b.Command
	if cmd == "" {
		cmd = "/matter"
	}
	line := escape(b.tr(strMoreItems, left, "\x00"))
	return strings.Replace(line, "\x00", "`"+escape(cmd+" list "+scope)+"`", 1)
}

// shown returns the sections that have items, in order.
func (b *Briefing) shown() []*Section {
	var ss []*Section
	for i := range b.Sections {
		if len(b.Sections[i].Items) > 0 {
			ss = append(ss, &b.Sections[i])
		}
	}
	return ss
}

// heading is the briefing's one-line name: committee, title and issue.
func (b *Briefing) heading() string {
	return b.tr(strHeader, b.CommitteeName, b.Title, b.issue())
}

func (b *Briefing) issue() string { return b.tr(strIssue, b.Year, b.Issue) }

// compiler is the masthead's compiling office: 中共某市委政法委员会办公室编.
func (b *Briefing) compiler() string {
	if b.Office == "" && b.ShortOffice != "" { // stored before offices were named in full
		if b.OrgName == "" {
			return b.tr(strCompiledByOff, b.ShortOffice)
		}
		return b.tr(strCompiledBy, b.OrgName, b.ShortOffice)
	}
	if b.Office == "" {
		return b.tr(strCompiledByOff, b.tr(strOffice))
	}
	return b.tr(strCompiledByOff, b.Office)
}

func (b *Briefing) date() string { return b.Now.Format(layoutDate.In(b.Lang)) }

// notes are the meta lines under the masthead: the period covered and, for a
// catch-up issue, that it is late.
func (b *Briefing) notes() []string {
	var ns []string
	if b.Late {
		if b.ScheduledAt.IsZero() {
			ns = append(ns, b.tr(strLate))
		} else {
			ns = append(ns, b.tr(strLateAt, formatDateTime(b.Lang, b.ScheduledAt, b.Now)))
		}
	}
	nowS := formatDateTime(b.Lang, b.Now, b.Now)
	if b.Since.IsZero() {
		ns = append(ns, b.tr(strAsOf, nowS))
	} else {
		ns = append(ns, b.tr(strPeriod, formatDateTime(b.Lang, b.Since, b.Now), nowS))
	}
	return ns
}

// summaryRow is one figure of the summary: a label and its count.
type summaryRow struct{ label, value string }

// summary is the summary counts, per section then the ledger totals.
func (b *Briefing) summary() []summaryRow {
	n := b.Counts
	count := func(v int) string { return b.tr(strCount, v) }
	awaiting := count(n.Awaiting)
	if n.AwaitingOverdue > 0 {
		awaiting = b.tr(strCountOverdue, n.Awaiting, n.AwaitingOverdue)
	}
	return []summaryRow{
		{sectionTitles[SectionUrgent].In(b.Lang), count(n.Urgent)},
		{sectionTitles[SectionAwaiting].In(b.Lang), awaiting},
		{sectionTitles[SectionNew].In(b.Lang), count(n.New)},
		{sectionTitles[SectionInstructed].In(b.Lang), count(n.Instructed)},
		{sectionTitles[SectionOverdue].In(b.Lang), count(n.Overdue)},
		{b.tr(strTotalAwaiting), count(n.TotalAwaiting)},
		{b.tr(strTotalOverdue), count(n.TotalOverdue)},
		{b.tr(strClosedPeriod), count(n.ClosedThisPeriod)},
	}
}

// summaryNote is the sentence on earlier reports still awaiting reading, if any.
func (b *Briefing) summaryNote() string {
	if b.Counts.EarlierAwaiting == 0 {
		return ""
	}
	return b.tr(strEarlierAwaiting, b.Counts.EarlierAwaiting)
}

// foot is the lines at the foot: 发送, 抄送 and the audit anchor, those there are.
func (b *Briefing) foot() []string {
	sep := b.tr(strListSep)
	var ls []string
	if len(b.Leaders) > 0 {
		ls = append(ls, b.tr(strSend)+strings.Join(b.Leaders, sep))
	}
	if len(b.Clerks) > 0 {
		ls = append(ls, b.tr(strCopy)+strings.Join(b.Clerks, sep))
	}
	if b.Anchor != "" {
		ls = append(ls, b.tr(strAnchor)+b.Anchor)
	}
	return ls
}
