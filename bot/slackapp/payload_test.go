package slackapp_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// read is what the bot reads of an interactivity payload: every field of the callback
// that the handlers (HTTP and Socket Mode) and the bot look at. A field the bot
// starts reading belongs here and in the lean decoding (payload.go).
type read struct {
	Type                                           slack.InteractionType
	Token, CallbackID, ResponseURL, TriggerID      string
	ActionTs, APIAppID                             string
	IsEnterpriseInstall                            bool
	TeamID, TeamDomain, UserID, UserName, UserTeam string
	ChannelID, ChannelName                         string
	Enterprise                                     slack.Enterprise
	Container                                      slack.Container
	MessageTS, MessageThread                       string
	MessageMeta                                    slack.SlackMetadata
	ViewID, ViewTeam, ViewType, ViewMeta, ViewCB   string
	ViewHash, ViewRoot, ViewPrev, ViewExt, ViewApp string
	ViewBot, ViewInstalled                         string
	ViewState                                      *slack.ViewState
	Actions                                        []slack.BlockAction
	BlockActionState                               *slack.BlockActionStates
}

func project(cb slack.InteractionCallback) read {
	v := cb.View
	r := read{
		Type: cb.Type, Token: cb.Token, CallbackID: cb.CallbackID, ResponseURL: cb.ResponseURL, TriggerID: cb.TriggerID,
		ActionTs: cb.ActionTs, APIAppID: cb.APIAppID, IsEnterpriseInstall: cb.IsEnterpriseInstall,
		TeamID: cb.Team.ID, TeamDomain: cb.Team.Domain, UserID: cb.User.ID, UserName: cb.User.Name, UserTeam: cb.User.TeamID,
		ChannelID: cb.Channel.ID, ChannelName: cb.Channel.Name, Enterprise: cb.Enterprise, Container: cb.Container,
		MessageTS: cb.Message.Timestamp, MessageThread: cb.Message.ThreadTimestamp, MessageMeta: cb.Message.Metadata,
		ViewID: v.ID, ViewTeam: v.TeamID, ViewType: string(v.Type), ViewMeta: v.PrivateMetadata, ViewCB: v.CallbackID,
		ViewHash: v.Hash, ViewRoot: v.RootViewID, ViewPrev: v.PreviousViewID, ViewExt: v.ExternalID, ViewApp: v.AppID,
		ViewBot: v.BotID, ViewInstalled: v.AppInstalledTeamID, ViewState: v.State, BlockActionState: cb.BlockActionState,
	}
	for _, a := range cb.ActionCallback.BlockActions {
		r.Actions = append(r.Actions, *a)
	}
	return r
}

// realPayloads are interactivity payloads as Slack posts them, for the bot's own
// views and messages: the intake form submitted, its kind switched, a 批示 button
// in a briefing clicked, and the 批示 form submitted.
func realPayloads(tb testing.TB) [][]byte {
	tb.Helper()
	h := newHarness(tb)
	var out [][]byte
	post := func(p map[string]any) {
		b, err := json.Marshal(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
		if resp, _ := h.slack.PostInteraction(tb, h.url, secret, p); resp.StatusCode != 200 {
			tb.Fatalf("HTTP %d for %s", resp.StatusCode, b)
		}
	}
	view := h.openIntake(tb, "UWU")
	post(h.slack.ViewSubmissionPayload(tb, "UWU", view.ID, goodRequest()))
	post(h.slack.ViewBlockActionsPayload(tb, "UZHENG", h.openIntake(tb, "UZHENG").ID, "kind_switch", "intake_kind", "report", nil))
	h.slack.PostSlash(tb, h.url, secret, "UQIAN", "C1", "brief party now")
	var briefing slacktest.Message
	for end := time.Now().Add(5 * time.Second); briefing.TS == "" && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		for _, p := range h.slack.Posts() {
			if p.Channel == "CPARTY" && strings.Contains(string(p.Blocks), `"instruct"`) {
				briefing = p
			}
		}
	}
	var blocks []struct {
		BlockID  string `json:"block_id"`
		Elements []struct {
			ActionID string `json:"action_id"`
		} `json:"elements"`
	}
	json.Unmarshal(briefing.Blocks, &blocks)
	before := len(h.slack.Calls("views.open"))
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID == "instruct" && len(h.slack.Calls("views.open")) == before {
				post(h.slack.BlockActionsPayload(tb, "UZHAO", briefing, b.BlockID, "instruct", nil))
			}
		}
	}
	calls := h.slack.WaitFor(tb, "views.open", before+1, 5*time.Second)
	for _, v := range h.slack.Views() {
		if v.TriggerID == calls[len(calls)-1].JSON["trigger_id"] {
			post(h.slack.ViewSubmissionPayload(tb, "UZHAO", v.ID, slacktest.Values{"instruction": {"instruction": "同意。"}}))
		}
	}
	if len(out) != 4 {
		tb.Fatalf("%d payloads, want 4", len(out))
	}
	return out
}

// TestDecodeInteraction_ReadsWhatSlackGoReads: for real payloads, the lean decoding
// gives every value the bot reads exactly as slack-go's full decoding does.
func TestDecodeInteraction_ReadsWhatSlackGoReads(t *testing.T) {
	for _, p := range realPayloads(t) {
		var full slack.InteractionCallback
		if err := json.Unmarshal(p, &full); err != nil {
			t.Fatal(err)
		}
		lean, err := slackapp.DecodeInteraction(p)
		if err != nil {
			t.Fatalf("DecodeInteraction: %v", err)
		}
		if got, want := project(lean), project(full); !reflect.DeepEqual(got, want) {
			t.Fatalf("lean decoding reads\n%+v\nslack-go reads\n%+v", got, want)
		}
		if full.View.ID == "" && full.User.ID == "" {
			t.Fatalf("a payload without a user or a view: %s", p)
		}
	}
}

// FuzzDecodeInteraction: whatever slack-go decodes, the lean decoding decodes too,
// reading the same values. (A payload only slack-go refuses, for a block it cannot
// read, the lean decoding may take: it does not read blocks.)
func FuzzDecodeInteraction(f *testing.F) {
	for _, p := range realPayloads(f) {
		f.Add(p)
	}
	f.Add([]byte(`{"type":"block_actions","actions":[{"block_id":"b","action_id":"a","value":"v"},{"name":"x","text":"legacy","value":"y"}],"state":{"values":{}}}`))
	f.Add([]byte(`{"type":"block_actions","actions":[{"BLOCK_ID":"b","action_id":"a"},null],"state":null}`))
	f.Add([]byte(` { "view" : { "blocks" : [ {"a":"]\"}"} ] , "id" : "V1" } , "message":{"blocks":[],"ts":"1.2"} } `))
	f.Add([]byte(`{"view":{"blocks":[}],"id":"V1"},"View":{"Blocks":1}}`))
	f.Fuzz(func(t *testing.T, p []byte) {
		var full slack.InteractionCallback
		if err := json.Unmarshal(p, &full); err != nil {
			return
		}
		lean, err := slackapp.DecodeInteraction(p)
		if err != nil {
			t.Fatalf("slack-go decodes %q, the lean decoding refuses it: %v", p, err)
		}
		if got, want := project(lean), project(full); !reflect.DeepEqual(got, want) {
			t.Fatalf("for %q lean decoding reads\n%+v\nslack-go reads\n%+v", p, got, want)
		}
	})
}

// FuzzScanForm: the handler's form scan accepts and refuses what url.ParseQuery does
// and finds the same payload, command and ssl_check.
func FuzzScanForm(f *testing.F) {
	for _, s := range []string{"payload=%7B%7D", "command=%2Fmatter&text=a+b", "ssl_check=1&token=x", "ssl_check=%31", "a=b;c=d",
		"payload=%zz", "payload=a&payload=b", "pay%6Coad=x", "%=x", "&&payload&command", "payload=%7", "text=100%25"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		form, qerr := url.ParseQuery(string(body))
		payload, hasPayload, hasCommand, ssl, err := slackapp.ScanForm(body)
		if (err != nil) != (qerr != nil) {
			t.Fatalf("%q: scan error %v, ParseQuery error %v", body, err, qerr)
		}
		if err != nil {
			return
		}
		if hasPayload != form.Has("payload") || !bytes.Equal(payload, []byte(form.Get("payload"))) && hasPayload ||
			hasCommand != form.Has("command") || ssl != (form.Get("ssl_check") == "1") {
			t.Fatalf("%q: scan (%q %v %v %v) differs from ParseQuery %v", body, payload, hasPayload, hasCommand, ssl, form)
		}
	})
}
