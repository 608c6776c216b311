package notices

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// Remind chases every deadline whose reminder steps are due now: requests awaiting
// their answer (the committee's clerks are chased; when overdue, its leaders) and
// assignments being carried out (the handling department; when overdue, 督办: the
// clerks, and later the instructing leader). Each step of each deadline is put in the
// outbox at most once, whatever restarts happen (its key is the dispatch's slot); a
// granted extension is a new deadline with its own steps. Outside working hours it
// does nothing: the steps wait. It returns how many steps it put in the outbox.
func (p *Producer) Remind(ctx context.Context) (int, error) {
	rules := p.Rules()
	now := p.now()
	if !rules.InWorkingHours(now) {
		return 0, nil
	}
	// Only deadlines close enough for their first step to be due: the earliest step is
	// a few working days before, which with holidays is at most a few weeks.
	// Deadlines long past have had every step (supervision is a few working days
	// after): they are not looked at again.
	f := rules.FollowThrough
	horizon := now.AddDate(0, 0, 21+7*slices.Max(append([]int{0}, f.RemindBefore...)))
	past := now.AddDate(0, 0, -(30 + 2*f.SuperviseAfter))
	var due []*briefbot.Matter
	if err := p.Ledger.EachDue(ctx, past, horizon, func(m *briefbot.Matter) bool { due = append(due, m); return true }); err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range due {
		deadline := m.DueAt()
		for _, r := range rules.Reminders(deadline) {
			if now.Before(r.At) {
				break
			}
			made, err := p.tell(ctx, briefbot.DispatchReminder, m.Addressee, fmt.Sprintf("remind/%d/%d/%s", m.ID, deadline.Unix(), r.Step),
				reminderLetters(rules, m, r.Step, deadline, now))
			if err != nil {
				return sent, err
			}
			if made {
				sent++
			}
		}
	}
	n, err := p.chaseSignOff(ctx, rules, now)
	sent += n
	p.Metrics.Reminded(sent)
	return sent, err
}

// chaseSignOff chases the signatories of every matter waiting for its sign-off (or
// sent ahead unsigned), once each working day after the day it was asked for, until
// it is signed.
func (p *Producer) chaseSignOff(ctx context.Context, rules *briefbot.Rules, now time.Time) (int, error) {
	var waiting []*briefbot.Matter
	if err := p.Ledger.Each(ctx, briefbot.Filter{SignOffPending: true}, func(m *briefbot.Matter) bool { waiting = append(waiting, m); return true }); err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range waiting {
		since := m.UpdatedAt
		if ev := lastOf(m, briefbot.ActionAskSignOff, briefbot.ActionSubmit); ev != nil {
			since = ev.At
		}
		days := daysBetween(rules, since, now)
		if days < 1 || !rules.IsWorkingDay(now) {
			continue // asked today: the request itself is enough
		}
		var letters []letter
		for _, id := range rules.Signatories(m, now) {
			member, ok := rules.Org.Member(id)
			if !ok {
				continue
			}
			r := For(rules, member, now)
			line := r.T(msgChaseSignOff, Title(m), blockkit.Escape(r.Member(m.Submitter)), days)
			if m.Unsigned {
				line = r.T(msgChaseUnsigned, m.Number, Title(m), days)
			}
			letters = append(letters, letter{id, blockkit.Message{Text: line, Blocks: []blockkit.Block{blockkit.Section(line), r.Buttons(m, briefbot.ActionSign, briefbot.ActionRevise)}}})
		}
		day := now.In(rules.Loc()).Format("2006-01-02")
		made, err := p.tell(ctx, briefbot.DispatchReminder, m.Addressee, fmt.Sprintf("signoff/%d/%s", m.ID, day), letters)
		if err != nil {
			return sent, err
		}
		if made {
			sent++
		}
	}
	return sent, nil
}

// daysBetween counts the working days from since to now (calendar days without a
// calendar, as briefings do).
func daysBetween(rules *briefbot.Rules, since, now time.Time) int {
	if count := rules.WorkingDaysBetween(); count != nil {
		return count(since, now)
	}
	loc := rules.Loc()
	y1, m1, d1 := since.In(loc).Date()
	y2, m2, d2 := now.In(loc).Date()
	return int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// lastOf is m's last event taking one of actions, nil if none.
func lastOf(m *briefbot.Matter, actions ...briefbot.Action) *briefbot.Event {
	for i := len(m.History) - 1; i >= 0; i-- {
		if slices.Contains(actions, m.History[i].Action) {
			return &m.History[i]
		}
	}
	return nil
}

// chased lists who one reminder step of m's deadline goes to, each once, of those who
// may see m.
func chased(rules *briefbot.Rules, m *briefbot.Matter, step string) []briefbot.MemberID {
	org := &rules.Org
	var to []briefbot.MemberID
	add := func(ids ...briefbot.MemberID) {
		for _, id := range ids {
			if id != "" && !slices.Contains(to, id) && org.Allowed(id, briefbot.PermView, m) {
				to = append(to, id)
			}
		}
	}
	c, _ := org.Committee(m.Addressee)
	clerks, leaders := func() {}, func() {}
	if c != nil {
		clerks, leaders = func() { add(c.Clerks...) }, func() { add(c.Leaders...) }
	}
	lead := func() {
		if d, ok := org.Department(m.Assignment.Lead); ok {
			add(d.HeadsOf()...)
		}
	}
	assignment := m.Assignment != nil && (m.Status == briefbot.StatusReferred || m.Status == briefbot.StatusInProgress)
	switch {
	case assignment && step == briefbot.ReminderOverdue:
		lead()
		clerks()
	case assignment && step == briefbot.ReminderSupervise:
		clerks()
		for _, in := range m.Instructions {
			if in.Kind == briefbot.InstructionWritten {
				add(in.Leader)
			}
		}
	case assignment:
		lead()
	case step == briefbot.ReminderSupervise: // a request left unanswered: its leaders
		leaders()
	default: // a request awaiting its answer: the clerks who put it before the leaders
		clerks()
	}
	return to
}

// reminderLetters are the messages of one reminder step, each in its reader's language.
func reminderLetters(rules *briefbot.Rules, m *briefbot.Matter, step string, deadline, now time.Time) []letter {
	label := map[string]text{briefbot.ReminderDue: msgRemindDue, briefbot.ReminderOverdue: msgRemindOverdue, briefbot.ReminderSupervise: msgRemindSupervise}[step]
	if label == (text{}) {
		label = msgRemindBefore
	}
	var letters []letter
	for _, id := range chased(rules, m, step) {
		member, ok := rules.Org.Member(id)
		if !ok {
			continue
		}
		r := For(rules, member, now)
		line := r.T(label, m.Number, Title(m), r.DateTime(deadline))
		letters = append(letters, letter{id, blockkit.Message{Text: line, Blocks: []blockkit.Block{blockkit.Section(line), r.Buttons(m, reportSteps...)}}})
	}
	return letters
}
