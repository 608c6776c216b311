package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/briefbot/briefbot"
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
	if len(letters) == 0 {
		return
	}
	receiptTS := ""
	if kind != briefbot.DispatchReceipt {
		if r, err := b.store.DispatchBySlot(receiptSlot(m)); err == nil && len(r.Parts) > 0 {
			receiptTS = r.Parts[0].TS
		}
	}
	d := &briefbot.Dispatch{Kind: kind, Committee: m.Addressee, Matters: []uint64{m.ID}, SlotKey: slot}
	for _, l := range letters {
		blocks, err := json.Marshal(l.msg.Blocks)
		if err != nil {
			b.log.Error("tell", "number", m.Number.String(), "err", err)
			return
		}
		p := briefbot.Part{Channel: "@" + string(l.to), Text: l.msg.Text, Blocks: blocks}
		if l.to == m.Submitter {
			p.ThreadTS = receiptTS
		}
		d.Parts = append(d.Parts, p)
	}
	if _, _, err := b.store.CreateDispatch(ctx, d); err != nil {
		b.log.Error("tell", "number", m.Number.String(), "kind", string(kind), "err", err)
		return
	}
	(*b.kick.Load())()
}

func receiptSlot(m *briefbot.Matter) string { return fmt.Sprintf("receipt/%d", m.ID) }
