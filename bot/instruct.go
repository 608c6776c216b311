package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/notices"
)

// Callback and blocks of the instruction form.
const (
	callbackInstruct = "instruct"

	blockOnBehalf    = "on_behalf"
	blockInstruction = "instruction"
	blockLead        = "lead"
	blockAssisting   = "assisting"
	blockDeadline    = "deadline"
)

// instructMeta is what the instruction modal carries in private_metadata. It says
// which form was opened, nothing more: who may do what is decided again when the step
// is taken, whatever a crafted submission says here.
type instructMeta struct {
	Number string                   `json:"n"`
	Kind   briefbot.InstructionKind `json:"k"`
}

// instructButton handles 批示 and 圈阅 from a briefing item, an alert or a card: a
// leader's 圈阅 is one click; a 批示 opens its form; a clerk gets the form to record
// for a leader (代录).
func (b *Bot) instructButton(ctx context.Context, v *view, a briefbot.Action, number string, canOpenModal bool, key string) Response {
	m, err := b.lookup(ctx, v, number)
	if err != nil {
		return b.errorReply(err, v, string(a))
	}
	kind := briefbot.InstructionWritten
	if a == briefbot.ActionRead {
		kind = briefbot.InstructionRead
	}
	leader := v.rules.Can(v.me.ID, m, a, v.Now)
	switch {
	case leader && a == briefbot.ActionRead:
		if _, err := b.take(ctx, v, briefbot.RefOf(m), key, v.step(a)); err != nil {
			return b.errorReply(err, v, "read")
		}
		return say(v.T(msgReadDone, m.Number))
	case canOpenModal && (leader || len(v.rules.CanRecordFor(v.me.ID, m, a)) > 0):
		modal := v.instructModal(m, kind)
		return Response{Modal: &modal}
	}
	if err := v.rules.Check(v.me.ID, m, a, v.Now); err != nil {
		return b.errorReply(err, v, string(a))
	}
	return say(v.T(msgNeedsForm, a.Label(v.Lang), m.Number))
}

// instructModal is the form for an instruction (or a read recorded by a clerk), with
// the optional referral: lead unit, assisting units, deadline.
func (v *view) instructModal(m *briefbot.Matter, kind briefbot.InstructionKind) slack.ModalViewRequest {
	meta, _ := json.Marshal(instructMeta{Number: m.Number.String(), Kind: kind})
	f := &form{v: v}
	f.blocks = append(f.blocks, slack.NewSectionBlock(mrkdwn(fmt.Sprintf("*%s* %s\n%s · %s", m.Number, notices.Title(m), blockkit.Escape(v.Dept(m.Department)), v.KindLabel(m))), nil, nil))
	input := func(id string, label text, el slack.BlockElement, optional bool) {
		b := slack.NewInputBlock(id, plain(v.T(label)), nil, el)
		b.Optional = optional
		f.blocks = append(f.blocks, b)
	}
	if !v.rules.Can(v.me.ID, m, kind.Action(), v.Now) { // a clerk: for which leader
		var ls []*slack.OptionBlockObject
		for _, l := range v.rules.CanRecordFor(v.me.ID, m, kind.Action()) {
			ls = append(ls, option(string(l), v.Member(l)))
		}
		if len(ls) == 0 {
			ls = append(ls, option("-", v.None()))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, blockOnBehalf, ls...)
		if len(ls) == 1 {
			sel.InitialOption = ls[0]
		}
		input(blockOnBehalf, msgFieldOnBehalf, sel, false)
	}
	if kind == briefbot.InstructionWritten {
		input(blockInstruction, msgFieldInstruction, textInput(blockInstruction, true, blockkit.MaxInputLength), false)
		var depts []*slack.OptionBlockObject
		for _, d := range v.rules.Org.Departments[:min(len(v.rules.Org.Departments), blockkit.MaxOptions)] {
			depts = append(depts, option(string(d.ID), v.Dept(d.ID)))
		}
		input(blockLead, msgFieldLead, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, blockLead, depts...), true)
		input(blockAssisting, msgFieldAssisting, slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, blockAssisting, depts...), true)
		input(blockDeadline, msgFieldDeadline, v.datePicker(blockDeadline, v.rules.HandlingDeadline(m, v.Now)), true)
	}
	title := msgInstructTitle
	if kind == briefbot.InstructionRead {
		title = msgReadTitle
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: callbackInstruct, Title: plain(v.T(title)),
		Submit: plain(v.T(msgModalSubmit)), Close: plain(v.T(msgModalClose)), PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: f.blocks}}
}

// submitInstruction records the instruction (or read) from the form and, if a lead unit
// was chosen, the referral, as one change; the department is told by the change's
// notices. A repeated submission of the same view records nothing more.
func (b *Bot) submitInstruction(ctx context.Context, v *view, s Submission) SubmissionResult {
	var meta instructMeta
	_ = json.Unmarshal([]byte(s.PrivateMetadata), &meta)
	first := blockInstruction
	if _, ok := s.Values[blockOnBehalf]; ok || meta.Kind == briefbot.InstructionRead {
		first = blockOnBehalf
	}
	n, err := briefbot.ParseNumber(meta.Number)
	if err != nil {
		return SubmissionResult{Errors: map[string]string{first: briefbot.ErrorMessage(err, v.Lang)}}
	}
	f := &formValues{v: v, values: s.Values, problems: map[string]string{}}
	step := v.step(meta.Kind.Action())
	step.Text = f.str(blockInstruction)
	step.OnBehalfOf = briefbot.MemberID(f.sel(blockOnBehalf))
	steps := []briefbot.Step{step}
	if lead := f.sel(blockLead); lead != "" && step.Action == briefbot.ActionInstruct {
		refer := v.step(briefbot.ActionRefer)
		refer.OnBehalfOf, refer.Lead = step.OnBehalfOf, briefbot.DepartmentID(lead)
		for _, d := range f.multi(blockAssisting) {
			refer.Assisting = append(refer.Assisting, briefbot.DepartmentID(d))
		}
		refer.Deadline = f.date(blockDeadline, true)
		steps = append(steps, refer)
	}
	if len(f.problems) > 0 {
		return SubmissionResult{Errors: f.problems}
	}
	// The instruction, its referral and the department's notice: one change.
	res, err := b.take(ctx, v, briefbot.RefNumber(n), viewKey(s.ViewID), steps...)
	if err != nil {
		return SubmissionResult{Errors: b.formErrors(err, v, "instruct", first, map[string]string{
			briefbot.FieldText: blockInstruction, briefbot.FieldLead: blockLead, briefbot.FieldDeadline: blockDeadline})}
	}
	return confirmed(v, res, steps)
}

// formErrors maps a refusal onto a form's blocks: each field problem onto the block
// showing that field (blocks maps fields to blocks), anything else onto first.
func (b *Bot) formErrors(err error, v *view, op, first string, blocks map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range briefbot.ErrorFields(err) {
		if id, ok := blocks[f.Field]; ok && (id != blockInstruction || first == blockInstruction) {
			out[id] = f.Msg.In(v.Lang)
		}
	}
	if len(out) == 0 {
		out[first] = b.errorText(err, v.Lang, op)
	}
	return out
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, blockkit.Cut(s, blockkit.MaxSectionText, "…"), false, false)
}
