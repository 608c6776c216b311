package slackapp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// button finds, in the newest message posted to channel, the block holding the button
// action on ledger number num.
func (h *harness) button(t *testing.T, channel, action, num string) (slacktest.Message, string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		posts := h.slack.Posts()
		for i := len(posts) - 1; i >= 0; i-- {
			p := posts[i]
			if p.Channel != channel {
				continue
			}
			var blocks []struct {
				BlockID  string `json:"block_id"`
				Elements []struct {
					ActionID string `json:"action_id"`
					Value    string `json:"value"`
				} `json:"elements"`
			}
			json.Unmarshal(p.Blocks, &blocks)
			for _, b := range blocks {
				for _, e := range b.Elements {
					if e.ActionID == action && e.Value == num {
						return p, b.BlockID
					}
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %s button for %s in %s", action, num, channel)
	return slacktest.Message{}, ""
}

// click presses a button in a message as user.
func (h *harness) click(t *testing.T, user, channel, action, num string) {
	t.Helper()
	msg, block := h.button(t, channel, action, num)
	if resp, _ := h.slack.PostInteraction(t, h.url, secret, h.slack.BlockActionsPayload(t, user, msg, block, action, nil)); resp.StatusCode != 200 {
		t.Fatalf("click %s: HTTP %d", action, resp.StatusCode)
	}
}

// clickForm presses a button that opens a form, fills it and submits it.
func (h *harness) clickForm(t *testing.T, user, channel, action, num string, values slacktest.Values) {
	t.Helper()
	before := len(h.slack.Calls("views.open"))
	h.click(t, user, channel, action, num)
	calls := h.slack.WaitFor(t, "views.open", before+1, 5*time.Second)
	var view slacktest.View
	for _, v := range h.slack.Views() {
		if v.TriggerID == calls[len(calls)-1].JSON["trigger_id"] {
			view = v
		}
	}
	resp, body := h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, user, view.ID, values))
	if resp.StatusCode != 200 || len(strings.TrimSpace(string(body))) != 0 {
		t.Fatalf("%s form: HTTP %d %s", action, resp.StatusCode, body)
	}
}

// TestLifecycle_FromSubmissionToCloseOutOverSlack: a request goes from submission
// through the briefing, 批示 with referral, two progress reports, an extension,
// completion, 退办, a second completion and 销号, every step a click or a form in Slack
// (the local Slack-compatible server), and the history shows each with actor and time.
func TestLifecycle_FromSubmissionToCloseOutOverSlack(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UWU")
	h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest()))
	h.slack.PostSlash(t, h.url, secret, "UQIAN", "C1", "brief party now")
	const n = "QS-2026-0001"
	deadline := time.Now().In(briefbot.DefaultLocation()).AddDate(0, 0, 14).Format("2006-01-02")
	later := time.Now().In(briefbot.DefaultLocation()).AddDate(0, 0, 30).Format("2006-01-02")

	h.clickForm(t, "UZHAO", "CPARTY", "instruct", n, slacktest.Values{
		"instruction": {"instruction": "同意。请刑事审判庭牵头办理。"}, "lead": {"lead": "criminal"}, "deadline": {"deadline": deadline}})
	// The instruction reaches the submitter in the thread of their receipt.
	notice, _ := h.button(t, "DUWU", "progress", n)
	var receipt slacktest.Message
	for _, p := range h.slack.Posts() {
		if p.Channel == "DUWU" && receipt.TS == "" {
			receipt = p
		}
	}
	if !strings.Contains(receipt.Text, n) || notice.ThreadTS != receipt.TS || !strings.Contains(string(notice.Blocks), "牵头办理") {
		t.Fatalf("receipt %+v\nnotice %+v: the notice must be threaded under the receipt", receipt, notice)
	}
	h.clickForm(t, "UWU", "DUWU", "progress", n, slacktest.Values{"text": {"text": "已召开专题会议。"}})
	h.clickForm(t, "UZHOU", "DUZHOU", "progress", n, slacktest.Values{"text": {"text": "已形成初稿。"}})
	h.clickForm(t, "UWU", "DUWU", "request_extension", n, slacktest.Values{"text": {"text": "需征求意见。"}, "new_deadline": {"new_deadline": later}})
	h.click(t, "UQIAN", "DUQIAN", "grant_extension", n)
	h.clickForm(t, "UWU", "DUWU", "complete", n, slacktest.Values{"text": {"text": "已办结。"}})
	h.clickForm(t, "UQIAN", "DUQIAN", "send_back", n, slacktest.Values{"text": {"text": "请补充材料。"}})
	h.clickForm(t, "UWU", "DUWU", "complete", n, slacktest.Values{"text": {"text": "已补充材料。"}})
	h.click(t, "UQIAN", "DUQIAN", "close", n)

	var m *briefbot.Matter
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if m, _ = h.store.Lookup(context.Background(), n); m.Status == briefbot.StatusClosed {
			break
		}
	}
	var steps []string
	for _, ev := range m.History {
		if ev.Actor == "" || ev.At.IsZero() {
			t.Fatalf("a step without actor or time: %+v", ev)
		}
		steps = append(steps, string(ev.Action)+":"+string(ev.Actor))
	}
	want := "submit:wu instruct:zhao refer:zhao progress:wu progress:zhou request_extension:wu grant_extension:qian complete:wu send_back:qian complete:wu close:qian"
	if got := strings.Join(steps, " "); got != want {
		t.Fatalf("history = %s\nwant      %s", got, want)
	}
	if got := m.Assignment.Deadline.In(briefbot.DefaultLocation()).Format("2006-01-02"); got != later {
		t.Fatalf("deadline = %s; want the extension's %s", got, later)
	}
}
