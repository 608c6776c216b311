package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/briefbot/briefbot/bot"
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

// Send implements bot.Sender for the outbox: one chat.postMessage, no retries of its
// own (the outbox decides), with the failure classified.
func (a *App) Send(ctx context.Context, channel, threadTS, text string, blocks json.RawMessage) (string, error) {
	return a.SendKeyed(ctx, channel, threadTS, text, blocks, "")
}

// Posted implements bot.KeyedSender: it reads the channel's latest 200 messages for the
// one carrying key in its metadata.
func (a *App) Posted(ctx context.Context, channel, key string) (string, bool, error) {
	if user, ok := strings.CutPrefix(channel, "@"); ok {
		ch, err := a.dmChannel(ctx, user)
		if err != nil {
			return "", false, err
		}
		channel = ch
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

// SendKeyed implements bot.KeyedSender: Send, with key in the message's metadata.
func (a *App) SendKeyed(ctx context.Context, channel, threadTS, text string, blocks json.RawMessage, key string) (string, error) {
	if id, ok := strings.CutPrefix(channel, bot.MemberPrefix); ok {
		return "", &bot.SendError{Permanent: true, Err: fmt.Errorf("member %s has no Slack user id in the org config", id)}
	}
	if user, ok := strings.CutPrefix(channel, "@"); ok {
		ch, err := a.dmChannel(ctx, user)
		if err != nil {
			return "", classify(err)
		}
		channel = ch
	}
	opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
	if len(blocks) > 0 {
		var bs slack.Blocks
		if err := json.Unmarshal(blocks, &bs); err != nil {
			return "", &bot.SendError{Permanent: true, Err: fmt.Errorf("blocks: %w", err)}
		}
		opts = append(opts, slack.MsgOptionBlocks(bs.BlockSet...))
	}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	if key != "" {
		opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataType, EventPayload: map[string]any{"key": key}}))
	}
	_, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", classify(err)
	}
	return ts, nil
}

func classify(err error) error {
	var rl *slack.RateLimitedError
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &rl):
		return &bot.SendError{RetryAfter: rl.RetryAfter, Err: err}
	case errors.As(err, &se) && permanent[se.Err]:
		return &bot.SendError{Permanent: true, Err: err}
	case permanent[err.Error()]:
		return &bot.SendError{Permanent: true, Err: err}
	}
	// A 5xx or a timeout may have come after Slack posted the message; a refused
	// connection cannot have.
	var sc slack.StatusCodeError
	var ne net.Error
	ambiguous := (errors.As(err, &sc) && sc.Code >= 500) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	return &bot.SendError{Ambiguous: ambiguous, Err: err}
}
