package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/store"
	etcdstore "github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
)

// TestReplicaProcess is not a test: it is the bot, run by TestReplicas_* as a process
// of its own (this test binary again, with BRIEFBOT_REPLICA=1), so it can be killed.
func TestReplicaProcess(t *testing.T) {
	if os.Getenv("BRIEFBOT_REPLICA") != "1" {
		t.Skip("run as a replica by TestReplicas")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, []string{"serve"}, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "replica:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// replicaConfig is a small organisation whose party committee has a daily briefing a
// minute before now (so the first leader delivers it at once, as a catch-up), on a
// day made a working day whatever day the test runs.
func replicaConfig(t *testing.T) string {
	loc := briefbot.DefaultLocation()
	slot := time.Now().In(loc).Add(-time.Minute)
	workdays := "[]" // Monday to Friday are working days in a listed year without holidays
	if wd := slot.Weekday(); wd == time.Saturday || wd == time.Sunday {
		workdays = `["` + slot.Format("2006-01-02") + `"]`
	}
	cfg := fmt.Sprintf(`organisation: 测试法院
members:
  - {id: zhao, name: 赵书记, slack: UZHAO}
  - {id: qian, name: 钱主任, slack: UQIAN}
  - {id: zhou, name: 周庭长, slack: UZHOU}
committees:
  - id: party
    name: 党组
    channel: CPARTY
    leaders: [zhao]
    clerks: [qian]
    briefing:
      schedules:
        - {id: daily, cron: "%d %d * * *"}
departments:
  - {id: criminal, name: 刑事审判庭, principal: zhou}
calendar:
  years: [%d]
  workdays: %s
`, slot.Minute(), slot.Hour(), slot.Year(), workdays)
	path := filepath.Join(t.TempDir(), "org.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type replica struct {
	cmd      *exec.Cmd
	url, ops string
	log      *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startReplica(t *testing.T, env []string) *replica {
	listen, ops := freeAddr(t), freeAddr(t)
	r := &replica{url: "http://" + listen + "/slack/events", ops: "http://" + ops, log: &lockedBuffer{}}
	r.cmd = exec.Command(os.Args[0], "-test.run=^TestReplicaProcess$")
	r.cmd.Env = append(os.Environ(), append(env, "BRIEFBOT_REPLICA=1", "BRIEFBOT_LISTEN="+listen, "BRIEFBOT_OPS_LISTEN="+ops,
		"BRIEFBOT_DATA="+filepath.Join(t.TempDir(), "unused.db"))...)
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		r.cmd.Wait()
	})
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(r.ops + "/healthz"); err == nil {
			resp.Body.Close()
			return r
		}
		if time.Now().After(end) {
			t.Fatalf("the replica did not start:\n%s", r.log.String())
		}
	}
}

// submit opens the intake form through r and submits it; it reports whether the
// submission was acknowledged (stored) and the answer's body.
func submit(t *testing.T, fs *slacktest.Server, r *replica, title string) (bool, string) {
	t.Helper()
	before := len(fs.Calls("views.open"))
	resp, _ := fs.PostSlash(t, r.url, "test-signing-secret", "UZHOU", "DUZHOU", "new request")
	if resp.StatusCode != 200 {
		return false, fmt.Sprint("slash: ", resp.StatusCode)
	}
	calls := fs.WaitFor(t, "views.open", before+1, 10*time.Second)
	var view slacktest.View
	for _, v := range fs.Views() {
		if v.TriggerID == calls[len(calls)-1].JSON["trigger_id"] {
			view = v
		}
	}
	values := slacktest.Values{
		"title": {"title": title}, "requested_item": {"requested_item": "拟依法公开审理"}, "reasons": {"reasons": "社会关注度高"},
		"recommendation": {"recommendation": "建议公开审理"}, "addressee": {"addressee": "party"}, "unclassified": {"unclassified": []string{"yes"}},
	}
	resp, body := fs.PostInteraction(t, r.url, "test-signing-secret", fs.ViewSubmissionPayload(t, "UZHOU", view.ID, values))
	return resp.StatusCode == 200 && strings.TrimSpace(string(body)) == "", string(body)
}

// leader is the pid of the replica leading now (0: none).
func leader(t *testing.T, eng *etcdstore.Engine) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	id, err := eng.Leader(ctx)
	if err != nil || id == "" {
		return 0
	}
	pid, _ := strconv.Atoi(id[strings.LastIndex(id, "/")+1:])
	return pid
}

// TestReplicas_KillTheLeaderUnderLoad: two bot processes on a three-member etcd
// cluster, one leading. Submissions go on through the other while the leader is
// killed (SIGKILL): the other takes over within seconds; every acknowledged
// submission is in the ledger; every receipt and the day's briefing are posted
// exactly once. Then one etcd member stops: service goes on. Then a second: a
// submission is refused with a clear message, and nothing acknowledged is lost.
func TestReplicas_KillTheLeaderUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an etcd cluster and two bot processes")
	}
	cluster := etcdtest.Start(t, 3)
	fs := slacktest.New(t)
	env := []string{"SLACK_BOT_TOKEN=" + slacktest.BotToken, "SLACK_SIGNING_SECRET=test-signing-secret",
		"SLACK_API_URL=" + strings.TrimSuffix(fs.APIURL(), "/"), "BRIEFBOT_STORE=etcd", "BRIEFBOT_ETCD_ENDPOINTS=" + strings.Join(cluster.Endpoints(), ","),
		"BRIEFBOT_ETCD_PREFIX=/court", "BRIEFBOT_CONFIG=" + replicaConfig(t)}
	a, b := startReplica(t, env), startReplica(t, env)
	eng := etcdstore.New(cluster.Client(), "/court")
	var lead, other *replica
	for end := time.Now().Add(20 * time.Second); lead == nil; time.Sleep(50 * time.Millisecond) {
		switch leader(t, eng) {
		case a.cmd.Process.Pid:
			lead, other = a, b
		case b.cmd.Process.Pid:
			lead, other = b, a
		}
		if time.Now().After(end) {
			t.Fatalf("no leader elected:\n%s\n%s", a.log.String(), b.log.String())
		}
	}
	var acked []string
	for i := range 10 { // through both, before anything fails
		r := []*replica{lead, other}[i%2]
		title := fmt.Sprintf("故障前的请示%02d", i)
		if ok, body := submit(t, fs, r, title); !ok {
			t.Fatalf("%s not acknowledged: %s", title, body)
		}
		acked = append(acked, title)
	}
	// Kill the leader while submissions go on through the other replica.
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			title := fmt.Sprintf("切换中的请示%02d", i)
			if ok, _ := submit(t, fs, other, title); ok {
				mu.Lock()
				acked = append(acked, title)
				mu.Unlock()
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)
	killed := time.Now()
	lead.cmd.Process.Kill()
	for leader(t, eng) != other.cmd.Process.Pid {
		if time.Since(killed) > 30*time.Second {
			t.Fatalf("no new leader 30 s after the kill:\n%s", other.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	failover := time.Since(killed)
	<-done
	t.Logf("failover: the other replica led %v after the leader was killed", failover.Round(10*time.Millisecond))
	// The outbox empties through the new leader.
	s, err := store.New(eng, "check", store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for end := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		open, err := s.OpenDispatches(context.Background())
		if err == nil && len(open) == 0 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("%d dispatches still open after the failover:\n%s", len(open), other.log.String())
		}
	}
	checkLedger := func() {
		t.Helper()
		stored := map[string]bool{}
		s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool { stored[m.Title] = true; return true })
		mu.Lock()
		defer mu.Unlock()
		for _, title := range acked {
			if !stored[title] {
				t.Fatalf("acknowledged but not in the ledger: %s", title)
			}
		}
		if ps, err := s.Check(); err != nil || len(ps) > 0 {
			t.Fatalf("check: %v %v", ps, err)
		}
	}
	checkLedger()
	posted := map[string]int{}
	briefings := 0
	for _, p := range fs.Posts() {
		var md struct {
			Payload struct{ Key string } `json:"event_payload"`
		}
		json.Unmarshal(p.Metadata, &md)
		posted[md.Payload.Key]++
		if p.Channel == "CPARTY" && p.ThreadTS == "" && strings.Contains(p.Text, "简报") {
			briefings++
		}
	}
	for key, n := range posted {
		if n > 1 {
			t.Fatalf("part %s posted %d times", key, n)
		}
	}
	if briefings != 1 {
		t.Fatalf("the day's briefing posted %d times; want once", briefings)
	}
	if receipts := len(fs.Posts()) - briefings; receipts < len(acked) {
		t.Fatalf("%d receipts posted for %d acknowledged submissions", receipts, len(acked))
	}

	// One member down: service goes on.
	cluster.Stop(0)
	if ok, body := submit(t, fs, other, "一个成员停机后的请示"); !ok {
		t.Fatalf("with two of three members up a submission was refused: %s", body)
	}
	mu.Lock()
	acked = append(acked, "一个成员停机后的请示")
	mu.Unlock()
	checkLedger()
	// Two down: no quorum. A submission is refused, saying why.
	cluster.Stop(1)
	time.Sleep(500 * time.Millisecond) // the survivor notices it has no leader
	ok, body := submit(t, fs, other, "无法定数时的请示")
	if ok || !strings.Contains(body, "etcd") {
		t.Fatalf("without a quorum: acknowledged=%v, answered %s", ok, body)
	}
	resp, err := http.Get(other.ops + "/readyz")
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("/readyz without a quorum = %d %s", resp.StatusCode, b)
		}
	}
}
