package slackapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/notices"
)

func threeParts() *briefbot.Dispatch {
	d := &briefbot.Dispatch{Kind: briefbot.DispatchBriefing, Committee: "party", Year: 2026, Issue: 1}
	for i := range 3 {
		blocks, _ := json.Marshal([]map[string]any{{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": fmt.Sprint("第", i, "部分")}}})
		d.Parts = append(d.Parts, briefbot.Part{Text: fmt.Sprint("part ", i), Blocks: blocks, Thread: i > 0})
	}
	return d
}

// waits records the deliverer's waits instead of sleeping.
type waits struct {
	mu sync.Mutex
	ds []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.ds = append(w.ds, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (h *harness) deliverer(w *waits, sender delivery.Sender) *delivery.Deliverer {
	return &delivery.Deliverer{Store: h.store, Sender: sender, Renderer: &notices.Renderer{Matters: h.store, Rules: h.rules}, Rules: h.rules,
		Log: slog.New(slog.DiscardHandler), Sleep: w.sleep}
}

func TestOutbox_RateLimitsAndErrorsDeliverExactlyOnce(t *testing.T) {
	h := newHarnessWith(t, false)
	disp, _, err := h.store.CreateDispatch(context.Background(), threeParts())
	if err != nil {
		t.Fatal(err)
	}
	h.slack.Fail("chat.postMessage", slacktest.Fault{Status: 429, RetryAfter: 3}, slacktest.Fault{Status: 500}, slacktest.Fault{}, slacktest.Fault{Status: 503})
	w := &waits{}
	if err := h.deliverer(w, h.app).DeliverAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	posts := h.slack.Posts()
	if len(posts) != 3 {
		t.Fatalf("%d messages posted; want 3", len(posts))
	}
	if posts[0].Channel != "CPARTY" || posts[0].ThreadTS != "" || posts[1].ThreadTS != posts[0].TS || posts[2].ThreadTS != posts[0].TS {
		t.Fatalf("parent and thread replies wrong: %+v", posts)
	}
	if w.ds[0] != 3*time.Second {
		t.Fatalf("Retry-After not honoured: waits %v", w.ds)
	}
	got, _ := h.store.Dispatch(context.Background(), disp.ID)
	if got.State != briefbot.DispatchDelivered {
		t.Fatalf("state = %s", got.State)
	}
	// Nothing is left: running again posts nothing.
	h.deliverer(w, h.app).DeliverAll(context.Background())
	if n := len(h.slack.Posts()); n != 3 {
		t.Fatalf("%d posts after a second run; want 3", n)
	}
}

// crashAfter is a Sender that "crashes" (cancels the run) once n messages are posted.
type crashAfter struct {
	delivery.Sender
	n      int
	cancel context.CancelFunc
}

func (c *crashAfter) Send(ctx context.Context, to delivery.Address, p delivery.Post) (string, error) {
	if c.n == 0 {
		c.cancel()
		return "", errors.New("killed")
	}
	c.n--
	return c.Sender.Send(ctx, to, p)
}

func TestOutbox_RestartMidDeliveryRepeatsNothing(t *testing.T) {
	h := newHarnessWith(t, false)
	h.store.CreateDispatch(context.Background(), threeParts())
	ctx, cancel := context.WithCancel(context.Background())
	w := &waits{}
	h.deliverer(w, &crashAfter{Sender: h.app, n: 2, cancel: cancel}).DeliverAll(ctx)
	if n := len(h.slack.Posts()); n != 2 {
		t.Fatalf("%d posted before the crash; want 2", n)
	}
	// The next process picks the dispatch up from the outbox.
	if err := h.deliverer(w, h.app).DeliverAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	posts := h.slack.Posts()
	if len(posts) != 3 || posts[2].Text != "part 2" || posts[2].ThreadTS != posts[0].TS {
		t.Fatalf("after restart: %+v", posts)
	}
}

func TestOutbox_RefusedForGoodFailsAndMovesOn(t *testing.T) {
	h := newHarnessWith(t, false)
	bad, _, _ := h.store.CreateDispatch(context.Background(), threeParts())
	next := threeParts()
	next.Issue = 2
	good, _, _ := h.store.CreateDispatch(context.Background(), next)
	h.slack.Fail("chat.postMessage", slacktest.Fault{Error: "invalid_blocks"})
	d := h.deliverer(&waits{}, h.app)
	d.DeliverAll(context.Background())
	d.DeliverAll(context.Background())
	if got, _ := h.store.Dispatch(context.Background(), bad.ID); got.State != briefbot.DispatchFailed || got.Failure == "" {
		t.Fatalf("refused dispatch = %+v", got)
	}
	if got, _ := h.store.Dispatch(context.Background(), good.ID); got.State != briefbot.DispatchDelivered {
		t.Fatalf("the next dispatch was not delivered: %s", got.State)
	}
	// A committee without a channel cannot be delivered to: failed, not retried forever.
	orphan := threeParts()
	orphan.Kind, orphan.Committee = briefbot.DispatchAlert, "nowhere"
	o, _, _ := h.store.CreateDispatch(context.Background(), orphan)
	d.DeliverAll(context.Background())
	if got, _ := h.store.Dispatch(context.Background(), o.ID); got.State != briefbot.DispatchFailed {
		t.Fatalf("orphan = %s", got.State)
	}
}

// stopAfterPost is a Sender whose run is stopped (as on SIGTERM) just after Slack
// accepted a message.
type stopAfterPost struct {
	delivery.Sender
	cancel context.CancelFunc
}

func (s *stopAfterPost) Send(ctx context.Context, to delivery.Address, p delivery.Post) (string, error) {
	ts, err := s.Sender.Send(ctx, to, p)
	s.cancel()
	return ts, err
}

func TestOutbox_StopJustAfterAPostStillRecordsIt(t *testing.T) {
	h := newHarnessWith(t, false)
	h.store.CreateDispatch(context.Background(), threeParts())
	ctx, cancel := context.WithCancel(context.Background())
	h.deliverer(&waits{}, &stopAfterPost{Sender: h.app, cancel: cancel}).DeliverAll(ctx)
	h.deliverer(&waits{}, h.app).DeliverAll(context.Background())
	if n := len(h.slack.Posts()); n != 3 {
		t.Fatalf("%d posts; want 3 (the part posted while stopping must not be posted again)", n)
	}
}

func create(t *testing.T, h *harness, d *briefbot.Dispatch) *briefbot.Dispatch {
	t.Helper()
	stored, _, err := h.store.CreateDispatch(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

// stuckOn is a Sender that fails (retryably) every post to one channel.
type stuckOn struct {
	delivery.Sender
	channel string
}

func (s stuckOn) Send(ctx context.Context, to delivery.Address, p delivery.Post) (string, error) {
	if to.Channel == s.channel {
		return "", &delivery.SendError{Err: errors.New("stuck")}
	}
	return s.Sender.Send(ctx, to, p)
}

// TestOutbox_AStuckChannelHoldsUpOnlyItself: a channel whose posts keep failing keeps
// its own later dispatches behind the stuck one (order within a channel), while
// another channel's go out; on the next pass everything goes, in order.
func TestOutbox_AStuckChannelHoldsUpOnlyItself(t *testing.T) {
	h := newHarnessWith(t, false)
	stuck := threeParts()
	stuck.Kind, stuck.Committee = briefbot.DispatchAlert, "party"
	stuck = create(t, h, stuck)
	behind := threeParts()
	behind = create(t, h, behind)
	elsewhere := threeParts()
	elsewhere.Issue = 2
	for i := range elsewhere.Parts {
		elsewhere.Parts[i].To = briefbot.Destination{Channel: "COTHER"}
	}
	elsewhere = create(t, h, elsewhere)
	h.deliverer(&waits{}, stuckOn{h.app, "CPARTY"}).DeliverAll(context.Background())
	state := func(d *briefbot.Dispatch) briefbot.DispatchState {
		got, _ := h.store.Dispatch(context.Background(), d.ID)
		return got.State
	}
	if state(stuck) != briefbot.DispatchPending || state(behind) != briefbot.DispatchPending || state(elsewhere) != briefbot.DispatchDelivered {
		t.Fatalf("after a pass with CPARTY stuck: %s %s %s; want pending, pending (behind it), delivered (another channel)", state(stuck), state(behind), state(elsewhere))
	}
	h.deliverer(&waits{}, h.app).DeliverAll(context.Background())
	var party []string
	for _, p := range h.slack.Posts() {
		if p.Channel == "CPARTY" {
			var md struct {
				Payload struct{ Key string } `json:"event_payload"`
			}
			json.Unmarshal(p.Metadata, &md)
			party = append(party, md.Payload.Key)
		}
	}
	want := []string{fmt.Sprint(stuck.ID, "/0"), fmt.Sprint(stuck.ID, "/1"), fmt.Sprint(stuck.ID, "/2"), fmt.Sprint(behind.ID, "/0"), fmt.Sprint(behind.ID, "/1"), fmt.Sprint(behind.ID, "/2")}
	if fmt.Sprint(party) != fmt.Sprint(want) {
		t.Fatalf("CPARTY got %v; want %v, in order", party, want)
	}
}

// TestOutbox_A5xxAfterPostingIsNotPostedAgain: Slack posts the message but answers 500
// (or the answer times out); the outbox looks for it by its key before posting again.
func TestOutbox_A5xxAfterPostingIsNotPostedAgain(t *testing.T) {
	h := newHarnessWith(t, false)
	disp, _, _ := h.store.CreateDispatch(context.Background(), threeParts())
	h.slack.Fail("chat.postMessage", slacktest.Fault{Status: 500, Posted: true}, slacktest.Fault{}, slacktest.Fault{Status: 503, Posted: true})
	if err := h.deliverer(&waits{}, h.app).DeliverAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	posts := h.slack.Posts()
	if len(posts) != 3 {
		t.Fatalf("%d posts for 3 parts: %+v", len(posts), posts)
	}
	got, _ := h.store.Dispatch(context.Background(), disp.ID)
	if got.State != briefbot.DispatchDelivered || got.Parts[0].TS != posts[0].TS || got.Parts[2].TS != posts[2].TS || posts[2].ThreadTS != posts[0].TS {
		t.Fatalf("dispatch = %+v", got)
	}
}

// brokenRenderer panics on the dispatch numbered bad, as a bug in rendering would.
type brokenRenderer struct {
	delivery.Renderer
	bad uint64
}

func (r brokenRenderer) Render(ctx context.Context, d *briefbot.Dispatch, part int) (briefbot.Part, error) {
	if d.ID == r.bad {
		panic("bug: render")
	}
	return r.Renderer.Render(ctx, d, part)
}

// TestOutbox_APanickingDispatchIsLeftPendingAndTheRestDelivered: a dispatch whose
// rendering panics does not stop the deliverer (nor the process): other channels'
// dispatches are posted, it stays pending (nothing thrown away), and once the bug is
// gone it goes out.
func TestOutbox_APanickingDispatchIsLeftPendingAndTheRestDelivered(t *testing.T) {
	h := newHarnessWith(t, false)
	bad, _, err := h.store.CreateDispatch(context.Background(), threeParts())
	if err != nil {
		t.Fatal(err)
	}
	good := threeParts()
	good.Issue = 2
	for i := range good.Parts {
		good.Parts[i].To = briefbot.Destination{Channel: "COTHER"} // another channel: not behind the bad one
	}
	good, _, err = h.store.CreateDispatch(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	d := h.deliverer(&waits{}, h.app)
	d.Renderer = brokenRenderer{Renderer: d.Renderer, bad: bad.ID}
	if err := d.DeliverAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.store.Dispatch(context.Background(), good.ID); got.State != briefbot.DispatchDelivered {
		t.Fatalf("the good dispatch is %s", got.State)
	}
	if got, _ := h.store.Dispatch(context.Background(), bad.ID); got.State != briefbot.DispatchPending {
		t.Fatalf("the panicking dispatch is %s; want it kept pending", got.State)
	}
	if err := h.deliverer(&waits{}, h.app).DeliverAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.store.Dispatch(context.Background(), bad.ID); got.State != briefbot.DispatchDelivered || len(h.slack.Posts()) != 6 {
		t.Fatalf("after the fix: %s, %d posts", got.State, len(h.slack.Posts()))
	}
}
