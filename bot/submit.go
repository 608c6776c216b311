package bot

import (
	"context"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/notices"
)

// submitNew stores a checked submission the way its sign-off goes (Rules.SignOff): at
// once, signed by the one submitting (the principal or a delegate) or marked 未签发
// (urgent, the principal asked at once) or with sign-off switched off; or waiting,
// unnumbered, for the principal. asked says it waits. Its receipt, alert and sign-off
// request go into the outbox with it.
func (b *Bot) submitNew(ctx context.Context, v *view, m *briefbot.Matter, d briefbot.Delivery) (res briefbot.Result, asked bool, err error) {
	started := time.Now()
	if v.rules.SignOff(v.me.ID, m, v.Now) == briefbot.AskSignOff {
		res, err = b.ledger.AskSignOff(ctx, m, v.rules.SignOffRequest(m), d)
		b.metrics.Intake(string(m.Kind), "sign_off", started)
		return res, true, err
	}
	res, err = b.ledger.Submit(ctx, m, v.rules.Submission(m), d)
	b.metrics.Intake(string(m.Kind), outcome(res, err), started)
	return res, false, err
}

// askedSignOff is what the submitter is told when their matter waits for sign-off.
func (v *view) askedSignOff(m *briefbot.Matter) string {
	var names []string
	for _, id := range v.rules.Signatories(m, v.Now) {
		names = append(names, v.Member(id))
	}
	return v.T(msgAskedSignOff, notices.Title(m), v.Join(names))
}
