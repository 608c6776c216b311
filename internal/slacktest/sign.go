package slacktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Content types of the requests Slack sends in HTTP mode.
const (
	ContentTypeForm = "application/x-www-form-urlencoded"
	ContentTypeJSON = "application/json"
)

// Sign computes Slack's request signature (slack.md 1.1): the
// X-Slack-Request-Timestamp value (unix seconds) and the X-Slack-Signature value
// "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).
func Sign(secret string, ts time.Time, body []byte) (timestampHeader, signatureHeader string) {
	timestampHeader = strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestampHeader + ":"))
	mac.Write(body)
	return timestampHeader, "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// NewSignedRequest is a POST of body to target signed with secret at ts, for calling
// an http.Handler directly (httptest.NewRecorder).
func NewSignedRequest(target, secret, contentType string, body []byte, ts time.Time) *http.Request {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		panic(fmt.Sprintf("slacktest: %v", err))
	}
	t, sig := Sign(secret, ts, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", t)
	req.Header.Set("X-Slack-Signature", sig)
	return req
}

// FormBody encodes a payload of strings (such as SlashCommandPayload) as a form body.
func FormBody(payload map[string]any) []byte {
	v := url.Values{}
	for k, x := range payload {
		if x != nil {
			v.Set(k, fmt.Sprint(x))
		}
	}
	return []byte(v.Encode())
}

// InteractionBody is the HTTP-mode interactivity body: payload=<url-encoded JSON>.
func InteractionBody(payload any) ([]byte, error) {
	b, err := marshalPayload(payload)
	if err != nil {
		return nil, err
	}
	return []byte(url.Values{"payload": {string(b)}}.Encode()), nil
}

// PostSlash posts a signed slash command to target, as Slack does in HTTP mode. A text
// starting with "/" names the command ("/matter list"); otherwise the server's command
// (WithCommand, default "/matter") is used. The response_url points at this server.
func (s *Server) PostSlash(tb testing.TB, target, secret, user, channel, text string) (*http.Response, []byte) {
	tb.Helper()
	command := s.command
	if strings.HasPrefix(text, "/") {
		command, text, _ = strings.Cut(text, " ")
	}
	body := FormBody(s.SlashCommandPayload(user, channel, command, text))
	t, sig := Sign(secret, time.Now(), body)
	return PostSigned(tb, target, ContentTypeForm, body, t, sig, nil)
}

// PostInteraction posts a signed interactivity payload (form field payload=<json>).
func (s *Server) PostInteraction(tb testing.TB, target, secret string, payload any) (*http.Response, []byte) {
	tb.Helper()
	body, err := InteractionBody(payload)
	if err != nil {
		tb.Fatalf("slacktest: interaction payload: %v", err)
	}
	t, sig := Sign(secret, time.Now(), body)
	return PostSigned(tb, target, ContentTypeForm, body, t, sig, nil)
}

// PostEvent posts a signed Events API body (a map, or raw JSON bytes). retryNum > 0
// adds X-Slack-Retry-Num and X-Slack-Retry-Reason: http_timeout, as Slack's retries
// carry; the same body is re-signed with a fresh timestamp.
func (s *Server) PostEvent(tb testing.TB, target, secret string, body any, retryNum int) (*http.Response, []byte) {
	tb.Helper()
	b, err := marshalPayload(body)
	if err != nil {
		tb.Fatalf("slacktest: event body: %v", err)
	}
	var h http.Header
	if retryNum > 0 {
		h = http.Header{}
		h.Set("X-Slack-Retry-Num", strconv.Itoa(retryNum))
		h.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	t, sig := Sign(secret, time.Now(), b)
	return PostSigned(tb, target, ContentTypeJSON, b, t, sig, h)
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

// PostSigned posts body with explicit signature headers, for forged, stale and
// missing-header tests: an empty timestamp or signature leaves that header out. header
// adds more headers. It returns the response with its body read (resp.Body can still
// be read once more).
func PostSigned(tb testing.TB, target, contentType string, body []byte, timestamp, signature string, header http.Header) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("slacktest: %v", err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", contentType)
	if timestamp != "" {
		req.Header.Set("X-Slack-Request-Timestamp", timestamp)
	}
	if signature != "" {
		req.Header.Set("X-Slack-Signature", signature)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		tb.Fatalf("slacktest: POST %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("slacktest: POST %s: reading the response: %v", target, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, b
}
