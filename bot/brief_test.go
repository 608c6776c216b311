package bot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

func TestBrief_PreviewNowAndOnlyClerks(t *testing.T) {
	f := newFixture(t)
	f.seed(t, req("待批示的请示"))
	if out := text(cmd(f, "qian", "brief party preview")); !strings.Contains(out, "预览") || !strings.Contains(out, "待批示的请示") {
		t.Fatalf("preview = %s", out)
	}
	if open, _ := f.store.OpenDispatches(ctx); len(open) != 0 {
		t.Fatalf("a preview was put in the outbox")
	}
	for _, who := range []briefbot.MemberID{"wu", "zhao", "li"} {
		if out := text(cmd(f, who, "brief party now")); !strings.Contains(out, "只有") {
			t.Fatalf("%s may not compile party's briefing: %s", who, out)
		}
	}
	if out := text(cmd(f, "qian", "brief now")); !strings.Contains(out, "第1期") { // the clerk's only committee
		t.Fatalf("brief now = %s", out)
	}
	if out := text(cmd(f, "qian", "简报 党组 now")); !strings.Contains(out, "第2期") {
		t.Fatalf("second brief now = %s", out)
	}
	open, _ := f.store.OpenDispatches(ctx)
	if len(open) != 2 || open[0].Issue != 1 || open[1].Issue != 2 || open[0].Kind != briefbot.DispatchBriefing || len(open[0].Matters) != 1 {
		t.Fatalf("outbox = %+v", open)
	}
	if open[1].Since.IsZero() {
		t.Fatalf("the second briefing's period must start at the first")
	}
	if out := text(cmd(f, "qian", "brief party sideways")); !strings.Contains(out, "用法") {
		t.Fatalf("bad verb = %s", out)
	}
}

func TestBrief_SlotOnceAndApproval(t *testing.T) {
	f := newFixture(t)
	f.rules.Org.Committees[1].Approve = true // pl
	slot := time.Date(2026, 3, 2, 8, 30, 0, 0, shanghai)
	d1, err := f.producer.MakeBriefing(ctx, "pl", "pl/weekly@x", slot, true)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := f.producer.MakeBriefing(ctx, "pl", "pl/weekly@x", slot, true)
	if err != nil || d2.ID != d1.ID {
		t.Fatalf("the same slot made two briefings: %v %v", d1.ID, d2.ID)
	}
	if d1.State != briefbot.DispatchAwaitingApproval || !d1.Late {
		t.Fatalf("held briefing = %+v", d1)
	}
	ps := f.posts.all()
	if len(ps) != 1 || ps[0].to != "li" || !strings.Contains(text(ps[0].msg), "待您审批") {
		t.Fatalf("clerk not asked: %+v", ps)
	}
	// The clerk approves with the button.
	r := f.bot.Action(ctx, bot.ActionInput{User: as("li"), ActionID: "approve_briefing", Value: "1"})
	if r.Message == nil || !strings.Contains(text(*r.Message), "已批准") {
		t.Fatalf("approve = %+v", r.Message)
	}
	got, _ := f.store.Dispatch(ctx, d1.ID)
	if got.State != briefbot.DispatchPending || got.ApprovedBy != "li" {
		t.Fatalf("after approval = %+v", got)
	}
	if r := f.bot.Action(ctx, bot.ActionInput{User: as("qian"), ActionID: "approve_briefing", Value: "1"}); !strings.Contains(text(*r.Message), "只有") {
		t.Fatalf("another committee's clerk approved: %+v", r.Message)
	}
	// On-demand briefings are not held.
	if out := text(cmd(f, "li", "brief pl now")); !strings.Contains(out, "第2期") {
		t.Fatalf("brief now = %s", out)
	}
	_ = briefbot.Filter{}
}

// TestBrief_500MattersWithinBlockKitLimits composes a briefing of 500 matters through
// the whole path (store, compose, outbox parts) and checks every message with the
// front door's Block Kit validator, as Slack would see it.
func TestBrief_500MattersWithinBlockKitLimits(t *testing.T) {
	f := newFixture(t)
	for i := range 500 {
		m := req(strings.Repeat("长标题", 30) + fmt.Sprint(i))
		m.Reasons = strings.Repeat("理由很长", 500)
		if i%7 == 0 {
			m.Urgency = briefbot.UrgencyExtraUrgent
		}
		f.seed(t, m)
	}
	d, err := f.producer.MakeBriefing(ctx, "party", "", time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Parts) < 2 {
		t.Fatalf("500 matters in %d message(s): the briefing must be split", len(d.Parts))
	}
	for i, p := range d.Parts {
		var bs []blockkit.Block
		if err := json.Unmarshal(p.Blocks, &bs); err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if err := blockkit.Validate(blockkit.Message{Text: p.Text, Blocks: bs}); err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if p.Thread != (i > 0) {
			t.Fatalf("part %d: thread = %v", i, p.Thread)
		}
	}
}
