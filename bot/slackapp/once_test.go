package slackapp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// keyOf is the dispatch part a posted message carries in its metadata.
func keyOf(m slacktest.Message) string {
	var md struct {
		Payload struct{ Key string } `json:"event_payload"`
	}
	json.Unmarshal(m.Metadata, &md)
	return md.Payload.Key
}

// postedOnce fails the test unless every part of every dispatch given was posted
// exactly once, the ts recorded being the one posted.
func postedOnce(t *testing.T, h *harness, ds ...*briefbot.Dispatch) {
	t.Helper()
	seen := map[string][]string{}
	for _, p := range h.slack.Posts() {
		seen[keyOf(p)] = append(seen[keyOf(p)], p.TS)
	}
	for _, d := range ds {
		got, _ := h.store.Dispatch(context.Background(), d.ID)
		for i, p := range got.Parts {
			key := fmt.Sprintf("%d/%d", d.ID, i)
			if len(seen[key]) != 1 || p.TS != seen[key][0] {
				t.Fatalf("part %s posted %d times %v, recorded as %q (dispatch %s)", key, len(seen[key]), seen[key], p.TS, got.State)
			}
		}
	}
}

// TestOnce_AmbiguousOutcomesAreLookedUpNotRepeated: whatever leaves the bot unsure
// whether Slack posted — a 5xx after posting, the connection lost after the request was
// written, an answer that does not come within the call's timeout — the part is looked
// for (in the channel's history for a parent, in the thread's replies for a reply)
// and not posted again; a connection lost before Slack posted is posted once more.
func TestOnce_AmbiguousOutcomesAreLookedUpNotRepeated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault slacktest.Fault
	}{
		{"5xx after posting", slacktest.Fault{Status: 500, Posted: true}},
		{"connection lost after posting", slacktest.Fault{Drop: true, Posted: true}},
		{"answer later than the timeout", slacktest.Fault{Delay: 2 * time.Second, Posted: true}},
		{"connection lost before posting", slacktest.Fault{Drop: true}},
	} {
		for part := range 3 { // the parent, then a reply in its thread
			t.Run(fmt.Sprintf("%s/part%d", tc.name, part), func(t *testing.T) {
				h := newHarnessWith(t, false)
				app := slackapp.New(h.api, bot.New(h.store, h.rules, h.producer, bot.Options{}), slackapp.Options{CallTimeout: 300 * time.Millisecond})
				if err := app.Start(context.Background()); err != nil {
					t.Fatal(err)
				}
				disp := create(t, h, threeParts())
				faults := make([]slacktest.Fault, part+1)
				faults[part] = tc.fault
				h.slack.Fail("chat.postMessage", faults...)
				if err := h.deliverer(&waits{}, app).DeliverAll(context.Background()); err != nil {
					t.Fatal(err)
				}
				postedOnce(t, h, disp)
			})
		}
	}
}

// crashOn posts through the real sender and dies right after its nth post to one
// address, before the outbox can record it: the state on disk is that of a process
// killed between the two.
type crashOn struct {
	delivery.Sender
	cancel context.CancelFunc
	to     string
	nth, n int
}

func (c *crashOn) Send(ctx context.Context, to delivery.Address, p delivery.Post) (string, error) {
	ts, err := c.Sender.Send(ctx, to, p)
	if to.String() == c.to {
		if c.n++; c.n == c.nth {
			c.cancel()
			return "", context.Canceled
		}
	}
	return ts, err
}

// TestOnce_ACrashBetweenPostingAndRecordingIsFoundAtStart: the process dies after
// Slack posted a part and before the post was recorded — a channel's parent, a
// reply in its thread, a DM — and the next start finds it instead of posting it
// again.
func TestOnce_ACrashBetweenPostingAndRecordingIsFoundAtStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		to   string
		nth  int
	}{{"parent", "CPARTY", 1}, {"reply in its thread", "CPARTY", 2}, {"DM", "@wu", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarnessWith(t, false)
			briefing := create(t, h, threeParts())
			dm := create(t, h, &briefbot.Dispatch{Kind: briefbot.DispatchNotice, Committee: "party", Parts: []briefbot.Part{{To: briefbot.ToMember("wu"), Text: "致吴副庭长"}}})
			ctx, cancel := context.WithCancel(context.Background())
			h.deliverer(&waits{}, &crashOn{Sender: h.app, cancel: cancel, to: tc.to, nth: tc.nth}).DeliverAll(ctx)
			if err := h.deliverer(&waits{}, h.app).DeliverAll(context.Background()); err != nil { // the next start
				t.Fatal(err)
			}
			postedOnce(t, h, briefing, dm)
		})
	}
}

// TestOnce_AHungCallHoldsUpOnlyItsChannel: a chat.postMessage that never answers is
// cut off by the call's timeout, and meanwhile every other destination is served; the
// hung part goes out once.
func TestOnce_AHungCallHoldsUpOnlyItsChannel(t *testing.T) {
	h := newHarnessWith(t, false)
	app := slackapp.New(h.api, bot.New(h.store, h.rules, h.producer, bot.Options{}), slackapp.Options{CallTimeout: 500 * time.Millisecond})
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	hung := create(t, h, threeParts())
	var others []*briefbot.Dispatch
	for _, who := range []briefbot.MemberID{"wu", "zhou", "zheng", "zhao"} {
		others = append(others, create(t, h, &briefbot.Dispatch{Kind: briefbot.DispatchNotice, Committee: "party", Parts: []briefbot.Part{{To: briefbot.ToMember(who), Text: "回执"}}}))
	}
	h.slack.Fail("chat.postMessage", slacktest.Fault{Delay: time.Hour, Channel: "CPARTY"}) // the briefing's parent
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- h.deliverer(&waits{}, app).DeliverAll(context.Background()) }()
	for _, d := range others {
		for {
			got, _ := h.store.Dispatch(context.Background(), d.ID)
			if got.State == briefbot.DispatchDelivered {
				break
			}
			if time.Since(start) > 400*time.Millisecond {
				t.Fatalf("dispatch %d to %s waited behind the hung call", d.ID, got.Parts[0].To.Member)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	postedOnce(t, h, append(others, hung)...)
}

// TestOnce_AReplyWhileTheParentIsBeingRecordedIsMatched: a leader's 批示 in a
// briefing's thread that arrives after Slack posted the briefing but before its ts is
// recorded is matched to the briefing by the parent's metadata and recorded.
func TestOnce_AReplyWhileTheParentIsBeingRecordedIsMatched(t *testing.T) {
	h := newHarnessWith(t, false)
	m := seedRequest(t, h, "关于某案的请示")
	brief, err := h.producer.MakeBriefing(context.Background(), "party", "", time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	sender := &replyOnPost{Sender: h.app, h: h, t: t, text: "批示：同意，依法办理。"}
	if err := h.deliverer(&waits{}, sender).DeliverAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !sender.replied {
		t.Fatal("the reply was never sent")
	}
	got, _ := h.store.Lookup(context.Background(), m)
	if len(got.Instructions) != 1 || !strings.Contains(got.Instructions[0].Text, "依法办理") {
		t.Fatalf("the 批示 written while the briefing (%d) was being recorded was dropped: %+v", brief.ID, got.Instructions)
	}
}

// replyOnPost posts through the real sender and, right after Slack answered the
// briefing's parent and before the outbox records it, sends the leader's reply in its
// thread over HTTP, as Slack would deliver it.
type replyOnPost struct {
	delivery.Sender
	h       *harness
	t       *testing.T
	text    string
	replied bool
}

func (r *replyOnPost) Send(ctx context.Context, to delivery.Address, p delivery.Post) (string, error) {
	ts, err := r.Sender.Send(ctx, to, p)
	if err == nil && !r.replied && to.Channel == "CPARTY" && p.ThreadTS == "" {
		r.replied = true
		ev := slacktest.EventPayload("EvReply1", map[string]any{"type": "message", "user": "UZHAO", "channel": "CPARTY", "channel_type": "channel",
			"text": r.text, "ts": fmt.Sprintf("%s1", ts), "thread_ts": ts})
		if resp, body := r.h.slack.PostEvent(r.t, r.h.url, secret, ev, 0); resp.StatusCode != 200 {
			r.t.Errorf("reply event: %d %s", resp.StatusCode, body)
		}
	}
	return ts, err
}

// seedRequest stores a request to the party committee as the intake would and
// returns its number.
func seedRequest(t *testing.T, h *harness, title string) string {
	t.Helper()
	m := &briefbot.Matter{Kind: briefbot.KindRequest, Title: title, RequestedItem: "事项", Reasons: "理由", Recommendation: "建议",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", Addressee: "party", Unclassified: true, Decision: briefbot.DecisionCollective}
	r, err := h.store.Submit(context.Background(), m, nil, briefbot.Delivery{})
	if err != nil {
		t.Fatal(err)
	}
	return r.Matter.Number.String()
}

// TestLimits_PostsToOneChannelAreSpacedOthersAreNot: posts to one channel beyond its
// burst wait for their turn at the channel's rate, in order, while another channel's
// go at once.
func TestLimits_PostsToOneChannelAreSpacedOthersAreNot(t *testing.T) {
	h := newHarnessWith(t, false)
	limits := slackapp.SlackLimits()
	limits.PerChannel = 240 // four a second after three at once: a short test of the same rule
	app := slackapp.New(h.api, bot.New(h.store, h.rules, h.producer, bot.Options{}), slackapp.Options{Limits: &limits})
	post := func(ch string, n int, done chan<- struct{}) {
		for i := range n {
			if _, err := app.Send(context.Background(), delivery.Address{Channel: ch}, delivery.Post{Text: fmt.Sprint(ch, i)}); err != nil {
				t.Error(err)
			}
		}
		done <- struct{}{}
	}
	done := make(chan struct{}, 2)
	start := time.Now()
	go post("CBUSY", 7, done)
	time.Sleep(50 * time.Millisecond) // CBUSY's burst is spent, the rest is waiting
	go post("CQUIET", 3, done)
	<-done
	<-done
	at := map[string][]time.Duration{}
	var order []string
	for _, c := range h.slack.Calls("chat.postMessage") {
		ch := c.Form.Get("channel")
		at[ch] = append(at[ch], c.Time.Sub(start))
		if ch == "CBUSY" {
			order = append(order, c.Form.Get("text"))
		}
	}
	if len(at["CBUSY"]) != 7 || at["CBUSY"][6] < 900*time.Millisecond {
		t.Fatalf("posts to one channel at %v; want the 7th at least 1 s after the first (3 at once, then 4 a second)", at["CBUSY"])
	}
	if len(at["CQUIET"]) != 3 || at["CQUIET"][2] > 400*time.Millisecond {
		t.Fatalf("another channel's posts at %v: they waited behind the busy one", at["CQUIET"])
	}
	if strings.Join(order, " ") != "CBUSY0 CBUSY1 CBUSY2 CBUSY3 CBUSY4 CBUSY5 CBUSY6" {
		t.Fatalf("posts to one channel out of order: %v", order)
	}
}
