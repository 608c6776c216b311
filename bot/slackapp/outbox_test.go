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

func TestOutbox_AStuckDispatchDoesNotHoldUpTheRest(t *testing.T) {
	h := newHarnessWith(t, false)
	stuck := threeParts()
	stuck.Kind, stuck.Committee = briefbot.DispatchAlert, "party"
	h.store.CreateDispatch(context.Background(), stuck)
	next := threeParts()
	next.Issue = 1
	h.store.CreateDispatch(context.Background(), next)
	faults := make([]slacktest.Fault, 6)
	for i := range faults {
		faults[i] = slacktest.Fault{Status: 500}
	}
	h.slack.Fail("chat.postMessage", faults...)
	d := h.deliverer(&waits{}, h.app)
	d.DeliverAll(context.Background()) // the first gives up for this pass after 6 tries; the second goes out
	open, _ := h.store.OpenDispatches(context.Background())
	if len(open) != 1 || open[0].Kind != briefbot.DispatchAlert || len(h.slack.Posts()) != 3 {
		t.Fatalf("open %d, posts %d; want the stuck one open and the next delivered", len(open), len(h.slack.Posts()))
	}
	d.DeliverAll(context.Background()) // the next pass: Slack answers again
	if open, _ := h.store.OpenDispatches(context.Background()); len(open) != 0 || len(h.slack.Posts()) != 6 {
		t.Fatalf("after the next pass: open %d, posts %d", len(open), len(h.slack.Posts()))
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
// rendering panics does not stop the deliverer (nor the process): the others are
// posted, it stays pending (nothing thrown away), and once the bug is gone it goes out.
func TestOutbox_APanickingDispatchIsLeftPendingAndTheRestDelivered(t *testing.T) {
	h := newHarnessWith(t, false)
	bad, _, err := h.store.CreateDispatch(context.Background(), threeParts())
	if err != nil {
		t.Fatal(err)
	}
	good := threeParts()
	good.Issue = 2
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
