package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/store"
)

var ctx = context.Background()

var shanghai = briefbot.DefaultLocation()

// testRules are a small court's: two committees, two departments.
func testRules() *briefbot.Rules {
	return &briefbot.Rules{
		Org: briefbot.Org{
			Name: "某市中级人民法院",
			Committees: []briefbot.Committee{
				{ID: "party", Name: "党组", NameEN: "Party Group", Leaders: []briefbot.MemberID{"zhao"}, Clerks: []briefbot.MemberID{"qian"}},
				{ID: "pl", Name: "市委政法委", NameEN: "Political-Legal Commission", Leaders: []briefbot.MemberID{"sun"}, Clerks: []briefbot.MemberID{"li"}},
			},
			Departments: []briefbot.Department{
				{ID: "criminal", Name: "刑事审判庭", Principal: "zhou", Heads: []briefbot.MemberID{"wu"}, Delegates: []briefbot.Delegation{{Member: "wu"}} /* 授权签发: wu signs off his own submissions */, Members: []briefbot.MemberID{"chen"}},
				{ID: "civil", Name: "民事审判庭", Principal: "zheng"},
			},
			Members: []briefbot.Member{
				{ID: "zhao", Name: "赵书记", SlackID: "UZHAO"}, {ID: "qian", Name: "钱主任", SlackID: "UQIAN"},
				{ID: "sun", Name: "孙书记", SlackID: "USUN"}, {ID: "li", Name: "李主任", SlackID: "ULI"},
				{ID: "zhou", Name: "周庭长", SlackID: "UZHOU"}, {ID: "wu", Name: "吴副庭长", SlackID: "UWU"},
				{ID: "chen", Name: "陈法官", SlackID: "UCHEN"},
				{ID: "zheng", Name: "郑庭长", SlackID: "UZHENG", Lang: briefbot.LangEN},
			},
		},
		Intake:        briefbot.DefaultIntakeRules(),
		Location:      shanghai,
		FollowThrough: briefbot.DefaultFollowThrough(),
	}
}

// post is one message the bot sent on its own to a member, as they would read it.
type post struct {
	to  briefbot.MemberID
	msg blockkit.Message
}

// posts reads what the bot put in the outbox for members (receipts, notices), each
// part rendered for its reader as the deliverer would render it.
type posts struct {
	store *store.Store
	rules func() *briefbot.Rules
	now   func() time.Time
}

func (p *posts) all() []post {
	var out []post
	open, _ := p.store.OpenDispatches(ctx)
	r := &notices.Renderer{Matters: p.store, Rules: p.rules, Now: p.now}
	for _, d := range open {
		if d.Kind != briefbot.DispatchReceipt && d.Kind != briefbot.DispatchNotice && d.Kind != briefbot.DispatchReminder {
			continue
		}
		for i := range d.Parts {
			part, err := r.Render(ctx, d, i)
			if err != nil || part.Skipped || part.To.Member == "" {
				continue
			}
			var bs []blockkit.Block
			json.Unmarshal(part.Blocks, &bs)
			out = append(out, post{part.To.Member, blockkit.Message{Text: part.Text, Blocks: bs}})
		}
	}
	return out
}

type fixture struct {
	bot      *bot.Bot
	store    *store.Store
	posts    *posts
	rules    *briefbot.Rules
	producer *notices.Producer
	now      time.Time
}

func newFixture(t testing.TB) *fixture {
	return newFixtureWith(t, testRules())
}

func newFixtureWith(t testing.TB, rules *briefbot.Rules) *fixture {
	return newFixtureOpts(t, rules, store.Options{})
}

// newFixtureOpts is newFixtureWith on a store opened with opts (its clock set here).
func newFixtureOpts(t testing.TB, rules *briefbot.Rules, opts store.Options) *fixture {
	t.Helper()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	opts.Now = func() time.Time { return now }
	s, err := store.Open(filepath.Join(t.TempDir(), "briefbot.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if ps, err := s.Check(); err != nil || len(ps) > 0 {
			t.Errorf("consistency check: %v %v", err, ps)
		}
		s.Close()
	})
	f := &fixture{store: s, rules: rules, now: now}
	clock := func() time.Time { return f.now }
	get := func() *briefbot.Rules { return f.rules }
	f.posts = &posts{store: s, rules: get, now: clock}
	f.producer = &notices.Producer{Ledger: s, Rules: get, Now: clock}
	f.bot = bot.New(s, get, f.producer, bot.Options{Now: clock})
	return f
}

func as(id briefbot.MemberID) bot.User { return bot.User{Member: id} }

// fill answers a modal as a user would: for each input block the value in answers
// (text, option value, option values, date, or true for a checkbox), as Slack would
// put it in view.state.values.
func fill(t testing.TB, modal slack.ModalViewRequest, answers map[string]any) map[string]map[string]slack.BlockAction {
	t.Helper()
	values := map[string]map[string]slack.BlockAction{}
	for _, blk := range modal.Blocks.BlockSet {
		in, ok := blk.(*slack.InputBlock)
		if !ok {
			continue
		}
		a := slack.BlockAction{}
		ans, given := answers[in.BlockID]
		var actionID string
		switch e := in.Element.(type) {
		case *slack.PlainTextInputBlockElement:
			actionID = e.ActionID
			if given {
				a.Value = ans.(string)
			}
		case *slack.SelectBlockElement:
			actionID = e.ActionID
			if e.InitialOption != nil {
				a.SelectedOption = *e.InitialOption
			}
			if given {
				a.SelectedOption = slack.OptionBlockObject{}
				for _, o := range e.Options {
					if o.Value == ans.(string) {
						a.SelectedOption = *o
					}
				}
				if a.SelectedOption.Value == "" {
					t.Fatalf("block %s has no option %q", in.BlockID, ans)
				}
			}
		case *slack.MultiSelectBlockElement:
			actionID = e.ActionID
			if given {
				for _, v := range ans.([]string) {
					for _, o := range e.Options {
						if o.Value == v {
							a.SelectedOptions = append(a.SelectedOptions, *o)
						}
					}
				}
			}
		case *slack.DatePickerBlockElement:
			actionID = e.ActionID
			a.SelectedDate = e.InitialDate
			if given {
				a.SelectedDate = ans.(string)
			}
		case *slack.CheckboxGroupsBlockElement:
			actionID = e.ActionID
			if given && ans.(bool) {
				a.SelectedOptions = []slack.OptionBlockObject{*e.Options[0]}
			}
		default:
			t.Fatalf("block %s: element %T not handled", in.BlockID, e)
		}
		values[in.BlockID] = map[string]slack.BlockAction{actionID: a}
	}
	return values
}

func requestAnswers() map[string]any {
	return map[string]any{
		briefbot.FieldTitle:          "关于张某涉黑案公开审理的请示",
		briefbot.FieldRequestedItem:  "拟对张某涉黑案依法公开开庭审理",
		briefbot.FieldReasons:        "该案社会关注度高",
		briefbot.FieldRecommendation: "建议公开审理",
		briefbot.FieldAddressee:      "party",
		briefbot.FieldUnclassified:   true,
	}
}

// submitForm opens the intake modal for kind as who and submits answers.
func (f *fixture) submitForm(t *testing.T, who briefbot.MemberID, kind string, viewID string, answers map[string]any) bot.SubmissionResult {
	t.Helper()
	r := f.bot.Command(ctx, bot.CommandInput{User: as(who), Text: "new " + kind, CanOpenModal: true})
	if r.Modal == nil {
		t.Fatalf("new %s opened no modal: %+v", kind, r.Message)
	}
	if err := blockkit.ValidateView(*r.Modal); err != nil {
		t.Fatalf("intake modal breaks Block Kit limits: %v", err)
	}
	return f.bot.Submit(ctx, bot.Submission{User: as(who), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata,
		ViewID: viewID, Values: fill(t, *r.Modal, answers)})
}

func (f *fixture) count(t *testing.T) int {
	t.Helper()
	p, err := f.store.List(ctx, briefbot.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Matters)
}

// text flattens a message for assertions: its fallback text and every block's JSON.
func text(m blockkit.Message) string {
	var b strings.Builder
	b.WriteString(m.Text)
	for _, blk := range m.Blocks {
		fmt.Fprintf(&b, "\n%s", blockText(blk))
	}
	return b.String()
}

func blockText(b any) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	enc.Encode(b)
	return sb.String()
}

func blockTexts[T any](bs []T) string {
	var parts []string
	for _, b := range bs {
		parts = append(parts, blockText(b))
	}
	return strings.Join(parts, "\n")
}

// steps is the Change that applies steps in order, unchecked by the rules: for setting
// up a matter's past.
func steps(ss ...briefbot.Step) briefbot.Change {
	return func(m *briefbot.Matter) (*briefbot.Matter, []*briefbot.Dispatch, error) {
		for _, s := range ss {
			if err := m.Apply(s); err != nil {
				return nil, nil, err
			}
		}
		return m, nil, nil
	}
}

// newBot is another bot on the fixture's ledger and rules, with opts.
func (f *fixture) newBot(opts bot.Options) *bot.Bot {
	opts.Now = func() time.Time { return f.now }
	return bot.New(f.store, func() *briefbot.Rules { return f.rules }, f.producer, opts)
}

// render returns every part of d as the deliverer would post it.
func (f *fixture) render(t testing.TB, d *briefbot.Dispatch) []briefbot.Part {
	t.Helper()
	r := &notices.Renderer{Matters: f.store, Rules: func() *briefbot.Rules { return f.rules }, Now: func() time.Time { return f.now }}
	var out []briefbot.Part
	for i := range d.Parts {
		p, err := r.Render(ctx, d, i)
		if err != nil {
			t.Fatalf("render part %d of dispatch %d: %v", i, d.ID, err)
		}
		out = append(out, p)
	}
	return out
}

// botOn is a bot on s with rules and opts, at 2026-03-02 10:00 unless opts says otherwise.
func botOn(s *store.Store, rules *briefbot.Rules, opts bot.Options) *bot.Bot {
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai) }
	}
	get := func() *briefbot.Rules { return rules }
	return bot.New(s, get, &notices.Producer{Ledger: s, Rules: get, Now: opts.Now}, opts)
}

// consoleOn is a console session over script on b, printing to out; what the bot says
// on its own is delivered after each line, as in use.
func consoleOn(s *store.Store, b *bot.Bot, script string, out io.Writer, as briefbot.MemberID) *console.Console {
	p := console.NewPrinter(out, b.Rules)
	d := &delivery.Deliverer{Store: s, Sender: p, Renderer: &notices.Renderer{Matters: s, Rules: b.Rules}, Rules: b.Rules}
	return console.New(strings.NewReader(script), p, as, b, d.DeliverAll)
}
