package bot

import (
	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

// homeListSize bounds each list on the Home tab; the rest is one `list` away.
const homeListSize = 8

// Home builds the App Home tab for a user: a department head sees the department's open
// matters and what is assigned to it; a clerk the committee's queue; a leader what
// awaits their instruction. Unknown users get the polite refusal.
func (b *Bot) Home(u User) slack.HomeTabViewRequest {
	me, dir, ok := b.who(u)
	if !ok {
		return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{section(tr(dir.Lang, msgUnknownUser))}}}
	}
	v := b.frame(me, dir)
	blocks := []slack.Block{
		header(v.tr(msgHomeTitle)),
		section(v.tr(msgHomeHello, Escape(me.Name))),
	}
	org := &dir.Org
	heads := org.HeadOf(me.ID)
	if len(heads) > 0 {
		blocks = append(blocks, slack.NewActionBlock("", button(v.tr(msgButtonNew), actionOpenIntake, string(briefbot.KindRequest))))
	}
	addList := func(title string, p store.Page, err error) {
		blocks = append(blocks, slack.NewDividerBlock(), section("*"+Escape(title)+"*"))
		if err != nil {
			blocks = append(blocks, section(b.errorMessage(err, v.lang, "home").Text))
			return
		}
		if len(p.Matters) == 0 {
			blocks = append(blocks, contextBlock(v.tr(msgHomeEmpty)))
		}
		for _, m := range p.Matters {
			blocks = append(blocks, v.listItem(m))
		}
	}
	open := []briefbot.Status{}
	for _, s := range briefbot.Statuses {
		if s.Open() && s != briefbot.StatusDraft {
			open = append(open, s)
		}
	}
	for _, d := range org.DepartmentsOf(me.ID) {
		p, err := b.store.List(store.Filter{Department: d.ID, Statuses: open, Limit: homeListSize, Match: v.visible})
		addList(v.tr(msgHomeDeptOpen, d.Name), p, err)
		p, err = b.store.List(store.Filter{Assignee: d.ID, Statuses: []briefbot.Status{briefbot.StatusReferred, briefbot.StatusInProgress}, Limit: homeListSize, Match: v.visible})
		addList(v.tr(msgHomeAssigned, d.Name), p, err)
	}
	for _, c := range org.CommitteesOf(me.ID) {
		f := store.Filter{Committee: c.ID, Limit: homeListSize, Match: v.visible}
		p, err := b.store.Awaiting(f)
		if c.IsLeader(me.ID) {
			addList(v.tr(msgHomeToInstr, v.committee(c.ID)), p, err)
		} else {
			addList(v.tr(msgHomeQueue, v.committee(c.ID)), p, err)
		}
	}
	if len(blocks) == 2 {
		blocks = append(blocks, section(v.tr(msgHomeNoRole)))
	}
	if len(blocks) > maxViewBlocks {
		blocks = blocks[:maxViewBlocks]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
