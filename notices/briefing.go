package notices

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/briefings"
)

// Compose gathers the committee's matters and composes its next briefing (issue
// number issue), and lists the open matters its channel shows only as restricted.
func (p *Producer) Compose(ctx context.Context, rules *briefbot.Rules, c *briefbot.Committee, issue int, since, now, scheduledAt time.Time, late bool) (*briefings.Briefing, []uint64, []*briefbot.Matter, error) {
	org := &rules.Org
	var matters, withheld []*briefbot.Matter
	var ids []uint64
	err := p.Ledger.Each(ctx, briefbot.Filter{Committee: c.ID}, func(m *briefbot.Matter) bool {
		// Closed matters count only in the period they were closed in.
		if !m.Status.Open() && m.Status != briefbot.StatusRead && m.UpdatedAt.Before(since) {
			return true
		}
		if m.Status.Open() && !org.ChannelMaySee(c, m) {
			withheld = append(withheld, m)
		}
		matters = append(matters, m)
		ids = append(ids, m.ID)
		return true
	})
	if err != nil {
		return nil, nil, nil, err
	}
	br := briefings.Compose(matters, briefings.Options{
		Org: org, Committee: c.ID, Year: now.In(rules.Loc()).Year(), Issue: issue, Since: since, Now: now,
		Location: rules.Loc(), WorkingDays: rules.WorkingDaysBetween(), Late: late, ScheduledAt: scheduledAt, Lang: rules.LangOf(nil),
		SlackItems: c.SlackItems, Command: p.Command,
		Withheld: func(m *briefbot.Matter) bool { return !org.ChannelMaySee(c, m) },
	})
	head, err := p.Ledger.AuditHead(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	br.Anchor = head.String()
	return br, ids, withheld, nil
}

// next returns the committee's next issue number of now's year and the time of its
// last briefing (zero if none).
func (p *Producer) next(ctx context.Context, rules *briefbot.Rules, c *briefbot.Committee, now time.Time) (int, time.Time, error) {
	issue, err := p.Ledger.NextIssue(ctx, c.ID, now.In(rules.Loc()).Year())
	if err != nil {
		return 0, time.Time{}, err
	}
	last, err := p.Ledger.LastBriefing(ctx, c.ID)
	if err != nil || last == nil {
		return issue, time.Time{}, err
	}
	return issue, last.CreatedAt, nil
}

// Preview composes the committee's next briefing without storing it.
func (p *Producer) Preview(ctx context.Context, committee briefbot.CommitteeID) (*briefings.Briefing, error) {
	rules := p.Rules()
	c, ok := rules.Org.Committee(committee)
	if !ok {
		return nil, fmt.Errorf("no committee %q in the org config", committee)
	}
	now := p.now()
	issue, since, err := p.next(ctx, rules, c, now)
	if err != nil {
		return nil, err
	}
	br, _, _, err := p.Compose(ctx, rules, c, issue, since, now, time.Time{}, false)
	return br, err
}

// MakeBriefing composes the committee's next briefing and puts it in the outbox. For a
// schedule slot (slotKey set) it is made at most once, whatever restarts happen; a
// committee that wants approval gets it held for its clerks, who are asked by DM.
func (p *Producer) MakeBriefing(ctx context.Context, committee briefbot.CommitteeID, slotKey string, scheduledAt time.Time, late bool) (*briefbot.Dispatch, error) {
	rules := p.Rules()
	c, ok := rules.Org.Committee(committee)
	if !ok {
		return nil, fmt.Errorf("no committee %q in the org config", committee)
	}
	for attempt := 0; ; attempt++ {
		now := p.now()
		issue, since, err := p.next(ctx, rules, c, now)
		if err != nil {
			return nil, err
		}
		br, ids, withheld, err := p.Compose(ctx, rules, c, issue, since, now, scheduledAt, late)
		if err != nil {
			return nil, err
		}
		ps, err := briefingParts(br)
		if err != nil {
			return nil, err
		}
		more, err := parts(withheldLetters(rules, c, issue, withheld, now))
		if err != nil {
			return nil, err
		}
		doc, err := br.Document()
		if err != nil {
			return nil, briefbot.Internal("encode briefing", err)
		}
		d := &briefbot.Dispatch{Kind: briefbot.DispatchBriefing, Committee: committee, Year: br.Year, Issue: issue,
			SlotKey: slotKey, ScheduledAt: scheduledAt, Late: late, Since: since, CreatedAt: now, Matters: ids, Parts: append(ps, more...), Document: doc}
		if slotKey != "" && c.Approve {
			d.State = briefbot.DispatchAwaitingApproval
		}
		stored, existed, err := p.Ledger.CreateDispatch(ctx, d)
		if briefbot.ErrorReason(err) == briefbot.ReasonIssueTaken && attempt < 3 {
			continue // another briefing took the number meanwhile: compose again
		}
		if err != nil {
			return nil, err
		}
		if !existed && stored.State == briefbot.DispatchAwaitingApproval {
			if _, err := p.tell(ctx, briefbot.DispatchNotice, c.ID, fmt.Sprintf("approve/%d", stored.ID), approvalLetters(rules, c, stored, br)); err != nil {
				p.log().Error("ask for approval", "committee", c.ID, "issue", issue, "err", err)
			}
		}
		return stored, nil
	}
}

// briefingParts turns a briefing into outbox parts: the first message to the channel,
// the rest in its thread.
func briefingParts(br *briefings.Briefing) ([]briefbot.Part, error) {
	msgs := br.BlockKit()
	if err := blockkit.Validate(msgs...); err != nil {
		return nil, briefbot.Internal("briefing over Block Kit limits", err)
	}
	var ps []briefbot.Part
	for i, m := range msgs {
		blocks, err := json.Marshal(m.Blocks)
		if err != nil {
			return nil, briefbot.Internal("encode briefing", err)
		}
		ps = append(ps, briefbot.Part{Text: m.Text, Blocks: blocks, Thread: i > 0})
	}
	return ps, nil
}

// approvalLetters ask the committee's clerks to approve a held briefing.
func approvalLetters(rules *briefbot.Rules, c *briefbot.Committee, d *briefbot.Dispatch, br *briefings.Briefing) []letter {
	var letters []letter
	for _, id := range c.Clerks {
		member, ok := rules.Org.Member(id)
		if !ok {
			continue
		}
		lang := rules.LangOf(member)
		line := msgBriefAwaitingApproval.Format(lang, rules.Org.CommitteeName(c.ID, lang), d.Issue)
		letters = append(letters, letter{id, blockkit.Message{Text: line, Blocks: []blockkit.Block{
			blockkit.Section(line),
			blockkit.Section(blockkit.Escape(blockkit.Cut(br.Mrkdwn(), 2500, "…"))),
			blockkit.Actions(blockkit.Button(msgButtonApprove.In(lang), ActionApproveBriefing, fmt.Sprint(d.ID))),
		}}})
	}
	return letters
}

// withheldLetters give each of the committee's leaders, by DM, what the channel copy
// of the briefing shows only as placeholders and they may see: restricted matters on
// their list, and matters the channel's audience may not all see.
func withheldLetters(rules *briefbot.Rules, c *briefbot.Committee, issue int, withheld []*briefbot.Matter, now time.Time) []letter {
	var letters []letter
	for _, id := range c.Leaders {
		member, ok := rules.Org.Member(id)
		if !ok {
			continue
		}
		r := For(rules, member, now)
		head := r.T(msgWithheldHead, r.Committee(c.ID), issue)
		blocks := []blockkit.Block{blockkit.Section(head)}
		var lines []string
		for _, m := range withheld {
			if !rules.Org.Allowed(id, briefbot.PermView, m) || len(blocks) >= blockkit.MaxMessageBlocks-1 {
				continue
			}
			blocks = append(blocks, r.ListItem(m.Summary()))
			lines = append(lines, ListLine(m.Summary()))
		}
		if len(lines) > 0 {
			letters = append(letters, letter{id, blockkit.Message{Text: head + "\n" + strings.Join(lines, "\n"), Blocks: blocks}})
		}
	}
	return letters
}
