package slackapp

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot/bot"
)

// NewClient returns the Slack Web API client for cfg: the bot token, the app-level
// token for Socket Mode, and another API base URL if one is set.
func NewClient(cfg Config) *slack.Client {
	var so []slack.Option
	if u := cfg.APIURL; u != "" {
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		so = append(so, slack.OptionAPIURL(u))
	}
	if cfg.AppToken != "" {
		so = append(so, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return slack.New(cfg.BotToken, so...)
}

// fileTimeout bounds one file's download.
const fileTimeout = 2 * time.Minute

// Fetcher fetches the files members attach, with the bot token (scope files:read). It
// sends the token only to Slack's own https hosts or the configured API host
// (slack-go's GetFile refuses any other URL): a file whose url_private points
// elsewhere is never fetched with it.
type Fetcher struct {
	API *slack.Client
}

// Fetch implements bot.Fetcher.
func (f Fetcher) Fetch(ctx context.Context, u bot.Upload, w io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, fileTimeout)
	defer cancel()
	return f.API.GetFileContext(ctx, u.URL, w)
}

// fileShare handles files shared in a DM after the ack: fetching them can take longer
// than Slack waits for one. The delivery key still makes a redelivery do nothing.
func (a *App) fileShare(key string, ev *slackevents.MessageEvent) handled {
	var fs []slack.File
	if ev.Message != nil {
		fs = ev.Message.Files
	}
	in := bot.CommandInput{User: bot.User{SlackID: ev.User}, Text: ev.Text, DeliveryKey: key, Files: bot.Uploads(fs)}
	channel := ev.Channel
	return handled{after: func(ctx context.Context) {
		r := a.bot.DM(ctx, in)
		if r.Message == nil {
			return
		}
		if _, err := a.post(ctx, channel, "", *r.Message); err != nil {
			a.log.Error("reply to a file share", "err", err, "user", in.User.SlackID)
		}
	}}
}
