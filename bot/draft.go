package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot"
)

// saveDraft keeps a member's draft, checked (CheckDraft) against the intake rules as a
// submission would be (bar who submits), and asks the department's heads to review
// and submit it.
func (b *Bot) saveDraft(ctx context.Context, v *view, m *briefbot.Matter, d briefbot.Delivery) SubmissionResult {
	if _, err := b.ledger.SaveDraft(ctx, m, v.rules.Draft(m), d); err != nil {
		return SubmissionResult{Errors: map[string]string{briefbot.FieldTitle: b.errorText(err, v.Lang, "draft")}}
	}
	return SubmissionResult{}
}

// submitDraft lets a head submit a member's draft: it gets its ledger number, the head
// becomes its submitter, and the receipt (and any alert) follows as for any submission.
func (b *Bot) submitDraft(ctx context.Context, v *view, value string) Response {
	id, err := strconv.ParseUint(strings.TrimPrefix(value, "draft:"), 10, 64)
	if err != nil {
		return say(v.T(msgNothingFound))
	}
	r, err := b.take(ctx, v, briefbot.RefID(id), "", v.step(briefbot.ActionSubmit))
	switch {
	case briefbot.ErrorReason(err) == briefbot.ReasonIllegalTransition:
		if m, err := b.ledger.Matter(ctx, briefbot.RefID(id)); err == nil && v.visible(m) {
			return say(v.T(msgDraftDone, m.Number))
		}
		return say(v.T(msgNothingFound))
	case err != nil:
		return b.errorReply(err, v, "submit draft")
	}
	m := r.Matter
	return say(v.T(msgDraftSubmitted, m.Number, m.Number.Doc()))
}
