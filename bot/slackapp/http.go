package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxBody bounds a request body: Slack's payloads are far smaller.
const maxBody = 1 << 20

// Handler returns the one request URL Slack posts to (mount it at /slack/events):
// Events API callbacks (JSON), slash commands and interactivity payloads (form
// encoded), as Bolt apps do. Every request's signature is checked against secret
// within Slack's 5-minute window first; a forged, stale or unsigned request gets 401
// and changes nothing.
func (a *App) Handler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		buf := getBuf()
		body, err := readBody(*buf, r)
		*buf = body
		if err != nil || len(body) > maxBody {
			http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
			return
		}
		if !isJSON(r.Header.Get("Content-Type")) {
			// What is decoded from a form body is copied out of it: the buffer is
			// reused. (An event's decoding may keep parts of its body: not reused.)
			defer putBuf(buf)
		}
		sv, err := slack.NewSecretsVerifier(r.Header, secret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			a.log.Warn("refused unsigned or badly signed request", "err", err, "remote", r.RemoteAddr)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		// Work under the worker bound, with a deadline that keeps the ack within Slack's 3 s.
		select {
		case a.work <- struct{}{}:
			defer func() { <-a.work }()
		case <-r.Context().Done():
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2500*time.Millisecond)
		defer cancel()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h, kind, status, answered := a.dispatchHTTP(ctx, w, r, body)
		switch {
		case answered:
			return
		case status != 0:
			http.Error(w, kind, status)
			return
		case h.ack != nil:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(h.ack)
		default:
			w.WriteHeader(http.StatusOK)
		}
		a.metrics.Ack("http", kind)
		a.later(h.after)
	})
}

// dispatchHTTP hands a verified request to the bot by its kind: an Events API callback
// (JSON), an interactivity payload or a slash command (form encoded). It returns what
// to answer and the request's kind; a bad request comes back as an HTTP status with
// its reason (in kind), and answered is set when the answer was already written (the
// URL verification challenge, an SSL check).
func (a *App) dispatchHTTP(ctx context.Context, w http.ResponseWriter, r *http.Request, body []byte) (h handled, kind string, status int, answered bool) {
	if isJSON(r.Header.Get("Content-Type")) {
		outer, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
		if err != nil {
			return h, "bad event", http.StatusBadRequest, false
		}
		if outer.Type == slackevents.URLVerification {
			if c, ok := outer.Data.(*slackevents.EventsAPIURLVerificationEvent); ok {
				w.Header().Set("Content-Type", "text/plain")
				_, _ = io.WriteString(w, c.Challenge)
			}
			return h, "", 0, true
		}
		return a.event(ctx, outer), "event", 0, false
	}
	form, err := scanForm(body)
	if err != nil {
		return h, "bad form", http.StatusBadRequest, false
	}
	switch {
	case form.sslCheckIs1():
		return h, "", 0, true
	case form.hasPayload:
		buf := getBuf()
		defer putBuf(buf)
		*buf, _ = unescape((*buf)[:0], form.payload) // scanForm checked its escapes
		cb, err := decodeInteraction(*buf)
		if err != nil {
			return h, "bad payload", http.StatusBadRequest, false
		}
		return a.interaction(ctx, cb), "interactive", 0, false
	case form.hasCommand:
		cmd, err := slack.SlashCommandParse(r)
		if err != nil {
			return h, "bad command", http.StatusBadRequest, false
		}
		return a.slash(ctx, cmd), "slash_command", 0, false
	}
	return h, "unknown request", http.StatusBadRequest, false
}

func isJSON(ct string) bool { return len(ct) >= 16 && ct[:16] == "application/json" }

// readBody reads r's body (up to maxBody and one byte more, to tell it is too large)
// into buf, sized by Content-Length when it is given.
func readBody(buf []byte, r *http.Request) ([]byte, error) {
	if n := r.ContentLength; n > 0 && n <= maxBody && int(n) > cap(buf) {
		buf = make([]byte, 0, n+1)
	}
	lr := io.LimitReader(r.Body, maxBody+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
