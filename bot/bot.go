// Package bot is the conversation: commands, the intake modal and the DM intake
// conversation, the 批示 and follow-through forms, status cards, lists, App Home and
// help, behind three thin transports (Slack Socket Mode, Slack HTTP, the local console)
// that live in its subpackages. Every step a member takes goes through Rules.Take, the
// one authorised path; what the bot says on its own is package notices'.
package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/notices"
)

// Ledger is what the conversation needs of the ledger.
type Ledger interface {
	briefbot.Matters
	briefbot.MatterFinder
	briefbot.Deliveries
	briefbot.Conversations
	AppendAudit(ctx context.Context, e briefbot.AuditEntry) error
	OpenDispatches(ctx context.Context) ([]*briefbot.Dispatch, error)
	Dispatch(ctx context.Context, id uint64) (*briefbot.Dispatch, error)
	DispatchByTS(ctx context.Context, ts string) (*briefbot.Dispatch, error)
	ApproveDispatch(ctx context.Context, id uint64, by briefbot.MemberID) (*briefbot.Dispatch, error)
}

// Bot is the command and flow layer shared by every transport. It is safe for
// concurrent use.
type Bot struct {
	ledger   Ledger
	rules    func() *briefbot.Rules
	produce  *notices.Producer
	now      func() time.Time
	log      *slog.Logger
	command  string
	reload   func(ctx context.Context, actor briefbot.MemberID) error
	metrics  *metrics.Metrics
	dms      dmSessions
	incident func() string
	files    *files.Store // attached files; nil: links only
	fetch    Fetcher
}

// Options configure New.
type Options struct {
	Now     func() time.Time // default time.Now
	Logger  *slog.Logger     // default slog.Default()
	Command string           // the slash command, default /matter
	// Reload, if set, reads the org config again and puts it in force, recording who
	// asked ("" for a signal) in the audit log; the `reload` command calls it.
	Reload  func(ctx context.Context, actor briefbot.MemberID) error
	Metrics *metrics.Metrics // may be nil
	// Files is the store of attached files, and Fetch how the transport gets a
	// member's file; without both, matters take links only.
	Files *files.Store
	Fetch Fetcher
}

// New returns a bot over ledger, with the rules in force and the producer of
// briefings and reports (for the clerks' `brief` and `stats` commands).
func New(ledger Ledger, rules func() *briefbot.Rules, producer *notices.Producer, opts Options) *Bot {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Command == "" {
		opts.Command = "/matter"
	}
	return &Bot{ledger: ledger, rules: rules, produce: producer, now: opts.Now, log: opts.Logger, command: opts.Command,
		reload: opts.Reload, metrics: opts.Metrics, incident: newIncidentID, files: opts.Files, fetch: opts.Fetch,
		dms: dmSessions{kept: ledger}}
}

// Rules returns the rules in force.
func (b *Bot) Rules() *briefbot.Rules { return b.rules() }

// SlashCommand is the slash command's name, e.g. /matter.
func (b *Bot) SlashCommand() string { return b.command }

// Response is the bot's answer to an interaction: a message for the user, a modal to
// open, or (for a modal's own buttons) a replacement for the open modal.
type Response struct {
	Message    *blockkit.Message
	Modal      *slack.ModalViewRequest
	UpdateView *slack.ModalViewRequest
	// Ignore is set when the delivery was a repeat: answer nothing.
	Ignore bool
}

func reply(m blockkit.Message) Response { return Response{Message: &m} }

func say(s string) Response { return reply(blockkit.Text(s)) }

// User identifies who is talking to the bot: a Slack user ID, or a member ID (the
// console). The bot resolves it against the org on every interaction, so a member
// removed from the config is refused at once.
type User struct {
	SlackID string
	Member  briefbot.MemberID
}

// view is one interaction's frame: who asks, in which language, against which rules,
// at what time. Rendering functions take it instead of the Bot so they stay plain
// functions of their inputs.
type view struct {
	*notices.Reader
	me      *briefbot.Member
	rules   *briefbot.Rules
	command string
	files   bool // the member may attach files (Bot.filesOn)
}

// who resolves u against the rules in force. A user not in the config gets ok=false
// and the refusal to answer with.
func (b *Bot) who(u User) (*view, Response, bool) {
	rules := b.rules()
	var m *briefbot.Member
	ok := false
	if u.Member != "" {
		m, ok = rules.Org.Member(u.Member)
	} else {
		m, ok = rules.Org.MemberBySlackID(u.SlackID)
	}
	if !ok {
		return nil, say(msgUnknownUser.In(rules.LangOf(nil))), false
	}
	v := &view{Reader: notices.For(rules, m, b.now()), me: m, rules: rules, command: b.command}
	v.files = b.files != nil && b.fetch != nil && rules.Intake.FilesOn()
	return v, Response{}, true
}

// enter starts an interaction: who is asking (a user not in the config gets the polite
// refusal) and whether this delivery is new (a repeat gets Ignore). ok is false when
// the returned Response is the whole answer.
func (b *Bot) enter(ctx context.Context, u User, deliveryKey string) (*view, Response, bool) {
	v, refusal, ok := b.who(u)
	if !ok {
		return nil, refusal, false
	}
	if !b.firstDelivery(ctx, deliveryKey) {
		return nil, Response{Ignore: true}, false
	}
	return v, Response{}, true
}

// dedupTTL is how long an incoming delivery is remembered.
const dedupTTL = 24 * time.Hour

// firstDelivery claims key and reports whether this is its first delivery. Without a
// key (the console) every input is new. If the claim cannot be recorded the input is
// handled anyway: answering twice is better than not at all.
func (b *Bot) firstDelivery(ctx context.Context, key string) bool {
	if key == "" {
		return true
	}
	first, err := b.ledger.Claim(ctx, "in:"+key, dedupTTL)
	if err != nil {
		b.log.Error("claim delivery", "key", key, "err", err)
		return true
	}
	return first
}

// errorText turns an error into the sentence a user sees. Internal errors are logged
// with context and shown as an apology with an incident id to quote to the
// administrator; the log line carries the same id.
func (b *Bot) errorText(err error, lang briefbot.Lang, op string) string {
	if briefbot.ErrorCode(err) == briefbot.EINTERNAL {
		id := b.incident()
		b.log.Error("internal error", "op", op, "err", err, "incident", id)
		return msgSorry.Format(lang, id)
	}
	return briefbot.ErrorMessage(err, lang)
}

func (b *Bot) errorReply(err error, v *view, op string) Response {
	return say(b.errorText(err, v.Lang, op))
}

// newIncidentID is a short id unique across days and processes: the date and time to
// the second, and random bits.
func newIncidentID() string {
	var r [4]byte
	_, _ = rand.Read(r[:])
	return time.Now().Format("20060102-150405") + "-" + hex.EncodeToString(r[:])
}

// take applies steps to the matter ref names through the one authorised path
// (Rules.Take), remembering the delivery key so a repeat applies nothing.
func (b *Bot) take(ctx context.Context, v *view, ref briefbot.Ref, key string, steps ...briefbot.Step) (briefbot.Result, error) {
	return b.ledger.Apply(ctx, ref, v.rules.Take(steps...), briefbot.Delivery{Key: key})
}

// step is a step v.me takes now.
func (v *view) step(a briefbot.Action) briefbot.Step {
	return briefbot.Step{Action: a, Actor: v.me.ID, At: v.Now}
}

// dmSessions holds the DM intake conversations in progress, one per member; each is
// handled by one message at a time (Socket Mode hands the bot 16 envelopes at once,
// and a member may send two DMs in quick succession). The ledger keeps each after
// every message (kept), so that another replica can take the next one.
type dmSessions struct {
	mu   sync.Mutex
	m    map[briefbot.MemberID]*dmIntake
	kept briefbot.Conversations
}
