package schedules_test

import (
	"slices"
	"testing"
	"time"

	"github.com/briefbot/briefbot/schedules"
)

// show writes a slot as "scheduled" or "scheduled -> due", wall clock in loc.
func show(s schedules.Slot, loc *time.Location) string {
	const layout = "2006-01-02 15:04 MST"
	out := s.ScheduledAt.In(loc).Format(layout)
	if s.Moved() {
		out += " -> " + s.DueAt.In(loc).Format(layout)
	}
	return out
}

func showAll(slots []schedules.Slot, loc *time.Location) []string {
	out := []string{}
	for _, s := range slots {
		out = append(out, show(s, loc))
	}
	return out
}

func TestSlot_Key(t *testing.T) {
	s := schedules.Slot{Schedule: "party/weekly", ScheduledAt: cst("2026-10-05 08:30"), DueAt: cst("2026-10-08 08:30")}
	if got, want := s.Key(), "party/weekly@2026-10-05T00:30:00Z"; got != want {
		t.Errorf("Key() = %q; want %q", got, want)
	}
	moved := s
	moved.ScheduledAt = moved.ScheduledAt.In(newYork)
	if moved.Key() != s.Key() {
		t.Errorf("Key() depends on the location: %q != %q", moved.Key(), s.Key())
	}
}

func TestSchedule_SlotsBetween(t *testing.T) {
	cal := schedules.DefaultCalendar()
	for _, tt := range []struct {
		name     string
		cron     string
		policy   schedules.Policy
		from, to string
		want     []string
	}{
		{
			name: "WeeklyOverNationalDaySkip", cron: "30 8 * * 1", policy: schedules.Skip,
			from: "2026-09-27 00:00", to: "2026-10-13 00:00",
			want: []string{"2026-09-28 08:30 CST", "2026-10-12 08:30 CST"},
		},
		{
			// Monday 2026-10-05 is National Day; Oct 1-7 are off; Thursday Oct 8 works.
			name: "WeeklyOverNationalDayNextWorkingDay", cron: "30 8 * * 1", policy: schedules.NextWorkingDay,
			from: "2026-09-27 00:00", to: "2026-10-13 00:00",
			want: []string{"2026-09-28 08:30 CST", "2026-10-05 08:30 CST -> 2026-10-08 08:30 CST", "2026-10-12 08:30 CST"},
		},
		{
			// 02-14 is a make-up Saturday; 02-15..02-23 are off.
			name: "DailyOverSpringFestivalSkip", cron: "30 17 * * *", policy: schedules.Skip,
			from: "2026-02-12 00:00", to: "2026-02-26 00:00",
			want: []string{
				"2026-02-12 17:30 CST", "2026-02-13 17:30 CST", "2026-02-14 17:30 CST",
				"2026-02-24 17:30 CST", "2026-02-25 17:30 CST",
			},
		},
		{
			// Every holiday slot moves to 02-24 17:30, which has its own slot: one delivery.
			name: "DailyOverSpringFestivalNextWorkingDay", cron: "30 17 * * *", policy: schedules.NextWorkingDay,
			from: "2026-02-12 00:00", to: "2026-02-26 00:00",
			want: []string{
				"2026-02-12 17:30 CST", "2026-02-13 17:30 CST", "2026-02-14 17:30 CST",
				"2026-02-24 17:30 CST", "2026-02-25 17:30 CST",
			},
		},
		{
			// Thursday Oct 1 and Monday Oct 5 both move onto Thursday Oct 8's own slot.
			name: "MondayThursdayNextWorkingDay", cron: "30 8 * * 1,4", policy: schedules.NextWorkingDay,
			from: "2026-09-28 09:00", to: "2026-10-13 00:00",
			want: []string{"2026-10-08 08:30 CST", "2026-10-12 08:30 CST"},
		},
		{
			// Saturdays: only the make-up Saturday is a working day.
			name: "SaturdaySkip", cron: "0 9 * * 6", policy: schedules.Skip,
			from: "2026-10-01 00:00", to: "2026-10-18 00:00",
			want: []string{"2026-10-10 09:00 CST"},
		},
		{
			name: "SaturdayNextWorkingDay", cron: "0 9 * * 6", policy: schedules.NextWorkingDay,
			from: "2026-10-01 00:00", to: "2026-10-20 00:00",
			want: []string{"2026-10-03 09:00 CST -> 2026-10-08 09:00 CST", "2026-10-10 09:00 CST", "2026-10-17 09:00 CST -> 2026-10-19 09:00 CST"},
		},
		{
			// Due times are not in scheduled order: Saturday 17:00 and Sunday 09:00 both
			// move to Monday, where the Sunday slot is due first.
			name: "WeekendTwiceNextWorkingDay", cron: "0 9,17 * * 0,6", policy: schedules.NextWorkingDay,
			from: "2026-03-06 00:00", to: "2026-03-10 00:00",
			want: []string{"2026-03-08 09:00 CST -> 2026-03-09 09:00 CST", "2026-03-08 17:00 CST -> 2026-03-09 17:00 CST"},
		},
		{
			// The window starts in the middle of National Day: the moved Monday slot
			// is found though it was scheduled before the window.
			name: "FromInsideHoliday", cron: "30 8 * * 1", policy: schedules.NextWorkingDay,
			from: "2026-10-07 12:00", to: "2026-10-08 08:30",
			want: []string{"2026-10-05 08:30 CST -> 2026-10-08 08:30 CST"},
		},
		{
			name: "FromExclusive", cron: "30 8 * * 1", policy: schedules.NextWorkingDay,
			from: "2026-10-08 08:30", to: "2026-10-12 08:30",
			want: []string{"2026-10-12 08:30 CST"},
		},
		{
			name: "Empty", cron: "30 8 * * 1", policy: schedules.Skip,
			from: "2026-10-12 08:30", to: "2026-10-12 08:30",
			want: []string{},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sch := mustParse(t, schedules.Spec{ID: "s", Cron: tt.cron, OnHoliday: tt.policy})
			got := showAll(sch.SlotsBetween(cal, cst(tt.from), cst(tt.to)), shanghai)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SlotsBetween(%s, %s) =\n%q\nwant\n%q", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestSchedule_SlotsBetween_Keys(t *testing.T) {
	// The 02-24 delivery of a daily spec over Spring Festival is keyed by the 02-24
	// slot itself: the same key whether or not the holiday slots were moved.
	cal := schedules.DefaultCalendar()
	from, to := cst("2026-02-23 00:00"), cst("2026-02-24 23:00")
	skip := mustParse(t, schedules.Spec{ID: "s", Cron: "30 17 * * *"}).SlotsBetween(cal, from, to)
	next := mustParse(t, schedules.Spec{ID: "s", Cron: "30 17 * * *", OnHoliday: schedules.NextWorkingDay}).SlotsBetween(cal, from, to)
	if len(skip) != 1 || len(next) != 1 || skip[0].Key() != next[0].Key() || next[0].Key() != "s@2026-02-24T09:30:00Z" {
		t.Errorf("skip %v, next %v; want one slot each, key s@2026-02-24T09:30:00Z", skip, next)
	}
}

func TestSchedule_Next(t *testing.T) {
	cal := schedules.DefaultCalendar()
	for _, tt := range []struct {
		name   string
		cron   string
		policy schedules.Policy
		cal    *schedules.Calendar
		after  string
		want   string // "" for none
	}{
		{"WeeklySkip", "30 8 * * 1", schedules.Skip, cal, "2026-10-01 00:00", "2026-10-12 08:30 CST"},
		{"WeeklyMoved", "30 8 * * 1", schedules.NextWorkingDay, cal, "2026-10-01 00:00", "2026-10-05 08:30 CST -> 2026-10-08 08:30 CST"},
		{"WeeklyMovedFromInside", "30 8 * * 1", schedules.NextWorkingDay, cal, "2026-10-06 00:00", "2026-10-05 08:30 CST -> 2026-10-08 08:30 CST"},
		{"WeeklyAfterMoved", "30 8 * * 1", schedules.NextWorkingDay, cal, "2026-10-08 08:30", "2026-10-12 08:30 CST"},
		{"StrictlyAfter", "30 17 * * *", schedules.Skip, cal, "2026-02-13 17:30", "2026-02-14 17:30 CST"},
		{"OverSpringFestival", "30 17 * * *", schedules.Skip, cal, "2026-02-14 17:30", "2026-02-24 17:30 CST"},
		{"OverSpringFestivalMoved", "30 17 * * *", schedules.NextWorkingDay, cal, "2026-02-14 17:30", "2026-02-24 17:30 CST"},
		{"WeeklySunday", "@weekly", schedules.NextWorkingDay, cal, "2026-03-01 00:00", "2026-03-01 00:00 CST -> 2026-03-02 00:00 CST"},
		{"WeeklySundayNext", "@weekly", schedules.NextWorkingDay, cal, "2026-03-02 00:00", "2026-03-08 00:00 CST -> 2026-03-09 00:00 CST"},
		{"LeapDay", "0 9 29 2 *", schedules.NextWorkingDay, nil, "2026-03-01 00:00", "2028-02-29 09:00 CST"},
		// Sundays work only when made up: 2026 has two, later years are not configured.
		{"SundayMakeUp", "0 9 * * 0", schedules.Skip, cal, "2026-01-01 00:00", "2026-01-04 09:00 CST"},
		{"SundayMakeUpLast", "0 9 * * 0", schedules.Skip, cal, "2026-01-04 09:00", "2026-09-20 09:00 CST"},
		{"SundayNever", "0 9 * * 0", schedules.Skip, cal, "2026-09-20 09:00", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sch := mustParse(t, schedules.Spec{ID: "s", Cron: tt.cron, OnHoliday: tt.policy})
			s, ok := sch.Next(tt.cal, cst(tt.after))
			got := ""
			if ok {
				got = show(s, shanghai)
			}
			if got != tt.want {
				t.Errorf("Next(%s) = %q; want %q", tt.after, got, tt.want)
			}
		})
	}
}

// Daylight saving in New York: clocks jump from 02:00 to 03:00 on 2026-03-08 and go
// back from 02:00 to 01:00 on 2026-11-01. Every wall-clock slot is scheduled once: a
// skipped time at the first instant after the jump (03:00 EDT), a repeated time at
// its first occurrence (EDT). robfig/cron would skip the first and fire the second
// twice (#541).
func TestSchedule_SlotsBetween_DST(t *testing.T) {
	cal := dstCalendar(t)
	for _, tt := range []struct {
		name     string
		cron     string
		from, to string
		want     []string
	}{
		{
			name: "SpringForward0230", cron: "30 2 * * *", from: "2026-03-07 12:00", to: "2026-03-09 12:00",
			want: []string{"2026-03-08 03:00 EDT", "2026-03-09 02:30 EDT"},
		},
		{
			name: "SpringForwardTwoInGap", cron: "0,30 2 * * *", from: "2026-03-07 12:00", to: "2026-03-09 12:00",
			want: []string{"2026-03-08 03:00 EDT", "2026-03-09 02:00 EDT", "2026-03-09 02:30 EDT"},
		},
		{
			name: "SpringForwardHourly", cron: "30 * * * *", from: "2026-03-08 00:00", to: "2026-03-08 04:00",
			want: []string{"2026-03-08 00:30 EST", "2026-03-08 01:30 EST", "2026-03-08 03:00 EDT", "2026-03-08 03:30 EDT"},
		},
		{
			name: "FallBack0130", cron: "30 1 * * *", from: "2026-10-31 12:00", to: "2026-11-02 12:00",
			want: []string{"2026-11-01 01:30 EDT", "2026-11-02 01:30 EST"},
		},
		{
			name: "FallBackHourly", cron: "30 * * * *", from: "2026-11-01 00:00", to: "2026-11-01 03:00",
			want: []string{"2026-11-01 00:30 EDT", "2026-11-01 01:30 EDT", "2026-11-01 02:30 EST"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sch := mustParse(t, schedules.Spec{ID: "s", Cron: tt.cron, Location: newYork})
			got := showAll(sch.SlotsBetween(cal, at(tt.from, newYork), at(tt.to, newYork)), newYork)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SlotsBetween =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	// Berlin, east of UTC, where time.Date resolves both transitions the other way
	// round: clocks jump from 02:00 to 03:00 on 2026-03-29 and go back from 03:00 to
	// 02:00 on 2026-10-25.
	berlin := mustLoad("Europe/Berlin")
	for _, tt := range []struct {
		name, from, to string
		want           []string
	}{
		{"SpringForward", "2026-03-28 12:00", "2026-03-30 12:00", []string{"2026-03-29 03:00 CEST", "2026-03-30 02:30 CEST"}},
		{"FallBack", "2026-10-24 12:00", "2026-10-26 12:00", []string{"2026-10-25 02:30 CEST", "2026-10-26 02:30 CET"}},
	} {
		sch := mustParse(t, schedules.Spec{ID: "s", Cron: "30 2 * * *", Location: berlin})
		got := showAll(sch.SlotsBetween(cal, at(tt.from, berlin), at(tt.to, berlin)), berlin)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Berlin%s: SlotsBetween =\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
	// The second 01:30 of the fall-back day is not a slot: Next from the first one
	// goes to the next day.
	sch := mustParse(t, schedules.Spec{ID: "s", Cron: "30 1 * * *", Location: newYork})
	first := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC) // 01:30 EDT
	if s, _ := sch.Next(cal, first); !s.DueAt.Equal(at("2026-11-02 01:30", newYork)) {
		t.Errorf("Next(01:30 EDT) = %v; want 2026-11-02 01:30 EST", s.DueAt)
	}
	// A slot moved onto a spring-forward day lands after the jump too.
	moved := mustParse(t, schedules.Spec{ID: "m", Cron: "30 2 * * 6", Location: newYork, OnHoliday: schedules.NextWorkingDay})
	got := showAll(moved.SlotsBetween(cal, at("2026-03-07 00:00", newYork), at("2026-03-09 00:00", newYork)), newYork)
	if want := []string{"2026-03-07 02:30 EST -> 2026-03-08 03:00 EDT"}; !slices.Equal(got, want) {
		t.Errorf("moved onto spring-forward day: %q; want %q", got, want)
	}
}

// dstCalendar makes the US and EU clock-change Sundays of 2026 working days, so that
// slots on them are not skipped as weekend slots.
func dstCalendar(t testing.TB) *schedules.Calendar {
	t.Helper()
	cal, err := schedules.NewCalendar([]int{2026}, nil, []string{"2026-03-08", "2026-11-01", "2026-03-29", "2026-10-25"})
	if err != nil {
		t.Fatal(err)
	}
	return cal
}
