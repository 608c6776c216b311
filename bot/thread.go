package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// ThreadInput is a reply in the thread of a message the bot posted (a briefing).
type ThreadInput struct {
	User        User
	Text        string
	ThreadTS    string // the parent message
	DeliveryKey string
}

// instructionRE matches a thread reply that records an instruction: it starts with
// 批示 (optionally followed by ： or :).
var instructionRE = regexp.MustCompile(`^\s*批示\s*[：:]?\s*`)

// numberInTextRE finds a ledger number inside text.
var numberInTextRE = regexp.MustCompile(`(?i)\b(QS|BG|BB)\s*-?\s*\d{4}\s*-?\s*\d{1,7}\b`)

// ThreadReply records a leader's instruction written as a thread reply on a briefing
// (or an alert): "批示：同意，抓紧办理". The reply names the item by its ledger number
// ("批示 QS-2026-0017：…"); on a message about a single matter it may leave it out.
// Replies that do not start with 批示 are ignored (Ignore is set): people talk in
// threads.
func (b *Bot) ThreadReply(ctx context.Context, in ThreadInput) Response {
	loc := instructionRE.FindStringIndex(in.Text)
	if loc == nil {
		return Response{Ignore: true}
	}
	me, dir, ok := b.who(in.User)
	if !ok {
		return reply(textMessage(tr(dir.Lang, msgUnknownUser)))
	}
	d, err := b.store.DispatchByTS(in.ThreadTS)
	if err != nil || (d.Kind != briefbot.DispatchBriefing && d.Kind != briefbot.DispatchAlert) {
		return Response{Ignore: true} // not a thread of ours that carries matters
	}
	if !b.firstDelivery(ctx, in.DeliveryKey) {
		return Response{Ignore: true}
	}
	v := b.frame(me, dir)
	text := strings.TrimSpace(in.Text[loc[1]:])
	var m *briefbot.Matter
	if n := numberInTextRE.FindString(text); n != "" {
		m, err = b.lookupFor(ctx, v, n)
		if err != nil {
			return reply(b.errorMessage(err, v.lang, "thread instruction"))
		}
		text = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(strings.Replace(text, n, "", 1)), "：:"))
	} else if len(d.Matters) == 1 {
		if m, err = b.store.Get(d.Matters[0]); err == nil && !v.dir.Org.Allowed(v.me.ID, briefbot.PermView, m) {
			err = briefbot.Errorf(briefbot.ENOTFOUND, "no_matter", briefbot.Text(msgNothingFound))
		}
		if err != nil {
			return reply(b.errorMessage(err, v.lang, "thread instruction"))
		}
	} else {
		return reply(textMessage(v.tr(msgThreadWhich)))
	}
	if leader, _ := v.role(m); !leader {
		return reply(textMessage(v.tr(msgThreadLeadersOnly, m.Number)))
	}
	if text == "" {
		return reply(textMessage(v.tr(msgThreadEmpty)))
	}
	if _, err := b.store.Apply(ctx, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: v.me.ID, At: v.now, Text: text},
		store.Delivery{Notes: b.instructionNotes(v.dir, m)}); err != nil {
		return reply(b.errorMessage(err, v.lang, "thread instruction"))
	}
	(*b.kick.Load())()
	return reply(textMessage(v.tr(msgThreadRecorded, m.Number)))
}
