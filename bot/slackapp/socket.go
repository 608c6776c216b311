package slackapp

import (
	"context"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// alertAfter is how many connection errors in a row raise an error-level alert (a
// revoked token or a missing scope makes slack-go retry forever, quietly).
const alertAfter = 3

// RunSocketMode serves Slack over Socket Mode until ctx is done: no public URL is
// needed. Every envelope is acknowledged as soon as its local work is done (the ack
// carries any reply), before the slower Web API calls, which run afterwards; envelopes
// are handled by a bounded pool.
func (a *App) RunSocketMode(ctx context.Context, client *socketmode.Client) error {
	errs := make(chan error, 1)
	go func() { errs <- client.RunContext(ctx) }()
	failures, connections := 0, 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errs:
			if ctx.Err() != nil {
				return nil
			}
			return err
		case evt, ok := <-client.Events:
			if !ok {
				return nil
			}
			switch evt.Type {
			case socketmode.EventTypeConnecting, socketmode.EventTypeDisconnect, socketmode.EventTypeIncomingError:
				// The connection is down (or being replaced): not ready until it is back.
				if a.connected.Swap(false) {
					a.log.Warn("slack socket mode connection lost; reconnecting", "event", string(evt.Type))
				}
			case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
				failures++
				a.connected.Store(false)
				a.metrics.ConnectionError()
				lvl := a.log.Warn
				if failures >= alertAfter {
					lvl = a.log.Error
				}
				lvl("slack socket mode connection error", "consecutive", failures, "data", evt.Data)
			case socketmode.EventTypeConnected:
				a.connected.Store(true)
				if connections++; connections > 1 {
					a.metrics.Reconnected()
				}
				if failures > 0 {
					a.log.Info("slack socket mode reconnected", "after_errors", failures)
				}
				failures = 0
			case socketmode.EventTypeEventsAPI, socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive:
				if evt.Request == nil || evt.Request.EnvelopeID == "" {
					continue
				}
				select {
				case a.work <- struct{}{}:
				case <-ctx.Done():
					return nil
				}
				a.wg.Add(1) // Close waits for envelopes in hand, so the store outlives them
				go func(evt socketmode.Event) {
					defer a.wg.Done()
					defer func() { <-a.work }()
					a.envelope(ctx, client, evt)
				}(evt)
			}
		}
	}
}

// envelope handles one envelope and acknowledges it.
func (a *App) envelope(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	wctx, cancel := context.WithTimeout(ctx, 2500*time.Millisecond)
	defer cancel()
	var h handled
	switch data := evt.Data.(type) {
	case slackevents.EventsAPIEvent:
		h = a.event(wctx, data)
	case slack.SlashCommand:
		h = a.slash(wctx, data)
	case slack.InteractionCallback:
		h = a.interaction(wctx, data)
	}
	actx, acancel := context.WithTimeout(ctx, 2*time.Second)
	defer acancel()
	var err error
	if h.ack != nil {
		err = client.AckCtx(actx, evt.Request.EnvelopeID, h.ack)
	} else {
		err = client.AckCtx(actx, evt.Request.EnvelopeID, nil)
	}
	if err == nil {
		a.metrics.Ack("socket", string(evt.Type))
	}
	if err != nil {
		a.log.Error("socket mode ack", "err", err, "envelope", evt.Request.EnvelopeID)
	}
	a.later(h.after)
}
