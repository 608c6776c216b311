package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/schedules"
	"github.com/briefbot/briefbot/store"
	etcdstore "github.com/briefbot/briefbot/store/etcd"
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
func (e *environment) open(name string, args []string) (serveFlags, *live, *store.Store, error) {
	var f serveFlags
	if err := e.serveFlagSet(name, &f)(args); err != nil {
		return f, nil, nil, err
	}
	cfg, err := e.loadConfig(f.config)
	if err != nil {
		return f, nil, nil, err
	}
	s, err := e.openStore(f.data, store.Options{Location: cfg.Rules.Loc()})
	if err != nil {
		return f, nil, nil, err
	}
	l := &live{path: f.config, load: e.loadConfig, audit: s}
	l.cfg.Store(cfg)
	return f, l, s, nil
}

// live is the org config in force: read at start, replaced whole on reload (SIGHUP, or
// an admin's `reload`). Everything reads it through rules, so a member removed from
// the config is refused from the next interaction on.
type live struct {
	path  string
	load  func(path string) (*config.Config, error)
	audit interface {
		AppendAudit(ctx context.Context, e briefbot.AuditEntry) error
	}
	log *slog.Logger
	cfg atomic.Pointer[config.Config]
}

func (l *live) config() *config.Config     { return l.cfg.Load() }
func (l *live) rules() *briefbot.Rules     { return &l.cfg.Load().Rules }
func (l *live) scoring() briefings.Scoring { return l.cfg.Load().Scoring }

// reload reads the config again and puts it in force, recording in the audit log who
// asked ("" for a signal) and from where. On error the config in force stays.
func (l *live) reload(ctx context.Context, actor briefbot.MemberID) error {
	cfg, err := l.load(l.path)
	if err != nil {
		return err
	}
	if actor == "" {
		actor = briefbot.SystemActor
	}
	if err := l.audit.AppendAudit(ctx, briefbot.AuditEntry{Actor: actor, Action: briefbot.AuditConfigReload, Detail: cfg.Source}); err != nil {
		return err
	}
	l.cfg.Store(cfg)
	if l.log != nil {
		l.log.Info("config reloaded", "source", cfg.Source, "by", string(actor))
	}
	return nil
}

// filesDir is where the attached files are kept: BRIEFBOT_FILES_DIR, or files/
// beside the data file.
func (e *environment) filesDir(data string) string {
	if d := e.getenv("BRIEFBOT_FILES_DIR"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(data), "files")
}

// openFiles opens the store of attached files beside the ledger at data.
func (e *environment) openFiles(data string) (*files.Store, error) {
	return files.Open(e.filesDir(data))
}

// loadConfig reads the org config named by path, or the built-in example.
func (e *environment) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		fmt.Fprintln(e.stderr, "未指定组织配置，使用内置示例组织（briefbot config example 可导出）。/ No org config given: using the built-in example organisation (see `briefbot config example`).")
		return config.Example(), nil
	}
	return config.Load(path)
}

// parts are the pieces of a running bot, wired in the one order their needs allow:
// the producer and the bot read the ledger and the config; the deliverer posts
// through the transport, which answers through the bot.
type parts struct {
	live     *live
	store    *store.Store
	producer *notices.Producer
	bot      *bot.Bot
	deliver  *delivery.Deliverer
	log      *slog.Logger
}

func newParts(l *live, s *store.Store, logger *slog.Logger, m *metrics.Metrics, fs *files.Store, fetch bot.Fetcher) *parts {
	l.log = logger
	p := &parts{live: l, store: s, log: logger}
	p.producer = &notices.Producer{Ledger: s, Rules: l.rules, Scoring: l.scoring, Log: logger, Metrics: m, Command: l.config().Command}
	p.bot = bot.New(s, l.rules, p.producer, bot.Options{Logger: logger, Command: l.config().Command, Reload: l.reload, Metrics: m,
		Files: fs, Fetch: fetch})
	p.deliver = &delivery.Deliverer{Store: s, Renderer: &notices.Renderer{Matters: s, Rules: l.rules}, Rules: l.rules, Log: logger, Metrics: m}
	return p
}

// serve runs the bot's main job: Slack Socket Mode when SLACK_APP_TOKEN and
// SLACK_BOT_TOKEN are set (no public URL needed); Slack HTTP when SLACK_SIGNING_SECRET
// and SLACK_BOT_TOKEN are; else the local console.
func (e *environment) serve(ctx context.Context, args []string) error {
	botToken, appToken, secret := e.getenv("SLACK_BOT_TOKEN"), e.getenv("SLACK_APP_TOKEN"), e.getenv("SLACK_SIGNING_SECRET")
	if botToken == "" && appToken == "" && secret == "" {
		return e.console(ctx, args)
	}
	if err := slackSettings(botToken, appToken, secret); err != nil {
		return err
	}
	f, l, s, err := e.open("serve", args)
	if err != nil {
		return err
	}
	defer s.Close()
	logger := e.logger(f.logFormat)
	o := newOps(s, e.backupDir(f.data))
	fstore, err := e.openFiles(f.data)
	if err != nil {
		return err
	}
	scfg := slackapp.Config{BotToken: botToken, AppToken: appToken, SigningSecret: secret, APIURL: e.getenv("SLACK_API_URL"), Listen: f.listen}
	p := newParts(l, s, logger, o.metrics, fstore, slackapp.Fetcher{API: slackapp.NewClient(scfg)})
	app := slackapp.Connect(scfg, p.bot, slackapp.Options{Logger: logger, Metrics: o.metrics})
	p.deliver.Sender = app
	if err := app.Start(ctx); err != nil {
		return err
	}
	defer app.Close()
	stopOps, err := o.serve(ctx, f.ops, func() error {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if err := s.Ping(pctx); err != nil {
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
	stopBackground := e.background(ctx, p, false)
	defer stopBackground()
	logger.Info("briefbot serving", "data", f.data, "config", l.config().Source)
	return app.Serve(ctx)
}

// console runs the bot in the local console on the embedded store.
func (e *environment) console(ctx context.Context, args []string) error {
	f, l, s, err := e.open("console", args)
	if err != nil {
		return err
	}
	defer s.Close()
	as := briefbot.MemberID(f.as)
	if as == "" {
		for _, d := range l.rules().Org.Departments {
			if len(d.Heads) > 0 {
				as = d.Heads[0]
				break
			}
		}
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fstore, err := e.openFiles(f.data)
	if err != nil {
		return err
	}
	p := newParts(l, s, logger, nil, fstore, console.LocalFiles{})
	printer := console.NewPrinter(e.stdout, l.rules)
	p.deliver.Sender = printer
	con := console.New(e.stdin, printer, as, p.bot, p.deliver.DeliverAll)
	stop := e.background(ctx, p, true)
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
		_, err := e.stdout.Write(config.ExampleYAML())
		return err
	case "check":
		if len(args) != 2 {
			return fmt.Errorf("%w: briefbot config check FILE", errUsage)
		}
		c, err := config.Load(args[1])
		if err != nil {
			return err
		}
		org := &c.Rules.Org
		fmt.Fprintf(e.stdout, "OK: %s（%d 个机关，%d 个部门，%d 名成员）/ %d committees, %d departments, %d members\n",
			args[1], len(org.Committees), len(org.Departments), len(org.Members), len(org.Committees), len(org.Departments), len(org.Members))
		for _, cf := range org.Conflicts() {
			who, com, dept := org.MemberName(cf.Leader), org.CommitteeName(cf.Committee, briefbot.LangZH), org.DepartmentName(cf.Department, briefbot.LangZH)
			fmt.Fprintf(e.stdout, "注意：%s 是%s的领导，又是%s的人员：对%s报送的事项须回避，不能批示、圈阅。/ Note: %s leads %s and belongs to %s: they stand aside from its matters (no instruction, no read).\n",
				who, com, dept, dept, cf.Leader, cf.Committee, cf.Department)
		}
		// The office prints as written (“<office>编”): a bare 办公室, as configs written
		// before offices were named in full have it, loses the organisation's name.
		for _, cm := range org.Committees {
			if strings.TrimSpace(cm.Office) == "办公室" {
				fmt.Fprintf(e.stdout, "注意：%s的 office 只写了“办公室”，简报和月报将印“办公室编”；请写全称，如“%s办公室”。/ Note: the office of %s is just “办公室”, so briefings and reports print “办公室编”: write it in full, e.g. “%s办公室”.\n",
					org.CommitteeName(cm.ID, briefbot.LangZH), org.Name, cm.ID, org.Name)
			}
		}
		return nil
	}
	return fmt.Errorf("%w: briefbot config example | briefbot config check FILE", errUsage)
}

// background starts what runs beside the conversation: reload on SIGHUP and the
// audit anchor in the log, on every replica; and the leader's work (leaderWork) — on
// a bbolt file, here; on etcd, on whichever replica is elected leader, with its writes
// fenced by the leadership. The returned function stops them and waits.
func (e *environment) background(ctx context.Context, p *parts, quiet bool) func() {
	ctx, cancel := context.WithCancel(ctx)
	// Once a year, before the year's calendar is missing: idempotent (one dispatch per
	// year), so any replica may make it.
	if err := p.producer.WarnCalendar(ctx, p.live.config().Calendar.Covers); err != nil {
		p.log.Error("calendar warning", "err", err)
	}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { // the audit chain's head in the log at start and daily: an anchor kept outside the file
		defer wg.Done()
		for {
			if head, err := p.store.AuditHead(ctx); err != nil {
				p.log.Error("audit head", "err", err)
			} else if !head.IsZero() {
				p.log.Info("audit anchor", "head", head.String())
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(24 * time.Hour):
			}
		}
	}()
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
				if err := p.live.reload(ctx, ""); err != nil {
					p.log.Error("config reload refused; the old config stays in force", "err", err)
				}
			}
		}
	}()
	go func() {
		defer wg.Done()
		eng, replicated := p.store.Engine().(*etcdstore.Engine)
		if !replicated {
			e.leaderWork(ctx, p, quiet)
			return
		}
		host, _ := os.Hostname()
		id := fmt.Sprintf("%s/%d", host, os.Getpid())
		_ = eng.Lead(ctx, id, leaseTTL, func(lctx context.Context, fenced *etcdstore.Engine) {
			fs, err := store.New(fenced, p.store.Path(), store.Options{Location: p.live.rules().Loc(), MaxBatch: 4})
			if err != nil {
				p.log.Error("leader: open the fenced ledger", "err", err)
				return
			}
			defer fs.Close()
			p.log.Info("leading: schedules, reminders and the outbox run here", "replica", id)
			e.leaderWork(lctx, p.on(fs), quiet)
			p.log.Info("no longer leading", "replica", id)
		})
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}

// leaseTTL is how long a leader that stopped answering keeps its leadership: a new
// leader is elected within about this long.
const leaseTTL = 5 * time.Second

// on returns p with its producer and deliverer writing to s (the leader's fenced
// ledger), the rest shared.
func (p *parts) on(s *store.Store) *parts {
	q := *p
	prod := *p.producer
	prod.Ledger = s
	q.producer = &prod
	d := &delivery.Deliverer{Store: s, Sender: p.deliver.Sender, Renderer: &notices.Renderer{Matters: s, Rules: p.live.rules}, Rules: p.live.rules,
		Log: p.log, Metrics: p.deliver.Metrics}
	q.deliver = d
	q.store = s
	return &q
}

// leaderWork is what one process alone may do, until ctx is done: the outbox
// deliverer, the schedules (briefings and monthly reports, with catch-up of slots
// missed meanwhile) and the reminders. It leaves the outbox consistent when it stops
// (a part is either recorded as posted or will be posted by the next leader).
func (e *environment) leaderWork(ctx context.Context, p *parts, quiet bool) {
	cfg := p.live.config()
	runLog := p.log
	if quiet { // the console: a newcomer need not hear of slots missed before they ever started it
		runLog = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	}
	jobs := map[string]config.Job{}
	for _, j := range cfg.Jobs {
		jobs[j.Schedule.ID()] = j
	}
	runner := &schedules.Runner{
		Schedules: cfg.Schedules(), Calendar: cfg.Calendar, Window: cfg.CatchUp, Logger: runLog,
		Delivered: func(key string) (bool, error) { return p.store.SlotTaken(ctx, key) },
		Fire: func(ctx context.Context, slot schedules.Slot, late bool) error {
			j := jobs[slot.Schedule]
			if j.Makes == config.MakesMonthlyReport {
				_, err := p.producer.MakeMonthlyReport(ctx, j.Committee, slot.Key(), slot.ScheduledAt)
				return err
			}
			_, err := p.producer.MakeBriefing(ctx, j.Committee, slot.Key(), slot.ScheduledAt, late)
			return err
		},
	}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); p.deliver.Run(ctx) }()
	go func() { defer wg.Done(); runner.Run(ctx) }()
	go func() { // chasing deadlines: derived from the stored deadlines, so a restart neither repeats nor skips a step
		defer wg.Done()
		for pass := 0; ; pass++ {
			if _, err := p.producer.Remind(ctx); err != nil && ctx.Err() == nil {
				p.log.Error("reminders", "err", err)
			}
			if pass%12 == 0 { // hourly: delivery keys and DM conversations past their time
				if n, err := p.store.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
					p.log.Error("purge", "err", err)
				} else if n > 0 {
					p.log.Info("purged expired delivery keys and conversations", "count", n)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Minute):
			}
		}
	}()
	<-ctx.Done()
	wg.Wait()
	// A last pass, briefly: what the outbox holds now goes out before the store closes
	// (what does not is delivered on the next start, or by the next leader).
	fctx, fcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer fcancel()
	if err := p.deliver.DeliverAll(fctx); err != nil && fctx.Err() == nil {
		p.log.Warn("outbox: left for the next start", "err", err)
	}
}

// slackSettings refuses an incomplete Slack configuration, naming what is missing: a
// half-configured bot must not quietly run the console instead.
func slackSettings(botToken, appToken, secret string) error {
	missing := ""
	switch {
	case botToken == "":
		missing = "SLACK_BOT_TOKEN"
	case appToken == "" && secret == "":
		missing = "SLACK_APP_TOKEN（Socket Mode）或 SLACK_SIGNING_SECRET（HTTP）/ SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)"
	default:
		return nil
	}
	return &briefbot.Error{Code: briefbot.EINVALID, Reason: briefbot.ReasonConfig, Msg: briefbot.Text{
		ZH: "Slack 设置不完整，缺少 " + missing + "。未启动。",
		EN: "The Slack settings are incomplete: " + missing + " is missing. Nothing was started."}}
}
