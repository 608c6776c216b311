package briefbot

import (
	"slices"
	"strings"
	"time"
)

// Step is one request to move a matter along: an action, who takes it (and on whose
// behalf), when, and what it carries. Which fields an action needs:
//
//   - return, withdraw, send_back, decline_extension: Reason
//   - propose, progress, complete: Text
//   - read: nothing (Text optional)
//   - instruct: Text; Corrects names an earlier instruction it corrects
//   - refer: Lead (Deadline: Rules.Take gives the default when it is zero); Assisting optional
//   - request_extension: Text (the reason) and Deadline (the new deadline asked for)
//   - grant_extension: Ref (the extension request); Deadline optional (defaults to the one asked)
//
// For read and instruct, OnBehalfOf names the leader when a clerk records for them (代录).
type Step struct {
	Action     Action
	Actor      MemberID
	OnBehalfOf MemberID
	At         time.Time
	Reason     string
	Text       string
	Deadline   time.Time
	Lead       DepartmentID
	Assisting  []DepartmentID
	Department DepartmentID // the department reporting feedback (Rules.Take fills it in)
	Delegated  bool         // a sign-off by a delegate of the principal (Rules.Take fills it in)
	Ref        int          // the feedback entry decided on (extensions)
	Corrects   int          // the instruction corrected
}

// MaxStepText bounds the free text a step carries, in characters.
const MaxStepText = 5000

// filingShortcuts are extra edges for filings, which need no answer: they may be
// archived as soon as they are on record.
var filingShortcuts = []Transition{
	{ActionArchive, StatusSubmitted, StatusArchived},
	{ActionArchive, StatusRegistered, StatusArchived},
}

// NextFor is Next with the kind-specific edges added.
func NextFor(kind Kind, from Status, action Action) (Status, bool) {
	if to, ok := Next(from, action); ok {
		return to, true
	}
	if kind == KindFiling {
		for _, t := range filingShortcuts {
			if t.Action == action && t.From == from {
				return t.To, true
			}
		}
	}
	return "", false
}

// Apply moves m by s. It checks that the transition is legal from m's state (ECONFLICT,
// ReasonIllegalTransition, otherwise) and that the step carries what its action needs
// (EINVALID). On success it records an Event, updates Status, Version and UpdatedAt,
// and adds any instruction, assignment or feedback the step makes. On error m is
// unchanged. Apply does not ask who may take the step: Rules.Take does, before it.
func (m *Matter) Apply(s Step) error {
	to, ok := NextFor(m.Kind, m.Status, s.Action)
	if !ok {
		return &Error{Code: ECONFLICT, Reason: ReasonIllegalTransition, Msg: msgIllegal(m.Status, s.Action)}
	}
	if err := s.check(); err != nil {
		return err
	}
	ev := Event{Action: s.Action, From: m.Status, To: to, Actor: s.Actor, OnBehalfOf: s.OnBehalfOf, At: s.At, Reason: s.Reason}
	effect, err := m.effect(s, &ev)
	if err != nil {
		return err
	}
	if effect != nil {
		effect()
	}
	ev.Seq = len(m.History) + 1
	m.History = append(m.History, ev)
	m.Status = to
	m.Version++
	m.UpdatedAt = s.At
	return nil
}

// check refuses a step without an actor or a time, with an over-long or classified
// text, or without the text its action needs.
func (s *Step) check() error {
	if s.Actor == "" {
		return Errorf(EINVALID, ReasonActorRequired, msgActorRequired)
	}
	if s.At.IsZero() {
		return Errorf(EINVALID, ReasonTimeRequired, msgTimeRequired)
	}
	for _, t := range []string{s.Reason, s.Text} {
		if len([]rune(t)) > MaxStepText {
			return FieldErrorf(ReasonTooLong, FieldText, msgStepTooLong)
		}
		if HasClassificationMarking(t) {
			return FieldErrorf(ReasonClassified, FieldText, msgClassified)
		}
	}
	switch s.Action {
	case ActionReturn, ActionWithdraw, ActionSendBack, ActionDeclineExtension, ActionRevise:
		return needs(s.Reason, FieldText, msgReasonRequired)
	case ActionPropose, ActionProgress, ActionComplete:
		return needs(s.Text, FieldText, msgTextRequired)
	case ActionInstruct:
		return needs(s.Text, FieldText, msgInstructionRequired)
	case ActionRequestExtension:
		return needs(s.Text, FieldText, msgReasonRequired)
	case ActionRefer:
		return needs(string(s.Lead), FieldLead, msgLeadRequired)
	}
	return nil
}

func needs(v, field string, msg Text) error {
	if strings.TrimSpace(v) == "" {
		return FieldErrorf(ReasonMissing, field, msg)
	}
	return nil
}

// effect checks what s needs of m's records and returns the change it makes to them
// (nil for none), filling in ev's reason and reference.
func (m *Matter) effect(s Step, ev *Event) (func(), error) {
	switch s.Action {
	case ActionSubmit, ActionResubmit:
		// Whoever submits a draft (a department head, for a member's draft) is its submitter.
		return func() { m.SubmittedAt, m.Submitter = s.At, s.Actor }, nil
	case ActionAskSignOff:
		// Whoever asks for the sign-off is the submitter; the signatory submits it by signing.
		return func() { m.Submitter = s.Actor }, nil
	case ActionSign:
		if m.Status != StatusDraft && m.Status != StatusSignOff && !m.Unsigned {
			return nil, Errorf(ECONFLICT, ReasonAlreadySigned, msgAlreadySigned(m.Number))
		}
		from := m.Status
		return func() {
			m.Signatory, m.SignedOn, m.Delegated, m.Unsigned = s.Actor, s.At, s.Delegated, false
			if from == StatusSignOff {
				m.SubmittedAt = s.At
			}
		}, nil
	case ActionPropose:
		ev.Reason = s.Text
	case ActionRead, ActionInstruct:
		return m.instruction(s, ev)
	case ActionRefer:
		return m.referral(s)
	case ActionProgress, ActionComplete, ActionRequestExtension:
		return m.feedback(s, ev)
	case ActionGrantExtension, ActionDeclineExtension:
		return m.extensionDecision(s, ev)
	case ActionSendBack, ActionClose:
		return m.completionDecision(s, ev), nil
	}
	return nil, nil
}

func (m *Matter) instruction(s Step, ev *Event) (func(), error) {
	if s.Corrects != 0 && !slices.ContainsFunc(m.Instructions, func(in Instruction) bool { return in.ID == s.Corrects }) {
		return nil, Errorf(EINVALID, ReasonNoSuchInstruction, msgNoSuchInstruction)
	}
	in := Instruction{ID: len(m.Instructions) + 1, Leader: s.Actor, Text: s.Text, At: s.At, Corrects: s.Corrects, Kind: InstructionWritten}
	if s.Action == ActionRead {
		in.Kind = InstructionRead
	}
	if s.OnBehalfOf != "" && s.OnBehalfOf != s.Actor {
		in.Leader, in.RecordedBy = s.OnBehalfOf, s.Actor
	}
	ev.Ref = in.ID
	return func() { m.Instructions = append(m.Instructions, in) }, nil
}

func (m *Matter) referral(s Step) (func(), error) {
	if !s.Deadline.After(s.At) {
		return nil, FieldErrorf(ReasonBadDeadline, FieldDeadline, msgDeadlineFuture)
	}
	if slices.Contains(s.Assisting, s.Lead) {
		return nil, FieldErrorf(ReasonLeadAssisting, FieldLead, msgLeadAssisting)
	}
	a := &Assignment{Lead: s.Lead, Assisting: slices.Clone(s.Assisting), Deadline: s.Deadline, OriginalDeadline: s.Deadline, By: s.Actor, At: s.At}
	return func() { m.Assignment = a }, nil
}

var feedbackKinds = map[Action]FeedbackKind{ActionProgress: FeedbackProgress, ActionComplete: FeedbackCompletion, ActionRequestExtension: FeedbackExtension}

func (m *Matter) feedback(s Step, ev *Event) (func(), error) {
	f := Feedback{ID: len(m.Feedback) + 1, Kind: feedbackKinds[s.Action], Department: s.Department, By: s.Actor, Text: s.Text, At: s.At}
	switch f.Kind {
	case FeedbackExtension:
		if m.pendingExtension() != nil {
			return nil, Errorf(ECONFLICT, ReasonExtensionPending, msgExtensionPending)
		}
		if m.Assignment == nil || !s.Deadline.After(m.Assignment.Deadline) {
			return nil, FieldErrorf(ReasonBadDeadline, FieldDeadline, msgExtensionLater)
		}
		f.NewDeadline, f.Decision = s.Deadline, DecisionPending
	case FeedbackCompletion:
		f.Decision = DecisionPending
	}
	ev.Ref = f.ID
	return func() { m.Feedback = append(m.Feedback, f) }, nil
}

func (m *Matter) extensionDecision(s Step, ev *Event) (func(), error) {
	f := m.pendingExtension()
	if f == nil || (s.Ref != 0 && s.Ref != f.ID) {
		return nil, Errorf(ECONFLICT, ReasonNoPendingExtension, msgNoPendingExtension)
	}
	deadline := f.NewDeadline
	if !s.Deadline.IsZero() {
		deadline = s.Deadline
	}
	if s.Action == ActionGrantExtension && !deadline.After(m.Assignment.Deadline) {
		return nil, FieldErrorf(ReasonBadDeadline, FieldDeadline, msgExtensionLater)
	}
	if s.Action == ActionDeclineExtension {
		return m.decide(f, s, ev, DecisionDeclined, nil), nil
	}
	return m.decide(f, s, ev, DecisionGranted, func() { m.Assignment.Deadline = deadline }), nil
}

func (m *Matter) completionDecision(s Step, ev *Event) func() {
	f := m.pendingCompletion()
	switch {
	case f == nil:
		return nil
	case s.Action == ActionSendBack:
		return m.decide(f, s, ev, DecisionReturned, nil)
	}
	return m.decide(f, s, ev, DecisionAccepted, nil)
}

// decide returns the effect of deciding the pending entry f with d, and then also.
func (m *Matter) decide(f *Feedback, s Step, ev *Event, d Decision, also func()) func() {
	id := f.ID
	ev.Ref = id
	return func() {
		f := &m.Feedback[id-1]
		f.DecidedBy, f.DecidedAt, f.DecisionNote, f.Decision = s.Actor, s.At, s.Reason, d
		if also != nil {
			also()
		}
	}
}

// pendingExtension returns the undecided extension request, if any.
func (m *Matter) pendingExtension() *Feedback { return m.pending(FeedbackExtension) }

// pendingCompletion returns the undecided completion report, if any.
func (m *Matter) pendingCompletion() *Feedback { return m.pending(FeedbackCompletion) }

func (m *Matter) pending(kind FeedbackKind) *Feedback {
	for i := len(m.Feedback) - 1; i >= 0; i-- {
		if f := &m.Feedback[i]; f.Kind == kind && f.Decision == DecisionPending {
			return f
		}
	}
	return nil
}

// Event returns the history event with seq, or nil.
func (m *Matter) Event(seq int) *Event {
	if seq < 1 || seq > len(m.History) {
		return nil
	}
	return &m.History[seq-1]
}

// CheckInvariants reports the first way m is not a state the machine can reach: an
// unknown kind or state, a history that does not lead to its state, a version that does
// not count its steps, or a submitted matter without a number. `briefbot check` runs it
// over every stored matter. (Classification markings are CheckStorable's.)
func (m *Matter) CheckInvariants() error {
	bad := func(what string) error {
		return &Error{Code: EINTERNAL, Reason: ReasonInvariant, Msg: msgInternal, Err: errorString("matter invariant: " + what)}
	}
	if !m.Kind.Valid() {
		return bad("unknown kind " + string(m.Kind))
	}
	if !m.Status.Valid() {
		return bad("unknown status " + string(m.Status))
	}
	if len(m.History) == 0 {
		if m.Status != StatusDraft {
			return bad("no history")
		}
	} else if last := m.History[len(m.History)-1]; last.To != m.Status {
		return bad("history ends in " + string(last.To) + ", status is " + string(m.Status))
	}
	prev := Status("")
	for i, ev := range m.History {
		if ev.Seq != i+1 {
			return bad("history out of sequence")
		}
		if i == 0 && ev.Action == ActionSubmit {
			prev = ev.From
		}
		if ev.From != prev {
			return bad("history breaks at step " + string(ev.Action))
		}
		if to, ok := NextFor(m.Kind, ev.From, ev.Action); !ok || to != ev.To {
			return bad("illegal step in history: " + string(ev.Action) + " from " + string(ev.From))
		}
		prev = ev.To
	}
	if m.Version != len(m.History) {
		return bad("version does not count the history")
	}
	if m.NeedsNumber() && m.Number.IsZero() {
		return bad("submitted matter without a ledger number")
	}
	if !m.Number.IsZero() && m.Number.Kind != m.Kind {
		return bad("ledger number of another kind")
	}
	return nil
}

// NeedsNumber reports whether m is in a state that carries a ledger number: anything
// once submitted (a draft, signed or withdrawn-before-submission matter has none).
func (m *Matter) NeedsNumber() bool {
	return m.Status != StatusDraft && m.Status != StatusSignOff && m.Status != StatusSigned && !(m.Status == StatusWithdrawn && m.SubmittedAt.IsZero())
}

type errorString string

func (e errorString) Error() string { return string(e) }
