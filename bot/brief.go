package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

const actionApproveBriefing = "approve_briefing" // value: dispatch ID

// channelPlaceholder marks, in a briefing's copy of a matter, that the channel's
// audience may not all see it.
const channelPlaceholder briefbot.MemberID = "(channel audience)"

// compose gathers the committee's matters and composes its next briefing.
func (b *Bot) compose(dir *Directory, committee string, issue int, since, now, scheduledAt time.Time, late bool) (*briefings.Briefing, []uint64, []*briefbot.Matter, error) {
	var matters, withheld []*briefbot.Matter
	var ids []uint64
	c, _ := dir.Org.Committee(committee)
	err := b.store.Each(store.Filter{Committee: committee}, func(m *briefbot.Matter) bool {
		// Closed matters count only in the period they were closed in.
		if !m.Status.Open() && m.Status != briefbot.StatusRead && m.UpdatedAt.Before(since) {
			return true
		}
		if c != nil && !dir.Org.ChannelMaySee(c, m) && m.Status.Open() {
			withheld = append(withheld, m)
		}
		if c != nil && len(m.Restricted) == 0 && !dir.Org.ChannelMaySee(c, m) {
			// Someone in the channel may not see it: it is shown as restricted (a placeholder).
			m = m.Clone()
			m.Restricted = []briefbot.MemberID{channelPlaceholder}
		}
		matters = append(matters, m)
		ids = append(ids, m.ID)
		return true
	})
	if err != nil {
		return nil, nil, nil, err
	}
	br := briefings.Compose(matters, briefings.Options{
		Org: &dir.Org, Committee: committee, Year: now.In(b.loc).Year(), Issue: issue, Since: since, Now: now,
		Location: b.loc, WorkingDays: dir.WorkingDays, Late: late, ScheduledAt: scheduledAt, Lang: dir.lang(nil),
	})
	return br, ids, withheld, nil
}

// MakeBriefing composes the committee's next briefing and puts it in the outbox. For a
// schedule slot (slotKey set) it is made at most once, whatever restarts happen; a
// committee that wants approval gets it held for its clerks, who are asked by DM.
func (b *Bot) MakeBriefing(ctx context.Context, committee, slotKey string, scheduledAt time.Time, late bool) (*briefbot.Dispatch, error) {
	dir := b.Directory()
	c, ok := dir.Org.Committee(committee)
	if !ok {
		return nil, fmt.Errorf("no committee %q in the org config", committee)
	}
	for attempt := 0; ; attempt++ {
		now := b.now()
		year := now.In(b.loc).Year()
		issue, err := b.store.NextIssue(committee, year)
		if err != nil {
			return nil, err
		}
		var since time.Time
		if last, err := b.store.LastBriefing(committee); err != nil {
			return nil, err
		} else if last != nil {
			since = last.CreatedAt
		}
		br, ids, withheld, err := b.compose(dir, committee, issue, since, now, scheduledAt, late)
		if err != nil {
			return nil, err
		}
		parts, err := briefingParts(br)
		if err != nil {
			return nil, err
		}
		parts = append(parts, b.withheldParts(dir, c, issue, withheld)...)
		doc, err := json.Marshal(br)
		if err != nil {
			return nil, briefbot.Internal("encode briefing", err)
		}
		d := &briefbot.Dispatch{Kind: briefbot.DispatchBriefing, Committee: committee, Year: year, Issue: issue,
			SlotKey: slotKey, ScheduledAt: scheduledAt, Late: late, Since: since, CreatedAt: now, Matters: ids, Parts: parts, Document: doc}
		if slotKey != "" && dir.Approve[committee] {
			d.State = briefbot.DispatchAwaitingApproval
		}
		stored, existed, err := b.store.CreateDispatch(ctx, d)
		if briefbot.ErrorReason(err) == "issue_taken" && attempt < 3 {
			continue // another briefing took the number meanwhile: compose again
		}
		if err != nil {
			return nil, err
		}
		if !existed {
			if stored.State == briefbot.DispatchAwaitingApproval {
				b.askApproval(ctx, dir, c, stored, br)
			} else {
				(*b.kick.Load())()
			}
		}
		return stored, nil
	}
}

// briefingParts turns a briefing into outbox parts: the first message to the channel,
// the rest in its thread.
func briefingParts(br *briefings.Briefing) ([]briefbot.Part, error) {
	msgs := br.BlockKit()
	if err := briefings.Validate(msgs); err != nil {
		return nil, briefbot.Internal("briefing over Block Kit limits", err)
	}
	var parts []briefbot.Part
	for i, m := range msgs {
		blocks, err := json.Marshal(m.Blocks)
		if err != nil {
			return nil, briefbot.Internal("encode briefing", err)
		}
		parts = append(parts, briefbot.Part{Text: m.Text, Blocks: blocks, Thread: i > 0})
	}
	return parts, nil
}

// askApproval DMs the committee's clerks a held briefing with an approve button.
func (b *Bot) askApproval(ctx context.Context, dir *Directory, c *briefbot.Committee, d *briefbot.Dispatch, br *briefings.Briefing) {
	var letters []letter
	for _, id := range c.Clerks {
		m, ok := dir.Org.Member(id)
		if !ok {
			continue
		}
		lang := dir.lang(m)
		text := tr(lang, msgBriefAwaitingApproval, c.Name, d.Issue)
		msg := Message{Text: text, Blocks: []slack.Block{
			section(text),
			section(Escape(cut(br.Mrkdwn(), 2500, "…"))),
			slack.NewActionBlock("", button(tr(lang, msgButtonApprove), actionApproveBriefing, fmt.Sprint(d.ID))),
		}}
		letters = append(letters, letter{m.ID, msg})
	}
	b.tell(ctx, briefbot.DispatchNotice, &briefbot.Matter{Addressee: c.ID}, fmt.Sprintf("approve/%d", d.ID), letters)
}

// brief answers `brief <committee> preview|now|approve [id]`, for the committee's clerks.
func (b *Bot) brief(ctx context.Context, v *view, args []string) Message {
	org := &v.dir.Org
	var c *briefbot.Committee
	verb := ""
	for _, a := range args {
		if cm := findCommittee(org, a); cm != nil && c == nil {
			c = cm
			continue
		}
		if verb == "" {
			verb = strings.ToLower(a)
		}
	}
	if c == nil {
		if mine := clerkOf(org, v.me.ID); len(mine) == 1 {
			c = mine[0]
		} else {
			return textMessage(v.tr(msgBriefUsage, v.dir.Command))
		}
	}
	if !org.MayBrief(v.me.ID, c.ID) {
		return textMessage(v.tr(msgBriefClerksOnly, c.Name))
	}
	switch verb {
	case "preview", "预览", "":
		now := b.now()
		issue, err := b.store.NextIssue(c.ID, now.In(b.loc).Year())
		if err != nil {
			return b.errorMessage(err, v.lang, "brief preview")
		}
		var since time.Time
		if last, err := b.store.LastBriefing(c.ID); err == nil && last != nil {
			since = last.CreatedAt
		}
		br, _, _, err := b.compose(v.dir, c.ID, issue, since, now, time.Time{}, false)
		if err != nil {
			return b.errorMessage(err, v.lang, "brief preview")
		}
		msgs := br.BlockKit()
		var blocks slack.Blocks
		raw, _ := json.Marshal(msgs[0].Blocks)
		if err := json.Unmarshal(raw, &blocks); err != nil {
			return b.errorMessage(briefbot.Internal("preview", err), v.lang, "brief preview")
		}
		note := v.tr(msgBriefPreview, len(msgs))
		return Message{Text: note + "\n" + msgs[0].Text, Blocks: append([]slack.Block{contextBlock(note)}, blocks.BlockSet...)}
	case "now", "立即", "发送":
		d, err := b.MakeBriefing(ctx, c.ID, "", time.Time{}, false)
		if err != nil {
			return b.errorMessage(err, v.lang, "brief now")
		}
		return textMessage(v.tr(msgBriefQueued, c.Name, d.Issue, len(d.Parts)))
	case "approve", "审批", "批准":
		return b.approve(ctx, v, c)
	}
	return textMessage(v.tr(msgBriefUsage, v.dir.Command))
}

// approve releases the committee's briefings awaiting approval.
func (b *Bot) approve(ctx context.Context, v *view, c *briefbot.Committee) Message {
	open, err := b.store.OpenDispatches()
	if err != nil {
		return b.errorMessage(err, v.lang, "approve")
	}
	n := 0
	for _, d := range open {
		if d.Committee == c.ID && d.State == briefbot.DispatchAwaitingApproval {
			if _, err := b.store.ApproveDispatch(ctx, d.ID, v.me.ID); err != nil {
				return b.errorMessage(err, v.lang, "approve")
			}
			n++
		}
	}
	if n == 0 {
		return textMessage(v.tr(msgBriefNothingToApprove, c.Name))
	}
	(*b.kick.Load())()
	return textMessage(v.tr(msgBriefApproved, c.Name, n))
}

// approveOne handles the approve button on a held briefing.
func (b *Bot) approveOne(ctx context.Context, v *view, value string) Message {
	var id uint64
	if _, err := fmt.Sscan(value, &id); err != nil {
		return textMessage(v.tr(msgBriefNothingToApprove, ""))
	}
	d, err := b.store.GetDispatch(id)
	if err != nil {
		return b.errorMessage(err, v.lang, "approve")
	}
	c, ok := v.dir.Org.Committee(d.Committee)
	if !ok || !v.dir.Org.MayBrief(v.me.ID, c.ID) {
		return textMessage(v.tr(msgBriefClerksOnly, d.Committee))
	}
	if _, err := b.store.ApproveDispatch(ctx, id, v.me.ID); err != nil {
		return b.errorMessage(err, v.lang, "approve")
	}
	(*b.kick.Load())()
	return textMessage(v.tr(msgBriefApproved, c.Name, 1))
}

func findCommittee(org *briefbot.Org, s string) *briefbot.Committee {
	for i := range org.Committees {
		c := &org.Committees[i]
		if strings.EqualFold(c.ID, s) || c.Name == s || strings.EqualFold(c.NameEN, s) {
			return c
		}
	}
	return nil
}

func clerkOf(org *briefbot.Org, id briefbot.MemberID) []*briefbot.Committee {
	var cs []*briefbot.Committee
	for i := range org.Committees {
		if org.Committees[i].IsClerk(id) {
			cs = append(cs, &org.Committees[i])
		}
	}
	return cs
}

// withheldParts gives each of the committee's leaders, by DM, what the channel copy of
// the briefing shows only as placeholders and they may see: restricted matters on
// their list, and matters the channel's audience may not all see.
func (b *Bot) withheldParts(dir *Directory, c *briefbot.Committee, issue int, withheld []*briefbot.Matter) []briefbot.Part {
	var parts []briefbot.Part
	for _, id := range c.Leaders {
		member, ok := dir.Org.Member(id)
		if !ok {
			continue
		}
		v := &view{me: member, dir: dir, lang: dir.lang(member), now: b.now(), loc: b.loc}
		blocks := []slack.Block{section(v.tr(msgWithheldHead, c.Name, issue))}
		var lines []string
		for _, m := range withheld {
			if !dir.Org.Allowed(id, briefbot.PermView, m) || len(blocks) >= maxMessageBlocks-1 {
				continue
			}
			blocks = append(blocks, v.listItem(m))
			lines = append(lines, m.Number.String()+" "+Escape(cut(oneLine(m.Title), 200, "…")))
		}
		if len(lines) == 0 {
			continue
		}
		raw, err := json.Marshal(blocks)
		if err != nil {
			continue
		}
		parts = append(parts, briefbot.Part{Channel: "@" + string(id), Text: v.tr(msgWithheldHead, c.Name, issue) + "\n" + strings.Join(lines, "\n"), Blocks: raw})
	}
	return parts
}
