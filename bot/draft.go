package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

// actionSubmitDraft submits a member's draft; value "draft:<id>".
const actionSubmitDraft = "submit_draft"

// saveDraft keeps a member's draft, checked against the intake rules as a submission
// would be (bar who submits), and asks the department's heads to review and submit it.
func (b *Bot) saveDraft(ctx context.Context, v *view, m *briefbot.Matter, viewID string) SubmissionResult {
	if !v.dir.Intake.MemberDrafts || !v.dir.Org.Allowed(v.me.ID, briefbot.PermDraft, m) {
		return SubmissionResult{Errors: map[string]string{briefbot.FieldDepartment: v.tr(msgNotHead)}}
	}
	v.defaultAnswerBy(m)
	if err := briefbot.CheckIntake(m, &v.dir.Org, v.dir.Intake, v.now); err != nil {
		return SubmissionResult{Errors: fieldErrors(err, v.lang)}
	}
	key := ""
	if viewID != "" {
		key = "view:" + viewID
	}
	notes := func(d *briefbot.Matter) []*briefbot.Dispatch {
		var letters []letter
		if dept, ok := v.dir.Org.Department(d.Department); ok {
			for _, id := range append([]briefbot.MemberID{dept.Principal}, dept.Heads...) {
				member, ok := v.dir.Org.Member(id)
				if !ok {
					continue
				}
				hv := &view{me: member, dir: v.dir, lang: v.dir.lang(member), now: v.now, loc: v.loc}
				line := hv.tr(msgDraftForYou, Escape(v.me.Name), d.Kind.Label(hv.lang), Escape(cut(oneLine(d.Title), 200, "…")))
				letters = append(letters, letter{id, Message{Text: line, Blocks: []slack.Block{
					section(line), slack.NewActionBlock("", button(hv.tr(msgButtonSubmitDraft), actionSubmitDraft, fmt.Sprintf("draft:%d", d.ID)))}}})
			}
		}
		return []*briefbot.Dispatch{b.letters(briefbot.DispatchNotice, d, fmt.Sprintf("draft/%d", d.ID), letters, "")}
	}
	res, err := b.store.SaveDraft(ctx, m, store.Delivery{Key: key, Notes: notes})
	if err != nil {
		return SubmissionResult{Errors: map[string]string{briefbot.FieldTitle: b.errorMessage(err, v.lang, "draft").Text}}
	}
	if !res.Duplicate {
		(*b.kick.Load())()
	}
	return SubmissionResult{}
}

// submitDraft lets a head submit a member's draft: it gets its ledger number, the head
// becomes its submitter, and the receipt (and any alert) follows as for any submission.
func (b *Bot) submitDraft(ctx context.Context, v *view, value string) Message {
	id, err := strconv.ParseUint(strings.TrimPrefix(value, "draft:"), 10, 64)
	if err != nil {
		return textMessage(v.tr(msgNothingFound))
	}
	m, err := b.store.Get(id)
	if err != nil || !v.dir.Org.Allowed(v.me.ID, briefbot.PermView, m) {
		return textMessage(v.tr(msgNothingFound))
	}
	if !v.dir.Org.Allowed(v.me.ID, briefbot.PermSubmit, m) {
		return textMessage(v.tr(msgNotHead))
	}
	if m.Status != briefbot.StatusDraft {
		return textMessage(v.tr(msgDraftDone, m.Number))
	}
	r, err := b.store.Apply(ctx, id, briefbot.Step{Action: briefbot.ActionSubmit, Actor: v.me.ID, At: v.now}, store.Delivery{Notes: b.submitNotes(v)})
	if err != nil {
		return b.errorMessage(err, v.lang, "submit draft")
	}
	(*b.kick.Load())()
	return textMessage(v.tr(msgReceipt, r.Matter.Kind.Label(v.lang), r.Matter.Number, r.Matter.Number.Doc()))
}
