package bot_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

// replicas are bots on one ledger, as several replicas of briefbot on one etcd
// cluster are; the first is f.bot.
func replicas(f *fixture, n int) []*bot.Bot {
	out := []*bot.Bot{f.bot}
	for range n - 1 {
		out = append(out, bot.New(f.store, func() *briefbot.Rules { return f.rules }, f.producer,
			bot.Options{Now: func() time.Time { return f.now }}))
	}
	return out
}

// TestDM_EachMessageMayReachAnotherReplica: Slack hands a member's messages to any
// replica. A conversation goes on whichever gets each answer, and one that starts on
// a replica that is then replaced (a restart) goes on too; the matter is stored once,
// with every answer.
func TestDM_EachMessageMayReachAnotherReplica(t *testing.T) {
	f := withEarlierMatters(t)
	bots := replicas(f, 2)
	script := requestScript()
	prev := ""
	for i, s := range script {
		if !strings.Contains(prev, s.asks) {
			t.Fatalf("turn %d on replica %d: before %q the bot said %q; want it to ask %q", i, i%2, s.say, prev, s.asks)
		}
		if i == len(script)/2 { // the first replica restarts: a new process, the same ledger
			bots[0] = replicas(f, 2)[1]
		}
		r := bots[i%2].DM(ctx, bot.CommandInput{User: as("wu"), Text: s.say})
		prev = ""
		if r.Message != nil {
			prev = text(*r.Message)
		}
	}
	if prev != "" {
		t.Fatalf("submit answered %q; want the receipt by DM only", prev)
	}
	m := lookup(t, f, "QS-2026-0002")
	if m.Title != "关于张某涉黑案公开审理的请示" || m.Recommendation != "建议公开审理" || len(m.Restricted) != 2 || len(m.Attachments) != 2 {
		t.Fatalf("stored across replicas: %+v", m)
	}
	if r := f.bot.DM(ctx, bot.CommandInput{User: as("wu"), Text: "提交"}); r.Message != nil && strings.Contains(text(*r.Message), "QS-2026-0003") {
		t.Fatalf("a second 提交 after the end stored another matter")
	}
}

// TestDM_TwoReplicasAnswerAtOnce: two answers of one member reach two replicas at the
// same moment. Each is either taken or answered “send it again”; none is lost
// silently, and the conversation goes on from what was taken.
func TestDM_TwoReplicasAnswerAtOnce(t *testing.T) {
	f := withEarlierMatters(t)
	bots := replicas(f, 2)
	dm(f, "wu", "new filing")
	for range 20 {
		var wg sync.WaitGroup
		replies := make([]string, 2)
		for i, b := range bots {
			wg.Go(func() {
				r := b.DM(ctx, bot.CommandInput{User: as("wu"), Text: "关于院庭长办案情况的报备"})
				if r.Message != nil {
					replies[i] = text(*r.Message)
				}
			})
		}
		wg.Wait()
		for _, r := range replies {
			// Taken as the title (the body is asked next), or — when one replica read
			// the conversation after the other had saved it — taken as the body (the
			// urgency is asked next), or refused with "send it again".
			if !strings.Contains(r, "正文") && !strings.Contains(r, "紧急程度") && !strings.Contains(r, "再发一次") && !strings.Contains(r, "没有听懂") {
				t.Fatalf("an answer was neither taken nor refused clearly: %q", r)
			}
		}
		if r := dm(f, "wu", "取消"); !strings.Contains(r, "取消") {
			t.Fatalf("cancel = %q", r)
		}
		dm(f, "wu", "new filing")
	}
	_ = blockkit.Message{}
}
