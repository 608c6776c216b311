package schedules_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/schedules"
)

var (
	shanghai = briefbot.DefaultLocation()
	newYork  = mustLoad("America/New_York")
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at returns "2026-10-01 08:30" in loc.
func at(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// cst returns "2026-10-01 08:30" in Asia/Shanghai.
func cst(s string) time.Time { return at(s, shanghai) }

func TestDefaultCalendar_IsWorkingDay(t *testing.T) {
	cal := schedules.DefaultCalendar()
	for _, tt := range []struct {
		day  string
		want bool
		why  string
	}{
		{"2026-01-01", false, "New Year, Thursday"},
		{"2026-01-03", false, "New Year, Saturday"},
		{"2026-01-04", true, "Sunday make-up working day"},
		{"2026-01-05", true, "ordinary Monday"},
		{"2026-02-13", true, "Friday before Spring Festival"},
		{"2026-02-14", true, "Saturday make-up working day"},
		{"2026-02-15", false, "Spring Festival, Sunday"},
		{"2026-02-16", false, "Spring Festival, Monday"},
		{"2026-02-23", false, "Spring Festival, last day, Monday"},
		{"2026-02-24", true, "first working day after Spring Festival"},
		{"2026-02-28", true, "Saturday make-up working day"},
		{"2026-03-07", false, "ordinary Saturday"},
		{"2026-03-08", false, "ordinary Sunday"},
		{"2026-05-09", true, "Saturday make-up working day"},
		{"2026-09-20", true, "Sunday make-up working day"},
		{"2026-10-01", false, "National Day"},
		{"2026-10-05", false, "National Day, Monday"},
		{"2026-10-07", false, "National Day, last day"},
		{"2026-10-08", true, "Thursday after National Day"},
		{"2026-10-10", true, "Saturday make-up working day"},
		{"2026-10-11", false, "ordinary Sunday"},
	} {
		if got := cal.IsWorkingDay(cst(tt.day + " 09:00")); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v; want %v (%s)", tt.day, got, tt.want, tt.why)
		}
	}
}

func TestCalendar_IsWorkingDay_Location(t *testing.T) {
	cal := schedules.DefaultCalendar()
	// 2026-09-30 17:00 UTC is 2026-10-01 01:00 in Shanghai: the date is the date in
	// the time's own location.
	u := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC)
	if !cal.IsWorkingDay(u) {
		t.Errorf("IsWorkingDay(%v) = false; want true (Wednesday in UTC)", u)
	}
	if cal.IsWorkingDay(u.In(shanghai)) {
		t.Errorf("IsWorkingDay(%v) = true; want false (National Day in Shanghai)", u.In(shanghai))
	}
}

func TestCalendar_Covers(t *testing.T) {
	cal := schedules.DefaultCalendar()
	for y, want := range map[int]bool{2025: false, 2026: true, 2027: false} {
		if got := cal.Covers(y); got != want {
			t.Errorf("Covers(%d) = %v; want %v", y, got, want)
		}
	}
	// An uncovered year still answers, by weekends only: 2027-01-01 is a Friday (and
	// surely a holiday, but nobody has configured 2027 yet).
	if !cal.IsWorkingDay(cst("2027-01-01 09:00")) {
		t.Error("IsWorkingDay(2027-01-01) = false; want true (uncovered year: weekdays work)")
	}
	if cal.IsWorkingDay(cst("2027-01-02 09:00")) {
		t.Error("IsWorkingDay(2027-01-02) = true; want false (Saturday)")
	}
	var none *schedules.Calendar
	if none.Covers(2026) || !none.IsWorkingDay(cst("2026-10-01 09:00")) || none.IsWorkingDay(cst("2026-10-10 09:00")) {
		t.Error("nil *Calendar: want no years covered, weekdays working, weekends off")
	}
	if got := cal.Years(); len(got) != 1 || got[0] != 2026 {
		t.Errorf("Years() = %v; want [2026]", got)
	}
}

func TestCalendar_NextWorkingDay(t *testing.T) {
	cal := schedules.DefaultCalendar()
	for _, tt := range []struct{ from, want string }{
		{"2026-09-30 10:15", "2026-10-08 10:15"}, // over National Day
		{"2026-10-01 10:15", "2026-10-08 10:15"}, // from inside the holiday
		{"2026-10-08 10:15", "2026-10-09 10:15"},
		{"2026-10-09 10:15", "2026-10-10 10:15"}, // Saturday make-up day
		{"2026-10-10 10:15", "2026-10-12 10:15"},
		{"2026-02-13 17:30", "2026-02-14 17:30"},
		{"2026-02-14 17:30", "2026-02-24 17:30"}, // over Spring Festival
		{"2026-12-31 09:00", "2027-01-01 09:00"}, // uncovered year: weekdays
	} {
		if got, want := cal.NextWorkingDay(cst(tt.from)), cst(tt.want); !got.Equal(want) || got.Location() != shanghai {
			t.Errorf("NextWorkingDay(%s) = %v; want %v", tt.from, got, want)
		}
	}
}

func TestCalendar_AddWorkingDays(t *testing.T) {
	cal := schedules.DefaultCalendar()
	for _, tt := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-09-30 10:00", 0, "2026-09-30 10:00"},
		{"2026-09-30 10:00", 1, "2026-10-08 10:00"},
		{"2026-09-30 10:00", 2, "2026-10-09 10:00"},
		{"2026-09-30 10:00", 3, "2026-10-10 10:00"}, // Saturday make-up day counts
		{"2026-09-30 10:00", 4, "2026-10-12 10:00"},
		{"2026-10-03 10:00", 0, "2026-10-08 10:00"}, // n=0 moves off the holiday
		{"2026-10-03 10:00", 1, "2026-10-08 10:00"},
		{"2026-10-08 10:00", -1, "2026-09-30 10:00"},
		{"2026-10-12 10:00", -2, "2026-10-09 10:00"},
		{"2026-02-12 16:00", 1, "2026-02-13 16:00"},
		{"2026-02-12 16:00", 2, "2026-02-14 16:00"},
		{"2026-02-12 16:00", 3, "2026-02-24 16:00"}, // over Spring Festival
		{"2026-02-13 16:00", 5, "2026-02-27 16:00"},
		{"2026-02-13 16:00", 6, "2026-02-28 16:00"}, // Saturday make-up day
		{"2026-02-13 16:00", 7, "2026-03-02 16:00"},
		{"2026-02-20 16:00", 0, "2026-02-24 16:00"},
		{"2025-12-31 09:00", 1, "2026-01-04 09:00"}, // New Year, then Sunday make-up day
	} {
		if got, want := cal.AddWorkingDays(cst(tt.from), tt.n), cst(tt.want); !got.Equal(want) {
			t.Errorf("AddWorkingDays(%s, %d) = %v; want %v", tt.from, tt.n, got, want)
		}
	}
}

func TestCalendar_WorkingDaysBetween(t *testing.T) {
	cal := schedules.DefaultCalendar()
	for _, tt := range []struct {
		from, to string
		want     int
	}{
		{"2026-09-30 10:00", "2026-09-30 18:00", 0},
		{"2026-09-30 10:00", "2026-09-30 10:00", 0},
		{"2026-09-30 10:00", "2026-09-29 10:00", 0},
		{"2026-09-30 10:00", "2026-10-07 23:59", 0},
		{"2026-09-30 10:00", "2026-10-08 09:00", 1},
		{"2026-09-30 10:00", "2026-10-12 09:00", 4},
		{"2026-02-13 10:00", "2026-02-24 09:00", 2},
		{"2026-02-13 10:00", "2026-03-02 09:00", 7},
		{"2025-12-31 10:00", "2026-01-05 09:00", 2},
		{"2026-03-06 10:00", "2026-03-09 09:00", 1}, // Friday to Monday
	} {
		if got := cal.WorkingDaysBetween(cst(tt.from), cst(tt.to)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d; want %d", tt.from, tt.to, got, tt.want)
		}
	}
	// AddWorkingDays and WorkingDaysBetween agree.
	from := cst("2026-01-01 09:00")
	for n := 1; n <= 260; n++ {
		if got := cal.WorkingDaysBetween(from, cal.AddWorkingDays(from, n)); got != n {
			t.Fatalf("WorkingDaysBetween(from, AddWorkingDays(from, %d)) = %d", n, got)
		}
	}
}

// In a zone with daylight saving, "the same wall-clock time" on another day is
// resolved deterministically: a skipped time is the first instant after the jump, a
// repeated time is the earlier instant.
func TestCalendar_NextWorkingDay_DST(t *testing.T) {
	// The US changes clocks on Sundays: make those Sundays working days.
	cal, err := schedules.NewCalendar([]int{2026}, nil, []string{"2026-03-08", "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		from string
		want time.Time
	}{
		{"2026-03-06 02:30", time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC)},   // 03:00 EDT
		{"2026-10-30 01:30", time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)}, // 01:30 EDT, not EST
		{"2026-10-30 02:30", time.Date(2026, 11, 1, 7, 30, 0, 0, time.UTC)}, // 02:30 EST
	} {
		if got := cal.NextWorkingDay(at(tt.from, newYork)); !got.Equal(tt.want) {
			t.Errorf("NextWorkingDay(%s New York) = %v; want %v", tt.from, got, tt.want.In(newYork))
		}
	}
}

func TestNewCalendar(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		cal, err := schedules.NewCalendar([]int{2026, 2027}, []string{"2027-01-01", "2027-01-01"}, []string{"2026-10-10"})
		if err != nil {
			t.Fatal(err)
		}
		if cal.IsWorkingDay(cst("2027-01-01 09:00")) || !cal.IsWorkingDay(cst("2026-10-10 09:00")) || !cal.Covers(2027) {
			t.Error("configured days not honoured")
		}
	})
	for _, tt := range []struct {
		name               string
		years              []int
		holidays, workdays []string
		offending          string
	}{
		{"ErrBadDate", []int{2026}, []string{"2026-10-1x"}, nil, "2026-10-1x"},
		{"ErrNoSuchDay", []int{2026}, []string{"2026-02-30"}, nil, "2026-02-30"},
		{"ErrNotISO", []int{2026}, nil, []string{"10/10/2026"}, "10/10/2026"},
		{"ErrOutsideYears", []int{2026}, []string{"2027-01-01"}, nil, "2027-01-01"},
		{"ErrWorkdayOutsideYears", []int{2026}, nil, []string{"2025-12-27"}, "2025-12-27"},
		{"ErrNoYears", nil, []string{"2026-10-01"}, nil, "2026-10-01"},
		{"ErrBoth", []int{2026}, []string{"2026-10-10"}, []string{"2026-10-10"}, "2026-10-10"},
		{"ErrWeekdayWorkday", []int{2026}, nil, []string{"2026-10-09"}, "2026-10-09"},
		{"ErrBadYear", []int{0}, nil, nil, "0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := schedules.NewCalendar(tt.years, tt.holidays, tt.workdays)
			if cal != nil || err == nil {
				t.Fatalf("NewCalendar = %v, %v; want an error", cal, err)
			}
			if got, want := briefbot.ErrorCode(err), briefbot.EINVALID; got != want {
				t.Errorf("ErrorCode = %q; want %q", got, want)
			}
			if got, want := briefbot.ErrorReason(err), briefbot.ReasonCalendar; got != want {
				t.Errorf("ErrorReason = %q; want %q", got, want)
			}
			for _, lang := range []briefbot.Lang{briefbot.LangZH, briefbot.LangEN} {
				if msg := briefbot.ErrorMessage(err, lang); !strings.Contains(msg, tt.offending) {
					t.Errorf("ErrorMessage(%s) = %q; want it to name %q", lang, msg, tt.offending)
				}
			}
		})
	}
}

// The lists DefaultCalendar is made of are copies: changing them changes nothing.
func TestDefaultCalendarLists(t *testing.T) {
	years, holidays, workdays := schedules.DefaultCalendarLists()
	if !slices.Equal(years, []int{2026}) || len(holidays) != 33 || len(workdays) != 6 || !slices.IsSorted(holidays) || !slices.IsSorted(workdays) {
		t.Fatalf("DefaultCalendarLists = %v, %d days off, %d make-up days", years, len(holidays), len(workdays))
	}
	holidays[0], workdays[0] = "2026-03-03", "2026-03-07"
	if _, h, w := schedules.DefaultCalendarLists(); h[0] != "2026-01-01" || w[0] != "2026-01-04" {
		t.Fatalf("a caller's change reached the built-in lists: %v %v", h[0], w[0])
	}
}
