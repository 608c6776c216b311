package notices_test

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/notices"
)

func TestParsePeriod(t *testing.T) {
	loc := shanghai
	now := time.Date(2026, 11, 15, 10, 0, 0, 0, loc)
	for _, tc := range []struct {
		in       string
		from, to string
		yearly   bool
		ok       bool
	}{
		{"", "2026-11-01", "2026-12-01", false, true},
		{"2026-02", "2026-02-01", "2026-03-01", false, true},
		{"2026", "2026-01-01", "2027-01-01", true, true},
		{"本年", "2026-01-01", "2027-01-01", true, true},
		{"2026-13", "", "", false, false},
		{"soon", "", "", false, false},
	} {
		from, to, yearly, ok := notices.ParsePeriod(tc.in, now, loc)
		if ok != tc.ok || (ok && (from.Format("2006-01-02") != tc.from || to.Format("2006-01-02") != tc.to || yearly != tc.yearly)) {
			t.Errorf("ParsePeriod(%q) = %v %v %v %v", tc.in, from, to, yearly, ok)
		}
	}
}

func TestStats_MonthlyReportOncePerSlot(t *testing.T) {
	s := openStore(t)
	p := producer(s, testRules(), &clock{t: at(3, 2, 10, 0)}) // the report is of February
	s.Submit(ctx, req("二月的请示"), nil, briefbot.Delivery{})
	slot := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	d1, err := p.MakeMonthlyReport(ctx, "party", "report/party@x", slot)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := p.MakeMonthlyReport(ctx, "party", "report/party@x", slot)
	if d2.ID != d1.ID || d1.Kind != briefbot.DispatchReport || len(d1.Parts) == 0 || !strings.Contains(d1.Parts[0].Text, "2026年2月") {
		t.Fatalf("report = %+v / %+v", d1, d2)
	}
	if _, err := p.MakeMonthlyReport(ctx, "nowhere", "k", slot); err == nil {
		t.Fatalf("a report for an unknown committee")
	}
}

func TestWarnCalendar_OncePerMissingYear(t *testing.T) {
	rules := testRules()
	rules.Org.Members = append(rules.Org.Members, briefbot.Member{ID: "jiang", Name: "蒋管理员", Admin: true})
	s := openStore(t)
	b := producer(s, rules, &clock{t: at(11, 20, 10, 0)})
	covers := func(y int) bool { return y == 2026 }
	b.WarnCalendar(ctx, covers)
	b.WarnCalendar(ctx, covers) // a restart: once is enough
	told := func() []string {
		var to []string
		open, _ := s.OpenDispatches(ctx)
		for _, d := range open {
			for _, p := range d.Parts {
				if strings.Contains(p.Text, "2027") {
					to = append(to, string(p.To.Member))
				}
			}
		}
		return to
	}
	to := told()
	if strings.Join(to, ",") != "jiang,qian,li" {
		t.Fatalf("warned %v; want the admin and the two clerks, once", to)
	}
	early := producer(s, rules, &clock{t: at(6, 1, 10, 0)})
	before := len(told())
	early.WarnCalendar(ctx, covers)
	if len(told()) != before {
		t.Fatalf("warned in June about next year")
	}
}

// TestAnchor_PrintedInBriefingsAndReports: a briefing's foot and a monthly report name
// the audit chain's head as it was when they were made, in the form
// `briefbot audit verify --head` reads, and the ledger verifies against it.
func TestAnchor_PrintedInBriefingsAndReports(t *testing.T) {
	s := openStore(t)
	p := producer(s, testRules(), &clock{t: at(3, 2, 10, 0)})
	s.Submit(ctx, req("需要锚定的请示"), nil, briefbot.Delivery{})
	head, err := s.AuditHead(ctx)
	if err != nil || head.IsZero() {
		t.Fatalf("head = %v %v", head, err)
	}
	b, err := p.MakeBriefing(ctx, "party", "", time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	later, _ := s.AuditHead(ctx) // the briefing's dispatch is itself audited
	r, err := p.MakeMonthlyReport(ctx, "party", "report/party@x", at(3, 2, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		d      *briefbot.Dispatch
		anchor briefbot.AuditAnchor
	}{{"briefing", b, head}, {"report", r, later}} {
		var all strings.Builder
		for _, part := range c.d.Parts {
			all.WriteString(part.Text + string(part.Blocks))
		}
		if !strings.Contains(all.String(), "审计链头："+c.anchor.String()) {
			t.Fatalf("the %s does not print the anchor %s:\n%s", c.name, c.anchor, all.String())
		}
	}
	printed, err := briefbot.ParseAnchor(head.String())
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := s.VerifyAudit(ctx, printed); err != nil || rep.Problem != "" {
		t.Fatalf("verify against the printed anchor: %+v %v", rep, err)
	}
}
