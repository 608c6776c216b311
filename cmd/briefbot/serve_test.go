package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/store"
)

// TestServe_SocketModeAgainstLocalSlack runs the real program with Slack tokens and
// SLACK_API_URL pointing at a local Slack-compatible server: it connects over Socket
// Mode and answers a slash command from a member of the built-in example organisation.
func TestServe_SocketModeAgainstLocalSlack(t *testing.T) {
	fs := slacktest.New(t)
	data := filepath.Join(t.TempDir(), "briefbot.db")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opsAddr := l.Addr().String()
	l.Close()
	env := map[string]string{
		"SLACK_BOT_TOKEN": slacktest.BotToken, "SLACK_APP_TOKEN": slacktest.AppToken,
		"SLACK_API_URL": strings.TrimSuffix(fs.APIURL(), "/"), "BRIEFBOT_DATA": data, "BRIEFBOT_OPS_LISTEN": opsAddr,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, nil, func(k string) string { return env[k] }, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	}()
	fs.WaitConnected(t, 1, 10*time.Second)
	// 吴副庭长 of the example organisation (U0AAAA006 in example.yaml).
	user := ""
	for _, m := range config.Example().Rules.Org.Members {
		if m.ID == "wu" {
			user = m.SlackID
		}
	}
	id := fs.SendEnvelope(t, "slash_commands", fs.SlashCommandPayload(user, "D1", "/matter", "help"))
	if ack := fs.WaitAck(t, id, 5*time.Second); !strings.Contains(string(ack.Payload), "/matter status") {
		t.Fatalf("ack = %s", ack.Payload)
	}
	id = fs.SendEnvelope(t, "slash_commands", fs.SlashCommandPayload("USTRANGER", "D1", "/matter", "list"))
	if ack := fs.WaitAck(t, id, 5*time.Second); !strings.Contains(string(ack.Payload), "联系管理员") {
		t.Fatalf("stranger's ack = %s", ack.Payload)
	}
	// The ops endpoint: alive, ready (store open, Socket Mode connected), and counting.
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + opsAddr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if code, body := get(p); code != 200 {
			t.Fatalf("%s = %d %s", p, code, body)
		}
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, `briefbot_acks_total{transport="socket",type="slash_commands"} 2`) ||
		!strings.Contains(body, "briefbot_outbox_depth") || !strings.Contains(body, "briefbot_store_bytes") {
		t.Fatalf("/metrics = %d\n%s", code, body)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"health"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out); err != nil || !strings.Contains(out.String(), "ok") {
		t.Fatalf("briefbot health = %v %s", err, out.String())
	}
	// The websocket drops and Slack is slow to let the bot reconnect: /readyz says so
	// until the connection is back.
	fs.Fail("apps.connections.open", slacktest.Fault{Delay: 1500 * time.Millisecond})
	fs.DropSocket()
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if code, _ := get("/readyz"); code == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(end) {
			t.Fatal("/readyz kept answering ready with the Socket Mode connection down")
		}
	}
	fs.WaitConnected(t, 1, 20*time.Second)
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if code, _ := get("/readyz"); code == http.StatusOK {
			break
		}
		if time.Now().After(end) {
			t.Fatal("/readyz did not come back once reconnected")
		}
	}
	// A hot backup while the bot holds the file: taken by the bot itself, checked.
	backup := filepath.Join(t.TempDir(), "hot.db")
	out.Reset()
	if err := run(context.Background(), []string{"backup", backup}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out); err != nil || !strings.Contains(out.String(), "checked") {
		t.Fatalf("hot backup = %v %s", err, out.String())
	}
	if problems, err := store.CheckFile(backup); err != nil || len(problems) > 0 {
		t.Fatalf("the hot backup: %v %v", problems, err)
	}
	// Into the backup directory by name; a second time refused, not overwritten.
	inDir := filepath.Join(filepath.Dir(data), "backups", "named.db")
	for i, want := range []string{"checked", "不会覆盖"} {
		out.Reset()
		err := run(context.Background(), []string{"backup", inDir}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
		if !strings.Contains(out.String()+message(err), want) {
			t.Fatalf("backup into the backup directory, try %d = %v %s", i+1, err, out.String())
		}
	}
	// Asked directly, the bot writes nowhere but its backup directory.
	for _, to := range []string{"../escaped.db", "/tmp/escaped.db", filepath.Join(filepath.Dir(data), "escaped.db"), "sub/escaped.db", "..", "named.db"} {
		resp, err := http.Post("http://"+opsAddr+"/backup?to="+url.QueryEscape(to), "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("backup to=%q = %d %s", to, resp.StatusCode, b)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(data), "*escaped*")); len(matches) > 0 {
		t.Fatalf("written outside the backup directory: %v", matches)
	}
	if _, err := os.Stat("/tmp/escaped.db"); err == nil {
		t.Fatal("written to /tmp/escaped.db")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run = %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the program did not stop on cancel")
	}
	// The store was closed cleanly: it opens again at once.
	if _, _, err := runCLI(t, data, "check"); err != nil {
		t.Fatalf("check after shutdown: %v", err)
	}
	// The audit chain's head was logged at start, as an anchor that verifies.
	logged := regexp.MustCompile(`audit anchor.*head=(#\d+:[0-9a-f]{64})`).FindStringSubmatch(stderr.String())
	if logged == nil {
		t.Fatalf("no audit anchor in the log:\n%s", stderr.String())
	}
	if out, _, err := runCLI(t, data, "audit", "verify", "--head", logged[1]); err != nil {
		t.Fatalf("verify against the logged anchor: %v\n%s", err, out)
	}
}
