package slacktest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot/internal/slacktest"
)

func newClient(srv *slacktest.Server) *slack.Client {
	return slack.New(slacktest.BotToken, slack.OptionAPIURL(srv.APIURL()))
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func TestWebAPI(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithUsers(slacktest.User{ID: "U1", Name: "alice", RealName: "Alice", Email: "alice@example.test"}))
	api := newClient(srv)

	t.Run("AuthTest", func(t *testing.T) {
		r, err := api.AuthTest()
		if err != nil {
			t.Fatal(err)
		}
		if r.UserID != slacktest.BotUserID || r.BotID != slacktest.BotID || r.TeamID != slacktest.TeamID {
			t.Errorf("AuthTest = %+v", r)
		}
	})

	t.Run("PostMessage", func(t *testing.T) {
		button := slack.NewButtonBlockElement("approve", "req-42", slack.NewTextBlockObject(slack.PlainTextType, "Approve", false, false))
		ch, ts1, err := api.PostMessage("C1", slack.MsgOptionText("hi", false),
			slack.MsgOptionBlocks(section("*hello*"), slack.NewActionBlock("acts", button)))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ch, "C1"; got != want {
			t.Errorf("channel = %q; want %q", got, want)
		}
		_, ts2, err := api.PostMessage("C1", slack.MsgOptionText("reply", false), slack.MsgOptionTS(ts1))
		if err != nil {
			t.Fatal(err)
		}
		if sec, _, _ := strings.Cut(ts1, "."); ts2 <= ts1 || len(ts1) != 17 || sec < fmt.Sprint(time.Now().Add(-time.Minute).Unix()) {
			t.Errorf("ts = %q, %q; want the time of posting, unique and increasing", ts1, ts2)
		}
		posts := srv.Posts()
		if len(posts) != 2 {
			t.Fatalf("Posts() = %d messages; want 2", len(posts))
		}
		if p := posts[0]; p.Channel != "C1" || p.Text != "hi" || !strings.Contains(string(p.Blocks), `"action_id":"approve"`) || p.TS != ts1 {
			t.Errorf("Posts()[0] = %+v, blocks %s", p, p.Blocks)
		}
		if got, want := posts[1].ThreadTS, ts1; got != want {
			t.Errorf("ThreadTS = %q; want %q", got, want)
		}
		calls := srv.WaitFor(t, "chat.postMessage", 2, time.Second)
		if got := calls[0].Form.Get("token"); got != slacktest.BotToken {
			t.Errorf("form token = %q", got)
		}
		// A user id as channel lands in the user's DM, as on Slack.
		if ch, _, err := api.PostMessage("U1", slack.MsgOptionText("dm", false)); err != nil || ch != "DU1" {
			t.Errorf("PostMessage(U1) = %q, %v; want DU1", ch, err)
		}
	})

	t.Run("PostMessageWithResponse", func(t *testing.T) {
		_, _, m, err := api.PostMessageWithResponse("C1", slack.MsgOptionText("full", false))
		if err != nil {
			t.Fatal(err)
		}
		if m.User != slacktest.BotUserID || m.BotID != slacktest.BotID || m.Text != "full" {
			t.Errorf("message = %+v", m.Msg)
		}
	})

	t.Run("UpdateMessage", func(t *testing.T) {
		_, ts, err := api.PostMessage("C2", slack.MsgOptionText("v1", false))
		if err != nil {
			t.Fatal(err)
		}
		_, uts, text, err := api.UpdateMessage("C2", ts, slack.MsgOptionText("v2", false))
		if err != nil {
			t.Fatal(err)
		}
		if uts != ts || text != "v2" {
			t.Errorf("UpdateMessage = %q %q", uts, text)
		}
		if m, ok := srv.Message("C2", ts); !ok || m.Text != "v2" || m.Method != "chat.update" {
			t.Errorf("Message = %+v, %v", m, ok)
		}
		posts := srv.Posts()
		if last := posts[len(posts)-1]; last.Text != "v2" || last.TS != ts {
			t.Errorf("last post = %+v", last)
		}
		if _, _, _, err := api.UpdateMessage("C2", "1.2", slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
			t.Errorf("UpdateMessage(unknown ts) err = %v; want message_not_found", err)
		}
	})

	t.Run("PostEphemeral", func(t *testing.T) {
		ts, err := api.PostEphemeral("C1", "U1", slack.MsgOptionText("only you", false))
		if err != nil || ts == "" {
			t.Fatalf("PostEphemeral = %q, %v", ts, err)
		}
		e := srv.Ephemerals()
		if len(e) != 1 || e[0].User != "U1" || e[0].TS != ts || !e[0].Ephemeral {
			t.Errorf("Ephemerals() = %+v", e)
		}
	})

	t.Run("OpenConversation", func(t *testing.T) {
		ch, noOp, already, err := api.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U1"}})
		if err != nil {
			t.Fatal(err)
		}
		if ch.ID != "DU1" || noOp || already {
			t.Errorf("OpenConversation = %q %v %v", ch.ID, noOp, already)
		}
		_, _, already, err = api.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U1"}, ReturnIM: true})
		if err != nil || !already {
			t.Errorf("second OpenConversation already_open = %v, %v", already, err)
		}
		if _, _, _, err := api.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U404"}}); err == nil || err.Error() != "user_not_found" {
			t.Errorf("OpenConversation(unknown) err = %v", err)
		}
	})

	t.Run("UsersInfo", func(t *testing.T) {
		u, err := api.GetUserInfo("U1")
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "alice" || u.RealName != "Alice" || u.Profile.Email != "alice@example.test" || u.TZ != "Asia/Shanghai" || u.TZOffset != 28800 {
			t.Errorf("GetUserInfo = %+v", u)
		}
		if _, err := api.GetUserInfo("U404"); err == nil || err.Error() != "user_not_found" {
			t.Errorf("GetUserInfo(U404) err = %v", err)
		}
	})

	t.Run("Auth", func(t *testing.T) {
		bad := slack.New("xoxb-wrong", slack.OptionAPIURL(srv.APIURL()))
		if _, err := bad.AuthTest(); err == nil || err.Error() != "invalid_auth" {
			t.Errorf("AuthTest(bad token) err = %v; want invalid_auth", err)
		}
		calls := srv.Calls("auth.test")
		if last := calls[len(calls)-1]; last.OK() || last.Error != "invalid_auth" || last.Token != "xoxb-wrong" {
			t.Errorf("recorded call = %+v", last)
		}
		// The bot token may not open sockets; the app token may not post.
		if _, _, err := api.StartSocketModeContext(context.Background()); err == nil {
			t.Error("apps.connections.open with the bot token succeeded")
		}
		app := slack.New(slacktest.AppToken, slack.OptionAPIURL(srv.APIURL()))
		if _, _, err := app.PostMessage("C1", slack.MsgOptionText("x", false)); err == nil || err.Error() != "invalid_auth" {
			t.Errorf("PostMessage with the app token err = %v", err)
		}
	})

	t.Run("UnknownMethod", func(t *testing.T) {
		resp, err := http.PostForm(srv.APIURL()+"chat.frobnicate", url.Values{"token": {slacktest.BotToken}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if got, want := string(b), `{"error":"unknown_method","ok":false}`; got != want {
			t.Errorf("body = %s; want %s", got, want)
		}
	})
}

func modal(title string, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      slack.NewTextBlockObject(slack.PlainTextType, title, false, false),
		Submit:     slack.NewTextBlockObject(slack.PlainTextType, "Create", false, false),
		Close:      slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false),
		CallbackID: "new_task",
		Blocks:     slack.Blocks{BlockSet: blocks},
	}
}

func titleInput() slack.Block {
	return slack.NewInputBlock("title_b", slack.NewTextBlockObject(slack.PlainTextType, "Title", false, false), nil,
		slack.NewPlainTextInputBlockElement(nil, "title_a"))
}

func prioInput() slack.Block {
	opt := func(v, text string) *slack.OptionBlockObject {
		return slack.NewOptionBlockObject(v, slack.NewTextBlockObject(slack.PlainTextType, text, false, false), nil)
	}
	return slack.NewInputBlock("prio_b", slack.NewTextBlockObject(slack.PlainTextType, "Priority", false, false), nil,
		slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "prio_a", opt("high", "High"), opt("low", "Low")))
}

func TestViews(t *testing.T) {
	srv := slacktest.New(t)
	api := newClient(srv)
	trigger := srv.SlashCommandPayload("U1", "C1", "/matter", "")["trigger_id"].(string)

	opened, err := api.OpenView(trigger, modal("New task", titleInput(), prioInput()))
	if err != nil {
		t.Fatal(err)
	}
	if opened.View.ID != "V1" || opened.View.Hash == "" || opened.View.State == nil || opened.View.CallbackID != "new_task" {
		t.Fatalf("OpenView = %+v", opened.View)
	}
	if got := srv.Calls("views.open")[0]; got.Token != slacktest.BotToken || got.JSON["trigger_id"] != trigger {
		t.Errorf("recorded views.open = %+v", got)
	}

	t.Run("UpdateByID", func(t *testing.T) {
		v := srv.Views()["V1"]
		updated, err := api.UpdateView(modal("Edited", titleInput()), "", v.Hash, "V1")
		if err != nil {
			t.Fatal(err)
		}
		if updated.View.ID != "V1" || updated.View.Hash == v.Hash || updated.View.Title.Text != "Edited" {
			t.Errorf("UpdateView = %+v", updated.View)
		}
		if _, err := api.UpdateView(modal("Stale", titleInput()), "", v.Hash, "V1"); err == nil || err.Error() != "hash_conflict" {
			t.Errorf("UpdateView(stale hash) err = %v; want hash_conflict", err)
		}
		if _, err := api.UpdateView(modal("Nope", titleInput()), "", "", "V99"); err == nil || err.Error() != "not_found" {
			t.Errorf("UpdateView(V99) err = %v; want not_found", err)
		}
	})

	t.Run("UpdateByExternalID", func(t *testing.T) {
		m := modal("Ext", titleInput())
		m.ExternalID = "ext-1"
		if _, err := api.OpenView(trigger, m); err != nil {
			t.Fatal(err)
		}
		if _, err := api.OpenView(trigger, m); err == nil || err.Error() != "duplicate_external_id" {
			t.Errorf("second OpenView(ext-1) err = %v", err)
		}
		r, err := api.UpdateView(modal("Ext 2", titleInput()), "ext-1", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if r.View.ExternalID != "ext-1" || r.View.Title.Text != "Ext 2" {
			t.Errorf("UpdateView(ext) = %+v", r.View)
		}
	})

	t.Run("Push", func(t *testing.T) {
		sub := srv.ViewSubmissionPayload(t, "U1", "V1", slacktest.Values{"title_b": {"title_a": "x"}})
		r, err := api.PushView(sub["trigger_id"].(string), modal("Pushed", titleInput()))
		if err != nil {
			t.Fatal(err)
		}
		if r.View.PreviousViewID != "V1" || r.View.RootViewID != "V1" {
			t.Errorf("PushView previous/root = %q/%q; want V1/V1", r.View.PreviousViewID, r.View.RootViewID)
		}
	})

	t.Run("Publish", func(t *testing.T) {
		home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{section("home")}}}
		r1, err := api.PublishView("U1", home, "")
		if err != nil {
			t.Fatal(err)
		}
		r2, err := api.PublishView("U1", home, r1.View.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if r1.View.ID != r2.View.ID || r1.View.Hash == r2.View.Hash {
			t.Errorf("republish: ids %q %q hashes %q %q", r1.View.ID, r2.View.ID, r1.View.Hash, r2.View.Hash)
		}
		if v, ok := srv.HomeView("U1"); !ok || v.ID != r1.View.ID || v.UserID != "U1" || v.Type != "home" {
			t.Errorf("HomeView = %+v, %v", v, ok)
		}
		if _, err := api.PublishView("U1", home, r1.View.Hash); err == nil || err.Error() != "hash_conflict" {
			t.Errorf("PublishView(stale hash) err = %v", err)
		}
	})
}

func TestBlockLimits(t *testing.T) {
	srv := slacktest.New(t)
	api := newClient(srv)
	var many []slack.Block
	for range 51 {
		many = append(many, section("x"))
	}
	for _, tc := range []struct {
		name   string
		blocks []slack.Block
	}{
		{"TooManyBlocks", many},
		{"SectionText", []slack.Block{section(strings.Repeat("字", 3001))}},
		{"Header", []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, strings.Repeat("h", 151), false, false))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(tc.blocks...))
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != "invalid_blocks" || len(se.ResponseMetadata.Messages) == 0 {
				t.Fatalf("PostMessage err = %#v; want invalid_blocks with messages", err)
			}
		})
	}
	if _, _, err := api.PostMessage("C1", slack.MsgOptionBlocks(section(strings.Repeat("字", 3000)))); err != nil {
		t.Errorf("3000-character section refused: %v", err)
	}
	if got := len(srv.Posts()); got != 1 {
		t.Errorf("Posts() = %d; want only the valid post", got)
	}

	t.Run("ModalTitle", func(t *testing.T) {
		_, err := api.OpenView("1.2.3", modal(strings.Repeat("t", 25), titleInput()))
		var se slack.SlackErrorResponse
		if !errors.As(err, &se) || se.Err != "invalid_arguments" || !strings.Contains(strings.Join(se.ResponseMetadata.Messages, " "), "/view/title") {
			t.Errorf("OpenView(long title) err = %#v", err)
		}
	})
	t.Run("PrivateMetadata", func(t *testing.T) {
		m := modal("ok", titleInput())
		m.PrivateMetadata = strings.Repeat("m", 3001)
		if _, err := api.OpenView("1.2.3", m); err == nil || err.Error() != "invalid_arguments" {
			t.Errorf("OpenView(long private_metadata) err = %v", err)
		}
	})
	t.Run("ViewBlocks", func(t *testing.T) {
		var blocks []slack.Block
		for range 101 {
			blocks = append(blocks, section("x"))
		}
		if _, err := api.OpenView("1.2.3", modal("ok", blocks...)); err == nil || err.Error() != "invalid_arguments" {
			t.Errorf("OpenView(101 blocks) err = %v", err)
		}
	})
	if len(srv.Views()) != 0 {
		t.Errorf("refused views were stored: %v", srv.Views())
	}
}

func TestFaults(t *testing.T) {
	srv := slacktest.New(t)
	api := newClient(srv)
	srv.Fail("chat.postMessage",
		slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 1},
		slacktest.Fault{Status: http.StatusInternalServerError},
		slacktest.Fault{Error: "channel_not_found"},
		slacktest.Fault{Delay: 50 * time.Millisecond},
	)
	post := func() error {
		_, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false))
		return err
	}

	var rl *slack.RateLimitedError
	if err := post(); !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Errorf("429: err = %#v; want *slack.RateLimitedError{1s}", err)
	}
	var sc slack.StatusCodeError
	if err := post(); !errors.As(err, &sc) || sc.Code != http.StatusInternalServerError {
		t.Errorf("500: err = %#v; want StatusCodeError 500", err)
	}
	if err := post(); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("error fault: err = %v; want channel_not_found", err)
	}
	start := time.Now()
	if err := post(); err != nil || time.Since(start) < 50*time.Millisecond {
		t.Errorf("delay fault: err = %v after %v", err, time.Since(start))
	}
	if err := post(); err != nil {
		t.Errorf("after the faults: %v", err)
	}

	calls := srv.Calls("chat.postMessage")
	if len(calls) != 5 {
		t.Fatalf("recorded %d calls; want 5", len(calls))
	}
	for i, want := range []struct {
		status int
		err    string
		fault  bool
	}{{429, "ratelimited", true}, {500, "internal_error", true}, {200, "channel_not_found", true}, {200, "", true}, {200, "", false}} {
		c := calls[i]
		if c.Status != want.status || c.Error != want.err || (c.Fault != nil) != want.fault {
			t.Errorf("call %d = status %d error %q fault %v; want %+v", i, c.Status, c.Error, c.Fault, want)
		}
	}
	if got := len(srv.Posts()); got != 2 {
		t.Errorf("Posts() = %d; want 2 (faulted calls post nothing)", got)
	}

	// Waiters wake on the call, without polling.
	go func() { _ = post() }()
	srv.WaitFor(t, "chat.postMessage", 3, 2*time.Second)
}

func TestResponseURL(t *testing.T) {
	srv := slacktest.New(t)
	api := newClient(srv)
	u := srv.ResponseURL()
	if u2 := srv.ResponseURL(); u2 == u {
		t.Fatalf("ResponseURL not unique: %s", u)
	}
	for i := range 6 {
		_, _, err := api.PostMessage("", slack.MsgOptionResponseURL(u, slack.ResponseTypeEphemeral),
			slack.MsgOptionText("working...", false), slack.MsgOptionReplaceOriginal(u))
		if i < 5 && err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
		if i == 5 && (err == nil || err.Error() != "used_url") {
			t.Errorf("sixth post err = %v; want used_url", err)
		}
	}
	r := srv.Responses()
	if len(r) != 5 || r[0].Text != "working..." || r[0].ResponseType != "ephemeral" || !r[0].ReplaceOriginal || r[0].URL != u {
		t.Errorf("Responses() = %+v", r)
	}
	srv.WaitFor(t, slacktest.MethodResponseURL, 5, time.Second)
}

// TestSign checks the signer against the documented vectors (slack.md 1.2).
func TestSign(t *testing.T) {
	for _, tc := range []struct {
		name, secret string
		ts           int64
		body, want   string
	}{
		{"SlackDocs", "8f742231b10e8888abcd99yyyzzz85a5", 1531420618,
			"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
			"v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"},
		{"SlackGo", "e6b19c573432dcc6b075501d51b51bb8", 1531431954,
			`{"token":"aF5ynEYQH0dFN9imlgcADxDB","team_id":"XXXXXXXXX","api_app_id":"YYYYYYYYY","event":{"type":"app_mention","user":"AAAAAAAAA","text":"<@EEEEEEEEE> hello world","client_msg_id":"477cc591-ch73-a14z-4db8-g0cd76321bec","ts":"1531431954.000073","channel":"TTTTTTTTT","event_ts":"1531431954.000073"},"type":"event_callback","event_id":"TvBP7LRED7","event_time":1531431954,"authed_users":["EEEEEEEEE"]}`,
			"v0=adada4ed31709aef585c2580ca3267678c6a8eaeb7e0c1aca3ee57b656886b2c"},
		{"URLVerification", "test-signing-secret", 1700000000,
			`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`,
			"v0=911a0af9989156589b0b79ce70d19190c9c25a2ef0d3ab3162d40daf96390f51"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, sig := slacktest.Sign(tc.secret, time.Unix(tc.ts, 0), []byte(tc.body))
			if ts != "1531420618" && ts != "1531431954" && ts != "1700000000" {
				t.Errorf("timestamp = %q", ts)
			}
			if sig != tc.want {
				t.Errorf("Sign(...) = %s; want %s", sig, tc.want)
			}
		})
	}
}

// TestHTTPMode posts signed requests to a handler that verifies them the way slack-go
// users do, and parses them with slack-go.
func TestHTTPMode(t *testing.T) {
	const secret = "test-signing-secret"
	srv := slacktest.New(t)
	api := newClient(srv)
	var mu sync.Mutex
	var got []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv, err := slack.NewSecretsVerifier(r.Header, secret)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		_, _ = sv.Write(body)
		if err := sv.Ensure(); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		var note string
		switch r.URL.Path {
		case "/slash":
			cmd, err := slack.SlashCommandParse(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			note = cmd.Command + " " + cmd.Text + " " + cmd.UserID + " " + cmd.ChannelID
			_, _, err = api.PostMessage("", slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("ok", false))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		case "/interact":
			cb, err := slack.InteractionCallbackParse(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			note = string(cb.Type) + " " + cb.ActionCallback.BlockActions[0].ActionID
		case "/events":
			ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			note = ev.InnerEvent.Type + " retry=" + r.Header.Get("X-Slack-Retry-Num")
		}
		mu.Lock()
		got = append(got, note)
		mu.Unlock()
	})
	bot := httptest.NewServer(h)
	t.Cleanup(bot.Close)

	if resp, body := srv.PostSlash(t, bot.URL+"/slash", secret, "U1", "C1", "/matter list mine"); resp.StatusCode != 200 {
		t.Errorf("PostSlash: %d %s", resp.StatusCode, body)
	}
	if r := srv.Responses(); len(r) != 1 || r[0].Text != "ok" {
		t.Errorf("Responses() = %+v", r)
	}

	_, ts, err := api.PostMessage("C1", slack.MsgOptionBlocks(slack.NewActionBlock("acts",
		slack.NewButtonBlockElement("approve", "req-42", slack.NewTextBlockObject(slack.PlainTextType, "Approve", false, false)))))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := srv.Message("C1", ts)
	if resp, body := srv.PostInteraction(t, bot.URL+"/interact", secret, srv.BlockActionsPayload(t, "U1", m, "acts", "approve", nil)); resp.StatusCode != 200 {
		t.Errorf("PostInteraction: %d %s", resp.StatusCode, body)
	}

	ev := slacktest.EventPayload("Ev1", slacktest.MessageEvent("U1", "D1", "hello"))
	if resp, body := srv.PostEvent(t, bot.URL+"/events", secret, ev, 1); resp.StatusCode != 200 {
		t.Errorf("PostEvent: %d %s", resp.StatusCode, body)
	}

	mu.Lock()
	want := []string{"/matter list mine U1 C1", "block_actions approve", "message retry=1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("handler saw %q; want %q", got, want)
	}
	mu.Unlock()

	// Stale, forged and missing signatures.
	body := slacktest.FormBody(srv.SlashCommandPayload("U1", "C1", "/matter", ""))
	staleTS, staleSig := slacktest.Sign(secret, time.Now().Add(-301*time.Second), body)
	freshTS, _ := slacktest.Sign(secret, time.Now(), body)
	_, forged := slacktest.Sign("wrong-secret", time.Now(), body)
	for name, hdr := range map[string][2]string{
		"Stale":   {staleTS, staleSig},
		"Forged":  {freshTS, forged},
		"Missing": {"", ""},
	} {
		if resp, b := slacktest.PostSigned(t, bot.URL+"/slash", slacktest.ContentTypeForm, body, hdr[0], hdr[1], nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d %s; want 401", name, resp.StatusCode, b)
		}
	}
}

// TestPayloadsParse checks that slack-go parses what the payload helpers build.
func TestPayloadsParse(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithUsers(slacktest.User{ID: "U1", Name: "alice"}))
	api := newClient(srv)

	t.Run("SlashCommand", func(t *testing.T) {
		var cmd slack.SlashCommand
		if err := json.Unmarshal(mustJSON(t, srv.SlashCommandPayload("U1", "C1", "/matter", "list")), &cmd); err != nil {
			t.Fatal(err)
		}
		if cmd.UserID != "U1" || cmd.UserName != "alice" || cmd.Command != "/matter" || cmd.Text != "list" || cmd.TriggerID == "" || !strings.HasPrefix(cmd.ResponseURL, srv.URL()) {
			t.Errorf("SlashCommand = %+v", cmd)
		}
	})

	t.Run("ViewSubmission", func(t *testing.T) {
		r, err := api.OpenView("1.2.3", modal("New task", titleInput(), prioInput()))
		if err != nil {
			t.Fatal(err)
		}
		var cb slack.InteractionCallback
		p := srv.ViewSubmissionPayload(t, "U1", r.View.ID, slacktest.Values{"prio_b": {"prio_a": "high"}})
		if err := json.Unmarshal(mustJSON(t, p), &cb); err != nil {
			t.Fatal(err)
		}
		v := cb.View.State.Values
		if cb.Type != slack.InteractionTypeViewSubmission || cb.View.ID != r.View.ID || cb.View.CallbackID != "new_task" ||
			v["prio_b"]["prio_a"].SelectedOption.Value != "high" || v["title_b"]["title_a"].Value != "" {
			t.Errorf("view_submission = %+v", cb.View)
		}
		if _, ok := v["title_b"]["title_a"]; !ok {
			t.Error("untouched input block missing from state")
		}
	})

	t.Run("ViewSubmissionTypes", func(t *testing.T) {
		label := func(s string) *slack.TextBlockObject {
			return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
		}
		opt := func(v string) *slack.OptionBlockObject { return slack.NewOptionBlockObject(v, label(v), nil) }
		input := func(id string, el slack.BlockElement) slack.Block { return slack.NewInputBlock(id, label(id), nil, el) }
		r, err := api.OpenView("1.2.3", modal("Types",
			input("due_b", slack.NewDatePickerBlockElement("due_a")),
			input("at_b", slack.NewTimePickerBlockElement("at_a")),
			input("who_b", slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, nil, "who_a")),
			input("one_b", slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, "one_a")),
			input("tags_b", slack.NewCheckboxGroupsBlockElement("tags_a", opt("x"), opt("y"))),
			input("n_b", slack.NewNumberInputBlockElement(nil, "n_a", false)),
			input("rt_b", slack.NewRichTextInputBlockElement(nil, "rt_a")),
			input("none_b", slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, "none_a", opt("p"))),
		))
		if err != nil {
			t.Fatal(err)
		}
		p := srv.ViewSubmissionPayload(t, "U1", r.View.ID, slacktest.Values{
			"due_b":  {"due_a": "2025-01-31"},
			"at_b":   {"at_a": "09:30"},
			"who_b":  {"who_a": []string{"U1", "U2"}},
			"one_b":  {"one_a": "U2"},
			"tags_b": {"tags_a": []string{"y"}},
			"n_b":    {"n_a": "42"},
			"rt_b":   {"rt_a": "rich"},
		})
		var cb slack.InteractionCallback
		if err := json.Unmarshal(mustJSON(t, p), &cb); err != nil {
			t.Fatal(err)
		}
		v := cb.View.State.Values
		if v["due_b"]["due_a"].SelectedDate != "2025-01-31" || v["at_b"]["at_a"].SelectedTime != "09:30" ||
			strings.Join(v["who_b"]["who_a"].SelectedUsers, ",") != "U1,U2" || v["one_b"]["one_a"].SelectedUser != "U2" ||
			len(v["tags_b"]["tags_a"].SelectedOptions) != 1 || v["tags_b"]["tags_a"].SelectedOptions[0].Value != "y" ||
			v["n_b"]["n_a"].Value != "42" || len(v["rt_b"]["rt_a"].RichTextValue.Elements) != 1 ||
			len(v["none_b"]["none_a"].SelectedOptions) != 0 {
			t.Errorf("state = %+v", v)
		}
	})

	t.Run("ViewBlockActions", func(t *testing.T) {
		p := srv.ViewBlockActionsPayload(t, "U1", "V1", "prio_b", "prio_a", "low", slacktest.Values{"title_b": {"title_a": "Buy milk"}})
		var cb slack.InteractionCallback
		if err := json.Unmarshal(mustJSON(t, p), &cb); err != nil {
			t.Fatal(err)
		}
		if cb.Container.ViewID != "V1" || cb.ActionCallback.BlockActions[0].SelectedOption.Value != "low" ||
			cb.View.State.Values["title_b"]["title_a"].Value != "Buy milk" {
			t.Errorf("block_actions (view) = %+v", cb)
		}
	})

	t.Run("MessageBlockActions", func(t *testing.T) {
		_, ts, err := api.PostMessage("C1", slack.MsgOptionText("card", false), slack.MsgOptionBlocks(slack.NewActionBlock("",
			slack.NewButtonBlockElement("approve", "req-42", slack.NewTextBlockObject(slack.PlainTextType, "Approve", false, false)))))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := srv.Message("C1", ts)
		var cb slack.InteractionCallback
		// The bot gave no block_id: the fake filled one in, as Slack does.
		if err := json.Unmarshal(mustJSON(t, srv.BlockActionsPayload(t, "U1", m, "fs-b0", "approve", nil)), &cb); err != nil {
			t.Fatal(err)
		}
		a := cb.ActionCallback.BlockActions
		if cb.Type != slack.InteractionTypeBlockActions || len(a) != 1 || a[0].Value != "req-42" || cb.Container.MessageTs != ts ||
			cb.Channel.ID != "C1" || cb.Message.Text != "card" || cb.ResponseURL == "" {
			t.Errorf("block_actions = %+v", cb)
		}
	})

	t.Run("Events", func(t *testing.T) {
		_, ts, _ := api.PostMessage("D1", slack.MsgOptionText("mine", false))
		m, _ := srv.Message("D1", ts)
		for _, inner := range []map[string]any{
			slacktest.MessageEvent("U1", "D1", "hello"),
			slacktest.AppMentionEvent("U1", "C1", "<@UBOT> list"),
			slacktest.BotEchoEvent(m),
			srv.AppHomeOpenedEvent("U1", "home"),
		} {
			ev, err := slackevents.ParseEvent(mustJSON(t, slacktest.EventPayload("", inner)), slackevents.OptionNoVerifyToken())
			if err != nil {
				t.Fatalf("ParseEvent(%v): %v", inner["type"], err)
			}
			if me, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); ok && inner["bot_id"] != nil && (me.BotID != slacktest.BotID || me.User != slacktest.BotUserID || me.SubType != "") {
				t.Errorf("bot echo = %+v", me)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSocketMode runs slack-go's real socketmode client against the server.
func TestSocketMode(t *testing.T) {
	srv := slacktest.New(t)
	api := slack.New(slacktest.BotToken, slack.OptionAppLevelToken(slacktest.AppToken), slack.OptionAPIURL(srv.APIURL()))
	client := socketmode.New(api)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Go(func() { _ = client.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-client.Events:
				switch evt.Type {
				case socketmode.EventTypeSlashCommand:
					cmd := evt.Data.(slack.SlashCommand)
					_ = client.Ack(*evt.Request, map[string]any{"text": "you said " + cmd.Text})
				case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive:
					_ = client.Ack(*evt.Request)
				}
			}
		}
	})

	id := srv.SendEnvelope(t, "slash_commands", srv.SlashCommandPayload("U1", "C1", "/matter", "list"))
	ack := srv.WaitAck(t, id, 2*time.Second)
	if got, want := string(ack.Payload), `{"text":"you said list"}`; got != want {
		t.Errorf("ack payload = %s; want %s", got, want)
	}
	if srv.Connections() != 1 {
		t.Errorf("Connections() = %d; want 1", srv.Connections())
	}

	id = srv.SendEnvelope(t, "events_api", slacktest.EventPayload("", slacktest.MessageEvent("U1", "D1", "hi")))
	if ack := srv.WaitAck(t, id, 2*time.Second); ack.Payload != nil {
		t.Errorf("event ack payload = %s; want none", ack.Payload)
	}

	// An abrupt drop makes the client open a new connection.
	if !srv.DropSocket() {
		t.Fatal("DropSocket: no connection")
	}
	srv.WaitFor(t, "apps.connections.open", 2, 3*time.Second)
	srv.WaitConnected(t, 2, 3*time.Second)
	id = srv.SendEnvelope(t, "interactive", srv.ShortcutPayload("U1", "open_todo"))
	if ack := srv.WaitAck(t, id, 2*time.Second); ack.Conn != 2 {
		t.Errorf("ack came on connection %d; want 2", ack.Conn)
	}

	// So does a disconnect message.
	if !srv.Disconnect("refresh_requested") {
		t.Fatal("Disconnect: no connection")
	}
	srv.WaitConnected(t, 3, 3*time.Second)
	if got := srv.Connections(); got != 3 {
		t.Errorf("Connections() = %d; want 3", got)
	}
}

// runSocket runs a socketmode client that acks everything until the test ends.
func runSocket(t *testing.T, srv *slacktest.Server, opts ...socketmode.Option) {
	api := slack.New(slacktest.BotToken, slack.OptionAppLevelToken(slacktest.AppToken), slack.OptionAPIURL(srv.APIURL()))
	client := socketmode.New(api, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Go(func() { _ = client.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-client.Events:
				if evt.Request != nil && evt.Request.EnvelopeID != "" {
					_ = client.Ack(*evt.Request)
				}
			}
		}
	})
}

func TestSocketModePings(t *testing.T) {
	t.Run("Pinged", func(t *testing.T) {
		srv := slacktest.New(t, slacktest.WithPingInterval(50*time.Millisecond))
		runSocket(t, srv, socketmode.OptionPingInterval(250*time.Millisecond))
		srv.WaitConnected(t, 1, 2*time.Second)
		<-time.After(800 * time.Millisecond) // three of the client's ping intervals
		if got := srv.Connections(); got != 1 {
			t.Errorf("Connections() = %d; want 1 (pings keep the connection)", got)
		}
	})
	t.Run("NoPings", func(t *testing.T) {
		srv := slacktest.New(t, slacktest.WithPingInterval(0))
		runSocket(t, srv, socketmode.OptionPingInterval(100*time.Millisecond))
		srv.WaitConnected(t, 2, 2*time.Second)
	})
}

func TestSocketModeConnectFault(t *testing.T) {
	srv := slacktest.New(t)
	srv.Fail("apps.connections.open", slacktest.Fault{Status: http.StatusInternalServerError})
	runSocket(t, srv)
	srv.WaitConnected(t, 1, 3*time.Second)
	calls := srv.Calls("apps.connections.open")
	if len(calls) != 2 || calls[0].Fault == nil || !calls[1].OK() {
		t.Errorf("apps.connections.open calls = %+v", calls)
	}
	id := srv.SendEnvelope(t, "events_api", slacktest.EventPayload("", slacktest.AppMentionEvent("U1", "C1", "<@UBOT> hi")))
	srv.WaitAck(t, id, 2*time.Second)
}

// TestHistoryAndReplies: as Slack, history lists thread parents (not replies), replies
// list a thread, metadata comes only when asked for, and both page with a cursor.
func TestHistoryAndReplies(t *testing.T) {
	srv := slacktest.New(t)
	api := newClient(srv)
	md := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "k", EventPayload: map[string]any{"key": "1/0"}})
	_, parent, _ := api.PostMessage("C9", slack.MsgOptionText("parent", false), md)
	var replies []string
	for i := range 5 {
		_, ts, _ := api.PostMessage("C9", slack.MsgOptionText(fmt.Sprint("reply ", i), false), slack.MsgOptionTS(parent), md)
		replies = append(replies, ts)
	}
	h, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C9"})
	if err != nil || len(h.Messages) != 1 || h.Messages[0].Timestamp != parent || h.Messages[0].Metadata.EventType != "" {
		t.Fatalf("history = %+v %v; want the parent alone, without metadata", h, err)
	}
	var got []string
	cursor := ""
	for {
		msgs, _, next, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C9", Timestamp: parent, Limit: 2, Cursor: cursor, IncludeAllMetadata: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Metadata.EventType != "k" {
				t.Fatalf("metadata missing with include_all_metadata: %+v", m)
			}
			got = append(got, m.Timestamp)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if want := append([]string{parent}, replies...); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("replies = %v; want %v", got, want)
	}
	if _, _, _, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C9", Timestamp: "1.2"}); err == nil || err.Error() != "thread_not_found" {
		t.Fatalf("replies of no thread = %v", err)
	}
}
