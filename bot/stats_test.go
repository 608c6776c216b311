package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
)

func TestStats_Command(t *testing.T) {
	f := newFixture(t) // 2026-03-02
	f.seed(t, req("三月的请示"))
	secret := req("限定范围的请示SS3")
	secret.Restricted = []briefbot.MemberID{"zhao"}
	f.seed(t, secret)
	out := cmd(f, "qian", "stats 2026-03")
	if err := bot.ValidateMessage(out); err != nil {
		t.Fatal(err)
	}
	s := text(out)
	if !strings.Contains(s, "刑事审判庭") || strings.Contains(s, "SS3") || strings.Contains(s, "三月的请示") {
		t.Fatalf("stats = %s", s)
	}
	if s := text(cmd(f, "wu", "stats")); !strings.Contains(s, "领导") {
		t.Fatalf("a department head got the statistics: %s", s)
	}
	if s := text(cmd(f, "zhao", "统计 2026-13")); !strings.Contains(s, "用法") {
		t.Fatalf("bad period = %s", s)
	}
}

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
		from, to, yearly, ok := bot.ParsePeriod(tc.in, now, loc)
		if ok != tc.ok || (ok && (from.Format("2006-01-02") != tc.from || to.Format("2006-01-02") != tc.to || yearly != tc.yearly)) {
			t.Errorf("ParsePeriod(%q) = %v %v %v %v", tc.in, from, to, yearly, ok)
		}
	}
}

func TestStats_MonthlyReportOncePerSlot(t *testing.T) {
	f := newFixture(t) // 2026-03-02: the report is of February
	f.seed(t, req("二月的请示"))
	slot := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	d1, err := f.bot.MakeMonthlyReport(ctx, "party", "report/party@x", slot)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := f.bot.MakeMonthlyReport(ctx, "party", "report/party@x", slot)
	if d2.ID != d1.ID || d1.Kind != briefbot.DispatchReport || len(d1.Parts) == 0 || !strings.Contains(d1.Parts[0].Text, "2026年2月") {
		t.Fatalf("report = %+v / %+v", d1, d2)
	}
	if _, err := f.bot.MakeMonthlyReport(ctx, "nowhere", "k", slot); err == nil {
		t.Fatalf("a report for an unknown committee")
	}
}

func TestWarnCalendar_OncePerMissingYear(t *testing.T) {
	dir := testDirectory()
	dir.Org.Members = append(dir.Org.Members, briefbot.Member{ID: "jiang", Name: "蒋管理员", Admin: true})
	f := newFixture(t) // 2026-03-02
	b := bot.New(dir, f.store, f.posts, bot.Options{Now: func() time.Time { return time.Date(2026, 11, 20, 10, 0, 0, 0, shanghai) }})
	covers := func(y int) bool { return y == 2026 }
	b.WarnCalendar(ctx, covers)
	b.WarnCalendar(ctx, covers) // a restart: once is enough
	var to []string
	for _, p := range f.posts.all() {
		if strings.Contains(text(p.msg), "2027") {
			to = append(to, string(p.to))
		}
	}
	if strings.Join(to, ",") != "jiang,qian,li" {
		t.Fatalf("warned %v; want the admin and the two clerks, once", to)
	}
	early := bot.New(dir, f.store, f.posts, bot.Options{Now: func() time.Time { return time.Date(2026, 6, 1, 10, 0, 0, 0, shanghai) }})
	before := len(f.posts.all())
	early.WarnCalendar(ctx, covers)
	if len(f.posts.all()) != before {
		t.Fatalf("warned in June about next year")
	}
}
