package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
)

// noDelegation is the test org with 吴副庭长 (a head of 刑庭) not authorised to sign
// off: what he submits waits for 周庭长, the principal.
func noDelegation() *briefbot.Rules {
	r := testRules()
	for i := range r.Org.Departments {
		r.Org.Departments[i].Delegates = nil
	}
	return r
}

// postsTo is every message to who in the outbox, rendered for them, joined.
func postsTo(f *fixture, who briefbot.MemberID) string {
	var b strings.Builder
	for _, p := range f.posts.all() {
		if p.to == who {
			b.WriteString(text(p.msg) + "\n")
		}
	}
	return b.String()
}

// TestSignOff_AHeadsRequestWaitsForThePrincipal: a head's request is not numbered: it
// goes to the principal in full with 签发 and 退回修改; nobody else may sign it, the
// committee does not see it; signed off, it is numbered and submitted, the submitter
// gets the receipt, and the ledger records who asked, who signed and when.
func TestSignOff_AHeadsRequestWaitsForThePrincipal(t *testing.T) {
	f := newFixtureWith(t, noDelegation())
	res := f.submitForm(t, "wu", "request", "V1", requestAnswers())
	if len(res.Errors) != 0 || res.Message == nil || !strings.Contains(text(*res.Message), "已报请 周庭长 签发") {
		t.Fatalf("submission = %+v", res)
	}
	m, err := f.store.Matter(ctx, briefbot.RefID(1))
	if err != nil || m.Status != briefbot.StatusSignOff || !m.Number.IsZero() || m.Signatory != "" || m.Submitter != "wu" {
		t.Fatalf("waiting = %+v %v", m, err)
	}
	ask := postsTo(f, "zhou")
	for _, want := range []string{"请签发", "拟对张某涉黑案依法公开开庭审理", "建议公开审理", `"action_id":"sign"`, `"action_id":"revise"`, `"value":"#1"`} {
		if !strings.Contains(ask, want) {
			t.Fatalf("the principal's notice lacks %q:\n%s", want, ask)
		}
	}
	if out := postsTo(f, "wu"); strings.Contains(out, "台账编号") {
		t.Fatalf("a receipt before the sign-off:\n%s", out)
	}
	// Not the committee's yet; not the submitter's to sign; a clerk cannot either.
	if out := text(cmd(f, "zhao", "status #1")); !strings.Contains(out, "没有找到") {
		t.Fatalf("the committee sees a matter not yet submitted:\n%s", out)
	}
	for _, who := range []briefbot.MemberID{"wu", "qian"} {
		act(f, who, "sign", "#1")
		if got, _ := f.store.Matter(ctx, briefbot.RefID(1)); got.Status != briefbot.StatusSignOff {
			t.Fatalf("%s signed it off", who)
		}
	}
	if out := text(*act(f, "wu", "sign", "#1").Message); !strings.Contains(out, "周庭长") {
		t.Fatalf("wu's refusal does not say who signs: %s", out)
	}
	// 周庭长 signs it off, from his notice's button.
	if out := text(*act(f, "zhou", "sign", "#1").Message); !strings.Contains(out, "已签发") {
		t.Fatalf("sign = %s", out)
	}
	m, _ = f.store.Matter(ctx, briefbot.RefID(1))
	if m.Status != briefbot.StatusSubmitted || m.Number.String() != "QS-2026-0001" || m.Signatory != "zhou" || m.Delegated || m.Submitter != "wu" ||
		!m.SignedOn.Equal(f.now) || !m.SubmittedAt.Equal(f.now) {
		t.Fatalf("signed = %+v", m)
	}
	if out := postsTo(f, "wu"); !strings.Contains(out, "台账编号 *QS-2026-0001*") || !strings.Contains(out, "已由 周庭长 签发并报送") {
		t.Fatalf("the submitter was not told:\n%s", out)
	}
	var acts []string
	for _, ev := range m.History {
		acts = append(acts, string(ev.Action)+":"+string(ev.Actor))
	}
	if strings.Join(acts, " ") != "ask_sign_off:wu sign:zhou" {
		t.Fatalf("history = %v", acts)
	}
	if card := text(cmd(f, "zhao", "status QS-2026-0001")); !strings.Contains(card, "周庭长") {
		t.Fatalf("the card does not name the signatory:\n%s", card)
	}
}

// TestSignOff_SentBackForRevision: 退回修改 needs a reason, tells the submitter with
// it, and takes no ledger number: the next matter signed off gets the next number.
func TestSignOff_SentBackForRevision(t *testing.T) {
	f := newFixtureWith(t, noDelegation())
	f.submitForm(t, "wu", "request", "V1", requestAnswers())
	r := act(f, "zhou", "revise", "#1")
	if r.Modal == nil {
		t.Fatalf("退回修改 opened no form: %+v", r.Message)
	}
	empty := f.bot.Submit(ctx, bot.Submission{User: as("zhou"), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: "VR0",
		Values: fill(t, *r.Modal, map[string]any{"text": ""})})
	if len(empty.Errors) == 0 {
		t.Fatal("a 退回修改 without a reason was taken")
	}
	res := f.bot.Submit(ctx, bot.Submission{User: as("zhou"), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: "VR1",
		Values: fill(t, *r.Modal, map[string]any{"text": "请补充案件社会影响的分析。"})})
	if len(res.Errors) != 0 || res.Message == nil || !strings.Contains(text(*res.Message), "已退回修改") {
		t.Fatalf("revise = %+v", res)
	}
	m, _ := f.store.Matter(ctx, briefbot.RefID(1))
	if m.Status != briefbot.StatusWithdrawn || !m.Number.IsZero() {
		t.Fatalf("after 退回修改: %+v", m)
	}
	if out := postsTo(f, "wu"); !strings.Contains(out, "退回修改") || !strings.Contains(out, "请补充案件社会影响的分析") {
		t.Fatalf("the submitter was not told why:\n%s", out)
	}
	f.submitForm(t, "wu", "request", "V2", requestAnswers())
	act(f, "zhou", "sign", "#2")
	if got, _ := f.store.Matter(ctx, briefbot.RefID(2)); got.Number.String() != "QS-2026-0001" {
		t.Fatalf("the next signed matter is %s; want QS-2026-0001 (no gap)", got.Number)
	}
}

// TestSignOff_UrgentGoesFirstUnsigned: a head's 特急 request goes out at once,
// numbered and escalated, marked 未签发 on its card and in the briefing; the principal
// is asked at once and chased each working day until he signs; then it is signed.
func TestSignOff_UrgentGoesFirstUnsigned(t *testing.T) {
	f := newFixtureWith(t, noDelegation())
	a := requestAnswers()
	a[briefbot.FieldUrgency] = "extra_urgent"
	f.submitForm(t, "wu", "request", "V1", a)
	m, _ := f.store.Lookup(ctx, "QS-2026-0001")
	if m == nil || m.Status != briefbot.StatusSubmitted || !m.Unsigned || m.Signatory != "" {
		t.Fatalf("urgent = %+v", m)
	}
	if out := postsTo(f, "zhou"); !strings.Contains(out, "请补签发") || !strings.Contains(out, `"action_id":"sign"`) || strings.Contains(out, `"action_id":"revise"`) {
		t.Fatalf("the principal's notice:\n%s", out)
	}
	if card := text(cmd(f, "zhao", "status QS-2026-0001")); !strings.Contains(card, "未签发") {
		t.Fatalf("the card does not say it is unsigned:\n%s", card)
	}
	if b := text(cmd(f, "qian", "brief party preview")); !strings.Contains(b, "未签发") {
		t.Fatalf("the briefing does not say it is unsigned:\n%s", b)
	}
	// Chased: not the day it was asked; the next working day once, however often the
	// reminders run; the day after again.
	chases := func() int {
		n := 0
		for _, p := range f.posts.all() {
			if p.to == "zhou" && strings.Contains(p.msg.Text, "催补签发") {
				n++
			}
		}
		return n
	}
	f.producer.Remind(ctx)
	if n := chases(); n != 0 {
		t.Fatalf("chased the same day: %d", n)
	}
	f.now = f.now.Add(24 * time.Hour) // Tuesday 10:00
	f.producer.Remind(ctx)
	f.producer.Remind(ctx)
	if n := chases(); n != 1 {
		t.Fatalf("chased %d times the next working day; want once", n)
	}
	f.now = f.now.Add(24 * time.Hour)
	f.producer.Remind(ctx)
	if n := chases(); n != 2 {
		t.Fatalf("chased %d times by the third day; want twice", n)
	}
	act(f, "zhou", "sign", "QS-2026-0001")
	m, _ = f.store.Lookup(ctx, "QS-2026-0001")
	if m.Unsigned || m.Signatory != "zhou" || m.Status != briefbot.StatusSubmitted {
		t.Fatalf("after the sign-off: %+v", m)
	}
	f.now = f.now.Add(24 * time.Hour)
	f.producer.Remind(ctx)
	if n := chases(); n != 2 {
		t.Fatalf("chased after the sign-off")
	}
	if out := text(*act(f, "zhou", "sign", "QS-2026-0001").Message); !strings.Contains(out, "已经签发") {
		t.Fatalf("a second sign-off: %s", out)
	}
}

// TestSignOff_Delegation: a head delegated to (授权签发) signs his own submission while
// the delegation runs — shown as such on the card — and waits for the principal once
// it has ended.
func TestSignOff_Delegation(t *testing.T) {
	r := noDelegation()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, shanghai)
	r.Org.Departments[0].Delegates = []briefbot.Delegation{{Member: "wu", From: day.AddDate(0, 0, -7), Until: day.Add(24*time.Hour - time.Nanosecond)}}
	f := newFixtureWith(t, r)
	f.submitForm(t, "wu", "request", "V1", requestAnswers())
	m, _ := f.store.Lookup(ctx, "QS-2026-0001")
	if m == nil || m.Signatory != "wu" || !m.Delegated {
		t.Fatalf("within the delegation: %+v", m)
	}
	if card := text(cmd(f, "zhao", "status QS-2026-0001")); !strings.Contains(card, "授权签发") {
		t.Fatalf("the card does not say 授权签发:\n%s", card)
	}
	f.now = f.now.Add(24 * time.Hour) // the delegation has ended
	res := f.submitForm(t, "wu", "request", "V2", requestAnswers())
	if res.Message == nil || !strings.Contains(text(*res.Message), "周庭长") {
		t.Fatalf("after the delegation ended: %+v", res)
	}
	if got, _ := f.store.Matter(ctx, briefbot.RefID(2)); got.Status != briefbot.StatusSignOff {
		t.Fatalf("after the delegation ended the matter is %s", got.Status)
	}
}

// TestSignOff_ThePrincipalSignsHisOwn: the principal's own submission is signed by him
// as he submits it.
func TestSignOff_ThePrincipalSignsHisOwn(t *testing.T) {
	f := newFixtureWith(t, noDelegation())
	f.submitForm(t, "zhou", "request", "V1", requestAnswers())
	m, _ := f.store.Lookup(ctx, "QS-2026-0001")
	if m == nil || m.Signatory != "zhou" || m.Delegated || m.Unsigned {
		t.Fatalf("the principal's own: %+v", m)
	}
}
