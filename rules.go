package briefbot

import (
	"fmt"
	"slices"
	"time"
)

// Calendar is the working-day calendar (schedules.Calendar implements it): weekends,
// public holidays and make-up working days (调休) from the configuration. Dates are taken
// in the location of the times passed.
type Calendar interface {
	IsWorkingDay(t time.Time) bool
	AddWorkingDays(t time.Time, n int) time.Time
	WorkingDaysBetween(from, to time.Time) int
}

// Rules are the house rules in force: who is who, the intake rules, and the numbers of
// the follow-through that differ by locality (DOMAIN.md: they are configuration, never
// constants). The org config makes them; a reload replaces them whole. Read-only once
// in use.
type Rules struct {
	Org    Org
	Intake IntakeRules
	// Lang is the language of members who set none, and of what committees' channels read.
	Lang Lang
	// Location is the zone of dates and deadlines (default Asia/Shanghai).
	Location *time.Location
	// Calendar decides working days; nil counts calendar days for deadlines and ages,
	// and Monday to Friday for working hours.
	Calendar      Calendar
	FollowThrough FollowThrough
}

// FollowThrough holds the numbers of answering and handling matters, in working days.
type FollowThrough struct {
	AnswerLimit    int             // a request without an answer deadline gets this many (default 5)
	Deadlines      map[Urgency]int // a referral's handling deadline by urgency (default 1/3/10)
	RemindBefore   []int           // chase this many working days before a deadline (default 2, 1); the day itself always
	SuperviseAfter int             // the instructing leader is told this many working days overdue (default 3; 0: never)
	// WorkStart and WorkEnd bound working hours, in minutes after midnight: reminders go
	// out only within them (default 09:00–17:30).
	WorkStart, WorkEnd int
	// LeadersDecideExtensions sends extension requests to the instructing leaders
	// instead of the committee's clerks (who decide by default).
	LeadersDecideExtensions bool
}

// DayEnds is when a deadline falls on its day: the end of the working day.
const DayEnds = 18 * time.Hour

// DefaultFollowThrough returns the defaults of every number.
func DefaultFollowThrough() FollowThrough {
	return FollowThrough{
		AnswerLimit:    5,
		Deadlines:      map[Urgency]int{UrgencyExtraUrgent: 1, UrgencyUrgent: 3, UrgencyOrdinary: 10},
		RemindBefore:   []int{2, 1},
		SuperviseAfter: 3,
		WorkStart:      9 * 60,
		WorkEnd:        17*60 + 30,
	}
}

// Loc is the rules' zone.
func (r *Rules) Loc() *time.Location {
	if r.Location == nil {
		return DefaultLocation()
	}
	return r.Location
}

// LangOf is the language member reads (the house language if they set none).
func (r *Rules) LangOf(m *Member) Lang {
	if m != nil && m.Lang != "" {
		return m.Lang
	}
	if r.Lang != "" {
		return r.Lang
	}
	return LangZH
}

// LangOfID is LangOf for the member with id.
func (r *Rules) LangOfID(id MemberID) Lang {
	m, _ := r.Org.Member(id)
	return r.LangOf(m)
}

// EndOfDay is the deadline on t's date: DayEnds, in the rules' zone.
func (r *Rules) EndOfDay(t time.Time) time.Time {
	y, m, d := t.In(r.Loc()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, r.Loc()).Add(DayEnds)
}

// AddWorkingDays moves t on by n working days (calendar days without a calendar).
func (r *Rules) AddWorkingDays(t time.Time, n int) time.Time {
	t = t.In(r.Loc())
	if r.Calendar == nil {
		return t.AddDate(0, 0, n)
	}
	return r.Calendar.AddWorkingDays(t, n)
}

// WorkingDaysBetween counts working days from from to to (calendar days without a
// calendar); nil when there is no calendar, for callers that count calendar days
// themselves.
func (r *Rules) WorkingDaysBetween() func(from, to time.Time) int {
	if r.Calendar == nil {
		return nil
	}
	return r.Calendar.WorkingDaysBetween
}

// IsWorkingDay reports whether t's date is a working day (Monday to Friday without a
// calendar).
func (r *Rules) IsWorkingDay(t time.Time) bool {
	t = t.In(r.Loc())
	if r.Calendar == nil {
		return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
	}
	return r.Calendar.IsWorkingDay(t)
}

// HandlingDeadline is the deadline a referral of m made at now gets unless one is
// given: the configured working days for its urgency, at the end of that day.
func (r *Rules) HandlingDeadline(m *Matter, now time.Time) time.Time {
	u := m.Urgency
	if u == "" {
		u = UrgencyOrdinary
	}
	days, ok := r.FollowThrough.Deadlines[u]
	if !ok {
		days = DefaultFollowThrough().Deadlines[u]
	}
	return r.EndOfDay(r.AddWorkingDays(now, days))
}

// AnswerDeadline is the answer deadline a request submitted at now gets when its
// submitter sets none: the answer limit, so a request left unanswered is flagged
// overdue and chased like any other.
func (r *Rules) AnswerDeadline(now time.Time) time.Time {
	n := r.FollowThrough.AnswerLimit
	if n <= 0 {
		n = DefaultFollowThrough().AnswerLimit
	}
	return r.EndOfDay(r.AddWorkingDays(now, n))
}

// InWorkingHours reports whether t is within working hours on a working day.
func (r *Rules) InWorkingHours(t time.Time) bool {
	if !r.IsWorkingDay(t) {
		return false
	}
	start, end := r.workHours()
	t = t.In(r.Loc())
	min := t.Hour()*60 + t.Minute()
	return min >= start && min < end
}

func (r *Rules) workHours() (int, int) {
	f := r.FollowThrough
	if f.WorkEnd == 0 {
		d := DefaultFollowThrough()
		return d.WorkStart, d.WorkEnd
	}
	return f.WorkStart, f.WorkEnd
}

// Reminder is one step of chasing a deadline: its name (before-2, before-1, due,
// overdue, supervise) and from when it is due.
type Reminder struct {
	Step string
	At   time.Time
}

// Reminder steps.
const (
	ReminderDue       = "due"       // the day itself
	ReminderOverdue   = "overdue"   // the deadline has passed: 督办
	ReminderSupervise = "supervise" // well past it: the leaders are told
)

// Reminders lists the chasing steps of a deadline, in order: the configured working
// days before, the day itself, overdue (as soon as it passes) and supervision (some
// working days later). Each but overdue is due at the start of working hours on its day.
func (r *Rules) Reminders(deadline time.Time) []Reminder {
	start, _ := r.workHours()
	dayStart := func(t time.Time) time.Time {
		y, m, d := t.In(r.Loc()).Date()
		return time.Date(y, m, d, 0, start, 0, 0, r.Loc())
	}
	before := slices.Clone(r.FollowThrough.RemindBefore)
	slices.Sort(before)
	slices.Reverse(before)
	dl := dayStart(deadline)
	var rs []Reminder
	for _, k := range before {
		if k > 0 {
			rs = append(rs, Reminder{fmt.Sprintf("before-%d", k), dayStart(r.AddWorkingDays(dl, -k))})
		}
	}
	rs = append(rs, Reminder{ReminderDue, dayStart(r.AddWorkingDays(dl, 0))}, Reminder{ReminderOverdue, deadline})
	if n := r.FollowThrough.SuperviseAfter; n > 0 {
		rs = append(rs, Reminder{ReminderSupervise, dayStart(r.AddWorkingDays(dl, n))})
	}
	return rs
}
