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
// ambiguous failure or a crash between posting and recording, so a message Slack
// posted is never posted again.
type Finder interface {
	// Find returns the ts of the message posted to to (in thread threadTS, "" for the
	// channel itself) under key, looking at messages posted since then (the first
	// try; a minute's margin is the Finder's to add).
	Find(ctx context.Context, to Address, threadTS, key string, since time.Time) (ts string, found bool, err error)
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

// Lanes bounds how many destinations are posted to at once.
const Lanes = 8

// DeliverAll delivers every pending dispatch: each destination's parts in order (a
// dispatch's parts, then the next dispatch's), destinations side by side, at most
// Lanes at once, so one slow or rate-limited channel holds up only itself.
func (d *Deliverer) DeliverAll(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	open, err := d.Store.OpenDispatches(ctx)
	if err != nil {
		return err
	}
	lanes, err := d.lanes(ctx, open)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg     sync.WaitGroup
		failed sync.Map // dispatch id -> true: failed for good in this pass
		slots  = make(chan struct{}, Lanes)
	)
	for _, l := range lanes {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			if err := d.lane(ctx, l, &failed); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && err != context.Canceled {
		return err
	}
	return ctx.Err()
}

// job is one part of one dispatch, to an address.
type job struct {
	disp *briefbot.Dispatch
	part int
	to   Address
}

// lanes groups the parts still to post by destination, in dispatch then part order.
// A dispatch with a part that has nowhere to go fails at once.
func (d *Deliverer) lanes(ctx context.Context, open []*briefbot.Dispatch) ([][]job, error) {
	index := map[string]int{}
	var lanes [][]job
	for _, disp := range open {
		if disp.State != briefbot.DispatchPending {
			continue
		}
		var jobs []job
		var undeliverable error
		for i := range disp.Parts {
			if disp.Parts[i].Done() {
				continue
			}
			to, err := d.address(disp, disp.Parts[i].To)
			if err != nil {
				undeliverable = err
				break
			}
			jobs = append(jobs, job{disp, i, to})
		}
		if undeliverable != nil {
			if err := d.fail(ctx, disp, "undeliverable", undeliverable); err != errFailed {
				return nil, err
			}
			continue
		}
		for _, j := range jobs {
			k := j.to.String()
			n, ok := index[k]
			if !ok {
				n = len(lanes)
				index[k] = n
				lanes = append(lanes, nil)
			}
			lanes[n] = append(lanes[n], j)
		}
	}
	return lanes, nil
}

// lane posts one destination's parts in order. A part that cannot go now (rate
// limited for long, still failing) ends the lane for this pass, so nothing behind it
// overtakes it; a dispatch failed for good is skipped.
func (d *Deliverer) lane(ctx context.Context, jobs []job, failed *sync.Map) error {
	parents := map[uint64]string{} // dispatch id -> ts of its first part to this destination
	for _, j := range jobs {
		if _, ok := failed.Load(j.disp.ID); ok {
			continue
		}
		if _, ok := parents[j.disp.ID]; !ok {
			parents[j.disp.ID] = firstPosted(j.disp, j.disp.Parts[j.part].To)
		}
		ts, err := d.partGuarded(ctx, j, parents[j.disp.ID])
		switch {
		case errors.Is(err, errFailed):
			failed.Store(j.disp.ID, true)
			continue
		case errors.Is(err, errMoveOn):
			return nil
		case err != nil:
			return err
		}
		if parents[j.disp.ID] == "" {
			parents[j.disp.ID] = ts
		}
	}
	return nil
}

// firstPosted is the ts of disp's first part to to, if it was posted.
func firstPosted(disp *briefbot.Dispatch, to briefbot.Destination) string {
	for _, p := range disp.Parts {
		if p.To == to {
			return p.TS
		}
	}
	return ""
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

// errMoveOn ends a lane's turn in this pass without failing its part; errFailed says
// the part's dispatch was failed for good.
var (
	errMoveOn = errors.New("move on")
	errFailed = errors.New("dispatch failed")
)

// partGuarded is part, with a panic in it (a notice that cannot be rendered, a bug
// in a sender) logged with its stack and the part left pending for the next pass:
// one bad dispatch neither ends the process (which would then stop on it at every
// start) nor holds up the other destinations, and nothing is thrown away.
func (d *Deliverer) partGuarded(ctx context.Context, j job, parent string) (ts string, err error) {
	defer func() {
		if r := recover(); r != nil {
			d.log().Error("outbox: panic while delivering; left pending", "dispatch", j.disp.ID, "part", j.part, "kind", string(j.disp.Kind),
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			d.Metrics.Panicked("delivery")
			ts, err = "", errMoveOn
		}
	}()
	return d.part(ctx, j, parent)
}

// part renders and posts one part, records the outcome, and returns its ts. Before
// its first try the part is marked tried, durably: a part found marked on a later
// try (after an ambiguous failure, or a crash between posting and recording) is
// looked for before it is posted again.
func (d *Deliverer) part(ctx context.Context, j job, parent string) (string, error) {
	disp, i := j.disp, j.part
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
		thread = parent
	case p.InReceipt && thread == "" && disp.Notice != nil:
		thread = d.receiptTS(ctx, disp.Notice.Matter, p.To)
	}
	post := Post{Text: p.Text, Blocks: p.Blocks, ThreadTS: thread, Key: fmt.Sprintf("%d/%d", disp.ID, i)}
	tried := disp.Parts[i].TriedAt
	if tried.IsZero() {
		marked, err := d.Store.MarkPart(context.WithoutCancel(ctx), disp.ID, i, briefbot.PartOutcome{Tried: true})
		if err != nil {
			return "", err
		}
		tried = marked.Parts[i].TriedAt
	} else if ts, ok := d.find(ctx, disp, i, j.to, post, tried); ok {
		return ts, d.posted(ctx, disp, i, ts)
	}
	ts, err := d.send(ctx, disp, i, j.to, post, tried)
	if err != nil {
		return "", err
	}
	return ts, d.posted(ctx, disp, i, ts)
}

// posted records part i of disp as posted with ts. The record is written even if
// the run is being stopped, or the next start would look for it again.
func (d *Deliverer) posted(ctx context.Context, disp *briefbot.Dispatch, i int, ts string) error {
	if _, err := d.Store.MarkPart(context.WithoutCancel(ctx), disp.ID, i, briefbot.PartOutcome{TS: ts}); err != nil {
		return err
	}
	d.Metrics.Delivered(string(disp.Kind))
	return nil
}

// find looks for part i of disp, tried before, where it would have been posted.
func (d *Deliverer) find(ctx context.Context, disp *briefbot.Dispatch, i int, to Address, p Post, since time.Time) (string, bool) {
	finder, ok := d.Sender.(Finder)
	if !ok {
		return "", false
	}
	ts, found, err := finder.Find(ctx, to, p.ThreadTS, p.Key, since)
	if err != nil {
		d.log().Warn("outbox: could not look for a part tried before; posting it", "dispatch", disp.ID, "part", i, "err", err)
		return "", false
	}
	if found {
		d.log().Warn("outbox: a part tried before had been posted; not posting it again", "dispatch", disp.ID, "part", i)
	}
	return ts, found
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
func (d *Deliverer) send(ctx context.Context, disp *briefbot.Dispatch, i int, to Address, p Post, since time.Time) (string, error) {
	backoff, waited := time.Second, time.Duration(0)
	for tries := 1; ; tries++ {
		ts, err := d.Sender.Send(ctx, to, p)
		var se *SendError
		if err != nil && errors.As(err, &se) && se.Ambiguous {
			// It may be there already: look before posting it again.
			if found, ok := d.find(ctx, disp, i, to, p, since); ok {
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

// fail gives up on disp for good, logging why at error level; it returns errFailed.
func (d *Deliverer) fail(ctx context.Context, disp *briefbot.Dispatch, what string, err error) error {
	d.log().Error("outbox: "+what, "dispatch", disp.ID, "kind", string(disp.Kind), "committee", string(disp.Committee), "err", err)
	if _, ferr := d.Store.FailDispatch(context.WithoutCancel(ctx), disp.ID, err.Error()); ferr != nil {
		return ferr
	}
	return errFailed
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
