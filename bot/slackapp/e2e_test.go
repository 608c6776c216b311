package slackapp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/store"
)

const secret = "test-signing-secret"

func rules() *briefbot.Rules {
	return &briefbot.Rules{
		Org: briefbot.Org{
			Name: "某市中级人民法院",
			Committees: []briefbot.Committee{
				{ID: "party", Name: "党组", Leaders: []briefbot.MemberID{"zhao"}, Clerks: []briefbot.MemberID{"qian"}, Channel: "CPARTY"},
				{ID: "pl", Name: "市委政法委", Leaders: []briefbot.MemberID{"sun"}, Clerks: []briefbot.MemberID{"li"}, Channel: "CPL"},
			},
			Departments: []briefbot.Department{
				{ID: "criminal", Name: "刑事审判庭", Principal: "zhou", Heads: []briefbot.MemberID{"wu"}, Delegates: []briefbot.Delegation{{Member: "wu"}} /* 授权签发: wu signs off his own submissions */},
				{ID: "civil", Name: "民事审判庭", Principal: "zheng"},
			},
			Members: []briefbot.Member{
				{ID: "zhao", Name: "赵书记", SlackID: "UZHAO"}, {ID: "qian", Name: "钱主任", SlackID: "UQIAN"},
				{ID: "sun", Name: "孙书记", SlackID: "USUN"}, {ID: "li", Name: "李主任", SlackID: "ULI"},
				{ID: "zhou", Name: "周庭长", SlackID: "UZHOU"}, {ID: "wu", Name: "吴副庭长", SlackID: "UWU"},
				{ID: "zheng", Name: "郑庭长", SlackID: "UZHENG"},
			},
		},
		Intake:        briefbot.DefaultIntakeRules(),
		FollowThrough: briefbot.DefaultFollowThrough(),
	}
}

// harness is the whole bot wired to a fake Slack: the real slack-go client, a real
// store file, and (for HTTP mode) the real handler behind a real HTTP server.
type harness struct {
	slack *slacktest.Server
	store *store.Store
	app   *slackapp.App
	api   *slack.Client
	url   string // the bot's request URL

	rules    func() *briefbot.Rules
	producer *notices.Producer
	close    func() // stops this bot process and closes its ledger
}

func newHarness(t testing.TB) *harness { return newHarnessWith(t, true) }

// newHarnessWith makes the harness; with deliver, a deliverer runs in the background as
// in the serving bot (tests that drive a deliverer themselves run without: two
// deliverers on one ledger would race to post the same part).
func newHarnessWith(t testing.TB, deliver bool) *harness {
	t.Helper()
	return newHarnessOn(t, slacktest.New(t), filepath.Join(t.TempDir(), "briefbot.db"), deliver)
}

// newHarnessOn is a bot process on the ledger file at path, talking to fs: several in
// turn on one file and one Slack are one bot restarted between steps. close stops it
// (the test's end does too).
func newHarnessOn(t testing.TB, fs *slacktest.Server, path string, deliver bool) *harness {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api := slack.New(slacktest.BotToken, slack.OptionAPIURL(fs.APIURL()), slack.OptionAppLevelToken(slacktest.AppToken))
	var w io.Writer = testWriter{t}
	if _, fuzzing := t.(*testing.F); fuzzing { // a fuzz target may not log through f
		w = io.Discard
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r := rules()
	get := func() *briefbot.Rules { return r }
	producer := &notices.Producer{Ledger: st, Rules: get, Log: log}
	app := slackapp.New(api, bot.New(st, get, producer, bot.Options{Logger: log}), slackapp.Options{Logger: log})
	deliverer := &delivery.Deliverer{Store: st, Sender: app, Renderer: &notices.Renderer{Matters: st, Rules: get}, Rules: get, Log: log}
	dctx, stopDeliverer := context.WithCancel(context.Background())
	delivered := make(chan struct{})
	go func() {
		if deliver {
			deliverer.Run(dctx)
		}
		close(delivered)
	}()
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /slack/events", app.Handler(secret))
	srv := httptest.NewServer(mux)
	var once sync.Once
	stop := func() {
		once.Do(func() {
			stopDeliverer()
			<-delivered
			srv.Close()
			app.Close()
			if ps, err := st.Check(); err != nil || len(ps) > 0 {
				t.Errorf("consistency check: %v %v", err, ps)
			}
			st.Close()
		})
	}
	t.Cleanup(stop)
	return &harness{slack: fs, store: st, app: app, api: api, url: srv.URL + "/slack/events", rules: get, producer: producer, close: stop}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (h *harness) matters(t *testing.T) int {
	p, err := h.store.List(context.Background(), briefbot.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Matters)
}

func goodRequest() slacktest.Values {
	return slacktest.Values{
		"title":          {"title": "关于张某涉黑案公开审理的请示"},
		"requested_item": {"requested_item": "拟对张某涉黑案依法公开开庭审理"},
		"reasons":        {"reasons": "该案社会关注度高"},
		"recommendation": {"recommendation": "建议公开审理"},
		"addressee":      {"addressee": "party"},
		"unclassified":   {"unclassified": []string{"yes"}},
	}
}

// openIntake runs `/matter new` as user and returns the modal Slack was asked to open.
func (h *harness) openIntake(t testing.TB, user string) slacktest.View {
	t.Helper()
	before := len(h.slack.Calls("views.open"))
	resp, _ := h.slack.PostSlash(t, h.url, secret, user, "D"+user, "new")
	if resp.StatusCode != 200 {
		t.Fatalf("slash new: HTTP %d", resp.StatusCode)
	}
	calls := h.slack.WaitFor(t, "views.open", before+1, 5*time.Second)
	id := calls[len(calls)-1]
	for vid, v := range h.slack.Views() {
		if v.Method == "views.open" && v.TriggerID == id.JSON["trigger_id"] {
			_ = vid
			return v
		}
	}
	t.Fatalf("no view stored for the views.open call")
	return slacktest.View{}
}

func TestHTTP_SubmitARequestThroughTheModal(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UWU")

	// A bad submission is refused inline, on the right block, and stores nothing.
	bad := goodRequest()
	delete(bad, "reasons")
	bad["body"] = map[string]any{"body": "机密★ XYZZYSECRET"}
	resp, body := h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, bad))
	var ack struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(body, &ack); err != nil || resp.StatusCode != 200 || ack.Action != "errors" || ack.Errors["body"] == "" {
		t.Fatalf("bad submission: HTTP %d %s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "XYZZY") {
		t.Fatalf("the refusal echoes classified text: %s", body)
	}
	if h.matters(t) != 0 {
		t.Fatalf("a refused submission was stored")
	}

	// The corrected submission is stored, then acknowledged (the modal closes) and the receipt DMed.
	payload := h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest())
	for i := range 2 { // Slack retrying the same submission stores it once
		resp, body = h.slack.PostInteraction(t, h.url, secret, payload)
		if resp.StatusCode != 200 || len(strings.TrimSpace(string(body))) != 0 {
			t.Fatalf("submission %d: HTTP %d %q; want an empty 200 that closes the modal", i, resp.StatusCode, body)
		}
	}
	if h.matters(t) != 1 {
		t.Fatalf("%d matters after a retried submission; want 1", h.matters(t))
	}
	m, err := h.store.Lookup(context.Background(), "QS-2026-0001")
	if err != nil || m.Submitter != "wu" || m.Signatory != "wu" || !m.Delegated { // 授权签发: wu is a delegate in this org
		t.Fatalf("stored = %+v, %v", m, err)
	}
	h.slack.WaitFor(t, "chat.postMessage", 1, 5*time.Second)
	time.Sleep(100 * time.Millisecond) // time for a second message, if one were (wrongly) sent
	posts := h.slack.Posts()
	if len(posts) != 1 || posts[0].Channel != "DUWU" || !strings.Contains(posts[0].Text, "QS-2026-0001") {
		t.Fatalf("want one receipt, whatever Slack repeats: %+v", posts)
	}
}

func TestHTTP_KindSwitchUpdatesTheModal(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UZHENG")
	p := h.slack.ViewBlockActionsPayload(t, "UZHENG", view.ID, "kind_switch", "intake_kind", "report", nil)
	if resp, _ := h.slack.PostInteraction(t, h.url, secret, p); resp.StatusCode != 200 {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	calls := h.slack.WaitFor(t, "views.update", 1, 5*time.Second)
	if calls[0].JSON["view_id"] != view.ID {
		t.Fatalf("views.update of %v; want %s", calls[0].JSON["view_id"], view.ID)
	}
	v, _ := h.slack.View(view.ID)
	if !strings.Contains(string(v.Blocks), `"report_type"`) {
		t.Fatalf("updated view has no report type: %s", v.Blocks)
	}
}

func TestHTTP_StatusListAndHelpAnswerInTheAck(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UWU")
	h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest()))
	for _, tc := range []struct{ user, text, want string }{
		{"UWU", "status qs-2026-1", "关于张某涉黑案公开审理的请示"},
		{"UQIAN", "list awaiting", "QS-2026-0001"},
		{"UWU", "help", "/matter status"},
		{"UZHENG", "status QS-2026-0001", "没有找到事项 QS-2026-0001"}, // may not see it
		{"UNOBODY", "list", "联系管理员"},
	} {
		resp, body := h.slack.PostSlash(t, h.url, secret, tc.user, "C1", tc.text)
		if resp.StatusCode != 200 || !strings.Contains(string(body), tc.want) || !strings.Contains(string(body), `"response_type":"ephemeral"`) {
			t.Fatalf("%s %q: HTTP %d %s", tc.user, tc.text, resp.StatusCode, body)
		}
	}
}

func TestHTTP_RefusesForgedStaleAndUnsignedRequests(t *testing.T) {
	h := newHarness(t)
	body := slacktest.FormBody(h.slack.SlashCommandPayload("UWU", "C1", "/matter", "new"))
	now := time.Now()
	ts, sig := slacktest.Sign(secret, now, body)
	staleTS, staleSig := slacktest.Sign(secret, now.Add(-6*time.Minute), body)
	futureTS, futureSig := slacktest.Sign(secret, now.Add(6*time.Minute), body)
	_, wrongSig := slacktest.Sign("another-secret", now, body)
	for _, tc := range []struct{ name, ts, sig string }{
		{"Forged", ts, wrongSig},
		{"Tampered", ts, sig[:len(sig)-2] + "00"},
		{"Stale", staleTS, staleSig},
		{"Future", futureTS, futureSig},
		{"Unsigned", "", ""},
		{"NoPrefix", ts, strings.TrimPrefix(sig, "v0=")},
	} {
		resp, _ := slacktest.PostSigned(t, h.url, slacktest.ContentTypeForm, body, tc.ts, tc.sig, nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: HTTP %d; want 401", tc.name, resp.StatusCode)
		}
	}
	if n := len(h.slack.Calls("")); n != 1 { // auth.test at start only
		t.Fatalf("refused requests reached Slack: %d calls", n)
	}
	if resp, _ := slacktest.PostSigned(t, h.url, slacktest.ContentTypeForm, body, ts, sig, nil); resp.StatusCode != 200 {
		t.Fatalf("the properly signed request: HTTP %d", resp.StatusCode)
	}
}

func TestHTTP_URLVerification(t *testing.T) {
	h := newHarness(t)
	resp, body := h.slack.PostEvent(t, h.url, secret, map[string]any{"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}, 0)
	if resp.StatusCode != 200 || string(body) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("url_verification: HTTP %d %q", resp.StatusCode, body)
	}
}

func TestHTTP_DirectMessagesOnceIgnoringOwnEchoes(t *testing.T) {
	h := newHarness(t)
	ev := slacktest.EventPayload("Ev001", slacktest.MessageEvent("UWU", "DUWU", "help"))
	for retry := range 3 {
		if resp, _ := h.slack.PostEvent(t, h.url, secret, ev, retry); resp.StatusCode != 200 {
			t.Fatalf("HTTP %d", resp.StatusCode)
		}
	}
	h.slack.WaitFor(t, "chat.postMessage", 1, 5*time.Second)
	reply := h.slack.Posts()[0]
	if reply.Channel != "DUWU" || !strings.Contains(reply.Text, "重大事项请示报告机器人") {
		t.Fatalf("reply = %+v", reply)
	}
	// The bot's own reply echoed back, and an edit, are not new input.
	h.slack.PostEvent(t, h.url, secret, slacktest.EventPayload("Ev002", slacktest.BotEchoEvent(reply)), 0)
	h.slack.PostEvent(t, h.url, secret, slacktest.EventPayload("Ev003", map[string]any{
		"type": "message", "subtype": "message_changed", "channel": "DUWU", "channel_type": "im", "hidden": true,
		"ts": "1700000001.000800", "event_ts": "1700000001.000800",
		"message": map[string]any{"type": "message", "text": "help", "user": "UWU", "ts": "1700000000.000200"},
	}), 0)
	// A later DM is answered: the handler is still alive and the count is exact.
	h.slack.PostEvent(t, h.url, secret, slacktest.EventPayload("Ev004", slacktest.MessageEvent("UWU", "DUWU", "list mine")), 0)
	h.slack.WaitFor(t, "chat.postMessage", 2, 5*time.Second)
	time.Sleep(100 * time.Millisecond) // let any wrongly triggered reply arrive before counting
	if n := len(h.slack.Posts()); n != 2 {
		t.Fatalf("%d replies; want 2 (retries, echoes and edits answered nothing)", n)
	}
}

func TestHTTP_AppHome(t *testing.T) {
	h := newHarness(t)
	h.slack.PostEvent(t, h.url, secret, slacktest.EventPayload("Ev010", h.slack.AppHomeOpenedEvent("UQIAN", "home")), 0)
	h.slack.WaitFor(t, "views.publish", 1, 5*time.Second)
	v, ok := h.slack.HomeView("UQIAN")
	if !ok || !strings.Contains(string(v.Blocks), "党组 待处理的事项") {
		t.Fatalf("home = %s", v.Blocks)
	}
}

func TestSocketMode_AcksAndReconnects(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := socketmode.New(h.api)
	done := make(chan error, 1)
	go func() { done <- h.app.RunSocketMode(ctx, client) }()
	h.slack.WaitConnected(t, 1, 5*time.Second)

	// A slash command opening the form: acked (empty), then views.open.
	id := h.slack.SendEnvelope(t, "slash_commands", h.slack.SlashCommandPayload("UWU", "DUWU", "/matter", "new"))
	if ack := h.slack.WaitAck(t, id, 3*time.Second); ack.Payload != nil && string(ack.Payload) != "null" {
		t.Fatalf("ack of new = %s", ack.Payload)
	}
	calls := h.slack.WaitFor(t, "views.open", 1, 5*time.Second)
	var view slacktest.View
	for _, v := range h.slack.Views() {
		if v.TriggerID == calls[0].JSON["trigger_id"] {
			view = v
		}
	}
	// A refused submission: the errors travel in the ack.
	bad := goodRequest()
	delete(bad, "title")
	id = h.slack.SendEnvelope(t, "interactive", h.slack.ViewSubmissionPayload(t, "UWU", view.ID, bad))
	if ack := h.slack.WaitAck(t, id, 3*time.Second); !strings.Contains(string(ack.Payload), `"response_action":"errors"`) || !strings.Contains(string(ack.Payload), `"title"`) {
		t.Fatalf("ack of a bad submission = %s", ack.Payload)
	}
	id = h.slack.SendEnvelope(t, "interactive", h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest()))
	h.slack.WaitAck(t, id, 3*time.Second)
	if _, err := h.store.Lookup(context.Background(), "QS-2026-0001"); err != nil {
		t.Fatalf("not stored when acked: %v", err)
	}

	// The connection drops: the client reconnects and carries on.
	h.slack.DropSocket()
	h.slack.WaitConnected(t, 1, 10*time.Second)
	if n := h.slack.Connections(); n < 2 {
		t.Fatalf("apps.connections.open called %d times; want a reconnect", n)
	}
	id = h.slack.SendEnvelope(t, "slash_commands", h.slack.SlashCommandPayload("UWU", "DUWU", "/matter", "status QS-2026-0001"))
	if ack := h.slack.WaitAck(t, id, 3*time.Second); !strings.Contains(string(ack.Payload), "QS-2026-0001") {
		t.Fatalf("status after reconnect: ack = %s", ack.Payload)
	}
	// A DM event: acked without payload, answered by chat.postMessage; its redelivery is ignored.
	ev := slacktest.EventPayload("EvS1", slacktest.MessageEvent("UWU", "DUWU", "help"))
	for range 2 {
		h.slack.WaitAck(t, h.slack.SendEnvelope(t, "events_api", ev), 3*time.Second)
	}
	h.slack.WaitFor(t, "chat.postMessage", 2, 5*time.Second) // the receipt, then the reply
	time.Sleep(100 * time.Millisecond)
	if n := len(h.slack.Posts()); n != 2 {
		t.Fatalf("%d posts; want the receipt and one reply", n)
	}
	for _, a := range h.slack.Acks() {
		if a.At.IsZero() {
			t.Fatalf("ack without time")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("RunSocketMode did not stop")
	}
	_ = fmt.Sprint()
}

func TestHTTP_UrgentMatterEscalatesAtOnce(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UWU")
	v := goodRequest()
	v["urgency"] = map[string]any{"urgency": "extra_urgent"}
	if resp, body := h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, v)); resp.StatusCode != 200 || len(body) != 0 {
		t.Fatalf("HTTP %d %s", resp.StatusCode, body)
	}
	h.slack.WaitFor(t, "chat.postMessage", 3, 5*time.Second) // receipt, channel, leader
	var channel, leader bool
	for _, p := range h.slack.Posts() {
		switch {
		case p.Channel == "CPARTY" && strings.Contains(p.Text, "【特急】QS-2026-0001"):
			channel = true
		case p.Channel == "DUZHAO" && strings.Contains(p.Text, "QS-2026-0001"):
			leader = true
		}
	}
	if !channel || !leader {
		t.Fatalf("escalation missing (channel %v, leader %v): %+v", channel, leader, h.slack.Posts())
	}
	// An ordinary one is not escalated.
	view = h.openIntake(t, "UWU")
	h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest()))
	h.slack.WaitFor(t, "chat.postMessage", 4, 5*time.Second)
	time.Sleep(100 * time.Millisecond)
	if n := len(h.slack.Posts()); n != 4 {
		t.Fatalf("%d posts; an ordinary matter must only get its receipt", n)
	}
}

// TestHTTP_LeaderReadsFromTheBriefing: a clerk compiles a briefing, it reaches the
// committee's channel, and the leader's 圈阅 click on an item is recorded and answered.
func TestHTTP_LeaderReadsFromTheBriefing(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UWU")
	h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest()))
	if _, body := h.slack.PostSlash(t, h.url, secret, "UQIAN", "C1", "brief party now"); !strings.Contains(string(body), "第1期") {
		t.Fatalf("brief now = %s", body)
	}
	var briefing slacktest.Message
	deadline := time.Now().Add(5 * time.Second)
	for briefing.TS == "" && time.Now().Before(deadline) {
		for _, p := range h.slack.Posts() {
			if p.Channel == "CPARTY" {
				briefing = p
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	var blocks []struct {
		Type     string `json:"type"`
		BlockID  string `json:"block_id"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(briefing.Blocks, &blocks); err != nil {
		t.Fatalf("briefing blocks: %v", err)
	}
	blockID := ""
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID == "read" && e.Value == "QS-2026-0001" {
				blockID = b.BlockID
			}
		}
	}
	if blockID == "" {
		t.Fatalf("no 圈阅 button for QS-2026-0001 in the briefing: %s", briefing.Blocks)
	}
	resp, _ := h.slack.PostInteraction(t, h.url, secret, h.slack.BlockActionsPayload(t, "UZHAO", briefing, blockID, "read", nil))
	if resp.StatusCode != 200 {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	h.slack.WaitFor(t, slacktest.MethodResponseURL, 1, 5*time.Second)
	if r := h.slack.Responses(); !strings.Contains(r[len(r)-1].Text, "已圈阅 QS-2026-0001") {
		t.Fatalf("reply = %+v", r[len(r)-1])
	}
	m, _ := h.store.Lookup(context.Background(), "QS-2026-0001")
	if m.Status != briefbot.StatusRead || m.Instructions[0].Leader != "zhao" {
		t.Fatalf("matter = %s %+v", m.Status, m.Instructions)
	}
}

// TestHTTP_LeaderInstructsByThreadReply: "批示：…" replied in a briefing's thread is the
// leader's instruction on that item; others' replies, and chat, record nothing.
func TestHTTP_LeaderInstructsByThreadReply(t *testing.T) {
	h := newHarness(t)
	view := h.openIntake(t, "UWU")
	h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, goodRequest()))
	h.slack.PostSlash(t, h.url, secret, "UQIAN", "C1", "brief party now")
	var parent string
	deadline := time.Now().Add(5 * time.Second)
	for parent == "" && time.Now().Before(deadline) {
		for _, p := range h.slack.Posts() {
			if p.Channel == "CPARTY" && p.ThreadTS == "" {
				parent = p.TS
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	reply := func(eventID, user, text string) {
		ev := slacktest.MessageEvent(user, "CPARTY", text)
		ev["channel_type"], ev["thread_ts"] = "channel", parent
		h.slack.PostEvent(t, h.url, secret, slacktest.EventPayload(eventID, ev), 0)
	}
	reply("EvT1", "UWU", "收到，谢谢")           // chat: ignored
	reply("EvT2", "UWU", "批示：我来批一下")        // not a leader: refused
	reply("EvT3", "UZHAO", "批示：同意，依法公开审理。") // the leader
	reply("EvT3", "UZHAO", "批示：同意，依法公开审理。") // Slack's retry of the same event
	h.slack.WaitFor(t, "chat.postEphemeral", 2, 5*time.Second)
	m, _ := h.store.Lookup(context.Background(), "QS-2026-0001")
	if m.Status != briefbot.StatusInstructed || len(m.Instructions) != 1 || m.Instructions[0].Leader != "zhao" || m.Instructions[0].Text != "同意，依法公开审理。" {
		t.Fatalf("matter = %s %+v", m.Status, m.Instructions)
	}
	eph := h.slack.Ephemerals()
	if len(eph) != 2 || eph[0].User != "UWU" || !strings.Contains(eph[0].Text, "只有领导") || eph[1].User != "UZHAO" || !strings.Contains(eph[1].Text, "已记录") {
		t.Fatalf("ephemerals = %+v", eph)
	}
}
