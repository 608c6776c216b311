package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Ack is a client's acknowledgement of an envelope.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack carried none
	At         time.Time
	Conn       int // which connection (1 = the first ever established) it came on
}

// Envelope is a Socket Mode message to send with Send.
type Envelope struct {
	Type       string // events_api, slash_commands, interactive
	Payload    any    // marshalled as JSON; json.RawMessage and []byte are sent as they are
	EnvelopeID string // default: a fresh unique id
	// AcceptsResponsePayload defaults to true for slash_commands and for interactive
	// view_submission / block_suggestion payloads, false otherwise.
	AcceptsResponsePayload *bool
	RetryAttempt           int    // events_api only
	RetryReason            string // events_api only, e.g. "timeout"
}

// sockConn is one Socket Mode websocket.
type sockConn struct {
	id     int
	ws     *websocket.Conn
	wmu    sync.Mutex
	closed chan struct{}
}

func (c *sockConn) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// kill closes the connection abruptly: no close frame, the TCP connection just ends.
func (c *sockConn) kill() { _ = c.ws.NetConn().Close() }

// slack-go dials with "Origin: https://api.slack.com", which the default CheckOrigin
// refuses.
var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveSocket is the Socket Mode endpoint that apps.connections.open points at.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	if s.closing || !s.tickets[ticket] {
		s.mu.Unlock()
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	delete(s.tickets, ticket)
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &sockConn{ws: ws, closed: make(chan struct{})}
	defer ws.Close()

	s.mu.Lock()
	s.sockSeq++
	c.id = s.sockSeq
	n := len(s.socks) + 1
	s.mu.Unlock()
	hello, _ := json.Marshal(map[string]any{
		"type": "hello", "num_connections": n,
		"debug_info":      map[string]any{"host": "fakeslack", "build_number": 1, "approximate_connection_time": 18060},
		"connection_info": map[string]any{"app_id": AppID},
	})
	if c.write(hello) != nil {
		return
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return
	}
	s.socks = append(s.socks, c)
	s.notify()
	if s.ping > 0 {
		s.wg.Add(1)
		go s.pinger(c)
	}
	s.mu.Unlock()

	defer func() {
		s.mu.Lock()
		s.socks = slices.DeleteFunc(s.socks, func(x *sockConn) bool { return x == c })
		s.notify()
		s.mu.Unlock()
		close(c.closed)
	}()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var a struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &a) != nil || a.EnvelopeID == "" {
			continue
		}
		if string(a.Payload) == "null" {
			a.Payload = nil
		}
		s.mu.Lock()
		s.acks = append(s.acks, Ack{EnvelopeID: a.EnvelopeID, Payload: a.Payload, At: time.Now(), Conn: c.id})
		s.notify()
		s.mu.Unlock()
	}
}

// pinger sends WebSocket PINGs: one at once, then every s.ping. slack-go's client
// reconnects when it has seen none for its ping interval (default 30s).
func (s *Server) pinger(c *sockConn) {
	defer s.wg.Done()
	t := time.NewTicker(s.ping)
	defer t.Stop()
	for {
		if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second)); err != nil {
			return
		}
		select {
		case <-t.C:
		case <-c.closed:
			return
		case <-s.done:
			return
		}
	}
}

// current is the newest open connection, waiting up to timeout for one.
func (s *Server) current(timeout time.Duration) *sockConn {
	var c *sockConn
	s.waitUntil(timeout, func() bool {
		if len(s.socks) > 0 {
			c = s.socks[len(s.socks)-1]
		}
		return c != nil
	})
	return c
}

// SendEnvelope sends a Socket Mode envelope with typ and payload to the connected
// client (waiting for one, see WithSocketWait) and returns its envelope_id.
func (s *Server) SendEnvelope(tb testing.TB, typ string, payload any) (envelopeID string) {
	tb.Helper()
	return s.Send(tb, Envelope{Type: typ, Payload: payload})
}

// Send sends e to the connected client and returns its envelope_id.
func (s *Server) Send(tb testing.TB, e Envelope) (envelopeID string) {
	tb.Helper()
	payload, err := marshalPayload(e.Payload)
	if err != nil {
		tb.Fatalf("slacktest: envelope payload: %v", err)
	}
	if e.EnvelopeID == "" {
		s.mu.Lock()
		s.envSeq++
		e.EnvelopeID = fmt.Sprintf("00000000-0000-4000-8000-%012d", s.envSeq)
		s.mu.Unlock()
	}
	accepts := false
	if e.AcceptsResponsePayload != nil {
		accepts = *e.AcceptsResponsePayload
	} else {
		var p struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(payload, &p)
		accepts = e.Type == "slash_commands" ||
			e.Type == "interactive" && (p.Type == "view_submission" || p.Type == "block_suggestion")
	}
	frame := map[string]any{
		"envelope_id":              e.EnvelopeID,
		"payload":                  payload,
		"type":                     e.Type,
		"accepts_response_payload": accepts,
	}
	if e.Type == "events_api" {
		frame["retry_attempt"] = e.RetryAttempt
		frame["retry_reason"] = e.RetryReason
	}
	b, err := json.Marshal(frame)
	if err != nil {
		tb.Fatalf("slacktest: envelope: %v", err)
	}
	s.SendRaw(tb, b)
	return e.EnvelopeID
}

// SendRaw writes one text frame, as it is, to the connected client (waiting for one).
func (s *Server) SendRaw(tb testing.TB, frame []byte) {
	tb.Helper()
	deadline := time.Now().Add(s.wait)
	for {
		c := s.current(time.Until(deadline))
		if c == nil {
			tb.Fatalf("slacktest: no Socket Mode client connected within %v", s.wait)
		}
		if c.write(frame) == nil {
			return
		}
		// The connection broke under us: drop it and wait for the client to reconnect.
		c.kill()
		select {
		case <-c.closed:
		case <-time.After(time.Until(deadline)):
		}
	}
}

func marshalPayload(p any) (json.RawMessage, error) {
	switch v := p.(type) {
	case json.RawMessage:
		return v, nil
	case []byte:
		return v, nil
	}
	return json.Marshal(p)
}

// WaitAck waits for the ack of envelopeID (the first one, if it was acked more than
// once) and fails tb after timeout.
func (s *Server) WaitAck(tb testing.TB, envelopeID string, timeout time.Duration) Ack {
	tb.Helper()
	var ack Ack
	ok := s.waitUntil(timeout, func() bool {
		for _, a := range s.acks {
			if a.EnvelopeID == envelopeID {
				ack = a
				return true
			}
		}
		return false
	})
	if !ok {
		tb.Fatalf("slacktest: no ack for envelope %s within %v", envelopeID, timeout)
	}
	return ack
}

// Acks returns every ack received, oldest first.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.acks)
}

// newest is the newest Socket Mode connection, nil if there has been none.
func (s *Server) newest() *sockConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.socks) == 0 {
		return nil
	}
	return s.socks[len(s.socks)-1]
}

// DropSocket closes the newest Socket Mode connection abruptly (no close frame) and
// waits until the server has let go of it. It reports whether there was one.
func (s *Server) DropSocket() bool {
	c := s.newest()
	if c == nil {
		return false
	}
	c.kill()
	select {
	case <-c.closed:
	case <-time.After(5 * time.Second):
	}
	return true
}

// Disconnect sends a disconnect message (reason e.g. "refresh_requested", "warning",
// "too_many_websockets") on the newest connection; slack-go's client then closes it
// and reconnects. It reports whether a client was connected.
func (s *Server) Disconnect(reason string) bool {
	c := s.newest()
	if c == nil {
		return false
	}
	b, _ := json.Marshal(map[string]any{"type": "disconnect", "reason": reason, "debug_info": map[string]any{"host": "fakeslack"}})
	return c.write(b) == nil
}

// Connections counts successful apps.connections.open calls.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opens
}

// Connected counts the Socket Mode websockets open now.
func (s *Server) Connected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.socks)
}

// WaitConnected waits until at least n websockets have been established in all
// (counting closed ones) and one is open, and fails tb after timeout.
func (s *Server) WaitConnected(tb testing.TB, n int, timeout time.Duration) {
	tb.Helper()
	if !s.waitUntil(timeout, func() bool { return s.sockSeq >= n && len(s.socks) > 0 }) {
		s.mu.Lock()
		seq, open := s.sockSeq, len(s.socks)
		s.mu.Unlock()
		tb.Fatalf("slacktest: %d websockets established (%d open) after %v, want %d", seq, open, timeout, n)
	}
}
