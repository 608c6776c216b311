package bot_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
)

// dm sends one DM line as who and returns the bot's reply text.
func dm(f *fixture, who briefbot.MemberID, line string) string {
	r := f.bot.DM(ctx, bot.CommandInput{User: as(who), Text: line})
	if r.Message == nil {
		return ""
	}
	return text(*r.Message)
}

func TestDM_StepByStepRequest(t *testing.T) {
	f := newFixture(t)
	steps := []struct{ say, expect string }{
		{"new", "标题是什么"},
		{"关于张某涉黑案公开审理的请示", "请示的事项"},
		{"拟对张某涉黑案依法公开开庭审理", "理由"},
		{"该案社会关注度高", "意见建议"},
		{"建议公开审理", "主送哪个机关"},
		{"9", "请回复列表中的序号"}, // a wrong choice is asked again
		{"1", "紧急程度"},
		{"特急", "决策方式"},
		{"1", "何时前答复"},
		{"2026-03-09", "不涉及国家秘密"},
		{"是", "请核对"},
		{"提交", ""},
	}
	for _, s := range steps {
		got := dm(f, "wu", s.say)
		if !strings.Contains(got, s.expect) {
			t.Fatalf("after %q: %q; want it to contain %q", s.say, got, s.expect)
		}
	}
	m, err := f.store.Lookup(ctx, "QS-2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	if m.Urgency != briefbot.UrgencyExtraUrgent || m.Signatory != "wu" || !m.Delegated || m.AnswerBy.Format("2006-01-02 15:04") != "2026-03-09 18:00" || m.Addressee != "party" {
		t.Fatalf("stored = %+v", m)
	}
	if ps := f.posts.all(); len(ps) != 1 || !strings.Contains(text(ps[0].msg), "QS-2026-0001") {
		t.Fatalf("receipt = %+v", ps)
	}
	// The conversation is over: the next DM is a command again.
	if got := dm(f, "wu", "status QS-2026-0001"); !strings.Contains(got, "特急") {
		t.Fatalf("after submitting, status = %q", got)
	}
}

func TestDM_ReportWithFollowUpAndFix(t *testing.T) {
	f := newFixture(t)
	for _, s := range []string{"new report", "关于一季度工作的情况报告", "3", "无", "一季度受理1200件。妥否，请批示。", "2", "1", "2", "是", "提交"} {
		dm(f, "zheng", s)
	}
	// The rules refused the smuggled request and went back to the body.
	if f.count(t) != 0 {
		t.Fatalf("a report carrying a request was stored")
	}
	for _, s := range []string{"一季度受理1200件。"} {
		dm(f, "zheng", s)
	}
	// From the body on, every later answer is asked again.
	for _, s := range []string{"2", "1", "2", "yes"} {
		dm(f, "zheng", s)
	}
	if got := dm(f, "zheng", "submit"); got != "" {
		t.Fatalf("submit = %q", got)
	}
	if m, err := f.store.Lookup(ctx, "BG-2026-0001"); err != nil || m.ReportType != briefbot.ReportSituation || m.Addressee != "pl" {
		t.Fatalf("stored = %+v, %v", m, err)
	}
}

func TestDM_CancelAndClassified(t *testing.T) {
	f := newFixture(t)
	dm(f, "wu", "new")
	if got := dm(f, "wu", "秘密★ XYZZYSECRET 专案"); !strings.Contains(got, "机要渠道") || strings.Contains(got, "XYZZY") || !strings.Contains(got, "标题是什么") {
		t.Fatalf("classified answer = %q", got)
	}
	if got := dm(f, "wu", "取消"); !strings.Contains(got, "没有保存") {
		t.Fatalf("cancel = %q", got)
	}
	dm(f, "wu", "new filing")
	for _, s := range []string{"报备标题", "报备正文", "1", "1", "1"} {
		dm(f, "wu", s)
	}
	if got := dm(f, "wu", "否"); !strings.Contains(got, "机要渠道") {
		t.Fatalf("declining the declaration = %q", got)
	}
	if f.count(t) != 0 {
		t.Fatalf("stored after cancel and refusal")
	}
	if got := dm(f, "wu", "help"); !strings.Contains(got, "报送请示") {
		t.Fatalf("conversation not ended after refusal: %q", got)
	}
}

func TestDM_OnlyHeads(t *testing.T) {
	f := newFixture(t)
	if got := dm(f, "chen", "new"); !strings.Contains(got, "负责人") {
		t.Fatalf("member's new = %q", got)
	}
}

// TestDM_TwoMessagesAtOnceFromOneMember: Slack hands the bot several envelopes at once
// (Socket Mode, 16 at a time), so two DMs from one member can be handled together. Each
// answer is taken exactly once, in some order, and the conversation stays whole (run
// with -race: the conversation's state is never read and written at once).
func TestDM_TwoMessagesAtOnceFromOneMember(t *testing.T) {
	f := newFixture(t)
	for round := range 20 {
		if got := dm(f, "wu", "new"); !strings.Contains(got, "标题是什么") {
			t.Fatalf("round %d: new = %q", round, got)
		}
		title, item := fmt.Sprintf("并发的请示%02d", round), fmt.Sprintf("并发的事项%02d", round)
		var wg sync.WaitGroup
		replies := make([]string, 2)
		for i, line := range []string{title, item} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				replies[i] = dm(f, "wu", line)
			}()
		}
		wg.Wait()
		// Both answers were taken: the next question is the third (the reasons).
		if !strings.Contains(replies[0]+replies[1], "理由") {
			t.Fatalf("round %d: replies %q; want one of them to ask for the reasons", round, replies)
		}
		for _, s := range []string{"理由", "建议", "1", "1", "1", "无", "是", "提交"} {
			dm(f, "wu", s)
		}
		m, err := f.store.Lookup(ctx, fmt.Sprintf("QS-2026-%04d", round+1))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		got := []string{m.Title, m.RequestedItem}
		if !(got[0] == title && got[1] == item) && !(got[0] == item && got[1] == title) {
			t.Fatalf("round %d: stored title %q, item %q; want the two answers, each once", round, m.Title, m.RequestedItem)
		}
	}
}
