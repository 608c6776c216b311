package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

func act(f *fixture, who briefbot.MemberID, action, value string) bot.Response {
	return f.bot.Action(ctx, bot.ActionInput{User: as(who), ActionID: action, Value: value, CanOpenModal: true})
}

func TestRead_OneClickOnce(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("待圈阅的请示"))
	for range 2 { // a double click
		act(f, "zhao", "read", "QS-2026-0001")
	}
	got, _ := f.store.Matter(ctx, briefbot.RefID(m.ID))
	if got.Status != briefbot.StatusRead || len(got.Instructions) != 1 || got.Instructions[0].Kind != briefbot.InstructionRead || got.Instructions[0].Leader != "zhao" {
		t.Fatalf("after 圈阅 twice: %s %+v", got.Status, got.Instructions)
	}
	// The department hears of it: the submitter and the principal.
	var to []briefbot.MemberID
	for _, p := range f.posts.all() {
		to = append(to, p.to)
	}
	if len(to) != 2 || to[0] != "wu" || to[1] != "zhou" {
		t.Fatalf("notified %v; want [wu zhou]", to)
	}
}

func TestInstruct_ClerkRecordsForLeaderWithReferral(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("关于经费的请示"))
	r := act(f, "qian", "instruct", "QS-2026-0001")
	if r.Modal == nil {
		t.Fatalf("no form: %+v", r.Message)
	}
	if err := blockkit.ValidateView(*r.Modal); err != nil {
		t.Fatal(err)
	}
	values := fill(t, *r.Modal, map[string]any{
		"on_behalf": "zhao", "instruction": "同意。请刑事审判庭牵头，民事审判庭配合，抓紧办理。",
		"lead": "criminal", "assisting": []string{"civil"}, "deadline": "2026-03-13",
	})
	s := bot.Submission{User: as("qian"), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: "VI1", Values: values}
	for range 2 { // Slack retrying the submission records it once
		if res := f.bot.Submit(ctx, s); len(res.Errors) != 0 {
			t.Fatalf("errors = %v", res.Errors)
		}
	}
	got, _ := f.store.Matter(ctx, briefbot.RefID(m.ID))
	if got.Status != briefbot.StatusReferred || len(got.Instructions) != 1 {
		t.Fatalf("status %s, %d instructions", got.Status, len(got.Instructions))
	}
	in := got.Instructions[0]
	if in.Leader != "zhao" || in.RecordedBy != "qian" || !strings.Contains(in.Text, "牵头") {
		t.Fatalf("instruction = %+v", in)
	}
	a := got.Assignment
	if a == nil || a.Lead != "criminal" || a.Assisting[0] != "civil" || a.Deadline.Format("2006-01-02 15:04") != "2026-03-13 18:00" {
		t.Fatalf("assignment = %+v", a)
	}
	h := got.History
	if h[1].Action != briefbot.ActionInstruct || h[1].Actor != "qian" || h[1].OnBehalfOf != "zhao" || h[2].Action != briefbot.ActionRefer {
		t.Fatalf("history = %+v", h)
	}
	// Told: the submitter and the lead unit (刑庭: wu, zhou) with the buttons to
	// report; the assisting unit (民庭: zheng) with 落实反馈 only; the clerk, a copy.
	buttons := map[briefbot.MemberID]string{}
	for _, p := range f.posts.all() {
		out := text(p.msg)
		if !strings.Contains(out, "抓紧办理") || !strings.Contains(out, "2026-03-13") || !(strings.Contains(out, "钱主任 代录") || strings.Contains(out, "recorded by 钱主任")) {
			t.Fatalf("notice to %s = %s", p.to, out)
		}
		var acts []string
		for _, a := range []briefbot.Action{briefbot.ActionProgress, briefbot.ActionRequestExtension, briefbot.ActionComplete} {
			if strings.Contains(out, `"action_id":"`+string(a)+`"`) {
				acts = append(acts, string(a))
			}
		}
		buttons[p.to] = strings.Join(acts, ",")
	}
	want := map[briefbot.MemberID]string{"wu": "progress,request_extension,complete", "zhou": "progress,request_extension,complete", "zheng": "progress", "qian": ""}
	if fmt.Sprint(buttons) != fmt.Sprint(want) {
		t.Fatalf("told, with report buttons: %v; want %v", buttons, want)
	}
}

func TestInstruct_Refusals(t *testing.T) {
	f := newFixture(t)
	f.seed(t, req("党组的请示"))
	restricted := req("限定范围的请示")
	restricted.Restricted = []briefbot.MemberID{"wu"}
	f.seed(t, restricted)
	for _, tc := range []struct {
		who, action, number, want string
	}{
		{"sun", "instruct", "QS-2026-0001", "没有找到"}, // the other committee's leader may not even see it
		{"sun", "read", "QS-2026-0001", "没有找到"},
		{"wu", "instruct", "QS-2026-0001", "只有"}, // the submitting department may see it, not instruct
		{"wu", "read", "QS-2026-0001", "只有"},
		{"zhao", "read", "QS-2026-0002", "没有找到"}, // restricted and zhao is not on the list
		{"zhao", "instruct", "QS-2026-9999", "没有找到"},
	} {
		r := act(f, briefbot.MemberID(tc.who), tc.action, tc.number)
		if r.Modal != nil || r.Message == nil || !strings.Contains(text(*r.Message), tc.want) {
			t.Fatalf("%s %s %s = %+v; want %q", tc.who, tc.action, tc.number, r.Message, tc.want)
		}
	}
	// A form submitted with a past deadline, or without text, is refused inline.
	r := act(f, "zhao", "instruct", "QS-2026-0001")
	bad := fill(t, *r.Modal, map[string]any{"instruction": "", "lead": "criminal", "deadline": "2026-03-01"})
	res := f.bot.Submit(ctx, bot.Submission{User: as("zhao"), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: "V2", Values: bad})
	if res.Errors["instruction"] == "" {
		t.Fatalf("errors = %v", res.Errors)
	}
	bad = fill(t, *r.Modal, map[string]any{"instruction": "同意", "lead": "criminal", "deadline": "2026-03-01"})
	res = f.bot.Submit(ctx, bot.Submission{User: as("zhao"), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: "V3", Values: bad})
	if res.Errors["deadline"] == "" {
		t.Fatalf("past deadline accepted: %v", res.Errors)
	}
	if got, _ := f.store.Lookup(ctx, "QS-2026-0001"); got.Status != briefbot.StatusSubmitted {
		t.Fatalf("a refused form changed the matter: %s", got.Status)
	}
	// The leader's own instruction, no referral: answered.
	ok := fill(t, *r.Modal, map[string]any{"instruction": "同意。"})
	if res := f.bot.Submit(ctx, bot.Submission{User: as("zhao"), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: "V4", Values: ok}); len(res.Errors) != 0 {
		t.Fatal(res.Errors)
	}
	if got, _ := f.store.Lookup(ctx, "QS-2026-0001"); got.Status != briefbot.StatusInstructed || got.Instructions[0].RecordedBy != "" {
		t.Fatalf("after the leader's instruction: %s %+v", got.Status, got.Instructions)
	}
	_ = time.Now
}
