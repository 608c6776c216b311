package bot

import (
	"context"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// homeListSize bounds each list on the Home tab; the rest is one `list` away.
const homeListSize = 8

// Home builds the App Home tab for a user, as its blocks: a department head sees the
// department's open matters and what is assigned to it; a clerk the committee's
// queue; a leader what awaits their instruction. Unknown users get the polite refusal.
func (b *Bot) Home(ctx context.Context, u User) (blocks []blockkit.Block) {
	defer b.recoverHome(&blocks)
	v, refusal, ok := b.who(u)
	if !ok {
		return refusal.Message.Blocks
	}
	blocks = []blockkit.Block{blockkit.Header(v.T(msgHomeTitle)), blockkit.Section(v.T(msgHomeHello, blockkit.Escape(v.me.Name)))}
	org := &v.rules.Org
	if len(org.HeadOf(v.me.ID)) > 0 {
		blocks = append(blocks, blockkit.Actions(blockkit.Button(v.T(msgButtonNew), actionOpenIntake, string(briefbot.KindRequest))))
	}
	list := func(title string, f briefbot.Filter) {
		f.Limit, f.Visible = homeListSize, v.visible
		p, err := b.ledger.List(ctx, f)
		blocks = append(blocks, blockkit.Divider(), blockkit.Section("*"+blockkit.Escape(title)+"*"))
		switch {
		case err != nil:
			blocks = append(blocks, blockkit.Section(b.errorText(err, v.Lang, "home")))
		case len(p.Matters) == 0:
			blocks = append(blocks, blockkit.Context(v.T(msgHomeEmpty)))
		}
		for _, m := range p.Matters {
			blocks = append(blocks, v.ListItem(m))
		}
	}
	var open []briefbot.Status
	for _, s := range briefbot.Statuses {
		if s.Open() && s != briefbot.StatusDraft {
			open = append(open, s)
		}
	}
	for _, d := range org.DepartmentsOf(v.me.ID) {
		list(v.T(msgHomeDeptOpen, v.Dept(d.ID)), briefbot.Filter{Department: d.ID, Statuses: open})
		list(v.T(msgHomeAssigned, v.Dept(d.ID)), briefbot.Filter{Assignee: d.ID, Statuses: []briefbot.Status{briefbot.StatusReferred, briefbot.StatusInProgress}})
	}
	for _, c := range org.CommitteesOf(v.me.ID) {
		title := v.T(msgHomeQueue, v.Committee(c.ID))
		if c.IsLeader(v.me.ID) {
			title = v.T(msgHomeToInstr, v.Committee(c.ID))
		}
		list(title, briefbot.Filter{Committee: c.ID, Awaiting: true})
	}
	if len(blocks) == 2 {
		blocks = append(blocks, blockkit.Section(v.T(msgHomeNoRole)))
	}
	return blocks[:min(len(blocks), blockkit.MaxViewBlocks)]
}
