package bot_test

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/schedules"
	"github.com/briefbot/briefbot/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, shanghai)
}

// TestRemind_WorkingDaysHolidayMakeUpDayAndRestarts chases a deadline of Monday
// 2026-10-12 18:00, just after National Day (10-01..10-07 off) and a Saturday make-up
// working day (10-10), with the official 2026 calendar.
func TestRemind_WorkingDaysHolidayMakeUpDayAndRestarts(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "r.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cal := schedules.DefaultCalendar()
	dir := testDirectory()
	dir.AddWorkingDays, dir.IsWorkingDay = cal.AddWorkingDays, cal.IsWorkingDay
	c := &clock{t: at(9, 30, 10, 0)}
	p := &posts{}
	newBot := func() *bot.Bot { return bot.New(dir, s, p, bot.Options{Now: c.now}) }

	r, _ := s.Submit(ctx, req("关于执行款发放的请示"), store.Delivery{})
	m := r.Matter
	s.Apply(ctx, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.now(), Text: "请刑庭办理"}, store.Delivery{})
	s.Apply(ctx, m.ID, briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: c.now(), Lead: "criminal", Deadline: at(10, 12, 18, 0)}, store.Delivery{})

	b := newBot()
	steps := []struct {
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
	}
	for i, st := range steps {
		if i == 6 {
			b = newBot() // a restart between reminders
		}
		c.set(st.when)
		n, err := b.Remind(ctx)
		if err != nil || n != st.want {
			t.Fatalf("%s (%s): %d reminders, %v; want %d", st.note, st.when.Format("01-02 15:04"), n, err, st.want)
		}
	}
	open, _ := s.OpenDispatches()
	var to []string
	for _, d := range open {
		if d.Kind != briefbot.DispatchReminder {
			t.Fatalf("kind = %s", d.Kind)
		}
		var who []string
		for _, p := range d.Parts {
			who = append(who, p.Channel)
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
	f := newFixture(t)
	cal := schedules.DefaultCalendar()
	dir := testDirectory()
	dir.AddWorkingDays, dir.IsWorkingDay = cal.AddWorkingDays, cal.IsWorkingDay
	c := &clock{t: at(10, 13, 9, 30)}
	b := bot.New(dir, f.store, f.posts, bot.Options{Now: c.now})
	m := f.seed(t, req("逾期的请示"))
	f.store.Apply(ctx, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: at(9, 30, 9, 0), Text: "办理"}, store.Delivery{})
	f.store.Apply(ctx, m.ID, briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: at(9, 30, 9, 0), Lead: "criminal", Deadline: at(10, 12, 18, 0)}, store.Delivery{})
	if n, _ := b.Remind(ctx); n != 4 { // before-2, before-1, due, overdue
		t.Fatalf("after the outage: %d reminders; want 4", n)
	}
	if n, _ := b.Remind(ctx); n != 0 {
		t.Fatalf("again: %d", n)
	}
}

// TestRemind_UnansweredRequestGetsTheAnswerLimit: a request submitted without an
// answer deadline gets the configured limit, and is chased to the clerks when due.
func TestRemind_UnansweredRequestGetsTheAnswerLimit(t *testing.T) {
	f := newFixture(t) // 2026-03-02 (Monday) 10:00
	f.submitForm(t, "wu", "request", "V1", requestAnswers())
	m, _ := f.store.Lookup("QS-2026-0001")
	if got := m.AnswerBy.Format("2006-01-02 15:04"); got != "2026-03-07 18:00" { // 5 calendar days: no calendar configured here
		t.Fatalf("answer by = %s", got)
	}
}
