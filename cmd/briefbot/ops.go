package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/store"
)

// defaultOpsListen is where /healthz, /readyz and /metrics are served by default.
const defaultOpsListen = ":9090"

// ops is the operations endpoint of a serving bot: /healthz (alive), /readyz (the
// store is open and Slack can reach the bot) and /metrics (Prometheus).
type ops struct {
	reg     *prometheus.Registry
	metrics *metrics.Metrics
	store   *store.Store
}

// newOps makes the registry with the bot's metrics, the Go and process collectors,
// and gauges read from the store at scrape time: outbox depth and file size.
func newOps(s *store.Store) *ops {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_outbox_depth", Help: "Dispatches not yet delivered."}, func() float64 {
		open, err := s.OpenDispatches(context.Background())
		if err != nil {
			return -1
		}
		return float64(len(open))
	}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_store_bytes", Help: "Size of the ledger file."}, func() float64 {
		n, err := s.Size()
		if err != nil {
			return -1
		}
		return float64(n)
	}))
	return &ops{reg: reg, metrics: metrics.New(reg), store: s}
}

// serve listens on addr until ctx is done. ready says whether the bot is ready.
func (o *ops) serve(ctx context.Context, addr string, ready func() error, log *slog.Logger) (func(), error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if err := ready(); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(o.reg, promhttp.HandlerOpts{}))
	if o.store != nil {
		// A hot backup by the running bot, which holds the file: from this machine only.
		mux.HandleFunc("POST /backup", func(w http.ResponseWriter, r *http.Request) {
			if host, _, _ := net.SplitHostPort(r.RemoteAddr); !net.ParseIP(host).IsLoopback() {
				http.Error(w, "backups are taken from the bot's own machine only", http.StatusForbidden)
				return
			}
			path := r.URL.Query().Get("to")
			if path == "" || !filepath.IsAbs(path) {
				http.Error(w, "to= must be an absolute path", http.StatusBadRequest)
				return
			}
			n, err := o.store.Backup(path)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "%d\n", n)
		})
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ops endpoint %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	log.Info("ops endpoint", "listen", l.Addr().String())
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}, nil
}

// health is `briefbot health`: it asks a running bot's /healthz (for container health
// checks) and exits 0 if it answers, 1 if not.
func (e *environment) health(ctx context.Context, args []string) error {
	addr := e.getenv("BRIEFBOT_OPS_LISTEN")
	if addr == "" {
		addr = defaultOpsListen
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not healthy: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not healthy: HTTP %d", resp.StatusCode)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// logger is the serving bot's logger: text by default, JSON with --log json. Matter
// bodies and secrets are never logged: log lines carry ledger numbers and ids.
func (e *environment) logger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(e.stderr, nil))
}

// backupViaBot asks a running bot (which holds the data file's lock) to write a hot
// backup to path, through its ops endpoint on this machine.
func (e *environment) backupViaBot(path string) (int64, error) {
	addr := e.getenv("BRIEFBOT_OPS_LISTEN")
	if addr == "" {
		addr = defaultOpsListen
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	resp, err := http.Post("http://"+addr+"/backup?to="+url.QueryEscape(abs), "text/plain", nil)
	if err != nil {
		return 0, fmt.Errorf("the data file is in use and the running bot could not be asked (%s): %w", addr, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("the running bot refused the backup: %s", strings.TrimSpace(string(body)))
	}
	var n int64
	fmt.Sscan(string(body), &n)
	return n, nil
}
