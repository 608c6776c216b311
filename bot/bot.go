// Package bot is the conversation: commands, the intake modal and the DM intake
// conversation, status cards, lists, App Home and help, behind three thin transports
// (Slack Socket Mode, Slack HTTP, the local console) that live in its subpackages.
package bot

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

// Store is what the bot needs of the ledger.
type Store interface {
	Submit(ctx context.Context, m *briefbot.Matter, d store.Delivery) (store.Result, error)
	SaveDraft(ctx context.Context, m *briefbot.Matter, d store.Delivery) (store.Result, error)
	Apply(ctx context.Context, id uint64, step briefbot.Step, d store.Delivery) (store.Result, error)
	ApplyAll(ctx context.Context, id uint64, steps []briefbot.Step, d store.Delivery) (store.Result, error)
	Lookup(typed string) (*briefbot.Matter, error)
	Get(id uint64) (*briefbot.Matter, error)
	List(f store.Filter) (store.Page, error)
	Awaiting(f store.Filter) (store.Page, error)
	Overdue(asOf time.Time, f store.Filter) (store.Page, error)
	Search(query string, f store.Filter) (store.Page, error)
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	CreateDispatch(ctx context.Context, d *briefbot.Dispatch) (*briefbot.Dispatch, bool, error)
	Each(f store.Filter, fn func(*briefbot.Matter) bool) error
	EachDue(from, before time.Time, fn func(*briefbot.Matter) bool) error
	EachDispatch(fn func(*briefbot.Dispatch) bool) error
	NextIssue(committee string, year int) (int, error)
	LastBriefing(committee string) (*briefbot.Dispatch, error)
	GetDispatch(id uint64) (*briefbot.Dispatch, error)
	ApproveDispatch(ctx context.Context, id uint64, by briefbot.MemberID) (*briefbot.Dispatch, error)
	OpenDispatches() ([]*briefbot.Dispatch, error)
	Seen(key string) (bool, error)
	DispatchByTS(ts string) (*briefbot.Dispatch, error)
	DispatchBySlot(key string) (*briefbot.Dispatch, error)
	AppendAudit(ctx context.Context, e store.AuditEntry) error
}

// Poster delivers a personal message at once, outside the reply to an interaction and
// outside the outbox (for example "this was already received"). Everything that must
// not be lost or repeated goes through the outbox instead. Transports implement it.
type Poster interface {
	// PostDM sends msg to member's direct-message channel and returns a reference to
	// the posted message (Slack: channel and ts) for later threading.
	PostDM(ctx context.Context, member *briefbot.Member, msg Message) (string, error)
}

// Directory is who is who and the rules of the house: the part of the config the bot
// reads on every interaction. It is replaced whole on reload.
type Directory struct {
	Org     briefbot.Org
	Intake  briefbot.IntakeRules
	Lang    briefbot.Lang // default language
	Command string        // slash command name, e.g. /matter
	// Approve lists the committees whose scheduled briefings wait for a clerk's
	// approval before they go out.
	Approve map[string]bool
	// WorkingDays counts working days between two instants on the configured calendar;
	// nil counts calendar days. AddWorkingDays moves a time on by working days.
	WorkingDays    func(from, to time.Time) int
	AddWorkingDays func(t time.Time, n int) time.Time
	// Deadlines overrides the default handling deadline of a referral, in working
	// days, by urgency (defaults: 特急 1, 加急 3, 平件 10).
	Deadlines map[briefbot.Urgency]int
	// AnswerLimit is the answer deadline a request gets when its submitter sets none,
	// in working days after submission (default 5).
	AnswerLimit int
	// IsWorkingDay tells working days on the configured calendar; nil: Monday to Friday.
	IsWorkingDay func(t time.Time) bool
	// Reminders says when deadlines are chased (default DefaultReminderPolicy).
	Reminders ReminderPolicy
	// LeadersDecideExtensions sends extension requests to the instructing leaders
	// instead of the committee's clerks (who decide by default).
	LeadersDecideExtensions bool
	// Scoring is the department score of the roll-ups (zero: briefings.DefaultScoring).
	Scoring briefings.Scoring
}

// Bot is the command and flow layer shared by every transport. It is safe for
// concurrent use.
type Bot struct {
	store   Store
	poster  Poster
	now     func() time.Time
	log     *slog.Logger
	loc     *time.Location
	dir     atomic.Pointer[Directory]
	kick    atomic.Pointer[func()]
	reload  func() (*Directory, string, error)
	metrics *Metrics

	mu  sync.Mutex
	dms map[briefbot.MemberID]*dmIntake // DM intake conversations in progress
}

// Options configure New.
type Options struct {
	Now      func() time.Time // default time.Now
	Logger   *slog.Logger     // default slog.Default()
	Location *time.Location   // default Asia/Shanghai
	// Kick, if set, is called after a dispatch is put in the outbox (the deliverer's
	// Kick), so urgent alerts go out within seconds.
	Kick func()
	// Reload, if set, reads the org config again and says where from (see Bot.Reload).
	Reload func() (*Directory, string, error)
	// Metrics, if set, counts what the bot does (see NewMetrics).
	Metrics *Metrics
}

// New returns a bot over store that speaks through poster.
func New(dir *Directory, st Store, poster Poster, opts Options) *Bot {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Location == nil {
		opts.Location = briefbot.DefaultLocation()
	}
	b := &Bot{store: st, poster: poster, now: opts.Now, log: opts.Logger, loc: opts.Location, reload: opts.Reload, metrics: opts.Metrics, dms: map[briefbot.MemberID]*dmIntake{}}
	b.SetKick(opts.Kick)
	b.SetDirectory(dir)
	return b
}

// SetDirectory replaces who is who; it takes effect for the next interaction.
func (b *Bot) SetDirectory(d *Directory) {
	if d.Command == "" {
		d.Command = "/matter"
	}
	if d.AnswerLimit == 0 {
		d.AnswerLimit = 5
	}
	if d.Reminders.WorkEnd == 0 {
		d.Reminders = DefaultReminderPolicy()
	}
	b.dir.Store(d)
}

// SetKick sets what is called after a dispatch is put in the outbox.
func (b *Bot) SetKick(kick func()) {
	if kick == nil {
		kick = func() {}
	}
	b.kick.Store(&kick)
}

// Metrics returns the metrics the bot counts with (nil if none).
func (b *Bot) Metrics() *Metrics { return b.metrics }

// Directory returns the directory in force.
func (b *Bot) Directory() *Directory { return b.dir.Load() }

// Message is something the bot says: Block Kit blocks and the plain fallback text
// Slack shows in notifications (and the console prints when there are no blocks).
type Message struct {
	Text   string
	Blocks []slack.Block
}

// User identifies who is talking to the bot: a Slack user ID, or a member ID (the
// console). The bot resolves it against the org on every interaction, so a member
// removed from the config is refused at once.
type User struct {
	SlackID string
	Member  briefbot.MemberID
}

// who resolves u. A user not in the config gets ok=false.
func (b *Bot) who(u User) (*briefbot.Member, *Directory, bool) {
	d := b.dir.Load()
	if u.Member != "" {
		m, ok := d.Org.Member(u.Member)
		return m, d, ok
	}
	m, ok := d.Org.MemberBySlackID(u.SlackID)
	return m, d, ok
}

// lang is the language member reads.
func (d *Directory) lang(m *briefbot.Member) briefbot.Lang {
	if m != nil && m.Lang != "" {
		return m.Lang
	}
	if d.Lang != "" {
		return d.Lang
	}
	return briefbot.LangZH
}

// errorMessage turns an error into the reply a user sees. Internal errors are logged
// with context and shown as an apology with an id to quote to the administrator.
func (b *Bot) errorMessage(err error, lang briefbot.Lang, op string) Message {
	if briefbot.ErrorCode(err) == briefbot.EINTERNAL {
		id := b.now().Format("150405.000")
		b.log.Error("internal error", "op", op, "err", err, "incident", id)
		return textMessage(tr(lang, msgSorry, id))
	}
	return textMessage(briefbot.ErrorMessage(err, lang))
}
