package briefings_test

import (
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// yearOfMatters makes n matters spread over 2026 in a mix of lives: requests answered
// on time or late, read reports, assignments completed on time, late, extended or sent
// back, overdue ones, archived filings; every tenth restricted.
func yearOfMatters(tb testing.TB, n int) []*briefbot.Matter {
	b := newBuilder(tb)
	depts := []briefbot.DepartmentID{"criminal", "civil", "enforce", "police"}
	heads := []briefbot.MemberID{"zhou", "zheng", "feng", "chen"}
	ms := make([]*briefbot.Matter, 0, n)
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, shanghai)
	for i := range n {
		sub := start.AddDate(0, 0, i%360).Add(time.Duration(i%7) * time.Hour)
		h := func(hours int) time.Time { return sub.Add(time.Duration(hours) * time.Hour) }
		dept, head := depts[i%4], heads[i%4]
		m := &briefbot.Matter{Kind: briefbot.KindRequest, Department: dept, Submitter: head, Title: "关于第N项重点工作的请示",
			RequestedItem: "有关情况。", AnswerBy: h(72)}
		if i%10 == 0 {
			m.Restricted = []briefbot.MemberID{"zhao"}
		}
		if i%3 == 1 {
			m.Addressee, m.Copied = "pl", []briefbot.CommitteeID{"party"}
		}
		switch i % 8 {
		case 0: // awaiting
			b.submit(m, sub, register(h(1)))
		case 1: // answered late, instructed
			b.submit(m, sub, register(h(1)), instruct(h(100), "zhao", "同意。"))
		case 2: // report read and archived
			m.Kind, m.ReportType, m.AnswerBy = briefbot.KindReport, briefbot.ReportSituation, time.Time{}
			b.submit(m, sub, register(h(1)), read(h(20), "zhao"), briefbot.Step{Action: briefbot.ActionArchive, At: h(30)})
		case 3: // completed on time and closed
			b.submit(m, sub, register(h(1)), instruct(h(24), "zhao", "同意。"), refer(h(25), dept, h(24*14)),
				complete(h(24*10), dept, "已办结。"), closeOut(h(24*11)))
		case 4: // extended, sent back, closed
			b.submit(m, sub, register(h(1)), instruct(h(24), "wang", "同意。"), refer(h(25), dept, h(24*7)),
				briefbot.Step{Action: briefbot.ActionRequestExtension, Actor: head, Department: dept, Text: "需延期。", Deadline: h(24 * 14), At: h(24 * 6)},
				grantExtension(h(24*6+2)), complete(h(24*9), dept, "已办结。"), sendBack(h(24*9+3)),
				complete(h(24*16), dept, "已补充。"), closeOut(h(24*17)))
		case 5: // in progress, overdue by year end for the early ones
			b.submit(m, sub, register(h(1)), instruct(h(24), "zhao", "请落实。"), refer(h(25), dept, h(24*20)),
				progress(h(24*5), dept, "正在推进。"))
		case 6: // filing archived
			m.Kind, m.AnswerBy = briefbot.KindFiling, time.Time{}
			b.submit(m, sub, briefbot.Step{Action: briefbot.ActionArchive, At: h(2)})
		case 7: // read request, closed
			b.submit(m, sub, register(h(1)), read(h(10), "wang"), closeOut(h(48)))
		}
		ms = append(ms, m)
	}
	return ms
}

// BenchmarkYearlyRollup100k computes the 2026 annual report over 100,000 matters and
// renders it as HTML.
func BenchmarkYearlyRollup100k(b *testing.B) {
	ms := yearOfMatters(b, 100_000)
	from, to := briefings.YearPeriod(2026, shanghai)
	o := statsOptions()
	o.From, o.To, o.Now = from, to, time.Date(2027, 1, 4, 9, 0, 0, 0, shanghai)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s := briefings.ComputeStats(ms, o)
		if len(s.HTML()) == 0 || len(s.Trend) != 12 {
			b.Fatal("empty report")
		}
	}
}
