package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

// Action IDs and callback of the instruction flow; the briefing's buttons use the same.
const (
	actionInstruct   = briefings.ActionInstruct // value: ledger number
	actionRead       = briefings.ActionRead     // value: ledger number
	callbackInstruct = "instruct"

	blockOnBehalf    = "on_behalf"
	blockInstrKind   = "instruction_kind"
	blockInstruction = "instruction"
	blockLead        = "lead"
	blockAssisting   = "assisting"
	blockDeadline    = "deadline"
)

// defaultHandlingDays is the handling deadline a referral gets by default, in working
// days, by urgency (DOMAIN.md: numbers like these are local; see Directory.Deadlines).
var defaultHandlingDays = map[briefbot.Urgency]int{
	briefbot.UrgencyExtraUrgent: 1, briefbot.UrgencyUrgent: 3, briefbot.UrgencyOrdinary: 10, "": 10,
}

// instructMeta is what the instruction modal carries in private_metadata.
type instructMeta struct {
	Number string                   `json:"n"`
	Kind   briefbot.InstructionKind `json:"k"`
}

// committeesOf returns the committees a matter is before: its addressee and copies.
func committeesOf(org *briefbot.Org, m *briefbot.Matter) []*briefbot.Committee {
	var cs []*briefbot.Committee
	for _, id := range append([]string{m.Addressee}, m.Copied...) {
		if c, ok := org.Committee(id); ok {
			cs = append(cs, c)
		}
	}
	return cs
}

// leadersFor lists who may instruct m: the leaders of its committees who may see it.
func leadersFor(org *briefbot.Org, m *briefbot.Matter) []briefbot.MemberID {
	var ls []briefbot.MemberID
	for _, c := range committeesOf(org, m) {
		for _, l := range c.Leaders {
			if !slices.Contains(ls, l) && org.Allowed(l, briefbot.PermInstruct, m) {
				ls = append(ls, l)
			}
		}
	}
	return ls
}

// role says how v.me may act on m's instruction: as one of its leaders, as a clerk of
// one of its committees (recording for a leader), or not at all.
func (v *view) role(m *briefbot.Matter) (leader, clerk bool) {
	org := &v.dir.Org
	return org.Allowed(v.me.ID, briefbot.PermInstruct, m), org.Allowed(v.me.ID, briefbot.PermRecordFor, m)
}

// lookupFor finds a matter v.me may see; anything else is "not found". Every time a
// restricted matter is opened this way, the audit log records who and when.
func (b *Bot) lookupFor(ctx context.Context, v *view, number string) (*briefbot.Matter, error) {
	m, err := b.store.Lookup(number)
	if err == nil && !v.dir.Org.Allowed(v.me.ID, briefbot.PermView, m) {
		err = briefbot.Errorf(briefbot.ENOTFOUND, "no_matter", briefbot.Text{ZH: tr(briefbot.LangZH, msgNoSuchMatter, m.Number), EN: tr(briefbot.LangEN, msgNoSuchMatter, m.Number)})
	}
	if err == nil && len(m.Restricted) > 0 {
		e := store.AuditEntry{Actor: v.me.ID, Action: "view_restricted", MatterID: m.ID, Number: m.Number.String()}
		if aerr := b.store.AppendAudit(ctx, e); aerr != nil {
			return nil, aerr // no record of the access, no access
		}
	}
	return m, err
}

// read handles 圈阅 from a briefing item or a card: one click records the leader's
// read-and-agreed. A clerk gets the form to record it for a leader.
func (b *Bot) read(ctx context.Context, v *view, number string, canOpenModal bool) Response {
	m, err := b.lookupFor(ctx, v, number)
	if err != nil {
		return reply(b.errorMessage(err, v.lang, "read"))
	}
	leader, clerk := v.role(m)
	switch {
	case leader:
		for _, in := range m.Instructions {
			if in.Leader == v.me.ID { // a double click, or read after instructing: once is enough
				return reply(textMessage(v.tr(msgAlreadyActed, m.Number, briefbot.Action(in.Kind).Label(v.lang))))
			}
		}
		_, err := b.store.Apply(ctx, m.ID, briefbot.Step{Action: briefbot.ActionRead, Actor: v.me.ID, At: v.now},
			store.Delivery{Notes: b.instructionNotes(v.dir, m)})
		if err != nil {
			return reply(b.errorMessage(err, v.lang, "read"))
		}
		(*b.kick.Load())()
		return reply(textMessage(v.tr(msgReadDone, m.Number)))
	case clerk && canOpenModal:
		modal := v.instructModal(m, briefbot.InstructionRead)
		return Response{Modal: &modal}
	}
	return reply(textMessage(v.tr(msgNotYourLeader, m.Number)))
}

// instruct opens the 批示 form for a leader, or for a clerk recording for one.
func (b *Bot) instruct(ctx context.Context, v *view, number string) Response {
	m, err := b.lookupFor(ctx, v, number)
	if err != nil {
		return reply(b.errorMessage(err, v.lang, "instruct"))
	}
	if leader, clerk := v.role(m); !leader && !clerk {
		return reply(textMessage(v.tr(msgNotYourLeader, m.Number)))
	}
	if _, ok := briefbot.NextFor(m.Kind, m.Status, briefbot.ActionInstruct); !ok {
		return reply(textMessage(briefbot.ErrorMessage(m.Clone().Apply(briefbot.Step{Action: briefbot.ActionInstruct, Actor: v.me.ID, At: v.now, Text: "-"}), v.lang)))
	}
	modal := v.instructModal(m, briefbot.InstructionWritten)
	return Response{Modal: &modal}
}

// instructModal is the form for an instruction (or a read recorded by a clerk), with
// the optional referral: lead unit, assisting units, deadline.
func (v *view) instructModal(m *briefbot.Matter, kind briefbot.InstructionKind) slack.ModalViewRequest {
	org := &v.dir.Org
	meta, _ := json.Marshal(instructMeta{Number: m.Number.String(), Kind: kind})
	opt := func(value, label string) *slack.OptionBlockObject {
		return slack.NewOptionBlockObject(value, plain(cut(label, maxOptionText, "…")), nil)
	}
	blocks := []slack.Block{section(fmt.Sprintf("*%s* %s\n%s · %s", m.Number, Escape(cut(oneLine(m.Title), 200, "…")), Escape(v.dept(m.Department)), v.kindLabel(m)))}
	input := func(id string, label text, el slack.BlockElement, optional bool) {
		b := slack.NewInputBlock(id, plain(v.tr(label)), nil, el)
		b.Optional = optional
		blocks = append(blocks, b)
	}
	if leader, _ := v.role(m); !leader {
		var ls []*slack.OptionBlockObject
		for _, l := range leadersFor(org, m) {
			ls = append(ls, opt(string(l), v.member(l)))
		}
		if len(ls) == 0 {
			ls = append(ls, opt("-", v.tr(msgNone)))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, blockOnBehalf, ls...)
		if len(ls) == 1 {
			sel.InitialOption = ls[0]
		}
		input(blockOnBehalf, msgFieldOnBehalf, sel, false)
	}
	if kind == briefbot.InstructionWritten {
		text := slack.NewPlainTextInputBlockElement(nil, blockInstruction)
		text.Multiline, text.MaxLength = true, 3000
		input(blockInstruction, msgFieldInstruction, text, false)
		var depts []*slack.OptionBlockObject
		for _, d := range org.Departments[:min(len(org.Departments), maxOptions)] {
			depts = append(depts, opt(d.ID, d.Name))
		}
		input(blockLead, msgFieldLead, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, blockLead, depts...), true)
		input(blockAssisting, msgFieldAssisting, slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, blockAssisting, depts...), true)
		dp := slack.NewDatePickerBlockElement(blockDeadline)
		dp.InitialDate = v.defaultDeadline(m).In(v.loc).Format("2006-01-02")
		input(blockDeadline, msgFieldDeadline, dp, true)
	}
	title := msgInstructTitle
	if kind == briefbot.InstructionRead {
		title = msgReadTitle
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: callbackInstruct, Title: plain(v.tr(title)),
		Submit: plain(v.tr(msgModalSubmit)), Close: plain(v.tr(msgModalClose)), PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: blocks}}
}

// defaultDeadline is the handling deadline a referral of m gets unless changed: the
// configured number of working days for its urgency, at the end of that day.
func (v *view) defaultDeadline(m *briefbot.Matter) time.Time {
	days := defaultHandlingDays[m.Urgency]
	if n, ok := v.dir.Deadlines[m.Urgency]; ok {
		days = n
	}
	d := v.now.In(v.loc).AddDate(0, 0, days)
	if v.dir.AddWorkingDays != nil {
		d = v.dir.AddWorkingDays(v.now.In(v.loc), days)
	}
	y, mo, day := d.Date()
	return time.Date(y, mo, day, 18, 0, 0, 0, v.loc)
}

// submitInstruction records the instruction (or read) from the form and, if a lead unit
// was chosen, the referral; then tells the department. A repeated submission of the
// same view records nothing more.
func (b *Bot) submitInstruction(ctx context.Context, v *view, s Submission) SubmissionResult {
	var meta instructMeta
	_ = json.Unmarshal([]byte(s.PrivateMetadata), &meta)
	key := ""
	if s.ViewID != "" {
		key = "view:" + s.ViewID
		if seen, _ := b.store.Seen(key); seen { // Slack repeating a submission already recorded
			return SubmissionResult{}
		}
	}
	m, err := b.lookupFor(ctx, v, meta.Number)
	if err != nil {
		return SubmissionResult{Errors: map[string]string{firstBlock(meta.Kind): briefbot.ErrorMessage(err, v.lang)}}
	}
	get := func(id string) slack.BlockAction { return s.Values[id][id] }
	leader, clerk := v.role(m)
	step := briefbot.Step{Action: briefbot.ActionInstruct, Actor: v.me.ID, At: v.now, Text: strings.TrimSpace(get(blockInstruction).Value)}
	if meta.Kind == briefbot.InstructionRead {
		step.Action = briefbot.ActionRead
	}
	errs := map[string]string{}
	if !leader {
		who := briefbot.MemberID(get(blockOnBehalf).SelectedOption.Value)
		if !clerk || !slices.Contains(leadersFor(&v.dir.Org, m), who) {
			return SubmissionResult{Errors: map[string]string{blockOnBehalf: v.tr(msgNotYourLeader, m.Number)}}
		}
		step.OnBehalfOf = who
	}
	if meta.Kind != briefbot.InstructionRead && step.Text == "" {
		errs[blockInstruction] = v.tr(msgFieldRequired)
	}
	if briefbot.HasClassificationMarking(step.Text) {
		errs[blockInstruction] = briefbot.ErrorMessage(briefbot.CheckStorable(&briefbot.Matter{Kind: briefbot.KindReport, Body: step.Text}), v.lang)
	}
	lead := get(blockLead).SelectedOption.Value
	var refer *briefbot.Step
	if lead != "" {
		deadline := v.defaultDeadline(m)
		if ds := get(blockDeadline).SelectedDate; ds != "" {
			t, err := time.ParseInLocation("2006-01-02", ds, v.loc)
			if err != nil {
				errs[blockDeadline] = v.tr(msgDMBadDate)
			}
			deadline = t.Add(18 * time.Hour)
		}
		var assisting []string
		for _, o := range get(blockAssisting).SelectedOptions {
			assisting = append(assisting, o.Value)
		}
		refer = &briefbot.Step{Action: briefbot.ActionRefer, Actor: v.me.ID, At: v.now, Lead: lead, Assisting: assisting, Deadline: deadline}
		// Check the referral against the matter as it will stand after the instruction.
		after := m.Clone()
		if err := after.Apply(step); err == nil {
			if err := after.Apply(*refer); err != nil {
				field := blockLead
				if briefbot.ErrorReason(err) == "bad_deadline" {
					field = blockDeadline
				}
				errs[field] = briefbot.ErrorMessage(err, v.lang)
			}
		}
	}
	if len(errs) > 0 {
		return SubmissionResult{Errors: errs}
	}
	steps := []briefbot.Step{step}
	if refer != nil {
		steps = append(steps, *refer)
	}
	// The instruction, its referral and the department's notice: one change.
	r, err := b.store.ApplyAll(ctx, m.ID, steps, store.Delivery{Key: key, Notes: b.instructionNotes(v.dir, m)})
	if err != nil {
		return SubmissionResult{Errors: map[string]string{firstBlock(meta.Kind): b.errorMessage(err, v.lang, "instruct").Text}}
	}
	if !r.Duplicate {
		(*b.kick.Load())()
	}
	return SubmissionResult{}
}

func firstBlock(k briefbot.InstructionKind) string {
	if k == briefbot.InstructionRead {
		return blockOnBehalf
	}
	return blockInstruction
}

func lastInstruction(m *briefbot.Matter) briefbot.Instruction {
	return m.Instructions[len(m.Instructions)-1]
}

// instructionLetters tell the instruction verbatim, with the referral and its deadline,
// to the submitter and the department's principal (向谁请示向谁答复).
func (b *Bot) instructionLetters(dir *Directory, m *briefbot.Matter, in briefbot.Instruction) []letter {
	to := []briefbot.MemberID{m.Submitter}
	if d, ok := dir.Org.Department(m.Department); ok && d.Principal != m.Submitter {
		to = append(to, d.Principal)
	}
	var letters []letter
	for _, id := range to {
		member, ok := dir.Org.Member(id)
		if !ok {
			continue
		}
		v := &view{me: member, dir: dir, lang: dir.lang(member), now: b.now(), loc: b.loc}
		who := v.member(in.Leader)
		if in.RecordedBy != "" {
			who += "（" + v.tr(msgCardOnBehalf, v.member(in.RecordedBy)) + "）"
		}
		line := v.tr(msgInstructedHead, m.Number, Escape(cut(oneLine(m.Title), 200, "…")), Escape(who), briefbot.Action(in.Kind).Label(v.lang))
		if in.Text != "" {
			line += "\n> " + Escape(in.Text)
		}
		if a := m.Assignment; a != nil {
			line += "\n" + Escape(v.tr(msgCardAssignment, v.dept(a.Lead), v.depts(a.Assisting), v.date(a.Deadline)))
		}
		msg := Message{Text: v.tr(msgInstructedHead, m.Number, Escape(cut(oneLine(m.Title), 200, "…")), Escape(who), briefbot.Action(in.Kind).Label(v.lang)),
			Blocks: []slack.Block{section(line), slack.NewActionBlock("", append([]slack.BlockElement{button(v.tr(msgButtonStatus), actionStatus, m.Number.String())}, v.followButtons(m)...)...)}}
		letters = append(letters, letter{id, msg})
	}
	return letters
}

// instructionNotes tells the department of the instruction (or read) a change records,
// in the change's own transaction.
func (b *Bot) instructionNotes(dir *Directory, before *briefbot.Matter) func(*briefbot.Matter) []*briefbot.Dispatch {
	return b.notes(briefbot.DispatchNotice, b.receiptTS(before), func(m *briefbot.Matter) []letter {
		return b.instructionLetters(dir, m, lastInstruction(m))
	})
}

// followButtons are the department's buttons on an instruction notice: reporting on
// the assignment, when there is one.
func (v *view) followButtons(m *briefbot.Matter) []slack.BlockElement {
	if m.Status != briefbot.StatusReferred && m.Status != briefbot.StatusInProgress {
		return nil
	}
	return v.reportButtons(m)
}
