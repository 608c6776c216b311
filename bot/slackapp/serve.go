package slackapp

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot/bot"
)

// Config is how to reach Slack: Socket Mode when AppToken is set (no public URL
// needed), else signed HTTP on Listen.
type Config struct {
	BotToken      string // xoxb-…
	AppToken      string // xapp-…: Socket Mode
	SigningSecret string // HTTP mode
	APIURL        string // another Web API base URL (a gateway, or a local test server)
	Listen        string // HTTP mode: the address of POST /slack/events and GET /healthz
	// ReadTimeout bounds reading a whole request, body included, in HTTP mode: a
	// client trickling a body cannot hold a connection (default 10 s; Slack sends its
	// few kilobytes at once).
	ReadTimeout time.Duration
}

// Connect returns an App for b with a Slack client for cfg. Start it, then Serve.
func Connect(cfg Config, b *bot.Bot, opts Options) *App {
	a := New(NewClient(cfg), b, opts)
	a.cfg = cfg
	return a
}

// Serve serves Slack until ctx is done: over Socket Mode if the config has an app
// token, else over HTTP, shutting the server down gracefully (requests in flight
// finish).
func (a *App) Serve(ctx context.Context) error {
	if a.cfg.AppToken != "" {
		a.log.Info("serving Slack over Socket Mode")
		return a.RunSocketMode(ctx, socketmode.New(a.api))
	}
	mux := http.NewServeMux()
	mux.Handle("POST /slack/events", a.Handler(a.cfg.SigningSecret))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	read := a.cfg.ReadTimeout
	if read <= 0 {
		read = 10 * time.Second
	}
	srv := &http.Server{Addr: a.cfg.Listen, Handler: mux, ReadHeaderTimeout: read, ReadTimeout: read,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	errs := make(chan error, 1)
	go func() { errs <- srv.ListenAndServe() }()
	a.log.Info("serving Slack over HTTP", "listen", a.cfg.Listen)
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
