package schedules

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/briefbot/briefbot"
)

// Calendar is the working-day calendar: which days are working days in the years an
// administrator has configured. A working day is (Monday to Friday and not a day off)
// or a make-up working day (调休上班).
//
// A Calendar is immutable after construction and safe for concurrent use. The nil
// *Calendar is valid and covers no year: every method then treats Monday to Friday as
// working days and weekends as days off.
//
// Dates are calendar dates: every method takes the date of a time.Time in that time's
// own location, so the caller decides the zone by the location of the times it passes.
type Calendar struct {
	years    map[int]bool
	holidays map[date]bool
	workdays map[date]bool
}

// maxRun bounds the searches for a working day. No real calendar has anything close to
// a year of consecutive days off; the bound only stops a pathological configuration
// from looping forever.
const maxRun = 400

// NewCalendar returns the calendar that covers years, with the given days off
// (holidays) and make-up working days (workdays), each written as "2026-10-01".
//
// It refuses, with an EINVALID *briefbot.Error naming the offending value: a date that
// does not parse, a date outside years, a date listed both as a day off and as a
// working day, and a make-up working day that is not a Saturday or a Sunday (Monday to
// Friday already are working days: such an entry is almost always a typo). A day off
// that falls on a weekend is accepted. Duplicates within one list are harmless.
func NewCalendar(years []int, holidays, workdays []string) (*Calendar, error) {
	c := &Calendar{
		years:    make(map[int]bool, len(years)),
		holidays: make(map[date]bool, len(holidays)),
		workdays: make(map[date]bool, len(workdays)),
	}
	for _, y := range years {
		if y < 1 || y > 9999 {
			return nil, calendarError(
				fmt.Sprintf("工作日历的年份 %d 无效。", y),
				fmt.Sprintf("calendar year %d is not valid", y))
		}
		c.years[y] = true
	}
	parse := func(s, zhList, enList string) (date, error) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return date{}, calendarError(
				fmt.Sprintf("工作日历%s中的日期“%s”无效，应写作 2026-10-01。", zhList, s),
				fmt.Sprintf("calendar %s: date %q is not valid; write it as 2026-10-01", enList, s))
		}
		d := dateOf(t)
		if !c.years[d.y] {
			return date{}, calendarError(
				fmt.Sprintf("工作日历%s中的日期 %s 不在所配置的年份 %v 之内。", zhList, s, sortedYears(c.years)),
				fmt.Sprintf("calendar %s: date %s is outside the configured years %v", enList, s, sortedYears(c.years)))
		}
		return d, nil
	}
	for _, s := range holidays {
		d, err := parse(s, "放假日", "days off")
		if err != nil {
			return nil, err
		}
		c.holidays[d] = true
	}
	for _, s := range workdays {
		d, err := parse(s, "调休上班日", "make-up working days")
		if err != nil {
			return nil, err
		}
		if c.holidays[d] {
			return nil, calendarError(
				fmt.Sprintf("工作日历中的日期 %s 既列为放假日又列为调休上班日。", s),
				fmt.Sprintf("calendar: date %s is listed both as a day off and as a make-up working day", s))
		}
		if wd := d.weekday(); wd != time.Saturday && wd != time.Sunday {
			return nil, calendarError(
				fmt.Sprintf("工作日历中的调休上班日 %s 是%s，不是周六或周日（周一至周五本来就是工作日）。", s, weekdayZH[wd]),
				fmt.Sprintf("calendar: make-up working day %s is a %s, not a Saturday or Sunday", s, wd))
		}
		c.workdays[d] = true
	}
	return c, nil
}

// The 2026 official calendar: State Council General Office notice on the 2026 holiday
// arrangements (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04).
var (
	cn2026Holidays = []string{
		// New Year 元旦
		"2026-01-01", "2026-01-02", "2026-01-03",
		// Spring Festival 春节
		"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
		"2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
		// Qingming 清明节
		"2026-04-04", "2026-04-05", "2026-04-06",
		// Labour Day 劳动节
		"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
		// Dragon Boat 端午节
		"2026-06-19", "2026-06-20", "2026-06-21",
		// Mid-Autumn 中秋节
		"2026-09-25", "2026-09-26", "2026-09-27",
		// National Day 国庆节
		"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05",
		"2026-10-06", "2026-10-07",
	}
	cn2026Workdays = []string{
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
	}
)

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := NewCalendar(DefaultCalendarLists())
	if err != nil {
		panic("schedules: the built-in 2026 calendar is invalid: " + err.Error())
	}
	return c
})

// DefaultCalendar returns the official Chinese calendar for 2026 (days off and make-up
// working days). It covers 2026 only: later years are configuration an administrator
// adds with NewCalendar once the State Council publishes them (usually in November of
// the year before). The same immutable *Calendar is returned on every call.
func DefaultCalendar() *Calendar { return defaultCalendar() }

// DefaultCalendarLists returns what DefaultCalendar is made of, as NewCalendar takes it:
// the years it covers, its days off and its make-up working days, sorted. They are
// copies: a caller may change them, to add a year, without changing the calendar.
func DefaultCalendarLists() (years []int, holidays, workdays []string) {
	return []int{2026}, sortedStrings(slices.Clone(cn2026Holidays)), sortedStrings(slices.Clone(cn2026Workdays))
}

// Covers reports whether the calendar has been configured for year. When it has not,
// the calendar still answers (Monday to Friday are working days, weekends are not), but
// public holidays and make-up working days of that year are unknown: callers should
// warn the administrators.
func (c *Calendar) Covers(year int) bool {
	return c != nil && c.years[year]
}

// Years returns the years the calendar covers, in increasing order.
func (c *Calendar) Years() []int {
	if c == nil {
		return nil
	}
	return sortedYears(c.years)
}

// IsWorkingDay reports whether t's calendar date, in t's location, is a working day:
// (Monday to Friday and not a day off) or a make-up working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	return c.isWorking(dateOf(t))
}

// NextWorkingDay returns the first working day strictly after t's date, at t's wall-clock
// time, in t's location. If that wall-clock time does not exist on that day (a
// daylight-saving gap) the result is the first instant after the gap; if it exists twice
// (the clocks went back) the result is the earlier instant.
func (c *Calendar) NextWorkingDay(t time.Time) time.Time {
	return onDate(t, c.nextWorking(dateOf(t)))
}

// AddWorkingDays returns the time n working days after t, at t's wall-clock time, in t's
// location: AddWorkingDays(t, 1) is NextWorkingDay(t). For n == 0 it returns t itself
// when t is on a working day, and otherwise NextWorkingDay(t). A negative n counts
// backwards: AddWorkingDays(t, -1) is the last working day strictly before t's date.
// Wall-clock times that do not exist, or exist twice, are resolved as NextWorkingDay
// resolves them.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	d := dateOf(t)
	switch {
	case n == 0:
		if c.isWorking(d) {
			return t
		}
		d = c.nextWorking(d)
	case n > 0:
		for range n {
			d = c.nextWorking(d)
		}
	default:
		for range -n {
			d = c.prevWorking(d)
		}
	}
	return onDate(t, d)
}

// WorkingDaysBetween returns the number of working days after from's date up to and
// including to's date, both dates taken in from's location. It is 0 when to is not
// after from. So a matter received on Friday and due on the next Monday (no holidays)
// has 1 working day between.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	if !to.After(from) {
		return 0
	}
	d, end := dateOf(from), dateOf(to.In(from.Location()))
	n := 0
	for d.before(end) {
		d = d.next()
		if c.isWorking(d) {
			n++
		}
	}
	return n
}

func (c *Calendar) isWorking(d date) bool {
	if c != nil {
		if c.workdays[d] {
			return true
		}
		if c.holidays[d] {
			return false
		}
	}
	wd := d.weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// nextWorking returns the first working date strictly after d.
func (c *Calendar) nextWorking(d date) date { return c.walk(d, date.next) }

// prevWorking returns the last working date strictly before d.
func (c *Calendar) prevWorking(d date) date { return c.walk(d, date.prev) }

// walk steps from d until a working date (at most maxRun steps).
func (c *Calendar) walk(d date, step func(date) date) date {
	for range maxRun {
		if d = step(d); c.isWorking(d) {
			break
		}
	}
	return d
}

// onDate returns t's wall-clock time on date d, in t's location.
func onDate(t time.Time, d date) time.Time {
	return wallTime(d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

var weekdayZH = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func sortedYears(m map[int]bool) []int {
	ys := make([]int, 0, len(m))
	for y := range m {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

func calendarError(zh, en string) *briefbot.Error {
	return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonCalendar, briefbot.Text{ZH: zh, EN: en})
}
