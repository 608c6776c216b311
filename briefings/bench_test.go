package briefings_test

import (
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// ledger10k is 10,000 open matters for the party committee, half of them new since
// the last briefing, so that about 7,000 are listed.
func ledger10k(b *testing.B) []*briefbot.Matter {
	ms := bulk(b, 10_000, 30, 300)
	for i, m := range ms {
		if i%2 == 0 {
			m.SubmittedAt = since.Add(1)
		}
	}
	return ms
}

// BenchmarkComposeRender10k composes a briefing from 10,000 open matters and renders
// it as Block Kit and mrkdwn: the work of one scheduled briefing on a large ledger.
func BenchmarkComposeRender10k(b *testing.B) {
	ms := ledger10k(b)
	o := options()
	b.ReportAllocs()
	var msgs []briefings.Message
	var listed int
	for b.Loop() {
		br := briefings.Compose(ms, o)
		msgs = br.BlockKit()
		_ = br.Mrkdwn()
		listed = br.Counts.Listed
	}
	b.ReportMetric(float64(listed), "items")
	b.ReportMetric(float64(len(msgs)), "messages")
}

// The parts of BenchmarkComposeRender10k on their own.

func BenchmarkCompose10k(b *testing.B) {
	ms := ledger10k(b)
	o := options()
	b.ReportAllocs()
	for b.Loop() {
		briefings.Compose(ms, o)
	}
}

func BenchmarkBlockKit10k(b *testing.B) {
	br := briefings.Compose(ledger10k(b), options())
	b.ReportAllocs()
	for b.Loop() {
		br.BlockKit()
	}
}

func BenchmarkMrkdwn10k(b *testing.B) {
	br := briefings.Compose(ledger10k(b), options())
	b.ReportAllocs()
	for b.Loop() {
		_ = br.Mrkdwn()
	}
}
