package schedules

import (
	"slices"
	"time"
)

// Slot is one firing of one schedule: the pair (schedule, scheduled time) is its
// identity, delivered at most once.
type Slot struct {
	Schedule    string    // the schedule's ID
	ScheduledAt time.Time // when the cron spec says, in the schedule's location: the slot's identity
	DueAt       time.Time // when to deliver: ScheduledAt, or the same wall-clock time on the next working day
}

// Key returns the slot's stable identity, for the store to record deliveries under:
// the schedule ID, "@", and ScheduledAt in UTC as RFC 3339,
// e.g. "party/weekly@2026-10-05T00:30:00Z".
func (s Slot) Key() string {
	return s.Schedule + "@" + s.ScheduledAt.UTC().Format(time.RFC3339)
}

// Moved reports whether the slot was moved off a non-working day.
func (s Slot) Moved() bool { return !s.DueAt.Equal(s.ScheduledAt) }

// SlotsBetween returns every slot of the schedule due in (from, to], ordered by DueAt,
// after applying the holiday policy with cal (nil: weekends only):
//
//   - A slot whose date, in the schedule's location, is a working day is due when
//     scheduled.
//   - With Skip, a slot on a non-working day is left out.
//   - With NextWorkingDay, it is due at the same wall-clock time on the first working
//     day after its date. When several slots end up due at the same instant (a daily
//     spec over a week-long holiday: every holiday slot lands on the first working
//     day, which has its own slot at that time too), only the one scheduled last is
//     kept: one delivery per due time, under the key of the latest scheduled slot.
//
// Daylight saving: every wall-clock time of the spec is read as wallTime reads it. A
// time the clocks skip (02:30 on a spring-forward day in New York) is scheduled at the
// first instant after the jump (03:00 EDT), once, however many spec times fell inside
// the gap; a time the clocks pass twice (01:30 on a fall-back day) is scheduled once,
// at the earlier instant (01:30 EDT). So each wall-clock slot is delivered exactly once
// — unlike robfig/cron, which skips the first and runs the second twice (#541).
func (sch *Schedule) SlotsBetween(cal *Calendar, from, to time.Time) []Slot {
	if !to.After(from) {
		return nil
	}
	loc := sch.spec.Location
	first, last := dateOf(from.In(loc)), dateOf(to.In(loc))
	if sch.spec.OnHoliday == NextWorkingDay {
		// A slot scheduled before from's date can be due after from only if every
		// day from its date up to from's date is a day off: look back over them.
		for range maxRun {
			p := first.prev()
			if cal.isWorking(p) {
				break
			}
			first = p
		}
	}
	times := sch.minutesOfDay()
	var all []Slot
	var prev time.Time
	for d := first; !last.before(d); d = d.next() {
		if !sch.matchesDate(d) {
			continue
		}
		due := d
		if !cal.isWorking(d) {
			if sch.spec.OnHoliday != NextWorkingDay {
				continue
			}
			due = cal.nextWorking(d)
		}
		for _, mm := range times {
			at := wallTime(d, mm/60, mm%60, 0, 0, loc)
			if at.Equal(prev) {
				continue // several spec times inside one daylight-saving gap
			}
			prev = at
			s := Slot{Schedule: sch.spec.ID, ScheduledAt: at, DueAt: at}
			if due != d {
				s.DueAt = wallTime(due, mm/60, mm%60, 0, 0, loc)
			}
			all = append(all, s)
		}
	}
	slices.SortStableFunc(all, func(a, b Slot) int {
		if c := a.DueAt.Compare(b.DueAt); c != 0 {
			return c
		}
		return a.ScheduledAt.Compare(b.ScheduledAt)
	})
	var out []Slot
	for i, s := range all {
		if i+1 < len(all) && all[i+1].DueAt.Equal(s.DueAt) {
			continue // a later-scheduled slot is due at the same instant
		}
		if s.DueAt.After(from) && !s.DueAt.After(to) {
			out = append(out, s)
		}
	}
	return out
}

// nextHorizon is how far Next looks ahead. A valid spec matches some date in every 28
// years, but with Skip every matching date may be a day off (a Sunday-only spec fires
// only on make-up working Sundays), and then there is no next slot at all.
const nextHorizon = 30 * 366 * 24 * time.Hour

// Next returns the first slot of the schedule due after after (DueAt > after), with
// the holiday policy applied as in SlotsBetween, and false if none is due within the
// next 30 years.
func (sch *Schedule) Next(cal *Calendar, after time.Time) (Slot, bool) {
	for span := 26 * time.Hour; ; span *= 2 {
		span = min(span, nextHorizon)
		if s := sch.SlotsBetween(cal, after, after.Add(span)); len(s) > 0 {
			return s[0], true
		}
		if span == nextHorizon {
			return Slot{}, false
		}
	}
}
