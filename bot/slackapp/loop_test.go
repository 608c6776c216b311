package slackapp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// drain waits until the outbox is empty (the background deliverer posted everything).
func (h *harness) drain(t *testing.T) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		open, _ := h.store.OpenDispatches(context.Background())
		if len(open) == 0 {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%d dispatches still in the outbox", len(open))
		}
	}
}

// dmsTo is every message posted to user's DM channel, as text and blocks.
func dmsTo(h *harness, channel string) string {
	var b strings.Builder
	for _, p := range h.slack.Posts() {
		if p.Channel == channel {
			b.WriteString(p.Text + string(p.Blocks) + "\n")
		}
	}
	return b.String()
}

// TestLoop_ACrossDepartmentReferralOverSlack_ARestartBeforeEveryStep: a request from
// 刑庭 is instructed and referred to 民庭 as lead unit with 刑庭 assisting; every step
// is taken by a fresh bot process on the same ledger and the same Slack. The lead unit
// is told with the buttons to report, the assisting unit with 落实反馈 only, the
// submitter in its receipt's thread, the office a copy; each form's sender gets a
// confirmation; the matter ends closed out.
func TestLoop_ACrossDepartmentReferralOverSlack_ARestartBeforeEveryStep(t *testing.T) {
	fs := slacktest.New(t)
	path := t.TempDir() + "/briefbot.db"
	const n = "QS-2026-0001"
	step := func(name string, do func(h *harness)) {
		t.Helper()
		h := newHarnessOn(t, fs, path, true)
		do(h)
		h.drain(t)
		h.close()
	}
	step("submit", func(h *harness) {
		view := h.openIntake(t, "UWU")
		h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest()))
	})
	step("brief", func(h *harness) { h.slack.PostSlash(t, h.url, secret, "UQIAN", "C1", "brief party now") })
	step("instruct and refer", func(h *harness) {
		h.clickForm(t, "UZHAO", "CPARTY", "instruct", n, slacktest.Values{
			"instruction": {"instruction": "同意。请民事审判庭牵头、刑事审判庭协办。"}, "lead": {"lead": "civil"}, "assisting": {"assisting": []string{"criminal"}}})
	})
	// Who was told, with which buttons.
	step("check the notices", func(h *harness) {
		lead, assisting, clerk := dmsTo(h, "DUZHENG"), dmsTo(h, "DUWU"), dmsTo(h, "DUQIAN")
		for who, out := range map[string]string{"lead 郑庭长": lead, "assisting 吴副庭长": assisting, "principal 周庭长": dmsTo(h, "DUZHOU"), "clerk 钱主任": clerk} {
			if !strings.Contains(out, "牵头") {
				t.Fatalf("%s was not told of the instruction:\n%s", who, out)
			}
		}
		if !strings.Contains(lead, `"action_id":"complete"`) || !strings.Contains(lead, `"action_id":"progress"`) {
			t.Fatalf("the lead unit lacks the buttons to report:\n%s", lead)
		}
		if !strings.Contains(assisting, `"action_id":"progress"`) || strings.Contains(assisting, `"action_id":"complete"`) {
			t.Fatalf("the assisting unit should have 落实反馈 only:\n%s", assisting)
		}
	})
	step("lead reports progress", func(h *harness) {
		h.clickForm(t, "UZHENG", "DUZHENG", "progress", n, slacktest.Values{"text": {"text": "已约谈双方当事人。"}})
	})
	step("assisting unit reports progress", func(h *harness) {
		h.clickForm(t, "UWU", "DUWU", "progress", n, slacktest.Values{"text": {"text": "刑庭已移送卷宗。"}})
	})
	step("lead reports completion", func(h *harness) {
		h.clickForm(t, "UZHENG", "DUZHENG", "complete", n, slacktest.Values{"text": {"text": "已协调完毕。"}})
	})
	step("the office closes it out", func(h *harness) { h.click(t, "UQIAN", "DUQIAN", "close", n) })
	step("check", func(h *harness) {
		m, err := h.store.Lookup(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, ev := range m.History {
			acts = append(acts, string(ev.Action)+":"+string(ev.Actor))
		}
		want := "submit:wu instruct:zhao refer:zhao progress:zheng progress:wu complete:zheng close:qian"
		if got := strings.Join(acts, " "); got != want || m.Status != briefbot.StatusClosed {
			t.Fatalf("history = %s (%s)\nwant      %s", got, m.Status, want)
		}
		// Each form's sender was told it was done.
		for _, ch := range []string{"DUZHENG", "DUWU"} {
			if out := dmsTo(h, ch); !strings.Contains(out, "已落实反馈") {
				t.Fatalf("%s got no confirmation of their report:\n%s", ch, out)
			}
		}
		if out := dmsTo(h, "DUZHENG"); !strings.Contains(out, "已报告办结") {
			t.Fatalf("no confirmation of the completion:\n%s", out)
		}
	})
}
