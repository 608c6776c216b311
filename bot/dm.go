package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// dmIdle is how long a DM intake conversation waits for the next answer.
const dmIdle = 30 * time.Minute

// dmIntake is one member's step-by-step intake conversation in a DM. It lives in
// memory: nothing is in the ledger until the member confirms, so a restart loses only
// an unfinished draft, never a submitted matter. mu is held while a message of the
// conversation is handled: a member's messages are answered one at a time.
type dmIntake struct {
	mu    sync.Mutex
	m     *briefbot.Matter
	steps []dmStep
	at    int
	key   string // the delivery key of its submission: one conversation, one matter
	last  time.Time
	ended bool // cancelled, submitted or expired: the next message starts afresh
}

// dmStep asks for one field and reads the answer into the matter.
type dmStep struct {
	field  string
	prompt func(v *view, m *briefbot.Matter) string
	read   func(v *view, m *briefbot.Matter, answer string) error
}

// open returns member's conversation in progress, locked, or nil; expired says one
// timed out (it is dropped).
func (s *dmSessions) open(id briefbot.MemberID, now time.Time) (conv *dmIntake, expired bool) {
	s.mu.Lock()
	conv = s.m[id]
	s.mu.Unlock()
	if conv == nil {
		return nil, false
	}
	conv.mu.Lock()
	if conv.ended {
		conv.mu.Unlock()
		return nil, false
	}
	if now.Sub(conv.last) > dmIdle {
		conv.ended = true
		conv.mu.Unlock()
		s.end(id, conv)
		return nil, true
	}
	return conv, false
}

// start makes conv member's conversation, replacing any other.
func (s *dmSessions) start(id briefbot.MemberID, conv *dmIntake) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[briefbot.MemberID]*dmIntake{}
	}
	if old := s.m[id]; old != nil && old != conv {
		old.mu.Lock()
		old.ended = true
		old.mu.Unlock()
	}
	s.m[id] = conv
}

// end drops conv, if it is still member's conversation. conv.ended must be set.
func (s *dmSessions) end(id briefbot.MemberID, conv *dmIntake) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[id] == conv {
		delete(s.m, id)
	}
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
func (b *Bot) DM(ctx context.Context, in CommandInput) (resp Response) {
	defer b.recover("dm", &resp)
	v, refusal, ok := b.who(in.User)
	if !ok {
		return refusal
	}
	conv, expired := b.dms.open(v.me.ID, v.Now)
	if conv == nil {
		in.CanOpenModal = false
		if !b.firstDelivery(ctx, in.DeliveryKey) {
			return Response{Ignore: true}
		}
		r := b.command1(ctx, v, in)
		if expired && r.Message != nil {
			r.Message.Text = v.T(msgDMExpired) + "\n" + r.Message.Text
			r.Message.Blocks = append([]blockkit.Block{blockkit.Section(v.T(msgDMExpired))}, r.Message.Blocks...)
		}
		return r
	}
	defer conv.mu.Unlock()
	if !b.firstDelivery(ctx, in.DeliveryKey) {
		return Response{Ignore: true}
	}
	if msg := b.dmAnswer(ctx, v, conv, in.Text); msg != "" {
		return say(msg)
	}
	return Response{}
}

// startDM begins a step-by-step intake of kind for v.me.
func (b *Bot) startDM(v *view, kind briefbot.Kind) string {
	m := &briefbot.Matter{Kind: kind, Submitter: v.me.ID, SignedOn: v.Now, Decision: briefbot.DecisionCollective, Urgency: briefbot.UrgencyOrdinary}
	heads := v.rules.Org.HeadOf(v.me.ID)
	if len(heads) == 1 {
		m.Department, m.Signatory = heads[0].ID, heads[0].Principal
	}
	conv := &dmIntake{m: m, steps: v.dmSteps(kind, len(heads) > 1), key: "dm:" + string(v.me.ID) + ":" + newIncidentID(), last: v.Now}
	b.dms.start(v.me.ID, conv)
	return v.T(msgDMStart, kind.Label(v.Lang)) + "\n\n" + conv.steps[0].prompt(v, m)
}

// dmAnswer reads one answer of conv (held locked) and asks the next question, or
// submits. It returns "" once the matter is submitted: the receipt comes by DM.
func (b *Bot) dmAnswer(ctx context.Context, v *view, conv *dmIntake, answer string) string {
	conv.last = v.Now
	if isCancel(answer) {
		b.endDM(v, conv)
		return v.T(msgDMCancelled)
	}
	if conv.at < len(conv.steps) {
		return b.dmStepAnswer(v, conv, answer)
	}
	// All answered: waiting for the confirmation.
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "提交" && a != "submit" && a != "确认" && a != "yes" && a != "是" {
		return v.dmSummary(conv.m)
	}
	err := v.rules.CheckSubmission(v.me.ID, conv.m, v.Now)
	if err == nil {
		err = v.rules.CheckRefs(ctx, b.ledger, v.me.ID, conv.m)
	}
	if err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINTERNAL {
			return b.errorText(err, v.Lang, "dm submit")
		}
		if briefbot.ErrorCode(err) == briefbot.EFORBIDDEN {
			b.endDM(v, conv)
			return briefbot.ErrorMessage(err, v.Lang)
		}
		return b.dmFix(v, conv, err)
	}
	res, asked, err := b.submitNew(ctx, v, conv.m, briefbot.Delivery{Key: conv.key})
	if err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINVALID {
			return b.dmFix(v, conv, err)
		}
		return b.errorText(err, v.Lang, "dm submit")
	}
	b.endDM(v, conv)
	if asked && !res.Duplicate {
		return v.askedSignOff(res.Matter)
	}
	return ""
}

// dmStepAnswer reads the answer to the current question.
func (b *Bot) dmStepAnswer(v *view, conv *dmIntake, answer string) string {
	st := conv.steps[conv.at]
	if briefbot.HasClassificationMarking(answer) {
		// Refuse and forget at once: the text is neither kept nor echoed.
		return v.T(msgDMClassified) + "\n\n" + st.prompt(v, conv.m)
	}
	if err := st.read(v, conv.m, strings.TrimSpace(answer)); err != nil {
		if briefbot.ErrorReason(err) == reasonNotDeclared {
			b.endDM(v, conv)
		}
		return briefbot.ErrorMessage(err, v.Lang) + "\n\n" + st.prompt(v, conv.m)
	}
	conv.at++
	if conv.at < len(conv.steps) {
		return conv.steps[conv.at].prompt(v, conv.m)
	}
	return v.dmSummary(conv.m)
}

// dmFix lists what the rules refused and goes back to the first step that can fix it.
func (b *Bot) dmFix(v *view, conv *dmIntake, err error) string {
	var msgs []string
	back := -1
	for _, f := range briefbot.ErrorFields(err) {
		msgs = append(msgs, f.Msg.In(v.Lang))
		for i, st := range conv.steps {
			if st.field == f.Field && (back < 0 || i < back) {
				back = i
			}
		}
	}
	if len(msgs) == 0 {
		msgs = append(msgs, briefbot.ErrorMessage(err, v.Lang))
	}
	out := v.T(msgDMFix, strings.Join(msgs, " "))
	if back < 0 {
		b.endDM(v, conv)
		return out + "\n" + v.T(msgDMCancelled)
	}
	conv.at = back
	return out + "\n\n" + conv.steps[back].prompt(v, conv.m)
}

// endDM ends conv (held locked).
func (b *Bot) endDM(v *view, conv *dmIntake) {
	conv.ended = true
	b.dms.end(v.me.ID, conv)
}

// choice is one numbered option in a DM question.
type choice struct{ value, label string }

func (v *view) ask(q text, opts []choice, skippable bool) string {
	var b strings.Builder
	b.WriteString(v.T(q))
	if skippable {
		b.WriteString(v.T(msgDMSkip))
	}
	if len(opts) > 0 {
		b.WriteString("\n" + v.T(msgDMChoose))
		for i, o := range opts {
			fmt.Fprintf(&b, "\n%d. %s", i+1, blockkit.Escape(o.label))
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

// Reasons of the DM conversation's own refusals.
const (
	reasonChoice      briefbot.Reason = "choice"
	reasonEmpty       briefbot.Reason = "empty"
	reasonDate        briefbot.Reason = "date"
	reasonYesNo       briefbot.Reason = "yes_no"
	reasonNotDeclared briefbot.Reason = "not_declared"
)

var errBadChoice = briefbot.Errorf(briefbot.EINVALID, reasonChoice, msgDMBadChoice)

func textStep(field string, q text, set func(m *briefbot.Matter, s string)) dmStep {
	return dmStep{field: field,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(q, nil, false) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			if s == "" {
				return briefbot.Errorf(briefbot.EINVALID, reasonEmpty, msgDMEmpty)
			}
			set(m, s)
			return nil
		}}
}

func choiceStep(field string, q text, opts func(v *view) []choice, set func(v *view, m *briefbot.Matter, val string)) dmStep {
	return dmStep{field: field,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(q, opts(v), false) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			val, ok := pick(opts(v), s)
			if !ok {
				return errBadChoice
			}
			set(v, m, val)
			return nil
		}}
}

// dmSteps lists the questions for kind.
func (v *view) dmSteps(kind briefbot.Kind, chooseDept bool) []dmStep {
	steps := []dmStep{textStep(briefbot.FieldTitle, msgDMAskTitle, func(m *briefbot.Matter, s string) { m.Title = s })}
	switch kind {
	case briefbot.KindRequest:
		steps = append(steps,
			textStep(briefbot.FieldRequestedItem, msgDMAskItem, func(m *briefbot.Matter, s string) { m.RequestedItem = s }),
			textStep(briefbot.FieldReasons, msgDMAskReasons, func(m *briefbot.Matter, s string) { m.Reasons = s }),
			textStep(briefbot.FieldRecommendation, msgDMAskRecommend, func(m *briefbot.Matter, s string) { m.Recommendation = s }))
	case briefbot.KindReport:
		steps = append(steps, reportTypeStep, followUpStep)
	}
	if kind != briefbot.KindRequest {
		steps = append(steps, textStep(briefbot.FieldBody, msgDMAskBody, func(m *briefbot.Matter, s string) { m.Body = s }))
	}
	if chooseDept {
		steps = append(steps, deptStep)
	}
	steps = append(steps, addresseeStep, urgencyStep, decisionStep)
	if kind == briefbot.KindRequest {
		steps = append(steps, answerByStep)
	}
	return append(steps, declareStep)
}

var (
	reportTypeStep = choiceStep(briefbot.FieldReportType, msgDMAskType, func(v *view) []choice {
		var cs []choice
		for _, t := range briefbot.ReportTypes {
			cs = append(cs, choice{string(t), t.Label(v.Lang)})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) { m.ReportType = briefbot.ReportType(val) })

	followUpStep = dmStep{field: briefbot.FieldFollowUpOf,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskFirst, nil, true) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			if isSkip(s) {
				m.FollowUpOf = briefbot.Number{}
				return nil
			}
			n, err := briefbot.ParseNumber(s)
			m.FollowUpOf = n
			return err
		}}

	deptStep = choiceStep(briefbot.FieldDepartment, msgDMAskDept, func(v *view) []choice {
		var cs []choice
		for _, d := range v.rules.Org.HeadOf(v.me.ID) {
			cs = append(cs, choice{string(d.ID), v.Dept(d.ID)})
		}
		return cs
	}, func(v *view, m *briefbot.Matter, val string) {
		m.Department = briefbot.DepartmentID(val)
		if d, ok := v.rules.Org.Department(m.Department); ok {
			m.Signatory = d.Principal
		}
	})

	addresseeStep = choiceStep(briefbot.FieldAddressee, msgDMAskTo, func(v *view) []choice {
		var cs []choice
		for _, c := range v.rules.Org.Committees {
			cs = append(cs, choice{string(c.ID), v.Committee(c.ID)})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) { m.Addressee = briefbot.CommitteeID(val) })

	urgencyStep = choiceStep(briefbot.FieldUrgency, msgDMAskUrgency, func(v *view) []choice {
		var cs []choice
		for _, u := range briefbot.Urgencies {
			cs = append(cs, choice{string(u), u.Label(v.Lang)})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) { m.Urgency = briefbot.Urgency(val) })

	decisionStep = choiceStep(briefbot.FieldDecision, msgDMAskDecision, func(v *view) []choice {
		var cs []choice
		for _, d := range briefbot.DecisionMethods {
			cs = append(cs, choice{string(d), d.Label(v.Lang)})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) { m.Decision = briefbot.DecisionMethod(val) })

	answerByStep = dmStep{field: briefbot.FieldAnswerBy,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskAnswerBy, nil, true) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			if isSkip(s) {
				m.AnswerBy = time.Time{}
				return nil
			}
			t, err := time.ParseInLocation("2006-01-02", s, v.rules.Loc())
			if err != nil {
				return briefbot.Errorf(briefbot.EINVALID, reasonDate, msgDMBadDate)
			}
			m.AnswerBy = v.rules.EndOfDay(t)
			return nil
		}}

	declareStep = dmStep{field: briefbot.FieldUnclassified,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskDeclare, nil, false) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			switch strings.ToLower(s) {
			case "是", "yes", "y", "确认":
				m.Unclassified = true
				return nil
			case "否", "no", "n":
				return briefbot.Errorf(briefbot.EINVALID, reasonNotDeclared, msgDMNotDeclared)
			}
			return briefbot.Errorf(briefbot.EINVALID, reasonYesNo, msgDMYesNo)
		}}
)

// dmSummary shows what will be submitted and asks for the confirmation.
func (v *view) dmSummary(m *briefbot.Matter) string {
	lines := []string{v.T(msgDMConfirmAsk), "",
		"*" + v.T(fieldLabels[briefbot.FieldTitle]) + "*：" + blockkit.Escape(m.Title),
		"*" + v.T(msgCardKind) + "*：" + v.KindLabel(m),
		"*" + v.T(msgCardDept) + "*：" + blockkit.Escape(v.Dept(m.Department)),
		v.T(msgDMSignedBy, blockkit.Escape(v.Member(m.Signatory)), v.Date(m.SignedOn)),
		"*" + v.T(msgCardTo) + "*：" + blockkit.Escape(v.Committee(m.Addressee)),
		"*" + v.T(msgCardUrgency) + "*：" + m.Urgency.Label(v.Lang),
	}
	for _, f := range []struct {
		label text
		s     string
	}{{msgCardItem, m.RequestedItem}, {msgCardReasons, m.Reasons}, {msgCardRecommend, m.Recommendation}, {msgCardBody, m.Body}} {
		if f.s != "" {
			lines = append(lines, "*"+v.T(f.label)+"*：", blockkit.Escape(blockkit.Cut(f.s, maxCardText, "…")))
		}
	}
	if !m.AnswerBy.IsZero() {
		lines = append(lines, "*"+v.T(msgCardAnswerBy)+"*："+v.Date(m.AnswerBy))
	}
	lines = append(lines, "", "→ "+v.T(msgDMSubmitWord))
	return strings.Join(lines, "\n")
}
