package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/store"
)

// Slack ids of the built-in example organisation the load tool acts as.
const (
	principalSlack = "U0AAAA005" // 周庭长, principal of the criminal division: signs what he submits
	leaderSlack    = "U0AAAA001" // 赵书记, leader of the party group: 批示
)

// shadow is a second bot, in this process, talking to the Slack stand-in
// (internal/slacktest) over HTTP: the forms the load tool fills are the views this bot
// opened with views.open, as the stand-in completed and stored them, and the payloads
// are the stand-in's copies of what Slack posts. It runs on its own ledger, fed the
// same submissions as the bot under load, so that a 批示 or 反馈 form names a matter
// both ledgers hold under the same number.
type shadow struct {
	slack   *slacktest.Server
	handler http.Handler
	app     *slackapp.App
	st      *store.Store
	dir     string
	tb      *standIn
	seen    int // the number of the last view found opened (opened)
}

// newShadow starts the shadow bot on a fresh ledger with the org config at path ("":
// the built-in example, as the bot under load uses by default).
func newShadow(configPath string) (*shadow, error) {
	cfg := config.Example()
	if configPath != "" {
		var err error
		if cfg, err = config.Load(configPath); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "briefbot-load-shadow-")
	if err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(dir, "shadow.db"), store.Options{NoSync: true, Location: cfg.Rules.Loc()})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	tb := &standIn{}
	fs := slacktest.New(tb)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	rules := func() *briefbot.Rules { return &cfg.Rules }
	b := bot.New(st, rules, nil, bot.Options{Logger: log, Command: cfg.Command})
	app := slackapp.Connect(slackapp.Config{BotToken: slacktest.BotToken, APIURL: fs.APIURL(), SigningSecret: "shadow"}, b,
		slackapp.Options{Logger: log, Limits: &slackapp.Limits{}}) // the stand-in has no rate limits: open a form per request at once
	if err := app.Start(context.Background()); err != nil {
		tb.cleanup()
		st.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	return &shadow{slack: fs, handler: app.Handler("shadow"), app: app, st: st, dir: dir, tb: tb}, nil
}

func (s *shadow) Close() {
	s.app.Close()
	s.tb.cleanup()
	s.st.Close()
	os.RemoveAll(s.dir)
}

// post hands a signed form body to the shadow bot and returns its answer.
func (s *shadow) post(body []byte) (int, []byte) {
	req := slacktest.NewSignedRequest("http://shadow/slack/events", "shadow", "application/x-www-form-urlencoded", body, time.Now())
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// interact posts an interactivity payload to the shadow bot; it must be accepted
// without a reply (a form closed, a button handled).
func (s *shadow) interact(p map[string]any) error {
	body, err := slacktest.InteractionBody(p)
	if err != nil {
		return err
	}
	if code, ack := s.post(body); code != 200 || len(ack) != 0 {
		return fmt.Errorf("the shadow bot answered HTTP %d %s", code, ack)
	}
	return nil
}

// opened waits for the view the shadow bot opens with trigger. The stand-in numbers
// views V1, V2, …: the views after the last one found are looked at one by one (a
// look at all of them, which copies each, is the fallback, every 100 ms).
func (s *shadow) opened(trigger string) (slacktest.View, error) {
	for i, end := 0, time.Now().Add(10*time.Second); time.Now().Before(end); i++ {
		for id := s.seen + 1; ; id++ {
			v, ok := s.slack.View(fmt.Sprintf("V%d", id))
			if !ok {
				break
			}
			if v.Method == "views.open" && v.TriggerID == trigger {
				s.seen = id
				return v, nil
			}
		}
		if i%50 == 49 {
			for _, v := range s.slack.Views() {
				if v.Method == "views.open" && v.TriggerID == trigger {
					return v, nil
				}
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return slacktest.View{}, errors.New("the shadow bot opened no form")
}

// intakeForm opens the intake form as user (`/matter new`) and returns its view.
func (s *shadow) intakeForm(user string) (slacktest.View, error) {
	p := s.slack.SlashCommandPayload(user, "D"+user, "/matter", "new")
	if code, ack := s.post(slacktest.FormBody(p)); code != 200 {
		return slacktest.View{}, fmt.Errorf("/matter new: HTTP %d %s", code, ack)
	}
	return s.opened(p["trigger_id"].(string))
}

// buttonForm clicks the button actionID (value number) as user and returns the form
// it opens (批示, 反馈).
func (s *shadow) buttonForm(user, actionID, number string) (slacktest.View, error) {
	blocks, _ := json.Marshal([]any{map[string]any{"type": "actions", "block_id": "b1", "elements": []any{
		map[string]any{"type": "button", "action_id": actionID, "value": number, "text": map[string]any{"type": "plain_text", "text": actionID}}}}})
	msg := slacktest.Message{Channel: "D" + user, TS: "1700000000.000100", Blocks: blocks, Text: number}
	p := s.slack.BlockActionsPayload(s.tb, user, msg, "b1", actionID, nil)
	if err := s.interact(p); err != nil {
		return slacktest.View{}, err
	}
	return s.opened(p["trigger_id"].(string))
}

// submission is view submitted by user with values, as Slack posts it; the view gets
// the id (prefix and n) and hash of request n's own copy of the form (each user's form
// is its own view, and the bot takes a view id as a delivery key), and the submission
// a trigger of its own.
func (s *shadow) submission(user string, view slacktest.View, values slacktest.Values, prefix string, n int) map[string]any {
	p := s.slack.ViewSubmissionPayload(s.tb, user, view.ID, values)
	v := p["view"].(map[string]any)
	id := fmt.Sprintf("%s%07d", prefix, n)
	v["id"], v["root_view_id"], v["hash"] = id, id, fmt.Sprintf("%d.load%07d", time.Now().Unix(), n)
	p["trigger_id"] = fmt.Sprintf("%d.738474920.load%07d", 13345224609+n, n)
	return p
}

// standIn is the testing.TB the Slack stand-in wants, outside a test: a failure
// there is a bug in the load tool, so it panics.
type standIn struct {
	testing.TB
	cleanups []func()
}

func (t *standIn) Helper()          {}
func (t *standIn) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }
func (t *standIn) Fatalf(format string, a ...any) {
	panic("slack stand-in: " + fmt.Sprintf(format, a...))
}
func (t *standIn) Errorf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "slack stand-in: "+format+"\n", a...)
}
func (t *standIn) Logf(format string, a ...any) {}

func (t *standIn) cleanup() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// title is request n's title: every matter its own, so the crash suite can count.
func title(n int) string { return fmt.Sprintf("关于第%d号案件审理有关问题的请示", n) }

// intakeValues fills the intake form for request n: a request (the form's default
// kind) with its three parts, to the committee addressee, declared unclassified; the
// rest (department, decision, urgency) as the form offers them.
func intakeValues(n int, addressee string) slacktest.Values {
	return slacktest.Values{
		briefbot.FieldTitle:          {briefbot.FieldTitle: title(n)},
		briefbot.FieldRequestedItem:  {briefbot.FieldRequestedItem: "拟对该案依法公开开庭审理"},
		briefbot.FieldReasons:        {briefbot.FieldReasons: "该案社会关注度高，公开审理有利于释法说理"},
		briefbot.FieldRecommendation: {briefbot.FieldRecommendation: "建议公开开庭审理"},
		briefbot.FieldAddressee:      {briefbot.FieldAddressee: addressee},
		briefbot.FieldUnclassified:   {briefbot.FieldUnclassified: []string{"yes"}},
	}
}

// instructValues fills the 批示 form: the instruction, referred to the submitting
// department, due in a fortnight.
func instructValues(dept string) slacktest.Values {
	due := time.Now().In(briefbot.DefaultLocation()).AddDate(0, 0, 14).Format("2006-01-02")
	return slacktest.Values{"instruction": {"instruction": "同意。请牵头办理，按期反馈。"}, "lead": {"lead": dept}, "deadline": {"deadline": due}}
}

// feedbackValues fills the 落实反馈 form.
func feedbackValues() slacktest.Values {
	return slacktest.Values{"text": {"text": "已召开专题会议研究落实，形成工作方案。"}}
}

// matters is how many matters the shadow's ledger holds.
func (s *shadow) matters() int {
	m, _ := s.count("")
	return m
}

// steps is how many steps action the shadow's ledger records.
func (s *shadow) steps(action briefbot.Action) int {
	_, n := s.count(action)
	return n
}

func (s *shadow) count(action briefbot.Action) (matters, steps int) {
	s.st.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool {
		matters++
		for _, e := range m.History {
			if e.Action == action {
				steps++
			}
		}
		return true
	})
	return matters, steps
}
