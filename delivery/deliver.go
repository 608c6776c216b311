// Package delivery empties the outbox: every dispatch is posted part by part, exactly
// once, through a Sender (Slack, or the console), each part's ts recorded as soon as
// it is known, so a restart resumes after the last posted part and never repeats one.
package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/metrics"
)

// Address is where a part is posted, resolved from its destination by the rules in
// force: a channel by its Slack id, or a member's direct messages.
type Address struct {
	Channel string
	Member  *briefbot.Member
}

// String names the address for logs.
func (a Address) String() string {
	if a.Member != nil {
		return "@" + string(a.Member.ID)
	}
	return a.Channel
}

// Post is one message to post: its fallback text, its blocks (JSON), the thread it
// belongs in ("" for none), and the key that names it (dispatch and part) so that it
// can be found again after an ambiguous failure.
type Post struct {
	Text     string
	Blocks   json.RawMessage
	ThreadTS string
	Key      string
}

// Sender posts messages for the outbox. Transports implement it.
type Sender interface {
	// Send posts p to to and returns the posted message's ts. Failures worth
	// retrying come back as a *SendError (or any other error); refusals for good as a
	// *SendError with Permanent set; failures after which the message may have been
	// posted all the same (a 5xx, a timeout) with Ambiguous set.
	Send(ctx context.Context, to Address, p Post) (string, error)
}

// Finder is a Sender that can look for a message it posted, by its key, after an
// ambiguous failure, so a message Slack posted despite failing is not posted again.
type Finder interface {
	// Find returns the ts of the message posted to to (in thread threadTS, "" for the
	// channel itself) under key.
	Find(ctx context.Context, to Address, threadTS, key string) (ts string, found bool, err error)
}

// SendError classifies a failed send.
type SendError struct {
	RetryAfter time.Duration // Slack said: not before this (429)
	Permanent  bool          // retrying cannot help (invalid blocks, unknown channel)
	Ambiguous  bool          // the message may have been posted all the same (5xx, timeout)
	Err        error
}

func (e *SendError) Error() string { return "send: " + e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// Store is what the deliverer needs of the ledger.
type Store interface {
	OpenDispatches(ctx context.Context) ([]*briefbot.Dispatch, error)
	MarkPart(ctx context.Context, id uint64, part int, o briefbot.PartOutcome) (*briefbot.Dispatch, error)
	FailDispatch(ctx context.Context, id uint64, reason string) (*briefbot.Dispatch, error)
	Receipt(ctx context.Context, matter uint64) (*briefbot.Dispatch, error)
	Changed(ctx context.Context) <-chan struct{}
}

// Renderer renders a part of a dispatch for its reader (notices.Renderer).
type Renderer interface {
	Render(ctx context.Context, d *briefbot.Dispatch, part int) (briefbot.Part, error)
}

// Deliverer empties the outbox. Rate limits are waited out as Slack asks; other
// failures are retried with backoff (1 s doubling to 1 min); refusals for good fail
// the dispatch and are logged at error level.
type Deliverer struct {
	Store    Store
	Sender   Sender
	Renderer Renderer
	Rules    func() *briefbot.Rules
	Log      *slog.Logger
	// Sleep waits d or until ctx is done (default: a timer); tests may replace it.
	Sleep   func(ctx context.Context, d time.Duration) error
	Metrics *metrics.Metrics // may be nil

	mu sync.Mutex // one delivery pass at a time: two would both see a part unposted
}

// maxTriesPerPass bounds how often one part is tried (for errors other than rate
// limits) before a pass moves on to the next dispatch: one stuck message must not hold
// up every alert behind it.
const maxTriesPerPass = 6

// maxRateWaitPerPass bounds how long one part waits out rate limits in a pass.
const maxRateWaitPerPass = 2 * time.Minute

// pollEvery is how often the outbox is looked at without a signal.
const pollEvery = 30 * time.Second

// Run delivers until ctx is done: at once (dispatches left half-posted by a crash are
// finished first), whenever the store says the outbox changed, and every 30 s.
func (d *Deliverer) Run(ctx context.Context) error {
	changed := d.Store.Changed(ctx)
	for {
		if err := d.DeliverAll(ctx); err != nil && ctx.Err() == nil {
			d.log().Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		case <-time.After(pollEvery):
		}
	}
}

func (d *Deliverer) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}

// DeliverAll delivers every pending dispatch, oldest first.
func (d *Deliverer) DeliverAll(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	open, err := d.Store.OpenDispatches(ctx)
	if err != nil {
		return err
	}
	for _, disp := range open {
		if disp.State != briefbot.DispatchPending {
			continue
		}
		if err := d.deliver(ctx, disp); err != nil {
			return err
		}
	}
	return nil
}

func (d *Deliverer) sleep(ctx context.Context, wait time.Duration) error {
	if d.Sleep != nil {
		return d.Sleep(ctx, wait)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errMoveOn ends a dispatch's turn in this pass without failing it.
var errMoveOn = errors.New("move on")

// deliver posts the parts of disp not yet done.
func (d *Deliverer) deliver(ctx context.Context, disp *briefbot.Dispatch) error {
	parents := map[briefbot.Destination]string{} // destination -> ts of the first part posted there
	for i, p := range disp.Parts {
		if p.Done() { // done before (a restart): only its ts matters now
			if _, ok := parents[p.To]; !ok && p.TS != "" {
				parents[p.To] = p.TS
			}
			continue
		}
		ts, err := d.partGuarded(ctx, disp, i, parents)
		switch {
		case errors.Is(err, errMoveOn):
			return nil
		case err != nil:
			return err
		}
		if _, ok := parents[p.To]; !ok && ts != "" {
			parents[p.To] = ts
		}
	}
	return nil
}

// partGuarded is part, with a panic in it (a notice that cannot be rendered, a bug
// in a sender) logged with its stack and the part left pending for the next pass:
// one bad dispatch neither ends the process (which would then stop on it at every
// start) nor holds up the rest of the outbox, and nothing is thrown away.
func (d *Deliverer) partGuarded(ctx context.Context, disp *briefbot.Dispatch, i int, parents map[briefbot.Destination]string) (ts string, err error) {
	defer func() {
		if r := recover(); r != nil {
			d.log().Error("outbox: panic while delivering; left pending", "dispatch", disp.ID, "part", i, "kind", string(disp.Kind),
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			d.Metrics.Panicked("delivery")
			ts, err = "", errMoveOn
		}
	}()
	return d.part(ctx, disp, i, parents)
}

// part renders and posts part i of disp, records the outcome, and returns its ts.
func (d *Deliverer) part(ctx context.Context, disp *briefbot.Dispatch, i int, parents map[briefbot.Destination]string) (string, error) {
	to, err := d.address(disp, disp.Parts[i].To)
	if err != nil {
		return "", d.fail(ctx, disp, "undeliverable", err)
	}
	p, err := d.render(ctx, disp, i)
	if err != nil {
		return "", err
	}
	if p.Skipped {
		_, err := d.Store.MarkPart(context.WithoutCancel(ctx), disp.ID, i, briefbot.PartOutcome{Skipped: true})
		return "", err
	}
	thread := p.ThreadTS
	switch {
	case p.Thread && thread == "":
		thread = parents[p.To]
	case p.InReceipt && thread == "" && disp.Notice != nil:
		thread = d.receiptTS(ctx, disp.Notice.Matter, p.To)
	}
	post := Post{Text: p.Text, Blocks: p.Blocks, ThreadTS: thread, Key: fmt.Sprintf("%d/%d", disp.ID, i)}
	ts, err := d.send(ctx, disp, i, to, post)
	if err != nil {
		return "", err
	}
	// Posted: the record must be written even if we are being stopped, or the next
	// start would post this part again.
	if _, err := d.Store.MarkPart(context.WithoutCancel(ctx), disp.ID, i, briefbot.PartOutcome{TS: ts}); err != nil {
		return "", err
	}
	d.Metrics.Delivered(string(disp.Kind))
	return ts, nil
}

// render returns part i ready to post: rendered from its notice when it is one.
func (d *Deliverer) render(ctx context.Context, disp *briefbot.Dispatch, i int) (briefbot.Part, error) {
	if d.Renderer == nil {
		return disp.Parts[i], nil
	}
	return d.Renderer.Render(ctx, disp, i)
}

// receiptTS is the ts of the matter's receipt to the same destination, "" if there is
// none (or it is not posted yet).
func (d *Deliverer) receiptTS(ctx context.Context, matter uint64, to briefbot.Destination) string {
	r, err := d.Store.Receipt(ctx, matter)
	if err != nil || r == nil {
		return ""
	}
	for _, p := range r.Parts {
		if p.To == to {
			return p.TS
		}
	}
	return ""
}

// send posts one part, retrying what can be retried; errMoveOn means leave it for the
// next pass.
func (d *Deliverer) send(ctx context.Context, disp *briefbot.Dispatch, i int, to Address, p Post) (string, error) {
	backoff, waited := time.Second, time.Duration(0)
	finder, _ := d.Sender.(Finder)
	for tries := 1; ; tries++ {
		ts, err := d.Sender.Send(ctx, to, p)
		var se *SendError
		if err != nil && finder != nil && errors.As(err, &se) && se.Ambiguous {
			// It may be there already: look before posting it again.
			if found, ok, ferr := finder.Find(ctx, to, p.ThreadTS, p.Key); ferr == nil && ok {
				d.log().Warn("outbox: Slack failed but had posted the message; not posting it again", "dispatch", disp.ID, "part", i)
				return found, nil
			}
		}
		if err == nil {
			return ts, nil
		}
		wait := backoff
		switch {
		case errors.As(err, &se) && se.Permanent:
			d.Metrics.Failed(string(disp.Kind))
			return "", d.fail(ctx, disp, "Slack refused a message for good", err)
		case errors.As(err, &se) && se.RetryAfter > 0 && waited+se.RetryAfter > maxRateWaitPerPass:
			// Slack keeps saying "later": let the rest of the outbox through meanwhile.
			d.log().Warn("outbox: still rate limited, moving on for now", "dispatch", disp.ID, "part", i, "waited", waited)
			return "", errMoveOn
		case errors.As(err, &se) && se.RetryAfter > 0:
			wait = se.RetryAfter
			d.Metrics.Retried("rate_limited")
			d.log().Warn("outbox: rate limited", "dispatch", disp.ID, "part", i, "retry_after", wait)
		case tries >= maxTriesPerPass:
			// Not for good, but not now either: let the rest of the outbox through and
			// come back to this one on the next pass.
			d.log().Error("outbox: still failing, moving on for now", "dispatch", disp.ID, "part", i, "tries", tries, "err", err)
			return "", errMoveOn
		default:
			backoff = min(backoff*2, time.Minute)
			d.Metrics.Retried("error")
			d.log().Warn("outbox: send failed, will retry", "dispatch", disp.ID, "part", i, "in", wait, "err", err)
		}
		waited += wait
		if err := d.sleep(ctx, wait); err != nil {
			return "", err
		}
	}
}

// fail gives up on disp for good, logging why at error level.
func (d *Deliverer) fail(ctx context.Context, disp *briefbot.Dispatch, what string, err error) error {
	d.log().Error("outbox: "+what, "dispatch", disp.ID, "kind", string(disp.Kind), "committee", string(disp.Committee), "err", err)
	if _, ferr := d.Store.FailDispatch(context.WithoutCancel(ctx), disp.ID, err.Error()); ferr != nil {
		return ferr
	}
	return errMoveOn
}

// address resolves where a part goes by the rules in force.
func (d *Deliverer) address(disp *briefbot.Dispatch, to briefbot.Destination) (Address, error) {
	org := &d.Rules().Org
	switch {
	case to.Member != "":
		m, ok := org.Member(to.Member)
		if !ok {
			return Address{}, fmt.Errorf("member %q is not in the org config", to.Member)
		}
		return Address{Member: m}, nil
	case to.Channel != "":
		return Address{Channel: to.Channel}, nil
	}
	c, ok := org.Committee(disp.Committee)
	if !ok || c.Channel == "" {
		return Address{}, fmt.Errorf("committee %q has no channel in the org config", disp.Committee)
	}
	return Address{Channel: c.Channel}, nil
}
