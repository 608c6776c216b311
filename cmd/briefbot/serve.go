package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/schedules"
	"github.com/briefbot/briefbot/store"
)

// serveFlags are the flags of the commands that run the bot.
type serveFlags struct {
	data, config, listen, ops, as, logFormat string
}

func (e *environment) serveFlagSet(name string, f *serveFlags) func(args []string) error {
	fs := e.flags(name, &f.data)
	fs.StringVar(&f.config, "config", e.getenv("BRIEFBOT_CONFIG"), "the org config file, YAML (env BRIEFBOT_CONFIG; default: the built-in example organisation)")
	listen := e.getenv("BRIEFBOT_LISTEN")
	if listen == "" {
		listen = ":8080"
	}
	fs.StringVar(&f.listen, "listen", listen, "address for the Slack HTTP endpoint (env BRIEFBOT_LISTEN)")
	fs.StringVar(&f.as, "as", "", "console: the member to act as (default: the first department head)")
	ops := e.getenv("BRIEFBOT_OPS_LISTEN")
	if ops == "" {
		ops = defaultOpsListen
	}
	fs.StringVar(&f.ops, "ops-listen", ops, "address of /healthz, /readyz and /metrics when serving Slack (env BRIEFBOT_OPS_LISTEN)")
	fs.StringVar(&f.logFormat, "log", e.getenv("BRIEFBOT_LOG"), "log format: text (default) or json (env BRIEFBOT_LOG)")
	return fs.Parse
}

// open parses the flags of a command that runs the bot, loads the org config and opens
// the store.
func (e *environment) open(name string, args []string) (serveFlags, *Config, *store.Store, error) {
	var f serveFlags
	if err := e.serveFlagSet(name, &f)(args); err != nil {
		return f, nil, nil, err
	}
	cfg, err := e.loadConfig(f.config)
	if err != nil {
		return f, nil, nil, err
	}
	s, err := store.Open(f.data, store.Options{})
	return f, cfg, s, err
}

// reloader reads the org config at path again (the built-in example when none).
func (e *environment) reloader(path string) func() (*bot.Directory, string, error) {
	return func() (*bot.Directory, string, error) {
		cfg, err := e.loadConfig(path)
		if err != nil {
			return nil, "", err
		}
		return directory(cfg), cfg.Source, nil
	}
}

// loadConfig reads the org config named by path, or the built-in example.
func (e *environment) loadConfig(path string) (*Config, error) {
	if path == "" {
		fmt.Fprintln(e.stderr, "未指定组织配置，使用内置示例组织（briefbot config example 可导出）。/ No org config given: using the built-in example organisation (see `briefbot config example`).")
		return ExampleConfig(), nil
	}
	return LoadConfig(path)
}

func directory(c *Config) *bot.Directory {
	return &bot.Directory{Org: c.Org, Intake: c.Intake, Lang: c.Lang, Command: c.Command,
		Approve: c.Approve, WorkingDays: c.Calendar.WorkingDaysBetween, AddWorkingDays: c.Calendar.AddWorkingDays,
		IsWorkingDay: c.Calendar.IsWorkingDay, AnswerLimit: c.FollowThrough.AnswerLimit, Deadlines: c.FollowThrough.Deadlines,
		LeadersDecideExtensions: c.FollowThrough.LeadersDecideExtensions, Scoring: c.Scoring,
		Reminders: bot.ReminderPolicy{Before: c.FollowThrough.RemindBefore, SuperviseAfter: c.FollowThrough.SuperviseAfter,
			WorkStart: bot.DefaultReminderPolicy().WorkStart, WorkEnd: bot.DefaultReminderPolicy().WorkEnd}}
}

// serve runs the bot's main job: Slack Socket Mode when SLACK_APP_TOKEN and
// SLACK_BOT_TOKEN are set (no public URL needed); Slack HTTP when SLACK_SIGNING_SECRET
// and SLACK_BOT_TOKEN are; else the local console.
func (e *environment) serve(ctx context.Context, args []string) error {
	botToken, appToken, secret := e.getenv("SLACK_BOT_TOKEN"), e.getenv("SLACK_APP_TOKEN"), e.getenv("SLACK_SIGNING_SECRET")
	if botToken == "" || (appToken == "" && secret == "") {
		return e.console(ctx, args)
	}
	f, cfg, s, err := e.open("serve", args)
	if err != nil {
		return err
	}
	defer s.Close()
	logger := e.logger(f.logFormat)
	app := slackapp.Connect(slackapp.Config{BotToken: botToken, AppToken: appToken, SigningSecret: secret,
		APIURL: e.getenv("SLACK_API_URL"), Listen: f.listen}, slackapp.Options{Logger: logger})
	o := newOps(s)
	b := bot.New(directory(cfg), s, app, bot.Options{Logger: logger, Reload: e.reloader(f.config), Metrics: o.metrics})
	app.SetBot(b)
	app.Metrics = o.metrics
	if err := app.Start(ctx); err != nil {
		return err
	}
	defer app.Close()
	stopOps, err := o.serve(ctx, f.ops, func() error {
		if _, err := s.Size(); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if !app.Ready() {
			return fmt.Errorf("not connected to Slack")
		}
		return nil
	}, logger)
	if err != nil {
		return err
	}
	defer stopOps()
	stopBackground := e.background(ctx, cfg, b, s, app, logger, false)
	defer stopBackground()
	logger.Info("briefbot serving", "data", f.data, "config", cfg.Source)
	return app.Serve(ctx)
}

// console runs the bot in the local console on the embedded store.
func (e *environment) console(ctx context.Context, args []string) error {
	f, cfg, s, err := e.open("console", args)
	if err != nil {
		return err
	}
	defer s.Close()
	as := briefbot.MemberID(f.as)
	if as == "" {
		for _, d := range cfg.Org.Departments {
			if len(d.Heads) > 0 {
				as = d.Heads[0]
				break
			}
		}
	}
	con := console.New(e.stdin, e.stdout, as)
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	con.Bot = bot.New(directory(cfg), s, con, bot.Options{Now: time.Now, Logger: logger, Reload: e.reloader(f.config)})
	stop := e.background(ctx, cfg, con.Bot, s, con, logger, true)
	defer stop()
	return con.Run(ctx)
}

// configCmd is `briefbot config example` and `briefbot config check FILE`.
func (e *environment) configCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: briefbot config example | briefbot config check FILE", errUsage)
	}
	switch args[0] {
	case "example":
		_, err := e.stdout.Write(exampleYAML)
		return err
	case "check":
		if len(args) != 2 {
			return fmt.Errorf("%w: briefbot config check FILE", errUsage)
		}
		c, err := LoadConfig(args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "OK: %s（%d 个机关，%d 个部门，%d 名成员）/ %d committees, %d departments, %d members\n",
			args[1], len(c.Org.Committees), len(c.Org.Departments), len(c.Org.Members), len(c.Org.Committees), len(c.Org.Departments), len(c.Org.Members))
		return nil
	}
	return fmt.Errorf("%w: briefbot config example | briefbot config check FILE", errUsage)
}

// background starts what runs beside the conversation: the outbox deliverer and the
// briefing schedules (with catch-up of slots missed while the bot was down). The
// returned function stops them and waits, leaving the outbox consistent (a part is
// either recorded as posted or will be posted on the next start).
//
// With deliverNow (the console), what the bot sends is delivered right after the
// answer that caused it rather than by the background pass.
func (e *environment) background(ctx context.Context, cfg *Config, b *bot.Bot, s *store.Store, sender bot.Sender, logger *slog.Logger, deliverNow bool) func() {
	ctx, cancel := context.WithCancel(ctx)
	d := bot.NewDeliverer(s, sender, b.Directory, logger)
	d.Metrics = b.Metrics()
	b.SetKick(d.Kick)
	if deliverNow {
		b.SetKick(func() {
			dctx, dcancel := context.WithTimeout(ctx, 10*time.Second)
			defer dcancel()
			if err := d.DeliverAll(dctx); err != nil {
				logger.Warn("outbox", "err", err)
			}
		})
	}
	runLog := logger
	if deliverNow { // the console: a newcomer need not hear of slots missed before they ever started it
		runLog = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	}
	runner := &schedules.Runner{
		Schedules: cfg.Schedules, Calendar: cfg.Calendar, Window: cfg.CatchUp, Logger: runLog,
		Delivered: s.SlotTaken,
		Fire: func(ctx context.Context, slot schedules.Slot, late bool) error {
			if committee, ok := strings.CutPrefix(slot.Schedule, "report/"); ok { // the monthly roll-up
				_, err := b.MakeMonthlyReport(ctx, committee, slot.Key(), slot.ScheduledAt)
				return err
			}
			committee, _, _ := strings.Cut(slot.Schedule, "/")
			_, err := b.MakeBriefing(ctx, committee, slot.Key(), slot.ScheduledAt, late)
			return err
		},
	}
	b.WarnCalendar(ctx, cfg.Calendar.Covers)
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { // SIGHUP reloads the org config
		defer wg.Done()
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if err := b.Reload(ctx, ""); err != nil {
					logger.Error("config reload refused; the old config stays in force", "err", err)
				}
			}
		}
	}()
	go func() { defer wg.Done(); d.Run(ctx) }()
	go func() { defer wg.Done(); runner.Run(ctx) }()
	go func() { // chasing deadlines: derived from the stored deadlines, so a restart neither repeats nor skips a step
		defer wg.Done()
		for {
			if _, err := b.Remind(ctx); err != nil && ctx.Err() == nil {
				logger.Error("reminders", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Minute):
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
		// A last pass, briefly: what the outbox holds now goes out before the store closes
		// (what does not is delivered on the next start).
		fctx, fcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer fcancel()
		if err := d.DeliverAll(fctx); err != nil && fctx.Err() == nil {
			logger.Warn("outbox: left for the next start", "err", err)
		}
	}
}
