// Command briefbot-load measures the Slack HTTP endpoint under load: it sends signed
// intake submissions (the interactivity payload of the intake form, as Slack posts it)
// or signed slash commands at a fixed rate for a fixed time, and reports throughput,
// ack latency percentiles (from each request's scheduled time, so a stall is not
// hidden), errors and the bot's peak memory. After the run it checks that every
// acknowledged submission is in the ledger.
//
// By default it starts the bot itself (-bot BINARY) on a fresh data file, with a local
// Web API sink standing in for Slack; -target points it at a bot already running.
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "briefbot-load:", err)
		os.Exit(1)
	}
}

type options struct {
	bot, target, secret, mode, user, dept, signatory, addressee, data string
	idle                                                              time.Duration
	rate, concurrency, kills                                          int
	duration                                                          time.Duration
}

func run(args []string) error {
	var o options
	fs := flag.NewFlagSet("briefbot-load", flag.ContinueOnError)
	fs.StringVar(&o.bot, "bot", "", "the briefbot binary to start (with a fresh data file and a local Slack sink)")
	fs.StringVar(&o.target, "target", "", "the request URL of a bot already running (instead of -bot)")
	fs.StringVar(&o.secret, "secret", "load-test-signing-secret", "the signing secret")
	fs.StringVar(&o.mode, "mode", "submit", "submit (intake form submissions) or status (slash commands)")
	fs.IntVar(&o.rate, "rate", 500, "requests per second")
	fs.IntVar(&o.concurrency, "concurrency", 64, "requests in flight at most")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to send")
	fs.StringVar(&o.user, "user", "U0AAAA006", "the submitting Slack user (a department head in the org config)")
	fs.StringVar(&o.dept, "dept", "criminal", "the submitting department")
	fs.StringVar(&o.signatory, "signatory", "zhou", "the department's principal")
	fs.StringVar(&o.addressee, "addressee", "party", "the addressee committee")
	fs.StringVar(&o.data, "data", "", "with -bot: an existing ledger to start on (default: a fresh one)")
	fs.DurationVar(&o.idle, "idle", 0, "with -bot: send nothing; report the start time and the idle RSS after this long")
	fs.IntVar(&o.kills, "kills", 0, "with -bot: the crash suite: this many times, load the bot and SIGKILL it at a random moment, restart it on the same ledger; then check every acknowledged submission is there, once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (o.bot == "") == (o.target == "") {
		return errors.New("give exactly one of -bot BINARY or -target URL")
	}
	if o.mode != "submit" && o.mode != "status" {
		return fmt.Errorf("unknown -mode %q", o.mode)
	}
	target := o.target
	var proc *exec.Cmd
	var data string
	if o.bot != "" {
		dir, err := os.MkdirTemp("", "briefbot-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		data = filepath.Join(dir, "briefbot.db")
		if o.data != "" {
			data = o.data
		}
		sink, err := startSink()
		if err != nil {
			return err
		}
		defer sink.Close()
		started := time.Now()
		proc, target, err = startBot(o, data, "http://"+sink.Addr().String()+"/api/")
		if err != nil {
			return err
		}
		defer stop(proc)
		if o.kills > 0 {
			stop(proc)
			return crashSuite(o, data, "http://"+sink.Addr().String()+"/api/")
		}
		if o.idle > 0 {
			fmt.Printf("start: %s from exec to answering /healthz (ledger %s)\n", time.Since(started).Round(time.Millisecond), data)
			time.Sleep(o.idle)
			rss, _ := currentRSS(proc.Process.Pid)
			peak, _ := peakRSS(proc.Process.Pid)
			fmt.Printf("idle RSS after %s: %.1f MB (peak %.1f MB)\n", o.idle, float64(rss)/1024, float64(peak)/1024)
			return stop(proc)
		}
	}

	res := load(o, target)
	fmt.Printf("mode %s: %d requests at %d/s for %s, concurrency %d\n", o.mode, res.sent, o.rate, o.duration, o.concurrency)
	fmt.Printf("throughput %.0f req/s; ack latency p50 %s p99 %s p999 %s max %s; errors %d\n",
		float64(res.ok)/res.elapsed.Seconds(), res.pct(0.50), res.pct(0.99), res.pct(0.999), res.pct(1), res.errors)
	fmt.Printf("service time (from the actual send) p50 %s p99 %s p999 %s\n", pct(res.service, 0.5), pct(res.service, 0.99), pct(res.service, 0.999))
	if proc != nil {
		if rss, err := peakRSS(proc.Process.Pid); err == nil {
			fmt.Printf("bot peak RSS %.1f MB\n", float64(rss)/1024)
		}
		if err := stop(proc); err != nil {
			return fmt.Errorf("stopping the bot: %w", err)
		}
		if o.mode == "submit" {
			n, err := countMatters(data)
			if err != nil {
				return err
			}
			fmt.Printf("durable: %d acknowledged submissions, %d matters in the ledger\n", res.ok, n)
			if n != res.ok {
				return fmt.Errorf("%d submissions were acknowledged but %d are in the ledger", res.ok, n)
			}
		}
	}
	if res.errors > 0 {
		return fmt.Errorf("%d requests failed", res.errors)
	}
	return nil
}

type result struct {
	sent, ok, errors int
	latencies        []time.Duration // from the scheduled send time
	service          []time.Duration // from the actual send time
	acked            []int           // request numbers acknowledged
	elapsed          time.Duration
}

func (r *result) pct(p float64) time.Duration { return pct(r.latencies, p) }

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(float64(len(ds))*p+0.5) - 1
	return ds[min(max(i, 0), len(ds)-1)].Round(10 * time.Microsecond)
}

// load sends requests open-loop at o.rate and measures each from its scheduled time.
func load(o options, target string) *result { return loadFrom(o, target, 0) }

// loadFrom is load with request numbers starting at first (so runs against the same
// ledger do not repeat titles or view IDs).
func loadFrom(o options, target string, first int) *result {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency, MaxConnsPerHost: o.concurrency}}
	total := int(o.duration.Seconds() * float64(o.rate))
	interval := time.Second / time.Duration(o.rate)
	bodies := make([]string, total) // built before the clock starts: the tool measures the bot, not itself
	for n := range bodies {
		bodies[n] = body(o, first+n)
	}
	jobs := make(chan int, total)
	var mu sync.Mutex
	res := &result{sent: total}
	var failures atomic.Int64
	start := time.Now().Add(50 * time.Millisecond)
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				at := start.Add(time.Duration(n) * interval)
				time.Sleep(time.Until(at))
				sent := time.Now()
				err := send(client, o, target, bodies[n])
				lat, svc := time.Since(at), time.Since(sent)
				mu.Lock()
				if err != nil {
					res.errors++
					if failures.Add(1) <= 3 {
						fmt.Fprintln(os.Stderr, "request", n, "failed:", err)
					}
				} else {
					res.ok++
					res.acked = append(res.acked, first+n)
					res.latencies = append(res.latencies, lat)
					res.service = append(res.service, svc)
				}
				mu.Unlock()
			}
		}()
	}
	for n := range total {
		jobs <- n
	}
	close(jobs)
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	slices.Sort(res.service)
	return res
}

// body is the form body of request n.
func body(o options, n int) string {
	if o.mode == "submit" {
		p, _ := json.Marshal(submission(o, n))
		return url.Values{"payload": {string(p)}}.Encode()
	}
	return url.Values{"command": {"/matter"}, "text": {"status QS-2026-0001"}, "user_id": {o.user}, "channel_id": {"D1"},
		"team_id": {"T1"}, "trigger_id": {fmt.Sprint("1.2.", n)}, "response_url": {"http://127.0.0.1:9/"}}.Encode()
}

// send posts body, signed now, and checks the ack.
func send(client *http.Client, o options, target, body string) error {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(o.secret))
	io.WriteString(mac, "v0:"+ts+":"+body)
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	ack, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, ack)
	}
	if o.mode == "submit" && len(strings.TrimSpace(string(ack))) != 0 {
		return fmt.Errorf("refused: %s", ack)
	}
	return nil
}

// submission is the intake form's view_submission for request n, as Slack sends it.
func submission(o options, n int) map[string]any {
	text := func(v string) map[string]any { return map[string]any{"type": "plain_text_input", "value": v} }
	sel := func(v string) map[string]any {
		return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}
	}
	field := func(name string, v map[string]any) (string, map[string]any) { return name, map[string]any{name: v} }
	values := map[string]any{}
	for _, kv := range []struct {
		k string
		v map[string]any
	}{
		{"title", text(fmt.Sprintf("关于第%d号案件审理有关问题的请示", n))},
		{"requested_item", text("拟对该案依法公开开庭审理")},
		{"reasons", text("该案社会关注度高，公开审理有利于释法说理")},
		{"recommendation", text("建议公开开庭审理")},
		{"department", sel(o.dept)},
		{"signatory", sel(o.signatory)},
		{"signed_on", map[string]any{"type": "datepicker", "selected_date": time.Now().Format("2006-01-02")}},
		{"decision", sel("collective")},
		{"urgency", sel("ordinary")},
		{"addressee", sel(o.addressee)},
		{"unclassified", map[string]any{"type": "checkboxes", "selected_options": []any{map[string]any{"value": "yes", "text": map[string]any{"type": "plain_text", "text": "yes"}}}}},
	} {
		k, v := field(kv.k, kv.v)
		values[k] = v
	}
	return map[string]any{
		"type": "view_submission", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": o.user, "team_id": "T1"},
		"api_app_id": "A1", "token": "x", "trigger_id": fmt.Sprint("1.2.", n), "is_enterprise_install": false,
		"view": map[string]any{"id": fmt.Sprintf("VLOAD%08d", n), "type": "modal", "callback_id": "intake", "hash": "h",
			"private_metadata": `{"k":"request"}`, "state": map[string]any{"values": values}},
	}
}

// startSink serves a minimal Slack Web API that accepts every call, for the bot's
// receipts. It answers like Slack does, with a unique ts per post.
func startSink() (net.Listener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	var ts atomic.Int64
	go http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch filepath.Base(r.URL.Path) {
		case "auth.test":
			fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`)
		case "conversations.open":
			fmt.Fprint(w, `{"ok":true,"channel":{"id":"D1"}}`)
		default:
			fmt.Fprintf(w, `{"ok":true,"channel":"D1","ts":"1700000000.%06d"}`, ts.Add(1))
		}
	}))
	return l, nil
}

// startBot starts the bot in HTTP mode on a free port and waits until it answers.
func startBot(o options, data, apiURL string) (*exec.Cmd, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(o.bot, "serve", "--data", data, "--listen", addr)
	cmd.Env = append(os.Environ(), "SLACK_BOT_TOKEN=xoxb-load", "SLACK_SIGNING_SECRET="+o.secret, "SLACK_API_URL="+apiURL, "SLACK_APP_TOKEN=", "BRIEFBOT_OPS_LISTEN=127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return cmd, "http://" + addr + "/slack/events", nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop(cmd)
	return nil, "", errors.New("the bot did not come up within 20 s")
}

var stopped sync.Map

// stop ends the bot gracefully (SIGTERM) and waits for it.
func stop(cmd *exec.Cmd) error {
	if _, done := stopped.LoadOrStore(cmd, true); done {
		return nil
	}
	cmd.Process.Signal(syscall.SIGTERM)
	return cmd.Wait()
}

// currentRSS reads the process's resident set now (VmRSS, kB) from /proc.
func currentRSS(pid int) (int, error) { return procStatus(pid, "VmRSS:") }

// peakRSS reads the process's peak resident set (VmHWM, kB) from /proc.
func peakRSS(pid int) (int, error) { return procStatus(pid, "VmHWM:") }

func procStatus(pid int, field string) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			return strconv.Atoi(f[1])
		}
	}
	return 0, errors.New("no " + field)
}

func countMatters(path string) (int, error) {
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	n := 0
	for off := 0; ; off += 500 {
		p, err := s.List(context.Background(), briefbot.Filter{Limit: 500, Offset: off})
		if err != nil {
			return 0, err
		}
		n += len(p.Matters)
		if !p.More {
			return n, nil
		}
	}
}

// crashSuite kills the serving bot with SIGKILL at random moments under load, o.kills
// times, restarting it on the same ledger each time; then every acknowledged
// submission must be in the ledger exactly once, and the ledger must pass its check.
func crashSuite(o options, data, apiURL string) error {
	acked := map[int]bool{}
	next := 0
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	fmt.Printf("crash suite: %d kills, seed %d, ledger %s\n", o.kills, seed, data)
	for i := range o.kills {
		proc, target, err := startBot(o, data, apiURL)
		if err != nil {
			return fmt.Errorf("restart %d: %w", i, err)
		}
		run := o
		run.duration = 2 * time.Second
		killAt := time.Duration(50+rng.IntN(1500)) * time.Millisecond
		go func() {
			time.Sleep(killAt)
			proc.Process.Signal(syscall.SIGKILL)
		}()
		res := loadFrom(run, target, next)
		proc.Wait()
		stopped.Store(proc, true)
		for _, n := range res.acked {
			acked[n] = true
		}
		next += int(run.duration.Seconds() * float64(run.rate))
	}
	problems, err := store.CheckFile(data)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("the ledger fails its check after the kills: %v", problems)
	}
	s, err := store.Open(data, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	titles := map[string]int{}
	if err := s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool { titles[m.Title]++; return true }); err != nil {
		return err
	}
	missing, doubled := 0, 0
	for n := range acked {
		switch titles[fmt.Sprintf("关于第%d号案件审理有关问题的请示", n)] {
		case 0:
			missing++
		case 1:
		default:
			doubled++
		}
	}
	fmt.Printf("crash suite: %d acknowledged submissions across %d kills; %d in the ledger in all; missing %d; stored twice %d; check clean\n",
		len(acked), o.kills, len(titles), missing, doubled)
	if missing > 0 || doubled > 0 {
		return fmt.Errorf("%d acknowledged submissions missing, %d stored twice", missing, doubled)
	}
	return nil
}
