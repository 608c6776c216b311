package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// dmIdle is how long a DM intake conversation waits for the next answer.
const dmIdle = 30 * time.Minute

// dmIntake is one member's step-by-step intake conversation in a DM. It lives in
// memory: nothing is in the ledger until the member confirms, so a restart loses only
// an unfinished draft, never a submitted matter.
type dmIntake struct {
	m       *briefbot.Matter
	steps   []dmStep
	at      int
	started time.Time
	last    time.Time
}

// dmStep asks for one field and reads the answer into the matter.
type dmStep struct {
	field  string
	prompt func(v *view, m *briefbot.Matter) string
	read   func(v *view, m *briefbot.Matter, answer string) error
}

func isCancel(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "cancel", "取消", "退出", "quit":
		return true
	}
	return false
}

func isSkip(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "无", "none", "skip", "-", "跳过":
		return true
	}
	return false
}

// DM answers a direct message: the next answer of an intake conversation in progress,
// or a command.
func (b *Bot) DM(ctx context.Context, in CommandInput) Response {
	me, dir, ok := b.who(in.User)
	if !ok {
		return reply(textMessage(tr(dir.Lang, msgUnknownUser)))
	}
	b.mu.Lock()
	conv := b.dms[me.ID]
	expired := conv != nil && b.now().Sub(conv.last) > dmIdle
	if expired {
		delete(b.dms, me.ID)
		conv = nil
	}
	b.mu.Unlock()
	if conv == nil {
		in.CanOpenModal = false
		r := b.Command(ctx, in)
		if expired && r.Message != nil {
			r.Message.Text = tr(dir.lang(me), msgDMExpired) + "\n" + r.Message.Text
			r.Message.Blocks = append(textMessage(tr(dir.lang(me), msgDMExpired)).Blocks, r.Message.Blocks...)
		}
		return r
	}
	if !b.firstDelivery(ctx, in.DeliveryKey) {
		return Response{Ignore: true}
	}
	if msg := b.continueDM(ctx, b.frame(me, dir), conv, in.Text); msg != nil {
		return reply(*msg)
	}
	return Response{}
}

// startDM begins a step-by-step intake of kind for v.me.
func (b *Bot) startDM(v *view, kind briefbot.Kind) Message {
	m := &briefbot.Matter{Kind: kind, Submitter: v.me.ID, SignedOn: v.now, Decision: briefbot.DecisionCollective, Urgency: briefbot.UrgencyOrdinary}
	heads := v.dir.Org.HeadOf(v.me.ID)
	if len(heads) == 1 {
		m.Department, m.Signatory = heads[0].ID, heads[0].Principal
	}
	conv := &dmIntake{m: m, steps: v.dmSteps(kind, len(heads) > 1), started: v.now, last: v.now}
	b.mu.Lock()
	b.dms[v.me.ID] = conv
	b.mu.Unlock()
	return textMessage(v.tr(msgDMStart, kind.Label(v.lang)) + "\n\n" + conv.steps[0].prompt(v, m))
}

// continueDM reads one answer and asks the next question, or submits.
// It returns nil once the matter is submitted: the receipt is posted to the DM.
func (b *Bot) continueDM(ctx context.Context, v *view, conv *dmIntake, answer string) *Message {
	m := b.dmAnswer(ctx, v, conv, answer)
	if m.Text == "" && m.Blocks == nil {
		return nil
	}
	return &m
}

func (b *Bot) dmAnswer(ctx context.Context, v *view, conv *dmIntake, answer string) Message {
	conv.last = v.now
	if isCancel(answer) {
		b.endDM(v.me.ID)
		return textMessage(v.tr(msgDMCancelled))
	}
	if conv.at < len(conv.steps) {
		if briefbot.HasClassificationMarking(answer) {
			// Refuse and forget at once: the text is neither kept nor echoed.
			return textMessage(v.tr(msgDMClassified) + "\n\n" + conv.steps[conv.at].prompt(v, conv.m))
		}
		st := conv.steps[conv.at]
		if err := st.read(v, conv.m, strings.TrimSpace(answer)); err != nil {
			if briefbot.ErrorReason(err) == "not_declared" {
				b.endDM(v.me.ID)
			}
			return textMessage(briefbot.ErrorMessage(err, v.lang) + "\n\n" + st.prompt(v, conv.m))
		}
		conv.at++
		if conv.at < len(conv.steps) {
			return textMessage(conv.steps[conv.at].prompt(v, conv.m))
		}
		return v.dmSummary(conv.m)
	}
	// All answered: waiting for the confirmation.
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "提交" && a != "submit" && a != "确认" && a != "yes" && a != "是" {
		return v.dmSummary(conv.m)
	}
	if err := v.checkSubmitter(conv.m); err != nil {
		b.endDM(v.me.ID)
		return textMessage(briefbot.ErrorMessage(err, v.lang))
	}
	v.defaultAnswerBy(conv.m)
	if err := briefbot.CheckIntake(conv.m, &v.dir.Org, v.dir.Intake, v.now); err != nil {
		return b.dmFix(v, conv, err)
	}
	key := fmt.Sprintf("dm:%s:%d", v.me.ID, conv.started.UnixNano())
	started := time.Now()
	res, err := b.store.Submit(ctx, conv.m, store.Delivery{Key: key, Notes: b.submitNotes(v)})
	b.metrics.intake(string(conv.m.Kind), outcome(res, err), started)
	if err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINVALID {
			return b.dmFix(v, conv, err)
		}
		return b.errorMessage(err, v.lang, "dm submit")
	}
	b.endDM(v.me.ID)
	b.receipt(ctx, v, res)
	return Message{}
}

// dmFix lists what the rules refused and goes back to the first step that can fix it.
func (b *Bot) dmFix(v *view, conv *dmIntake, err error) Message {
	var msgs []string
	back := -1
	for _, f := range briefbot.ErrorFields(err) {
		msgs = append(msgs, f.Msg.In(v.lang))
		for i, st := range conv.steps {
			if st.field == f.Field && (back < 0 || i < back) {
				back = i
			}
		}
	}
	if len(msgs) == 0 {
		msgs = append(msgs, briefbot.ErrorMessage(err, v.lang))
	}
	out := v.tr(msgDMFix, strings.Join(msgs, " "))
	if back < 0 {
		b.endDM(v.me.ID)
		return textMessage(out + "\n" + v.tr(msgDMCancelled))
	}
	conv.at = back
	return textMessage(out + "\n\n" + conv.steps[back].prompt(v, conv.m))
}

func (b *Bot) endDM(id briefbot.MemberID) {
	b.mu.Lock()
	delete(b.dms, id)
	b.mu.Unlock()
}

// choice is one numbered option in a DM question.
type choice struct{ value, label string }

func (v *view) ask(q text, opts []choice, skippable bool) string {
	var b strings.Builder
	b.WriteString(v.tr(q))
	if skippable {
		b.WriteString(v.tr(msgDMSkip))
	}
	if len(opts) > 0 {
		b.WriteString("\n" + v.tr(msgDMChoose))
		for i, o := range opts {
			fmt.Fprintf(&b, "\n%d. %s", i+1, Escape(o.label))
		}
	}
	return b.String()
}

func pick(opts []choice, answer string) (string, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(answer))
	if err == nil && n >= 1 && n <= len(opts) {
		return opts[n-1].value, true
	}
	for _, o := range opts { // the label or value typed out also counts
		if strings.EqualFold(answer, o.label) || strings.EqualFold(answer, o.value) {
			return o.value, true
		}
	}
	return "", false
}

var errBadChoice = briefbot.Errorf(briefbot.EINVALID, "choice", briefbot.Text(msgDMBadChoice))

// dmSteps lists the questions for kind.
func (v *view) dmSteps(kind briefbot.Kind, chooseDept bool) []dmStep {
	textStep := func(field string, q text, set func(m *briefbot.Matter, s string)) dmStep {
		return dmStep{field: field,
			prompt: func(v *view, m *briefbot.Matter) string { return v.ask(q, nil, false) },
			read: func(v *view, m *briefbot.Matter, s string) error {
				if s == "" {
					return briefbot.Errorf(briefbot.EINVALID, "empty", briefbot.Text(msgDMEmpty))
				}
				set(m, s)
				return nil
			}}
	}
	choiceStep := func(field string, q text, opts func(v *view) []choice, set func(m *briefbot.Matter, val string)) dmStep {
		return dmStep{field: field,
			prompt: func(v *view, m *briefbot.Matter) string { return v.ask(q, opts(v), false) },
			read: func(v *view, m *briefbot.Matter, s string) error {
				val, ok := pick(opts(v), s)
				if !ok {
					return errBadChoice
				}
				set(m, val)
				return nil
			}}
	}
	steps := []dmStep{textStep(briefbot.FieldTitle, msgDMAskTitle, func(m *briefbot.Matter, s string) { m.Title = s })}
	switch kind {
	case briefbot.KindRequest:
		steps = append(steps,
			textStep(briefbot.FieldRequestedItem, msgDMAskItem, func(m *briefbot.Matter, s string) { m.RequestedItem = s }),
			textStep(briefbot.FieldReasons, msgDMAskReasons, func(m *briefbot.Matter, s string) { m.Reasons = s }),
			textStep(briefbot.FieldRecommendation, msgDMAskRecommend, func(m *briefbot.Matter, s string) { m.Recommendation = s }))
	case briefbot.KindReport:
		steps = append(steps, choiceStep(briefbot.FieldReportType, msgDMAskType, func(v *view) []choice {
			var cs []choice
			for _, t := range briefbot.ReportTypes {
				cs = append(cs, choice{string(t), t.Label(v.lang)})
			}
			return cs
		}, func(m *briefbot.Matter, val string) { m.ReportType = briefbot.ReportType(val) }),
			dmStep{field: briefbot.FieldFollowUpOf,
				prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskFirst, nil, true) },
				read: func(v *view, m *briefbot.Matter, s string) error {
					if isSkip(s) {
						m.FollowUpOf = briefbot.Number{}
						return nil
					}
					n, err := briefbot.ParseNumber(s)
					m.FollowUpOf = n
					return err
				}})
		fallthrough
	default:
		steps = append(steps, textStep(briefbot.FieldBody, msgDMAskBody, func(m *briefbot.Matter, s string) { m.Body = s }))
	}
	if chooseDept {
		steps = append(steps, choiceStep(briefbot.FieldDepartment, msgDMAskDept, func(v *view) []choice {
			var cs []choice
			for _, d := range v.dir.Org.HeadOf(v.me.ID) {
				cs = append(cs, choice{d.ID, d.Name})
			}
			return cs
		}, func(m *briefbot.Matter, val string) {
			m.Department = val
			if d, ok := v.dir.Org.Department(val); ok {
				m.Signatory = d.Principal
			}
		}))
	}
	steps = append(steps,
		choiceStep(briefbot.FieldAddressee, msgDMAskTo, func(v *view) []choice {
			var cs []choice
			for _, c := range v.dir.Org.Committees {
				cs = append(cs, choice{c.ID, v.committee(c.ID)})
			}
			return cs
		}, func(m *briefbot.Matter, val string) { m.Addressee = val }),
		choiceStep(briefbot.FieldUrgency, msgDMAskUrgency, func(v *view) []choice {
			var cs []choice
			for _, u := range briefbot.Urgencies {
				cs = append(cs, choice{string(u), u.Label(v.lang)})
			}
			return cs
		}, func(m *briefbot.Matter, val string) { m.Urgency = briefbot.Urgency(val) }),
		choiceStep(briefbot.FieldDecision, msgDMAskDecision, func(v *view) []choice {
			var cs []choice
			for _, d := range briefbot.DecisionMethods {
				cs = append(cs, choice{string(d), d.Label(v.lang)})
			}
			return cs
		}, func(m *briefbot.Matter, val string) { m.Decision = briefbot.DecisionMethod(val) }))
	if kind == briefbot.KindRequest {
		steps = append(steps, dmStep{field: briefbot.FieldAnswerBy,
			prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskAnswerBy, nil, true) },
			read: func(v *view, m *briefbot.Matter, s string) error {
				if isSkip(s) {
					m.AnswerBy = time.Time{}
					return nil
				}
				t, err := time.ParseInLocation("2006-01-02", s, v.loc)
				if err != nil {
					return briefbot.Errorf(briefbot.EINVALID, "date", briefbot.Text(msgDMBadDate))
				}
				m.AnswerBy = t.Add(18 * time.Hour)
				return nil
			}})
	}
	steps = append(steps, dmStep{field: briefbot.FieldUnclassified,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskDeclare, nil, false) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			switch strings.ToLower(s) {
			case "是", "yes", "y", "确认":
				m.Unclassified = true
				return nil
			case "否", "no", "n":
				return briefbot.Errorf(briefbot.EINVALID, "not_declared", briefbot.Text(msgDMNotDeclared))
			}
			return briefbot.Errorf(briefbot.EINVALID, "yes_no", briefbot.Text(msgDMYesNo))
		}})
	return steps
}

// dmSummary shows what will be submitted and asks for the confirmation.
func (v *view) dmSummary(m *briefbot.Matter) Message {
	lines := []string{v.tr(msgDMConfirmAsk), "",
		"*" + v.tr(fieldLabels[briefbot.FieldTitle]) + "*：" + Escape(m.Title),
		"*" + v.tr(msgCardKind) + "*：" + v.kindLabel(m),
		"*" + v.tr(msgCardDept) + "*：" + Escape(v.dept(m.Department)),
		v.tr(msgDMSignedBy, Escape(v.member(m.Signatory)), v.date(m.SignedOn)),
		"*" + v.tr(msgCardTo) + "*：" + Escape(v.committee(m.Addressee)),
		"*" + v.tr(msgCardUrgency) + "*：" + m.Urgency.Label(v.lang),
	}
	for _, f := range []struct {
		label text
		s     string
	}{{msgCardItem, m.RequestedItem}, {msgCardReasons, m.Reasons}, {msgCardRecommend, m.Recommendation}, {msgCardBody, m.Body}} {
		if f.s != "" {
			lines = append(lines, "*"+v.tr(f.label)+"*：", Escape(cut(f.s, maxCardText, "…")))
		}
	}
	if !m.AnswerBy.IsZero() {
		lines = append(lines, "*"+v.tr(msgCardAnswerBy)+"*："+v.date(m.AnswerBy))
	}
	lines = append(lines, "", "→ "+v.tr(msgDMSubmitWord))
	return textMessage(strings.Join(lines, "\n"))
}
