package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// Send implements bot.Sender for the outbox: one chat.postMessage, no retries of its
// own (the outbox decides), with the failure classified.
func (a *App) Send(ctx context.Context, channel, threadTS, text string, blocks json.RawMessage) (string, error) {
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
	return &bot.SendError{Err: err}
}
