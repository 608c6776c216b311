package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/briefbot/briefbot"
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
func (b *Bot) ThreadReply(ctx context.Context, in ThreadInput) (resp Response) {
	defer b.recover("thread reply", &resp)
	loc := instructionRE.FindStringIndex(in.Text)
	if loc == nil {
		return Response{Ignore: true}
	}
	v, refusal, ok := b.who(in.User)
	if !ok {
		return refusal
	}
	d, err := b.ledger.DispatchByTS(ctx, in.ThreadTS)
	if err != nil || (d.Kind != briefbot.DispatchBriefing && d.Kind != briefbot.DispatchAlert) {
		return Response{Ignore: true} // not a thread of ours that carries matters
	}
	if !b.firstDelivery(ctx, in.DeliveryKey) {
		return Response{Ignore: true}
	}
	text := strings.TrimSpace(in.Text[loc[1]:])
	var m *briefbot.Matter
	if n := numberInTextRE.FindString(text); n != "" {
		m, err = b.lookup(ctx, v, n)
		text = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(strings.Replace(text, n, "", 1)), "：:"))
	} else if len(d.Matters) == 1 {
		if m, err = b.ledger.Matter(ctx, briefbot.RefID(d.Matters[0])); err == nil && !v.visible(m) {
			err = briefbot.NotFound(briefbot.RefOf(m))
		}
	} else {
		return say(v.T(msgThreadWhich))
	}
	if err != nil {
		return b.errorReply(err, v, "thread instruction")
	}
	if err := v.rules.Check(v.me.ID, m, briefbot.ActionInstruct); briefbot.ErrorCode(err) == briefbot.EFORBIDDEN {
		return say(v.T(msgThreadLeadersOnly, m.Number))
	}
	if text == "" {
		return say(v.T(msgThreadEmpty))
	}
	step := v.step(briefbot.ActionInstruct)
	step.Text = text
	if _, err := b.take(ctx, v, briefbot.RefOf(m), "", step); err != nil {
		return b.errorReply(err, v, "thread instruction")
	}
	return say(v.T(msgThreadRecorded, m.Number))
}
