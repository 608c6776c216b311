package notices_test

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

// TestRemind_WorkingDaysHolidayMakeUpDayAndRestarts chases a deadline of Monday
// 2026-10-12 18:00, just after National Day (10-01..10-07 off) and a Saturday make-up
// working day (10-10), with the official 2026 calendar.
func TestRemind_WorkingDaysHolidayMakeUpDayAndRestarts(t *testing.T) {
	s := openStore(t)
	rules := testRules()
	c := &clock{t: at(9, 30, 10, 0)}
	referred(t, s, "关于执行款发放的请示", c.now(), at(10, 12, 18, 0))
	p := producer(s, rules, c)
	for i, st := range []struct {
		when time.Time
		want int
		note string
	}{
		{at(10, 8, 10, 0), 0, "Thursday after the holiday: nothing due yet"},
		{at(10, 9, 8, 30), 0, "Friday before working hours"},
		{at(10, 9, 10, 0), 1, "Friday: two working days before"},
		{at(10, 9, 11, 0), 0, "the same step again"},
		{at(10, 10, 10, 0), 1, "Saturday make-up working day: one working day before"},
		{at(10, 11, 10, 0), 0, "Sunday: not a working day"},
		{at(10, 12, 10, 0), 1, "Monday: the day itself"},
		{at(10, 12, 20, 0), 0, "overdue, but after working hours"},
		{at(10, 13, 9, 30), 1, "Tuesday: overdue (督办 to the department and the clerk)"},
		{at(10, 15, 9, 30), 1, "three working days later: the instructing leader"},
		{at(10, 16, 9, 30), 0, "nothing more"},
	} {
		if i == 6 {
			p = producer(s, rules, c) // a restart between reminders
		}
		c.set(st.when)
		n, err := p.Remind(ctx)
		if err != nil || n != st.want {
			t.Fatalf("%s (%s): %d reminders, %v; want %d", st.note, st.when.Format("01-02 15:04"), n, err, st.want)
		}
	}
	open, _ := s.OpenDispatches(ctx)
	var to []string
	for _, d := range open {
		if d.Kind != briefbot.DispatchReminder {
			t.Fatalf("kind = %s", d.Kind)
		}
		var who []string
		for _, p := range d.Parts {
			who = append(who, p.To.String())
		}
		to = append(to, strings.Join(who, ","))
	}
	want := []string{"@zhou,@wu", "@zhou,@wu", "@zhou,@wu", "@zhou,@wu,@qian", "@qian,@zhao"}
	if strings.Join(to, " ") != strings.Join(want, " ") {
		t.Fatalf("recipients = %v\nwant %v", to, want)
	}
}

// TestRemind_DownAcrossSeveralStepsSkipsNone: a bot down from Friday to Tuesday sends
// every step it missed when it comes back, once.
func TestRemind_DownAcrossSeveralStepsSkipsNone(t *testing.T) {
	s := openStore(t)
	c := &clock{t: at(10, 13, 9, 30)}
	referred(t, s, "逾期的请示", at(9, 30, 9, 0), at(10, 12, 18, 0))
	p := producer(s, testRules(), c)
	if n, _ := p.Remind(ctx); n != 4 { // before-2, before-1, due, overdue
		t.Fatalf("after the outage: %d reminders; want 4", n)
	}
	if n, _ := p.Remind(ctx); n != 0 {
		t.Fatalf("again: %d", n)
	}
}

// TestRemind_InEachReadersLanguage: a reminder to a member who reads English is in
// English; the others' in Chinese.
func TestRemind_InEachReadersLanguage(t *testing.T) {
	s := openStore(t)
	rules := testRules()
	rules.Org.Departments[0].Heads = []briefbot.MemberID{"wu", "zheng"}
	c := &clock{t: at(10, 13, 9, 30)}
	referred(t, s, "双语催办的请示", at(9, 30, 9, 0), at(10, 12, 18, 0))
	if _, err := producer(s, rules, c).Remind(ctx); err != nil {
		t.Fatal(err)
	}
	open, _ := s.OpenDispatches(ctx)
	for _, d := range open {
		for _, p := range d.Parts {
			english := strings.Contains(p.Text, "[Overdue]") || strings.Contains(p.Text, "[Reminder]")
			if (p.To.Member == "zheng") != english {
				t.Fatalf("%s got %q", p.To, p.Text)
			}
		}
	}
}
