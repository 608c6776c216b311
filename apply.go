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
//   - refer: Lead, Deadline; Assisting optional
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
	Lead       string
	Assisting  []string
	Department string // the department reporting feedback
	Ref        int    // the feedback entry decided on (extensions)
	Corrects   int    // the instruction corrected
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
// reason "illegal_transition", otherwise) and that the step carries what its action
// needs (EINVALID). On success it records an Event, updates Status, Version and
// UpdatedAt, and adds any instruction, assignment or feedback the step makes. On error m
// is unchanged.
func (m *Matter) Apply(s Step) error {
	to, ok := NextFor(m.Kind, m.Status, s.Action)
	if !ok {
		return &Error{Code: ECONFLICT, Reason: "illegal_transition", Msg: msgIllegal(m.Status, s.Action)}
	}
	if s.Actor == "" {
		return Errorf(EINVALID, "actor_required", msgActorRequired)
	}
	if s.At.IsZero() {
		return Errorf(EINVALID, "time_required", msgTimeRequired)
	}
	for _, t := range []string{s.Reason, s.Text} {
		if len([]rune(t)) > MaxStepText {
			return Errorf(EINVALID, "too_long", msgStepTooLong)
		}
		if HasClassificationMarking(t) {
			return Errorf(EINVALID, "classified", msgClassified)
		}
	}
	needs := func(v string, msg Text) error {
		if strings.TrimSpace(v) == "" {
			return Errorf(EINVALID, "missing", msg)
		}
		return nil
	}
	ev := Event{Action: s.Action, From: m.Status, To: to, Actor: s.Actor, OnBehalfOf: s.OnBehalfOf, At: s.At, Reason: s.Reason}
	var apply func()

	switch s.Action {
	case ActionReturn, ActionWithdraw, ActionSendBack, ActionDeclineExtension:
		if err := needs(s.Reason, msgReasonRequired); err != nil {
			return err
		}
	case ActionPropose, ActionProgress, ActionComplete:
		if err := needs(s.Text, msgTextRequired); err != nil {
			return err
		}
	}

	switch s.Action {
	case ActionSubmit, ActionResubmit:
		// Whoever submits a draft (a department head, for a member's draft) is its submitter.
		apply = func() { m.SubmittedAt, m.Submitter = s.At, s.Actor }
	case ActionPropose:
		ev.Reason = s.Text
	case ActionRead, ActionInstruct:
		if s.Action == ActionInstruct {
			if err := needs(s.Text, msgInstructionRequired); err != nil {
				return err
			}
		}
		if s.Corrects != 0 && !slices.ContainsFunc(m.Instructions, func(in Instruction) bool { return in.ID == s.Corrects }) {
			return Errorf(EINVALID, "no_such_instruction", msgNoSuchInstruction)
		}
		in := Instruction{ID: len(m.Instructions) + 1, Leader: s.Actor, Text: s.Text, At: s.At, Corrects: s.Corrects, Kind: InstructionWritten}
		if s.Action == ActionRead {
			in.Kind = InstructionRead
		}
		if s.OnBehalfOf != "" && s.OnBehalfOf != s.Actor {
			in.Leader, in.RecordedBy = s.OnBehalfOf, s.Actor
		}
		ev.Ref = in.ID
		apply = func() { m.Instructions = append(m.Instructions, in) }
	case ActionRefer:
		if err := needs(s.Lead, msgLeadRequired); err != nil {
			return err
		}
		if !s.Deadline.After(s.At) {
			return Errorf(EINVALID, "bad_deadline", msgDeadlineFuture)
		}
		if slices.Contains(s.Assisting, s.Lead) {
			return Errorf(EINVALID, "lead_assisting", msgLeadAssisting)
		}
		a := &Assignment{Lead: s.Lead, Assisting: slices.Clone(s.Assisting), Deadline: s.Deadline, OriginalDeadline: s.Deadline, By: s.Actor, At: s.At}
		apply = func() { m.Assignment = a }
	case ActionProgress, ActionComplete, ActionRequestExtension:
		kind := map[Action]FeedbackKind{ActionProgress: FeedbackProgress, ActionComplete: FeedbackCompletion, ActionRequestExtension: FeedbackExtension}[s.Action]
		f := Feedback{ID: len(m.Feedback) + 1, Kind: kind, Department: s.Department, By: s.Actor, Text: s.Text, At: s.At}
		switch kind {
		case FeedbackExtension:
			if err := needs(s.Text, msgReasonRequired); err != nil {
				return err
			}
			if m.pendingExtension() != nil {
				return Errorf(ECONFLICT, "extension_pending", msgExtensionPending)
			}
			if m.Assignment == nil || !s.Deadline.After(m.Assignment.Deadline) {
				return Errorf(EINVALID, "bad_deadline", msgExtensionLater)
			}
			f.NewDeadline, f.Decision = s.Deadline, DecisionPending
		case FeedbackCompletion:
			f.Decision = DecisionPending
		}
		ev.Ref = f.ID
		apply = func() { m.Feedback = append(m.Feedback, f) }
	case ActionGrantExtension, ActionDeclineExtension:
		f := m.pendingExtension()
		if f == nil || (s.Ref != 0 && s.Ref != f.ID) {
			return Errorf(ECONFLICT, "no_pending_extension", msgNoPendingExtension)
		}
		deadline := f.NewDeadline
		if !s.Deadline.IsZero() {
			deadline = s.Deadline
		}
		if s.Action == ActionGrantExtension && !deadline.After(m.Assignment.Deadline) {
			return Errorf(EINVALID, "bad_deadline", msgExtensionLater)
		}
		ev.Ref = f.ID
		id := f.ID
		apply = func() {
			f := &m.Feedback[id-1]
			f.DecidedBy, f.DecidedAt, f.DecisionNote = s.Actor, s.At, s.Reason
			if s.Action == ActionGrantExtension {
				f.Decision = DecisionGranted
				m.Assignment.Deadline = deadline
			} else {
				f.Decision = DecisionDeclined
			}
		}
	case ActionSendBack, ActionClose:
		if f := m.pendingCompletion(); f != nil {
			id := f.ID
			ev.Ref = id
			apply = func() {
				f := &m.Feedback[id-1]
				f.DecidedBy, f.DecidedAt, f.DecisionNote = s.Actor, s.At, s.Reason
				f.Decision = DecisionAccepted
				if s.Action == ActionSendBack {
					f.Decision = DecisionReturned
				}
			}
		}
	}

	if m.Status == "" && s.Action == ActionSubmit {
		ev.From = ""
	}
	if apply != nil {
		apply()
	}
	ev.Seq = len(m.History) + 1
	m.History = append(m.History, ev)
	m.Status = to
	m.Version++
	m.UpdatedAt = s.At
	return nil
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

// CheckInvariants reports the first way m is not a state the machine can reach: an
// unknown kind or state, a history that does not lead to its state, a version that does
// not count its steps, or a submitted matter without a number. The store runs it before
// every write and in its checks. (Classification markings are CheckStorable's.)
func (m *Matter) CheckInvariants() error {
	bad := func(what string) error {
		return &Error{Code: EINTERNAL, Reason: "invariant", Msg: msgInternal, Err: errorString("matter invariant: " + what)}
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
	numbered := m.Status != StatusDraft && m.Status != StatusSigned && !(m.Status == StatusWithdrawn && m.SubmittedAt.IsZero())
	if numbered && m.Number.IsZero() {
		return bad("submitted matter without a ledger number")
	}
	if !m.Number.IsZero() && m.Number.Kind != m.Kind {
		return bad("ledger number of another kind")
	}
	return nil
}

type errorString string

func (e errorString) Error() string { return string(e) }
