package bot

import (
	"context"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/notices"
)

// stats answers `stats [2026-11 | 2026] [committee]`: for the committees' leaders and
// clerks, and admins (figures only: the roll-up describes no matter).
func (b *Bot) stats(ctx context.Context, v *view, args []string) Response {
	org := &v.rules.Org
	if len(org.CommitteesOf(v.me.ID)) == 0 && !org.IsAdmin(v.me.ID) {
		return say(v.T(msgStatsWho))
	}
	var committee briefbot.CommitteeID
	period := ""
	for _, a := range args {
		if c := findCommittee(org, a); c != nil {
			committee = c.ID
		} else {
			period = a
		}
	}
	from, to, _, ok := notices.ParsePeriod(period, v.Now, v.rules.Loc())
	if !ok {
		return say(v.T(msgStatsUsage, v.command))
	}
	s, err := b.produce.Stats(ctx, committee, from, to, v.me.ID)
	if err != nil {
		return b.errorReply(err, v, "stats")
	}
	var blocks []blockkit.Block
	for _, chunk := range notices.Chunks(s.Mrkdwn(), blockkit.MaxMessageBlocks-1) {
		blocks = append(blocks, blockkit.Section(chunk))
	}
	return reply(blockkit.Message{Text: blockkit.Cut(s.Title, 200, "…"), Blocks: blocks})
}
