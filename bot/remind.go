package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/slack-go/slack"
)

// ReminderPolicy says when deadlines are chased. Numbers like these are local
// (DOMAIN.md): they come from the config, with these defaults.
type ReminderPolicy struct {
	Before         []int // working days before the deadline to chase (催办), e.g. [2, 1]; the day itself is always chased
	SuperviseAfter int   // working days past the deadline before the instructing leader is told (督办)
	WorkStart      int   // minutes after midnight: reminders go out only in working hours
	WorkEnd        int
}

// DefaultReminderPolicy chases two working days before, one day before and on the day,
// tells the clerk when overdue and the leader three working days later, 09:00–17:30.
func DefaultReminderPolicy() ReminderPolicy {
	return ReminderPolicy{Before: []int{2, 1}, SuperviseAfter: 3, WorkStart: 9 * 60, WorkEnd: 17*60 + 30}
}

// reminder is one step of chasing a deadline.
type reminder struct {
	step string    // before-2, before-1, due, overdue, supervise
	at   time.Time // from when it is due
}

// reminders lists the chasing steps of a deadline, in order. Each is due at the start
// of working hours on its working day; overdue is due as soon as the deadline passed.
func (d *Directory) reminders(deadline time.Time, loc *time.Location) []reminder {
	p := d.Reminders
	add := func(t time.Time, n int) time.Time {
		if d.AddWorkingDays != nil {
			return d.AddWorkingDays(t, n)
		}
		return t.AddDate(0, 0, n)
	}
	start := func(t time.Time) time.Time {
		y, m, day := t.In(loc).Date()
		return time.Date(y, m, day, 0, p.WorkStart, 0, 0, loc)
	}
	dl := deadline.In(loc)
	var rs []reminder
	before := slices.Clone(p.Before)
	slices.Sort(before)
	slices.Reverse(before)
	for _, k := range before {
		if k > 0 {
			rs = append(rs, reminder{fmt.Sprintf("before-%d", k), start(add(start(dl), -k))})
		}
	}
	rs = append(rs, reminder{"due", start(add(start(dl), 0))})
	rs = append(rs, reminder{"overdue", dl})
	if p.SuperviseAfter > 0 {
		rs = append(rs, reminder{"supervise", start(add(start(dl), p.SuperviseAfter))})
	}
	return rs
}

// inWorkingHours reports whether t is within working hours on a working day.
func (d *Directory) inWorkingHours(t time.Time, loc *time.Location) bool {
	t = t.In(loc)
	if d.IsWorkingDay != nil && !d.IsWorkingDay(t) {
		return false
	} else if d.IsWorkingDay == nil && (t.Weekday() == time.Saturday || t.Weekday() == time.Sunday) {
		return false
	}
	min := t.Hour()*60 + t.Minute()
	return min >= d.Reminders.WorkStart && min < d.Reminders.WorkEnd
}

// Remind chases every deadline whose reminder steps are due now: requests awaiting
// their answer (the committee's clerks are chased; when overdue, its leaders) and
// assignments being carried out (the handling department; when overdue, 督办: the
// clerks, and later the instructing leader). Each step of each deadline is put in the
// outbox at most once, whatever restarts happen (its key is the dispatch's slot); a
// granted extension is a new deadline with its own steps. Outside working hours it
// does nothing: the steps wait.
func (b *Bot) Remind(ctx context.Context) (int, error) {
	dir := b.Directory()
	now := b.now()
	if !dir.inWorkingHours(now, b.loc) {
		return 0, nil
	}
	// Only deadlines close enough for their first step to be due: the earliest step is
	// a few working days before, which with holidays is at most a few weeks.
	// Deadlines long past have had every step (supervision is a few working days
	// after): they are not looked at again.
	horizon := now.AddDate(0, 0, 21+7*slices.Max(append([]int{0}, dir.Reminders.Before...)))
	past := now.AddDate(0, 0, -(30 + 2*dir.Reminders.SuperviseAfter))
	var due []*briefbot.Matter
	err := b.store.EachDue(past, horizon, func(m *briefbot.Matter) bool {
		due = append(due, m)
		return true
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range due {
		deadline := m.DueAt()
		for _, r := range dir.reminders(deadline, b.loc) {
			if now.Before(r.at) {
				break
			}
			d := b.reminderDispatch(dir, m, r, deadline)
			if d == nil {
				continue
			}
			_, existed, err := b.store.CreateDispatch(ctx, d)
			if err != nil {
				return sent, err
			}
			if !existed {
				sent++
			}
		}
	}
	if sent > 0 {
		b.metrics.reminded(sent)
		(*b.kick.Load())()
	}
	return sent, nil
}

// reminderDispatch builds the messages of one reminder step, or nil if no one is to be
// told.
func (b *Bot) reminderDispatch(dir *Directory, m *briefbot.Matter, r reminder, deadline time.Time) *briefbot.Dispatch {
	org := &dir.Org
	var to []briefbot.MemberID
	add := func(ids ...briefbot.MemberID) {
		for _, id := range ids {
			if id != "" && !slices.Contains(to, id) && org.Allowed(id, briefbot.PermView, m) {
				to = append(to, id)
			}
		}
	}
	c, _ := org.Committee(m.Addressee)
	assignment := m.Assignment != nil && (m.Status == briefbot.StatusReferred || m.Status == briefbot.StatusInProgress)
	switch {
	case assignment && (r.step == "overdue"):
		if d, ok := org.Department(m.Assignment.Lead); ok {
			add(append([]briefbot.MemberID{d.Principal}, d.Heads...)...)
		}
		if c != nil {
			add(c.Clerks...)
		}
	case assignment && r.step == "supervise":
		if c != nil {
			add(c.Clerks...)
		}
		for _, in := range m.Instructions {
			if in.Kind == briefbot.InstructionWritten {
				add(in.Leader)
			}
		}
	case assignment:
		if d, ok := org.Department(m.Assignment.Lead); ok {
			add(append([]briefbot.MemberID{d.Principal}, d.Heads...)...)
		}
	case r.step == "supervise": // a request left unanswered: its leaders
		if c != nil {
			add(c.Leaders...)
		}
	default: // a request awaiting its answer: the clerks who put it before the leaders
		if c != nil {
			add(c.Clerks...)
		}
	}
	if len(to) == 0 {
		return nil
	}
	d := &briefbot.Dispatch{Kind: briefbot.DispatchReminder, Committee: m.Addressee, Matters: []uint64{m.ID},
		SlotKey: fmt.Sprintf("remind/%d/%d/%s", m.ID, deadline.Unix(), r.step)}
	for _, id := range to {
		member, ok := org.Member(id)
		if !ok {
			continue
		}
		v := &view{me: member, dir: dir, lang: dir.lang(member), now: b.now(), loc: b.loc}
		label := map[string]text{"due": msgRemindDue, "overdue": msgRemindOverdue, "supervise": msgRemindSupervise}[r.step]
		if label == (text{}) {
			label = msgRemindBefore
		}
		line := v.tr(label, m.Number, Escape(cut(oneLine(m.Title), 200, "…")), v.datetime(deadline))
		buttons := []slack.BlockElement{button(v.tr(msgButtonStatus), actionStatus, m.Number.String())}
		if assignment {
			if d, ok := org.Department(m.Assignment.Lead); ok && d.IsHead(id) {
				buttons = append(buttons, v.reportButtons(m)...)
			}
		}
		blocks, _ := json.Marshal([]slack.Block{section(line), slack.NewActionBlock("", buttons...)})
		d.Parts = append(d.Parts, briefbot.Part{Channel: "@" + string(id), Text: line, Blocks: blocks})
	}
	return d
}
