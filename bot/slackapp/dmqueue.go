package slackapp

import (
	"context"
	"strings"

	"github.com/briefbot/briefbot/blockkit"
)

// dmLater queues msg for user's direct messages and returns the work that posts it
// after the ack, or nil when that work is already under way for user (it takes msg
// too). The messages waiting for one user when a post goes out go as one message (as
// many blocks as one message holds): a user who submits forms faster than Slack lets
// the bot post to one channel (about one message a second) gets their confirmations
// together, and the bot holds one waiting post per user rather than one per form.
func (a *App) dmLater(user string, msg blockkit.Message) func(context.Context) {
	a.dmMu.Lock()
	defer a.dmMu.Unlock()
	if a.pendingDM == nil {
		a.pendingDM = map[string][]blockkit.Message{}
	}
	_, running := a.pendingDM[user]
	a.pendingDM[user] = append(a.pendingDM[user], msg)
	if running {
		return nil
	}
	return func(ctx context.Context) {
		for {
			m, ok := a.nextDM(user)
			if !ok {
				return
			}
			a.reply(ctx, "", user, m)
		}
	}
}

// nextDM takes the messages waiting for user that fit in one message, merged; false
// (and user's queue gone) when none wait.
func (a *App) nextDM(user string) (blockkit.Message, bool) {
	a.dmMu.Lock()
	defer a.dmMu.Unlock()
	q := a.pendingDM[user]
	if len(q) == 0 {
		delete(a.pendingDM, user)
		return blockkit.Message{}, false
	}
	out, texts, n := blockkit.Message{}, []string{}, 0
	for n < len(q) && (n == 0 || len(out.Blocks)+len(q[n].Blocks) <= blockkit.MaxMessageBlocks) {
		out.Blocks = append(out.Blocks, q[n].Blocks...)
		texts = append(texts, q[n].Text)
		n++
	}
	out.Text = blockkit.Cut(strings.Join(texts, "\n"), blockkit.MaxMessageText, "…")
	a.pendingDM[user] = q[n:]
	return out, true
}
