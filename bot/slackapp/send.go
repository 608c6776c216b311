package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/briefbot/briefbot/delivery"
	"github.com/slack-go/slack"
)

// permanent are Slack's answers that no retry can change.
var permanent = map[string]bool{
	"invalid_blocks": true, "invalid_blocks_format": true, "msg_too_long": true, "msg_blocks_too_long": true, "no_text": true,
	"channel_not_found": true, "not_in_channel": true, "is_archived": true, "invalid_auth": true, "not_authed": true,
	"account_inactive": true, "token_revoked": true, "missing_scope": true, "user_not_found": true,
}

// metadataType marks the messages the outbox posts, with their key in the payload.
const metadataType = "briefbot_part"

// Send implements delivery.Sender for the outbox: one chat.postMessage, no retries of
// its own (the outbox decides), with the failure classified. The message carries its
// key in its metadata, so Find can tell it was posted after an ambiguous failure.
func (a *App) Send(ctx context.Context, to delivery.Address, p delivery.Post) (string, error) {
	channel, err := a.channelOf(ctx, to)
	if err != nil {
		return "", err
	}
	opts := []slack.MsgOption{slack.MsgOptionText(p.Text, false)}
	if len(p.Blocks) > 0 {
		var bs slack.Blocks
		if err := json.Unmarshal(p.Blocks, &bs); err != nil {
			return "", &delivery.SendError{Permanent: true, Err: fmt.Errorf("blocks: %w", err)}
		}
		opts = append(opts, slack.MsgOptionBlocks(bs.BlockSet...))
	}
	if p.ThreadTS != "" {
		opts = append(opts, slack.MsgOptionTS(p.ThreadTS))
	}
	if p.Key != "" {
		opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataType, EventPayload: map[string]any{"key": p.Key}}))
	}
	var ts string
	err = a.call(ctx, "chat.postMessage", channel, func(ctx context.Context) (err error) {
		_, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	if err != nil {
		return "", classify(err)
	}
	return ts, nil
}

// channelOf resolves an address to a channel id: a member's DM channel is opened (and
// remembered) for them; a member without a Slack user id cannot be reached on Slack.
func (a *App) channelOf(ctx context.Context, to delivery.Address) (string, error) {
	if to.Member == nil {
		return to.Channel, nil
	}
	if to.Member.SlackID == "" {
		return "", &delivery.SendError{Permanent: true, Err: fmt.Errorf("member %s has no Slack user id in the org config", to.Member.ID)}
	}
	ch, err := a.dmChannel(ctx, to.Member.SlackID)
	if err != nil {
		return "", classify(err)
	}
	return ch, nil
}

// Find implements delivery.Finder: it pages through the messages posted since then
// (a minute's margin for clocks) — the thread's replies for a message in a thread, the
// channel's history (thread parents and DMs) otherwise — for the one carrying key in
// its metadata.
func (a *App) Find(ctx context.Context, to delivery.Address, threadTS, key string, since time.Time) (string, bool, error) {
	channel, err := a.channelOf(ctx, to)
	if err != nil {
		return "", false, err
	}
	oldest := ""
	if !since.IsZero() {
		t := since.Add(-time.Minute)
		oldest = fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000)
	}
	cursor := ""
	for range maxFindPages {
		var msgs []slack.Message
		var next string
		if threadTS != "" {
			err = a.call(ctx, "conversations.replies", "", func(ctx context.Context) (err error) {
				msgs, _, next, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: channel,
					Timestamp: threadTS, Oldest: oldest, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
				return err
			})
		} else {
			err = a.call(ctx, "conversations.history", "", func(ctx context.Context) error {
				h, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: channel,
					Oldest: oldest, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
				if err == nil {
					msgs, next = h.Messages, h.ResponseMetaData.NextCursor
				}
				return err
			})
		}
		if err != nil {
			return "", false, err
		}
		for _, m := range msgs {
			if m.Metadata.EventType == metadataType && m.Metadata.EventPayload["key"] == key {
				return m.Timestamp, true, nil
			}
		}
		if next == "" {
			return "", false, nil
		}
		cursor = next
	}
	return "", false, fmt.Errorf("no answer within %d pages of %s", maxFindPages, channel)
}

// maxFindPages bounds how far Find reads (200 messages a page).
const maxFindPages = 50

var _ delivery.Finder = (*App)(nil)

// classify turns a failed Web API call into a delivery.SendError: rate limits with
// their wait; Slack's refusals for good as permanent; and as ambiguous everything
// after which the message may have been posted — a 5xx, a timeout, a connection lost
// after the request was written. Only a Slack answer (ok: false) or a request that
// never left (refused connection, unknown host) is known not to have posted.
func classify(err error) error {
	var rl *slack.RateLimitedError
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &rl):
		return &delivery.SendError{RetryAfter: rl.RetryAfter, Err: err}
	case errors.As(err, &se) && permanent[se.Err]:
		return &delivery.SendError{Permanent: true, Err: err}
	case permanent[err.Error()]:
		return &delivery.SendError{Permanent: true, Err: err}
	case errors.As(err, &se):
		return &delivery.SendError{Err: err} // Slack answered: not posted
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && sc.Code < 500 {
		return &delivery.SendError{Err: err}
	}
	return &delivery.SendError{Ambiguous: !neverSent(err), Err: err}
}

// neverSent reports whether err says the request never reached Slack: the connection
// was refused or could not be made, or the host is unknown.
func neverSent(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial")
}

// dispatchOf reads the dispatch a message of ours belongs to from its metadata (key
// "dispatch/part"): a reply can come before the message's ts is recorded.
func (a *App) dispatchOf(ctx context.Context, channel, ts string) (uint64, bool) {
	var msgs []slack.Message
	err := a.call(ctx, "conversations.history", "", func(ctx context.Context) error {
		h, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: channel,
			Latest: ts, Oldest: ts, Inclusive: true, Limit: 1, IncludeAllMetadata: true})
		if err == nil {
			msgs = h.Messages
		}
		return err
	})
	if err != nil || len(msgs) == 0 || msgs[0].Metadata.EventType != metadataType {
		return 0, false
	}
	key, _ := msgs[0].Metadata.EventPayload["key"].(string)
	id, _, _ := strings.Cut(key, "/")
	n, err := strconv.ParseUint(id, 10, 64)
	return n, err == nil
}
