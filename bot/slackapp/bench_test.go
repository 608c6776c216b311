package slackapp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// intakeBodies are n signed-ready form bodies of the intake form submitted, as Slack
// posts them (the whole view, its blocks and option lists included), each its own view.
func intakeBodies(b *testing.B, h *harness, n int) [][]byte {
	b.Helper()
	view := h.openIntake(b, "UWU")
	p := h.slack.ViewSubmissionPayload(b, "UWU", view.ID, goodRequest())
	out := make([][]byte, n)
	for i := range out {
		p["view"].(map[string]any)["id"] = fmt.Sprint("VB", i)
		body, err := slacktest.InteractionBody(p)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = body
	}
	return out
}

// BenchmarkHTTPSubmission measures one signed intake submission with the whole view
// through the real HTTP handler, store write (fsync) included, one at a time.
func BenchmarkHTTPSubmission(b *testing.B) {
	h := newHarness(b)
	bodies := intakeBodies(b, h, b.N)
	handler := h.app.Handler(secret)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		postBody(b, handler, bodies[i])
	}
}

// BenchmarkHTTPSubmissionParallel is BenchmarkHTTPSubmission with 64 submissions in
// flight, as under load: concurrent submissions share a commit (one fsync).
func BenchmarkHTTPSubmissionParallel(b *testing.B) {
	h := newHarness(b)
	bodies := intakeBodies(b, h, b.N)
	handler := h.app.Handler(secret)
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32) // 64 on the 2 cores of the machine the figures come from
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			postBody(b, handler, bodies[next.Add(1)-1])
		}
	})
}

func postBody(b *testing.B, handler http.Handler, body []byte) {
	req := slacktest.NewSignedRequest("http://bot/slack/events", secret, "application/x-www-form-urlencoded", body, time.Now())
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() != 0 {
		b.Errorf("HTTP %d %s", rec.Code, rec.Body)
	}
}

// BenchmarkDecodeInteraction compares decoding the intake form's view_submission (the
// whole view, about 10 KB) the lean way, as the handler does, with slack-go's full
// decoding, which builds every block.
func BenchmarkDecodeInteraction(b *testing.B) {
	h := newHarness(b)
	view := h.openIntake(b, "UWU")
	p, err := json.Marshal(h.slack.ViewSubmissionPayload(b, "UWU", view.ID, goodRequest()))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("lean", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(p)))
		for range b.N {
			if _, err := slackapp.DecodeInteraction(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("slack-go", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(p)))
		for range b.N {
			var cb slack.InteractionCallback
			if err := json.Unmarshal(p, &cb); err != nil {
				b.Fatal(err)
			}
		}
	})
}
