package slackapp

import (
	"context"
	"strings"
	"sync"
	"time"
)

// callTimeout bounds one Web API call by default: a call that hangs holds up only
// itself.
const callTimeout = 20 * time.Second

// Limits are Slack's rate limits as the bot keeps to them: calls per minute per
// method (Slack's tiers: 1 = 1+/min, 2 = 20+, 3 = 50+, 4 = 100+; chat.postMessage is
// "special"), and chat.postMessage per channel (about one a second, short bursts
// allowed). A method not listed is not limited here. Slack's 429s are still honoured
// where they come.
type Limits struct {
	PerMethod  map[string]int // calls per minute
	PerChannel int            // chat.postMessage to one channel, per minute
}

// SlackLimits are the published limits of the methods the bot calls.
func SlackLimits() Limits {
	return Limits{
		PerMethod: map[string]int{
			"chat.postMessage":      300, // special: "several hundred per minute" per workspace
			"chat.postEphemeral":    100, // tier 4
			"chat.update":           50,  // tier 3
			"conversations.open":    50,  // tier 3
			"conversations.history": 50,  // tier 3
			"conversations.replies": 50,  // tier 3
			"views.open":            100, // tier 4
			"views.update":          100, // tier 4
			"views.publish":         100, // tier 4
			"auth.test":             50,
		},
		PerChannel: 60,
	}
}

// limiter spaces calls out by token buckets, one per method and one per channel for
// posts: a call waits for its token (or its context) before it is made. Each bucket
// holds a sixth of a minute's calls, so a burst goes at once and a flood at the rate.
type limiter struct {
	limits  Limits
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(l Limits) *limiter { return &limiter{limits: l, buckets: map[string]*bucket{}} }

// wait takes a token for method (and for channel, for chat.postMessage).
func (l *limiter) wait(ctx context.Context, method, channel string) error {
	if err := l.take(ctx, method, l.limits.PerMethod[method]); err != nil {
		return err
	}
	if method == "chat.postMessage" && channel != "" {
		return l.take(ctx, "channel "+channel, l.limits.PerChannel)
	}
	return nil
}

func (l *limiter) take(ctx context.Context, key string, perMinute int) error {
	if perMinute <= 0 {
		return nil
	}
	rate := float64(perMinute) / 60 // per second
	burst := max(1, float64(perMinute)/6)
	if strings.HasPrefix(key, "channel ") {
		burst = 3 // a channel: a briefing's parts go at about one a second
	}
	l.mu.Lock()
	now := time.Now()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.at).Seconds()*rate)
	b.at = now
	b.tokens-- // reserved: the next caller waits behind this one
	wait := time.Duration(0)
	if b.tokens < 0 {
		wait = time.Duration(-b.tokens / rate * float64(time.Second))
	}
	l.mu.Unlock()
	if wait == 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		b.tokens++ // not used after all
		l.mu.Unlock()
		return ctx.Err()
	}
}

// call makes one Web API call through the limiter, within callTimeout.
func (a *App) call(ctx context.Context, method, channel string, fn func(ctx context.Context) error) error {
	if err := a.limits.wait(ctx, method, channel); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	return fn(ctx)
}
