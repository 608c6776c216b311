package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/briefbot/briefbot"
)

// Sender posts one message for the outbox. Transports implement it.
type Sender interface {
	// Send posts text and blocks to channel — a channel ID, "@" and a member's Slack
	// user ID for their DM, or MemberPrefix and a member ID — in the thread of threadTS when it is set, and returns
	// the posted message's ts. Failures that are worth retrying come back as a
	// *SendError or any other error; Slack's refusals for good as a *SendError with
	// Permanent set.
	Send(ctx context.Context, channel, threadTS, text string, blocks json.RawMessage) (string, error)
}

// MemberPrefix starts the destination of a member with no Slack user ID: "@member:wu".
// Slack cannot deliver it (a refusal for good); the console can.
const MemberPrefix = "@member:"

// SendError classifies a failed send.
type SendError struct {
	RetryAfter time.Duration // Slack said: not before this (429)
	Permanent  bool          // retrying cannot help (invalid blocks, unknown channel)
	Ambiguous  bool          // the message may have been posted all the same (5xx, timeout)
	Err        error
}

// KeyedSender is a Sender that can mark what it posts with a key, and look for a
// message by that key after an ambiguous failure, so a message Slack posted despite
// answering 5xx (or a timeout) is not posted again.
type KeyedSender interface {
	SendKeyed(ctx context.Context, channel, threadTS, text string, blocks json.RawMessage, key string) (string, error)
	// Posted returns the ts of the message posted to channel under key, looking
	// through the channel's latest messages.
	Posted(ctx context.Context, channel, key string) (ts string, found bool, err error)
}

func (e *SendError) Error() string { return "send: " + e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// OutboxStore is what the deliverer needs of the ledger.
type OutboxStore interface {
	OpenDispatches() ([]*briefbot.Dispatch, error)
	MarkPosted(ctx context.Context, id uint64, part int, ts string) (*briefbot.Dispatch, error)
	FailDispatch(ctx context.Context, id uint64, reason string) (*briefbot.Dispatch, error)
}

// Deliverer empties the outbox: every pending dispatch is posted part by part, each
// part's ts recorded as soon as Slack gives it, so a restart resumes after the last
// posted part and never repeats one. Rate limits are waited out as Slack asks; other
// failures are retried with backoff (1 s doubling to 1 min); refusals for good fail
// the dispatch and are logged at error level.
type Deliverer struct {
	Store     OutboxStore
	Sender    Sender
	Directory func() *Directory
	Log       *slog.Logger
	// Sleep waits d or until ctx is done (default: a timer); tests may replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Metrics, if set, counts deliveries, retries and failures.
	Metrics *Metrics

	kick chan struct{}
	mu   sync.Mutex // one delivery pass at a time: two would both see a part unposted
}

// NewDeliverer returns a deliverer; Run starts it.
func NewDeliverer(st OutboxStore, s Sender, dir func() *Directory, log *slog.Logger) *Deliverer {
	if log == nil {
		log = slog.Default()
	}
	return &Deliverer{Store: st, Sender: s, Directory: dir, Log: log, kick: make(chan struct{}, 1)}
}

// Kick asks the deliverer to look at the outbox now (a new dispatch was stored).
func (d *Deliverer) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// maxTriesPerPass bounds how often one part is tried (for errors other than rate
// limits) before a pass moves on to the next dispatch: one stuck message must not hold
// up every alert behind it.
const maxTriesPerPass = 6

// maxRateWaitPerPass bounds how long one part waits out rate limits in a pass.
const maxRateWaitPerPass = 2 * time.Minute

// pollEvery is how often the outbox is looked at without a kick.
const pollEvery = 30 * time.Second

// Run delivers until ctx is done. It starts with whatever the outbox holds, so
// dispatches left half-posted by a crash are finished first.
func (d *Deliverer) Run(ctx context.Context) error {
	for {
		if err := d.DeliverAll(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.kick:
		case <-time.After(pollEvery):
		}
	}
}

// DeliverAll delivers every pending dispatch, oldest first.
func (d *Deliverer) DeliverAll(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	open, err := d.Store.OpenDispatches()
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

// deliver posts the parts of disp not yet posted.
func (d *Deliverer) deliver(ctx context.Context, disp *briefbot.Dispatch) error {
	parents := map[string]string{} // part channel -> ts of the first part posted there
	for i, p := range disp.Parts {
		if p.TS != "" { // posted before (a restart): only its ts matters now
			if _, ok := parents[p.Channel]; !ok {
				parents[p.Channel] = p.TS
			}
			continue
		}
		dest, err := d.destination(disp, p)
		if err != nil {
			_, ferr := d.Store.FailDispatch(context.WithoutCancel(ctx), disp.ID, err.Error())
			d.Log.Error("outbox: undeliverable", "dispatch", disp.ID, "committee", disp.Committee, "err", err)
			return ferr
		}
		thread := p.ThreadTS
		if p.Thread && thread == "" {
			thread = parents[p.Channel]
		}
		backoff, waited := time.Second, time.Duration(0)
		key := fmt.Sprintf("%d/%d", disp.ID, i)
		keyed, _ := d.Sender.(KeyedSender)
		for tries := 1; ; tries++ {
			var ts string
			var err error
			if keyed != nil {
				ts, err = keyed.SendKeyed(ctx, dest, thread, p.Text, p.Blocks, key)
			} else {
				ts, err = d.Sender.Send(ctx, dest, thread, p.Text, p.Blocks)
			}
			var amb *SendError
			if err != nil && keyed != nil && errors.As(err, &amb) && amb.Ambiguous {
				// It may be there already: look before posting it again.
				if found, ok, ferr := keyed.Posted(ctx, dest, key); ferr == nil && ok {
					ts, err = found, nil
					d.Log.Warn("outbox: Slack failed but had posted the message; not posting it again", "dispatch", disp.ID, "part", i)
				}
			}
			if err == nil {
				// Posted: the record must be written even if we are being stopped, or the
				// next start would post this part again.
				if _, err := d.Store.MarkPosted(context.WithoutCancel(ctx), disp.ID, i, ts); err != nil {
					return err
				}
				if _, ok := parents[p.Channel]; !ok {
					parents[p.Channel] = ts
				}
				d.Metrics.delivered(string(disp.Kind))
				break
			}
			var se *SendError
			wait := backoff
			switch {
			case errors.As(err, &se) && se.Permanent:
				d.Log.Error("outbox: Slack refused a message for good", "dispatch", disp.ID, "part", i, "committee", disp.Committee, "err", err)
				d.Metrics.failed(string(disp.Kind))
				_, ferr := d.Store.FailDispatch(context.WithoutCancel(ctx), disp.ID, err.Error())
				return ferr
			case errors.As(err, &se) && se.RetryAfter > 0 && waited+se.RetryAfter > maxRateWaitPerPass:
				// Slack keeps saying "later": let the rest of the outbox through meanwhile.
				d.Log.Warn("outbox: still rate limited, moving on for now", "dispatch", disp.ID, "part", i, "waited", waited)
				return nil
			case errors.As(err, &se) && se.RetryAfter > 0:
				wait = se.RetryAfter
				d.Metrics.retried("rate_limited")
				d.Log.Warn("outbox: rate limited", "dispatch", disp.ID, "part", i, "retry_after", wait)
			case tries >= maxTriesPerPass:
				// Not for good, but not now either: let the rest of the outbox through and
				// come back to this one on the next pass.
				d.Log.Error("outbox: still failing, moving on for now", "dispatch", disp.ID, "part", i, "tries", tries, "err", err)
				return nil
			default:
				backoff = min(backoff*2, time.Minute)
				d.Metrics.retried("error")
				d.Log.Warn("outbox: send failed, will retry", "dispatch", disp.ID, "part", i, "in", wait, "err", err)
			}
			waited += wait
			if err := d.sleep(ctx, wait); err != nil {
				return err
			}
		}
	}
	return nil
}

// destination resolves where part p of disp goes.
func (d *Deliverer) destination(disp *briefbot.Dispatch, p briefbot.Part) (string, error) {
	dir := d.Directory()
	switch {
	case p.Channel == "":
		c, ok := dir.Org.Committee(disp.Committee)
		if !ok || c.Channel == "" {
			return "", fmt.Errorf("committee %q has no channel in the org config", disp.Committee)
		}
		return c.Channel, nil
	case p.Channel[0] == '@':
		m, ok := dir.Org.Member(briefbot.MemberID(p.Channel[1:]))
		if !ok {
			return "", fmt.Errorf("member %q is not in the org config", p.Channel[1:])
		}
		if m.SlackID == "" { // a console-only member: only the console can reach them
			return MemberPrefix + string(m.ID), nil
		}
		return "@" + m.SlackID, nil
	}
	return p.Channel, nil
}
