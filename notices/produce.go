package notices

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/metrics"
)

// Ledger is what the Producer needs of the ledger: to read matters and the outbox, and
// to put dispatches in it.
type Ledger interface {
	briefbot.MatterFinder
	NextIssue(ctx context.Context, committee briefbot.CommitteeID, year int) (int, error)
	LastBriefing(ctx context.Context, committee briefbot.CommitteeID) (*briefbot.Dispatch, error)
	CreateDispatch(ctx context.Context, d *briefbot.Dispatch) (*briefbot.Dispatch, bool, error)
	EachDispatch(ctx context.Context, fn func(*briefbot.Dispatch) bool) error
	// AuditHead is the audit chain's head, printed in every briefing and report.
	AuditHead(ctx context.Context) (briefbot.AuditAnchor, error)
}

// Producer composes what the bot says on its own at its times — briefings, monthly
// reports, reminders, calendar warnings — and puts each in the outbox once, for the
// deliverer. It is safe for concurrent use; each slot or reminder step is made at most
// once however often it is asked (the outbox keys them).
type Producer struct {
	Ledger  Ledger
	Rules   func() *briefbot.Rules
	Scoring func() briefings.Scoring // nil: briefings.DefaultScoring
	Now     func() time.Time         // default time.Now
	Command string                   // the bot's slash command, named in briefings (default /matter)
	Log     *slog.Logger             // default slog.Default()
	Metrics *metrics.Metrics         // may be nil
}

func (p *Producer) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p *Producer) log() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}

// letter is one pre-rendered message to one member, in their language.
type letter struct {
	to  briefbot.MemberID
	msg blockkit.Message
}

// parts turns letters into parts, each to its member's DMs.
func parts(letters []letter) ([]briefbot.Part, error) {
	var ps []briefbot.Part
	for _, l := range letters {
		blocks, err := json.Marshal(l.msg.Blocks)
		if err != nil {
			return nil, briefbot.Internal("encode message", err)
		}
		ps = append(ps, briefbot.Part{To: briefbot.ToMember(l.to), Text: l.msg.Text, Blocks: blocks})
	}
	return ps, nil
}

// tell puts letters in the outbox as one dispatch of kind, made once for slot.
func (p *Producer) tell(ctx context.Context, kind briefbot.DispatchKind, committee briefbot.CommitteeID, slot string, letters []letter) (bool, error) {
	ps, err := parts(letters)
	if err != nil || len(ps) == 0 {
		return false, err
	}
	_, existed, err := p.Ledger.CreateDispatch(ctx, &briefbot.Dispatch{Kind: kind, Committee: committee, SlotKey: slot, Parts: ps})
	return err == nil && !existed, err
}

// WarnCalendar tells the admins and the committees' clerks, once per year, when the
// working-day calendar does not cover this year, or next year with less than 60 days
// to go: without it deadlines, reminders and briefing slots count every weekday as a
// working day and no public holiday. covers says which years the calendar has.
func (p *Producer) WarnCalendar(ctx context.Context, covers func(year int) bool) error {
	rules := p.Rules()
	now := p.now().In(rules.Loc())
	year := now.Year()
	if covers(year) {
		year++
		if covers(year) || now.AddDate(0, 0, 60).Year() < year {
			return nil
		}
	}
	var to []briefbot.MemberID
	for _, m := range rules.Org.Members {
		if m.Admin {
			to = append(to, m.ID)
		}
	}
	for _, c := range rules.Org.Committees {
		to = append(to, c.Clerks...)
	}
	var letters []letter
	seen := map[briefbot.MemberID]bool{}
	for _, id := range to {
		if seen[id] {
			continue
		}
		seen[id] = true
		if member, ok := rules.Org.Member(id); ok {
			letters = append(letters, letter{id, blockkit.Text(msgCalendarMissing.Format(rules.LangOf(member), year))})
		}
	}
	_, err := p.tell(ctx, briefbot.DispatchNotice, "", fmt.Sprintf("calendar/%d", year), letters)
	return err
}
