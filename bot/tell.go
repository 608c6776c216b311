package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/briefbot/briefbot"
	"github.com/slack-go/slack"
)

// letter is one message to one member.
type letter struct {
	to  briefbot.MemberID
	msg Message
}

// tell puts messages to members in the outbox as one dispatch, so each is delivered
// once even across restarts, and kicks the deliverer. Messages to the matter's
// submitter are posted in the thread of their receipt, so a matter's story reads as
// one conversation. slot, if set, makes the dispatch happen at most once.
func (b *Bot) tell(ctx context.Context, kind briefbot.DispatchKind, m *briefbot.Matter, slot string, letters []letter) {
	d := b.letters(kind, m, slot, letters, b.receiptTS(m))
	if d == nil {
		return
	}
	if _, _, err := b.store.CreateDispatch(ctx, d); err != nil {
		b.log.Error("tell", "number", m.Number.String(), "kind", string(kind), "err", err)
		return
	}
	(*b.kick.Load())()
}

// receiptTS is the Slack ts of m's receipt, once posted ("" before, or if none).
func (b *Bot) receiptTS(m *briefbot.Matter) string {
	if r, err := b.store.DispatchBySlot(receiptSlot(m)); err == nil && len(r.Parts) > 0 {
		return r.Parts[0].TS
	}
	return ""
}

// notes makes the store.Delivery.Notes of a change: the letters make(m) writes about
// the matter as changed, put in the outbox in the change's own transaction, so they
// are never lost between the change and the telling, nor made twice by a repeated
// delivery. receiptTS must be read before the change (not inside its transaction).
func (b *Bot) notes(kind briefbot.DispatchKind, receiptTS string, make func(m *briefbot.Matter) []letter) func(*briefbot.Matter) []*briefbot.Dispatch {
	return func(m *briefbot.Matter) []*briefbot.Dispatch {
		return []*briefbot.Dispatch{b.letters(kind, m, "", make(m), receiptTS)}
	}
}

// letters makes the dispatch of letters about m; messages to its submitter are
// threaded under receiptTS when it is known. A letter about a matter goes only to
// those who may see it (Org.Allowed): whoever composed it, a restricted matter's
// title does not reach anyone off its list. Nil when there is nothing to send.
func (b *Bot) letters(kind briefbot.DispatchKind, m *briefbot.Matter, slot string, letters []letter, receiptTS string) *briefbot.Dispatch {
	org := &b.Directory().Org
	d := &briefbot.Dispatch{Kind: kind, Committee: m.Addressee, Matters: []uint64{m.ID}, SlotKey: slot}
	for _, l := range letters {
		if m.ID != 0 && !org.Allowed(l.to, briefbot.PermView, m) {
			continue
		}
		blocks, err := json.Marshal(l.msg.Blocks)
		if err != nil {
			b.log.Error("letters", "number", m.Number.String(), "err", err)
			return nil
		}
		p := briefbot.Part{Channel: "@" + string(l.to), Text: l.msg.Text, Blocks: blocks}
		if l.to == m.Submitter {
			p.ThreadTS = receiptTS
		}
		d.Parts = append(d.Parts, p)
	}
	if len(d.Parts) == 0 {
		return nil
	}
	return d
}

func receiptSlot(m *briefbot.Matter) string { return fmt.Sprintf("receipt/%d", m.ID) }

// submitNotes makes what a new submission causes besides its own record — the
// submitter's receipt and, for an urgent matter, the alert to its committee — so the
// store writes them in the same transaction as the matter.
func (b *Bot) submitNotes(v *view) func(m *briefbot.Matter) []*briefbot.Dispatch {
	return func(m *briefbot.Matter) []*briefbot.Dispatch {
		line := v.tr(msgReceipt, m.Kind.Label(v.lang), m.Number, m.Number.Doc()) + "\n" + Escape(oneLine(m.Title)) + "\n" + v.tr(msgReceiptStored, v.committee(m.Addressee))
		msg := Message{Text: v.tr(msgReceipt, m.Kind.Label(v.lang), m.Number, m.Number.Doc()), Blocks: []slack.Block{
			section(line),
			slack.NewActionBlock("", button(v.tr(msgButtonStatus), actionStatus, m.Number.String())),
		}}
		return []*briefbot.Dispatch{b.letters(briefbot.DispatchReceipt, m, receiptSlot(m), []letter{{v.me.ID, msg}}, ""), v.alert(m)}
	}
}
