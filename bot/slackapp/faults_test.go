package slackapp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// TestFaults_EveryMessageOnceThroughRateLimitsErrorsSlownessAndDrops: over Socket Mode,
// with the local Slack answering 429s with Retry-After, 500s and 503s, and slowly, and
// dropping the websocket between submissions, six urgent requests and a briefing are
// delivered: every receipt, alert and briefing part is posted exactly once, and the
// connection comes back each time.
func TestFaults_EveryMessageOnceThroughRateLimitsErrorsSlownessAndDrops(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds of real retry waits")
	}
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.app.RunSocketMode(ctx, socketmode.New(h.api))
	h.slack.WaitConnected(t, 1, 5*time.Second)
	h.slack.Fail("chat.postMessage",
		slacktest.Fault{Status: 429, RetryAfter: 1}, slacktest.Fault{Status: 500}, slacktest.Fault{Delay: 300 * time.Millisecond},
		slacktest.Fault{Status: 503}, slacktest.Fault{}, slacktest.Fault{Status: 429, RetryAfter: 1}, slacktest.Fault{Delay: 200 * time.Millisecond},
		slacktest.Fault{Status: 500})

	const n = 6
	for i := range n {
		before := len(h.slack.Calls("views.open"))
		h.slack.WaitAck(t, h.slack.SendEnvelope(t, "slash_commands", h.slack.SlashCommandPayload("UWU", "DUWU", "/matter", "new")), 3*time.Second)
		calls := h.slack.WaitFor(t, "views.open", before+1, 5*time.Second)
		var view slacktest.View
		for _, v := range h.slack.Views() {
			if v.TriggerID == calls[len(calls)-1].JSON["trigger_id"] {
				view = v
			}
		}
		values := goodRequest()
		values["title"] = map[string]any{"title": fmt.Sprintf("紧急请示%d", i)}
		values["urgency"] = map[string]any{"urgency": "extra_urgent"}
		ack := h.slack.WaitAck(t, h.slack.SendEnvelope(t, "interactive", h.slack.ViewSubmissionPayload(t, "UWU", view.ID, values)), 3*time.Second)
		if strings.Contains(string(ack.Payload), "errors") {
			t.Fatalf("submission %d refused: %s", i, ack.Payload)
		}
		if i%2 == 1 { // the websocket drops; the client must come back
			h.slack.DropSocket()
			h.slack.WaitConnected(t, 1, 10*time.Second)
		}
	}
	if ack := h.slack.WaitAck(t, h.slack.SendEnvelope(t, "slash_commands", h.slack.SlashCommandPayload("UQIAN", "C1", "/matter", "brief party now")), 3*time.Second); !strings.Contains(string(ack.Payload), "第1期") {
		t.Fatalf("brief now: %s", ack.Payload)
	}

	// Wait for the outbox to empty.
	var parts int
	for end := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		open, _ := h.store.OpenDispatches(context.Background())
		if len(open) == 0 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("%d dispatches still undelivered", len(open))
		}
	}
	h.store.EachDispatch(context.Background(), func(d *briefbot.Dispatch) bool {
		if d.State != briefbot.DispatchDelivered {
			t.Errorf("dispatch %d (%s) is %s: %s", d.ID, d.Kind, d.State, d.Failure)
		}
		parts += len(d.Parts)
		return true
	})
	seen := map[string]int{}
	for _, p := range h.slack.Posts() {
		seen[p.Channel+"|"+p.Text]++
	}
	for k, c := range seen {
		if c > 1 {
			t.Errorf("posted %d times: %s", c, k)
		}
	}
	if got := len(h.slack.Posts()); got != parts {
		t.Fatalf("%d messages posted for %d dispatch parts", got, parts)
	}
	if h.slack.Connections() < 1+n/2 {
		t.Fatalf("%d connections; the client did not reconnect after each drop", h.slack.Connections())
	}
	// Receipts (6), alerts to the channel and the leader (12), and the briefing.
	if parts < 3*n+1 {
		t.Fatalf("only %d parts", parts)
	}
}
