package slackapp_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// TestHTTP_ConfirmationsWaitingForOneUserGoTogether: a leader's 批示 confirmations
// that wait for the same DM channel (Slack slow to take the first) arrive as fewer
// messages, every one of them said.
func TestHTTP_ConfirmationsWaitingForOneUserGoTogether(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UWU")
	const n = 5
	for i := range n {
		p := h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest())
		p["view"].(map[string]any)["id"] = fmt.Sprint("VC", i)
		if resp, body := h.slack.PostInteraction(t, h.url, secret, p); resp.StatusCode != 200 || len(body) != 0 {
			t.Fatalf("submission %d: HTTP %d %s", i, resp.StatusCode, body)
		}
	}
	h.slack.PostSlash(t, h.url, secret, "UQIAN", "C1", "brief party now")
	h.slack.Fail("chat.postMessage", slacktest.Fault{Delay: 400 * time.Millisecond, Channel: "DUZHAO"})
	number := func(i int) string {
		return fmt.Sprintf("QS-%d-%04d", time.Now().In(briefbot.DefaultLocation()).Year(), i)
	}
	for i := 1; i <= n; i++ {
		h.clickForm(t, "UZHAO", "CPARTY", "instruct", number(i), slacktest.Values{"instruction": {"instruction": "同意。"}})
	}
	var posts []slacktest.Message
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		posts, all, said := posts[:0], "", 0
		for _, p := range h.slack.Posts() {
			if p.Channel == "DUZHAO" {
				posts = append(posts, p)
				all += string(p.Blocks)
			}
		}
		for i := 1; i <= n; i++ {
			if strings.Contains(all, number(i)) {
				said++
			}
		}
		if said == n {
			if len(posts) >= n {
				t.Fatalf("%d confirmations came as %d messages; want them together", n, len(posts))
			}
			return
		}
	}
	t.Fatalf("not every confirmation arrived: %+v", posts)
}
