package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/schedules"
)

// withComments is the built-in example with more comments: a comment line after every
// blank line, and comments at the end of the top-level lines that hold a value.
func withComments() string {
	var b strings.Builder
	for i, l := range strings.SplitAfter(string(ExampleYAML()), "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			b.WriteString(l + fmt.Sprintf("# 附注 %d / note %d\n", i, i))
		case strings.HasPrefix(l, "organisation:"), strings.HasPrefix(l, "language:"), strings.HasPrefix(l, "command:"):
			b.WriteString(strings.TrimRight(l, "\n") + "   # 行尾注释 / line comment\n")
		default:
			b.WriteString(l)
		}
	}
	return b.String()
}

// The lists the tests write: 2025 (a few days of it) and the built-in 2026.
func calendarLists() (years []int, holidays, workdays []string) {
	years, holidays, workdays = schedules.DefaultCalendarLists()
	years = append([]int{2025}, years...)
	holidays = append([]string{"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30"}, holidays...)
	workdays = append([]string{"2025-01-26", "2025-02-08"}, workdays...)
	return years, holidays, workdays
}

// SetCalendar rewrites the calendar section and nothing else: every other line of the
// example config, with comments added, is as it was, in order; the result parses and
// its calendar is the one written.
func TestSetCalendar_KeepsEveryOtherLine(t *testing.T) {
	example := withComments()
	if _, err := Parse([]byte(example), "example.yaml"); err != nil {
		t.Fatalf("the example with comments does not parse: %v", err)
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	const after = "\n# 简报补发窗口 / catch-up\nbriefings:\n  catch_up: 24h   # 补发\n\n# 月报\nreports:\n  monthly_to: [party]\n"
	for _, tc := range []struct {
		name                string
		before, old, after  string // the file is before + old + after
		wantHead, wantNoOld string // the new section starts with wantHead; wantNoOld is gone
	}{
		{name: "no calendar: a new section at the end", before: example,
			wantHead: "\ncalendar:\n", wantNoOld: "\x00"},
		{name: "a block section between others",
			before: example + "# 工作日历 / calendar\ncalendar:   # 按国务院通知\n",
			old:    "  # 2026 年\n  years: [2026]\n  holidays:\n    - 2026-10-01\n  workdays: [] # 无\n",
			after:  after, wantHead: "  years: [", wantNoOld: "# 2026 年"},
		{name: "a flow section on the key line", before: example,
			old:   "calendar: {years: [2026], holidays: [2026-10-01], workdays: []}   # 一行\n",
			after: after, wantHead: "calendar: # 一行\n  years: [", wantNoOld: "{years"},
		{name: "a section that ends the file", before: example + "calendar:\n",
			old:   "  years: [2026]\n  holidays: [2026-10-01, 2026-10-02,\n    2026-10-03]\n  workdays: []\n",
			after: "\n# 结尾的注释 / closing comments\n# briefings:\n#   catch_up: 24h\n", wantHead: "  years: [", wantNoOld: "2026-10-03]"},
		{name: "CRLF line ends", before: crlf(example + "calendar:\n"),
			old:   crlf("  years: [2026]\n  holidays: [2026-10-01]\n  workdays: []\n"),
			after: crlf(after), wantHead: "  years: [", wantNoOld: "[2026-10-01]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.before + tc.old + tc.after
			if _, err := Parse([]byte(in), "org.yaml"); err != nil {
				t.Fatalf("the input does not parse: %v", err)
			}
			years, holidays, workdays := calendarLists()
			b, err := SetCalendar([]byte(in), years, holidays, workdays)
			if err != nil {
				t.Fatal(err)
			}
			out := string(b)
			before := tc.before
			if !strings.HasPrefix(out, before) || !strings.HasSuffix(out, tc.after) {
				t.Fatalf("the lines around the calendar changed:\n%s", out)
			}
			section := out[len(before) : len(out)-len(tc.after)]
			if strings.Contains(tc.before, "\r\n") {
				section = strings.ReplaceAll(section, "\r\n", "\n")
				if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
					t.Errorf("line ends mixed:\n%q", out)
				}
			}
			if !strings.HasPrefix(section, tc.wantHead) || strings.Contains(section, tc.wantNoOld) {
				t.Errorf("the section written:\n%s", section)
			}
			c, err := Parse(b, "org.yaml")
			if err != nil {
				t.Fatalf("the result does not parse: %v\n%s", err, out)
			}
			gy, gh, gw, builtIn, err := CalendarLists(b)
			if err != nil || builtIn || !slices.Equal(gy, years) || !slices.Equal(gh, holidays) || !slices.Equal(gw, workdays) {
				t.Errorf("CalendarLists of the result = %v %v %v %v %v", gy, gh, gw, builtIn, err)
			}
			if !c.Calendar.Covers(2025) || !c.Calendar.Covers(2026) {
				t.Errorf("the calendar covers %v", c.Calendar.Years())
			}
			// Writing the same lists again changes nothing.
			again, err := SetCalendar(b, years, holidays, workdays)
			if err != nil || string(again) != out {
				t.Errorf("a second write differs (%v):\n%s", err, again)
			}
		})
	}
}

// The section is written a run of days off to a line, a year of make-up days to a line.
func TestSetCalendar_Layout(t *testing.T) {
	years, holidays, workdays := calendarLists()
	b, err := SetCalendar([]byte("organisation: x\n"), years, holidays, workdays)
	if err != nil {
		t.Fatal(err)
	}
	want := `organisation: x

calendar:
  years: [2025, 2026]
  holidays: [
    2025-01-01,
    2025-01-28, 2025-01-29, 2025-01-30,
    2026-01-01, 2026-01-02, 2026-01-03,
    2026-02-15, 2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19, 2026-02-20, 2026-02-21, 2026-02-22, 2026-02-23,
    2026-04-04, 2026-04-05, 2026-04-06,
    2026-05-01, 2026-05-02, 2026-05-03, 2026-05-04, 2026-05-05,
    2026-06-19, 2026-06-20, 2026-06-21,
    2026-09-25, 2026-09-26, 2026-09-27,
    2026-10-01, 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-05, 2026-10-06, 2026-10-07]
  workdays: [
    2025-01-26, 2025-02-08,
    2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]
`
	if got := string(b); got != want {
		t.Errorf("SetCalendar =\n%s\nwant\n%s", got, want)
	}
	b, _ = SetCalendar([]byte("organisation: x"), []int{2026}, nil, []string{"2026-10-10"})
	if got, want := string(b), "organisation: x\n\ncalendar:\n  years: [2026]\n  holidays: []\n  workdays: [2026-10-10]\n"; got != want {
		t.Errorf("SetCalendar =\n%q\nwant\n%q", got, want)
	}
}

func TestCalendarLists(t *testing.T) {
	y, h, w, builtIn, err := CalendarLists(ExampleYAML())
	dy, dh, dw := schedules.DefaultCalendarLists()
	if err != nil || !builtIn || !slices.Equal(y, dy) || !slices.Equal(h, dh) || !slices.Equal(w, dw) {
		t.Errorf("CalendarLists(example) = %v, %d, %d, %v, %v; want the built-in lists", y, len(h), len(w), builtIn, err)
	}
	y, h, w, builtIn, err = CalendarLists([]byte("organisation: x\ncalendar:\n  years: [2026, 2027]\n  holidays:\n    - 2026-10-01\n    - \"2027-01-01\"\n  workdays:\n"))
	if err != nil || builtIn || !slices.Equal(y, []int{2026, 2027}) || !slices.Equal(h, []string{"2026-10-01", "2027-01-01"}) || len(w) != 0 {
		t.Errorf("CalendarLists = %v %v %v %v %v", y, h, w, builtIn, err)
	}
}

func TestSetCalendar_Refusals(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"flow top level", "{organisation: x}\n"},
		{"a list", "- a\n"},
		{"empty", ""},
		{"not YAML", "organisation: [x\n"},
	} {
		if _, err := SetCalendar([]byte(tc.in), []int{2026}, nil, nil); err == nil {
			t.Errorf("%s: SetCalendar succeeded", tc.name)
		}
	}
	if _, err := SetCalendar([]byte("organisation: x\n"), []int{2026}, []string{"2026-13-01"}, nil); err == nil {
		t.Error("a date that is not one was written")
	}
}
