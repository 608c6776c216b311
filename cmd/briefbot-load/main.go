// Command briefbot-load measures the Slack HTTP endpoint under load: it sends signed
// requests exactly as Slack posts them — the intake form's view_submission (the whole
// view the bot opened, every block and option list, with state.values filled in),
// 批示 and 反馈 form submissions, or slash commands with every form field — at a fixed
// rate for a fixed time, and reports throughput, ack latency percentiles (from each
// request's scheduled time, so a stall is not hidden), errors and the bot's peak
// memory. After the run it checks that every acknowledged submission is in the ledger.
//
// The forms are the bot's own: a second bot in this process (the shadow, on its own
// ledger and the same org config) opens them through the Slack stand-in
// (internal/slacktest), which completes and stores each view as Slack does and builds
// the payloads.
//
// By default it starts the bot itself (-bot BINARY) on a fresh data file, with a local
// Web API sink standing in for Slack; -target points it at a bot already running.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
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
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "briefbot-load:", err)
		os.Exit(1)
	}
}

type options struct {
	bot, target, secret, mode, user, dept, addressee, data, config string
	idle                                                           time.Duration
	rate, concurrency, kills                                       int
	duration                                                       time.Duration
}

// modes are what the tool can send: intake form submissions, 批示 and 反馈 form
// submissions (on matters it submits first), and slash commands.
var modes = map[string]bool{"submit": true, "instruct": true, "feedback": true, "status": true}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("briefbot-load", flag.ContinueOnError)
	fs.StringVar(&o.bot, "bot", "", "the briefbot binary to start (with a fresh data file and a local Slack sink)")
	fs.StringVar(&o.target, "target", "", "the request URL of a bot already running (instead of -bot)")
	fs.StringVar(&o.secret, "secret", "load-test-signing-secret", "the signing secret")
	fs.StringVar(&o.mode, "mode", "submit", "submit (intake form submissions), instruct (批示 form submissions), feedback (落实反馈 form submissions) or status (slash commands)")
	fs.IntVar(&o.rate, "rate", 500, "requests per second")
	fs.IntVar(&o.concurrency, "concurrency", 64, "requests in flight at most")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to send")
	fs.StringVar(&o.user, "user", principalSlack, "the submitting Slack user (a department head in the org config; by default the criminal division's principal, who signs what he submits)")
	fs.StringVar(&o.dept, "dept", "criminal", "the submitting department (the lead unit of 批示)")
	fs.StringVar(&o.addressee, "addressee", "party", "the addressee committee")
	fs.StringVar(&o.config, "config", "", "the org config the bot runs with (default: the built-in example)")
	fs.StringVar(&o.data, "data", "", "with -bot: an existing ledger to start on (default: a fresh one)")
	fs.DurationVar(&o.idle, "idle", 0, "with -bot: send nothing; report the start time and the idle RSS after this long")
	fs.IntVar(&o.kills, "kills", 0, "with -bot: the crash suite: this many times, load the bot and SIGKILL it at a random moment, restart it on the same ledger; then check every acknowledged submission is there, once")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case (o.bot == "") == (o.target == ""):
		return o, errors.New("give exactly one of -bot BINARY or -target URL")
	case !modes[o.mode]:
		return o, fmt.Errorf("unknown -mode %q", o.mode)
	case (o.mode == "instruct" || o.mode == "feedback") && (o.bot == "" || o.data != ""):
		return o, fmt.Errorf("-mode %s needs -bot on a fresh ledger: it submits the matters it then acts on", o.mode)
	}
	return o, nil
}

// botRun is a bot started for the run: its process, its ledger and its request URL.
type botRun struct {
	proc         *exec.Cmd
	data, target string
}

func run(args []string) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	b := botRun{target: o.target}
	if o.bot != "" {
		dir, err := os.MkdirTemp("", "briefbot-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		b.data = filepath.Join(dir, "briefbot.db")
		if o.data != "" {
			b.data = o.data
		}
		sink, err := startSink()
		if err != nil {
			return err
		}
		defer sink.Close()
		apiURL := "http://" + sink.Addr().String() + "/api/"
		if o.kills > 0 {
			return crashSuite(o, b.data, apiURL)
		}
		started := time.Now()
		if b.proc, b.target, err = startBot(o, b.data, apiURL); err != nil {
			return err
		}
		defer stop(b.proc)
		if o.idle > 0 {
			return idle(o, b.proc, b.data, started)
		}
	}
	sh, err := newShadow(o.config)
	if err != nil {
		return fmt.Errorf("the shadow bot: %w", err)
	}
	defer sh.Close()
	bodies, err := prepare(o, sh, b.target, 0)
	if err != nil {
		return err
	}
	res := loadFrom(o, b.target, 0, bodies)
	return report(o, b, res)
}

// idle reports the bot's start time and its resident memory after o.idle of nothing.
func idle(o options, proc *exec.Cmd, data string, started time.Time) error {
	fmt.Printf("start: %s from exec to answering /healthz (ledger %s)\n", time.Since(started).Round(time.Millisecond), data)
	time.Sleep(o.idle)
	rss, _ := currentRSS(proc.Process.Pid)
	peak, _ := peakRSS(proc.Process.Pid)
	fmt.Printf("idle RSS after %s: %.1f MB (peak %.1f MB)\n", o.idle, float64(rss)/1024, float64(peak)/1024)
	return stop(proc)
}

// report prints the run's figures, stops the bot and checks its ledger: every
// acknowledged submission (批示, 反馈) must be in it.
func report(o options, b botRun, res *result) error {
	fmt.Printf("mode %s: %d requests at %d/s for %s, concurrency %d\n", o.mode, res.sent, o.rate, o.duration, o.concurrency)
	fmt.Printf("throughput %.0f req/s; ack latency p50 %s p99 %s p999 %s max %s; errors %d\n",
		float64(res.ok)/res.elapsed.Seconds(), res.pct(0.50), res.pct(0.99), res.pct(0.999), res.pct(1), res.errors)
	fmt.Printf("service time (from the actual send) p50 %s p99 %s p999 %s\n", pct(res.service, 0.5), pct(res.service, 0.99), pct(res.service, 0.999))
	if b.proc != nil {
		if rss, err := peakRSS(b.proc.Process.Pid); err == nil {
			fmt.Printf("bot peak RSS %.1f MB\n", float64(rss)/1024)
		}
		if err := stop(b.proc); err != nil {
			return fmt.Errorf("stopping the bot: %w", err)
		}
		if err := durable(o, b.data, res.ok); err != nil {
			return err
		}
	}
	if res.errors > 0 {
		return fmt.Errorf("%d requests failed", res.errors)
	}
	return nil
}

// durable counts the ledger after the run: the matters stored, and the steps the run
// took on them, which must be as many as were acknowledged.
func durable(o options, data string, acked int) error {
	action := map[string]briefbot.Action{"submit": briefbot.ActionSubmit, "instruct": briefbot.ActionInstruct, "feedback": briefbot.ActionProgress}[o.mode]
	if action == "" {
		return nil
	}
	matters, steps, err := countLedger(data, action)
	if err != nil {
		return err
	}
	fmt.Printf("durable: %d acknowledged; %d matters stored, %d %s steps in the ledger\n", acked, matters, steps, action)
	got := steps
	if o.mode == "submit" { // a submission waiting for its sign-off has taken no submit step
		got = matters
	}
	if o.data == "" && got != acked {
		return fmt.Errorf("%d were acknowledged but the ledger holds %d", acked, got)
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

// loadFrom sends bodies open-loop at o.rate and measures each from its scheduled
// time. Request numbers start at first (so runs against the same ledger do not repeat
// titles or view IDs).
func loadFrom(o options, target string, first int, bodies [][]byte) *result {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency, MaxConnsPerHost: o.concurrency}}
	total := len(bodies)
	interval := time.Second / time.Duration(o.rate)
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
				err := send(client, o.secret, target, bodies[n], o.mode != "status")
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

// send posts body, signed now, and checks the ack: 200, and empty where a form was
// submitted (the form closes).
func send(client *http.Client, secret, target string, body []byte, form bool) error {
	ts, sig := slacktest.Sign(secret, time.Now(), body)
	req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	ack, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, ack)
	}
	if form && len(bytes.TrimSpace(ack)) != 0 {
		return fmt.Errorf("refused: %s", ack)
	}
	return nil
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

// countLedger counts the matters in the ledger at path and the steps action in their
// histories.
func countLedger(path string, action briefbot.Action) (matters, steps int, err error) {
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	err = s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool {
		matters++
		for _, e := range m.History {
			if e.Action == action {
				steps++
			}
		}
		return true
	})
	return matters, steps, err
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
	sh, err := newShadow(o.config)
	if err != nil {
		return err
	}
	defer sh.Close()
	run := o
	run.duration = 2 * time.Second
	for i := range o.kills {
		bodies, err := prepare(run, sh, "", next)
		if err != nil {
			return err
		}
		proc, target, err := startBot(o, data, apiURL)
		if err != nil {
			return fmt.Errorf("restart %d: %w", i, err)
		}
		killAt := time.Duration(50+rng.IntN(1500)) * time.Millisecond
		go func() {
			time.Sleep(killAt)
			proc.Process.Signal(syscall.SIGKILL)
		}()
		res := loadFrom(run, target, next, bodies)
		proc.Wait()
		stopped.Store(proc, true)
		for _, n := range res.acked {
			acked[n] = true
		}
		next += len(bodies)
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
		switch titles[title(n)] {
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
