package briefbot

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Take returns the Change that takes steps on a matter, in order, all or none. It is
// the one path of every step, whatever form, button, typed command or thread reply
// carried it: each step is authorised for its actor by the rules' Org at the moment it
// is applied, against the matter as stored (the engine calls the Change inside its
// write transaction), then applied; the notices the change causes are named, as data.
//
// A matter the actor may not see is ENOTFOUND, exactly as a matter that does not
// exist. A step the actor may not take is EFORBIDDEN (ReasonNotAllowed). A referral
// without a deadline gets the default handling deadline; a report of feedback names
// the department the actor reports for.
func (r *Rules) Take(steps ...Step) Change {
	return func(m *Matter) (*Matter, []*Dispatch, error) {
		before, cur := m, m.Clone()
		for _, s := range steps {
			if err := r.authorize(cur, &s); err != nil {
				return nil, nil, err
			}
			if err := cur.Apply(s); err != nil {
				return nil, nil, err
			}
		}
		return cur, r.tell(before, cur, steps), nil
	}
}

// Can reports whether who may take action on m at at, as themselves: the state machine
// allows it from m's state and the rules allow it to who. Buttons and help use it; the
// step itself is authorised again when it is taken.
func (r *Rules) Can(who MemberID, m *Matter, action Action, at time.Time) bool {
	return r.Check(who, m, action, at) == nil
}

// Check says why who may not take action on m now, as themselves (nil if they may): a
// matter they may not see is ENOTFOUND, a step they may not take EFORBIDDEN, one the
// state machine does not allow from m's state ECONFLICT.
func (r *Rules) Check(who MemberID, m *Matter, action Action, at time.Time) error {
	s := Step{Action: action, Actor: who, At: at}
	if err := r.authorize(m, &s); err != nil {
		return err
	}
	if _, ok := NextFor(m.Kind, m.Status, action); !ok {
		return &Error{Code: ECONFLICT, Reason: ReasonIllegalTransition, Msg: msgIllegal(m.Status, action)}
	}
	// What the state alone does not say: an extension decided only while one is asked
	// for, asked for only while none is.
	switch pending := m.pendingExtension() != nil; {
	case action == ActionSign && m.Status != StatusDraft && m.Status != StatusSignOff && !m.Unsigned:
		return Errorf(ECONFLICT, ReasonAlreadySigned, msgAlreadySigned(m.Number))
	case (action == ActionGrantExtension || action == ActionDeclineExtension) && !pending:
		return Errorf(ECONFLICT, ReasonNoPendingExtension, msgNoPendingExtension)
	case action == ActionRequestExtension && pending:
		return Errorf(ECONFLICT, ReasonExtensionPending, msgExtensionPending)
	}
	return nil
}

// CanRecordFor lists the leaders for whom clerk who may record action (批示 or 圈阅) on
// m now.
func (r *Rules) CanRecordFor(who MemberID, m *Matter, action Action) []MemberID {
	var out []MemberID
	for _, c := range r.Org.CommitteesBefore(m) {
		for _, l := range c.Leaders {
			s := Step{Action: action, Actor: who, OnBehalfOf: l}
			if l != who && !slices.Contains(out, l) && r.authorize(m, &s) == nil {
				out = append(out, l)
			}
		}
	}
	return out
}

// authorize decides whether s.Actor may take s on m, and completes s with what the
// rules decide for it (a referral's default deadline, the department that reports).
func (r *Rules) authorize(m *Matter, s *Step) error {
	org := &r.Org
	if !org.Allowed(s.Actor, PermView, m) && !(s.Action == ActionSubmit && org.Allowed(s.Actor, PermSubmit, m)) {
		return NotFound(RefOf(m))
	}
	allowed := false
	switch s.Action {
	case ActionSubmit, ActionResubmit, ActionWithdraw, ActionAskSignOff:
		allowed = org.Allowed(s.Actor, PermSubmit, m)
	case ActionSign, ActionRevise:
		if d, ok := org.Department(m.Department); ok {
			allowed, s.Delegated = d.Signs(s.Actor, s.At)
			if !allowed {
				return Errorf(EFORBIDDEN, ReasonNotAllowed, msgNotSignatory(org.MemberName(d.Principal)))
			}
		}
	case ActionRead, ActionInstruct, ActionRefer:
		perm := PermInstruct
		if s.Action == ActionRead {
			perm = PermRead
		}
		allowed = r.asLeader(m, s, perm)
		if allowed && s.Action == ActionRead && r.acted(m, s) {
			return Errorf(ECONFLICT, ReasonAlreadyActed, msgAlreadyActed(m.Number, ActionRead))
		}
		if allowed && s.Action == ActionRefer {
			return r.referral(m, s)
		}
	case ActionProgress, ActionRequestExtension, ActionComplete:
		allowed = r.reportingUnit(m, s)
	case ActionGrantExtension, ActionDeclineExtension:
		allowed = org.Allowed(s.Actor, PermDecide, m) ||
			(r.FollowThrough.LeadersDecideExtensions && slices.Contains(m.instructingLeaders(), s.Actor) && org.Allowed(s.Actor, PermInstruct, m))
	default: // register, review, return, propose, present, send back, close out, archive: the general office
		allowed = org.Allowed(s.Actor, PermDecide, m)
	}
	if !allowed {
		return r.forbidden(m, s)
	}
	return nil
}

// asLeader decides a leader's step: the actor's own, with perm; or, with OnBehalfOf, a
// clerk recording for a leader of their own committee, who has perm.
func (r *Rules) asLeader(m *Matter, s *Step, perm Permission) bool {
	org := &r.Org
	if s.OnBehalfOf == "" || s.OnBehalfOf == s.Actor {
		return org.Allowed(s.Actor, perm, m)
	}
	return org.Allowed(s.Actor, PermRecordFor, m) && org.ClerkFor(s.Actor, s.OnBehalfOf, m) && org.Allowed(s.OnBehalfOf, perm, m)
}

// referral checks a referral's units against the org and gives it the default
// handling deadline when it has none.
func (r *Rules) referral(m *Matter, s *Step) error {
	for _, u := range append([]DepartmentID{s.Lead}, s.Assisting...) {
		if _, ok := r.Org.Department(u); !ok && u != "" {
			field := FieldLead
			if u != s.Lead {
				field = FieldAssisting
			}
			return FieldErrorf(ReasonUnknownDepartment, field, msgUnknownDepartment)
		}
	}
	if s.Deadline.IsZero() {
		s.Deadline = r.HandlingDeadline(m, s.At)
	}
	return nil
}

// acted reports whether the leader s records for has already read or instructed m: a
// double click, or a read after instructing; once is enough.
func (r *Rules) acted(m *Matter, s *Step) bool {
	leader := s.Actor
	if s.OnBehalfOf != "" {
		leader = s.OnBehalfOf
	}
	return slices.ContainsFunc(m.Instructions, func(in Instruction) bool { return in.Leader == leader })
}

// reportingUnit decides whether s.Actor may report s on m's assignment and for which
// unit: a head of the lead unit; for progress, of an assisting unit too.
func (r *Rules) reportingUnit(m *Matter, s *Step) bool {
	if m.Assignment == nil || !r.Org.Allowed(s.Actor, PermReport, m) {
		return false
	}
	units := []DepartmentID{m.Assignment.Lead}
	if s.Action == ActionProgress {
		units = m.Assignment.Units()
	}
	headed := r.Org.UnitsHeadedBy(s.Actor, units)
	if len(headed) == 0 {
		return false
	}
	if s.Department == "" || !slices.Contains(headed, s.Department) {
		s.Department = headed[0]
	}
	return true
}

func (r *Rules) forbidden(m *Matter, s *Step) error {
	a := s.Action
	msg := msgNotYourStep(m.Number, a)
	switch a {
	case ActionRead, ActionInstruct, ActionRefer:
		msg = msgNotYourLeader(m.Number)
	case ActionSubmit, ActionResubmit, ActionWithdraw:
		return ErrNotHead
	case ActionComplete, ActionRequestExtension:
		if m.Assignment != nil && len(r.Org.UnitsHeadedBy(s.Actor, m.Assignment.Assisting)) > 0 {
			msg = msgLeadUnitOnly(m.Number, a)
		}
	}
	return Errorf(EFORBIDDEN, ReasonNotAllowed, msg)
}

// instructingLeaders are the leaders who wrote instructions on m.
func (m *Matter) instructingLeaders() []MemberID {
	var ls []MemberID
	for _, in := range m.Instructions {
		if in.Kind == InstructionWritten && !slices.Contains(ls, in.Leader) {
			ls = append(ls, in.Leader)
		}
	}
	return ls
}

// RefOf is the Ref of m: its number, or its id while it has none.
func RefOf(m *Matter) Ref {
	if m.Number.IsZero() {
		return RefID(m.ID)
	}
	return RefNumber(m.Number)
}

// NoSuchNumber is the answer to a related matter (FieldRelated, ReasonNoRelated) or a
// first report (FieldFollowUpOf, ReasonNoFirstReport) that does not exist, or that
// the submitter may not know of: the engine and CheckRefs answer with these same
// words, so trying numbers cannot confirm a restricted matter.
func NoSuchNumber(reason Reason, field string, n Number) *Error {
	return FieldErrorf(reason, field, Text{ZH: fmt.Sprintf("台账中没有 %s。", n), EN: fmt.Sprintf("There is no %s in the ledger.", n)})
}

// CheckRefs refuses a related matter or first report that actor may not see exactly
// as one that does not exist (NoSuchNumber). The engine refuses numbers that do not
// exist at all; only the rules know who may see what.
func (r *Rules) CheckRefs(ctx context.Context, ms interface {
	Matter(ctx context.Context, ref Ref) (*Matter, error)
}, actor MemberID, m *Matter) error {
	seen := func(n Number) (bool, error) {
		x, err := ms.Matter(ctx, RefNumber(n))
		switch {
		case ErrorCode(err) == ENOTFOUND:
			return false, nil
		case err != nil:
			return false, err
		}
		return r.Org.Allowed(actor, PermView, x), nil
	}
	if !m.FollowUpOf.IsZero() {
		if ok, err := seen(m.FollowUpOf); err != nil {
			return err
		} else if !ok {
			return NoSuchNumber(ReasonNoFirstReport, FieldFollowUpOf, m.FollowUpOf)
		}
	}
	for _, n := range m.Related {
		if ok, err := seen(n); err != nil {
			return err
		} else if !ok {
			return NoSuchNumber(ReasonNoRelated, FieldRelated, n)
		}
	}
	return nil
}

// NotFound is the answer about a matter that does not exist, or that the asker may not
// know of: the two are the same answer, so a restricted matter's existence does not leak.
func NotFound(ref Ref) *Error {
	return Errorf(ENOTFOUND, ReasonNotFound, msgNoSuchMatter(ref))
}
