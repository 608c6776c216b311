package briefbot

import "slices"

// This file says who is told of what (向谁请示向谁答复): the notices a change causes,
// as data. What they say is rendered when they are delivered, in each reader's
// language; who receives them is decided here, and only members who may see the matter
// are named.

// tell names the notices of a change that took steps from before to after.
func (r *Rules) tell(before, after *Matter, steps []Step) []*Dispatch {
	if len(steps) == 0 {
		return nil
	}
	event := len(before.History) + 1 // the change's first step
	s := steps[0]
	switch s.Action {
	case ActionSubmit:
		return r.Submission(after)
	case ActionAskSignOff:
		return r.SignOffRequest(after)
	case ActionSign:
		if before.Status == StatusSignOff { // signed off and submitted: as any submission, and the asker told
			return append(r.Submission(after), one(r.notice(DispatchNotice, NoticeSigned, after, event, after.Submitter))...)
		}
		return one(r.notice(DispatchNotice, NoticeSigned, after, event, after.Submitter))
	case ActionRevise:
		return one(r.notice(DispatchNotice, NoticeSigned, after, event, after.Submitter))
	case ActionRead, ActionInstruct:
		return one(r.notice(DispatchNotice, NoticeInstruction, after, event, r.instructionReaders(after)...))
	case ActionProgress, ActionRequestExtension, ActionComplete:
		return one(r.notice(DispatchNotice, NoticeReport, after, event, r.deciders(after, s.Action)...))
	case ActionGrantExtension, ActionDeclineExtension, ActionClose, ActionSendBack:
		return one(r.notice(DispatchNotice, NoticeDecision, after, event, r.departmentReaders(after)...))
	}
	return nil
}

func one(d *Dispatch) []*Dispatch {
	if d == nil {
		return nil
	}
	return []*Dispatch{d}
}

// Submission names what a new submission causes besides its record: the submitter's
// receipt and, for an urgent matter (特急, 要情专报), the alert to its committee's
// channel and leaders. For a matter not yet stored the notices name no matter: the
// engine fills in its id.
func (r *Rules) Submission(m *Matter) []*Dispatch {
	receipt := &Dispatch{Kind: DispatchReceipt, Committee: m.Addressee, Matters: idOf(m),
		Notice: &Notice{Kind: NoticeReceipt, Matter: m.ID}, Parts: []Part{{To: ToMember(m.Submitter)}}}
	out := append([]*Dispatch{receipt}, one(r.Alert(m))...)
	if m.Unsigned { // out before its sign-off: the principal is asked at once
		out = append(out, r.SignOffRequest(m)...)
	}
	return out
}

// Alert is the dispatch escalating an urgent matter at once: to its committee's channel
// (where it shows as restricted unless everyone there may see it) and to each of its
// leaders who may see it by DM. Nil for a matter that is not urgent. It still appears
// in the next briefing.
func (r *Rules) Alert(m *Matter) *Dispatch {
	c, ok := r.Org.Committee(m.Addressee)
	if !m.Urgent() || !ok {
		return nil
	}
	d := &Dispatch{Kind: DispatchAlert, Committee: c.ID, Matters: idOf(m), Notice: &Notice{Kind: NoticeAlert, Matter: m.ID}}
	if c.Channel != "" {
		d.Parts = append(d.Parts, Part{To: ToCommittee()})
	}
	for _, l := range c.Leaders {
		if r.Org.Allowed(l, PermView, m) {
			d.Parts = append(d.Parts, Part{To: ToMember(l)})
		}
	}
	if len(d.Parts) == 0 {
		return nil
	}
	return d
}

// Draft names who is told of a member's draft: the department's principal and heads,
// who review and submit it.
func (r *Rules) Draft(m *Matter) []*Dispatch {
	d, ok := r.Org.Department(m.Department)
	if !ok {
		return nil
	}
	return one(r.notice(DispatchNotice, NoticeDraft, m, 0, d.HeadsOf()...))
}

// instructionReaders are told of an instruction: the submitter (in their receipt's
// thread) and the department's principal (向谁请示向谁答复); on a referral (转办) also
// the lead unit's principal and heads and each assisting unit's, who must act on it,
// and the committee's clerks, who follow it through. Each gets the buttons of what
// they may do (the lead unit reports, assisting units send 落实反馈).
func (r *Rules) instructionReaders(m *Matter) []MemberID {
	to := []MemberID{m.Submitter}
	if d, ok := r.Org.Department(m.Department); ok {
		to = append(to, d.Principal)
	}
	if a := m.Assignment; a != nil {
		for _, u := range a.Units() {
			if d, ok := r.Org.Department(u); ok {
				to = append(to, d.HeadsOf()...)
			}
		}
		if c, ok := r.Org.Committee(m.Addressee); ok {
			to = append(to, c.Clerks...)
		}
	}
	return to
}

// deciders are told of a department's report: the committee's clerks, or for an
// extension request the instructing leaders when they decide those.
func (r *Rules) deciders(m *Matter, a Action) []MemberID {
	if a == ActionRequestExtension && r.FollowThrough.LeadersDecideExtensions {
		if ls := m.instructingLeaders(); len(ls) > 0 {
			return ls
		}
	}
	if c, ok := r.Org.Committee(m.Addressee); ok {
		return c.Clerks
	}
	return nil
}

// departmentReaders are told of a decision on the follow-through: the submitter, the
// department's principal, and the principal and heads of the lead unit.
func (r *Rules) departmentReaders(m *Matter) []MemberID {
	to := []MemberID{m.Submitter}
	if d, ok := r.Org.Department(m.Department); ok {
		to = append(to, d.Principal)
	}
	if a := m.Assignment; a != nil {
		if d, ok := r.Org.Department(a.Lead); ok {
			to = append(to, d.HeadsOf()...)
		}
	}
	return to
}

// notice is the dispatch of a notice about m to each of to who may see m (each once);
// nil when nobody is left. Notices to the submitter are threaded under their receipt.
func (r *Rules) notice(kind DispatchKind, nk NoticeKind, m *Matter, event int, to ...MemberID) *Dispatch {
	d := &Dispatch{Kind: kind, Committee: m.Addressee, Matters: idOf(m), Notice: &Notice{Kind: nk, Matter: m.ID, Event: event}}
	var seen []MemberID
	for _, id := range to {
		if id == "" || slices.Contains(seen, id) || !r.Org.Allowed(id, PermView, m) {
			continue
		}
		seen = append(seen, id)
		d.Parts = append(d.Parts, Part{To: ToMember(id), InReceipt: id == m.Submitter && !m.Number.IsZero()})
	}
	if len(d.Parts) == 0 {
		return nil
	}
	return d
}

func idOf(m *Matter) []uint64 {
	if m.ID == 0 {
		return nil
	}
	return []uint64{m.ID}
}
