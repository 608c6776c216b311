package schedules

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/briefbot/briefbot"
)

// Runner fires the slots of a set of schedules from its own loop (never cron's), with
// catch-up of slots missed while the process was down. It holds no state of its own
// between runs: which slots have been delivered is the store's business, asked through
// Delivered and recorded by Fire.
//
// The fields are read by Run and must not change while it runs. Run one Runner per
// store at a time: two would both see a slot undelivered and both fire it.
type Runner struct {
	// Schedules are the schedules to fire; their IDs must be distinct.
	Schedules []*Schedule
	// Calendar decides working days; nil treats weekends only as days off.
	Calendar *Calendar
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Window is how late a slot may still be delivered (default 24h). Slots missed by
	// more are logged as missed (Warn) and never delivered.
	Window time.Duration
	// Delivered reports whether the slot with this key has been delivered. It must
	// answer from durable state, so that a restart does not deliver a slot again.
	Delivered func(key string) (bool, error)
	// Fire delivers the slot; late is true when it is fired more than a minute after
	// DueAt. It must record the slot as delivered (under s.Key()) durably before
	// returning nil, and should be idempotent for a key: if it fails after delivering
	// (or panics), Run asks Delivered again before the next attempt.
	Fire func(ctx context.Context, s Slot, late bool) error
	// Logger receives warnings (missed slots, uncovered calendar years) and delivery
	// errors; nil means slog.Default().
	Logger *slog.Logger
}

const (
	// DefaultWindow is the catch-up window when Runner.Window is zero.
	DefaultWindow = 24 * time.Hour
	// missedLookback is how far before the catch-up window Run looks, on start, for
	// undelivered slots to report as missed.
	missedLookback = 7 * 24 * time.Hour
	// maxSleep bounds each wait, so that a jump of the wall clock (a correction, a
	// suspended machine) is noticed within a minute: timers run on the monotonic
	// clock, slots on the wall clock.
	maxSleep = time.Minute
	// lateAfter is how far past DueAt a firing counts as late.
	lateAfter = time.Minute
	// Fire retries back off from minBackoff, doubling, to maxBackoff.
	minBackoff = time.Second
	maxBackoff = time.Minute
)

// Run fires slots until ctx is done, then returns nil. It returns an error at once only
// when the Runner is misconfigured (no Fire or Delivered, a nil schedule, two schedules
// with one ID, a negative Window).
//
// On start, it collects every slot of every schedule due within [now-Window, now] and
// fires, oldest first, each one Delivered does not know; undelivered slots due up to
// seven days before the window are logged as missed and skipped. Then it waits for
// the earliest next slot across the schedules, re-reads the clock on waking (the wall
// clock may have jumped), and fires every slot due since it last looked, in DueAt order.
//
// A failing Fire (an error or a panic) is logged and retried, after 1s, 2s, 4s … at
// most a minute apart, until it succeeds or ctx is done: a slot is never skipped
// because its delivery failed, and later slots wait for it. An error from Delivered is
// handled the same way.
func (r *Runner) Run(ctx context.Context) error {
	if err := r.check(); err != nil {
		return err
	}
	rs := &run{Runner: r, log: r.Logger, window: r.Window, warned: make(map[int]bool)}
	if rs.log == nil {
		rs.log = slog.Default()
	}
	if rs.window == 0 {
		rs.window = DefaultWindow
	}

	now := rs.now()
	rs.checkYears(now)
	if !rs.handle(ctx, now.Add(-rs.window-missedLookback), now, now) {
		return nil
	}
	cursor := now // every slot due up to cursor has been handled
	for {
		next, ok := rs.next(cursor)
		if !ok {
			// Schedules and calendar are fixed while Run runs: nothing will ever be due.
			rs.log.Warn("schedules: no schedule has a slot due in the next 30 years; nothing to fire", "after", cursor)
			<-ctx.Done()
			return nil
		}
		for {
			now = rs.now()
			if !now.Before(next.DueAt) {
				break
			}
			if !sleep(ctx, min(maxSleep, next.DueAt.Sub(now))) {
				return nil
			}
		}
		rs.checkYears(now)
		if !rs.handle(ctx, cursor, now, now) {
			return nil
		}
		cursor = now
	}
}

func (r *Runner) check() error {
	if r.Fire == nil || r.Delivered == nil {
		return errors.New("schedules: Runner needs Fire and Delivered")
	}
	if r.Window < 0 {
		return fmt.Errorf("schedules: negative catch-up window %v", r.Window)
	}
	seen := make(map[string]bool, len(r.Schedules))
	for i, s := range r.Schedules {
		if s == nil {
			return fmt.Errorf("schedules: schedule %d is nil", i)
		}
		if seen[s.ID()] {
			return fmt.Errorf("schedules: two schedules with ID %q", s.ID())
		}
		seen[s.ID()] = true
	}
	return nil
}

// run is the state of one call of Runner.Run.
type run struct {
	*Runner
	log    *slog.Logger
	window time.Duration
	warned map[int]bool // calendar years already warned about
}

func (rs *run) now() time.Time {
	if rs.Now != nil {
		return rs.Now()
	}
	return time.Now()
}

// slotsBetween returns the slots of all schedules due in (from, to], in DueAt order
// (ties: schedule ID, then ScheduledAt).
func (rs *run) slotsBetween(from, to time.Time) []Slot {
	var all []Slot
	for _, sch := range rs.Schedules {
		all = append(all, sch.SlotsBetween(rs.Calendar, from, to)...)
	}
	slices.SortStableFunc(all, func(a, b Slot) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.Schedule, b.Schedule), a.ScheduledAt.Compare(b.ScheduledAt))
	})
	return all
}

// next returns the earliest slot due after t across all schedules.
func (rs *run) next(t time.Time) (Slot, bool) {
	var best Slot
	found := false
	for _, sch := range rs.Schedules {
		s, ok := sch.Next(rs.Calendar, t)
		if ok && (!found || s.DueAt.Before(best.DueAt)) {
			best, found = s, true
		}
	}
	return best, found
}

// handle fires the slots due in (from, to], as seen at now: those due before
// now-window are reported as missed instead. It returns false if ctx ended first.
func (rs *run) handle(ctx context.Context, from, to, now time.Time) bool {
	oldest := now.Add(-rs.window)
	var missed []Slot
	for _, s := range rs.slotsBetween(from, to) {
		rs.checkYear(s.DueAt.Year())
		if s.DueAt.Before(oldest) {
			if rs.isMissed(s) {
				missed = append(missed, s)
			}
			continue
		}
		rs.reportMissed(missed)
		missed = nil
		if !rs.fire(ctx, s) {
			return false
		}
	}
	rs.reportMissed(missed)
	return true
}

// isMissed reports whether s, due before the catch-up window, was never delivered.
func (rs *run) isMissed(s Slot) bool {
	done, err := rs.delivered(s.Key())
	if err != nil {
		rs.log.Warn("schedules: slot due before the catch-up window, delivery state unknown; not delivered",
			"slot", s.Key(), "due", s.DueAt, "window", rs.window, "err", err)
		return false
	}
	return !done
}

// reportMissed logs missed slots, one warning per schedule (a fresh install, or a
// week-long outage, may have missed many).
func (rs *run) reportMissed(missed []Slot) {
	for _, id := range slices.Compact(slices.Sorted(slices.Values(slotIDs(missed)))) {
		var n int
		var first, last Slot
		for _, s := range missed {
			if s.Schedule != id {
				continue
			}
			if n == 0 {
				first = s
			}
			last = s
			n++
		}
		rs.log.Warn("schedules: slots missed: due before the catch-up window; not delivered",
			"schedule", id, "count", n, "first", first.Key(), "first_due", first.DueAt,
			"last", last.Key(), "last_due", last.DueAt, "window", rs.window)
	}
}

func slotIDs(slots []Slot) []string {
	ids := make([]string, len(slots))
	for i, s := range slots {
		ids[i] = s.Schedule
	}
	return ids
}

// fire delivers s unless it has been delivered, retrying with backoff until it
// succeeds. It returns false if ctx ended first.
func (rs *run) fire(ctx context.Context, s Slot) bool {
	backoff := minBackoff
	for attempt := 1; ctx.Err() == nil; attempt++ {
		err := rs.attempt(ctx, s)
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		rs.log.Error("schedules: delivering slot failed; will retry",
			"slot", s.Key(), "due", s.DueAt, "attempt", attempt, "retry_in", backoff, "err", err)
		if !sleep(ctx, backoff) {
			return false
		}
		backoff = min(2*backoff, maxBackoff)
	}
	return false
}

func (rs *run) attempt(ctx context.Context, s Slot) (err error) {
	done, err := rs.delivered(s.Key())
	if err != nil {
		return fmt.Errorf("delivered: %w", err)
	} else if done {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			rs.log.Error("schedules: Fire panicked", "slot", s.Key(), "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("fire panicked: %v", p)
		}
	}()
	late := rs.now().Sub(s.DueAt) > lateAfter
	return rs.Fire(ctx, s, late)
}

func (rs *run) delivered(key string) (done bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			done, err = false, fmt.Errorf("delivered panicked: %v", p)
		}
	}()
	return rs.Delivered(key)
}

// checkYears warns when the calendar does not cover the current year, or the next
// one once it is less than a month away.
func (rs *run) checkYears(now time.Time) {
	now = now.In(briefbot.DefaultLocation())
	rs.checkYear(now.Year())
	rs.checkYear(now.AddDate(0, 0, 31).Year())
}

func (rs *run) checkYear(y int) {
	if rs.warned[y] || rs.Calendar.Covers(y) {
		return
	}
	rs.warned[y] = true
	rs.log.Warn("schedules: the working-day calendar does not cover this year; treating Monday to Friday as working days, without public holidays or make-up working days",
		"year", y, "covered", rs.Calendar.Years())
}

// sleep waits for d or until ctx is done; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
