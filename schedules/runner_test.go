package schedules_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot/schedules"
)

// The Runner tests run inside testing/synctest bubbles, where time.Now and timers are
// virtual and start at 2000-01-01 00:00 UTC. To put the Runner in 2026 without touching
// its timer code, each test gives it a Now that reads the bubble's clock shifted by a
// fixed offset (clockAt), and moves time with time.Sleep: the Runner's timers and its
// Now advance together.

// clockAt returns a Now function that reads start at the moment of the call and then
// advances with the bubble's virtual clock.
func clockAt(start time.Time) func() time.Time {
	offset := start.Sub(time.Now())
	return func() time.Time { return time.Now().Add(offset) }
}

// store is the fake store: an in-memory record of delivered slots, shared across
// Runner runs as a real store survives restarts.
type store struct {
	mu          sync.Mutex
	now         func() time.Time
	delivered   map[string]bool
	fired       []firing // successful deliveries
	attempts    int
	failNext    int // fail this many attempts
	panicNext   int // panic on this many attempts
	failLookups int // fail this many calls of Delivered for failKey
	failKey     string
}

type firing struct {
	key  string
	at   time.Time
	late bool
}

func (f firing) String() string {
	return fmt.Sprintf("{%s at %s late=%v}", f.key, f.at.UTC().Format(time.RFC3339), f.late)
}

func newStore(now func() time.Time) *store {
	return &store{now: now, delivered: make(map[string]bool)}
}

func (s *store) Delivered(key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failLookups > 0 && key == s.failKey {
		s.failLookups--
		return false, errors.New("store is busy")
	}
	return s.delivered[key], nil
}

func (s *store) Fire(ctx context.Context, slot schedules.Slot, late bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if s.panicNext > 0 {
		s.panicNext--
		panic("boom")
	}
	if s.failNext > 0 {
		s.failNext--
		return errors.New("slack is down")
	}
	if s.delivered[slot.Key()] {
		panic("slot " + slot.Key() + " fired twice")
	}
	s.delivered[slot.Key()] = true
	s.fired = append(s.fired, firing{slot.Key(), s.now(), late})
	return nil
}

func (s *store) firings() []firing {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.fired)
}

// logBuffer collects log output across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runFor runs r for d of virtual time, then cancels it and waits for Run to return.
func runFor(t *testing.T, r *schedules.Runner, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	time.Sleep(d)
	synctest.Wait()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v; want nil", err)
	}
}

// newRunner returns a Runner over the given schedules with the default calendar, the
// store, and a log buffer.
func newRunner(t *testing.T, now func() time.Time, st *store, specs ...schedules.Spec) (*schedules.Runner, *logBuffer) {
	t.Helper()
	var scheds []*schedules.Schedule
	for _, s := range specs {
		scheds = append(scheds, mustParse(t, s))
	}
	logs := &logBuffer{}
	return &schedules.Runner{
		Schedules: scheds,
		Calendar:  schedules.DefaultCalendar(),
		Now:       now,
		Delivered: st.Delivered,
		Fire:      st.Fire,
		Logger:    slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, logs
}

func checkFirings(t *testing.T, got []firing, want ...firing) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("firings = %v; want %v", got, want)
	}
	for i := range want {
		if got[i].key != want[i].key || !got[i].at.Equal(want[i].at) || got[i].late != want[i].late {
			t.Errorf("firing %d = %v; want %v", i, got[i], want[i])
		}
	}
}

var daily0900 = schedules.Spec{ID: "party/daily", Cron: "0 9 * * *"}

// (a) The bot was down across 09:00 and comes back at 10:00: the 09:00 slot is
// delivered once, at once, marked late; the next day's slot is delivered on time.
func TestRunner_CatchUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-02 10:00")) // a Monday
		st := newStore(now)
		r, _ := newRunner(t, now, st, daily0900)
		runFor(t, r, 24*time.Hour)
		checkFirings(t, st.firings(),
			firing{"party/daily@2026-03-02T01:00:00Z", cst("2026-03-02 10:00"), true},
			firing{"party/daily@2026-03-03T01:00:00Z", cst("2026-03-03 09:00"), false},
		)
	})
}

// (b) A restart after the delivery does not deliver the slot again.
func TestRunner_RestartAfterDelivery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-02 10:00"))
		st := newStore(now)
		r, _ := newRunner(t, now, st, daily0900)
		runFor(t, r, time.Minute)
		time.Sleep(30 * time.Minute) // down again
		r2, _ := newRunner(t, now, st, daily0900)
		runFor(t, r2, time.Hour)
		checkFirings(t, st.firings(), firing{"party/daily@2026-03-02T01:00:00Z", cst("2026-03-02 10:00"), true})
	})
}

// (c) Fire fails twice, then succeeds: one delivery, after 1s and 2s of backoff; the
// other schedule's slot, due at the same time, waits for it.
func TestRunner_RetryOnFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-02 08:59"))
		st := newStore(now)
		st.failNext = 2
		r, logs := newRunner(t, now, st, schedules.Spec{ID: "a", Cron: "0 9 * * *"}, schedules.Spec{ID: "b", Cron: "0 9 * * *"})
		runFor(t, r, 10*time.Minute)
		checkFirings(t, st.firings(),
			firing{"a@2026-03-02T01:00:00Z", cst("2026-03-02 09:00").Add(3 * time.Second), false},
			firing{"b@2026-03-02T01:00:00Z", cst("2026-03-02 09:00").Add(3 * time.Second), false},
		)
		if st.attempts != 4 {
			t.Errorf("attempts = %d; want 4", st.attempts)
		}
		if got := strings.Count(logs.String(), "delivering slot failed"); got != 2 {
			t.Errorf("logged %d failures; want 2:\n%s", got, logs)
		}
	})
}

// A panic in Fire is recovered, logged and retried like an error.
func TestRunner_RecoverPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-02 08:59"))
		st := newStore(now)
		st.panicNext = 1
		r, logs := newRunner(t, now, st, daily0900)
		runFor(t, r, 10*time.Minute)
		checkFirings(t, st.firings(), firing{"party/daily@2026-03-02T01:00:00Z", cst("2026-03-02 09:00").Add(time.Second), false})
		if !strings.Contains(logs.String(), "Fire panicked") {
			t.Errorf("panic not logged:\n%s", logs)
		}
	})
}

// Fire keeps failing: the slot is retried with backoff capped at a minute, never
// skipped, and Run still returns nil when its context ends.
func TestRunner_RetryForever(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-02 08:59"))
		st := newStore(now)
		st.failNext = 1 << 30
		r, _ := newRunner(t, now, st, daily0900)
		runFor(t, r, time.Hour)
		// 1+2+4+8+16+32 s, then one a minute: about 7 + 58 attempts in the hour.
		if st.attempts < 60 || st.attempts > 66 {
			t.Errorf("attempts = %d in an hour; want about 65", st.attempts)
		}
		st.mu.Lock()
		st.failNext = 0
		st.mu.Unlock()
		runFor(t, r, time.Minute) // a restart once the outage is over
		checkFirings(t, st.firings(), firing{"party/daily@2026-03-02T01:00:00Z", cst("2026-03-02 09:59"), true})
	})
}

// (d) Slots missed by more than the window are logged, not delivered. The window's
// edge is inclusive.
func TestRunner_Window(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-04 10:00")) // down since Monday morning
		st := newStore(now)
		st.delivered["party/daily@2026-02-27T01:00:00Z"] = true // delivered before
		r, logs := newRunner(t, now, st, daily0900)
		runFor(t, r, time.Minute)
		checkFirings(t, st.firings(), firing{"party/daily@2026-03-04T01:00:00Z", cst("2026-03-04 10:00"), true})
		// Looking back a week before the window (to 02-24 10:00), missed: 02-25,
		// 02-26, the make-up Saturday 02-28, Monday 03-02 and Tuesday 03-03 (25 hours
		// ago); 02-27 was delivered before the outage, Sunday 03-01 is no slot.
		for _, want := range []string{
			`level=WARN msg="schedules: slots missed`, "schedule=party/daily", "count=5",
			"first=party/daily@2026-02-25T01:00:00Z", "last=party/daily@2026-03-03T01:00:00Z",
		} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, logs)
			}
		}
		if strings.Contains(logs.String(), "2026-02-27") {
			t.Errorf("a delivered slot was reported missed:\n%s", logs)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-04 09:00"))
		st := newStore(now)
		r, _ := newRunner(t, now, st, daily0900)
		r.Window = 24 * time.Hour
		runFor(t, r, time.Minute)
		checkFirings(t, st.firings(),
			firing{"party/daily@2026-03-03T01:00:00Z", cst("2026-03-04 09:00"), true},
			firing{"party/daily@2026-03-04T01:00:00Z", cst("2026-03-04 09:00"), false},
		)
	})
}

// (e) The Monday 08:30 slot on National Day: skipped with Skip, delivered on Thursday
// 2026-10-08 with NextWorkingDay, under the Monday slot's key.
func TestRunner_Holiday(t *testing.T) {
	for _, tt := range []struct {
		policy schedules.Policy
		want   []firing
	}{
		{schedules.Skip, nil},
		{schedules.NextWorkingDay, []firing{{"party/weekly@2026-10-05T00:30:00Z", cst("2026-10-08 08:30"), false}}},
	} {
		t.Run(string(tt.policy), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				now := clockAt(cst("2026-10-04 12:00"))
				st := newStore(now)
				r, _ := newRunner(t, now, st, schedules.Spec{ID: "party/weekly", Cron: "30 8 * * 1", OnHoliday: tt.policy})
				runFor(t, r, 5*24*time.Hour) // to Friday 2026-10-09 noon
				checkFirings(t, st.firings(), tt.want...)
			})
		})
	}
}

// (f) Daylight saving in New York: the 02:30 slot of the spring-forward day fires
// once, at 03:00 EDT; the 01:30 slot of the fall-back day fires once, at 01:30 EDT,
// and not again an hour later at 01:30 EST.
func TestRunner_DST(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cron  string
		start string
		want  []firing
	}{
		{"SpringForward", "30 2 * * *", "2026-03-08 00:00", []firing{
			{"s@2026-03-08T07:00:00Z", time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), false},
			{"s@2026-03-09T06:30:00Z", at("2026-03-09 02:30", newYork), false},
		}},
		{"FallBack", "30 1 * * *", "2026-11-01 00:00", []firing{
			{"s@2026-11-01T05:30:00Z", time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), false},
			{"s@2026-11-02T06:30:00Z", at("2026-11-02 01:30", newYork), false},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				now := clockAt(at(tt.start, newYork))
				st := newStore(now)
				r, _ := newRunner(t, now, st, schedules.Spec{ID: "s", Cron: tt.cron, Location: newYork})
				r.Calendar = dstCalendar(t)
				runFor(t, r, 48*time.Hour)
				checkFirings(t, st.firings(), tt.want...)
			})
		})
	}
}

// The wall clock jumps forward (a suspended host, an NTP step) past a slot: the Runner
// notices within a minute and delivers it, late.
func TestRunner_ClockJump(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var jump time.Duration
		base := clockAt(cst("2026-03-02 08:00"))
		now := func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			return base().Add(jump)
		}
		st := newStore(now)
		r, _ := newRunner(t, now, st, daily0900)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		time.Sleep(10 * time.Minute)
		mu.Lock()
		jump = 2 * time.Hour // 08:10 becomes 10:10
		mu.Unlock()
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		cancel()
		<-done
		fs := st.firings()
		if len(fs) != 1 || fs[0].key != "party/daily@2026-03-02T01:00:00Z" || !fs[0].late || fs[0].at.After(cst("2026-03-02 10:11")) {
			t.Errorf("firings = %v; want the 09:00 slot, late, by 10:11", fs)
		}
	})
}

// The Runner warns when the calendar does not cover the year it is working in, or the
// next year when it is less than a month away.
func TestRunner_UncoveredYear(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-12-15 12:00"))
		st := newStore(now)
		r, logs := newRunner(t, now, st, daily0900)
		runFor(t, r, time.Minute)
		if !strings.Contains(logs.String(), "does not cover this year") || !strings.Contains(logs.String(), "year=2027") {
			t.Errorf("no warning about 2027:\n%s", logs)
		}
		if strings.Contains(logs.String(), "year=2026") {
			t.Errorf("warned about 2026, which is covered:\n%s", logs)
		}
	})
}

// An error from Delivered is retried like a failed delivery: the slot is not skipped.
func TestRunner_DeliveredError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-02 08:59"))
		st := newStore(now)
		st.failLookups, st.failKey = 3, "party/daily@2026-03-02T01:00:00Z"
		r, _ := newRunner(t, now, st, daily0900)
		runFor(t, r, 10*time.Minute)
		checkFirings(t, st.firings(), firing{"party/daily@2026-03-02T01:00:00Z", cst("2026-03-02 09:00").Add(7 * time.Second), false})
	})
}

// With nothing ever due, Run waits for its context and returns nil.
func TestRunner_NothingToFire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := clockAt(cst("2026-03-02 08:59"))
		st := newStore(now)
		r, logs := newRunner(t, now, st)
		runFor(t, r, time.Hour)
		r2, logs2 := newRunner(t, now, st, schedules.Spec{ID: "sundays", Cron: "0 9 * * 0"})
		r2.Calendar = nil // no make-up Sundays: a Sunday-only spec never fires
		runFor(t, r2, time.Hour)
		if len(st.firings()) != 0 {
			t.Errorf("firings %v; want none", st.firings())
		}
		for _, l := range []*logBuffer{logs, logs2} {
			if !strings.Contains(l.String(), "no schedule has a slot") {
				t.Errorf("logs lack a warning:\n%s", l)
			}
		}
	})
}

func TestRunner_Misconfigured(t *testing.T) {
	sch := mustParse(t, daily0900)
	ok := func(string) (bool, error) { return false, nil }
	fire := func(context.Context, schedules.Slot, bool) error { return nil }
	for name, r := range map[string]*schedules.Runner{
		"NoFire":      {Schedules: []*schedules.Schedule{sch}, Delivered: ok},
		"NoDelivered": {Schedules: []*schedules.Schedule{sch}, Fire: fire},
		"NilSchedule": {Schedules: []*schedules.Schedule{nil}, Delivered: ok, Fire: fire},
		"DuplicateID": {Schedules: []*schedules.Schedule{sch, sch}, Delivered: ok, Fire: fire},
		"NegWindow":   {Schedules: []*schedules.Schedule{sch}, Delivered: ok, Fire: fire, Window: -time.Hour},
	} {
		if err := r.Run(t.Context()); err == nil {
			t.Errorf("%s: Run = nil; want an error", name)
		}
	}
}
