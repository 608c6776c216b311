package slacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// apiRequest is a parsed Web API call.
type apiRequest struct {
	method string
	form   url.Values     // form fields and query parameters
	json   map[string]any // JSON body (a private copy the handler may keep)
}

// apiError is an ok:false answer.
type apiError struct {
	code     string
	messages []string // response_metadata.messages
	errors   []string // top-level "errors" (invalid_blocks)
}

func errf(code string, messages ...string) *apiError {
	return &apiError{code: code, messages: messages}
}

// handler answers one method. It runs with s.mu held; its result is marshalled
// before the lock is released.
type handler func(s *Server, r *apiRequest, now time.Time) (map[string]any, *apiError)

type methodSpec struct {
	fn  handler
	app bool // needs the app-level token instead of the bot token
}

var methods map[string]methodSpec

func init() {
	methods = map[string]methodSpec{
		"auth.test":             {fn: (*Server).authTest},
		"chat.postMessage":      {fn: (*Server).chatPostMessage},
		"chat.update":           {fn: (*Server).chatUpdate},
		"chat.postEphemeral":    {fn: (*Server).chatPostEphemeral},
		"chat.delete":           {fn: (*Server).chatDelete},
		"conversations.open":    {fn: (*Server).conversationsOpen},
		"conversations.history": {fn: (*Server).conversationsHistory},
		"conversations.replies": {fn: (*Server).conversationsReplies},
		"users.info":            {fn: (*Server).usersInfo},
		"users.lookupByEmail":   {fn: (*Server).usersLookupByEmail},
		"views.open":            {fn: (*Server).viewsOpen},
		"views.push":            {fn: (*Server).viewsPush},
		"views.update":          {fn: (*Server).viewsUpdate},
		"views.publish":         {fn: (*Server).viewsPublish},
		"apps.connections.open": {fn: (*Server).appsConnectionsOpen, app: true},
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	call := Call{Method: method, Time: now}
	req, perr := readAPIRequest(r, &call)
	spec, known := methods[method]
	var aerr *apiError
	switch {
	case !known:
		aerr = errf("unknown_method")
	case call.Token == "":
		aerr = errf("not_authed")
	case spec.app && call.Token != AppToken, !spec.app && call.Token != BotToken:
		aerr = errf("invalid_auth")
	case perr != nil:
		aerr = perr
	}

	status := http.StatusOK
	var header http.Header
	var res map[string]any
	f := (*Fault)(nil)
	if aerr == nil {
		f = s.popFault(method, dmChannel(req.str("channel")))
	}
	switch {
	case f != nil && f.Posted:
		// The call takes effect at once; the answer (the fault's) comes after Delay,
		// or never (Drop): the message a client gave up on is there all the same.
		s.mu.Lock()
		took, tookErr := spec.fn(s, req, now)
		s.mu.Unlock()
		if !s.sleep(r, f.Delay) {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		status, header, aerr = faultAnswer(f)
		if status == http.StatusOK && aerr == nil { // late, but answered as it went
			res, aerr = took, tookErr
			if res == nil {
				res = map[string]any{}
			}
		}
	case f != nil:
		if !s.sleep(r, f.Delay) {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		status, header, aerr = faultAnswer(f)
	}
	call.Fault = f

	s.mu.Lock()
	if aerr == nil && status == http.StatusOK && res == nil {
		res, aerr = spec.fn(s, req, now)
	}
	out := answer(res, aerr)
	call.Status = status
	if aerr != nil {
		call.Error = aerr.code
	}
	s.calls = append(s.calls, call)
	s.notify()
	s.mu.Unlock()

	if call.Fault != nil && call.Fault.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
	}
	maps.Copy(w.Header(), header)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// readAPIRequest reads a Web API call's arguments (a JSON body, or a form with the
// query string) and its token into call, as Slack reads them.
func readAPIRequest(r *http.Request, call *Call) (*apiRequest, *apiError) {
	req := &apiRequest{method: call.Method}
	var perr *apiError
	body, err := io.ReadAll(r.Body)
	if err != nil {
		perr = errf("request_timeout")
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		req.form = r.URL.Query()
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, &req.json); err != nil {
				perr = errf("invalid_json")
			}
			_ = json.Unmarshal(body, &call.JSON) // a second copy: handlers may keep req.json
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			perr = errf("invalid_form_data")
		}
		for k, v := range r.URL.Query() {
			form[k] = append(form[k], v...)
		}
		req.form = form
	}
	if len(req.form) > 0 || ct != "application/json" {
		call.Form = maps.Clone(req.form)
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		call.Token = strings.TrimPrefix(h, "Bearer ")
	} else {
		call.Token = req.form.Get("token")
	}
	return req, perr
}

// answer marshals a success result or an error.
func answer(res map[string]any, aerr *apiError) []byte {
	if aerr != nil {
		res = map[string]any{"ok": false, "error": aerr.code}
		if len(aerr.messages) > 0 {
			res["response_metadata"] = map[string]any{"messages": aerr.messages}
		}
		if len(aerr.errors) > 0 {
			res["errors"] = aerr.errors
		}
	} else {
		if res == nil {
			res = map[string]any{}
		}
		res["ok"] = true
	}
	b, err := json.Marshal(res)
	if err != nil {
		b = []byte(`{"ok":false,"error":"fakeslack_marshal_failed"}`)
	}
	return b
}

// popFault takes the next queued fault for a call of method to channel: the first
// one for any channel or for this one.
func (s *Server) popFault(method, channel string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[method]
	for i, f := range q {
		if f.Channel == "" || dmChannel(f.Channel) == channel {
			s.faults[method] = append(q[:i:i], q[i+1:]...)
			return &f
		}
	}
	return nil
}

// sleep waits d, as a slow Slack does: a client that gives up meanwhile does not stop
// the call, which still takes effect when the wait is over (the message a timed-out
// client never heard of). It reports false if the server shut down first.
func (s *Server) sleep(_ *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.done:
		return false
	}
}

// faultAnswer is what a fault answers; status 200 with no error means "answer normally".
func faultAnswer(f *Fault) (int, http.Header, *apiError) {
	h := http.Header{}
	if f.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	switch {
	case f.Status == http.StatusTooManyRequests:
		code := f.Error
		if code == "" {
			code = "ratelimited"
		}
		return f.Status, h, errf(code)
	case f.Status != 0 && f.Status != http.StatusOK:
		code := f.Error
		if code == "" {
			code = "internal_error"
		}
		return f.Status, h, errf(code)
	case f.Error != "":
		return http.StatusOK, h, errf(f.Error)
	}
	return http.StatusOK, h, nil
}

// str is a parameter as a string, from the form or the JSON body.
func (r *apiRequest) str(key string) string {
	if r.json != nil {
		switch v := r.json[key].(type) {
		case nil:
		case string:
			return v
		case bool:
			return strconv.FormatBool(v)
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		default:
			b, _ := json.Marshal(v)
			return string(b)
		}
	}
	return r.form.Get(key)
}

// has reports whether the parameter was sent at all.
func (r *apiRequest) has(key string) bool {
	if r.json != nil {
		if _, ok := r.json[key]; ok {
			return true
		}
	}
	return r.form.Has(key)
}

// jsonParam is a parameter holding JSON: a JSON string in a form field (slack-go
// sends blocks that way), or a value (or JSON string) in a JSON body. present is false
// for absent, empty and null values.
func (r *apiRequest) jsonParam(key string) (v any, present bool, err error) {
	var raw string
	if r.json != nil {
		if v, ok := r.json[key]; ok && v != nil {
			s, isStr := v.(string)
			if !isStr {
				return v, true, nil
			}
			raw = s
		}
	}
	if raw == "" {
		raw = r.form.Get(key)
	}
	if strings.TrimSpace(raw) == "" || raw == "null" {
		return nil, false, nil
	}
	err = json.Unmarshal([]byte(raw), &v)
	return v, v != nil, err
}

// blocksParam reads and normalises a blocks (or attachments) array.
func (r *apiRequest) blocksParam(key string) ([]any, bool, *apiError) {
	v, ok, err := r.jsonParam(key)
	if err != nil {
		return nil, false, errf("invalid_"+key, "[ERROR] "+key+" is not valid JSON")
	}
	if !ok {
		return nil, false, nil
	}
	a, isArr := v.([]any)
	if !isArr {
		return nil, false, errf("invalid_"+key+"_format", "[ERROR] "+key+" must be an array")
	}
	return a, true, nil
}

func (s *Server) authTest(_ *apiRequest, _ time.Time) (map[string]any, *apiError) {
	return map[string]any{
		"url":                   s.base + "/",
		"team":                  "Fake Workspace",
		"user":                  "briefbot",
		"team_id":               TeamID,
		"user_id":               BotUserID,
		"bot_id":                BotID,
		"is_enterprise_install": false,
	}, nil
}

// nextTS is a unique, increasing message timestamp.
// nextTS is a new message's ts, as Slack's: the time of posting in microseconds since
// the epoch, "seconds.micros", unique and increasing within the channel (here, the
// workspace).
func (s *Server) nextTS() string {
	now := time.Now().UnixMicro()
	if now <= s.lastTS {
		now = s.lastTS + 1
	}
	s.lastTS = now
	return fmt.Sprintf("%d.%06d", now/1_000_000, now%1_000_000)
}

// messageContent reads text, blocks and attachments and checks them.
func messageContent(r *apiRequest, needContent bool) (text string, blocks, atts []any, hasBlocks, hasAtts bool, aerr *apiError) {
	text = r.str("text")
	if blocks, hasBlocks, aerr = r.blocksParam("blocks"); aerr != nil {
		return
	}
	if atts, hasAtts, aerr = r.blocksParam("attachments"); aerr != nil {
		return
	}
	if needContent && text == "" && len(blocks) == 0 && len(atts) == 0 {
		aerr = errf("no_text")
		return
	}
	if msgs := checkMessageBlocks(blocks); len(msgs) > 0 {
		aerr = &apiError{code: "invalid_blocks", messages: msgs, errors: msgs}
		return
	}
	if utf8.RuneCountInString(text) > maxMessageText {
		aerr = errf("msg_too_long")
		return
	}
	if len(atts) > 100 {
		aerr = errf("too_many_attachments")
	}
	return
}

func rawJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}

// messageObject is the "message" Slack returns for a bot post.
func messageObject(m *Message) map[string]any {
	o := map[string]any{
		"type":   "message",
		"text":   m.Text,
		"user":   BotUserID,
		"bot_id": BotID,
		"app_id": AppID,
		"team":   TeamID,
		"ts":     m.TS,
		"bot_profile": map[string]any{
			"id": BotID, "deleted": false, "name": "briefbot", "updated": 1690000000,
			"app_id": AppID, "team_id": TeamID,
		},
	}
	if m.Blocks != nil {
		o["blocks"] = json.RawMessage(m.Blocks)
	}
	if m.Attachments != nil {
		o["attachments"] = json.RawMessage(m.Attachments)
	}
	if m.ThreadTS != "" {
		o["thread_ts"] = m.ThreadTS
	}
	return o
}

// dmChannel maps a user id given as a channel to the user's DM channel, as Slack does.
func dmChannel(ch string) string {
	if strings.HasPrefix(ch, "U") || strings.HasPrefix(ch, "W") {
		return "D" + ch
	}
	return ch
}

func (s *Server) chatPostMessage(r *apiRequest, now time.Time) (map[string]any, *apiError) {
	channel := dmChannel(r.str("channel"))
	if channel == "" {
		return nil, errf("channel_not_found")
	}
	text, blocks, atts, hasBlocks, hasAtts, aerr := messageContent(r, true)
	if aerr != nil {
		return nil, aerr
	}
	m := &Message{Method: r.method, Channel: channel, Text: text, ThreadTS: r.str("thread_ts"), TS: s.nextTS(), Time: now}
	if md := r.str("metadata"); md != "" && json.Valid([]byte(md)) {
		m.Metadata = json.RawMessage(md)
	}
	if hasBlocks {
		m.Blocks = rawJSON(fillIDs(blocks))
	}
	if hasAtts {
		m.Attachments = rawJSON(atts)
	}
	s.msgs[channel+"/"+m.TS] = m
	s.posts = append(s.posts, *m)
	return map[string]any{"channel": channel, "ts": m.TS, "message": messageObject(m)}, nil
}

func (s *Server) chatUpdate(r *apiRequest, now time.Time) (map[string]any, *apiError) {
	channel, ts := r.str("channel"), r.str("ts")
	if channel == "" {
		return nil, errf("channel_not_found")
	}
	old, ok := s.msgs[channel+"/"+ts]
	if ts == "" || !ok {
		return nil, errf("message_not_found")
	}
	text, blocks, atts, hasBlocks, hasAtts, aerr := messageContent(r, false)
	if aerr != nil {
		return nil, aerr
	}
	if !r.has("text") && !hasBlocks && !hasAtts {
		return nil, errf("no_text")
	}
	m := *old
	m.Method, m.Time = r.method, now
	if r.has("text") {
		m.Text = text
	}
	if hasBlocks {
		m.Blocks = rawJSON(fillIDs(blocks))
	}
	if hasAtts {
		m.Attachments = rawJSON(atts)
	}
	s.msgs[channel+"/"+ts] = &m
	s.posts = append(s.posts, m)
	return map[string]any{"channel": channel, "ts": ts, "text": m.Text, "message": messageObject(&m)}, nil
}

func (s *Server) chatPostEphemeral(r *apiRequest, now time.Time) (map[string]any, *apiError) {
	channel, user := r.str("channel"), r.str("user")
	if channel == "" {
		return nil, errf("channel_not_found")
	}
	if user == "" {
		return nil, errf("user_not_in_channel", "[ERROR] missing required field: user")
	}
	text, blocks, atts, hasBlocks, hasAtts, aerr := messageContent(r, true)
	if aerr != nil {
		return nil, aerr
	}
	m := Message{Method: r.method, Channel: dmChannel(channel), User: user, Text: text, ThreadTS: r.str("thread_ts"), TS: s.nextTS(), Ephemeral: true, Time: now}
	if hasBlocks {
		m.Blocks = rawJSON(fillIDs(blocks))
	}
	if hasAtts {
		m.Attachments = rawJSON(atts)
	}
	s.ephs = append(s.ephs, m)
	return map[string]any{"message_ts": m.TS}, nil
}

func (s *Server) chatDelete(r *apiRequest, _ time.Time) (map[string]any, *apiError) {
	channel, ts := r.str("channel"), r.str("ts")
	if channel == "" {
		return nil, errf("channel_not_found")
	}
	if _, ok := s.msgs[channel+"/"+ts]; !ok {
		return nil, errf("message_not_found")
	}
	delete(s.msgs, channel+"/"+ts)
	return map[string]any{"channel": channel, "ts": ts}, nil
}

func (s *Server) conversationsOpen(r *apiRequest, _ time.Time) (map[string]any, *apiError) {
	if ch := r.str("channel"); ch != "" {
		return map[string]any{"channel": map[string]any{"id": ch}}, nil
	}
	var users []string
	for u := range strings.SplitSeq(r.str("users"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return nil, errf("users_list_not_supplied")
	}
	if len(s.users) > 0 {
		for _, u := range users {
			if _, ok := s.users[u]; !ok {
				return nil, errf("user_not_found")
			}
		}
	}
	id := "D" + users[0]
	if len(users) > 1 {
		slices.Sort(users)
		id = "G" + strings.Join(users, "")
	}
	already := s.dms[id]
	s.dms[id] = true
	if r.str("return_im") != "true" {
		return map[string]any{"channel": map[string]any{"id": id}}, nil
	}
	ch := map[string]any{
		"id": id, "created": 1700000000, "is_im": len(users) == 1, "is_mpim": len(users) > 1,
		"is_org_shared": false, "is_open": true, "last_read": "0000000000.000000",
		"unread_count": 0, "unread_count_display": 0, "priority": 0,
	}
	if len(users) == 1 {
		ch["user"] = users[0]
	}
	return map[string]any{"no_op": already, "already_open": already, "channel": ch}, nil
}

func (s *Server) usersInfo(r *apiRequest, _ time.Time) (map[string]any, *apiError) {
	u, ok := s.users[r.str("user")]
	if !ok {
		return nil, errf("user_not_found")
	}
	return map[string]any{"user": userObject(u)}, nil
}

func (s *Server) usersLookupByEmail(r *apiRequest, _ time.Time) (map[string]any, *apiError) {
	email := r.str("email")
	for _, u := range s.users {
		if email != "" && strings.EqualFold(u.Email, email) {
			return map[string]any{"user": userObject(u)}, nil
		}
	}
	return nil, errf("users_not_found")
}

// userObject is a users.info "user".
func userObject(u User) map[string]any {
	name := u.Name
	if name == "" {
		name = strings.ToLower(u.ID)
	}
	real := u.RealName
	if real == "" {
		real = name
	}
	tz, off, locale := u.TZ, u.TZOffset, u.Locale
	if tz == "" {
		tz, off = "Asia/Shanghai", 8*3600
	}
	if locale == "" {
		locale = "zh-CN"
	}
	return map[string]any{
		"id": u.ID, "team_id": TeamID, "name": name, "deleted": u.Deleted, "color": "9f69e7",
		"real_name": real, "tz": tz, "tz_label": tz, "tz_offset": off,
		"profile": map[string]any{
			"real_name": real, "real_name_normalized": real,
			"display_name": u.DisplayName, "display_name_normalized": u.DisplayName,
			"email": u.Email, "team": TeamID,
		},
		"is_admin": u.IsAdmin, "is_owner": false, "is_primary_owner": false,
		"is_restricted": false, "is_ultra_restricted": false, "is_bot": u.IsBot,
		"is_app_user": false, "updated": 1700000000, "has_2fa": false, "locale": locale,
	}
}

func (s *Server) appsConnectionsOpen(_ *apiRequest, _ time.Time) (map[string]any, *apiError) {
	s.ticket++
	t := strconv.Itoa(s.ticket)
	s.tickets[t] = true
	s.opens++
	ws := "ws" + strings.TrimPrefix(s.base, "http")
	return map[string]any{"url": ws + "/link/?ticket=" + t + "&app_id=" + AppID}, nil
}

// conversationsHistory answers a channel's messages newest first, as Slack does:
// thread parents and messages outside threads only (replies are read with
// conversations.replies), after oldest and up to latest (inclusive with inclusive=1),
// limit at a time (default 100) with a cursor for the next page, and their metadata
// only when include_all_metadata is set.
func (s *Server) conversationsHistory(r *apiRequest, _ time.Time) (map[string]any, *apiError) {
	channel := dmChannel(r.str("channel"))
	if channel == "" {
		return nil, errf("channel_not_found")
	}
	var msgs []*Message
	for i := len(s.posts) - 1; i >= 0; i-- {
		p := &s.posts[i]
		if p.Channel == channel && p.Method == "chat.postMessage" && (p.ThreadTS == "" || p.ThreadTS == p.TS) {
			msgs = append(msgs, p)
		}
	}
	return page(r, msgs), nil
}

// conversationsReplies answers a thread: its parent, then its replies oldest first,
// paged and filtered like conversationsHistory.
func (s *Server) conversationsReplies(r *apiRequest, _ time.Time) (map[string]any, *apiError) {
	channel, ts := dmChannel(r.str("channel")), r.str("ts")
	if channel == "" {
		return nil, errf("channel_not_found")
	}
	var msgs []*Message
	for i := range s.posts {
		p := &s.posts[i]
		if p.Channel == channel && p.Method == "chat.postMessage" && (p.TS == ts || p.ThreadTS == ts) {
			msgs = append(msgs, p)
		}
	}
	if len(msgs) == 0 || msgs[0].TS != ts {
		return nil, errf("thread_not_found")
	}
	return page(r, msgs), nil
}

// page answers msgs (in the order given) between oldest and latest, a page at a time.
func page(r *apiRequest, msgs []*Message) map[string]any {
	on := func(k string) bool { return r.str(k) == "1" || r.str(k) == "true" }
	oldest, latest, inclusive, metadata := r.str("oldest"), r.str("latest"), on("inclusive"), on("include_all_metadata")
	limit, _ := strconv.Atoi(r.str("limit"))
	if limit <= 0 || limit > 999 {
		limit = 100
	}
	start, _ := strconv.Atoi(r.str("cursor"))
	var out []any
	next, n := "", 0
	for _, p := range msgs {
		if (oldest != "" && (p.TS < oldest || (p.TS == oldest && !inclusive))) || (latest != "" && (p.TS > latest || (p.TS == latest && !inclusive))) {
			continue
		}
		if n++; n <= start {
			continue
		}
		if len(out) == limit {
			next = strconv.Itoa(start + limit)
			break
		}
		m := map[string]any{"type": "message", "ts": p.TS, "text": p.Text}
		if p.ThreadTS != "" {
			m["thread_ts"] = p.ThreadTS
		}
		if metadata && len(p.Metadata) > 0 {
			var md any
			_ = json.Unmarshal(p.Metadata, &md)
			m["metadata"] = md
		}
		out = append(out, m)
	}
	res := map[string]any{"messages": out, "has_more": next != ""}
	if next != "" {
		res["response_metadata"] = map[string]any{"next_cursor": next}
	}
	return res
}
