package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

func TestStats_Command(t *testing.T) {
	f := newFixture(t) // 2026-03-02
	f.seed(t, req("三月的请示"))
	secret := req("限定范围的请示SS3")
	secret.Restricted = []briefbot.MemberID{"zhao"}
	f.seed(t, secret)
	out := cmd(f, "qian", "stats 2026-03")
	if err := blockkit.Validate(out); err != nil {
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
