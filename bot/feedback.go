package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/notices"
)

// The follow-through: the assigned department reports (落实反馈, 延期, 办结) from the
// instruction notice; the committee's clerks decide (同意/不同意延期, 销号, 退办).
const (
	callbackStep = "step" // the form of a follow-through step
	blockText    = "text"
	blockNewDate = "new_deadline"
)

// followSteps are the steps the follow-through form takes.
var followSteps = []briefbot.Action{
	briefbot.ActionProgress, briefbot.ActionRequestExtension, briefbot.ActionComplete,
	briefbot.ActionGrantExtension, briefbot.ActionDeclineExtension, briefbot.ActionClose, briefbot.ActionSendBack,
	briefbot.ActionSign, briefbot.ActionRevise,
}

// stepMeta is what a step form carries in private_metadata: which form was opened.
// The step is authorised again when it is taken, whatever the metadata says.
type stepMeta struct {
	Number string          `json:"n"`
	Action briefbot.Action `json:"a"`
}

// followThrough handles a follow-through button: one click for a grant or a close-out,
// a form for anything that needs words (or a date).
func (b *Bot) followThrough(ctx context.Context, v *view, a briefbot.Action, number string, canOpenModal bool, key string) Response {
	m, err := b.lookup(ctx, v, number)
	if err != nil {
		return b.errorReply(err, v, "follow-through")
	}
	if err := v.rules.Check(v.me.ID, m, a, v.Now); err != nil {
		return b.errorReply(err, v, "follow-through")
	}
	if a == briefbot.ActionGrantExtension || a == briefbot.ActionClose || a == briefbot.ActionSign {
		steps := []briefbot.Step{v.step(a)}
		res, err := b.take(ctx, v, briefbot.RefOf(m), key, steps...)
		if err != nil {
			return b.errorReply(err, v, "follow-through")
		}
		return say(v.confirm(res, steps))
	}
	if !canOpenModal {
		return say(v.T(msgNeedsForm, a.Label(v.Lang), m.Number))
	}
	modal := v.stepModal(m, a)
	return Response{Modal: &modal}
}

// stepModal is the form of a follow-through step that needs text.
func (v *view) stepModal(m *briefbot.Matter, a briefbot.Action) slack.ModalViewRequest {
	meta, _ := json.Marshal(stepMeta{Number: notices.Value(m), Action: a})
	blocks := []slack.Block{slack.NewSectionBlock(mrkdwn(fmt.Sprintf("*%s* %s", briefbot.RefOf(m), notices.Title(m))), nil, nil)}
	if as := m.Assignment; as != nil {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(v.Assignment(as))))
	}
	label := map[briefbot.Action]text{briefbot.ActionProgress: msgFieldProgress, briefbot.ActionComplete: msgFieldCompletion}[a]
	if label == (text{}) {
		label = msgFieldReason
	}
	blocks = append(blocks, slack.NewInputBlock(blockText, plain(v.T(label)), nil, textInput(blockText, true, blockkit.MaxInputLength)))
	if a == briefbot.ActionRequestExtension && m.Assignment != nil {
		next := v.rules.AddWorkingDays(m.Assignment.Deadline, 5)
		blocks = append(blocks, slack.NewInputBlock(blockNewDate, plain(v.T(msgFieldNewDeadline)), nil, v.datePicker(blockNewDate, next)))
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: callbackStep, Title: plain(blockkit.Cut(a.Label(v.Lang), blockkit.MaxViewTitle, "…")),
		Submit: plain(v.T(msgModalSubmit)), Close: plain(v.T(msgModalClose)), PrivateMetadata: string(meta), Blocks: slack.Blocks{BlockSet: blocks}}
}

// submitStep takes a follow-through step from its form; those concerned are told by
// the change's notices.
func (b *Bot) submitStep(ctx context.Context, v *view, s Submission) SubmissionResult {
	var meta stepMeta
	_ = json.Unmarshal([]byte(s.PrivateMetadata), &meta)
	ref, err := briefbot.ParseRef(meta.Number)
	if err != nil || !slices.Contains(followSteps, meta.Action) {
		return SubmissionResult{Errors: map[string]string{blockText: v.T(msgNothingFound)}}
	}
	f := &formValues{v: v, values: s.Values, problems: map[string]string{}}
	step := v.step(meta.Action)
	step.Text = f.str(blockText)
	step.Reason = step.Text
	if meta.Action == briefbot.ActionRequestExtension {
		if step.Deadline = f.date(blockNewDate, true); step.Deadline.IsZero() && len(f.problems) == 0 {
			f.problems[blockNewDate] = v.T(msgDMBadDate)
		}
	}
	if len(f.problems) > 0 {
		return SubmissionResult{Errors: f.problems}
	}
	res, err := b.take(ctx, v, ref, viewKey(s.ViewID), step)
	if err != nil {
		return SubmissionResult{Errors: b.formErrors(err, v, "follow-through", blockText, map[string]string{
			briefbot.FieldText: blockText, briefbot.FieldDeadline: blockNewDate})}
	}
	return confirmed(v, res, []briefbot.Step{step})
}
