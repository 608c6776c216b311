package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"

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
	_, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
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

// Find implements delivery.Finder: it reads the channel's latest 200 messages for the
// one carrying key in its metadata.
func (a *App) Find(ctx context.Context, to delivery.Address, threadTS, key string) (string, bool, error) {
	channel, err := a.channelOf(ctx, to)
	if err != nil {
		return "", false, err
	}
	h, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: channel,
		IncludeAllMetadata: true, Limit: 200})
	if err != nil {
		return "", false, err
	}
	for _, m := range h.Messages {
		if m.Metadata.EventType == metadataType && m.Metadata.EventPayload["key"] == key {
			return m.Timestamp, true, nil
		}
	}
	return "", false, nil
}

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
	}
	// A 5xx or a timeout may have come after Slack posted the message; a refused
	// connection cannot have.
	var sc slack.StatusCodeError
	var ne net.Error
	ambiguous := (errors.As(err, &sc) && sc.Code >= 500) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	return &delivery.SendError{Ambiguous: ambiguous, Err: err}
}
