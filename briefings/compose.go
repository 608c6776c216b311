package briefings

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot"
)

var defaultLocation = sync.OnceValue(briefbot.DefaultLocation)

// Compose builds the briefing for committee o.Committee from matters. It keeps only
// the matters addressed or copied to the committee and puts each in at most one
// section, the first that applies:
//
//  1. SectionUrgent: open (awaiting instruction or being carried out), extra urgent or
//     a priority report (要情专报);
//  2. SectionAwaiting: requests awaiting instruction, with their age, answer deadline
//     and whether it has passed;
//  3. SectionNew: reports and filings submitted after o.Since, not yet read or instructed;
//  4. SectionOverdue: referred or in progress past the handling deadline;
//  5. SectionInstructed: instructed, referred, in progress or completed.
//
// Everything else (closed, archived, withdrawn, read, returned, drafts, and reports
// already listed in an earlier issue) appears only in the counts. A restricted matter
// (限定知悉范围) is listed without its content. Matters are never changed; nil ones
// are skipped. Compose does no I/O and keeps no reference to its arguments.
func Compose(matters []*briefbot.Matter, o Options) *Briefing {
	c, b := newCompose(o)
	sections := make(map[SectionKind][]sortable, len(SectionKinds))
	for _, m := range matters {
		if m == nil || !concerns(m, o.Committee) {
			continue
		}
		c.count(&b.Counts, m, o.Since)
		if k, ok := classify(m, o.Since, c.now); ok {
			sections[k] = append(sections[k], sortKeys(k, m, c.now))
		} else if m.Status.AwaitingInstruction() && m.Kind != briefbot.KindRequest {
			b.Counts.EarlierAwaiting++
		}
	}
	b.Sections = make([]Section, len(SectionKinds))
	var items []*Item
	var from []*briefbot.Matter
	for i, k := range SectionKinds {
		ss := sections[k]
		slices.SortFunc(ss, compareSortable)
		b.Sections[i] = Section{Kind: k, Items: make([]Item, len(ss))}
		for j := range ss {
			items = append(items, &b.Sections[i].Items[j])
			from = append(from, ss[j].m)
		}
	}
	c.fill(items, from)
	b.countSections()
	return b
}

// parallelItems is how many items make it worth filling them on several cores.
const parallelItems = 2000

// fill fills items[i] from from[i]: on a large ledger in as many parts as there are
// cores, each with a compose of its own (its own memo of day counts).
func (c *compose) fill(items []*Item, from []*briefbot.Matter) {
	parts := min(runtime.GOMAXPROCS(0), 8, len(items)/(parallelItems/2))
	if parts <= 1 {
		for i := range items {
			c.item(items[i], from[i])
		}
		return
	}
	var wg sync.WaitGroup
	size := (len(items) + parts - 1) / parts
	for lo := 0; lo < len(items); lo += size {
		hi := min(lo+size, len(items))
		own := *c
		own.memo = map[int32]int{}
		own.instr, own.fb = nil, nil
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				own.item(items[i], from[i])
			}
		})
	}
	wg.Wait()
}

// compilingOffice is the office that compiles a committee's briefings and reports, in
// full: the committee's office as configured, printed as it is (the political-legal
// commission's office is no part of the court, so the org's name is not put before it);
// else the organisation's own 办公室.
func compilingOffice(org *briefbot.Org, committee briefbot.CommitteeID, lang briefbot.Lang) string {
	if org == nil {
		return tr(lang, strOffice)
	}
	if cm, ok := org.Committee(committee); ok && strings.TrimSpace(cm.Office) != "" {
		return strings.TrimSpace(cm.Office)
	}
	if org.Name == "" {
		return tr(lang, strOffice)
	}
	return tr(lang, strOrgOffice, org.Name)
}

// newCompose starts the briefing o describes: its masthead, distribution and dates.
func newCompose(o Options) (*compose, *Briefing) {
	loc := o.Location
	if loc == nil {
		loc = defaultLocation()
	}
	lang := briefbot.LangZH
	if o.Lang == briefbot.LangEN {
		lang = briefbot.LangEN
	}
	now := o.Now.In(loc)
	c := &compose{lang: lang, now: now, loc: loc, days: o.WorkingDays, memo: map[int32]int{}, names: newNames(o.Org, lang), withheld: o.Withheld}
	if c.days == nil {
		c.days = calendarDays(loc)
	}
	b := &Briefing{
		Lang: lang, Committee: o.Committee, CommitteeName: string(o.Committee), Title: tr(lang, strTitle),
		Year: o.Year, Issue: o.Issue, Now: now, Late: o.Late, CalendarDays: o.WorkingDays == nil,
		Counts: Counts{ByStatus: map[briefbot.Status]int{}}, SlackItems: o.SlackItems, Command: o.Command,
	}
	if b.SlackItems <= 0 {
		b.SlackItems = DefaultSlackItems
	}
	if b.Year == 0 {
		b.Year = now.Year()
	}
	if !o.Since.IsZero() {
		b.Since = o.Since.In(loc)
	}
	if !o.ScheduledAt.IsZero() {
		b.ScheduledAt = o.ScheduledAt.In(loc)
	}
	b.Office = compilingOffice(o.Org, o.Committee, lang)
	if o.Org != nil {
		b.OrgName = o.Org.Name
		if cm, ok := o.Org.Committee(o.Committee); ok {
			b.CommitteeName = o.Org.CommitteeName(cm.ID, lang)
			for _, id := range cm.Leaders {
				b.Leaders = append(b.Leaders, c.names.member(id))
			}
			for _, id := range cm.Clerks {
				b.Clerks = append(b.Clerks, c.names.member(id))
			}
		}
	}
	// Briefing text is valid UTF-8 (renderers count on it); clip sees to the rest.
	b.CommitteeName = strings.ToValidUTF8(b.CommitteeName, "\uFFFD")
	b.OrgName = strings.ToValidUTF8(b.OrgName, "\uFFFD")
	b.Office = strings.ToValidUTF8(b.Office, "\uFFFD")
	return c, b
}

// count adds m to the figures that count every matter of the committee.
func (c *compose) count(n *Counts, m *briefbot.Matter, since time.Time) {
	n.ByStatus[m.Status]++
	if m.Status.AwaitingInstruction() {
		n.TotalAwaiting++
	}
	if m.Overdue(c.now) {
		n.TotalOverdue++
	}
	if at, ok := closedAt(m); ok && at.After(since) && !at.After(c.now) {
		n.ClosedThisPeriod++
	}
}

// countSections sets the figures of the listed items.
func (b *Briefing) countSections() {
	n := &b.Counts
	n.Urgent = len(b.Section(SectionUrgent).Items)
	n.Awaiting = len(b.Section(SectionAwaiting).Items)
	n.New = len(b.Section(SectionNew).Items)
	n.Instructed = len(b.Section(SectionInstructed).Items)
	n.Overdue = len(b.Section(SectionOverdue).Items)
	n.Listed = n.Urgent + n.Awaiting + n.New + n.Instructed + n.Overdue
	for _, it := range b.Section(SectionAwaiting).Items {
		if it.Overdue {
			n.AwaitingOverdue++
		}
	}
}

// concerns reports whether m is addressed or copied to committee.
func concerns(m *briefbot.Matter, committee briefbot.CommitteeID) bool {
	return m.Addressee == committee || slices.Contains(m.Copied, committee)
}

// followingThrough reports whether a matter in s has been instructed and is being
// carried out (or awaits close-out).
func followingThrough(s briefbot.Status) bool {
	switch s {
	case briefbot.StatusInstructed, briefbot.StatusReferred, briefbot.StatusInProgress, briefbot.StatusCompleted:
		return true
	}
	return false
}

// classify returns the section m belongs in, or false if it is listed in none.
func classify(m *briefbot.Matter, since, now time.Time) (SectionKind, bool) {
	awaiting := m.Status.AwaitingInstruction()
	if !awaiting && !followingThrough(m.Status) {
		return "", false
	}
	switch {
	case m.Urgent():
		return SectionUrgent, true
	case awaiting && m.Kind == briefbot.KindRequest:
		return SectionAwaiting, true
	case awaiting && m.SubmittedAt.After(since):
		return SectionNew, true
	case awaiting:
		return "", false
	case (m.Status == briefbot.StatusReferred || m.Status == briefbot.StatusInProgress) && m.Overdue(now):
		return SectionOverdue, true
	}
	return SectionInstructed, true
}

// closedAt returns when m was closed out or archived (the first step into either), if
// it is closed or archived now.
func closedAt(m *briefbot.Matter) (time.Time, bool) {
	if m.Status != briefbot.StatusClosed && m.Status != briefbot.StatusArchived {
		return time.Time{}, false
	}
	for _, ev := range m.History {
		if ev.To == briefbot.StatusClosed || ev.To == briefbot.StatusArchived {
			return ev.At, true
		}
	}
	return m.UpdatedAt, true
}

// calendarDays counts the days between the dates of two instants in loc.
func calendarDays(loc *time.Location) func(from, to time.Time) int {
	return func(from, to time.Time) int {
		y1, m1, d1 := from.In(loc).Date()
		y2, m2, d2 := to.In(loc).Date()
		a := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
		b := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
		return int(b.Sub(a).Hours() / 24)
	}
}

type compose struct {
	lang  briefbot.Lang
	now   time.Time
	loc   *time.Location
	days  func(from, to time.Time) int
	memo  map[int32]int // days from a date (y<<9 | yday) to now
	names *names
	// withheld says which matters are listed without their content (Options.Withheld).
	withheld func(*briefbot.Matter) bool
	// instr and fb are notes not yet used, taken one by one: one allocation for many
	// items' notes instead of one per item. Each fill part has its own.
	instr []InstructionNote
	fb    []FeedbackNote
}

// noteChunk is how many notes are allocated at once.
const noteChunk = 128

func (c *compose) newInstruction() *InstructionNote {
	if len(c.instr) == 0 {
		c.instr = make([]InstructionNote, noteChunk)
	}
	p := &c.instr[0]
	c.instr = c.instr[1:]
	return p
}

func (c *compose) newFeedback() *FeedbackNote {
	if len(c.fb) == 0 {
		c.fb = make([]FeedbackNote, noteChunk)
	}
	p := &c.fb[0]
	c.fb = c.fb[1:]
	return p
}

// daysSince counts the days from t to the briefing, at least 0. Counts depend only on
// t's date in the briefing's zone, so each date is counted once: a working-day
// calendar walks day by day, and a ledger holds many matters of the same day.
func (c *compose) daysSince(t time.Time) int {
	t = t.In(c.loc)
	key := int32(t.Year())<<9 | int32(t.YearDay())
	if n, ok := c.memo[key]; ok {
		return n
	}
	n := max(c.days(t, c.now), 0)
	c.memo[key] = n
	return n
}

// item fills it from m. A restricted or withheld matter keeps only its number, kind,
// state and department.
func (c *compose) item(it *Item, m *briefbot.Matter) {
	*it = Item{
		Number: m.Number, Kind: m.Kind, Status: m.Status,
		Department: c.names.department(m.Department), Restricted: len(m.Restricted) > 0 || (c.withheld != nil && c.withheld(m)),
	}
	if it.Restricted {
		return
	}
	var cutMark string // made only if a text is cut, once
	ptr := func() string {
		if cutMark == "" {
			cutMark = pointer(c.lang, m.Number)
		}
		return cutMark
	}
	it.ReportType = m.ReportType
	it.Urgency = m.Urgency
	it.Unsigned, it.Delegated = m.Unsigned, m.Delegated
	it.Title = clip(m.Title, MaxTitle, ptr)
	src := m.Body
	if m.Kind == briefbot.KindRequest && m.RequestedItem != "" {
		src = m.RequestedItem
	}
	it.Summary = clip(src, MaxSummary, ptr)
	if !m.SubmittedAt.IsZero() {
		it.SubmittedAt = m.SubmittedAt.In(c.loc)
		it.Age = c.daysSince(m.SubmittedAt)
	}
	if m.Kind == briefbot.KindRequest && !m.AnswerBy.IsZero() {
		it.AnswerBy = m.AnswerBy.In(c.loc)
	}
	if m.Overdue(c.now) {
		it.Overdue = true
		it.OverdueDays = c.daysSince(m.DueAt())
	}
	if in := latestInstruction(m.Instructions); in != nil {
		it.Instruction = c.newInstruction()
		*it.Instruction = InstructionNote{
			Kind: in.Kind, Leader: c.names.member(in.Leader), At: in.At.In(c.loc),
			Text: clip(in.Text, MaxInstruction, ptr),
		}
	}
	if a := m.Assignment; a != nil {
		it.Lead = c.names.department(a.Lead)
		if len(a.Assisting) > 0 {
			it.Assisting = make([]string, 0, len(a.Assisting))
		}
		for _, d := range a.Assisting {
			it.Assisting = append(it.Assisting, c.names.department(d))
		}
		it.Deadline = a.Deadline.In(c.loc)
	}
	if len(m.Files) > 0 {
		it.Files = make([]string, 0, len(m.Files))
	}
	for _, f := range m.Files {
		it.Files = append(it.Files, clip(f.Name, MaxTitle, ptr))
	}
	if n := len(m.Feedback); n > 0 {
		f := m.Feedback[n-1]
		it.Feedback = c.newFeedback()
		*it.Feedback = FeedbackNote{
			Kind: f.Kind, Department: c.names.department(f.Department), At: f.At.In(c.loc),
			Text: clip(f.Text, MaxFeedback, ptr),
		}
	}
}

// latestInstruction returns the latest written instruction, or failing that the
// latest read mark.
func latestInstruction(ins []briefbot.Instruction) *briefbot.Instruction {
	for i := len(ins) - 1; i >= 0; i-- {
		if ins[i].Kind == briefbot.InstructionWritten {
			return &ins[i]
		}
	}
	if len(ins) > 0 {
		return &ins[len(ins)-1]
	}
	return nil
}

// sortable is a matter to order within its section, with its sort keys worked out
// once. Items are made after sorting, in order. Keys come from the matter, not the
// item, so a restricted item sorts where its content puts it.
type sortable struct {
	m          *briefbot.Matter
	k1, k2, k3 int64 // the section's keys, smaller first
	submitted  int64
}

// sortKeys orders each section: what needs the leader soonest comes first; ties go by
// submission time, ledger number and ID, so the order is always the same.
//
//   - urgent: awaiting instruction before being carried out; extra urgent, then
//     priority reports, then urgent;
//   - awaiting: overdue first, then by answer deadline (none last), then urgency;
//   - new: by urgency;
//   - instructed, overdue: by handling deadline, none last.
func sortKeys(k SectionKind, m *briefbot.Matter, now time.Time) sortable {
	s := sortable{m: m, submitted: math.MinInt64}
	if !m.SubmittedAt.IsZero() {
		s.submitted = m.SubmittedAt.UnixNano()
	}
	rank := -int64(urgencyRank(m))
	switch k {
	case SectionUrgent:
		s.k1, s.k2 = boolKey(!m.Status.AwaitingInstruction()), rank
	case SectionAwaiting:
		s.k1, s.k2, s.k3 = boolKey(!m.Overdue(now)), deadlineKey(m.AnswerBy), rank
	case SectionNew:
		s.k1 = rank
	case SectionInstructed, SectionOverdue:
		if m.Assignment != nil {
			s.k1 = deadlineKey(m.Assignment.Deadline)
		} else {
			s.k1 = math.MaxInt64
		}
	}
	return s
}

func compareSortable(a, b sortable) int {
	return cmp.Or(
		cmp.Compare(a.k1, b.k1), cmp.Compare(a.k2, b.k2), cmp.Compare(a.k3, b.k3),
		cmp.Compare(a.submitted, b.submitted),
		cmp.Compare(a.m.Number.Kind, b.m.Number.Kind),
		cmp.Compare(a.m.Number.Year, b.m.Number.Year),
		cmp.Compare(a.m.Number.Seq, b.m.Number.Seq),
		cmp.Compare(a.m.ID, b.m.ID))
}

func urgencyRank(m *briefbot.Matter) int {
	switch {
	case m.Urgency == briefbot.UrgencyExtraUrgent:
		return 3
	case m.Kind == briefbot.KindReport && m.ReportType == briefbot.ReportPriority:
		return 2
	case m.Urgency == briefbot.UrgencyUrgent:
		return 1
	}
	return 0
}

func boolKey(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// deadlineKey orders earlier deadlines first and missing ones last.
func deadlineKey(t time.Time) int64 {
	if t.IsZero() {
		return math.MaxInt64
	}
	return t.UnixNano()
}

// names looks up display names in the org config, once each.
type names struct {
	depts map[briefbot.DepartmentID]string
	mems  map[briefbot.MemberID]string
}

func newNames(org *briefbot.Org, lang briefbot.Lang) *names {
	n := &names{depts: map[briefbot.DepartmentID]string{}, mems: map[briefbot.MemberID]string{}}
	if org == nil {
		return n
	}
	for _, d := range org.Departments {
		name := org.DepartmentName(d.ID, lang)
		if name == "" {
			name = string(d.ID)
		}
		n.depts[d.ID] = clip(name, maxName, ellipsis)
	}
	for _, m := range org.Members {
		n.mems[m.ID] = clip(org.MemberName(m.ID), maxName, ellipsis)
	}
	return n
}

func (n *names) department(id briefbot.DepartmentID) string {
	if s, ok := n.depts[id]; ok {
		return s
	}
	return clip(string(id), maxName, ellipsis)
}

func (n *names) member(id briefbot.MemberID) string {
	if s, ok := n.mems[id]; ok {
		return s
	}
	return clip(string(id), maxName, ellipsis)
}
