package slackapp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/store"
)

// malformedSubmissions are view_submission payloads as a broken client or a forger
// might send them: no view, a null view, a view without state, a null state, state
// without values, and values of the wrong shape.
func malformedSubmissions() map[string]json.RawMessage {
	const head = `{"type":"view_submission","team":{"id":"T1"},"user":{"id":"UWU"},"api_app_id":"A1","token":"x","trigger_id":"1.2.3"`
	return map[string]json.RawMessage{
		"no view":        json.RawMessage(head + `}`),
		"null view":      json.RawMessage(head + `,"view":null}`),
		"no state":       json.RawMessage(head + `,"view":{"id":"V1","type":"modal","callback_id":"intake","private_metadata":"request"}}`),
		"null state":     json.RawMessage(head + `,"view":{"id":"V1","type":"modal","callback_id":"intake","state":null}}`),
		"no values":      json.RawMessage(head + `,"view":{"id":"V1","type":"modal","callback_id":"intake","state":{}}}`),
		"step, no state": json.RawMessage(head + `,"view":{"id":"V1","type":"modal","callback_id":"step","private_metadata":"QS-2026-0001|instruct"}}`),
	}
}

// TestMalformedSubmissions_AnsweredOverSocketModeAndHTTP: each malformed view_submission
// is acknowledged (Socket Mode) or answered 200/400 (HTTP); the process serves on, on
// the same websocket, and nothing is stored.
func TestMalformedSubmissions_AnsweredOverSocketModeAndHTTP(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.app.RunSocketMode(ctx, socketmode.New(h.api))
	h.slack.WaitConnected(t, 1, 5*time.Second)
	for name, payload := range malformedSubmissions() {
		h.slack.WaitAck(t, h.slack.Send(t, slacktest.Envelope{Type: "interactive", Payload: payload}), 3*time.Second)
		resp, body := h.slack.PostInteraction(t, h.url, secret, payload)
		if resp.StatusCode != 200 && resp.StatusCode != 400 {
			t.Fatalf("%s over HTTP: %d %s", name, resp.StatusCode, body)
		}
	}
	// Still the first connection, still answering.
	ack := h.slack.WaitAck(t, h.slack.SendEnvelope(t, "slash_commands", h.slack.SlashCommandPayload("UWU", "DUWU", "/matter", "help")), 3*time.Second)
	if !strings.Contains(string(ack.Payload), "status") || ack.Conn != 1 || h.slack.Connections() != 1 {
		t.Fatalf("after the malformed payloads: ack %s on connection %d of %d", ack.Payload, ack.Conn, h.slack.Connections())
	}
	if n := h.matters(t); n != 0 {
		t.Fatalf("%d matters stored from malformed payloads", n)
	}
}

// panicky is the real ledger with a bug: every search panics.
type panicky struct{ bot.Ledger }

func (panicky) Search(context.Context, string, briefbot.Filter) (briefbot.Page, error) {
	panic("bug: search")
}

// TestPanic_AnsweredWithIncidentOverSocketModeAndHTTP: a panic while handling a command
// is answered with the apology and its incident id in the ack, over Socket Mode and
// over HTTP, and the process serves on (over Socket Mode, on the same connection).
func TestPanic_AnsweredWithIncidentOverSocketModeAndHTTP(t *testing.T) {
	h := newHarness(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "p.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	logs := &lockedWriter{w: &strings.Builder{}}
	log := slog.New(slog.NewTextHandler(logs, nil))
	b := bot.New(panicky{st}, h.rules, &notices.Producer{Ledger: st, Rules: h.rules}, bot.Options{Logger: log})
	app := slackapp.New(h.api, b, slackapp.Options{Logger: log})
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go app.RunSocketMode(ctx, socketmode.New(h.api))
	h.slack.WaitConnected(t, 1, 5*time.Second)
	ack := h.slack.WaitAck(t, h.slack.SendEnvelope(t, "slash_commands", h.slack.SlashCommandPayload("UWU", "DUWU", "/matter", "find 执行")), 3*time.Second)
	if !strings.Contains(string(ack.Payload), "系统出错") {
		t.Fatalf("socket ack = %s", ack.Payload)
	}
	srv := httptest.NewServer(app.Handler(secret))
	defer srv.Close()
	resp, body := h.slack.PostSlash(t, srv.URL+"/slack/events", secret, "UWU", "DUWU", "find 执行")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "系统出错") {
		t.Fatalf("HTTP answer = %d %s", resp.StatusCode, body)
	}
	ack = h.slack.WaitAck(t, h.slack.SendEnvelope(t, "slash_commands", h.slack.SlashCommandPayload("UWU", "DUWU", "/matter", "help")), 3*time.Second)
	if !strings.Contains(string(ack.Payload), "status") || h.slack.Connections() != 1 {
		t.Fatalf("after the panics: %s (%d connections)", ack.Payload, h.slack.Connections())
	}
	if n := strings.Count(logs.String(), "incident="); n != 2 {
		t.Fatalf("%d incidents logged, want 2:\n%s", n, logs.String())
	}
}

// TestHTTP_SlowBodyIsCutOff: a client that sends headers and then trickles (or never
// sends) its body is disconnected after the read timeout, before any signature check
// or work.
func TestHTTP_SlowBodyIsCutOff(t *testing.T) {
	h := newHarness(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	app := slackapp.Connect(slackapp.Config{BotToken: slacktest.BotToken, SigningSecret: secret, APIURL: h.slack.APIURL(), Listen: addr,
		ReadTimeout: 300 * time.Millisecond}, bot.New(h.store, h.rules, h.producer, bot.Options{}), slackapp.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx) }()
	defer func() { cancel(); <-done }()
	var conn net.Conn
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if conn, err = net.Dial("tcp", addr); err == nil {
			break
		}
		if time.Now().After(end) {
			t.Fatal(err)
		}
	}
	defer conn.Close()
	io.WriteString(conn, "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncommand=")
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for i := 0; ; i++ { // trickle a byte now and then, as a slowloris client does
		if _, err := io.WriteString(conn, "x"); err != nil {
			break
		}
		conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := bufio.NewReader(conn).ReadByte(); err != nil && !isTimeout(err) {
			break // closed, or answered and closed
		}
		if time.Since(start) > 4*time.Second {
			t.Fatal("the connection was still open after 4 s of trickling")
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// lockedWriter serialises writes from the handlers' goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.(*strings.Builder).String()
}
