package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

// form clicks button action on number as who, fills the form it opens and submits it.
func form(t *testing.T, f *fixture, who briefbot.MemberID, action, number, viewID string, answers map[string]any) bot.SubmissionResult {
	t.Helper()
	r := act(f, who, action, number)
	if r.Modal == nil {
		t.Fatalf("%s %s: no form: %+v", who, action, r.Message)
	}
	if err := blockkit.ValidateView(*r.Modal); err != nil {
		t.Fatal(err)
	}
	return f.bot.Submit(ctx, bot.Submission{User: as(who), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata,
		ViewID: viewID, Values: fill(t, *r.Modal, answers)})
}

// TestFollowThrough_FromInstructionToCloseOut walks a request through its whole life:
// 批示 with referral, two progress reports, an extension granted, completion, 退办, a
// second completion, 销号 — and the history shows every step with actor and time.
func TestFollowThrough_FromInstructionToCloseOut(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("关于统一执法尺度的请示"))
	num := m.Number.String()
	mustOK := func(res bot.SubmissionResult) {
		t.Helper()
		if len(res.Errors) != 0 {
			t.Fatalf("errors = %v", res.Errors)
		}
	}
	mustOK(form(t, f, "zhao", "instruct", num, "V1", map[string]any{"instruction": "同意，请刑庭牵头办理。", "lead": "criminal", "deadline": "2026-03-10"}))
	mustOK(form(t, f, "wu", "fb_progress", num, "V2", map[string]any{"text": "已召开专题会议研究。"}))
	mustOK(form(t, f, "zhou", "fb_progress", num, "V3", map[string]any{"text": "已形成初稿。"}))
	mustOK(form(t, f, "wu", "fb_extension", num, "V4", map[string]any{"text": "需征求上级法院意见。", "new_deadline": "2026-03-20"}))
	// The clerk is told, with the buttons to decide; granting is one click.
	var asked bool
	for _, p := range f.posts.all() {
		asked = asked || (p.to == "qian" && strings.Contains(blockTexts(p.msg.Blocks), `"grant_extension"`))
	}
	if !asked {
		t.Fatalf("the clerk was not asked to decide the extension")
	}
	if r := act(f, "qian", "ext_grant", num); r.Message == nil || !strings.Contains(text(*r.Message), "同意延期") {
		t.Fatalf("grant = %+v", r.Message)
	}
	mustOK(form(t, f, "wu", "fb_complete", num, "V5", map[string]any{"text": "已印发指导意见。"}))
	mustOK(form(t, f, "qian", "send_back", num, "V6", map[string]any{"text": "请补充印发范围。"}))
	mustOK(form(t, f, "wu", "fb_complete", num, "V7", map[string]any{"text": "已补充印发范围。"}))
	if r := act(f, "qian", "close_out", num); r.Message == nil || !strings.Contains(text(*r.Message), "销号") {
		t.Fatalf("close out = %+v", r.Message)
	}
	got, _ := f.store.Matter(ctx, briefbot.RefID(m.ID))
	if got.Status != briefbot.StatusClosed {
		t.Fatalf("status = %s", got.Status)
	}
	var steps []string
	for _, ev := range got.History {
		if ev.Actor == "" || ev.At.IsZero() {
			t.Fatalf("a step without actor or time: %+v", ev)
		}
		steps = append(steps, string(ev.Action)+":"+string(ev.Actor))
	}
	want := "submit:wu instruct:zhao refer:zhao progress:wu progress:zhou request_extension:wu grant_extension:qian complete:wu send_back:qian complete:wu close:qian"
	if got := strings.Join(steps, " "); got != want {
		t.Fatalf("history = %s\nwant      %s", got, want)
	}
	if d := got.Assignment.Deadline.Format("2006-01-02"); d != "2026-03-20" {
		t.Fatalf("deadline after the extension = %s", d)
	}
	// The card shows it all.
	card := text(cmd(f, "qian", "status "+num))
	for _, w := range []string{"已销号", "同意，请刑庭牵头办理。", "退办", "请补充印发范围。"} {
		if !strings.Contains(card, w) {
			t.Fatalf("card lacks %q:\n%s", w, card)
		}
	}
}

func TestFollowThrough_OnlyTheAssigneeAndTheClerks(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("转办的请示"))
	form(t, f, "zhao", "instruct", m.Number.String(), "V1", map[string]any{"instruction": "请刑庭办理。", "lead": "criminal"})
	for _, tc := range []struct {
		who    briefbot.MemberID
		action string
	}{
		{"zheng", "fb_progress"}, // another department
		{"zheng", "fb_complete"},
		{"chen", "fb_progress"}, // a member, not a head
		{"wu", "close_out"},     // the department cannot close its own matter
		{"wu", "ext_grant"},
		{"li", "close_out"}, // the other committee's clerk (may not even see it)
	} {
		r := act(f, tc.who, tc.action, m.Number.String())
		if r.Modal != nil || r.Message == nil {
			t.Fatalf("%s %s was let through", tc.who, tc.action)
		}
		if out := text(*r.Message); !strings.Contains(out, "不能") && !strings.Contains(out, "没有找到") && !strings.Contains(out, "No matter") {
			t.Fatalf("%s %s = %s", tc.who, tc.action, out)
		}
	}
	// Deciding what was not asked: no extension pending.
	if r := act(f, "qian", "ext_grant", m.Number.String()); !strings.Contains(text(*r.Message), "没有待决定的延期申请") {
		t.Fatalf("grant with nothing pending = %s", text(*r.Message))
	}
	if got, _ := f.store.Matter(ctx, briefbot.RefID(m.ID)); got.Status != briefbot.StatusReferred || len(got.Feedback) != 0 {
		t.Fatalf("refusals changed the matter: %s %+v", got.Status, got.Feedback)
	}
}

func TestFollowThrough_LeadersDecideExtensionsBySetting(t *testing.T) {
	f := newFixture(t)
	f.rules.FollowThrough.LeadersDecideExtensions = true
	m := f.seed(t, req("延期由领导决定的请示"))
	num := m.Number.String()
	form(t, f, "zhao", "instruct", num, "V1", map[string]any{"instruction": "请刑庭办理。", "lead": "criminal", "deadline": "2026-03-10"})
	form(t, f, "wu", "fb_extension", num, "V2", map[string]any{"text": "需要更多时间。", "new_deadline": "2026-03-20"})
	var toLeader, toClerk bool
	for _, p := range f.posts.all() {
		if strings.Contains(blockTexts(p.msg.Blocks), `"grant_extension"`) {
			toLeader = toLeader || p.to == "zhao"
			toClerk = toClerk || p.to == "qian"
		}
	}
	if !toLeader || toClerk {
		t.Fatalf("extension request went to leader %v, clerk %v; want the instructing leader only", toLeader, toClerk)
	}
	if r := act(f, "zhao", "ext_grant", num); !strings.Contains(text(*r.Message), "同意延期") {
		t.Fatalf("leader's grant = %s", text(*r.Message))
	}
}
