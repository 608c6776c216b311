package storetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// listsAgreeWithAScan builds a ledger of varied matters (departments, committees,
// copies, statuses, referrals with assisting units, deadlines past and future) and
// checks that every list the index answers, paged, holds exactly the matters a scan
// of the whole ledger accepts, in the list's order, each summary as the whole matter
// has it (Matter.Summary): the index intersections and the
// deadline indexes by department, unit and committee may skip no matter and add none.
func listsAgreeWithAScan(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	rng := rand.New(rand.NewPCG(7, 11))
	depts := []briefbot.DepartmentID{"criminal", "civil", "admin", "enforce"}
	comms := []briefbot.CommitteeID{"party", "pl"}
	now := c.Now()
	for i := range 160 {
		var m *briefbot.Matter
		if i%3 == 2 {
			m = Report(fmt.Sprintf("报告%03d", i))
		} else {
			m = Request(fmt.Sprintf("请示%03d", i))
			m.AnswerBy = now.Add(time.Duration(rng.IntN(10)-5) * 24 * time.Hour)
		}
		m.Department = depts[rng.IntN(len(depts))]
		m.Addressee = comms[rng.IntN(2)]
		m.Copied = nil
		if rng.IntN(3) == 0 {
			m.Copied = []briefbot.CommitteeID{comms[0]}
			if m.Addressee == comms[0] {
				m.Copied = []briefbot.CommitteeID{comms[1]}
			}
		}
		m = submit(t, s, m)
		if m.Kind != briefbot.KindRequest {
			continue
		}
		switch rng.IntN(4) {
		case 0:
			apply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: now, Text: "同意"})
		case 1:
			lead := depts[rng.IntN(len(depts))]
			assist := depts[(slices.Index(depts, lead)+1+rng.IntN(len(depts)-1))%len(depts)]
			apply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: now, Text: "同意，转办"})
			apply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: now, Lead: lead,
				Assisting: []briefbot.DepartmentID{assist}, Deadline: now.Add(time.Duration(1+rng.IntN(9)) * 24 * time.Hour)})
		}
	}
	var all []*briefbot.Matter // newest first
	if err := s.Each(ctx, briefbot.Filter{}, func(m *briefbot.Matter) bool { all = append(all, m); return true }); err != nil {
		t.Fatal(err)
	}
	if len(all) != 160 {
		t.Fatalf("the ledger holds %d matters; want 160", len(all))
	}
	asOf := now.Add(5*24*time.Hour + time.Hour) // about half the deadlines have passed
	filters := []briefbot.Filter{
		{},
		{Department: "civil"},
		{Department: "admin", Statuses: []briefbot.Status{briefbot.StatusSubmitted}},
		{Departments: []briefbot.DepartmentID{"civil", "enforce"}},
		{Departments: []briefbot.DepartmentID{"admin", "nobody"}, Committee: "pl"},
		{OverdueAt: asOf, Departments: []briefbot.DepartmentID{"criminal", "admin"}},
		{Department: "criminal", Committee: "pl"},
		{Committee: "party", Statuses: []briefbot.Status{briefbot.StatusInstructed, briefbot.StatusReferred}},
		{Assignee: "enforce"},
		{Assignee: "civil", Department: "criminal"},
		{Submitter: "zheng", Committee: "party"},
		{Year: 2026, Kinds: []briefbot.Kind{briefbot.KindRequest}, Department: "admin"},
		{Year: 2026, Committee: "pl"},
		{Awaiting: true, Department: "enforce"},
		{Department: "nobody", Statuses: []briefbot.Status{briefbot.StatusSubmitted}},
		{Statuses: []briefbot.Status{briefbot.StatusClosed}, Committee: "party"},
		{OverdueAt: asOf},
		{OverdueAt: asOf, Department: "civil"},
		{OverdueAt: asOf, Assignee: "admin"},
		{OverdueAt: asOf, Committee: "pl"},
		{OverdueAt: asOf, Committee: "party", Department: "criminal"},
		{OverdueAt: asOf, Department: "admin", Statuses: []briefbot.Status{briefbot.StatusReferred}},
		{OverdueAt: asOf, Submitter: "wu", Assignee: "criminal"},
		{OverdueAt: asOf, Department: "nobody"},
	}
	nonEmpty := 0
	for _, f := range filters {
		want := scan(all, f)
		if got := listAll(t, s, f, false); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("List(%+v) by offset = %v\nwant (a scan) %v", f, got, want)
		}
		if got := listAll(t, s, f, true); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("List(%+v) by cursor = %v\nwant (a scan) %v", f, got, want)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < len(filters)-4 {
		t.Fatalf("only %d of %d filters match anything: the ledger is too uniform to test them", nonEmpty, len(filters))
	}
}

// scan is the list f should give: every matter f accepts, newest first, or for an
// overdue list earliest deadline first.
func scan(all []*briefbot.Matter, f briefbot.Filter) []string {
	f = f.Normalized()
	var ms []*briefbot.Matter
	for _, m := range all {
		if f.Accepts(m) {
			ms = append(ms, m)
		}
	}
	if !f.OverdueAt.IsZero() {
		slices.SortStableFunc(ms, func(a, b *briefbot.Matter) int {
			return cmp.Or(a.DueAt().Compare(b.DueAt()), cmp.Compare(a.ID, b.ID))
		})
	}
	sums := make([]*briefbot.Summary, len(ms))
	for i, m := range ms {
		sums[i] = m.Summary()
	}
	return summariesOf(sums)
}

// listAll reads every page of f, seven matters a page, each page by its offset or
// from the cursor where the one before ended.
func listAll(t *testing.T, s *store.Store, f briefbot.Filter, byCursor bool) []string {
	var ms []*briefbot.Summary
	for page := 0; ; page++ {
		f.Limit = 7
		if !byCursor {
			f.Offset = page * 7
		}
		p, err := s.List(ctx, f)
		if err != nil {
			t.Fatalf("List(%+v): %v", f, err)
		}
		ms = append(ms, p.Matters...)
		if !p.More {
			return summariesOf(ms)
		}
		if p.Next.IsZero() || p.Next.ID != p.Matters[len(p.Matters)-1].ID {
			t.Fatalf("List(%+v): a page with more after it ends at cursor %+v", f, p.Next)
		}
		if byCursor {
			f.After = p.Next
		}
	}
}

// summariesOf writes each summary out whole (in JSON), so that a list must agree with
// the scan on every field it shows, not only on which matters it holds.
func summariesOf(ms []*briefbot.Summary) []string {
	var out []string
	for _, m := range ms {
		b, err := json.Marshal(m)
		if err != nil {
			panic(err)
		}
		out = append(out, string(b))
	}
	return out
}
