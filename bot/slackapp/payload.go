package slackapp

import (
	"bytes"
	"encoding/json"
	"errors"
	"sync"

	"github.com/slack-go/slack"
)

// interactionJSON is an interactivity payload as far as the bot reads it. The views'
// and messages' block trees are not declared, so the decoder steps over them instead
// of building slack-go's block values (the intake form's view_submission carries its
// 19 blocks with every option list, about 10 KB, none of which the bot reads). State
// values and actions decode into slack-go's own types, so they read the same.
//
// A field the bot starts reading must be added here, to callback, and to the
// projection in payload_test.go, which checks this decoding against slack-go's.
type interactionJSON struct {
	Type                slack.InteractionType `json:"type"`
	Token               string                `json:"token"`
	CallbackID          string                `json:"callback_id"`
	ResponseURL         string                `json:"response_url"`
	TriggerID           string                `json:"trigger_id"`
	ActionTs            string                `json:"action_ts"`
	APIAppID            string                `json:"api_app_id"`
	IsEnterpriseInstall bool                  `json:"is_enterprise_install"`
	Team                struct {
		ID     string `json:"id"`
		Domain string `json:"domain"`
	} `json:"team"`
	User struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		TeamID string `json:"team_id"`
	} `json:"user"`
	Channel struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"channel"`
	Enterprise slack.Enterprise `json:"enterprise"`
	Container  slack.Container  `json:"container"`
	Message    struct {
		Timestamp       string              `json:"ts"`
		ThreadTimestamp string              `json:"thread_ts"`
		Metadata        slack.SlackMetadata `json:"metadata"`
	} `json:"message"`
	View struct {
		ID                 string           `json:"id"`
		TeamID             string           `json:"team_id"`
		Type               slack.ViewType   `json:"type"`
		PrivateMetadata    string           `json:"private_metadata"`
		CallbackID         string           `json:"callback_id"`
		State              *slack.ViewState `json:"state"`
		Hash               string           `json:"hash"`
		RootViewID         string           `json:"root_view_id"`
		PreviousViewID     string           `json:"previous_view_id"`
		ExternalID         string           `json:"external_id"`
		AppID              string           `json:"app_id"`
		BotID              string           `json:"bot_id"`
		AppInstalledTeamID string           `json:"app_installed_team_id"`
	} `json:"view"`
	Actions []actionJSON `json:"actions"`
	// State is a block_actions payload's state (a message's inputs); other types'
	// "state" (a legacy dialog's) is not read.
	State json.RawMessage `json:"state"`
}

// actionJSON is one element of "actions". Like slack-go, an action whose "block_id"
// is a string is a block action; anything else is a legacy attachment action, which
// the bot does not read.
type actionJSON struct {
	slack.BlockAction
	block bool
}

// UnmarshalJSON decides as slack-go does (on the exact key "block_id"), then decodes
// a block action into slack-go's type.
func (a *actionJSON) UnmarshalJSON(b []byte) error {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	id := probe["block_id"]
	if len(id) == 0 || id[0] != '"' {
		return nil
	}
	a.block = true
	return json.Unmarshal(b, &a.BlockAction)
}

// decodeInteraction decodes an interactivity payload into the callback the bot
// handles, with the fields the bot reads (see interactionJSON) and nothing else.
func decodeInteraction(payload []byte) (slack.InteractionCallback, error) {
	buf := getBuf()
	defer putBuf(buf)
	lean, _ := elideBlocks((*buf)[:0], payload)
	if cap(lean) > cap(*buf) && len(lean) > 0 && &lean[0] != &payload[0] {
		*buf = lean[:0] // grown: keep the larger buffer
	}
	var p interactionJSON
	if err := json.Unmarshal(lean, &p); err != nil {
		return slack.InteractionCallback{}, err
	}
	return p.callback()
}

// callback is p as slack-go's callback, the type the bot's handlers take (Socket Mode
// delivers it decoded by slack-go).
func (p *interactionJSON) callback() (slack.InteractionCallback, error) {
	cb := slack.InteractionCallback{
		Type: p.Type, Token: p.Token, CallbackID: p.CallbackID, ResponseURL: p.ResponseURL, TriggerID: p.TriggerID,
		ActionTs: p.ActionTs, APIAppID: p.APIAppID, IsEnterpriseInstall: p.IsEnterpriseInstall,
		Team:       slack.Team{ID: p.Team.ID, Domain: p.Team.Domain},
		Enterprise: p.Enterprise, Container: p.Container,
	}
	cb.User.ID, cb.User.Name, cb.User.TeamID = p.User.ID, p.User.Name, p.User.TeamID
	cb.Channel.ID, cb.Channel.Name = p.Channel.ID, p.Channel.Name
	cb.Message.Timestamp, cb.Message.ThreadTimestamp, cb.Message.Metadata = p.Message.Timestamp, p.Message.ThreadTimestamp, p.Message.Metadata
	v := &p.View
	cb.View = slack.View{ID: v.ID, TeamID: v.TeamID, Type: v.Type, PrivateMetadata: v.PrivateMetadata, CallbackID: v.CallbackID,
		State: v.State, Hash: v.Hash, RootViewID: v.RootViewID, PreviousViewID: v.PreviousViewID, ExternalID: v.ExternalID,
		AppID: v.AppID, BotID: v.BotID, AppInstalledTeamID: v.AppInstalledTeamID}
	for i := range p.Actions {
		if a := &p.Actions[i]; a.block {
			cb.ActionCallback.BlockActions = append(cb.ActionCallback.BlockActions, &a.BlockAction)
		}
	}
	if p.Type == slack.InteractionTypeBlockActions && len(p.State) > 0 {
		if err := json.Unmarshal(p.State, &cb.BlockActionState); err != nil {
			return slack.InteractionCallback{}, err
		}
	}
	return cb, nil
}

// errBadForm is a form body url.ParseQuery would refuse.
var errBadForm = errors.New("malformed form body")

// formBody is a form-encoded body as the handler reads it: the first value of each of
// the few keys it looks at, found without copying or unescaping the rest.
type formBody struct {
	payload, sslCheck      []byte // raw (still escaped) first values
	hasPayload, hasCommand bool
	hasSSLCheck            bool
}

// scanForm reads body as url.ParseQuery would (pairs split on '&', a ';' refused,
// every escape checked, a key's first value wins) but unescapes only the keys.
func scanForm(body []byte) (formBody, error) {
	var f formBody
	if bytes.IndexByte(body, ';') >= 0 {
		return f, errBadForm
	}
	var keyBuf [32]byte
	for len(body) > 0 {
		pair := body
		if i := bytes.IndexByte(body, '&'); i >= 0 {
			pair, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		if len(pair) == 0 {
			continue
		}
		rawKey, value := pair, []byte(nil)
		if i := bytes.IndexByte(pair, '='); i >= 0 {
			rawKey, value = pair[:i], pair[i+1:]
		}
		key, ok := unescape(keyBuf[:0], rawKey)
		if !ok || !validEscapes(value) {
			return f, errBadForm
		}
		switch string(key) {
		case "payload":
			if !f.hasPayload {
				f.payload, f.hasPayload = value, true
			}
		case "command":
			f.hasCommand = true
		case "ssl_check":
			if !f.hasSSLCheck {
				f.sslCheck, f.hasSSLCheck = value, true
			}
		}
	}
	return f, nil
}

// validEscapes reports whether every '%' in s starts a valid escape.
func validEscapes(s []byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		}
	}
	return true
}

// unescape appends s, query-unescaped ('+' is a space), to dst.
func unescape(dst, s []byte) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return dst, false
			}
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case '+':
			dst = append(dst, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// bufs are buffers for request bodies and unescaped payloads: what is decoded from
// them is copied out (strings), so a buffer is reused once its request is handled.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func getBuf() *[]byte { return bufs.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) > 256<<10 { // keep no outsized buffer alive
		return
	}
	*b = (*b)[:0]
	bufs.Put(b)
}

// sslCheckIs1 reports whether the body's ssl_check is "1" (Slack's certificate check).
func (f *formBody) sslCheckIs1() bool {
	if !f.hasSSLCheck {
		return false
	}
	var b [8]byte
	v, _ := unescape(b[:0], f.sslCheck)
	return string(v) == "1"
}
