package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

var ctx = context.Background()

var shanghai = briefbot.DefaultLocation()

// testDirectory is a small court: two committees, two departments.
func testDirectory() *bot.Directory {
	return &bot.Directory{
		Org: briefbot.Org{
			Name: "某市中级人民法院",
			Committees: []briefbot.Committee{
				{ID: "party", Name: "党组", NameEN: "Party Group", Leaders: []briefbot.MemberID{"zhao"}, Clerks: []briefbot.MemberID{"qian"}},
				{ID: "pl", Name: "市委政法委", NameEN: "Political-Legal Commission", Leaders: []briefbot.MemberID{"sun"}, Clerks: []briefbot.MemberID{"li"}},
			},
			Departments: []briefbot.Department{
				{ID: "criminal", Name: "刑事审判庭", Principal: "zhou", Heads: []briefbot.MemberID{"wu"}, Members: []briefbot.MemberID{"chen"}},
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
		Intake: briefbot.DefaultIntakeRules(),
	}
}

// posts records what the bot sends on its own: what it posts at once (Poster) and,
// when store is set, what it put in the outbox for members (receipts, notices).
type posts struct {
	mu    sync.Mutex
	msgs  []post
	store *store.Store
}

type post struct {
	to  briefbot.MemberID
	msg bot.Message
}

func (p *posts) PostDM(_ context.Context, m *briefbot.Member, msg bot.Message) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msgs = append(p.msgs, post{m.ID, msg})
	return fmt.Sprint("ts", len(p.msgs)), nil
}

func (p *posts) all() []post {
	var out []post
	if p.store != nil {
		open, _ := p.store.OpenDispatches()
		for _, d := range open {
			if d.Kind != briefbot.DispatchReceipt && d.Kind != briefbot.DispatchNotice {
				continue
			}
			for _, part := range d.Parts {
				var bs slack.Blocks
				json.Unmarshal(part.Blocks, &bs)
				out = append(out, post{briefbot.MemberID(strings.TrimPrefix(part.Channel, "@")), bot.Message{Text: part.Text, Blocks: bs.BlockSet}})
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return append(out, p.msgs...)
}

type fixture struct {
	bot   *bot.Bot
	store *store.Store
	posts *posts
	now   time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	s, err := store.Open(filepath.Join(t.TempDir(), "briefbot.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if ps, err := s.Check(); err != nil || len(ps) > 0 {
			t.Errorf("consistency check: %v %v", err, ps)
		}
		s.Close()
	})
	p := &posts{store: s}
	b := bot.New(testDirectory(), s, p, bot.Options{Now: func() time.Time { return now }})
	return &fixture{bot: b, store: s, posts: p, now: now}
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
	if err := bot.ValidateView(*r.Modal); err != nil {
		t.Fatalf("intake modal breaks Block Kit limits: %v", err)
	}
	return f.bot.Submit(ctx, bot.Submission{User: as(who), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata,
		ViewID: viewID, Values: fill(t, *r.Modal, answers)})
}

func (f *fixture) count(t *testing.T) int {
	t.Helper()
	p, err := f.store.List(store.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Matters)
}

// text flattens a message for assertions: its fallback text and every block's JSON.
func text(m bot.Message) string {
	var b strings.Builder
	b.WriteString(m.Text)
	for _, blk := range m.Blocks {
		fmt.Fprintf(&b, "\n%s", blockText(blk))
	}
	return b.String()
}

func blockText(b slack.Block) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	enc.Encode(b)
	return sb.String()
}

func blockTexts(bs []slack.Block) string {
	var parts []string
	for _, b := range bs {
		parts = append(parts, blockText(b))
	}
	return strings.Join(parts, "\n")
}
