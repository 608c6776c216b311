package schedules

import "time"

// date is a calendar date with no zone: the unit the working-day calendar speaks.
type date struct {
	y int
	m time.Month
	d int
}

// dateOf returns t's calendar date in t's location.
func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, m, d}
}

// civil returns noon UTC of d: a zone-free point for date arithmetic.
func (d date) civil() time.Time { return time.Date(d.y, d.m, d.d, 12, 0, 0, 0, time.UTC) }

func (d date) weekday() time.Weekday { return d.civil().Weekday() }
func (d date) next() date            { return dateOf(d.civil().AddDate(0, 0, 1)) }
func (d date) prev() date            { return dateOf(d.civil().AddDate(0, 0, -1)) }
func (d date) before(e date) bool    { return d.civil().Before(e.civil()) }
func (d date) String() string        { return d.civil().Format(time.DateOnly) }

// wallTime returns the instant at which the clocks in loc read hour:min:sec.nsec on
// date d, resolving daylight-saving transitions deterministically (time.Date does not
// promise which of two zones it picks):
//
//   - a reading that never happens, because the clocks jump over it (spring forward),
//     resolves to the first instant after the jump: 02:30 on a day New York moves from
//     02:00 to 03:00 is 03:00 EDT, and so is every other reading inside the gap;
//   - a reading that happens twice, because the clocks go back (fall back), resolves to
//     the earlier instant: 01:30 on the day New York goes back from 02:00 to 01:00 is
//     01:30 EDT, never 01:30 EST.
func wallTime(d date, hour, min, sec, nsec int, loc *time.Location) time.Time {
	t := time.Date(d.y, d.m, d.d, hour, min, sec, nsec, loc)
	want := time.Date(d.y, d.m, d.d, hour, min, sec, nsec, time.UTC)
	if got := naive(t); !got.Equal(want) {
		// In a gap. time.Date interpreted the reading with the offset of one side of
		// the transition; the transition itself is the edge of t's zone period that
		// lies between the two readings.
		start, end := t.ZoneBounds()
		if got.After(want) {
			return start.In(loc)
		}
		return end.In(loc)
	}
	// Possibly in a fold: if the zone period holding t began with the clocks going
	// back, the same reading may also have happened, earlier, in the previous period.
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t
	}
	_, off := t.Zone()
	_, prevOff := start.Add(-time.Nanosecond).Zone()
	if prevOff > off {
		earlier := t.Add(-time.Duration(prevOff-off) * time.Second)
		if earlier.Before(start) && naive(earlier).Equal(want) {
			return earlier
		}
	}
	return t
}

// naive returns t's wall-clock reading as if it were UTC, to compare readings.
func naive(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
