package briefings

import (
	"cmp"
	"slices"
	"time"

	"github.com/briefbot/briefbot"
)

// Scoring is the configurable department score of the ledger reports (月报/年报).
//
// The score of a department over a period is
//
//	Base
//	  + OnTimeWeight   × CompletedOnTime / Assignments
//	  + AnsweredWeight × AnsweredOnTime  / Requests
//	  − OverduePenalty   × OverdueNow
//	  − ReturnPenalty    × Returns
//	  − ExtensionPenalty × Extensions
//
// clamped to 0..100. A share with nothing to measure (no assignments completed, no
// requests answered in the period) counts as 1: nothing was late. With the defaults
// (20 + 60 + 20) a department that did everything on time and has nothing overdue,
// sent back or extended scores 100.
type Scoring struct {
	OnTimeWeight     float64 // weight of the share of assignments completed on time (default 60)
	AnsweredWeight   float64 // weight of the share of the department's requests answered within their answer deadline (default 20)
	OverduePenalty   float64 // points off per matter overdue now (default 5)
	ReturnPenalty    float64 // points off per 退办 (send_back) in the period (default 2)
	ExtensionPenalty float64 // points off per extension granted in the period (default 1)
	Base             float64 // start (default 20); the result is clamped to 0..100
}

// DefaultScoring returns the default weights: 60 on-time, 20 answered, 5 per overdue
// matter, 2 per 退办, 1 per extension, base 20.
func DefaultScoring() Scoring {
	return Scoring{OnTimeWeight: 60, AnsweredWeight: 20, OverduePenalty: 5, ReturnPenalty: 2, ExtensionPenalty: 1, Base: 20}
}

// Score applies the formula to d.
func (s Scoring) Score(d *DeptStats) float64 {
	share := func(n, of int) float64 {
		if of == 0 {
			return 1
		}
		return float64(n) / float64(of)
	}
	v := s.Base + s.OnTimeWeight*share(d.CompletedOnTime, d.Assignments) + s.AnsweredWeight*share(d.AnsweredOnTime, d.Requests) -
		s.OverduePenalty*float64(d.OverdueNow) - s.ReturnPenalty*float64(d.Returns) - s.ExtensionPenalty*float64(d.Extensions)
	return min(max(v, 0), 100)
}

// StatsOptions is everything ComputeStats needs besides the matters.
type StatsOptions struct {
	Org       *briefbot.Org
	Committee briefbot.CommitteeID // "" = all committees; else only matters addressed or copied to it
	From, To  time.Time            // the period [From, To)
	Now       time.Time            // "overdue now" and "open now" are as of Now
	Location  *time.Location
	// WorkingDays counts the working days between two instants (the caller's
	// calendar); ComputeStats passes both in Location and asks once per pair of
	// dates. Nil counts calendar days.
	WorkingDays func(from, to time.Time) int
	Scoring     Scoring // the zero value means DefaultScoring()
	Lang        briefbot.Lang
	// BriefingsIssued is, per committee ID, how many briefings were issued in the
	// period (the caller counts them from its outbox).
	BriefingsIssued map[briefbot.CommitteeID]int
	// Viewer is who the report is for. Restricted matters (限定知悉范围) the viewer may
	// not see (Org.Allowed PermView) are counted but never described; "" = every
	// restricted matter is counted only. The reports describe no matter individually
	// at all, so this decides only the Restricted figure.
	Viewer briefbot.MemberID
}

// DeptStats are one department's figures for the period.
type DeptStats struct {
	Department briefbot.DepartmentID
	Name       string // display name in the report's language
	// Submitted counts the department's matters submitted in the period, by kind.
	Submitted map[briefbot.Kind]int
	// Requests counts requests submitted in the period that have an answer (批示 or
	// 圈阅); AnsweredOnTime those whose first answer came at or before AnswerBy (no
	// AnswerBy counts as on time).
	Requests, AnsweredOnTime int
	// Assignments counts assignments led by the department whose completion was
	// accepted (closed out after a completion report) in the period;
	// CompletedOnTime those whose accepted completion report came at or before the
	// handling deadline (extensions included).
	Assignments, CompletedOnTime int
	// OverdueNow counts the department's matters past their current deadline at Now:
	// the lead unit's for assignments, the submitter's for requests awaiting an answer.
	OverdueNow int
	// AvgDaysToClose is the average of the working days from the first written
	// instruction to 销号, over the department's matters (the lead unit's, else the
	// submitter's) closed out in the period that had a written instruction; 0 if none.
	AvgDaysToClose float64
	Closed         int // how many matters AvgDaysToClose averages over
	// Returns and Extensions count 退办 events and granted extensions in the period on
	// assignments the department leads.
	Returns, Extensions int
	Score               float64
}

// CommitteeStats are one committee's figures for the period.
type CommitteeStats struct {
	Committee briefbot.CommitteeID
	Name      string
	Briefings int // from StatsOptions.BriefingsIssued
	// Instructions counts written 批示 entries made in the period on matters before
	// the committee by its leaders (an instruction by a leader of none of the matter's
	// committees counts for the addressee).
	Instructions int
	// OpenItems counts submitted matters before the committee whose status is Open()
	// at Now.
	OpenItems int
}

// TrendPoint is the number of open items at one instant: matters submitted before At
// whose status at At, as their history tells it, is Open() (not read, closed,
// archived or withdrawn).
type TrendPoint struct {
	At   time.Time
	Open int
}

// Stats is a ledger report (月报 or 年报): format-neutral, rendered by Mrkdwn,
// Markdown and HTML.
type Stats struct {
	From, To, Now time.Time
	Title         string // e.g. 2026年11月重大事项工作月报 / 2026年度重大事项工作年报
	Masthead      string // 重大事项工作月报 / 重大事项工作年报
	Yearly        bool   // a year (trend by month) rather than a month (trend by week)
	Lang          briefbot.Lang
	Location      *time.Location
	OrgName       string
	Office        string // the compiling office in full: the committee's as configured, else the org's 办公室
	CommitteeName string // "" for all committees
	CalendarDays  bool   // AvgDaysToClose counts calendar days
	Scoring       Scoring

	Departments []DeptStats // sorted by score, highest first, then name
	Committees  []CommitteeStats
	Trend       []TrendPoint
	Restricted  int // how many restricted matters were counted without being described
	// Anchor is the audit chain's head when the report was made, as printed (see
	// Briefing.Anchor).
	Anchor string
}

// MonthPeriod returns the month [first day 00:00, next month's first day 00:00) in loc.
func MonthPeriod(year int, month time.Month, loc *time.Location) (from, to time.Time) {
	if loc == nil {
		loc = briefbot.DefaultLocation()
	}
	from = time.Date(year, month, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 1, 0)
}

// YearPeriod returns the year [1 January 00:00, next 1 January 00:00) in loc.
func YearPeriod(year int, loc *time.Location) (from, to time.Time) {
	if loc == nil {
		loc = briefbot.DefaultLocation()
	}
	from = time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(1, 0, 0)
}

// ComputeStats computes the ledger report of matters over o's period. It only reads
// the matters. Matters never submitted (drafts) are left out.
func ComputeStats(matters []*briefbot.Matter, o StatsOptions) *Stats {
	a := newStatsAcc(o)
	for _, m := range matters {
		if m == nil || m.SubmittedAt.IsZero() || (o.Committee != "" && !concerns(m, o.Committee)) {
			continue
		}
		a.add(m)
	}
	return a.finish()
}

// statsAcc accumulates the figures of a report, one matter at a time.
type statsAcc struct {
	s      *Stats
	o      StatsOptions
	org    *briefbot.Org
	names  *names
	depts  map[briefbot.DepartmentID]*deptAcc
	order  []briefbot.DepartmentID
	comms  map[briefbot.CommitteeID]*CommitteeStats
	corder []briefbot.CommitteeID
	points []time.Time
	days   func(a, b time.Time) int
	memo   map[[2]int32]int
}

type deptAcc struct {
	DeptStats
	closed, closeDays int
}

func newStatsAcc(o StatsOptions) *statsAcc {
	loc := o.Location
	if loc == nil {
		loc = briefbot.DefaultLocation()
	}
	o.Location = loc
	a := &statsAcc{o: o, org: o.Org, depts: map[briefbot.DepartmentID]*deptAcc{}, comms: map[briefbot.CommitteeID]*CommitteeStats{}, memo: map[[2]int32]int{}}
	a.s = &Stats{From: o.From.In(loc), To: o.To.In(loc), Now: o.Now.In(loc), Lang: o.Lang, Location: loc,
		Scoring: o.Scoring, CalendarDays: o.WorkingDays == nil}
	a.days = o.WorkingDays
	if a.days == nil {
		a.days = calendarDays(loc)
	}
	if a.s.Scoring == (Scoring{}) {
		a.s.Scoring = DefaultScoring()
	}
	a.s.titles()
	if a.org == nil {
		a.org = &briefbot.Org{}
	}
	a.names = newNames(a.org, o.Lang)
	a.s.OrgName = a.org.Name
	a.s.Office = compilingOffice(a.org, o.Committee, o.Lang)
	if c, ok := a.org.Committee(o.Committee); ok {
		a.s.CommitteeName = a.org.CommitteeName(c.ID, o.Lang)
	}
	// Departments: every one of the org, then any other met in the matters.
	for _, d := range a.org.Departments {
		a.dept(d.ID)
	}
	// Committees: the one asked for, or all of the org.
	for _, c := range a.org.Committees {
		if o.Committee == "" || c.ID == o.Committee {
			a.comms[c.ID] = &CommitteeStats{Committee: c.ID, Name: clip(a.org.CommitteeName(c.ID, o.Lang), maxName, ellipsis), Briefings: o.BriefingsIssued[c.ID]}
			a.corder = append(a.corder, c.ID)
		}
	}
	a.points = trendPoints(a.s.From, a.s.To, a.s.Now, a.s.Yearly, loc)
	a.s.Trend = make([]TrendPoint, len(a.points))
	for i, p := range a.points {
		a.s.Trend[i].At = p
	}
	return a
}

func (a *statsAcc) dept(id briefbot.DepartmentID) *deptAcc {
	if d, ok := a.depts[id]; ok {
		return d
	}
	d := &deptAcc{DeptStats: DeptStats{Department: id, Name: a.names.department(id), Submitted: map[briefbot.Kind]int{}}}
	a.depts[id] = d
	a.order = append(a.order, id)
	return d
}

// workdays counts the working days from a to b, once per pair of dates.
func (a *statsAcc) workdays(from, to time.Time) int {
	from, to = from.In(a.o.Location), to.In(a.o.Location)
	k := [2]int32{dateKey(from), dateKey(to)}
	if n, ok := a.memo[k]; ok {
		return n
	}
	n := max(a.days(from, to), 0)
	a.memo[k] = n
	return n
}

func (a *statsAcc) in(t time.Time) bool {
	return !t.IsZero() && !t.Before(a.o.From) && t.Before(a.o.To)
}

// add counts one submitted matter of the report's committee.
func (a *statsAcc) add(m *briefbot.Matter) {
	if len(m.Restricted) > 0 && (a.o.Viewer == "" || !a.org.Allowed(a.o.Viewer, briefbot.PermView, m)) {
		a.s.Restricted++
	}
	sub := a.dept(m.Department)
	owner := sub // the lead unit once assigned, else the submitter
	if m.Assignment != nil && m.Assignment.Lead != "" {
		owner = a.dept(m.Assignment.Lead)
	}
	if a.in(m.SubmittedAt) {
		a.submitted(sub, m)
	}
	if m.Overdue(a.o.Now) {
		if m.Status.AwaitingInstruction() {
			sub.OverdueNow++
		} else {
			owner.OverdueNow++
		}
	}
	a.history(owner, m)
	a.committees(m)
	a.trend(m)
}

// submitted counts a matter submitted in the period, and whether a request was
// answered on time.
func (a *statsAcc) submitted(sub *deptAcc, m *briefbot.Matter) {
	sub.Submitted[m.Kind]++
	if m.Kind != briefbot.KindRequest || len(m.Instructions) == 0 {
		return
	}
	first := m.Instructions[0].At
	for _, x := range m.Instructions[1:] {
		if x.At.Before(first) {
			first = x.At
		}
	}
	sub.Requests++
	if m.AnswerBy.IsZero() || !first.After(m.AnswerBy) {
		sub.AnsweredOnTime++
	}
}

// history counts the period's 退办, extensions and close-outs for the owner.
func (a *statsAcc) history(owner *deptAcc, m *briefbot.Matter) {
	var firstWritten time.Time
	for _, x := range m.Instructions {
		if x.Kind == briefbot.InstructionWritten && (firstWritten.IsZero() || x.At.Before(firstWritten)) {
			firstWritten = x.At
		}
	}
	for _, ev := range m.History {
		if !a.in(ev.At) {
			continue
		}
		switch ev.Action {
		case briefbot.ActionSendBack:
			owner.Returns++
		case briefbot.ActionGrantExtension:
			owner.Extensions++
		case briefbot.ActionClose:
			if !firstWritten.IsZero() {
				owner.closed++
				owner.closeDays += a.workdays(firstWritten, ev.At)
			}
			if ev.Ref > 0 && ev.Ref <= len(m.Feedback) && m.Assignment != nil {
				if f := m.Feedback[ev.Ref-1]; f.Kind == briefbot.FeedbackCompletion && f.Decision == briefbot.DecisionAccepted {
					owner.Assignments++
					if !f.At.After(m.Assignment.Deadline) {
						owner.CompletedOnTime++
					}
				}
			}
		}
	}
}

// committees counts the matter's open items and the period's instructions for each
// committee it is before.
func (a *statsAcc) committees(m *briefbot.Matter) {
	for _, id := range a.corder {
		if !concerns(m, id) {
			continue
		}
		c := a.comms[id]
		if m.Status.Open() {
			c.OpenItems++
		}
		for _, x := range m.Instructions {
			if x.Kind == briefbot.InstructionWritten && a.in(x.At) && a.instructionFor(m, x.Leader) == id {
				c.Instructions++
			}
		}
	}
}

// instructionFor returns the committee an instruction by leader on m counts for: the
// first of m's committees (addressee, then copies) the leader leads, else the
// addressee.
func (a *statsAcc) instructionFor(m *briefbot.Matter, leader briefbot.MemberID) briefbot.CommitteeID {
	for _, c := range a.org.CommitteesBefore(m) {
		if c.IsLeader(leader) {
			return c.ID
		}
	}
	return m.Addressee
}

// trend walks the history once against the trend's points.
func (a *statsAcc) trend(m *briefbot.Matter) {
	ps := a.points
	if len(ps) == 0 || !m.SubmittedAt.Before(ps[len(ps)-1]) {
		return
	}
	status, h := briefbot.Status(""), 0
	for i, p := range ps {
		for h < len(m.History) && m.History[h].At.Before(p) {
			status = m.History[h].To
			h++
		}
		if m.SubmittedAt.Before(p) && status != "" && status.Open() {
			a.s.Trend[i].Open++
		}
	}
}

// finish scores the departments and orders them, best first.
func (a *statsAcc) finish() *Stats {
	s := a.s
	for _, id := range a.order {
		d := a.depts[id]
		if d.closed > 0 {
			d.AvgDaysToClose = float64(d.closeDays) / float64(d.closed)
		}
		d.Closed = d.closed
		d.Score = s.Scoring.Score(&d.DeptStats)
		s.Departments = append(s.Departments, d.DeptStats)
	}
	slices.SortStableFunc(s.Departments, func(a, b DeptStats) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.Department, b.Department)
	})
	for _, id := range a.corder {
		s.Committees = append(s.Committees, *a.comms[id])
	}
	return s
}

func dateKey(t time.Time) int32 { return int32(t.Year())<<9 | int32(t.YearDay()) }

// titles sets Yearly, Title and Masthead from the period.
func (s *Stats) titles() {
	f, t := s.From, s.To
	switch {
	case f.Month() == time.January && f.Day() == 1 && isMidnight(f) && t.Equal(f.AddDate(1, 0, 0)):
		s.Yearly = true
		s.Masthead = strAnnual.In(s.Lang)
		s.Title = tr(s.Lang, strAnnualTitle, f.Year())
	case f.Day() == 1 && isMidnight(f) && t.Equal(f.AddDate(0, 1, 0)):
		s.Masthead = strMonthly.In(s.Lang)
		s.Title = tr(s.Lang, strMonthlyTitle, f.Year(), int(f.Month()), monthNamesEN[f.Month()-1])
	default:
		s.Yearly = t.Sub(f) > 62*24*time.Hour
		s.Masthead = strPeriodic.In(s.Lang)
		s.Title = s.Masthead
	}
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

var monthNamesEN = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// trendPoints are the ends of each month (yearly) or each week from From (monthly) of
// [from, to), the last one to; points after now are cut, now becoming the last.
func trendPoints(from, to, now time.Time, yearly bool, loc *time.Location) []time.Time {
	if !from.Before(to) {
		return nil
	}
	var ps []time.Time
	for i := 1; ; i++ {
		p := from.AddDate(0, 0, 7*i)
		if yearly {
			p = from.In(loc).AddDate(0, i, 0)
		}
		if !p.Before(to) {
			p = to
		}
		if !now.IsZero() && p.After(now) {
			if now.After(from) {
				ps = append(ps, now)
			}
			return ps
		}
		ps = append(ps, p)
		if p.Equal(to) || len(ps) > 400 {
			return ps
		}
	}
}
