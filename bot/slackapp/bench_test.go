package slackapp_test

import (
	"fmt"
	"testing"
)

// BenchmarkHTTPSubmission measures one signed intake submission through the real HTTP
// handler, store write (fsync) included, against the local Slack.
func BenchmarkHTTPSubmission(b *testing.B) {
	t := &testing.T{}
	_ = t
	h := newHarness(b)
	view := h.openIntake(b, "UWU")
	b.ResetTimer()
	for i := range b.N {
		p := h.slack.ViewSubmissionPayload(b, "UWU", view.ID, goodRequest())
		p["view"].(map[string]any)["id"] = fmt.Sprint("VB", i)
		resp, body := h.slack.PostInteraction(b, h.url, secret, p)
		if resp.StatusCode != 200 || len(body) != 0 {
			b.Fatalf("HTTP %d %s", resp.StatusCode, body)
		}
	}
}
