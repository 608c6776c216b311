package slacktest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// VerificationToken is the legacy "token" field the payload helpers put in every
// payload.
const VerificationToken = "verification-token"

// Values is view (or message) state to synthesise: block_id -> action_id -> value.
// A value is either a complete state object (map[string]any, used as it is, "type"
// filled in), or a plain Go value interpreted by the element's type:
//
//	plain_text_input, email/url/number_input  string            -> "value"
//	static/external_select, radio_buttons     string (value)    -> "selected_option" (the element's own option)
//	multi_*_select (static/external), checkboxes []string       -> "selected_options"
//	users/conversations/channels_select       string            -> "selected_user" / ...
//	multi_users/conversations/channels_select []string          -> "selected_users" / ...
//	datepicker "2025-01-31", timepicker "09:30"                 -> "selected_date" / "selected_time"
//	datetimepicker int64 unix seconds or time.Time              -> "selected_date_time"
//	rich_text_input string                                      -> "rich_text_value" (one rich_text section)
//	file_input []map[string]any (file objects from Upload)       -> "files"
//
// nil means "left empty". Input blocks not mentioned get their initial value or an
// empty one, as Slack sends them.
type Values map[string]map[string]any

// stateKinds maps element types to the state key they set and the element field that
// holds their initial value.
var stateKinds = map[string]struct {
	key, initial string
	multi        bool
}{
	"plain_text_input":           {"value", "initial_value", false},
	"email_text_input":           {"value", "initial_value", false},
	"url_text_input":             {"value", "initial_value", false},
	"number_input":               {"value", "initial_value", false},
	"static_select":              {"selected_option", "initial_option", false},
	"external_select":            {"selected_option", "initial_option", false},
	"radio_buttons":              {"selected_option", "initial_option", false},
	"overflow":                   {"selected_option", "", false},
	"multi_static_select":        {"selected_options", "initial_options", true},
	"multi_external_select":      {"selected_options", "initial_options", true},
	"checkboxes":                 {"selected_options", "initial_options", true},
	"users_select":               {"selected_user", "initial_user", false},
	"multi_users_select":         {"selected_users", "initial_users", true},
	"conversations_select":       {"selected_conversation", "initial_conversation", false},
	"multi_conversations_select": {"selected_conversations", "initial_conversations", true},
	"channels_select":            {"selected_channel", "initial_channel", false},
	"multi_channels_select":      {"selected_channels", "initial_channels", true},
	"datepicker":                 {"selected_date", "initial_date", false},
	"timepicker":                 {"selected_time", "initial_time", false},
	"datetimepicker":             {"selected_date_time", "initial_date_time", false},
	"rich_text_input":            {"rich_text_value", "initial_value", false},
	"file_input":                 {"files", "", true},
}

var seq atomic.Int64

// userTS is a unique timestamp for a user's message or an action, in a range apart
// from the bot's posts.
func userTS() string {
	n := seq.Add(1)
	return fmt.Sprintf("%d.%06d", 1700100000+n/1000000, n%1000000)
}

// newTrigger issues a trigger_id, remembering the view it came from (for views.push).
func (s *Server) newTrigger(viewID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trigSeq++
	id := fmt.Sprintf("%d.%d.fake%08x", 13345224609+s.trigSeq, 738474920, s.trigSeq)
	s.triggers[id] = viewID
	return id
}

func (s *Server) userRef(user string) map[string]any {
	s.mu.Lock()
	u, ok := s.users[user]
	s.mu.Unlock()
	name := strings.ToLower(user)
	if ok && u.Name != "" {
		name = u.Name
	}
	return map[string]any{"id": user, "username": name, "name": name, "team_id": TeamID}
}

func channelName(ch string) string {
	if strings.HasPrefix(ch, "D") {
		return "directmessage"
	}
	return strings.ToLower(ch)
}

func channelType(ch string) string {
	switch {
	case strings.HasPrefix(ch, "D"):
		return "im"
	case strings.HasPrefix(ch, "G"):
		return "group"
	}
	return "channel"
}

var team = map[string]any{"id": TeamID, "domain": "fake"}

// SlashCommandPayload is a slash command as Socket Mode delivers it (a JSON object of
// strings, is_enterprise_install "false"), with a fresh response_url on this server and
// a fresh trigger_id. FormBody turns it into the HTTP-mode body.
func (s *Server) SlashCommandPayload(user, channel, command, text string) map[string]any {
	return map[string]any{
		"token": VerificationToken, "team_id": TeamID, "team_domain": "fake",
		"channel_id": channel, "channel_name": channelName(channel),
		"user_id": user, "user_name": s.userRef(user)["name"],
		"command": command, "text": text, "api_app_id": AppID,
		"is_enterprise_install": "false",
		"response_url":          s.ResponseURL(),
		"trigger_id":            s.newTrigger(""),
	}
}

// EventPayload wraps an inner event in an event_callback body (the Events API HTTP
// body, and the events_api envelope payload). An empty eventID gets a fresh one.
func EventPayload(eventID string, inner map[string]any) map[string]any {
	if eventID == "" {
		eventID = fmt.Sprintf("EvFAKE%08d", seq.Add(1))
	}
	t := time.Now().Unix()
	if ts, _ := inner["event_ts"].(string); ts != "" {
		if sec, err := strconv.ParseInt(strings.SplitN(ts, ".", 2)[0], 10, 64); err == nil {
			t = sec
		}
	}
	return map[string]any{
		"token": VerificationToken, "team_id": TeamID, "api_app_id": AppID,
		"event": inner, "type": "event_callback", "event_id": eventID, "event_time": t,
		"authorizations": []any{map[string]any{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         "4-fake-" + eventID,
	}
}

func richText(text string) map[string]any {
	return map[string]any{"type": "rich_text", "block_id": "rt", "elements": []any{
		map[string]any{"type": "rich_text_section", "elements": []any{map[string]any{"type": "text", "text": text}}},
	}}
}

// MessageEvent is a user's message event (channel_type from the channel id: D -> im,
// G -> group, else channel). Set "thread_ts" on it for a thread reply.
func MessageEvent(user, channel, text string) map[string]any {
	ts := userTS()
	return map[string]any{
		"client_msg_id": fmt.Sprintf("5f1c2a10-0000-4000-8000-%012d", seq.Add(1)),
		"type":          "message", "text": text, "user": user, "ts": ts, "team": TeamID,
		"blocks":  []any{richText(text)},
		"channel": channel, "event_ts": ts, "channel_type": channelType(channel),
	}
}

// AppMentionEvent is an app_mention event; text should contain "<@UBOT>".
func AppMentionEvent(user, channel, text string) map[string]any {
	ts := userTS()
	return map[string]any{
		"client_msg_id": fmt.Sprintf("5f1c2a10-0000-4000-8000-%012d", seq.Add(1)),
		"type":          "app_mention", "text": text, "user": user, "ts": ts, "team": TeamID,
		"blocks":  []any{richText(text)},
		"channel": channel, "event_ts": ts,
	}
}

// BotEchoEvent is the message event Slack delivers for the bot's own post m: no
// subtype, bot_id BBOT and user UBOT (for loop-avoidance tests).
func BotEchoEvent(m Message) map[string]any {
	ev := messageObject(&m)
	ev["channel"] = m.Channel
	ev["event_ts"] = m.TS
	ev["channel_type"] = channelType(m.Channel)
	return ev
}

// AppHomeOpenedEvent is an app_home_opened event for user and tab ("home" or
// "messages"), carrying the user's published Home view if there is one.
func (s *Server) AppHomeOpenedEvent(user, tab string) map[string]any {
	ev := map[string]any{"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": tab, "event_ts": userTS()}
	if v, ok := s.HomeView(user); ok && tab == "home" {
		ev["view"] = json.RawMessage(v.JSON)
	}
	return ev
}

// BlockActionsPayload is a block_actions payload for the element blockID/actionID in
// the bot's message m (as returned by Posts or Ephemerals), with a fresh response_url
// and trigger_id. value is the element's new value as in Values; for a button nil
// means the button's own value.
func (s *Server) BlockActionsPayload(tb testing.TB, user string, m Message, blockID, actionID string, value any) map[string]any {
	tb.Helper()
	var blocks []any
	if len(m.Blocks) > 0 {
		if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
			tb.Fatalf("slacktest: message blocks: %v", err)
		}
	}
	action := s.action(tb, blocks, blockID, actionID, value)
	state := blockState(tb, blocks, Values{blockID: {actionID: value}}, false)
	p := map[string]any{
		"type": "block_actions", "user": s.userRef(user), "api_app_id": AppID, "token": VerificationToken,
		"container":  map[string]any{"type": "message", "message_ts": m.TS, "channel_id": m.Channel, "is_ephemeral": m.Ephemeral},
		"trigger_id": s.newTrigger(""), "team": team, "enterprise": nil, "is_enterprise_install": false,
		"channel":      map[string]any{"id": m.Channel, "name": channelName(m.Channel)},
		"state":        map[string]any{"values": state},
		"response_url": s.ResponseURL(),
		"actions":      []any{action},
	}
	if !m.Ephemeral {
		msg := messageObject(&m)
		p["message"] = msg
	}
	return p
}

// ViewBlockActionsPayload is a block_actions payload for an element of a modal or Home
// view. view is a stored view id (string), a View, or a view object (json.RawMessage,
// []byte or map[string]any); values is the rest of the view's state.
func (s *Server) ViewBlockActionsPayload(tb testing.TB, user string, view any, blockID, actionID string, value any, values Values) map[string]any {
	tb.Helper()
	v := s.resolveView(tb, view)
	blocks, _ := v["blocks"].([]any)
	action := s.action(tb, blocks, blockID, actionID, value)
	all := Values{}
	for b, acts := range values {
		all[b] = map[string]any{}
		for a, x := range acts {
			all[b][a] = x
		}
	}
	if all[blockID] == nil {
		all[blockID] = map[string]any{}
	}
	all[blockID][actionID] = value
	v["state"] = map[string]any{"values": blockState(tb, blocks, all, true)}
	id, _ := v["id"].(string)
	return map[string]any{
		"type": "block_actions", "user": s.userRef(user), "api_app_id": AppID, "token": VerificationToken,
		"container":  map[string]any{"type": "view", "view_id": id},
		"trigger_id": s.newTrigger(id), "team": team, "enterprise": nil, "is_enterprise_install": false,
		"view": v, "actions": []any{action},
	}
}

// ViewSubmissionPayload is a view_submission payload for view (as in
// ViewBlockActionsPayload): the view's own blocks echoed back, and state synthesised
// from values.
func (s *Server) ViewSubmissionPayload(tb testing.TB, user string, view any, values Values) map[string]any {
	tb.Helper()
	v := s.resolveView(tb, view)
	blocks, _ := v["blocks"].([]any)
	v["state"] = map[string]any{"values": blockState(tb, blocks, values, true)}
	id, _ := v["id"].(string)
	return map[string]any{
		"type": "view_submission", "team": team, "user": s.userRef(user),
		"api_app_id": AppID, "token": VerificationToken, "trigger_id": s.newTrigger(id),
		"view": v, "response_urls": []any{}, "is_enterprise_install": false, "enterprise": nil,
	}
}

// ViewClosedPayload is a view_closed payload for view (sent by Slack only when the
// view has notify_on_close).
func (s *Server) ViewClosedPayload(tb testing.TB, user string, view any) map[string]any {
	tb.Helper()
	v := s.resolveView(tb, view)
	return map[string]any{
		"type": "view_closed", "team": team, "user": s.userRef(user),
		"api_app_id": AppID, "token": VerificationToken,
		"view": v, "is_cleared": false, "is_enterprise_install": false,
	}
}

// ShortcutPayload is a global shortcut payload.
func (s *Server) ShortcutPayload(user, callbackID string) map[string]any {
	return map[string]any{
		"type": "shortcut", "token": VerificationToken, "action_ts": userTS(), "team": team,
		"user": s.userRef(user), "is_enterprise_install": false, "enterprise": nil,
		"callback_id": callbackID, "trigger_id": s.newTrigger(""),
	}
}

// resolveView returns a private copy of a view object.
func (s *Server) resolveView(tb testing.TB, view any) map[string]any {
	tb.Helper()
	var raw []byte
	switch v := view.(type) {
	case string:
		got, ok := s.View(v)
		if !ok {
			tb.Fatalf("slacktest: no view %q stored", v)
		}
		raw = got.JSON
	case View:
		raw = v.JSON
	case json.RawMessage:
		raw = v
	case []byte:
		raw = v
	case map[string]any:
		raw, _ = json.Marshal(v)
	default:
		tb.Fatalf("slacktest: view must be a view id, View, JSON or map, not %T", view)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil || out == nil {
		tb.Fatalf("slacktest: view is not a JSON object: %v", err)
	}
	return out
}

// elements lists a block's interactive elements.
func elements(b map[string]any) []map[string]any {
	var els []any
	switch b["type"] {
	case "input":
		els = []any{b["element"]}
	case "section":
		els = []any{b["accessory"]}
	case "actions":
		els, _ = b["elements"].([]any)
	}
	var out []map[string]any
	for _, e := range els {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// findElement finds the element blockID/actionID among blocks.
func findElement(blocks []any, blockID, actionID string) (map[string]any, bool) {
	for _, b := range blocks {
		bm, _ := b.(map[string]any)
		if id, _ := bm["block_id"].(string); id != blockID {
			continue
		}
		for _, e := range elements(bm) {
			if id, _ := e["action_id"].(string); id == actionID {
				return e, true
			}
		}
	}
	return nil, false
}

// action is the actions[] element for a block_actions payload.
func (s *Server) action(tb testing.TB, blocks []any, blockID, actionID string, value any) map[string]any {
	tb.Helper()
	el, ok := findElement(blocks, blockID, actionID)
	if !ok {
		tb.Fatalf("slacktest: no element %s/%s in the blocks", blockID, actionID)
	}
	typ, _ := el["type"].(string)
	var a map[string]any
	if typ == "button" || typ == "workflow_button" {
		a = map[string]any{"type": typ}
		if value == nil {
			value = el["value"]
		}
		if value != nil {
			a["value"] = value
		}
		if t, ok := el["text"]; ok {
			a["text"] = t
		}
	} else {
		var err error
		if a, err = stateValue(el, value); err != nil {
			tb.Fatalf("slacktest: %s/%s: %v", blockID, actionID, err)
		}
	}
	a["action_id"], a["block_id"], a["action_ts"] = actionID, blockID, userTS()
	return a
}

// blockState builds state.values: every stateful element's value from values, or its
// initial/empty value. inputsOnly restricts the defaults to input blocks (a view);
// values naming an element that does not exist fail tb.
func blockState(tb testing.TB, blocks []any, values Values, inputsOnly bool) map[string]any {
	tb.Helper()
	out := map[string]any{}
	used := 0
	for _, b := range blocks {
		bm, _ := b.(map[string]any)
		blockID, _ := bm["block_id"].(string)
		for _, el := range elements(bm) {
			actionID, _ := el["action_id"].(string)
			typ, _ := el["type"].(string)
			v, given := values[blockID][actionID]
			if given {
				used++
			}
			if _, stateful := stateKinds[typ]; !stateful {
				continue
			}
			if !given && inputsOnly && bm["type"] != "input" {
				continue
			}
			var st map[string]any
			var err error
			if given {
				st, err = stateValue(el, v)
			} else {
				st = initialState(el)
			}
			if err != nil {
				tb.Fatalf("slacktest: %s/%s: %v", blockID, actionID, err)
			}
			if out[blockID] == nil {
				out[blockID] = map[string]any{}
			}
			out[blockID].(map[string]any)[actionID] = st
		}
	}
	want := 0
	for _, acts := range values {
		want += len(acts)
	}
	if used != want {
		tb.Fatalf("slacktest: values name elements that are not in the blocks: %v", values)
	}
	return out
}

// initialState is an untouched element's state: its initial value, or empty.
func initialState(el map[string]any) map[string]any {
	typ, _ := el["type"].(string)
	k := stateKinds[typ]
	st := map[string]any{"type": typ}
	var v any
	if k.initial != "" {
		v = el[k.initial]
	}
	if v == nil && k.multi {
		v = []any{}
	}
	st[k.key] = v
	return st
}

// stateValue is an element's state object for value (see Values).
func stateValue(el map[string]any, value any) (map[string]any, error) {
	typ, _ := el["type"].(string)
	if m, ok := value.(map[string]any); ok {
		st := make(map[string]any, len(m)+1)
		for k, v := range m {
			st[k] = v
		}
		if st["type"] == nil {
			st["type"] = typ
		}
		return st, nil
	}
	k, ok := stateKinds[typ]
	if !ok {
		return nil, fmt.Errorf("element type %q has no state", typ)
	}
	if value == nil {
		return initialStateEmpty(typ, k.key, k.multi), nil
	}
	st := map[string]any{"type": typ}
	switch k.key {
	case "selected_option":
		opt, err := findOption(el, fmt.Sprint(value))
		if err != nil {
			return nil, err
		}
		st[k.key] = opt
	case "selected_options":
		vals, err := strs(value)
		if err != nil {
			return nil, err
		}
		opts := []any{}
		for _, v := range vals {
			opt, err := findOption(el, v)
			if err != nil {
				return nil, err
			}
			opts = append(opts, opt)
		}
		st[k.key] = opts
	case "selected_date_time":
		switch v := value.(type) {
		case time.Time:
			st[k.key] = v.Unix()
		case int, int64, float64:
			st[k.key] = v
		default:
			return nil, fmt.Errorf("datetimepicker value must be unix seconds or time.Time, not %T", value)
		}
	case "files":
		list := []any{}
		switch v := value.(type) {
		case []map[string]any:
			for _, f := range v {
				list = append(list, f)
			}
		case []any:
			list = v
		default:
			return nil, fmt.Errorf("file_input value must be file objects from Upload, not %T", value)
		}
		st[k.key] = list
	case "rich_text_value":
		str, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("rich_text_input value must be a string or a state map, not %T", value)
		}
		st[k.key] = richText(str)
	default:
		if k.multi {
			vals, err := strs(value)
			if err != nil {
				return nil, err
			}
			list := []any{}
			for _, v := range vals {
				list = append(list, v)
			}
			st[k.key] = list
		} else {
			str, ok := value.(string)
			if !ok {
				return nil, fmt.Errorf("%s value must be a string, not %T", typ, value)
			}
			st[k.key] = str
		}
	}
	return st, nil
}

func initialStateEmpty(typ, key string, multi bool) map[string]any {
	st := map[string]any{"type": typ, key: nil}
	if multi {
		st[key] = []any{}
	}
	return st
}

func strs(v any) ([]string, error) {
	switch x := v.(type) {
	case []string:
		return x, nil
	case string:
		return []string{x}, nil
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a []string, not %T", v)
}

// findOption finds the element's option with value; external selects (whose options
// the bot serves separately) get one made up.
func findOption(el map[string]any, value string) (map[string]any, error) {
	var opts []any
	o, _ := el["options"].([]any)
	opts = append(opts, o...)
	groups, _ := el["option_groups"].([]any)
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		o, _ := gm["options"].([]any)
		opts = append(opts, o...)
	}
	for _, o := range opts {
		om, _ := o.(map[string]any)
		if v, _ := om["value"].(string); v == value {
			return map[string]any{"text": om["text"], "value": value}, nil
		}
	}
	if typ, _ := el["type"].(string); strings.Contains(typ, "external") || len(opts) == 0 && typ == "overflow" {
		return map[string]any{"text": map[string]any{"type": "plain_text", "text": value, "emoji": true}, "value": value}, nil
	}
	return nil, fmt.Errorf("no option with value %q", value)
}
