// Package slackapp is the Slack transport: Socket Mode (the default behind a firewall)
// and signed HTTP (one request URL, /slack/events, for events, slash commands and
// interactivity), both thin adapters over the bot's flow layer.
package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/metrics"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// App connects a bot to Slack; it is also the outbox's Sender. It is safe for
// concurrent use.
type App struct {
	bot *bot.Bot
	api *slack.Client
	log *slog.Logger

	botUserID, botID string

	work  chan struct{}  // bounds the envelopes handled at once
	after chan struct{}  // bounds the Web API calls made after acks
	wg    sync.WaitGroup // in-flight after-ack work, for Close

	dmMu      sync.Mutex
	dms       map[string]string             // Slack user ID -> DM channel ID
	pendingDM map[string][]blockkit.Message // Slack user ID -> replies waiting to go by DM (dmLater)

	cfg Config // from Connect

	metrics   *metrics.Metrics
	connected atomic.Bool // Socket Mode: connected now
	limits    *limiter
	timeout   time.Duration // of one Web API call
}

// Ready reports whether Slack can reach the bot: connected over Socket Mode, or (HTTP
// mode) always, since Slack calls in.
func (a *App) Ready() bool { return a.cfg.AppToken == "" || a.connected.Load() }

// Options configure New.
type Options struct {
	Logger  *slog.Logger
	Workers int              // envelopes handled at once (default 16)
	Metrics *metrics.Metrics // counts acks and Socket Mode reconnections; may be nil
	Limits  *Limits          // the rate limits kept to (default SlackLimits)
	// CallTimeout bounds each Web API call (default 20 s).
	CallTimeout time.Duration
}

// New returns an App for b speaking through api. Call Start before serving.
func New(api *slack.Client, b *bot.Bot, opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	limits := SlackLimits()
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = callTimeout
	}
	return &App{api: api, bot: b, log: opts.Logger, metrics: opts.Metrics, work: make(chan struct{}, opts.Workers),
		after: make(chan struct{}, opts.Workers), dms: map[string]string{}, limits: newLimiter(limits), timeout: opts.CallTimeout}
}

// Start asks Slack who the bot is (auth.test), so the bot's own messages are ignored.
func (a *App) Start(ctx context.Context) error {
	var r *slack.AuthTestResponse
	err := a.call(ctx, "auth.test", "", func(ctx context.Context) (err error) { r, err = a.api.AuthTestContext(ctx); return err })
	if err != nil {
		return fmt.Errorf("slack auth.test: %w", err)
	}
	a.botUserID, a.botID = r.UserID, r.BotID
	return nil
}

// Close waits for the work started after acks to finish.
func (a *App) Close() { a.wg.Wait() }

// later runs fn after the ack, bounded, tracked for Close.
func (a *App) later(fn func(ctx context.Context)) {
	if fn == nil {
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.after <- struct{}{}
		defer func() { <-a.after }()
		defer func() {
			if r := recover(); r != nil {
				a.bot.Panicked("after ack", r) // logged as an incident; the ack has gone
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		fn(ctx)
	}()
}

func (a *App) dmChannel(ctx context.Context, user string) (string, error) {
	a.dmMu.Lock()
	ch, ok := a.dms[user]
	a.dmMu.Unlock()
	if ok {
		return ch, nil
	}
	var c *slack.Channel
	err := retryRateLimit(ctx, func() error {
		return a.call(ctx, "conversations.open", "", func(ctx context.Context) (err error) {
			c, _, _, err = a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
			return err
		})
	})
	if err != nil {
		return "", fmt.Errorf("conversations.open %s: %w", user, err)
	}
	a.dmMu.Lock()
	a.dms[user] = c.ID
	a.dmMu.Unlock()
	return c.ID, nil
}

// post sends msg to channel (in thread if threadTS is set) and returns its ts.
func (a *App) post(ctx context.Context, channel, threadTS string, msg blockkit.Message) (string, error) {
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(slackBlocks(msg.Blocks)...)}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	var ts string
	err := retryRateLimit(ctx, func() error {
		return a.call(ctx, "chat.postMessage", channel, func(ctx context.Context) (err error) {
			_, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
			return err
		})
	})
	return ts, err
}

// retryRateLimit runs call, waiting out rate limits (429 Retry-After) up to 5 times.
func retryRateLimit(ctx context.Context, call func() error) error {
	for i := 0; ; i++ {
		err := call()
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) || i == 4 {
			return err
		}
		select {
		case <-time.After(max(rl.RetryAfter, time.Second)):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// handled is the outcome of one envelope: what goes in the ack, and the Web API work
// to do once the ack is sent.
type handled struct {
	ack   any
	after func(ctx context.Context)
}

// slash handles a slash command.
func (a *App) slash(ctx context.Context, cmd slack.SlashCommand) (h handled) {
	defer a.guard("slash", cmd.UserID, true, &h)
	r := a.bot.Command(ctx, bot.CommandInput{User: bot.User{SlackID: cmd.UserID}, Text: cmd.Text, CanOpenModal: cmd.TriggerID != ""})
	return a.respond(r, cmd.TriggerID, "", "", cmd.UserID, cmd.ChannelID)
}

// respond turns a bot response into an ack and after-ack work. Messages are answered
// in the ack (ephemeral) where the transport allows it, else by DM.
func (a *App) respond(r bot.Response, trigger, viewID, hash, user, channel string) handled {
	switch {
	case r.Ignore:
		return handled{}
	case r.Modal != nil:
		modal := *r.Modal
		return handled{after: func(ctx context.Context) {
			if err := a.call(ctx, "views.open", "", func(ctx context.Context) (err error) { _, err = a.api.OpenViewContext(ctx, trigger, modal); return err }); err != nil {
				a.log.Error("views.open", "err", err, "user", user)
			}
		}}
	case r.UpdateView != nil:
		v := *r.UpdateView
		return handled{after: func(ctx context.Context) {
			if err := a.call(ctx, "views.update", "", func(ctx context.Context) (err error) {
				_, err = a.api.UpdateViewContext(ctx, v, "", hash, viewID)
				return err
			}); err != nil {
				a.log.Error("views.update", "err", err, "user", user)
			}
		}}
	case r.Message != nil:
		return handled{ack: ephemeral(*r.Message)}
	}
	return handled{}
}

// ephemeral is the slash-command response body for msg.
func ephemeral(m blockkit.Message) map[string]any {
	return map[string]any{"response_type": "ephemeral", "text": m.Text, "blocks": m.Blocks}
}

// interaction handles block actions and view submissions.
func (a *App) interaction(ctx context.Context, cb slack.InteractionCallback) (h handled) {
	defer a.guard("interaction", cb.User.ID, false, &h)
	user := bot.User{SlackID: cb.User.ID}
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		var values map[string]map[string]slack.BlockAction
		if cb.View.State != nil { // a payload without state is answered, not dereferenced
			values = cb.View.State.Values
		}
		res := a.bot.Submit(ctx, bot.Submission{User: user, CallbackID: cb.View.CallbackID, PrivateMetadata: cb.View.PrivateMetadata,
			ViewID: cb.View.ID, Values: values})
		if len(res.Errors) > 0 {
			return handled{ack: slack.NewErrorsViewSubmissionResponse(res.Errors)}
		}
		if res.Message != nil {
			return handled{after: a.dmLater(cb.User.ID, *res.Message)}
		}
		return handled{}
	case slack.InteractionTypeBlockActions:
		var afters []func(context.Context)
		for _, act := range cb.ActionCallback.BlockActions {
			value := act.Value
			if act.SelectedOption.Value != "" {
				value = act.SelectedOption.Value
			}
			key := fmt.Sprintf("act:%s:%s:%s:%s", cb.User.ID, act.BlockID, act.ActionID, act.ActionTs)
			r := a.bot.Action(ctx, bot.ActionInput{User: user, ActionID: act.ActionID, Value: value, CanOpenModal: cb.TriggerID != "",
				ViewID: cb.View.ID, PrivateMetadata: cb.View.PrivateMetadata, DeliveryKey: key})
			h := a.respond(r, cb.TriggerID, cb.View.ID, cb.View.Hash, cb.User.ID, cb.Channel.ID)
			if h.ack != nil { // block actions carry no reply in the ack: answer where they came from
				msg := *r.Message
				responseURL := cb.ResponseURL
				h.after = func(ctx context.Context) { a.reply(ctx, responseURL, cb.User.ID, msg) }
			}
			afters = append(afters, h.after)
		}
		return handled{after: func(ctx context.Context) {
			for _, f := range afters {
				if f != nil {
					f(ctx)
				}
			}
		}}
	}
	return handled{}
}

// reply answers an interaction with msg: through its response_url when it has one
// (a message button), else by DM (buttons on the Home tab or in a modal).
func (a *App) reply(ctx context.Context, responseURL, user string, msg blockkit.Message) {
	if responseURL != "" {
		err := a.call(ctx, "response_url", "", func(ctx context.Context) (err error) { // not a Web API method: timed, not limited
			_, _, err = a.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(responseURL, slack.ResponseTypeEphemeral),
				slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(slackBlocks(msg.Blocks)...))
			return err
		})
		if err == nil {
			return
		}
		a.log.Warn("response_url", "err", err)
	}
	ch, err := a.dmChannel(ctx, user)
	if err == nil {
		_, err = a.post(ctx, ch, "", msg)
	}
	if err != nil {
		a.log.Error("reply by DM", "err", err, "user", user)
	}
}

// event handles an Events API callback. Deliveries are deduplicated on event_id; the
// bot's own messages and edits are ignored.
func (a *App) event(ctx context.Context, outer slackevents.EventsAPIEvent) (h handled) {
	defer a.guard("event", "", false, &h)
	cb, ok := outer.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return handled{}
	}
	key := "ev:" + cb.EventID
	switch ev := outer.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		shared := ev.SubType == "file_share" && ev.ChannelType == "im" // files for the DM intake
		if ev.BotID != "" || (ev.SubType != "" && !shared) || ev.User == "" || ev.User == a.botUserID {
			return handled{}
		}
		if ev.ChannelType != "im" { // in a channel: only a reply in the thread of one of our messages
			if ev.ThreadTimeStamp == "" || ev.ThreadTimeStamp == ev.TimeStamp {
				return handled{}
			}
			channel, parent := ev.Channel, ev.ThreadTimeStamp
			r := a.bot.ThreadReply(ctx, bot.ThreadInput{User: bot.User{SlackID: ev.User}, Text: ev.Text, ThreadTS: ev.ThreadTimeStamp, DeliveryKey: key,
				Parent: func(ctx context.Context) (uint64, bool) { return a.dispatchOf(ctx, channel, parent) }})
			if r.Message == nil {
				return handled{}
			}
			msg, channel, user, thread := *r.Message, ev.Channel, ev.User, ev.ThreadTimeStamp
			return handled{after: func(ctx context.Context) {
				err := a.call(ctx, "chat.postEphemeral", channel, func(ctx context.Context) (err error) {
					_, err = a.api.PostEphemeralContext(ctx, channel, user, slack.MsgOptionText(msg.Text, false),
						slack.MsgOptionBlocks(slackBlocks(msg.Blocks)...), slack.MsgOptionTS(thread))
					return err
				})
				if err != nil {
					a.log.Error("reply in thread", "err", err, "user", user)
				}
			}}
		}
		if shared {
			return a.fileShare(key, ev)
		}
		r := a.bot.DM(ctx, bot.CommandInput{User: bot.User{SlackID: ev.User}, Text: ev.Text, DeliveryKey: key})
		if r.Message == nil {
			return handled{}
		}
		msg, channel := *r.Message, ev.Channel
		return handled{after: func(ctx context.Context) {
			if _, err := a.post(ctx, channel, "", msg); err != nil {
				a.log.Error("reply to DM", "err", err, "user", ev.User)
			}
		}}
	case *slackevents.AppMentionEvent:
		if ev.BotID != "" || ev.User == a.botUserID {
			return handled{}
		}
		text := strings.TrimSpace(strings.ReplaceAll(ev.Text, "<@"+a.botUserID+">", ""))
		r := a.bot.Command(ctx, bot.CommandInput{User: bot.User{SlackID: ev.User}, Text: text, DeliveryKey: key})
		if r.Message == nil {
			return handled{}
		}
		msg, channel, user := *r.Message, ev.Channel, ev.User
		return handled{after: func(ctx context.Context) {
			err := a.call(ctx, "chat.postEphemeral", channel, func(ctx context.Context) (err error) {
				_, err = a.api.PostEphemeralContext(ctx, channel, user, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(slackBlocks(msg.Blocks)...))
				return err
			})
			if err != nil {
				a.log.Error("reply to mention", "err", err, "user", user)
			}
		}}
	case *slackevents.AppHomeOpenedEvent:
		if ev.Tab != "home" {
			return handled{}
		}
		user := ev.User
		return handled{after: func(ctx context.Context) { a.PublishHome(ctx, user) }}
	}
	return handled{}
}

// PublishHome builds and publishes a user's Home tab.
func (a *App) PublishHome(ctx context.Context, user string) {
	v := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: slackBlocks(a.bot.Home(ctx, bot.User{SlackID: user}))}}
	if err := a.call(ctx, "views.publish", "", func(ctx context.Context) (err error) {
		_, err = a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: v})
		return err
	}); err != nil {
		a.log.Error("views.publish", "err", err, "user", user)
	}
}

// slackBlocks converts blocks built as plain values into the Slack client's blocks (by
// their JSON, which is what both are).
func slackBlocks(bs []blockkit.Block) []slack.Block {
	if len(bs) == 0 {
		return nil
	}
	raw, err := json.Marshal(bs)
	if err != nil {
		return nil
	}
	var out slack.Blocks
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil
	}
	return out.BlockSet
}

// guard, deferred by each handler, turns a panic while handling one delivery into an
// incident (logged with its id and stack by the bot) and its apology: in the ack for a
// slash command, by DM to user otherwise. One bad payload never ends the process (over
// Socket Mode a handler runs on its own goroutine, where a panic would).
func (a *App) guard(op, user string, inAck bool, h *handled) {
	r := recover()
	if r == nil {
		return
	}
	msg := *a.bot.Panicked(op, r).Message
	switch {
	case inAck:
		*h = handled{ack: ephemeral(msg)}
	case user != "":
		*h = handled{after: func(ctx context.Context) { a.reply(ctx, "", user, msg) }}
	default:
		*h = handled{}
	}
}
