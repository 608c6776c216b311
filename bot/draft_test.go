package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
)

func TestDraft_MemberDraftsHeadSubmits(t *testing.T) {
	f := newFixture(t)
	// Switched off (the default): a member may not even draft.
	if r := f.bot.Command(ctx, bot.CommandInput{User: as("chen"), Text: "new", CanOpenModal: true}); r.Modal != nil {
		t.Fatalf("a member drafted with drafts switched off")
	}
	f.rules.Intake.MemberDrafts = true
	open := f.bot.Command(ctx, bot.CommandInput{User: as("chen"), Text: "new", CanOpenModal: true})
	if open.Modal == nil {
		t.Fatalf("no form for a member's draft: %+v", open.Message)
	}
	a := requestAnswers()
	a["title"] = "陈法官起草的请示"
	if res := f.bot.Submit(ctx, bot.Submission{User: as("chen"), CallbackID: open.Modal.CallbackID, PrivateMetadata: open.Modal.PrivateMetadata,
		ViewID: "VD", Values: fill(t, *open.Modal, a)}); len(res.Errors) != 0 {
		t.Fatal(res.Errors)
	}
	// The heads are asked to review it; the draft has no ledger number yet.
	var asked []briefbot.MemberID
	value := ""
	for _, p := range f.posts.all() {
		if s := blockTexts(p.msg.Blocks); strings.Contains(s, "submit_draft") {
			asked = append(asked, p.to)
			value = s[strings.Index(s, `"value":"draft:`)+9:]
			value = value[:strings.Index(value, `"`)]
		}
	}
	if len(asked) != 2 || asked[0] != "zhou" || asked[1] != "wu" {
		t.Fatalf("asked %v; want the principal and the head", asked)
	}
	if _, err := f.store.Lookup(ctx, "QS-2026-0001"); briefbot.ErrorCode(err) != briefbot.ENOTFOUND {
		t.Fatalf("a draft took a ledger number")
	}
	// Only a head may submit it; the head becomes its submitter.
	if r := f.bot.Action(ctx, bot.ActionInput{User: as("chen"), ActionID: "submit_draft", Value: value}); !strings.Contains(text(*r.Message), "负责人") {
		t.Fatalf("the member submitted their own draft: %s", text(*r.Message))
	}
	if r := f.bot.Action(ctx, bot.ActionInput{User: as("zheng"), ActionID: "submit_draft", Value: value}); strings.Contains(text(*r.Message), "QS-") {
		t.Fatalf("another department's head submitted it")
	}
	r := f.bot.Action(ctx, bot.ActionInput{User: as("wu"), ActionID: "submit_draft", Value: value})
	if !strings.Contains(text(*r.Message), "QS-2026-0001") {
		t.Fatalf("submit draft = %s", text(*r.Message))
	}
	m, _ := f.store.Lookup(ctx, "QS-2026-0001")
	if m.Submitter != "wu" || m.Status != briefbot.StatusSubmitted || m.History[0].Action != briefbot.ActionSubmit || m.History[0].From != briefbot.StatusDraft {
		t.Fatalf("submitted draft = %+v", m)
	}
	if r := f.bot.Action(ctx, bot.ActionInput{User: as("wu"), ActionID: "submit_draft", Value: value}); !strings.Contains(text(*r.Message), "已经报送") {
		t.Fatalf("double submit = %s", text(*r.Message))
	}
}
