package briefbot_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

// TestSummary_PredicatesAgree: whatever a list decides on a summary (Summary.Matter)
// — who may see the matter, whether a filter accepts it, its deadline — it decides as
// on the whole matter, for every member of the org and every kind of filter, over
// matters varied in every field those predicates read. A predicate that comes to
// read a field the summary lacks fails here.
func TestSummary_PredicatesAgree(t *testing.T) {
	org := testOrg()
	rng := rand.New(rand.NewPCG(3, 5))
	members := []briefbot.MemberID{"zhao", "qian", "sun", "li", "zhou", "wu", "zheng", "stranger"}
	depts := []briefbot.DepartmentID{"criminal", "civil", "nobody"}
	comms := []briefbot.CommitteeID{"party", "pl"}
	now := day.Add(3 * 24 * time.Hour)
	pick := func(n int) int { return rng.IntN(n) }
	var filters []briefbot.Filter
	for _, s := range briefbot.Statuses {
		filters = append(filters, briefbot.Filter{Statuses: []briefbot.Status{s}})
	}
	for _, d := range depts {
		filters = append(filters, briefbot.Filter{Department: d}, briefbot.Filter{Assignee: d}, briefbot.Filter{Departments: []briefbot.DepartmentID{d}})
	}
	for _, c := range comms {
		filters = append(filters, briefbot.Filter{Committee: c})
	}
	filters = append(filters, briefbot.Filter{Awaiting: true}, briefbot.Filter{OverdueAt: now}, briefbot.Filter{SignOffPending: true},
		briefbot.Filter{Submitter: "wu"}, briefbot.Filter{Year: 2026, Kinds: []briefbot.Kind{briefbot.KindReport}})
	for i := range 2000 {
		m := validRequest()
		if i%2 == 1 {
			m = validReport()
		}
		m.ID = uint64(i + 1)
		m.Number = briefbot.Number{Kind: m.Kind, Year: 2025 + pick(2), Seq: i + 1}
		m.Status = briefbot.Statuses[pick(len(briefbot.Statuses))]
		m.Department = depts[pick(len(depts))]
		m.Submitter = members[pick(len(members))]
		m.Addressee = comms[pick(2)]
		if pick(2) == 0 {
			m.Copied = []briefbot.CommitteeID{comms[pick(2)]}
		}
		if pick(4) == 0 {
			m.Restricted = []briefbot.MemberID{members[pick(len(members))]}
		}
		if pick(3) == 0 {
			m.Assignment = &briefbot.Assignment{Lead: depts[pick(3)], Assisting: []briefbot.DepartmentID{depts[pick(3)]}, Deadline: day.Add(time.Duration(pick(7)) * 24 * time.Hour)}
		}
		m.Unsigned = pick(3) == 0
		if pick(2) == 0 {
			m.SubmittedAt = day
		}
		m.AnswerBy = day.Add(time.Duration(pick(7)) * 24 * time.Hour)
		s := m.Summary().Matter()
		for _, who := range members {
			if got, want := org.CanSee(who, s), org.CanSee(who, m); got != want {
				t.Fatalf("CanSee(%s) on the summary = %v, on the matter %v: %+v", who, got, want, m)
			}
			if got, want := org.Allowed(who, briefbot.PermView, s), org.Allowed(who, briefbot.PermView, m); got != want {
				t.Fatalf("Allowed(%s, view) on the summary = %v, on the matter %v: %+v", who, got, want, m)
			}
		}
		for _, f := range filters {
			f = f.Normalized()
			if got, want := f.Accepts(s), f.Accepts(m); got != want {
				t.Fatalf("%+v accepts the summary: %v, the matter: %v: %+v", f, got, want, m)
			}
		}
		if !m.Summary().DueAt().Equal(m.DueAt()) || m.Summary().Overdue(now) != m.Overdue(now) {
			t.Fatalf("deadline on the summary %v, on the matter %v", m.Summary().DueAt(), m.DueAt())
		}
	}
}
