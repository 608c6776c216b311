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
	// Parent, if set, names the dispatch the parent message belongs to by what the
	// transport can read of the message itself (Slack: its metadata): for a reply
	// that comes while the parent's post is still being recorded.
	Parent func(ctx context.Context) (dispatch uint64, ok bool)
}

// instructionRE matches a thread reply that records an instruction: it starts with
// 批示 (optionally followed by ： or :).
var instructionRE = regexp.MustCompile(`^\s*批示\s*[：:]?\s*`)

// explicitRE matches a reply that is plainly meant as an instruction: 批示 and a colon.
var explicitRE = regexp.MustCompile(`^\s*批示\s*[：:]`)

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
	d := b.threadOf(ctx, in)
	if !b.firstDelivery(ctx, in.DeliveryKey) {
		return Response{Ignore: true}
	}
	text := strings.TrimSpace(in.Text[loc[1]:])
	var m *briefbot.Matter
	var err error
	switch n := numberInTextRE.FindString(text); {
	case n != "":
		m, err = b.lookup(ctx, v, n)
		text = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(strings.Replace(text, n, "", 1)), "：:"))
	case d == nil && explicitRE.MatchString(in.Text): // "批示：…" in a thread we cannot place: said so, never dropped
		return say(v.T(msgThreadUnknown))
	case d == nil: // "批示精神…" in someone else's thread: people talk
		return Response{Ignore: true}
	case len(d.Matters) == 1:
		if m, err = b.ledger.Matter(ctx, briefbot.RefID(d.Matters[0])); err == nil && !v.visible(m) {
			err = briefbot.NotFound(briefbot.RefOf(m))
		}
	default:
		return say(v.T(msgThreadWhich))
	}
	if err != nil {
		return b.errorReply(err, v, "thread instruction")
	}
	if err := v.rules.Check(v.me.ID, m, briefbot.ActionInstruct, v.Now); briefbot.ErrorCode(err) == briefbot.EFORBIDDEN {
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

// threadOf is the briefing or alert whose thread in is a reply in, nil if none: by
// the parent's recorded ts, or, while that is not yet recorded, by what the transport
// reads of the parent.
func (b *Bot) threadOf(ctx context.Context, in ThreadInput) *briefbot.Dispatch {
	d, err := b.ledger.DispatchByTS(ctx, in.ThreadTS)
	if err != nil && in.Parent != nil {
		if id, ok := in.Parent(ctx); ok {
			d, err = b.ledger.Dispatch(ctx, id)
		}
	}
	if err != nil || (d.Kind != briefbot.DispatchBriefing && d.Kind != briefbot.DispatchAlert) {
		return nil
	}
	return d
}
