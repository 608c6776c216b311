package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// brief answers `brief <committee> preview|now|approve`, for the committee's clerks.
func (b *Bot) brief(ctx context.Context, v *view, args []string) Response {
	org := &v.rules.Org
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
		if mine := org.ClerkOf(v.me.ID); len(mine) == 1 {
			c = mine[0]
		} else {
			return say(v.T(msgBriefUsage, v.command))
		}
	}
	if !org.MayBrief(v.me.ID, c.ID) {
		return say(v.T(msgBriefClerksOnly, v.Committee(c.ID)))
	}
	switch verb {
	case "preview", "预览", "":
		br, err := b.produce.Preview(ctx, c.ID)
		if err != nil {
			return b.errorReply(err, v, "brief preview")
		}
		msgs := br.BlockKit()
		note := v.T(msgBriefPreview, len(msgs))
		return reply(blockkit.Message{Text: note + "\n" + msgs[0].Text, Blocks: append([]blockkit.Block{blockkit.Context(note)}, msgs[0].Blocks...)})
	case "now", "立即", "发送":
		d, err := b.produce.MakeBriefing(ctx, c.ID, "", v.Now, false)
		if err != nil {
			return b.errorReply(err, v, "brief now")
		}
		return say(v.T(msgBriefQueued, v.Committee(c.ID), d.Issue, len(d.Parts)))
	case "approve", "审批", "批准":
		return b.approve(ctx, v, c)
	}
	return say(v.T(msgBriefUsage, v.command))
}

// approve releases the committee's briefings awaiting approval.
func (b *Bot) approve(ctx context.Context, v *view, c *briefbot.Committee) Response {
	open, err := b.ledger.OpenDispatches(ctx)
	if err != nil {
		return b.errorReply(err, v, "approve")
	}
	n := 0
	for _, d := range open {
		if d.Committee == c.ID && d.State == briefbot.DispatchAwaitingApproval {
			if _, err := b.ledger.ApproveDispatch(ctx, d.ID, v.me.ID); err != nil {
				return b.errorReply(err, v, "approve")
			}
			n++
		}
	}
	if n == 0 {
		return say(v.T(msgBriefNothingToApprove, v.Committee(c.ID)))
	}
	return say(v.T(msgBriefApproved, v.Committee(c.ID), n))
}

// approveOne handles the approve button on a held briefing.
func (b *Bot) approveOne(ctx context.Context, v *view, value string) Response {
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return say(v.T(msgBriefNothingToApprove, ""))
	}
	d, err := b.ledger.Dispatch(ctx, id)
	if err != nil {
		return b.errorReply(err, v, "approve")
	}
	if !v.rules.Org.MayBrief(v.me.ID, d.Committee) {
		return say(v.T(msgBriefClerksOnly, v.Committee(d.Committee)))
	}
	if _, err := b.ledger.ApproveDispatch(ctx, id, v.me.ID); err != nil {
		return b.errorReply(err, v, "approve")
	}
	return say(v.T(msgBriefApproved, v.Committee(d.Committee), 1))
}

func findCommittee(org *briefbot.Org, s string) *briefbot.Committee {
	for i := range org.Committees {
		c := &org.Committees[i]
		if strings.EqualFold(string(c.ID), s) || c.Name == s || strings.EqualFold(c.NameEN, s) {
			return c
		}
	}
	return nil
}
