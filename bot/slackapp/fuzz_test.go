package slackapp_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/slacktest"
)

// FuzzSignature: a request whose signature was not made with the secret over exactly
// its body and a fresh timestamp is refused with 401, whatever it carries; a request
// that was is never refused for its signature. Nothing panics.
func FuzzSignature(f *testing.F) {
	f.Add([]byte("command=%2Fmatter&text=help&user_id=UWU"), int64(0), "", false)
	f.Add([]byte(`{"type":"url_verification","challenge":"x"}`), int64(-400), "v0=00", true)
	f.Add([]byte("payload=%7B%7D"), int64(10), "v0=", false)
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte, skew int64, forged string, sign bool) {
		ts := time.Now().Add(time.Duration(skew%100000) * time.Second)
		tsHeader, sig := slacktest.Sign(secret, ts, body)
		if !sign {
			sig = forged
		}
		req := httptest.NewRequest(http.MethodPost, "/slack/events", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("X-Slack-Request-Timestamp", tsHeader)
		req.Header.Set("X-Slack-Signature", sig)
		rec := httptest.NewRecorder()
		h.app.Handler(secret).ServeHTTP(rec, req)
		sk := skew % 100000
		if sk > 290 && sk < 310 || sk < -290 && sk > -310 {
			return // at the edge of the 5-minute window either answer is right
		}
		fresh := sk > -300 && sk < 300
		valid := sign && fresh
		if !valid && rec.Code != http.StatusUnauthorized {
			if _, err := strconv.Atoi(tsHeader); err == nil {
				t.Fatalf("a request not signed for now got HTTP %d (sign %v, skew %d)", rec.Code, sign, skew)
			}
		}
		if valid && rec.Code == http.StatusUnauthorized {
			t.Fatalf("a properly signed request was refused")
		}
	})
}
