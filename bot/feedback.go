package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

// The follow-through: the assigned department reports (落实反馈, 延期, 办结) from the
// instruction notice; the committee's clerks decide (同意/不同意延期, 销号, 退办).
const (
	actionProgress  = "fb_progress"  // value: ledger number
	actionExtension = "fb_extension" // value: ledger number
	actionComplete  = "fb_complete"  // value: ledger number
	actionGrant     = "ext_grant"    // value: ledger number
	actionDecline   = "ext_decline"  // value: ledger number
	actionCloseOut  = "close_out"    // value: ledger number
	actionSendBack  = "send_back"    // value: ledger number

	callbackStep = "step" // the form of a follow-through step
	blockText    = "text"
	blockNewDate = "new_deadline"
)

// stepMeta is what a step form carries in private_metadata.
type stepMeta struct {
	Number string          `json:"n"`
	Action briefbot.Action `json:"a"`
}

// stepActions maps the buttons to the state machine's actions.
var stepActions = map[string]briefbot.Action{
	actionProgress: briefbot.ActionProgress, actionExtension: briefbot.ActionRequestExtension, actionComplete: briefbot.ActionComplete,
	actionGrant: briefbot.ActionGrantExtension, actionDecline: briefbot.ActionDeclineExtension,
	actionCloseOut: briefbot.ActionClose, actionSendBack: briefbot.ActionSendBack,
}

// departmentSide reports whether a is reported by the handling department (else it
// is decided by the committee's clerks).
func departmentSide(a briefbot.Action) bool {
	return a == briefbot.ActionProgress || a == briefbot.ActionRequestExtension || a == briefbot.ActionComplete
}

// mayTake says whether v.me may take a on m, and for which department they report.
func (v *view) mayTake(m *briefbot.Matter, a briefbot.Action) (string, bool) {
	org := &v.dir.Org
	if departmentSide(a) {
		if !org.Allowed(v.me.ID, briefbot.PermReport, m) {
			return "", false
		}
		units := []string{m.Assignment.Lead}
		if a == briefbot.ActionProgress { // assisting units report progress too
			units = append(units, m.Assignment.Assisting...)
		}
		for _, u := range units {
			if d, ok := org.Department(u); ok && d.IsHead(v.me.ID) {
				return u, true
			}
		}
		return "", false
	}
	clerk := org.Allowed(v.me.ID, briefbot.PermDecide, m)
	if (a == briefbot.ActionGrantExtension || a == briefbot.ActionDeclineExtension) && v.dir.LeadersDecideExtensions {
		return "", clerk || (slices.Contains(instructingLeaders(m), v.me.ID) && org.Allowed(v.me.ID, briefbot.PermInstruct, m))
	}
	return "", clerk
}

// instructingLeaders are the leaders who wrote instructions on m.
func instructingLeaders(m *briefbot.Matter) []briefbot.MemberID {
	var ls []briefbot.MemberID
	for _, in := range m.Instructions {
		if in.Kind == briefbot.InstructionWritten && !slices.Contains(ls, in.Leader) {
			ls = append(ls, in.Leader)
		}
	}
	return ls
}

// followThrough handles a follow-through button: one click for a grant or a close-out,
// a form for anything that needs words (or a date).
func (b *Bot) followThrough(ctx context.Context, v *view, actionID, number string, canOpenModal bool) Response {
	a := stepActions[actionID]
	m, err := b.lookupFor(ctx, v, number)
	if err != nil {
		return reply(b.errorMessage(err, v.lang, "follow-through"))
	}
	if _, ok := v.mayTake(m, a); !ok {
		return reply(textMessage(v.tr(msgNotYourStep, m.Number, a.Label(v.lang))))
	}
	if _, ok := briefbot.NextFor(m.Kind, m.Status, a); !ok {
		return reply(textMessage(v.tr(msgNotNow, m.Number, m.Status.Label(v.lang), a.Label(v.lang))))
	}
	if a == briefbot.ActionGrantExtension || a == briefbot.ActionClose {
		if err := b.takeStep(ctx, v, m, briefbot.Step{Action: a, Actor: v.me.ID, At: v.now}, ""); err != nil {
			return reply(b.errorMessage(err, v.lang, "follow-through"))
		}
		return reply(textMessage(v.tr(msgStepDone, m.Number, a.Label(v.lang))))
	}
	if !canOpenModal {
		return reply(textMessage(v.tr(msgNotYourStep, m.Number, a.Label(v.lang))))
	}
	modal := v.stepModal(m, a)
	return Response{Modal: &modal}
}

// stepModal is the form of a follow-through step that needs text.
func (v *view) stepModal(m *briefbot.Matter, a briefbot.Action) slack.ModalViewRequest {
	meta, _ := json.Marshal(stepMeta{Number: m.Number.String(), Action: a})
	blocks := []slack.Block{section(fmt.Sprintf("*%s* %s", m.Number, Escape(cut(oneLine(m.Title), 200, "…"))))}
	if as := m.Assignment; as != nil {
		blocks = append(blocks, contextBlock(Escape(v.tr(msgCardAssignment, v.dept(as.Lead), v.depts(as.Assisting), v.date(as.Deadline)))))
	}
	label := msgFieldReason
	switch a {
	case briefbot.ActionProgress:
		label = msgFieldProgress
	case briefbot.ActionComplete:
		label = msgFieldCompletion
	}
	t := slack.NewPlainTextInputBlockElement(nil, blockText)
	t.Multiline, t.MaxLength = true, 3000
	blocks = append(blocks, slack.NewInputBlock(blockText, plain(v.tr(label)), nil, t))
	if a == briefbot.ActionRequestExtension && m.Assignment != nil {
		dp := slack.NewDatePickerBlockElement(blockNewDate)
		next := m.Assignment.Deadline.In(v.loc).AddDate(0, 0, 7)
		if v.dir.AddWorkingDays != nil {
			next = v.dir.AddWorkingDays(m.Assignment.Deadline.In(v.loc), 5)
		}
		dp.InitialDate = next.Format("2006-01-02")
		blocks = append(blocks, slack.NewInputBlock(blockNewDate, plain(v.tr(msgFieldNewDeadline)), nil, dp))
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: callbackStep, Title: plain(cut(a.Label(v.lang), maxViewTitle, "…")),
		Submit: plain(v.tr(msgModalSubmit)), Close: plain(v.tr(msgModalClose)), PrivateMetadata: string(meta), Blocks: slack.Blocks{BlockSet: blocks}}
}

// submitStep records a follow-through step from its form.
func (b *Bot) submitStep(ctx context.Context, v *view, s Submission) SubmissionResult {
	var meta stepMeta
	_ = json.Unmarshal([]byte(s.PrivateMetadata), &meta)
	key := ""
	if s.ViewID != "" {
		key = "view:" + s.ViewID
		if seen, _ := b.store.Seen(key); seen {
			return SubmissionResult{}
		}
	}
	m, err := b.lookupFor(ctx, v, meta.Number)
	if err != nil {
		return SubmissionResult{Errors: map[string]string{blockText: briefbot.ErrorMessage(err, v.lang)}}
	}
	dept, ok := v.mayTake(m, meta.Action)
	if !ok {
		return SubmissionResult{Errors: map[string]string{blockText: v.tr(msgNotYourStep, m.Number, meta.Action.Label(v.lang))}}
	}
	text := strings.TrimSpace(s.Values[blockText][blockText].Value)
	step := briefbot.Step{Action: meta.Action, Actor: v.me.ID, At: v.now, Department: dept, Text: text, Reason: text}
	if meta.Action == briefbot.ActionRequestExtension {
		ds := s.Values[blockNewDate][blockNewDate].SelectedDate
		t, err := time.ParseInLocation("2006-01-02", ds, v.loc)
		if err != nil {
			return SubmissionResult{Errors: map[string]string{blockNewDate: v.tr(msgDMBadDate)}}
		}
		step.Deadline = t.Add(18 * time.Hour)
	}
	if err := m.Clone().Apply(step); err != nil {
		field := blockText
		if briefbot.ErrorReason(err) == "bad_deadline" {
			field = blockNewDate
		}
		return SubmissionResult{Errors: map[string]string{field: briefbot.ErrorMessage(err, v.lang)}}
	}
	if err := b.takeStep(ctx, v, m, step, key); err != nil {
		return SubmissionResult{Errors: map[string]string{blockText: b.errorMessage(err, v.lang, "follow-through").Text}}
	}
	return SubmissionResult{}
}

// takeStep applies step and tells the other side: the department's reports go to the
// committee's clerks (with the buttons to decide), the clerks' decisions to the
// department. A repeated delivery tells no one again.
func (b *Bot) takeStep(ctx context.Context, v *view, m *briefbot.Matter, step briefbot.Step, key string) error {
	letters := func(m *briefbot.Matter) []letter { return b.departmentLetters(v.dir, m, step) }
	if departmentSide(step.Action) {
		letters = func(m *briefbot.Matter) []letter { return b.clerkLetters(v.dir, m, step) }
	}
	r, err := b.store.Apply(ctx, m.ID, step, store.Delivery{Key: key, Notes: b.notes(briefbot.DispatchNotice, b.receiptTS(m), letters)})
	if err == nil && !r.Duplicate {
		(*b.kick.Load())()
	}
	return err
}

// clerkLetters tell a department's report to the clerks of the matter's committee (an
// extension request to the instructing leaders instead, when they decide those).
func (b *Bot) clerkLetters(dir *Directory, m *briefbot.Matter, step briefbot.Step) []letter {
	c, ok := dir.Org.Committee(m.Addressee)
	if !ok {
		return nil
	}
	deciders := c.Clerks
	if step.Action == briefbot.ActionRequestExtension && dir.LeadersDecideExtensions {
		if ls := instructingLeaders(m); len(ls) > 0 {
			deciders = ls
		}
	}
	var letters []letter
	for _, id := range deciders {
		member, ok := dir.Org.Member(id)
		if !ok {
			continue
		}
		v := &view{me: member, dir: dir, lang: dir.lang(member), now: b.now(), loc: b.loc}
		line := v.tr(msgReported, m.Number, Escape(cut(oneLine(m.Title), 200, "…")), Escape(v.dept(step.Department)), step.Action.Label(v.lang)) +
			"\n> " + Escape(step.Text)
		if step.Action == briefbot.ActionRequestExtension {
			line += "\n" + v.tr(msgAskedUntil, v.date(step.Deadline))
		}
		buttons := []slack.BlockElement{button(v.tr(msgButtonStatus), actionStatus, m.Number.String())}
		switch step.Action {
		case briefbot.ActionRequestExtension:
			buttons = append(buttons, button(briefbot.ActionGrantExtension.Label(v.lang), actionGrant, m.Number.String()),
				button(briefbot.ActionDeclineExtension.Label(v.lang), actionDecline, m.Number.String()))
		case briefbot.ActionComplete:
			buttons = append(buttons, button(briefbot.ActionClose.Label(v.lang), actionCloseOut, m.Number.String()),
				button(briefbot.ActionSendBack.Label(v.lang), actionSendBack, m.Number.String()))
		}
		msg := Message{Text: v.tr(msgReported, m.Number, Escape(cut(oneLine(m.Title), 200, "…")), Escape(v.dept(step.Department)), step.Action.Label(v.lang)),
			Blocks: []slack.Block{section(line), slack.NewActionBlock("", buttons...)}}
		letters = append(letters, letter{id, msg})
	}
	return letters
}

// departmentLetters tell a clerk's decision to the submitter, the principal and the heads
// of the lead unit.
func (b *Bot) departmentLetters(dir *Directory, m *briefbot.Matter, step briefbot.Step) []letter {
	to := []briefbot.MemberID{m.Submitter}
	add := func(id briefbot.MemberID) {
		if id != "" && !slices.Contains(to, id) {
			to = append(to, id)
		}
	}
	if d, ok := dir.Org.Department(m.Department); ok {
		add(d.Principal)
	}
	if a := m.Assignment; a != nil {
		if d, ok := dir.Org.Department(a.Lead); ok {
			add(d.Principal)
			for _, h := range d.Heads {
				add(h)
			}
		}
	}
	var letters []letter
	for _, id := range to {
		member, ok := dir.Org.Member(id)
		if !ok {
			continue
		}
		v := &view{me: member, dir: dir, lang: dir.lang(member), now: b.now(), loc: b.loc}
		line := v.tr(msgDecided, m.Number, Escape(cut(oneLine(m.Title), 200, "…")), Escape(v.member(step.Actor)), step.Action.Label(v.lang), m.Status.Label(v.lang))
		if step.Reason != "" {
			line += "\n> " + Escape(step.Reason)
		}
		if a := m.Assignment; a != nil && step.Action == briefbot.ActionGrantExtension {
			line += "\n" + v.tr(msgNewDeadline, v.date(a.Deadline))
		}
		buttons := []slack.BlockElement{button(v.tr(msgButtonStatus), actionStatus, m.Number.String())}
		if m.Status == briefbot.StatusInProgress || m.Status == briefbot.StatusReferred {
			buttons = append(buttons, v.reportButtons(m)...)
		}
		msg := Message{Text: line, Blocks: []slack.Block{section(line), slack.NewActionBlock("", buttons...)}}
		letters = append(letters, letter{id, msg})
	}
	return letters
}

// reportButtons are the department's buttons on an assignment.
func (v *view) reportButtons(m *briefbot.Matter) []slack.BlockElement {
	n := m.Number.String()
	return []slack.BlockElement{
		button(briefbot.ActionProgress.Label(v.lang), actionProgress, n),
		button(v.tr(msgButtonExtension), actionExtension, n),
		button(v.tr(msgButtonComplete), actionComplete, n),
	}
}
