package briefbot

import "time"

// SignOffRules say how a submission is signed off (签发). The zero value is the rule of
// the 条例: the department's principal signs off (or a head they delegated to, 授权签发);
// what a head submits waits for that sign-off, unnumbered, except that an extra-urgent
// matter or a priority report (要情专报) goes out at once marked 未签发 and the
// principal is chased until they sign.
type SignOffRules struct {
	// Off lets heads submit without sign-off: no signatory is recorded.
	Off bool
	// WaitAlways keeps urgent matters waiting for their sign-off too.
	WaitAlways bool
}

// SignOffPlan is how a submission goes out.
type SignOffPlan int

const (
	// SignedNow: the one submitting signs it off (the principal, or a delegate).
	SignedNow SignOffPlan = iota
	// AskSignOff: it waits for the signatory, unnumbered (StatusSignOff).
	AskSignOff
	// UnsignedFirst: it goes out now, numbered, marked 未签发; the signatory is asked.
	UnsignedFirst
	// NoSignOff: sign-off is switched off.
	NoSignOff
)

// SignOff decides how actor's submission of m goes out at now and records it on m:
// the signatory and date for SignedNow (with Delegated for a delegate), Unsigned for
// UnsignedFirst.
func (r *Rules) SignOff(actor MemberID, m *Matter, now time.Time) SignOffPlan {
	m.Signatory, m.SignedOn, m.Delegated, m.Unsigned = "", time.Time{}, false, false
	if r.Intake.SignOff.Off {
		return NoSignOff
	}
	if d, ok := r.Org.Department(m.Department); ok {
		if signs, delegated := d.Signs(actor, now); signs {
			m.Signatory, m.SignedOn, m.Delegated = actor, now, delegated
			return SignedNow
		}
	}
	if m.Urgent() && !r.Intake.SignOff.WaitAlways {
		m.Unsigned = true
		return UnsignedFirst
	}
	return AskSignOff
}

// PreSubmission reports whether m is still the department's alone: a draft, waiting
// for or given its sign-off but not submitted, or withdrawn before it was. (A matter
// not yet stored, about to be submitted, is not.)
func (m *Matter) PreSubmission() bool {
	switch m.Status {
	case StatusDraft, StatusSignOff, StatusSigned:
		return true
	case StatusWithdrawn:
		return m.SubmittedAt.IsZero()
	}
	return false
}

// AwaitsSignOff reports whether m waits for its sign-off: before its signatory, or
// sent ahead unsigned and still open.
func (m *Matter) AwaitsSignOff() bool {
	return m.Status == StatusSignOff || (m.Unsigned && m.Status.Open() && m.Status != StatusDraft)
}

// Signatories are those who may sign off m at now: the principal and the delegates
// whose period covers now; the principal first.
func (r *Rules) Signatories(m *Matter, now time.Time) []MemberID {
	d, ok := r.Org.Department(m.Department)
	if !ok {
		return nil
	}
	out := []MemberID{d.Principal}
	for _, g := range d.Delegates {
		if signs, _ := d.Signs(g.Member, now); signs && g.Member != d.Principal {
			out = append(out, g.Member)
		}
	}
	return out
}

// SignOffRequest is the notice asking m's principal to sign it off (签发 or 退回修改):
// for a matter waiting, or one that went out unsigned.
func (r *Rules) SignOffRequest(m *Matter) []*Dispatch {
	d, ok := r.Org.Department(m.Department)
	if !ok {
		return nil
	}
	return one(r.notice(DispatchNotice, NoticeSignOff, m, 0, d.Principal))
}
