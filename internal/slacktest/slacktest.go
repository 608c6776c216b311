// Package slacktest is a local Slack-compatible server for end-to-end tests: the Web
// API methods briefbot calls, a response_url endpoint, a Socket Mode websocket, and
// signed-request helpers for the HTTP transport. slack-go's real client and its
// socketmode client talk to it unchanged.
//
// Wire formats follow ../shared/reference/slack.md. The server records every call,
// enforces the main Block Kit limits, and can inject faults (rate limits, 5xx, delays,
// platform errors) per method.
//
// Typical use:
//
//	srv := slacktest.New(t, slacktest.WithUsers(slacktest.User{ID: "U1", Name: "alice"}))
//	api := slack.New(slacktest.BotToken,
//		slack.OptionAppLevelToken(slacktest.AppToken), slack.OptionAPIURL(srv.APIURL()))
//	// ... start the bot with api (Socket Mode) ...
//	id := srv.SendEnvelope(t, "slash_commands", srv.SlashCommandPayload("U1", "C1", "/matter", "list"))
//	ack := srv.WaitAck(t, id, 3*time.Second)
//	srv.WaitFor(t, "chat.postMessage", 1, 3*time.Second)
//	posts := srv.Posts()
//
// Register the bot's own cleanup after New, so that the bot stops before the server.
package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities the fake workspace reports.
const (
	BotToken  = "xoxb-test" // the only bot token accepted
	AppToken  = "xapp-test" // the only app-level token accepted (apps.connections.open)
	BotUserID = "UBOT"      // auth.test user_id: the bot's own user
	BotID     = "BBOT"      // auth.test bot_id
	TeamID    = "T1"        // workspace id
	AppID     = "A1"        // api_app_id in payloads
)

// MethodResponseURL is the pseudo method name under which posts to a response_url are
// recorded (Calls, WaitFor) and faults are injected (Fail).
const MethodResponseURL = "response_url"

// Server is a running fake Slack. All methods are safe for concurrent use.
type Server struct {
	ts      *httptest.Server
	base    string        // http://127.0.0.1:PORT
	done    chan struct{} // closed when the server shuts down
	ping    time.Duration
	wait    time.Duration // how long SendEnvelope waits for a socket client
	command string

	mu        sync.Mutex
	closing   bool
	wg        sync.WaitGroup // socket goroutines
	changed   chan struct{}  // closed and replaced whenever something is recorded
	users     map[string]User
	calls     []Call
	faults    map[string][]Fault
	posts     []Message
	msgs      map[string]*Message // channel+"/"+ts -> current state of a posted message
	ephs      []Message
	views     map[string]*viewRec
	homes     map[string]string // user -> home view id
	triggers  map[string]string // trigger_id issued by a payload helper -> view id it came from ("" if none)
	dms       map[string]bool   // DM channels opened by conversations.open
	resps     map[int]int       // response_url index -> posts received
	responses []Response
	lastTS    int64 // the last ts given, in microseconds
	viewSeq   int
	hashSeq   int
	respSeq   int
	trigSeq   int
	envSeq    int
	ticket    int
	tickets   map[string]bool
	opens     int // successful apps.connections.open calls
	socks     []*sockConn
	sockSeq   int // websocket connections ever established
	acks      []Ack
	files     map[string]*storedFile // uploaded files by id
	fileSeq   int
}

// Option configures New.
type Option func(*Server)

// WithUsers adds users that users.info (and users.lookupByEmail) know.
func WithUsers(users ...User) Option {
	return func(s *Server) {
		for _, u := range users {
			s.users[u.ID] = u
		}
	}
}

// WithPingInterval sets how often the server sends WebSocket PINGs on a Socket Mode
// connection (default 5s; one is also sent right after connecting). Zero or negative
// disables pings, which makes slack-go's client reconnect after its own ping interval.
func WithPingInterval(d time.Duration) Option { return func(s *Server) { s.ping = d } }

// WithSocketWait sets how long SendEnvelope waits for a Socket Mode client to be
// connected (default 5s).
func WithSocketWait(d time.Duration) Option { return func(s *Server) { s.wait = d } }

// WithCommand sets the slash command PostSlash uses when its text does not start with
// one (default "/matter").
func WithCommand(cmd string) Option { return func(s *Server) { s.command = cmd } }

// User is a workspace member as users.info reports it.
type User struct {
	ID          string
	Name        string // handle; default the lower-cased ID
	RealName    string
	DisplayName string
	Email       string
	TZ          string // IANA zone, default Asia/Shanghai
	TZOffset    int    // seconds east of UTC, default 28800
	Locale      string // default zh-CN
	IsBot       bool
	Deleted     bool
	IsAdmin     bool
}

// Call is one request to a Web API method (or to a response_url, with Method
// MethodResponseURL), recorded whether it succeeded or not. Treat its maps as read-only.
type Call struct {
	Method string
	Form   url.Values     // form posts (and query parameters)
	JSON   map[string]any // JSON posts; nil for form posts and empty bodies
	Token  string         // the token presented (form field or Bearer header)
	Time   time.Time      // when the request arrived
	Fault  *Fault         // the injected fault this call consumed, if any
	Status int            // HTTP status answered
	Error  string         // the "error" answered when ok was false; "" on success
}

// OK reports whether the call was answered HTTP 200 with ok:true.
func (c Call) OK() bool { return c.Status == http.StatusOK && c.Error == "" }

// Fault is an injected failure, consumed by one call of the method it was queued for.
// Delay is applied first (the call then proceeds, normally or with the fault below).
// Status 429 answers {"ok":false,"error":"ratelimited"} with a Retry-After header when
// RetryAfter > 0 (slack-go turns that into *slack.RateLimitedError; without the header
// it is a plain slack.StatusCodeError). Any other non-200 Status answers that status.
// Error alone answers HTTP 200 {"ok":false,"error":Error}.
type Fault struct {
	Status     int
	RetryAfter int // seconds
	Delay      time.Duration
	Error      string
	// Posted makes the call take effect before the fault answers: a message posted
	// whose 5xx reaches the client (the ambiguous failure).
	Posted bool
	// Drop closes the connection instead of answering (after the call took effect if
	// Posted is set): the client's request was written, and no answer ever comes.
	Drop bool
	// Channel, if set, keeps the fault for a call to that channel (queued faults for
	// other channels are passed over, not consumed).
	Channel string
}

// Message is a message the bot posted (chat.postMessage, chat.update,
// chat.postEphemeral). Blocks are as stored: what the bot sent, with a block_id (and
// action_id on interactive elements) filled in where the bot left it out, as Slack does.
type Message struct {
	Method      string // the API method that produced this version
	Channel     string
	User        string // ephemeral messages: the recipient
	Text        string
	Blocks      json.RawMessage // nil when the message has none
	Attachments json.RawMessage
	Metadata    json.RawMessage // message metadata (event_type, event_payload), if posted with any
	ThreadTS    string
	TS          string // message_ts for ephemeral messages
	Ephemeral   bool
	Time        time.Time
}

// View is a view stored by views.open/push/update/publish.
type View struct {
	ID              string
	Type            string // modal or home
	CallbackID      string
	ExternalID      string
	PrivateMetadata string
	Hash            string
	RootViewID      string
	PreviousViewID  string
	UserID          string // views.publish: the Home tab's owner
	TriggerID       string // views.open/push
	Method          string // the method that last set it
	Blocks          json.RawMessage
	JSON            json.RawMessage // the whole view as the API returned it
}

// Response is a post to a response_url handed out by ResponseURL.
type Response struct {
	URL             string
	Index           int // the N in .../response/N
	JSON            map[string]any
	Body            []byte
	Text            string
	Blocks          json.RawMessage
	ResponseType    string
	ReplaceOriginal bool
	DeleteOriginal  bool
	Time            time.Time
}

// New starts a fake Slack; it is shut down on tb.Cleanup.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{
		done:     make(chan struct{}),
		ping:     5 * time.Second,
		wait:     5 * time.Second,
		command:  "/matter",
		changed:  make(chan struct{}),
		users:    map[string]User{},
		faults:   map[string][]Fault{},
		msgs:     map[string]*Message{},
		views:    map[string]*viewRec{},
		homes:    map[string]string{},
		triggers: map[string]string{},
		dms:      map[string]bool{},
		resps:    map[int]int{},
		tickets:  map[string]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/response/", s.serveResponse)
	mux.HandleFunc("/link/", s.serveSocket)
	mux.HandleFunc("/files-pri/", s.serveFile)
	mux.HandleFunc("/signin", serveSignIn)
	// Set the base URL before serving: handlers read it without locking.
	s.ts = httptest.NewUnstartedServer(mux)
	s.base = "http://" + s.ts.Listener.Addr().String()
	s.ts.Start()
	tb.Cleanup(s.close)
	return s
}

func (s *Server) close() {
	s.mu.Lock()
	s.closing = true
	socks := slices.Clone(s.socks)
	s.mu.Unlock()
	close(s.done)
	for _, c := range socks {
		c.kill()
	}
	s.wg.Wait()
	s.ts.Close()
}

// URL is the server's base URL (http://127.0.0.1:PORT, no trailing slash).
func (s *Server) URL() string { return s.base }

// APIURL is the Web API base for slack.OptionAPIURL; it ends in "/".
func (s *Server) APIURL() string { return s.base + "/api/" }

// SetUser adds or replaces a user known to users.info.
func (s *Server) SetUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// Fail queues faults for method ("chat.postMessage", ..., or MethodResponseURL); each
// call of that method consumes the next one.
func (s *Server) Fail(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], faults...)
}

// Calls returns the recorded calls of method, oldest first; "" returns all calls.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Posts returns the successful chat.postMessage and chat.update results, oldest first.
func (s *Server) Posts() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.posts)
}

// Ephemerals returns the successful chat.postEphemeral messages, oldest first.
func (s *Server) Ephemerals() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ephs)
}

// Message returns the current version of the message channel/ts (after updates);
// ok is false if there is none or it was deleted.
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.msgs[channel+"/"+ts]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// Views returns the current views by id.
func (s *Server) Views() map[string]View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]View, len(s.views))
	for id, v := range s.views {
		out[id] = v.export()
	}
	return out
}

// View returns the current view id.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[id]
	if !ok {
		return View{}, false
	}
	return v.export(), true
}

// HomeView returns the Home tab last published for user.
func (s *Server) HomeView(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[s.homes[user]]
	if !ok {
		return View{}, false
	}
	return v.export(), true
}

// Responses returns the posts received on response URLs, oldest first.
func (s *Server) Responses() []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.responses)
}

// ResponseURL hands out a new response_url on this server ("…/response/N").
func (s *Server) ResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.respSeq++
	s.resps[s.respSeq] = 0
	return fmt.Sprintf("%s/response/%d", s.base, s.respSeq)
}

// WaitFor blocks until n successful calls of method have been recorded and returns
// them; it fails tb after timeout.
func (s *Server) WaitFor(tb testing.TB, method string, n int, timeout time.Duration) []Call {
	tb.Helper()
	var got []Call
	ok := s.waitUntil(timeout, func() bool {
		got = got[:0]
		for _, c := range s.calls {
			if c.Method == method && c.OK() {
				got = append(got, c)
			}
		}
		return len(got) >= n
	})
	if !ok {
		tb.Fatalf("slacktest: %d successful %s calls after %v, want %d; calls: %s", len(got), method, timeout, n, s.summary())
	}
	return slices.Clone(got)
}

// summary lists the calls seen, for failure messages.
func (s *Server) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for i, c := range s.calls {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Method)
		if !c.OK() {
			fmt.Fprintf(&b, "(%d %s)", c.Status, c.Error)
		}
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// notify wakes every waiter. Call with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitUntil evaluates cond (with s.mu held) whenever something changes, until it is
// true or timeout passes.
func (s *Server) waitUntil(timeout time.Duration, cond func() bool) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-t.C:
			s.mu.Lock()
			defer s.mu.Unlock()
			return cond()
		case <-s.done:
			return false
		}
	}
}
