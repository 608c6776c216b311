package notices

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// Renderer renders the notices changes record, when they are delivered: each part
// for its reader, in their language, from the matter as the ledger holds it then.
type Renderer struct {
	Matters interface {
		Matter(ctx context.Context, ref briefbot.Ref) (*briefbot.Matter, error)
	}
	Rules func() *briefbot.Rules
	Now   func() time.Time // default time.Now
}

// Render returns part i of d ready to post: as composed, if it was (a briefing);
// else rendered from d's notice for its reader. A part whose reader may no longer see
// the matter (a removed member, a changed restricted list) comes back Skipped.
func (rd *Renderer) Render(ctx context.Context, d *briefbot.Dispatch, i int) (briefbot.Part, error) {
	p := d.Parts[i]
	if d.Notice == nil || p.Text != "" {
		return p, nil
	}
	n := d.Notice
	m, err := rd.Matters.Matter(ctx, briefbot.RefID(n.Matter))
	if err != nil {
		return p, err
	}
	rules := rd.Rules()
	now := time.Now()
	if rd.Now != nil {
		now = rd.Now()
	}
	var r *Reader
	if p.To.Member != "" {
		member, ok := rules.Org.Member(p.To.Member)
		if !ok || !rules.Org.Allowed(member.ID, briefbot.PermView, m) {
			p.Skipped = true
			return p, nil
		}
		r = For(rules, member, now)
	} else {
		r = For(rules, nil, now)
	}
	msg, err := r.notice(n, m)
	if err != nil {
		return p, err
	}
	blocks, err := json.Marshal(msg.Blocks)
	if err != nil {
		return p, briefbot.Internal("render notice", err)
	}
	p.Text, p.Blocks = msg.Text, blocks
	return p, nil
}

// notice renders n about m for r.
func (r *Reader) notice(n *briefbot.Notice, m *briefbot.Matter) (blockkit.Message, error) {
	ev := m.Event(n.Event)
	switch n.Kind {
	case briefbot.NoticeReceipt:
		return r.receipt(m), nil
	case briefbot.NoticeAlert:
		return r.alert(m), nil
	case briefbot.NoticeDraft:
		return r.draft(m), nil
	case briefbot.NoticeSignOff:
		return r.signOff(m), nil
	case briefbot.NoticeSigned:
		if ev != nil {
			return r.signed(m, ev), nil
		}
	case briefbot.NoticeInstruction:
		if ev != nil && ev.Ref > 0 && ev.Ref <= len(m.Instructions) {
			return r.instruction(m, m.Instructions[ev.Ref-1]), nil
		}
	case briefbot.NoticeReport:
		if ev != nil && ev.Ref > 0 && ev.Ref <= len(m.Feedback) {
			return r.report(m, ev.Action, m.Feedback[ev.Ref-1]), nil
		}
	case briefbot.NoticeDecision:
		if ev != nil {
			return r.decision(m, ev), nil
		}
	}
	return blockkit.Message{}, briefbot.Internal("render notice", fmt.Errorf("notice %s of matter %d names no event it can tell (event %d)", n.Kind, m.ID, n.Event))
}

// receipt tells the submitter their matter is in the ledger, under its number.
func (r *Reader) receipt(m *briefbot.Matter) blockkit.Message {
	head := r.T(msgReceipt, m.Kind.Label(r.Lang), m.Number, m.Number.Doc())
	line := head + "\n" + blockkit.Escape(blockkit.OneLine(m.Title)) + "\n" + r.T(msgReceiptStored, r.Committee(m.Addressee))
	return blockkit.Message{Text: head, Blocks: []blockkit.Block{blockkit.Section(line), r.Buttons(m)}}
}

// alert escalates an urgent matter; the channel sees a placeholder unless everyone in
// it may see the matter.
func (r *Reader) alert(m *briefbot.Matter) blockkit.Message {
	label := m.Urgency.Label(r.Lang)
	if m.Kind == briefbot.KindReport && m.ReportType == briefbot.ReportPriority {
		label = m.ReportType.Label(r.Lang)
	}
	c, _ := r.Rules.Org.Committee(m.Addressee)
	if r.Me == nil && (len(m.Restricted) > 0 || c == nil || !r.Rules.Org.ChannelMaySee(c, m)) {
		line := r.T(msgAlertRestricted, label, m.Number, blockkit.Escape(r.Dept(m.Department)))
		return blockkit.Text(line)
	}
	head := r.T(msgAlertHead, label, m.Number, Title(m))
	summary := m.Body
	if m.Kind == briefbot.KindRequest {
		summary = m.RequestedItem
	}
	body := fmt.Sprintf("%s\n%s · %s\n%s", head, blockkit.Escape(r.Dept(m.Department)), r.KindLabel(m), blockkit.Escape(blockkit.Cut(blockkit.OneLine(summary), 300, "…")))
	return blockkit.Message{Text: head, Blocks: []blockkit.Block{blockkit.Section(body), r.Buttons(m, briefbot.ActionInstruct, briefbot.ActionRead)}}
}

// draft asks a department's head to review and submit a member's draft.
func (r *Reader) draft(m *briefbot.Matter) blockkit.Message {
	line := r.T(msgDraftForYou, blockkit.Escape(r.Member(m.Submitter)), m.Kind.Label(r.Lang), Title(m))
	if m.Status != briefbot.StatusDraft {
		return blockkit.Text(line)
	}
	return blockkit.Message{Text: line, Blocks: []blockkit.Block{blockkit.Section(line),
		blockkit.Actions(blockkit.Button(r.T(msgButtonDraft), ActionSubmitDraft, fmt.Sprintf("draft:%d", m.ID)))}}
}

// signOff puts a matter before its signatory: the whole matter, and the buttons 签发
// and 退回修改 (the latter while it waits; one that went out unsigned can only be
// signed).
func (r *Reader) signOff(m *briefbot.Matter) blockkit.Message {
	head := r.T(msgSignOffAsk, blockkit.Escape(r.Member(m.Submitter)), r.KindLabel(m), Title(m))
	if m.Unsigned {
		head = r.T(msgSignOffUnsigned, m.Urgency.Label(r.Lang), m.Number, Title(m), blockkit.Escape(r.Member(m.Submitter)))
	}
	if m.Status != briefbot.StatusSignOff && !m.Unsigned { // signed meanwhile: the notice says so
		return blockkit.Text(r.T(msgSignOffDone, Title(m), blockkit.Escape(r.Member(m.Signatory))))
	}
	blocks := []blockkit.Block{blockkit.Section(head), blockkit.Context(r.T(msgSignOffFields, r.Committee(m.Addressee), m.Urgency.Label(r.Lang), r.Date(m.CreatedAt)))}
	for _, t := range []struct {
		label briefbot.Text
		s     string
	}{{msgFieldItem, m.RequestedItem}, {msgFieldReasons, m.Reasons}, {msgFieldRecommend, m.Recommendation}, {msgFieldBody, m.Body}} {
		if strings.TrimSpace(t.s) != "" {
			blocks = append(blocks, blockkit.Section("*"+r.T(t.label)+"*\n"+blockkit.Escape(blockkit.Cut(t.s, 1200, "…"))))
		}
	}
	blocks = append(blocks, r.Buttons(m, briefbot.ActionSign, briefbot.ActionRevise))
	return blockkit.Message{Text: head, Blocks: blocks}
}

// signed tells the submitter their matter was signed off (and, if it waited, submitted
// under its number), or sent back for revision with the reason.
func (r *Reader) signed(m *briefbot.Matter, ev *briefbot.Event) blockkit.Message {
	who := blockkit.Escape(r.Member(ev.Actor))
	var line string
	switch {
	case ev.Action == briefbot.ActionRevise:
		line = r.T(msgSignOffRevise, Title(m), who) + "\n> " + blockkit.Escape(ev.Reason)
	case ev.From == briefbot.StatusSignOff:
		line = r.T(msgSignOffSubmitted, Title(m), who, m.Number)
	default:
		line = r.T(msgSignOffConfirmed, m.Number, Title(m), who)
	}
	return blockkit.Message{Text: line, Blocks: []blockkit.Block{blockkit.Section(line), r.Buttons(m)}}
}

// instruction tells the department a leader's 批示 or 圈阅, verbatim, with its referral.
func (r *Reader) instruction(m *briefbot.Matter, in briefbot.Instruction) blockkit.Message {
	head := r.T(msgInstructedHead, m.Number, Title(m), blockkit.Escape(r.Who(in.Leader, in.RecordedBy)), in.Kind.Action().Label(r.Lang))
	line := head
	if in.Text != "" {
		line += "\n> " + blockkit.Escape(in.Text)
	}
	if a := m.Assignment; a != nil {
		line += "\n" + r.Assignment(a)
	}
	return blockkit.Message{Text: head, Blocks: []blockkit.Block{blockkit.Section(line), r.Buttons(m, reportSteps...)}}
}

// report tells those who decide what a department reported, with their buttons.
func (r *Reader) report(m *briefbot.Matter, a briefbot.Action, f briefbot.Feedback) blockkit.Message {
	head := r.T(msgReported, m.Number, Title(m), blockkit.Escape(r.Dept(f.Department)), a.Label(r.Lang))
	line := head + "\n> " + blockkit.Escape(f.Text)
	if f.Kind == briefbot.FeedbackExtension {
		line += "\n" + r.T(msgAskedUntil, r.Date(f.NewDeadline))
	}
	return blockkit.Message{Text: head, Blocks: []blockkit.Block{blockkit.Section(line), r.Buttons(m, decisionSteps...)}}
}

// decision tells the department what was decided on its report.
func (r *Reader) decision(m *briefbot.Matter, ev *briefbot.Event) blockkit.Message {
	line := r.T(msgDecided, m.Number, Title(m), blockkit.Escape(r.Member(ev.Actor)), ev.Action.Label(r.Lang), m.Status.Label(r.Lang))
	if ev.Reason != "" {
		line += "\n> " + blockkit.Escape(ev.Reason)
	}
	if a := m.Assignment; a != nil && ev.Action == briefbot.ActionGrantExtension {
		line += "\n" + r.T(msgNewDeadline, r.Date(a.Deadline))
	}
	return blockkit.Message{Text: line, Blocks: []blockkit.Block{blockkit.Section(line), r.Buttons(m, reportSteps...)}}
}
